"""Every figure the README quotes is read from a results file that a benchmark writes; these
tests fail when a rerun moves a figure and the README was not updated."""

import json
import re

import pytest

from bicorpus.sources.capture import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_LINE_CHARS


@pytest.fixture(scope="module")
def readme(root) -> str:
    return re.sub(r"\s+", " ", (root / "README.md").read_text(encoding="utf-8"))


def summary(root) -> dict:
    return {row["group"]: row for row in json.loads((root / "benchmarks/results/align.json").read_text())["summary"]}


def pooled(groups: list[dict], key: str) -> str:
    """The mean over the cases of several groups, as the README writes it."""
    cases = sum(g["cases"] for g in groups)
    return f"{sum(g[key] * g['cases'] for g in groups) / cases:.3f}"


def test_the_aligner_figures_are_those_of_the_benchmark(root, readme):
    rows = summary(root)
    for kind in ("plain", "perturbed"):
        groups = [rows[f"book chapters (development), {kind}"], rows[f"book chapters (test), {kind}"]]
        figures = f"{pooled(groups, 'bicorpus_mean')} / {pooled(groups, 'gale_church_mean')}"
        assert figures in readme, (kind, figures)
    plain = [rows["book chapters (development), plain"], rows["book chapters (test), plain"]]
    assert f"{sum(g['cases'] for g in plain)} chapters of two Debian books" in readme
    test = rows["book chapters (test), perturbed"]
    assert f"never used to set costs: {test['bicorpus_mean']:.3f} / {test['gale_church_mean']:.3f}" in readme


def test_the_scale_time_is_that_of_the_benchmark(root, readme):
    cases = json.loads((root / "benchmarks/results/align.json").read_text())["cases"]
    scale = next(c for c in cases if c["group"] == "scale")
    sentence = f"{scale['zh_units']:,} × {scale['en_units']:,} paragraphs in about {round(scale['bicorpus']['seconds'])} s"
    assert sentence in readme


def test_the_claim_count_is_that_of_the_corpus_figures(root, readme):
    corpus = json.loads((root / "benchmarks/results/corpus.json").read_text())
    claims = next(d["claims"] for d in corpus["documents"] if d["document"] == "gpt4_article")
    assert f"({claims} claims)" in readme


def test_the_input_limits_are_those_of_the_code(readme):
    assert f"a file over {DEFAULT_MAX_FILE_MB} MB or a line over {DEFAULT_MAX_LINE_CHARS:,} characters" in readme


def test_no_figure_without_a_results_file(readme):
    """The figures that once drifted (a training time, a trained model's F1, a download size) are
    not quoted unless a results file records them."""
    assert not re.search(r"about \d+ (seconds|MB)|exact F1 0\.\d+", readme)
