"""Stage 5: the loader checks `bicorpus validate` runs. Each check returns a list of Problems
that name the file, the line and the field; none raises, except for a build-cache entry that
is damaged or gone meanwhile (`pipeline.summary.Payload.read`: one CorpusError naming it).

A loader folder is compared with a fresh build of its collection (data files by sha256,
streamed from the documents' payloads; the other files byte for byte); one that differs is read
line by line with the data checks of `bicorpus.pipeline.data_checks`, so a problem points at
the JSONL line a user would load. The source checks (corpus/ and annotations/) are in
`bicorpus.pipeline.source_checks`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..files import sha256_file
from ..pipeline.build import config_types, data_path
from ..pipeline.collection import as_collection
from ..pipeline.data_checks import (LoadedConfig, _by_doc, arrow_problems, document_problems_of, empty_problems,
                                    id_problems, schema_problems)
from ..problems import Problem, display_path
from ..schema import Language
from .render import data_checksums, data_files, rendered_files, stream_sha256, streamed_files


def read_config(loader_dir: Path, name: str, relative: str | None = None) -> tuple[Optional["LoadedConfig"], list[Problem]]:
    path = Path(loader_dir) / (relative or data_path(name))
    shown = display_path(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, f"data file of config {name!r} is missing")]
    rows, problems = [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(shown, None, None, f"not valid UTF-8 ({err.reason})")]
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            problems.append(Problem(shown, number, None, f"invalid JSON ({err.msg})"))
    return LoadedConfig(name, shown, rows), problems


def _first_different_line(committed: bytes, fresh: bytes) -> int:
    old, new = committed.decode("utf-8", "replace").split("\n"), fresh.decode("utf-8", "replace").split("\n")
    return next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)


def fresh_build_problems(loader_dir: Path, collection) -> list[Problem]:
    """The loader's files against a fresh build of the collection: each data file by its sha256,
    streamed from the documents' payloads (read whole, to name the first different line, only
    when it differs), the other files byte for byte."""
    fetched = any(side.package for b in collection.documents for side in (b.metadata.zh, b.metadata.en))
    command = f"bicorpus fetch {collection.doc_id}" if fetched else "bicorpus build"
    streams = streamed_files(collection)
    checksums = {path: stream_sha256(stream) for path, stream in streams.items()}
    rendered = rendered_files(collection, data_checksums(collection, checksums))
    problems = []
    for relative in sorted({*streams, *rendered}):
        path = Path(loader_dir) / relative
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, None, f"missing; run `{command}`"))
            continue
        if relative in rendered:
            committed, fresh = path.read_bytes(), rendered[relative]
            if committed == fresh:
                continue
        elif sha256_file(path) == checksums[relative]:
            continue
        else:
            committed, fresh = path.read_bytes(), b"".join(streams[relative]())
        line = _first_different_line(committed, fresh)
        problems.append(Problem(shown, line, None, f"differs from a fresh build; run `{command}` (first difference on this line)"))
    return problems + stray_file_problems(loader_dir, {*streams, *rendered}, command)


def written_problems(folder: Path, collection, rendered: dict[str, bytes], streamed: dict[str, str]) -> list[Problem]:
    """A staging folder the build has just written against what it wrote: the rendered files
    byte for byte, every streamed file present (it was hashed as it was written), nothing else;
    and the entity inventory, which the collection writes from its documents' rows, parsed
    with the card's features (each document's other rows were, when it was built)."""
    problems = []
    for relative in sorted({*rendered, *streamed}):
        path = Path(folder) / relative
        if not path.is_file() or (relative in rendered and path.read_bytes() != rendered[relative]):
            problems.append(Problem(display_path(path), None, None, "not what the build wrote (a full disk, or another writer?)"))
    types = config_types(dict.fromkeys(collection.configs))
    for split, relative in data_files(collection).get("entities", {}).items():
        path = Path(folder) / relative
        if path.is_file():
            problems += arrow_problems(display_path(path), path.read_bytes(), types["entities"])
    return problems + stray_file_problems(folder, {*rendered, *streamed}, "bicorpus build")


def stray_file_problems(loader_dir: Path, rendered, command: str) -> list[Problem]:
    """Files in the loader folder that a fresh build does not write (a leftover `.tmp`), and
    staging folders an interrupted build left beside it."""
    from ..files import leftovers

    loader_dir = Path(loader_dir)
    stray = [p for p in sorted(loader_dir.rglob("*")) if p.is_file() and p.relative_to(loader_dir).as_posix() not in rendered]
    return ([Problem(display_path(p), None, None, f"not written by the build; run `{command}`, which replaces the folder whole")
             for p in stray]
            + [Problem(display_path(p), None, None, f"left by an interrupted build; `{command}` removes it") for p in leftovers(loader_dir)])


def loader_problems(loader_dir: Path, collection) -> list[Problem]:
    """All checks of a loader folder. A folder that holds exactly a fresh build has the rows
    that each document's own data checks passed when it was built (`pipeline.data_checks`,
    cached with the document), and nothing else to check. Any other folder is read line by
    line: every data file of every split, document by document, so that each problem names
    the line a user would load."""
    collection = as_collection(collection)
    fresh = fresh_build_problems(loader_dir, collection)
    if not fresh:
        return []
    return file_problems(loader_dir, collection) + fresh


def file_problems(loader_dir: Path, collection) -> list[Problem]:
    """The data checks on the folder's files, with their line numbers."""
    problems = []
    types = config_types(dict.fromkeys(collection.configs))
    for split in collection.splits:
        configs = {}
        for name, by_split in data_files(collection).items():
            if split not in by_split:
                continue
            config, read = read_config(loader_dir, name, by_split[split])
            problems += read
            if config is not None:
                configs[name] = config
                problems += schema_problems(config, types[name]) + id_problems(config) + empty_problems(config)
        documents = {row.get("id"): row for _, row in configs["documents"].rows} if "documents" in configs else {}
        # rows grouped by document once per split, so that the checks stay linear in the documents
        grouped = {name: _by_doc(config, "id" if name == "documents" else "doc_id") for name, config in configs.items()}
        for built in collection.documents:
            if built.split != split:
                continue
            doc = built.doc_id
            row = documents.get(doc, {})
            doc_texts = {lang.value: row.get(f"{lang.value}_text") or "" for lang in Language}
            raw = {lang.value: built.source_text(lang) for lang in Language}
            own = {name: grouped[name].get(doc, LoadedConfig(name, config.path, [])) for name, config in configs.items()}
            no_document = [grouped[name][None] for name in grouped if None in grouped[name]]
            problems += document_problems_of(doc, own, no_document, doc_texts, raw)
    return problems
