"""Builds at collection scale: the content-hash cache of built documents gives the bytes of a
full build and rebuilds only what changed; any number of workers gives the same bytes.

The collection is two copies of gpt4_article under new ids, made by the build benchmark's own
function (benchmarks/build_benchmark.py), in a temporary folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bicorpus import cli
from bicorpus.pipeline.incremental import KEEP_ENTRIES
from bicorpus.pipeline.parallel import build_documents, built_or_raise
from bicorpus.publishing.render import render_loader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
build_benchmark = pytest.importorskip("build_benchmark")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("scale")
    return root, build_benchmark.make_collection(root, 2)


def loader_bytes(root: Path, docs: list[str], **options) -> tuple[dict[str, bytes], list[bool]]:
    outcomes = build_documents(docs, root / "corpus", root / "annotations", **options)
    collection = cli.collection_of("synth", built_or_raise(outcomes), root / "corpus")
    return render_loader(collection), [o.cached for o in outcomes]


def test_cached_rebuild_is_byte_identical_and_one_changed_annotation_rebuilds_one_document(two_documents, tmp_path, monkeypatch):
    root, docs = two_documents
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    full, cached = loader_bytes(root, docs)
    assert cached == [False, False]
    first, cached = loader_bytes(root, docs, cache_dir=cache)
    assert cached == [False, False] and first == full
    again, cached = loader_bytes(root, docs, cache_dir=cache)
    assert cached == [True, True] and again == full

    build_benchmark.change_one_annotation(root, docs[1])
    changed_full, _ = loader_bytes(root, docs)
    changed, cached = loader_bytes(root, docs, cache_dir=cache)
    assert cached == [True, False]
    assert changed == changed_full and changed != full
    assert b"(benchmark edit)" in changed["data/claims.jsonl"]


def test_the_cache_keeps_one_entry_per_document_and_drops_the_old_layout(two_documents, tmp_path, monkeypatch):
    root, docs = two_documents
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    key = "ab" + "0" * 62
    old_entry, old_pickle = cache / "ab" / f"{key}.entry", cache / "cd" / ("cd" + "1" * 62 + ".pickle.z")
    not_ours = cache / "ab" / "notes.txt"
    # the short-lived layout of a folder per document directly under the cache, ids with a slash too
    by_document = [cache / "gpt4_article" / f"{key}.entry", cache / "debian_handbook" / "derivatives" / ("9" * 64 + ".entry")]
    beside = cache / "debian_handbook" / "README"
    for path in (old_entry, old_pickle, not_ours, *by_document, beside):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    outside = tmp_path / "outside"
    (outside / "ef").mkdir(parents=True)
    theirs = outside / "ef" / ("ef" + "2" * 62 + ".entry")
    theirs.write_bytes(b"x")
    (cache / "ef").symlink_to(outside / "ef")  # a link is followed by nobody: its target is not ours
    (cache / "12").write_bytes(b"a file, not a folder")
    loader_bytes(root, docs, cache_dir=cache)
    entries = lambda doc: sorted((cache / "docs" / doc).glob("*.entry"))
    first = {doc: entries(doc) for doc in docs}
    assert all(len(found) == 1 for found in first.values())
    assert not old_entry.exists() and not (cache / "cd").exists() and not_ours.exists()
    assert theirs.exists() and (cache / "12").is_file()
    assert not (cache / "gpt4_article").exists() and not (cache / "debian_handbook" / "derivatives").exists()
    assert beside.exists()

    # each edit of one document writes an entry; only the KEEP_ENTRIES used last stay
    for _ in range(KEEP_ENTRIES + 1):
        build_benchmark.change_one_annotation(root, docs[0])
        _, cached = loader_bytes(root, docs, cache_dir=cache)
        assert cached == [False, True]
    edited = entries(docs[0])
    assert len(edited) == KEEP_ENTRIES and first[docs[0]][0] not in edited
    assert entries(docs[1]) == first[docs[1]]


def test_the_cache_keeps_the_entries_used_last(two_documents, tmp_path, monkeypatch):
    """States A, B, C of one document, then A again (read from the cache, which marks it used),
    then a new state D: the entry of B, the one used longest ago, is the one removed."""
    root, docs = two_documents
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    claims = root / "annotations" / docs[0] / "claims.jsonl"
    state_a = claims.read_text(encoding="utf-8")
    written = []
    for state in "ABC":
        if state != "A":
            build_benchmark.change_one_annotation(root, docs[0])
        before = set((cache / "docs" / docs[0]).glob("*.entry"))
        loader_bytes(root, docs, cache_dir=cache)
        written.append((set((cache / "docs" / docs[0]).glob("*.entry")) - before).pop())
    try:
        claims.write_text(state_a, encoding="utf-8")
        _, cached = loader_bytes(root, docs, cache_dir=cache)
        assert cached == [True, True]
        lines = state_a.split("\n")
        first_claim = json.loads(lines[0])
        first_claim["note"] = (first_claim.get("note") or "") + " (state D)"
        claims.write_text("\n".join([json.dumps(first_claim, ensure_ascii=False)] + lines[1:]), encoding="utf-8")
        _, cached = loader_bytes(root, docs, cache_dir=cache)
        assert cached[0] is False
    finally:
        claims.write_text(state_a, encoding="utf-8")
    kept = set((cache / "docs" / docs[0]).glob("*.entry"))
    a, b, c = written
    assert len(kept) == KEEP_ENTRIES and a in kept and c in kept and b not in kept


def test_jobs_one_and_two_write_the_same_loader_through_the_command(two_documents, tmp_path, monkeypatch):
    root, _ = two_documents
    monkeypatch.chdir(root)
    one, two = tmp_path / "one", tmp_path / "two"
    assert cli.main(["build", "--quiet", "--no-cache", "--jobs", "1", "--out", str(one)]) == 0
    assert cli.main(["build", "--quiet", "--jobs", "2", "--out", str(two)]) == 0
    assert tree(one / "synth") == tree(two / "synth") and tree(one / "synth")
    # validate reads the cache that the second build filled, with workers too
    assert cli.main(["build", "--quiet"]) == 0
    assert cli.main(["validate", "--jobs", "2"]) == 0


def test_a_document_with_a_problem_is_reported_with_the_others_and_never_cached(two_documents, tmp_path, monkeypatch):
    root, docs = two_documents
    monkeypatch.chdir(root)
    broken = root / "annotations" / docs[0] / "paragraphs.align"
    kept = broken.read_text(encoding="utf-8")
    broken.write_text(kept + "[999]:[999]\n", encoding="utf-8")
    try:
        outcomes = build_documents(docs, root / "corpus", root / "annotations", jobs=2, cache_dir=tmp_path / "cache")
    finally:
        broken.write_text(kept, encoding="utf-8")
    assert outcomes[0].built is None and outcomes[0].problems
    assert any("paragraphs.align" in p.file for p in outcomes[0].problems)
    assert outcomes[1].built is not None
    assert len(list((tmp_path / "cache").rglob("*.entry"))) == 1


def test_ray_data_on_a_local_cluster_gives_the_bytes_of_the_in_process_loop(two_documents, tmp_path, monkeypatch):
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")
    root, docs = two_documents
    monkeypatch.chdir(root)
    loop, _ = loader_bytes(root, docs)
    # Ray 2.60 removed `local_mode` (ray.init raises on it): a one-CPU cluster on this machine
    # is the local way to run Ray Data now
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        on_ray, _ = loader_bytes(root, docs, engine="ray")
        # with a cache, the workers' summaries point at the entries they wrote (by absolute path)
        in_cache, cached = loader_bytes(root, docs, engine="ray", cache_dir=Path("relative-cache"))
        again, cached_again = loader_bytes(root, docs, engine="ray", cache_dir=Path("relative-cache"))
    finally:
        ray.shutdown()
    assert on_ray == loop and in_cache == loop and again == loop
    assert cached == [False, False] and cached_again == [True, True]


def test_editing_a_shared_annotation_file_rebuilds_every_document(two_documents, tmp_path, monkeypatch):
    root, docs = two_documents
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    guidelines = root / "annotations" / "guidelines.md"
    kept = guidelines.read_text(encoding="utf-8")
    build_documents(docs, root / "corpus", root / "annotations", cache_dir=cache)
    try:
        guidelines.write_text(kept + "\nOne more line.\n", encoding="utf-8")
        assert [o.cached for o in build_documents(docs, root / "corpus", root / "annotations", cache_dir=cache)] == [False, False]
    finally:
        guidelines.write_text(kept, encoding="utf-8")
    assert [o.cached for o in build_documents(docs, root / "corpus", root / "annotations", cache_dir=cache)] == [True, True]


def test_no_cache_keeps_nothing_after_the_build(two_documents, tmp_path, monkeypatch, capsys):
    root, _ = two_documents
    monkeypatch.chdir(root)
    out = tmp_path / "out"
    cache_root = root / ".bicorpus-cache"
    before = sorted(cache_root.rglob("*")) if cache_root.exists() else []
    assert cli.main(["build", "--root", str(root), "--out", str(out), "--quiet", "--no-cache"]) == 0
    capsys.readouterr()
    assert sorted(cache_root.rglob("*")) == before, "--no-cache writes no entry and leaves no temporary folder"
    assert (out / "synth" / "README.md").is_file()


def test_a_document_whose_input_checks_fail_is_built_reported_and_never_cached(two_documents, tmp_path, monkeypatch):
    """A problem the checks find (not one that stops the build) comes back with the built
    document; no cache entry is written, so the next run finds it again."""
    root, docs = two_documents
    monkeypatch.chdir(root)
    terms = root / "corpus" / docs[0] / "terms.txt"
    kept = terms.read_text(encoding="utf-8")
    terms.write_text(kept + "DALL·E\n", encoding="utf-8")  # a duplicate: terms must be sorted and unique
    cache = tmp_path / "cache"
    try:
        first = build_documents(docs, root / "corpus", root / "annotations", cache_dir=cache)
        second = build_documents(docs, root / "corpus", root / "annotations", cache_dir=cache)
    finally:
        terms.write_text(kept, encoding="utf-8")
    assert first[0].built is not None and any("terms.txt" in p.file for p in first[0].problems)
    assert [o.cached for o in second] == [False, True] and second[0].problems == first[0].problems


def test_data_checks_run_on_each_documents_own_lines(built):
    """The rows each document ships are checked as a user loads them: an id of another document,
    a row that is not the schema's, and an offset that does not index the text are found (the
    JSON lines are made from the rows, so a replaced row is what the data file would get)."""
    import dataclasses

    from bicorpus.pipeline.data_checks import document_data_problems

    assert document_data_problems(built) == []
    first, second, third, *rest = built.rows["sentences"]
    corrupt_rows = [dataclasses.replace(first, id="another_doc/zh-p000-s00"), dataclasses.replace(second, start=second.start + 1),
                    dataclasses.replace(third, tokens="not a list")] + rest
    corrupt = dataclasses.replace(built, rows={**built.rows, "sentences": corrupt_rows})
    assert corrupt.data["sentences"] != built.data["sentences"]
    found = {(p.line, p.field) for p in document_data_problems(corrupt) if p.file == "rows of gpt4_article in config sentences"}
    assert (1, "id") in found and (2, "start") in found and (3, "tokens") in found
