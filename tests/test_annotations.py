"""The gold claim annotation: loading, spans, cross-language consistency, and one corruption
per annotation check, each expected to be reported with its file, line and field."""

import json
import re

import datasets
import pytest

from bicorpus.annotation.records import SourceFile, fill_offsets
from bicorpus.cli import main
from bicorpus.schema import ClaimType, EntityMention, HedgeLevel

DOC = "gpt4_article"


@pytest.fixture(scope="module")
def loaded(root, tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("cache"))
    return {name: datasets.load_dataset(str(root / "loaders" / DOC), name, split="train", cache_dir=cache)
            for name in ("documents", "claims", "entities", "mentions", "translation_notes", "sentences")}


def test_claims_and_entities_load_with_typed_labels(loaded):
    claims = loaded["claims"]
    assert claims.num_rows == 130 and loaded["entities"].num_rows == 22
    assert claims.features["hedge"].names == ["certain", "probable", "possible", "unknown"]
    assert isinstance(claims.features["claim_type"], datasets.ClassLabel)
    assert set(claims.features["zh_numbers"].feature) >= {"value", "low", "high", "unit", "kind", "approx"}


def test_every_span_indexes_its_text(loaded):
    doc = loaded["documents"][0]
    text = {"zh": doc["zh_text"], "en": doc["en_text"]}
    for claim in loaded["claims"]:
        for lang in ("zh", "en"):
            assert text[lang][claim[f"{lang}_start"]:claim[f"{lang}_end"]] == claim[f"{lang}_text"]
            for layer in ("cues", "entities", "numbers"):
                for span in claim[f"{lang}_{layer}"]:
                    assert text[lang][span["start"]:span["end"]] == span["text"]
                    assert claim[f"{lang}_start"] <= span["start"] and span["end"] <= claim[f"{lang}_end"]
    languages = loaded["mentions"].features["language"].names
    for m in loaded["mentions"]:
        assert text[languages[m["language"]]][m["start"]:m["end"]] == m["text"]
    for note in loaded["translation_notes"]:
        assert text["zh"][note["zh_start"]:note["zh_end"]] == note["zh_text"]


def test_both_sides_of_a_claim_agree_on_entities_and_numbers(loaded):
    for claim in loaded["claims"]:
        if claim["translation_note_ids"]:
            continue
        assert {e["entity_id"] for e in claim["zh_entities"]} == {e["entity_id"] for e in claim["en_entities"]}, claim["id"]
        key = lambda n: (n["unit"], n["value"], n["low"], n["high"])
        assert sorted(map(key, claim["zh_numbers"]), key=str) == sorted(map(key, claim["en_numbers"]), key=str), claim["id"]


def test_typo_claim_links_the_typo_to_the_right_entity(loaded):
    claim = next(c for c in loaded["claims"] if "GPE-3" in c["zh_text"])
    assert {e["entity_id"] for e in claim["zh_entities"]} == {"model:gpt-4", "model:gpt-3"}
    assert claim["translation_note_ids"] == ["gpt4_article/tn03"]


def test_sentence_claim_status(loaded):
    names = loaded["sentences"].features["claim_status"].names
    statuses = [names[s["claim_status"]] for s in loaded["sentences"]]
    assert "not_annotated" not in statuses
    assert statuses.count("claim_free") == 10 and statuses.count("heading") == 18


def test_outcomes_of_text_only_prediction(loaded):
    outcome_names = loaded["claims"].features["outcome"].names
    claim = next(c for c in loaded["claims"] if c["zh_text"] == "GPT-4 将是一个纯文本模型(而非多模态模型)")
    assert outcome_names[claim["outcome"]] == "did_not_come_true"
    assert any("arxiv.org/abs/2303.08774" in s for s in claim["outcome_sources"])


