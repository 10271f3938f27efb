"""The open-vocabulary rules (open_rules_v2), the document-level protocol and the trained model,
on text written for these tests and on the corpus' documents."""

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bicorpus.annotation.numbers import find_numbers
from bicorpus.cli import main
from bicorpus.extraction.baseline import InputSentence, sentences_of_text
from bicorpus.extraction.open_rules import (Extras, clauses, extract, hedge_lexicon, hedge_level, link_across,
                                            numbers_of)
from bicorpus.extraction.protocol import SystemCard, report
from bicorpus.schema import CueClass, HedgeClass, HedgeLevel, Language, Layer

# A text of our own, in no corpus document: a name with an organization suffix, a product, a
# person found by jieba's tags, counts with classifiers, an approximated number, a duration, and
# the cues 据估计 / 或许 / 可能 / 表示; then lexical 一 (第一段, 一直, 之一, 一些) that is no number.
OWN_ZH = ("据估计，Mozilla 基金会明年或许会发布三个新版本的 Firefox。\n"
          "王小明表示，这个项目可能需要约 500 名志愿者，一些人已经参与了两年。\n"
          "第一段只是介绍，我们一直认为 Linux 是最好的选择之一。\n")


def _zh(text: str) -> InputSentence:
    return InputSentence("t/zh-p000-s00", Language.ZH, text)


def _en(text: str) -> InputSentence:
    return InputSentence("t/en-p000-s00", Language.EN, text)


