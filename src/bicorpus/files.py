"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600; a written file gets the usual mode (0644 under umask 022)
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tree(root: Path, files: dict[str, bytes], managed_globs: tuple[str, ...] = ("data/*.jsonl", "plots/*.svg")) -> list[Path]:
    """Write every file under `root` atomically and remove managed files that the new set
    no longer has (a config that was dropped must not linger). Returns the removed paths."""
    root = Path(root)
    for relative, data in sorted(files.items()):
        write_atomic(root / relative, data)
    stale = [p for glob in managed_globs for p in sorted(root.glob(glob)) if p.relative_to(root).as_posix() not in files]
    for path in stale:
        path.unlink()
    return stale
