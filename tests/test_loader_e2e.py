"""End to end: build into a temporary folder with the real CLI, then load every config with
`datasets.load_dataset`, offline and with a fresh cache."""

import json
import re

import datasets
import pytest

from bicorpus.cli import main
from bicorpus.schema import CONFIGS


@pytest.fixture(scope="module")
def loaded_committed(root, tmp_path_factory):
    cache = tmp_path_factory.mktemp("hf-cache")
    return {name: datasets.load_dataset(str(root / "loaders" / "gpt4_article"), name, split="train", cache_dir=str(cache))
            for name in CONFIGS}


def test_default_config_is_paragraphs(root, tmp_path):
    dataset = datasets.load_dataset(str(root / "loaders" / "gpt4_article"), split="train", cache_dir=str(tmp_path))
    assert dataset.column_names[:3] == ["id", "doc_id", "language"] and dataset.num_rows == 108


def test_features_are_typed(loaded_committed):
    paragraphs = loaded_committed["paragraphs"].features
    assert isinstance(paragraphs["language"], datasets.ClassLabel) and paragraphs["language"].names == ["zh", "en"]
    assert isinstance(paragraphs["kind"], datasets.ClassLabel)
    assert paragraphs["start"].dtype == "int32"
    translation = loaded_committed["translation"].features["translation"]
    assert isinstance(translation, datasets.Translation) and translation.languages == ["en", "zh"]


def test_every_span_indexes_its_text(loaded_committed):
    doc = loaded_committed["documents"][0]
    texts = {0: doc["zh_text"], 1: doc["en_text"]}  # ClassLabel ids of zh, en
    for name in ("paragraphs", "sentences"):
        for row in loaded_committed[name]:
            assert texts[row["language"]][row["start"]:row["end"]] == row["text"]
            for token, start, end in zip(row.get("tokens", []), row.get("token_starts", []), row.get("token_ends", [])):
                assert row["text"][start:end] == token


def _as_written(value, feature):
    """A loaded value as the data file writes it: class labels by name, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, dict):
        return {k: _as_written(value[k], f) for k, f in feature.items()}
    if isinstance(feature, datasets.List):
        return [_as_written(v, feature.feature) for v in value]
    if isinstance(feature, datasets.Value) and feature.dtype == "date32":
        return value.isoformat()
    return value


def test_every_loaded_row_equals_the_committed_record(root, loaded_committed):
    """What `load_dataset` gives back is what the data files hold, field by field (pyarrow's JSON
    reader took the dates for timestamps, and the string features read them back with a time)."""
    for name, dataset in loaded_committed.items():
        written = [json.loads(line) for line in (root / "loaders" / "gpt4_article" / "data" / f"{name}.jsonl").open(encoding="utf-8")]
        loaded = [_as_written(row, dict(dataset.features)) for row in dataset]
        assert len(loaded) == len(written), name
        for number, (got, expected) in enumerate(zip(loaded, written), start=1):
            assert got == expected, f"{name}.jsonl line {number}"


def test_translation_rows_feed_mt_scripts(loaded_committed):
    first = loaded_committed["translation"][0]["translation"]
    assert set(first) == {"en", "zh"} and first["zh"].startswith("GPT-4 即将亮相")


def test_build_into_temporary_folder_and_load(demo_project, tmp_path, capsys):
    out = tmp_path / "loaders"
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "demo_article zh capture.txt sha256" in printed and "spacy" in printed and "pyarrow" in printed
    assert re.search(r"(?m)^paragraphs +10  id, doc_id,", printed)
    for name in CONFIGS:
        dataset = datasets.load_dataset(str(out / "demo_article"), name, split="train", cache_dir=str(tmp_path / "cache"))
        assert dataset.num_rows > 0
    # a second build changes no byte
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    assert before == {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_stale_cache_cannot_serve_old_rows(demo_project, tmp_path):
    """num_examples in the card's YAML makes datasets notice changed data in a reused cache."""
    out, cache = tmp_path / "loaders", str(tmp_path / "cache")
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    first = datasets.load_dataset(str(out / "demo_article"), "sentences", split="train", cache_dir=cache)
    en = demo_project / "corpus" / "demo_article" / "en.txt"
    en.write_text(en.read_text(encoding="utf-8").replace("It is not real news.", "It is not real news. Really."), encoding="utf-8")
    align = demo_project / "annotations" / "demo_article" / "sentences.align"
    align.write_text(align.read_text().replace("[2]:[2]\n", "[2]:[2, 3]\n").replace("[3]:[3]\n[4]:[4]\n[5]:[5]\n[6]:[6]\n[7]:[7]\n",
                                                                                      "[3]:[4]\n[4]:[5]\n[5]:[6]\n[6]:[7]\n[7]:[8]\n"))
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    second = datasets.load_dataset(str(out / "demo_article"), "sentences", split="train", cache_dir=cache)
    assert (first.num_rows, second.num_rows) == (16, 17)


def test_changed_content_with_the_same_row_count_is_not_served_from_cache(demo_project, tmp_path):
    """datasets keys a local folder's cache on the card's YAML only; the data checksum in
    each config's description makes any content change a cache miss."""
    out, cache = tmp_path / "loaders", str(tmp_path / "cache")
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    first = datasets.load_dataset(str(out / "demo_article"), "sentences", split="train", cache_dir=cache)
    en = demo_project / "corpus" / "demo_article" / "en.txt"
    en.write_text(en.read_text(encoding="utf-8").replace("real news", "true news"), encoding="utf-8")
    assert main(["build", "--root", str(demo_project), "--out", str(out), "--quiet"]) == 0
    second = datasets.load_dataset(str(out / "demo_article"), "sentences", split="train", cache_dir=cache)
    assert first.num_rows == second.num_rows
    assert "It is not real news." in first["text"] and "It is not true news." in second["text"]


def test_cli_build_of_the_article_equals_the_committed_loader(root, tmp_path):
    out = tmp_path / "loaders"
    assert main(["build", "--root", str(root), "--out", str(out), "--quiet"]) == 0
    committed = root / "loaders" / "gpt4_article"
    built_files = sorted(p.relative_to(out / "gpt4_article") for p in (out / "gpt4_article").rglob("*") if p.is_file())
    assert built_files == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for relative in built_files:
        assert (out / "gpt4_article" / relative).read_bytes() == (committed / relative).read_bytes(), relative


def test_libyaml_reads_the_committed_card_as_pure_python_yaml_does(root):
    """The build opens every config with the card's YAML parsed by libyaml (a speed-up,
    publishing.loader.card_yaml_parsed_by_libyaml); the data must be what huggingface_hub
    gets from PyYAML's own parser, for every committed card."""
    from huggingface_hub.repocard import RepoCard

    from bicorpus.publishing.loader import card_yaml_parsed_by_libyaml

    cards = sorted((root / "loaders").glob("*/README.md"))
    assert cards
    for card in cards:
        pure = RepoCard.load(card).data.to_dict()
        with card_yaml_parsed_by_libyaml():
            fast = RepoCard.load(card).data.to_dict()
        assert fast == pure and pure.get("configs"), card
