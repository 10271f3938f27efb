"""Stage 5: the loader checks `bicorpus validate` runs. Each check returns a list of Problems
that name the file, the line and the field; none raises.

A loader folder is compared with a fresh render of its collection; one that differs is read
line by line with the data checks of `bicorpus.pipeline.data_checks`, so a problem points at
the JSONL line a user would load. The source checks (corpus/ and annotations/) are in
`bicorpus.pipeline.source_checks`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..pipeline.build import config_types, data_path
from ..pipeline.data_checks import (LoadedConfig, _by_doc, document_problems_of, empty_problems, id_problems,
                                    schema_problems)
from ..problems import Problem, display_path
from ..schema import Language
from .render import render_loader


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


def fresh_build_problems(loader_dir: Path, collection, rendered: dict | None = None) -> list[Problem]:
    """The loader's files against a fresh render of the collection (`rendered`, when the
    caller has just rendered it: the build checks its staging folder against what it wrote)."""
    fetched = any(side.package for b in getattr(collection, "documents", (collection,))
                  for side in (b.sources.metadata.zh, b.sources.metadata.en))
    command = f"bicorpus fetch {collection.doc_id}" if fetched else "bicorpus build"
    problems = []
    rendered = render_loader(collection) if rendered is None else rendered
    for relative, data in sorted(rendered.items()):
        path = Path(loader_dir) / relative
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, None, f"missing; run `{command}`"))
            continue
        committed = path.read_bytes()
        if committed != data:
            old, new = committed.decode("utf-8", "replace").split("\n"), data.decode("utf-8", "replace").split("\n")
            line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
            problems.append(Problem(shown, line, None, f"differs from a fresh build; run `{command}` (first difference on this line)"))
    return problems + stray_file_problems(loader_dir, rendered, command)


def stray_file_problems(loader_dir: Path, rendered: dict, command: str) -> list[Problem]:
    """Files in the loader folder that a fresh build does not write (a leftover `.tmp`), and
    staging folders an interrupted build left beside it."""
    from ..files import leftovers

    loader_dir = Path(loader_dir)
    stray = [p for p in sorted(loader_dir.rglob("*")) if p.is_file() and p.relative_to(loader_dir).as_posix() not in rendered]
    return ([Problem(display_path(p), None, None, f"not written by the build; run `{command}`, which replaces the folder whole")
             for p in stray]
            + [Problem(display_path(p), None, None, f"left by an interrupted build; `{command}` removes it") for p in leftovers(loader_dir)])


def loader_problems(loader_dir: Path, collection, rendered: dict | None = None) -> list[Problem]:
    """All checks of a loader folder. A folder that holds exactly a fresh build (`rendered`, if
    the caller has it) has the rows that each document's own data checks passed when it was
    built (`pipeline.data_checks`, cached with the document), and nothing else to check. Any
    other folder is read line by line: every data file of every split, document by document,
    so that each problem names the line a user would load."""
    from ..pipeline.collection import BuiltCollection, single

    if not isinstance(collection, BuiltCollection):
        collection = single(collection)
    fresh = fresh_build_problems(loader_dir, collection, rendered)
    if not fresh:
        return []
    return file_problems(loader_dir, collection) + fresh


def file_problems(loader_dir: Path, collection) -> list[Problem]:
    """The data checks on the folder's files, with their line numbers."""
    from .render import data_files

    problems = []
    types = config_types(collection.rows)
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
            if built.sources.metadata.split != split:
                continue
            doc = built.doc_id
            row = documents.get(doc, {})
            doc_texts = {lang.value: row.get(f"{lang.value}_text") or "" for lang in Language}
            raw = {lang.value: built.sources.sides[lang][0].text for lang in Language}
            own = {name: grouped[name].get(doc, LoadedConfig(name, config.path, [])) for name, config in configs.items()}
            no_document = [grouped[name][None] for name in grouped if None in grouped[name]]
            problems += document_problems_of(doc, own, no_document, doc_texts, raw)
    return problems
