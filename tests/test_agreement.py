"""The agreement benchmark (benchmarks/agreement.py): its text helpers, its results against a fresh
computation, and the card quoting those results rather than its own figures."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
agreement = pytest.importorskip("agreement")


def test_offsets_move_through_an_inserted_word():
    old, new = "GPT-4, possibly around July.", "GPT-4, more precisely, possibly around July."
    move = agreement.moved_offsets(old, new)
    start, end = old.index("possibly around July"), old.index("possibly around July") + len("possibly around July")
    assert new[slice(*move(start, end))] == "possibly around July"
    assert new[slice(*move(0, len(old)))] == new  # a span over the revision widens with it


def test_a_span_ending_in_a_replaced_stretch_is_refused():
    move = agreement.moved_offsets("it would be about ten", "it then amounts to about ten")
    with pytest.raises(ValueError, match="revised stretch"):
        move(3, 8)  # 'would' was replaced


@pytest.mark.parametrize("text, surface, occurrence, expected", [
    ("GPT-2 距离最初 GPT 研究", "GPT", 1, (0, 3)),
    ("GPT-2 距离最初 GPT 研究", "GPT", 2, (11, 14)),  # the second pass counts plain substrings
])
def test_locate_takes_the_nth_occurrence(text, surface, occurrence, expected):
    assert agreement.locate(text, surface, occurrence) == expected


def test_locate_names_a_missing_surface():
    with pytest.raises(ValueError, match="occurrence 3"):
        agreement.locate("GPT GPT", "GPT", 3)


@pytest.mark.parametrize("text, expected", [
    ("而 GPT-2 也是相隔一年。", "GPT-2 也是相隔一年"),
    ("However, the advantages diminish.", "the advantages diminish"),
    ("但值得注意的是,MT-NLG 之后", "值得注意的是,MT-NLG 之后"),  # only listed connectives go
    ("反而是 Gopher", "反而是 Gopher"),  # a connective that carries meaning stays
])
def test_edges_forgiven(text, expected):
    span = agreement.ClaimSpan("s", 0, len(text), "claim", {})
    _, start, end = agreement.trimmed(span, text)
    assert text[start:end] == expected


def test_committed_results_equal_a_fresh_computation():
    committed = json.loads((ROOT / "benchmarks" / "results" / "agreement.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(agreement.compute())), "rerun python benchmarks/agreement.py"


def test_the_card_quotes_the_results_file():
    result = json.loads((ROOT / "benchmarks" / "results" / "agreement.json").read_text(encoding="utf-8"))
    card = (ROOT / "loaders" / "gpt4_article" / "README.md").read_text(encoding="utf-8")
    before = result["before_adjudication"]
    for name, value in before["claims"]["labels"].items():
        assert f"| kappa, {name.replace('_', ' ')} | {value['kappa']:.3f} | {value['n']} |" in card
    assert f"seed {result['sample']['seed']}" in card and all(b.split("/")[-1] in card for b in result["sample"]["beads"])
