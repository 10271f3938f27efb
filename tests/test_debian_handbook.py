"""The real recipe: `bicorpus fetch debian_handbook` downloads Debian's package
debian-handbook 11.20220922 with apt-get, checks it, builds and validates the loader, and the
loader holds what the corpus promises (real-original paragraph beads, reviewed sentence beads,
gold claims). Needs Debian's package tools and the registry; skips, saying why, without them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bicorpus import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None,
                    reason="apt-get and dpkg-deb (Debian's package tools) are needed to fetch the package")
def test_fetch_debian_handbook(tmp_path, capsys):
    import datasets

    out = tmp_path / "fetched"
    code = cli.main(["fetch", "debian_handbook", "--root", str(ROOT), "--cache", str(ROOT / ".cache" / "packages"),
                     "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    if code != 0 and "apt-get download failed" in captured.err:
        pytest.skip(f"the package registry cannot be reached here: {captured.err.strip().splitlines()[-1]}")
    assert code == 0, captured.err[-3000:]
    loader = out / "debian_handbook"
    beads = datasets.concatenate_datasets(list(datasets.load_dataset(str(loader), "paragraph_translation").values()))
    status = beads.features["status"]
    statuses = Counter(status.int2str(s) for s in beads["status"])
    assert statuses["reviewed"] >= 300 and statuses["proposed"] == 0
    sentences = datasets.concatenate_datasets(list(datasets.load_dataset(str(loader), "translation").values()))
    assert Counter(status.int2str(s) for s in sentences["status"])["proposed"] == 0
    claims = datasets.load_dataset(str(loader), "claims")
    assert claims["train"].num_rows + claims["test"].num_rows >= 150
    documents = datasets.load_dataset(str(loader), "documents")
    origins = {documents["train"].features["en_origin"].int2str(r["en_origin"]) for split in documents.values() for r in split}
    assert origins == {"en_original"}
    assert not (ROOT / "loaders" / "debian_handbook").exists()  # the text is never written into the repository's loaders
