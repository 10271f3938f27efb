"""Annotation tools on a document fetched from a package. Named to run after
tests/test_debian_handbook.py, which fetches the package into the project's cache."""

import pytest


def test_fill_on_a_fetched_document_finds_offsets_and_keeps_no_text(root, project_copy):
    """An annotator writes a claim of a fetched chapter with its texts and no offsets; `fill`
    finds the offsets and leaves the texts out, giving back the stand-off record."""
    import json

    from bicorpus.cli import _sentences_of, main

    cache = root / ".cache" / "packages"
    if not any(cache.glob("*")):
        pytest.skip("the Debian package is not fetched (tests/test_debian_handbook.py fetches it)")
    doc = "debian_handbook/foreword"
    path = project_copy / "annotations" / doc / "claims.jsonl"
    committed = path.read_text(encoding="utf-8")
    record = json.loads(committed.split("\n")[0])

    class Args:
        pass

    args = Args()
    args.root, args.cache = str(project_copy), str(cache)
    sentences = _sentences_of(args, project_copy / "corpus", project_copy / "annotations", doc)
    for side in ("zh", "en"):
        text = sentences[record[f"{side}_sentence_id"]].text
        record[f"{side}_text"] = text[record.pop(f"{side}_start"):record.pop(f"{side}_end")]
    lines = committed.split("\n")
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["annotations", "fill", "--root", str(project_copy), "--cache", str(cache), "--doc", doc]) == 0
    assert path.read_text(encoding="utf-8") == committed
