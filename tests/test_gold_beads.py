import pytest
from hypothesis import given, strategies as st

from bicorpus.alignment.gold_beads import coverage_problems, format_beads, parse_beads, sentence_bead_problems
from bicorpus.sources.capture import SourceFile
from bicorpus.problems import CorpusError
from bicorpus.schema import Bead


@st.composite
def bead_lists(draw):
    beads, zh, en = [], 0, 0
    for shape in draw(st.lists(st.sampled_from([(1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)]), max_size=20)):
        beads.append(Bead(tuple(range(zh, zh + shape[0])), tuple(range(en, en + shape[1]))))
        zh, en = zh + shape[0], en + shape[1]
    return beads, zh, en


@given(bead_lists())
def test_format_then_parse_is_identity_and_covers(case):
    beads, n_zh, n_en = case
    text = format_beads(beads)
    assert parse_beads(SourceFile("gold.align", text)) == beads
    assert coverage_problems(beads, n_zh, n_en, "gold.align", "sentence") == []


def test_vecalign_style_lines():
    beads = parse_beads(SourceFile("g", "[0]:[0]\n[1, 2]:[1]\n[]:[2]\n[3]:[]\n"))
    assert [b.bead_type.value for b in beads] == ["1-1", "2-1", "0-1", "1-0"]


def test_bad_line_names_file_and_line():
    with pytest.raises(CorpusError, match=r"g.align:2: bead: expected '\[zh indices\]:\[en indices\]'"):
        parse_beads(SourceFile("g.align", "[0]:[0]\n0:0\n"))


@pytest.mark.parametrize("beads, message", [
    ([Bead((0,), (0,)), Bead((2,), (1,))], "g:2: zh: expected sentence 1, found 2"),
    ([Bead((0,), (0,)), Bead((0,), (1,))], "g:2: zh: expected sentence 1, found 0"),
    ([Bead((0,), (0,))], "g:2: zh: the beads cover 1 zh sentences, the document has 2"),
    ([Bead((), ()), Bead((0, 1), (0, 1))], "g:1: bead: a bead needs at least one unit"),
    ([Bead((0, 1), (0, 1, 2))], "bead type 2-3 is not allowed"),
])
def test_coverage_problems(beads, message):
    problems = coverage_problems(beads, 2, len({i for b in beads for i in b.en}) or 2, "g", "sentence")
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_sentence_bead_may_not_cross_paragraph_beads():
    paragraphs = [Bead((0,), (0,)), Bead((1,), (1,))]
    sentences = [Bead((0, 1), (0, 1))]
    problems = sentence_bead_problems(sentences, paragraphs, [0, 1], [0, 1], "s.align")
    assert [str(p) for p in problems] == ["s.align:1: bead: sentences from different paragraph beads (0, 1) in one sentence bead"]


def test_gold_files_are_complete(built):
    assert len(built.paragraph_beads) == len(built.zh.paragraphs) == len(built.en.paragraphs) == 54
    assert len(built.sentence_beads) == len(built.zh.sentences) == 114
    assert len(built.en.sentences) == 115
