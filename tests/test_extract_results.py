"""The extraction figures the dataset cards quote come from benchmarks/results/extract.json:
the file must be current (its inputs digest), must hold what the rules give today, and a
card must stop quoting it the moment it is not current."""

import json

import pytest

from bicorpus.extraction import protocol
from bicorpus.extraction.open_rules import RULES, extract_document, extras_from
from bicorpus.pipeline.annotated import annotated_documents
from bicorpus.pipeline.collection import single
from bicorpus.publishing.card import baseline_section
from bicorpus.sources.capture import list_documents, parse_metadata, read_source


def committed(root) -> dict:
    return json.loads((root / protocol.RESULTS_FILE).read_text(encoding="utf-8"))


def annotated_ids(root) -> set[str]:
    corpus = root / "corpus"
    return {doc for doc in list_documents(corpus) if parse_metadata(read_source(corpus / doc / "document.yaml"))[0].claims == "annotated"}


def test_results_cover_every_annotated_document_and_are_current(root):
    result = committed(root)
    assert set(result["documents"]) == annotated_ids(root)
    assert result["not_fetched"] == []
    assert result["inputs_sha256"] == protocol.results_inputs_sha256(root, list(result["documents"])), \
        "annotations, texts or code changed since benchmarks/results/extract.json: run python benchmarks/extract_benchmark.py"


def test_results_digest_changes_with_an_annotation(root, project_copy):
    docs = list(committed(root)["documents"])
    before = protocol.results_inputs_sha256(project_copy, docs)
    path = project_copy / "annotations" / "gpt4_article" / "claims.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"hedge": "possible"', '"hedge": "probable"', 1), encoding="utf-8")
    assert protocol.results_inputs_sha256(project_copy, docs) != before


def test_rules_figures_are_what_the_rules_give_today(root):
    skipped: list = []
    documents = annotated_documents(root, root / ".cache" / "packages", skipped=skipped)
    if skipped:
        pytest.skip(f"package not fetched for {', '.join(skipped)} (test_debian_handbook fetches it)")
    seen = [b for b, split in documents if split == "train"]
    extras = extras_from(seen)
    predictions = [p for built, _ in documents for p in extract_document(built, extras)]
    fresh, _ = protocol.report(documents, predictions, protocol.SystemCard(RULES, tuple(sorted(b.doc_id for b in seen))))
    assert json.loads(json.dumps(fresh)) == committed(root)["protocols"]["splits"]["systems"][RULES]


def test_card_quotes_the_results_only_while_they_are_current(root, built, monkeypatch):
    section = baseline_section(single(built))
    entry = committed(root)
    kappa = entry["protocols"]["splits"]["systems"][RULES]["documents"]["gpt4_article"]["scores"]["zh"]["claim"]["hedge"]["kappa"]
    assert "| gpt4_article (train, in-sample) | 1 | zh | claim |" in section and f"kappa {kappa:.3f}" in section
    monkeypatch.setattr(protocol, "results_inputs_sha256", lambda root, docs: "0" * 64)
    stale = baseline_section(single(built))
    assert "not quoted" in stale and "gpt4_article (train" not in stale
