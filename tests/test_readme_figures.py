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


def mean(row: dict, system: str) -> str:
    return f"{row[f'{system}_mean']:.3f}"


def test_the_aligner_figures_are_those_of_the_benchmark(root, readme):
    rows = summary(root)
    plain, perturbed = rows["book chapters (test), plain"], rows["book chapters (test), perturbed"]
    merges, runs = rows["book chapters (test), heavy merges"], rows["book chapters (test), long inserted runs"]
    sentences = rows["handbook sentences (test), inside reviewed paragraph beads"]
    expected = [
        f"never used to set costs, {mean(plain, 'bicorpus')} / {mean(plain, 'gale_church')}",
        f"drops and insertions {mean(perturbed, 'bicorpus')} / {mean(perturbed, 'gale_church')}",
        f"merged {mean(merges, 'bicorpus')} / {mean(merges, 'gale_church')} (sentalign {mean(merges, 'sentalign')}; "
        f"ours behind it in {merges['behind']} of {merges['cases']} cases, lowest case {merges['bicorpus_min']:.3f})",
        f"inserted {mean(runs, 'bicorpus')} / {mean(runs, 'gale_church')}",
        f"paragraph beads: {mean(sentences, 'bicorpus')} / {mean(sentences, 'gale_church')}",
    ]
    for figure in expected:
        assert figure in readme, figure


def test_the_scale_rows_are_those_of_the_benchmark(root, readme):
    scale = json.loads((root / "benchmarks/results/align.json").read_text())["scale"]
    assert scale
    for row in scale:
        sentence = f"{row['zh_units']:,} × {row['en_units']:,} units in {row['seconds']:.1f} s, peak {row['peak_rss_mb']} MB"
        assert sentence in readme, sentence
    doublings = json.loads((root / "benchmarks/results/align.json").read_text())["scale_doublings"]
    walls = [f"{d['wall']:.2f}" for d in doublings]
    sentence = f"the wall time grew {', '.join(walls[:-1])} and {walls[-1]} times"
    assert sentence in readme, sentence
    controls = [f"{d['control_wall']:.2f}" for d in doublings]
    sentence = f"linear by construction, timed in the same runs, {', '.join(controls[:-1])} and {controls[-1]} times"
    assert sentence in readme, sentence


def test_the_counted_work_is_that_of_its_results_file(root, readme):
    work = json.loads((root / "benchmarks/results/align_work.json").read_text())
    ratios = [f"{d['instructions']:.3f}" for d in work["doublings"]]
    sentence = f"the instructions the alignment executes grew {', '.join(ratios[:-1])} and {ratios[-1]} times per doubling"
    assert sentence in readme, sentence


def test_the_claim_count_is_that_of_the_corpus_figures(root, readme):
    corpus = json.loads((root / "benchmarks/results/corpus.json").read_text())
    claims = next(d["claims"] for d in corpus["documents"] if d["document"] == "gpt4_article")
    assert f"({claims} claims)" in readme


def test_the_cache_size_is_that_of_the_code(readme):
    from bicorpus.pipeline.incremental import KEEP_ENTRIES

    assert f"Each document keeps the {KEEP_ENTRIES} entries it used last" in readme


def test_the_input_limits_are_those_of_the_code(readme):
    assert f"a file over {DEFAULT_MAX_FILE_MB} MB or a line over {DEFAULT_MAX_LINE_CHARS:,} characters" in readme


def test_no_figure_without_a_results_file(readme):
    """The figures that once drifted (a training time, a trained model's F1, a download size) are
    not quoted unless a results file records them."""
    assert not re.search(r"about \d+ (seconds|MB)|exact F1 0\.\d+", readme)
