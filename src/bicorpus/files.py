"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import ctypes
import errno
from contextlib import contextmanager
import os
import shutil
import sys
import tempfile
from pathlib import Path


def direct_files(folder: Path) -> list[Path]:
    """The files directly in a folder, sorted (a collection's folder also holds its documents'
    folders, which are not its files); none for a folder that does not exist."""
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def update_with_files(digest, named_paths) -> None:
    """Feed each (name, path) to a hashlib digest: the name, then the sha256 of the file's bytes."""
    import hashlib

    for name, path in named_paths:
        digest.update(name.encode() + b"\0" + hashlib.sha256(Path(path).read_bytes()).digest())


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read a block at a time (a package or a data file can be large)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data, fsync: bool = True) -> None:
    """Write `data` (bytes, or an iterable of bytes written one after the other) to a
    temporary file beside `path`, then rename it over `path`. `fsync=False` for a file that
    is rebuilt when a crash loses it (a cache entry): the rename stays atomic, only the wait
    for the disk is skipped."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600; a written file gets the usual mode (0644 under umask 022)
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            for chunk in ((data,) if isinstance(data, (bytes, bytearray, memoryview)) else data):
                handle.write(chunk)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        # a full disk says so without the file, and a rename onto a folder names the temporary
        # file, which the user never gave: name the file being written for the message
        if err.filename in (None, tmp):
            raise OSError(err.errno, err.strerror or str(err), str(path)) from err
        raise
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


STAGING_MARK = ".bicorpus-"  # leftover folders of an interrupted build are named .<folder>.bicorpus-new-*, -old-*


def leftovers(folder: Path) -> list[Path]:
    """Staging folders that an interrupted build left beside `folder`."""
    folder = Path(folder)
    if not folder.parent.is_dir():
        return []
    return sorted(folder.parent.glob(f".{folder.name}{STAGING_MARK}*"))


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the staging folders of an interrupted build of `folder`; returns them."""
    found = leftovers(folder)
    for path in found:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    return found


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system
    cannot."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS):  # a file system without the exchange
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def staging_folder(folder: Path) -> Path:
    """A new empty folder beside `folder` to write its replacement into."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}{STAGING_MARK}new-"))
    os.chmod(staged, 0o777 & ~_umask())
    return staged


@contextmanager
def replacing(folder: Path):
    """A staging folder beside `folder` to write its replacement into: when the block ends
    without an error it takes the folder's place whole (`replace_folder`); on an error it is
    removed and the folder stays as it was."""
    staged = staging_folder(folder)
    try:
        yield staged
        replace_folder(folder, staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def replace_folder(folder: Path, staged: Path) -> None:
    """Put `staged` in the place of `folder` so that a reader sees the old folder or the new
    one, never a mix of their files; the old folder is removed afterwards."""
    folder = Path(folder)
    if not folder.exists():
        os.replace(staged, folder)
        return
    if _exchange(staged, folder):
        shutil.rmtree(staged)  # now holds the old folder
        return
    # no one-step exchange: two renames; between them the folder is briefly absent, never mixed
    old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}{STAGING_MARK}old-"))
    os.replace(folder, old / folder.name)
    os.replace(staged, folder)
    shutil.rmtree(old)