def test_factbank_values(built):
    values = {c.factbank for c in built.rows["claims"]}
    assert values <= {"CT+", "CT−", "PR+", "PR−", "PS+", "PS−", "Uu"}
    altman = next(c for c in built.rows["claims"] if c.zh_text.startswith("首先确认,GPT-4 的参数量不会达到"))
    assert (altman.factbank, altman.source, altman.author_stance.value) == ("CT−", "person:sam_altman", "endorses")


def test_fill_offsets_finds_the_nth_occurrence():
    record = {"sentence_id": "s1", "text": "一种", "entity_id": "x", "occurrence": 2}
    filled, problems = fill_offsets(SourceFile("m.jsonl", json.dumps(record, ensure_ascii=False) + "\n"),
                                    EntityMention, {"s1": "只能支持一种模态、理解一种感知"})
    assert problems == []
    assert json.loads(filled) == {"sentence_id": "s1", "start": 11, "end": 13, "text": "一种", "entity_id": "x"}


def test_fill_offsets_reports_a_missing_surface():
    record = {"sentence_id": "s1", "text": "不在", "entity_id": "x"}
    _, problems = fill_offsets(SourceFile("m.jsonl", json.dumps(record, ensure_ascii=False) + "\n"), EntityMention, {"s1": "文本"})
    assert [str(p) for p in problems] == ["m.jsonl:1: text: '不在' (occurrence 1) is not in s1"]


def test_propose_lists_nothing_undecided(root, capsys):
    assert main(["annotations", "propose", "--root", str(root)]) == 0
    assert capsys.readouterr().out == ""


def test_counts_by_type(built):
    claims = built.rows["claims"]
    assert sum(c.claim_type is ClaimType.PREDICTION for c in claims) == 44
    assert sum(c.hedge is HedgeLevel.CERTAIN for c in claims) == 107


# ---------------------------------------------------------------------------------------
# Each annotation check fails on a corrupted copy, naming file, line and field
# ---------------------------------------------------------------------------------------


def edit_line(path, line, change):
    lines = path.read_text(encoding="utf-8").split("\n")
    row = json.loads(lines[line - 1])
    change(row)
    lines[line - 1] = json.dumps(row, ensure_ascii=False, separators=(", ", ": "))
    path.write_text("\n".join(lines), encoding="utf-8")


def gold(root, name):
    return root / "annotations" / DOC / f"{name}.jsonl"


def claim_line(root, claim_id):
    lines = gold(root, "claims").read_text(encoding="utf-8").split("\n")
    return next(i for i, l in enumerate(lines, 1) if f'"{DOC}/{claim_id}"' in l)


def drop_line(path, predicate):
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    kept = [l for l in lines if not predicate(json.loads(l))]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


