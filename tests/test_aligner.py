"""bicorpus align: coverage on any input, the corpus' gold, perturbations, and the CLI."""


import pytest
from hypothesis import given, settings, strategies as st

from bicorpus.align import coverage_problems
from bicorpus.aligner import align
from bicorpus.cli import main


def covers(beads, n, m):
    return coverage_problems([b.as_bead() for b in beads], n, m, "x", "line") == []


@pytest.mark.parametrize("zh, en", [
    ([], []), (["只有一行。"], []), ([], ["Only one line."]), (["一行。"], ["One line."]),
    (["。。。", "!!!"], ["...", "?"]),  # lines with only punctuation
    (["短。"] * 30, ["Short."] * 2),  # very unequal lengths
    (["", "有空行", ""], ["", "blank lines", ""]),
])
def test_every_input_is_covered_exactly_once(zh, en):
    beads = align(zh, en)
    assert covers(beads, len(zh), len(en))
    assert all(len(b.zh) <= 2 and len(b.en) <= 2 for b in beads)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=25), st.lists(st.text(max_size=30), max_size=25))
def test_property_coverage(zh, en):
    zh = [z.replace("\n", " ") for z in zh]
    en = [e.replace("\n", " ") for e in en]
    assert covers(align(zh, en), len(zh), len(en))


def texts(built, config, lang):
    return [r.text for r in built.rows[config] if r.language.value == lang]


def test_recovers_the_gold_alignments(built):
    paragraphs = align(texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en"))
    assert [b.as_bead() for b in paragraphs] == list(built.paragraph_beads)
    sentences = align(texts(built, "sentences", "zh"), texts(built, "sentences", "en"))
    assert [b.as_bead() for b in sentences] == list(built.sentence_beads)


def test_untranslated_english_paragraph_becomes_a_0_1_bead(built):
    zh, en = texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en")
    added = "An extra paragraph with DALL·E, 2019 and 42 billion parameters that the Chinese never had."
    en2 = en[:30] + [added] + en[30:]
    beads = [(b.zh, b.en) for b in align(zh, en2)]
    assert ((), (30,)) in beads


def test_merged_and_split_paragraphs(built):
    zh, en = texts(built, "paragraphs", "zh"), texts(built, "paragraphs", "en")
    merged = en[:12] + [en[12] + " " + en[13]] + en[14:]  # 12 and 13 both carry names and numbers
    beads = [(b.zh, b.en) for b in align(zh, merged)]
    assert ((12, 13), (12,)) in beads


def test_cli_align_and_scores(tmp_path, capsys):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("GPT-3 有 1750 亿参数。\n这是第二段。\n", encoding="utf-8")
    en.write_text("GPT-3 has 175 billion parameters.\nThis is the second paragraph.\n", encoding="utf-8")
    assert main(["align", str(zh), str(en), "--scores"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["[0]:[0]", "[1]:[1]"]
    assert all(len(line.split("\t")) == 2 for line in lines)


def test_cli_reports_a_missing_file(tmp_path, capsys):
    assert main(["align", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt")]) == 1
    assert "nope.txt: file is missing" in capsys.readouterr().err


def test_score_alignment_known_answers():
    from bicorpus.aligner import score_alignment
    from bicorpus.schema import Bead

    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,))]
    assert score_alignment(gold, gold)["f1_strict"] == 1.0
    test = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    s = score_alignment(gold, test)
    # precision: (0)-(0) strict; (1)-(1) lax (zh 1 is aligned to en 1 in the gold); (2)-(2) neither (gold: zh 2 -> en 1)
    assert (s["precision_strict"], s["precision_lax"]) == (round(1 / 3, 4), round(2 / 3, 4))
    # recall ignores the gold 0-1 bead: (0)-(0) strict, (1,2)-(1) lax
    assert (s["recall_strict"], s["recall_lax"]) == (0.5, 1.0)
