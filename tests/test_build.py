import json
import os

import pytest

from bicorpus.files import write_atomic, write_tree
from bicorpus.pipeline.build import config_types, process_document
from bicorpus.publishing.render import render_loader
from bicorpus.schema import ANNOTATION_CONFIGS, CONFIGS


def test_committed_loader_equals_a_fresh_build(root, built):
    """Golden test: the loader users load is exactly what the build makes today."""
    for relative, data in render_loader(built).items():
        committed = (root / "loaders" / "gpt4_article" / relative).read_bytes()
        assert committed == data, f"loaders/gpt4_article/{relative} is stale: run `bicorpus build`"
    shipped = {p.name for p in (root / "loaders" / "gpt4_article" / "data").iterdir()}
    assert shipped == {f"{name}.jsonl" for name in {**CONFIGS, **ANNOTATION_CONFIGS}}


def test_two_builds_are_byte_identical(sources, annotations, built):
    assert render_loader(process_document(sources, annotations)) == render_loader(built)


def test_counts(built):
    rows = built.rows
    assert sum(r.language.value == "zh" for r in rows["paragraphs"]) == 54
    assert sum(r.language.value == "en" for r in rows["paragraphs"]) == 54
    assert sum(r.language.value == "zh" for r in rows["sentences"]) == 114
    assert sum(r.language.value == "en" for r in rows["sentences"]) == 115
    assert [b.bead_type.value for b in rows["translation"]].count("1-2") == 1
    assert len(rows["documents"]) == 1


def test_english_is_marked_as_our_translation(built):
    for row in built.rows["paragraphs"] + built.rows["sentences"]:
        expected = "en_project_translation_of_zh" if row.language.value == "en" else "zh_published_translation"
        assert row.text_origin.value == expected
    assert built.rows["documents"][0].en_origin.value == "en_project_translation_of_zh"


def test_one_to_two_bead_pairs_the_right_sentences(built):
    bead = next(b for b in built.rows["translation"] if b.bead_type.value == "1-2")
    assert bead.zh_ids == ("gpt4_article/zh-p028-s02",)
    assert bead.en_ids == ("gpt4_article/en-p028-s02", "gpt4_article/en-p028-s03")
    assert bead.translation["zh"].startswith("他们还通过训练 Chinchilla")
    assert bead.translation["en"].startswith("They also tested this hypothesis by training Chinchilla. Chinchilla is")


def test_jsonl_is_one_record_per_line_in_field_order(root, built):
    for name, row_type in config_types(built.rows).items():
        lines = (root / "loaders" / "gpt4_article" / "data" / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")
        assert lines[-1] == ""
        for line in lines[:-1]:
            assert list(json.loads(line)) == list(row_type.__dataclass_fields__)


def test_write_atomic_leaves_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    write_atomic(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_write_atomic_onto_a_folder_names_the_folder_not_its_temporary_file(tmp_path):
    (tmp_path / "out.jsonl").mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        write_atomic(tmp_path / "out.jsonl", b"x")
    assert raised.value.filename == str(tmp_path / "out.jsonl")
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"] and not any((tmp_path / "out.jsonl").iterdir())


def test_write_tree_removes_stale_data_files_only(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "old_config.jsonl").write_text("{}\n")
    (tmp_path / "notes.txt").write_text("keep me")
    removed = write_tree(tmp_path, {"data/new.jsonl": b"{}\n", "README.md": b"card"})
    assert [p.name for p in removed] == ["old_config.jsonl"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["new.jsonl"]
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_written_files_get_the_usual_mode(tmp_path):
    import os

    from bicorpus.files import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