def test_extract_command_on_our_own_chinese_text(root, tmp_path):
    text = tmp_path / "own.txt"
    text.write_text(OWN_ZH, encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["extract", "--root", str(root), "--text", str(text), "--lang", "zh", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    found = {(r["layer"], r["text"]) for r in rows}
    # names: a Latin name with its organization suffix, a product, a person by jieba's tag nr, a Latin name
    assert {("entity", "Mozilla 基金会"), ("entity", "Firefox"), ("entity", "王小明"), ("entity", "Linux")} <= found
    # numbers: counts with their classifier, an approximated count, a duration; no lexical 一
    numbers = {r["text"]: (r["value"], r["label"]) for r in rows if r["layer"] == "number"}
    assert numbers == {"三个": (3.0, "count"), "约 500 名": (500.0, "count"), "两年": (2.0, "years")}
    # hedges: the cues, and the level each claim gets from them
    assert {("cue", "据估计"), ("cue", "或许"), ("cue", "可能"), ("cue", "表示")} <= found
    hedges = [r["label"] for r in rows if r["layer"] == "claim"]
    assert hedges == ["possible", "possible", "certain"]


def test_extract_refuses_a_text_in_the_other_language(root, tmp_path, capsys):
    text = tmp_path / "own.txt"
    text.write_text(OWN_ZH, encoding="utf-8")
    assert main(["extract", "--root", str(root), "--text", str(text), "--lang", "en", "--out", str(tmp_path / "p.jsonl")]) == 1
    assert "mostly Chinese" in capsys.readouterr().err


@pytest.mark.parametrize("text, expected", [
    ("一些研究者认为这很难。", []),
    ("第一段说明了背景。", []),
    ("这是最大的模型之一。", []),
    ("GPT-4 将是一个纯文本模型。", []),  # the indefinite 一 of a classifier phrase
    ("它只训练过一次。", ["一次"]),
    ("这给我们带来了两个启示。", ["两个"]),
    ("前者有约150名员工。", ["约150名"]),
    ("从 Debian 11 开始支持。", []),  # a version, not a quantity
    ("比以前的数据集高出一个量级。", ["一个量级"]),
])
def test_number_decisions_zh(text, expected):
    assert [n.text for n in numbers_of(_zh(text))] == expected


@pytest.mark.parametrize("text, expected", [
    ("No one company controls it.", []),
    ("It is one of many factors.", []),
    ("Support lasts for 5 years, and releases come every 18 to 24 months.", ["5 years", "18 to 24 months"]),
    ("It was trained only once.", ["once"]),
    ("Since version 3.38 it works.", []),
    ("The work began in 2004.", ["2004"]),  # a year after a lower-case word is no version
    ("A few weeks ago, they met.", ["A few weeks"]),
])
def test_number_decisions_en(text, expected):
    assert [n.text for n in numbers_of(_en(text))] == expected


@settings(deadline=None, max_examples=150)
@given(st.text(alphabet=st.sampled_from(list("一二两三十百千万亿0123456789.约个年月第之些 ,，-到abcAB")), max_size=60))
def test_number_spans_index_the_text_zh(text):
    previous_end = 0
    for n in numbers_of(_zh(text)):
        assert text[n.start:n.end] == n.text and n.start >= previous_end and n.end > n.start
        previous_end = n.end


@settings(deadline=None, max_examples=150)
@given(st.lists(st.sampled_from(list("0123456789.,- ") + ["one ", "a ", "few ", "years ", "to ", "once ", "May ", "x"]),
                max_size=30).map("".join))
def test_number_spans_index_the_text_en(text):
    for n in find_numbers(text, "en"):
        assert text[n.start:n.end] == n.text
    for n in numbers_of(_en(text)):
        assert text[n.start:n.end] == n.text


def test_finder_time_grows_linearly():
    """A 40,000-character line costs about four times a 10,000-character one (not sixteen): the
    count of steps is what is checked, not the clock, so the test holds on a loaded machine."""
    import bicorpus.annotation.numbers as numbers

    calls = Counter()
    original = numbers._in_name

    def counting(text, start):
        calls[len(text)] += 1
        return original(text, start)

    numbers._in_name = counting
    try:
        for size in (10_000, 40_000):
            text = ("约 12 亿参数，一些人，" * (size // 11 + 1))[:size]
            assert len(find_numbers(text, "zh")) > 0
    finally:
        numbers._in_name = original
    assert calls[40_000] <= 4.5 * calls[10_000]


def test_lexicon_entries_are_whole_and_sorted():
    entries = hedge_lexicon()
    keys = [(e.language.value, e.hedge_class.value, e.cue) for e in entries]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    classes = Counter(e.hedge_class for e in entries)
    assert all(classes[c] > 0 for c in HedgeClass)
    for e in entries:
        assert e.cue.lower() in e.example.lower(), e  # every example uses its cue
        epistemic = e.hedge_class in (HedgeClass.BOOSTER, HedgeClass.PROBABLE, HedgeClass.POSSIBLE, HedgeClass.UNKNOWN)
        assert (e.cue_class is CueClass.EPISTEMIC) == epistemic


def test_hedge_level_takes_the_weakest_commitment():
    assert hedge_level([HedgeClass.BOOSTER, HedgeClass.PROBABLE]) is HedgeLevel.PROBABLE
    assert hedge_level([HedgeClass.PROBABLE, HedgeClass.POSSIBLE]) is HedgeLevel.POSSIBLE
    assert hedge_level([HedgeClass.ATTRIBUTION]) is HedgeLevel.CERTAIN
    assert hedge_level([HedgeClass.UNKNOWN]) is HedgeLevel.UNKNOWN


def test_clauses_cut_at_connectives_and_semicolons():
    text = "模型变大了，但效果没有变好；成本也更高。"
    assert [text[a:b] for a, b in clauses(text, Language.ZH)] == ["模型变大了", "但效果没有变好", "成本也更高"]
    text = "The model grew, but it did not improve."
    assert [text[a:b] for a, b in clauses(text, Language.EN)] == ["The model grew", "but it did not improve"]
    assert clauses("一句话。", Language.ZH) == [(0, 4)]


def test_a_name_on_one_side_is_linked_on_the_other():
    # A single capitalized word opening an English sentence is no name without evidence; the
    # Chinese side, where Latin script stands out, supplies it.
    zh = InputSentence("t/zh-p000-s00", Language.ZH, "Debian 被选中了。")
    en = InputSentence("t/en-p000-s00", Language.EN, "Debian was chosen.")
    alone = extract([en], Extras())
    assert not [p for p in alone if p.layer is Layer.ENTITY]
    spans = extract([zh, en], Extras(), pairs={zh.id: [en.id], en.id: [zh.id]})
    entities = {(p.sentence_id, p.text): p.entity_id for p in spans if p.layer is Layer.ENTITY}
    assert entities == {(zh.id, "Debian"): "auto:debian", (en.id, "Debian"): "auto:debian"}


def test_link_across_gives_both_sides_one_id():
    from bicorpus.extraction.baseline import PredictedSpan

    zh = InputSentence("a/zh-p000-s00", Language.ZH, "我们用 APT 安装。")
    en = InputSentence("a/en-p000-s00", Language.EN, "we install with the APT tool")
    span = PredictedSpan(zh.id, Layer.ENTITY, 4, 7, "APT", "software", entity_id="auto:apt")
    linked = link_across([span], {zh.id: zh, en.id: en}, {zh.id: [en.id]})
    other = [p for p in linked if p.sentence_id == en.id]
    assert [(p.text, p.entity_id, en.text[p.start:p.end]) for p in other] == [("APT", "auto:apt", "APT")]


def test_report_separates_in_sample_from_out_of_sample(built):
    from bicorpus.extraction.open_rules import extract_document, extras_from

    predictions = extract_document(built, extras_from([built]))
    _, rows = report([(built, "train")], predictions, SystemCard("r", ("gpt4_article",)))
    assert {r[0] for r in rows} == {"gpt4_article (train, in-sample)", "split train", "in-sample"}
    _, rows = report([(built, "train")], predictions, SystemCard("r", ()))
    assert {r[0] for r in rows} == {"gpt4_article (train, out-of-sample)", "split train", "out-of-sample"}


def test_evaluate_needs_to_know_what_the_system_saw(root, tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    assert main(["extract", "--root", str(root), "--doc", "gpt4_article", "--out", str(pred)]) == 0
    (tmp_path / "pred.system.json").unlink()
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(pred)]) == 1
    assert "--seen" in capsys.readouterr().err
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(pred), "--seen", ""]) == 0
    assert "gpt4_article (train, out-of-sample)" in capsys.readouterr().out


def test_evaluate_refuses_predictions_that_match_no_sentence(root, tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"sentence_id": "elsewhere/zh-p000-s00", "layer": "entity", "start": 0, "end": 2,
                                "text": "谷歌", "label": "organization", "entity_id": None, "value": None, "low": None, "high": None}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(pred), "--seen", ""]) == 1
    assert "no prediction names a sentence" in capsys.readouterr().err