CASES = [
    ("span surface", lambda r: edit_line(gold(r, "claims"), 3, lambda c: c.update(zh_start=c["zh_start"] + 1)),
     r"claims\.jsonl:3: zh_start: .* not '"),
    ("unknown entity", lambda r: edit_line(gold(r, "entity_mentions"), 1, lambda m: m.update(entity_id="model:gpt-5")),
     r"entity_mentions\.jsonl:1: entity_id: 'model:gpt-5' is not in"),
    ("cue not in lexicon", lambda r: edit_line(gold(r, "cues"), 1, lambda c: c.update(text=c["text"][:-1], end=c["end"] - 1)),
     r"cues\.jsonl:1: text: cue .* is not in .*cue_lexicon\.jsonl"),
    ("undecided number", lambda r: drop_line(gold(r, "non_mentions"), lambda m: m["text"] == "二"),
     r"numbers\.jsonl: gpt4_article/zh-p014-s00: number '二' at \[6:7\] is neither annotated nor listed"),
    ("normalizer disagrees", lambda r: edit_line(gold(r, "numbers"), 2, lambda n: n.update(value=(n["value"] or 0) + 1)),
     r"numbers\.jsonl:2: value: is .*, the normalizer reads"),
    ("cross-language numbers", lambda r: edit_line(gold(r, "numbers"), next(i for i, l in enumerate(gold(r, "numbers").read_text().split("\n"), 1) if "5300 亿" in l),
                                                   lambda n: n.update(unit="tokens")),
     r"claims\.jsonl:\d+: en_text: numbers differ"),
    ("uncovered sentence", lambda r: drop_line(gold(r, "claim_free"), lambda f: f["sentence_id"].endswith("zh-p005-s00")),
     r"claims\.jsonl: gpt4_article/zh-p005-s00: sentence .* has no claim"),
    ("missing outcome", lambda r: drop_line(gold(r, "outcomes"), lambda o: o["claim_id"].endswith("p051-c01")),
     r"claims\.jsonl:\d+: id: gpt4_article/p051-c01 is a prediction about GPT-4 with no record"),
    ("outcome without address", lambda r: edit_line(gold(r, "outcomes"), 1, lambda o: o.update(sources=["a report"])),
     r"outcomes\.jsonl:1: sources: every outcome needs at least one public source"),
    ("bad source chain", lambda r: edit_line(gold(r, "claims"), 1, lambda c: c.update(source_chain=["author", "person:nobody"], author_stance="neutral")),
     r"claims\.jsonl:1: source_chain: 'person:nobody'"),
    ("stance without source", lambda r: edit_line(gold(r, "claims"), 1, lambda c: c.update(author_stance="endorses")),
     r"claims\.jsonl:1: author_stance: is 'own' exactly when"),
    ("label not in schema", lambda r: edit_line(gold(r, "claims"), 1, lambda c: c.update(hedge="likely")),
     r"claims\.jsonl:1: hedge: value 'likely' does not fit type one of certain, probable, possible, unknown"),
    ("label missing from guidelines", lambda r: (r / "annotations" / "guidelines.md").write_text(
        (r / "annotations" / "guidelines.md").read_text(encoding="utf-8").replace("`hedge_weakened`", "hedge weakened"), encoding="utf-8"),
     r"guidelines\.md: NoteKind: label `hedge_weakened` is not defined"),
    ("not canonical", lambda r: gold(r, "cues").write_text("\n".join(reversed(gold(r, "cues").read_text(encoding="utf-8").split("\n")[:-1])) + "\n", encoding="utf-8"),
     r"cues\.jsonl:1: not in canonical form"),
    # an alias may name two entities (each mention says which); one entity must not list it twice
    ("alias listed twice", lambda r: edit_line(r / "annotations" / "entities.jsonl", 1, lambda e: e.update(aliases_en=e["aliases_en"] + e["aliases_en"][:1])),
     r"entities\.jsonl:1: aliases_en: an alias is listed twice"),
    # guidelines §2: an attributed claim starts at its attribution verb
    ("attributed span holds its source", lambda r: edit_line(gold(r, "claims"), claim_line(r, "p007-c02"),
                                                              lambda c: c.update(zh_start=0, zh_text="Altman " + c["zh_text"])),
     r"claims\.jsonl:\d+: zh_start: is 0: the span holds its source 'Altman'; an attributed claim starts at its attribution verb"),
    ("attributed span starts at a pronoun source", lambda r: edit_line(gold(r, "claims"), claim_line(r, "p025-c02"),
                                                                        lambda c: c.update(zh_start=0, zh_text="他们" + c["zh_text"])),
     r"claims\.jsonl:\d+: zh_start: is 0: the span starts at the sentence start"),
    ("claim in the wrong paragraph bead", lambda r: edit_line(gold(r, "claims"), 1, lambda c: c.update(en_sentence_id="gpt4_article/en-p002-s00")),
     r"claims\.jsonl:1: (en_sentence_id|en_start)"),
]


@pytest.mark.parametrize("name, corrupt, expected", CASES, ids=[c[0] for c in CASES])
def test_each_annotation_corruption_is_caught(project_copy, capsys, name, corrupt, expected):
    corrupt(project_copy)
    assert main(["validate", "--root", str(project_copy)]) == 1
    err = capsys.readouterr().err
    assert re.search(expected, err), err

