"""Incremental builds: a document whose inputs have not changed is not built again.

A built document is kept as its summary and payload (`summary.write_entry`: what the card and
the charts add up, then its JSON Lines and source texts) in a cache file named by a content
hash of everything it is a function of: every file of the document's folders (corpus/<doc>/,
annotations/<doc>/), the project-wide annotation files (inventory, cue lexicon, guidelines), the
text of a fetched side, the toolkit's own source files, Python's version and the name and
version of every installed distribution. Any change to one of these gives another key, so a
stale entry is never read; the output built from a cache entry is the one a full build gives,
because the entry is that build's result, stored whole. The sources are still read and their
sha256 checked on every run; of the entry, only the summary is read, and the payload when the
loader's data files are written, one document at a time.

A document's entries are kept in a folder of their own, the KEEP_ENTRIES used last (writing a
new one removes older ones), and a build removes the entries of earlier layouts (`remove_old_layout`).

An entry is written only for a document whose input checks (`document_checks`) found no
problem, so a cached document needs no checking again; a document with a problem is never
cached: its problems are found again on every run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..files import direct_files, update_with_files
from ..problems import display_path
from ..sources.capture import read_document
from .summary import DocumentSummary, read_entry, summarize, write_entry

CACHE_FORMAT = "3"  # bump when the layout of an entry changes
BUILD_CACHE = ".bicorpus-cache/build"  # under the project folder; git-ignored


@lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """sha256 of the toolkit's source, templates and resources, of Python's version and of the
    name and version of every installed distribution."""
    from importlib.metadata import distributions

    package = Path(__file__).resolve().parent.parent
    # a set: an editable install can be listed twice, depending on sys.path
    installed = sorted({f"{d.metadata['Name']}=={d.version}" for d in distributions()})
    digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version_info[:3]} {' '.join(installed)}".encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".jsonl")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shared_files_digest(annotations_root: Path) -> bytes:
    """The sha256 of the project-wide annotation files (inventory, cue lexicon, guidelines),
    which every document's key includes: computed once per build (`parallel.build_documents`)."""
    digest = hashlib.sha256()
    update_with_files(digest, ((path.name, path) for path in direct_files(Path(annotations_root))))
    return digest.digest()


def document_key(corpus_root: Path, annotations_root: Path, doc_id: str, sources, shared: Optional[bytes] = None) -> str:
    """The content hash of one document's inputs; `sources` holds the text of a fetched side,
    `shared` the `shared_files_digest` when the caller has it."""
    digest = hashlib.sha256(toolkit_fingerprint().encode() + b"\0" + doc_id.encode() + b"\0")
    # messages name files relative to the working folder: an entry made elsewhere is not reused
    digest.update(display_path(Path(corpus_root) / doc_id).encode() + b"\0")
    folders = (Path(corpus_root) / doc_id, Path(annotations_root) / doc_id)
    update_with_files(digest, ((path.name, path) for folder in folders for path in direct_files(folder)))
    digest.update(shared if shared is not None else shared_files_digest(annotations_root))
    for language in sorted(sources.sides, key=lambda lang: lang.value):
        for source in sources.sides[language]:
            digest.update(source.path.encode() + b"\0" + hashlib.sha256(source.text.encode("utf-8")).digest())
    return digest.hexdigest()


KEEP_ENTRIES = 3  # per document: switching between a few branches or edits and back rebuilds nothing


def entry_path(cache_dir: Path, doc_id: str, key: str) -> Path:
    """A document's entries live in a folder of their own (`<cache>/docs/<doc_id>/`), so that
    writing a new one can remove the stale ones: however often its inputs or the toolkit change,
    the cache holds the KEEP_ENTRIES entries of a document used last. (Under `docs/`, so that no
    document's folder is taken for one of the earlier layout's, `remove_old_layout`.)"""
    return Path(cache_dir) / "docs" / doc_id / f"{key}.entry"


def _remove_stale_entries(current: Path) -> None:
    def last_used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    others = sorted((p for p in current.parent.glob("*.entry") if p != current), key=last_used, reverse=True)
    for stale in others[KEEP_ENTRIES - 1:]:
        stale.unlink(missing_ok=True)  # another process may have removed it first


def _mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still serves its entries


_KEY = re.compile(r"[0-9a-f]{64}")


def remove_old_layout(cache_dir: Path) -> int:
    """Remove the entries of the earlier layouts, which nothing reads any more: `<cache>/<first two
    hex digits of the key>/<key>.entry` or `.pickle.z`, and `<cache>/<doc_id>/<key>.entry` (a
    few commits before entries moved under `docs/`); the number removed. Only files named by a
    full key with those endings, in folders outside `docs/`, are touched, and the folders they
    leave empty; linked folders are not followed, since what they point at is not ours."""
    removed = 0
    top_folders = [f for f in Path(cache_dir).iterdir() if f.name != "docs" and not f.is_symlink() and f.is_dir()] \
        if Path(cache_dir).is_dir() else []
    for top in top_folders:
        for folder, _, files in os.walk(top, topdown=False):  # deepest first, so that empty folders can go
            for name in files:
                path = Path(folder) / name
                if _KEY.fullmatch(name.split(".", 1)[0]) and name.endswith((".entry", ".pickle.z")) and not path.is_symlink():
                    try:
                        path.unlink()
                        removed += 1
                    except OSError:
                        pass  # a cache we may only read: left as it is
            try:
                Path(folder).rmdir()
            except OSError:
                pass  # not empty: something else lives there
    return removed


def build_document(corpus_root: Path, annotations_root: Path, doc_id: str, package_roots=None,
                   cache_dir: Optional[Path] = None, reuse: bool = True,
                   shared: Optional[bytes] = None) -> tuple[DocumentSummary, list, bool]:
    """(the built document's summary, the problems its checks found, whether it came from the
    cache). Without `cache_dir`, a full build with the payload in memory; with it, a document
    whose checks pass is stored there and its summary reads its payload from the entry
    (`reuse=False`: built again even when an entry exists, as `--no-cache` asks; `shared`: the
    `shared_files_digest`, when the caller has computed it for every document). Raises
    CorpusError with every problem that stops the build, as `process_document` does; a
    document whose checks find a problem is returned with them, its payload in memory, and
    never cached."""
    from .build import load_inputs, process_document  # the segmenters load only when a document is built
    from .document_checks import document_problems

    def fresh(sources=None) -> tuple[DocumentSummary, list]:
        sources, gold = load_inputs(corpus_root, annotations_root, doc_id, package_roots, sources)
        built = process_document(sources, gold)
        return summarize(built), document_problems(built, Path(annotations_root), gold)

    if cache_dir is None:
        return (*fresh(), False)
    # reading the sources checks every sha256 even when the rows come from the cache
    sources = read_document(corpus_root, annotations_root, doc_id, package_roots)
    path = entry_path(cache_dir, doc_id, document_key(corpus_root, annotations_root, doc_id, sources, shared))
    if reuse and path.is_file():
        try:
            summary = read_entry(path)
            _mark_used(path)
            return summary, [], True
        except (OSError, EOFError, ValueError, zlib.error, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            pass  # an unreadable entry (a killed write, an old layout) is built again and overwritten
    summary, problems = fresh(sources)
    if not problems:
        summary = write_entry(path, summary)
        _remove_stale_entries(path)
    return summary, problems, False
