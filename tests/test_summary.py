"""Document summaries and their cache entries (pipeline/summary.py), the per-document parse
into the card's features (data_checks.arrow_problems), and the build's streaming open of a
loader (publishing/loader.open_all)."""

from __future__ import annotations

import dataclasses

import pytest

from bicorpus.pipeline.collection import single
from bicorpus.pipeline.data_checks import arrow_problems
from bicorpus.pipeline.incremental import build_document
from bicorpus.pipeline.summary import ENTRY_MAGIC, data_part, read_entry, summarize, write_entry
from bicorpus.problems import CorpusError
from bicorpus.publishing.loader import open_all
from bicorpus.publishing.render import render_loader, write_loader
from bicorpus.schema import Language, all_configs


def test_an_entry_gives_back_the_summary_and_every_part_of_the_payload(built, tmp_path):
    summary = summarize(built)
    stored = write_entry(tmp_path / "e.entry", summary)
    again = read_entry(tmp_path / "e.entry")
    assert again == summary and stored == summary  # the payload is left out of the comparison
    for name in summary.payload.names():
        assert again.payload.read(name) == summary.payload.read(name)
    assert again.data_of("claims") == built.data["claims"]
    assert again.source_text(Language.ZH) == built.sources.sides[Language.ZH][0].text
    assert again.payload.parts is None  # read from the file when asked, not held


@pytest.mark.parametrize("keep", [-10, len(ENTRY_MAGIC) + 3, len(ENTRY_MAGIC) + 8 + 5])
def test_a_cut_short_entry_is_refused(built, tmp_path, keep):
    path = tmp_path / "e.entry"
    write_entry(path, summarize(built))
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(ValueError, match="cut short"):
        read_entry(path)


def test_a_foreign_file_is_no_entry(built, tmp_path):
    path = tmp_path / "e.entry"
    write_entry(path, summarize(built))
    path.write_bytes(b"not an entry" + path.read_bytes())
    with pytest.raises(ValueError, match="not a cache entry"):
        read_entry(path)


def test_a_part_damaged_inside_is_named_removed_and_never_copied(built, tmp_path):
    path = tmp_path / "e.entry"
    summary = write_entry(path, summarize(built))
    offset, length, _ = summary.payload.index[data_part("claims")]
    data = bytearray(path.read_bytes())
    data[offset + length // 2] ^= 0xFF  # one byte flipped: same size, so only the checksum can tell
    path.write_bytes(bytes(data))
    damaged = read_entry(path)
    assert damaged.data_of("sentences") == built.data["sentences"]  # the other parts still read
    with pytest.raises(CorpusError) as raised:
        damaged.data_of("claims")
    (problem,) = raised.value.problems
    assert problem.field == data_part("claims") and "checksum" in problem.message and "run the command again" in problem.message
    assert not path.exists()


def test_a_damaged_cache_entry_is_built_again(root, tmp_path, monkeypatch):
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    first, problems, cached = build_document(root / "corpus", root / "annotations", "gpt4_article", cache_dir=cache)
    assert not problems and not cached
    entry = next(cache.rglob("*.entry"))
    entry.write_bytes(entry.read_bytes()[:100])
    again, _, cached = build_document(root / "corpus", root / "annotations", "gpt4_article", cache_dir=cache)
    assert not cached and again == first
    assert again.data_of("sentences") == first.data_of("sentences")
    _, _, cached = build_document(root / "corpus", root / "annotations", "gpt4_article", cache_dir=cache)
    assert cached


def test_the_loader_of_a_summary_read_from_its_entry_is_the_loader_of_the_built_document(built, tmp_path):
    stored = write_entry(tmp_path / "e.entry", summarize(built))
    assert render_loader(single(read_entry(tmp_path / "e.entry"))) == render_loader(built)
    assert render_loader(single(stored)) == render_loader(built)


def test_the_summary_counts_what_the_rows_hold(built):
    summary = summarize(built)
    assert summary.counts == {config: len(rows) for config, rows in built.rows.items()}
    zh = [p for p in built.rows["paragraphs"] if p.language is Language.ZH]
    assert summary.tally["paragraphs", "zh"] == len(zh)
    assert summary.tally["characters", "zh"] == sum(len(p.text) for p in zh)
    assert sum(v for k, v in summary.tally.items() if k[0] == "claim_type") == len(built.rows["claims"])


@pytest.mark.parametrize("config", ["paragraphs", "sentences", "claims", "mentions", "translation"])
def test_each_documents_lines_parse_with_the_cards_features(built, config):
    assert arrow_problems("x", built.data[config], all_configs()[config][0]) == []


def test_a_line_that_does_not_fit_the_features_is_one_named_problem(built):
    row_type = all_configs()["paragraphs"][0]
    lines = built.data["paragraphs"].split(b"\n")
    wrong_type = b"\n".join([lines[0], lines[1].replace(b'"index": 1,', b'"index": "one",', 1), *lines[2:]])
    extra_column = built.data["paragraphs"].replace(b'"index": 0,', b'"index": 0, "surplus": 1,', 1)
    for data in (wrong_type, extra_column):
        (problem,) = arrow_problems("rows of gpt4_article in config paragraphs", data, row_type)
        assert problem.file == "rows of gpt4_article in config paragraphs"
        assert "does not load with the card's features" in problem.message and "\n" not in problem.message


def test_opening_a_loader_needs_the_splits_the_build_wrote_and_a_first_row_that_loads(built, tmp_path):
    collection = single(built)
    write_loader(collection, tmp_path)
    counts = {config: {"train": collection.count(config)} for config in collection.configs}
    opened = open_all(tmp_path, counts)
    assert opened["claims"].column_names == tuple(f.name for f in dataclasses.fields(all_configs()["claims"][0]))
    with pytest.raises(CorpusError, match="splits"):
        open_all(tmp_path, {"claims": {"train": 1, "test": 1}})
    claims = tmp_path / "data" / "claims.jsonl"
    claims.write_bytes(b'{"id": 1, "surplus": true}\n' + claims.read_bytes())
    with pytest.raises(CorpusError) as raised:
        open_all(tmp_path, {"claims": {"train": 1}})
    (problem,) = raised.value.problems
    assert problem.field == "claims" and "load_dataset fails" in problem.message and "\n" not in problem.message


def test_streamed_data_files_are_the_documents_lines_in_order(built):
    first = summarize(built)
    other = dataclasses.replace(first, doc_id="other", payload=dataclasses.replace(
        first.payload, parts={**first.payload.parts, data_part("claims"): b"other lines\n"}))
    collection = dataclasses.replace(single(built), documents=(first, other))
    assert list(collection.data_chunks("claims", "train")) == [built.data["claims"], b"other lines\n"]
    assert collection.count("claims") == 2 * len(built.rows["claims"])
    assert collection.count("entities") == len(built.rows["entities"])  # the inventory is shared: each entity once
