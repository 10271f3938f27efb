"""The baseline extractor on text written for these tests, and the scorer on known answers."""

import json

import pytest

from bicorpus.cli import main
from bicorpus.extraction.baseline import extract, hedge_of, sentences_of_text
from bicorpus.extraction.evaluate import GoldSpan, cohen_kappa, match, score
from bicorpus.schema import Language, Layer


@pytest.fixture(scope="module")
def lexicon(annotations):
    return list(annotations.cue_lexicon)


@pytest.fixture(scope="module")
def entities(annotations):
    return list(annotations.entities)


ZH_TEXT = "谷歌可能会在明年发布一个约 5000 亿参数的新模型,规模是 PaLM 的 2 倍左右。\n下面来看具体细节。\nOpenAI 肯定不会公布 GPT-5 的参数量吗？\n"
EN_TEXT = "Google may release a new model with about 500 billion parameters next year, roughly twice the size of PaLM.\nLet us look at the details.\nWill OpenAI publish it?\n"


def by_layer(preds, layer):
    return [p for p in preds if p.layer is layer]


def test_extracts_from_chinese_text_it_has_never_seen(entities, lexicon):
    preds = extract(sentences_of_text(ZH_TEXT, Language.ZH), entities, lexicon)
    assert {(p.text, p.entity_id) for p in by_layer(preds, Layer.ENTITY)} >= {("谷歌", "org:google"), ("PaLM", "model:palm"), ("OpenAI", "org:openai")}
    numbers = {p.text: (p.value, p.label) for p in by_layer(preds, Layer.NUMBER)}
    assert numbers["约 5000 亿"] == (5e11, "parameters")
    assert numbers["2 倍左右"] == (2, "multiplier")
    claims = by_layer(preds, Layer.CLAIM)
    # the transition and the question are not claims; the first sentence is, hedged by 可能
    assert [(c.sentence_id, c.label) for c in claims] == [("input/zh-p000-s00", "possible")]


def test_extracts_from_english_text_it_has_never_seen(entities, lexicon):
    preds = extract(sentences_of_text(EN_TEXT, Language.EN), entities, lexicon)
    numbers = {p.text: (p.value, p.label) for p in by_layer(preds, Layer.NUMBER)}
    assert numbers["about 500 billion"] == (5e11, "parameters")
    assert numbers["roughly twice"] == (2, "multiplier")
    assert {p.text for p in by_layer(preds, Layer.CUE)} >= {"may", "about"}
    assert [c.label for c in by_layer(preds, Layer.CLAIM)] == ["possible"]


@pytest.mark.parametrize("cues, level", [((), "certain"), (("肯定",), "certain"), (("应该",), "probable"),
                                         (("可能", "应该"), "possible"), (("said",), "certain"), (("I think",), "probable")])
def test_hedge_of_cues(annotations, cues, level):
    table = {e.cue: e for e in annotations.cue_lexicon}
    assert hedge_of(cues, table).value == level


@pytest.mark.parametrize("pairs, kappa", [
    ([("a", "a"), ("b", "b")], 1.0),
    ([("a", "b"), ("b", "a")], -1.0),
    ([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")], 0.0),  # agreement at chance
    ([], 0.0),
])
def test_cohen_kappa(pairs, kappa):
    assert cohen_kappa(pairs) == kappa


def test_overlap_matching_is_one_to_one():
    gold = [GoldSpan("s", Layer.ENTITY, 0, 5, "x"), GoldSpan("s", Layer.ENTITY, 6, 9, "x")]
    pred = [GoldSpan("s", Layer.ENTITY, 0, 9, "x")]
    assert len(match(gold, pred, overlap=True)) == 1 and match(gold, pred, overlap=False) == []


def test_gold_scored_against_itself_is_perfect(built):
    from bicorpus.extraction.evaluate import gold_spans
    from bicorpus.extraction.baseline import PredictedSpan

    gold = gold_spans(built)
    as_pred = [PredictedSpan(g.sentence_id, g.layer, g.start, g.end, "", g.hedge or g.label, g.entity_id, g.value, g.low, g.high)
               for g in gold]
    ids = {lang: [s.id for s in built.rows["sentences"] if s.language.value == lang] for lang in ("zh", "en")}
    result = score(gold, as_pred, ids)
    for lang in ("zh", "en"):
        for layer in ("entity", "number", "cue"):
            assert result[lang][layer]["exact"]["f1"] == 1.0
        assert result[lang]["number"]["value_accuracy"]["accuracy"] == 1.0
        assert result[lang]["entity"]["linking_accuracy"]["accuracy"] == 1.0


def test_extract_and_evaluate_commands(root, tmp_path, capsys):
    pred, scores = tmp_path / "pred.jsonl", tmp_path / "scores.json"
    assert main(["extract", "--root", str(root), "--doc", "gpt4_article", "--out", str(pred)]) == 0
    card = json.loads((tmp_path / "pred.system.json").read_text())
    assert card["system"] == "open_rules_v2" and "gpt4_article" in card["seen"]
    assert main(["evaluate", "--root", str(root), "--doc", "gpt4_article", "--pred", str(pred), "--json", str(scores)]) == 0
    table = capsys.readouterr().out
    assert "gpt4_article (train, in-sample)" in table and "kappa" in table
    result = json.loads(scores.read_text())
    f1 = result["documents"]["gpt4_article"]["scores"]["zh"]["entity"]["exact"]["f1"]
    assert 0.8 < f1 < 1.0  # rules, not the gold


def test_extract_on_a_text_file(root, tmp_path):
    text = tmp_path / "note.txt"
    text.write_text(EN_TEXT, encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["extract", "--root", str(root), "--doc", "gpt4_article", "--text", str(text), "--lang", "en", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert any(r["layer"] == "claim" and r["sentence_id"] == "note/en-p000-s00" for r in rows)