def test_train_command_trains_predicts_and_scores(root, tmp_path, capsys):
    model, pred = tmp_path / "model", tmp_path / "pred.jsonl"
    assert main(["train", "--root", str(root), "--out", str(model), "--epochs", "1", "--predict", str(pred)]) == 0
    assert (model / "zh" / "spans" / "config.cfg").is_file() and (model / "en" / "hedge" / "config.cfg").is_file()
    card = json.loads((model / "system.json").read_text())
    assert card["system"] == "spacy_spancat_textcat_v1" and "gpt4_article" in card["seen"]
    layers = Counter(json.loads(line)["layer"] for line in pred.read_text(encoding="utf-8").splitlines())
    assert layers["claim"] > 100  # every claim-bearing sentence's clauses get a hedge level
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(pred)]) == 0
    assert "gpt4_article (train, in-sample)" in capsys.readouterr().out


def test_no_lexical_one_on_any_document(root):
    """On every annotated document at hand (the fetched ones when their package is cached), a
    bare 一 that the rules keep as a number is a gold number: lexical 一 (一些, 第一, 之一, the
    indefinite 一个) never comes out."""
    from bicorpus.extraction.open_rules import Extras, extract_document
    from bicorpus.pipeline.annotated import annotated_documents

    documents = annotated_documents(root, root / ".cache" / "packages")
    assert documents
    for built, _ in documents:
        gold = {(m.sentence_id, m.sentence_start, m.sentence_end) for m in built.rows["mentions"] if m.layer is Layer.NUMBER}
        kept = [p for p in extract_document(built, Extras()) if p.layer is Layer.NUMBER and p.text == "一"]
        assert all((p.sentence_id, p.start, p.end) in gold for p in kept), (built.doc_id, kept)


def test_generated_docs_are_current(root):
    """docs/*.md derived from the schemas and the lexicon equal a fresh generation."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("write_docs", root / "scripts" / "write_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, generate in module.DOCS.items():
        assert (root / "docs" / name).read_text(encoding="utf-8") == generate(), f"run python scripts/write_docs.py ({name})"


def test_extract_and_evaluate_refuse_empty_inputs(root, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["extract", "--root", str(root), "--text", str(empty), "--lang", "zh", "--out", str(tmp_path / "p.jsonl")]) == 1
    assert "no text" in capsys.readouterr().err
    no_lines = tmp_path / "none.jsonl"
    no_lines.write_text("", encoding="utf-8")
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(no_lines), "--seen", ""]) == 0
    assert "no predictions in the file: every score is zero" in capsys.readouterr().err  # a warning: a system may predict nothing
