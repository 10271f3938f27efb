"""A loader is replaced whole: built into a staging folder beside it, checked there, then
swapped in, so that a failure or a kill at any moment of the write leaves the old loader as it
was, and what an interrupted build leaves behind is reported and then removed."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bicorpus import files
from bicorpus.cli import main

DOC = "gpt4_article"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stale_loader(root: Path) -> dict[str, bytes]:
    """Mark every file of the old loader, so that a mix of old and new files would show."""
    for path in (root / "loaders" / DOC).rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes() + b"\n<!-- old -->\n")
    return snapshot(root / "loaders" / DOC)


def test_a_write_failing_midway_leaves_the_old_loader_whole(project_copy, capsys, monkeypatch):
    before = stale_loader(project_copy)
    synced = []
    real = os.fsync

    def full_disk_after_three(fd):
        if len(synced) == 3:
            raise OSError(28, "No space left on device")
        synced.append(fd)
        real(fd)

    # os.fsync, not a bicorpus function: a module that imported a patched function would keep it
    monkeypatch.setattr(os, "fsync", full_disk_after_three)
    assert main(["build", "--root", str(project_copy), "--doc", DOC, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"\S+/loaders/\.{DOC}\.bicorpus-new-\w+/\S+: No space left on device\n", err), err
    assert snapshot(project_copy / "loaders" / DOC) == before
    assert sorted(p.name for p in (project_copy / "loaders").iterdir()) == [DOC]  # no staging folder left


KILLED_BUILD = """
import os, signal, sys
from bicorpus import files
from bicorpus.cli import main
real, written = files.write_atomic, []
def killed_after_three(path, data, **options):
    if len(written) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    written.append(path)
    real(path, data, **options)
files.write_atomic = killed_after_three
sys.exit(main(["build", "--root", sys.argv[1], "--quiet"]))
"""


def test_a_build_killed_during_the_write_leaves_the_old_loader_and_the_next_build_cleans_up(project_copy, root, capsys):
    committed = snapshot(root / "loaders" / DOC)
    before = stale_loader(project_copy)
    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(project_copy)], capture_output=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"})
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(project_copy / "loaders" / DOC) == before
    left = files.leftovers(project_copy / "loaders" / DOC)
    assert len(left) == 1 and any(p.is_file() for p in left[0].rglob("*"))  # killed with part of the loader written

    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert re.search(rf"{re.escape(left[0].name)}: left by an interrupted build; `bicorpus build` removes it",
                     capsys.readouterr().err)

    assert main(["build", "--root", str(project_copy), "--quiet"]) == 0
    assert f"removed {left[0]}, left by an interrupted build" in capsys.readouterr().err
    assert not left[0].exists()
    assert snapshot(project_copy / "loaders" / DOC) == committed


def test_a_stray_file_in_the_loader_is_reported_and_the_next_build_drops_it(project_copy, capsys):
    stray = project_copy / "loaders" / DOC / "data" / ".claims.jsonl.x1y2.tmp"
    stray.write_text("half a row")
    assert main(["validate", "--root", str(project_copy), "--doc", DOC]) == 1
    assert re.search(r"\.claims\.jsonl\.x1y2\.tmp: not written by the build", capsys.readouterr().err)
    assert main(["build", "--root", str(project_copy), "--quiet"]) == 0
    assert not stray.exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step exchange", "two renames"])
def test_replace_folder_puts_the_new_folder_in_place(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    folder = tmp_path / "loader"
    folder.mkdir()
    (folder / "old.txt").write_text("old")
    staged = files.staging_folder(folder)
    (staged / "new.txt").write_text("new")
    files.replace_folder(folder, staged)
    assert [p.name for p in tmp_path.iterdir()] == ["loader"]
    assert [p.name for p in folder.iterdir()] == ["new.txt"]
