"""Stage 4b: the built rows -> the loader's files (data, card, Croissant metadata, charts).

`render_loader` returns file contents (bytes), so the build writes them and `validate`
compares them with the committed loader without writing anything. `write_local_variant`
writes the loader of a user's own copy of the English original (`bicorpus ingest-original`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from .. import __version__
from ..files import write_tree
from ..pipeline.build import DATA_DIR, BuiltDocument, data_path
from ..pipeline.collection import BuiltCollection, single
from ..pipeline.ingest import IngestResult
from ..schema import all_configs
from .card import LICENCE_FILE, citation, licence_text, render_card
from .croissant import croissant_json
from .stats import charts


def data_files(collection: BuiltCollection) -> dict[str, dict[str, str]]:
    """config -> split -> data file path; a loader with one split keeps `data/<config>.jsonl`."""
    out = {}
    for config in collection.rows:
        splits = collection.rows_by_split(config)
        if collection.splits == ("train",):
            out[config] = {"train": data_path(config)}
        else:
            out[config] = {split: f"{DATA_DIR}/{config}/{split}.jsonl" for split in splits}
    return out


RAW_DIR = "raw"


def raw_files(collection: BuiltCollection) -> dict[str, bytes]:
    """The raw source file of each side whose rows carry raw offsets into it, so that the offsets
    resolve from the loader alone: `raw/<doc>/<file>`. A side read from a package is never
    shipped (the text is not ours); its offsets name the package file instead."""
    out = {}
    for built in collection.documents:
        for language, side in built.sources.sides.items():
            meta = built.sources.metadata.side(language)
            with_raw = any(p.raw_start is not None for p in built.rows["paragraphs"] if p.language is language)
            if with_raw and meta.package is None:
                out[f"{RAW_DIR}/{built.doc_id}/{meta.files[0].path}"] = side[0].text.encode("utf-8")
    return out


def render_loader(collection: BuiltCollection | BuiltDocument) -> dict[str, bytes]:
    """Every file of the loader folder, by path relative to it."""
    if isinstance(collection, BuiltDocument):
        collection = single(collection)
    paths = data_files(collection)
    files = {}
    for config, by_split in paths.items():
        for split, path in by_split.items():
            files[path] = collection.data_bytes(config, split)
    checksums = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    raw = raw_files(collection)
    plots = {f"plots/{name}": svg.encode("utf-8") for name, svg in sorted(charts(collection).items())}
    files["README.md"] = render_card(collection, checksums, paths, __version__, sorted(plots), sorted(raw)).encode("utf-8")
    files.update(plots)
    files.update(raw)
    files[LICENCE_FILE] = licence_text(collection).encode("utf-8")
    every = all_configs()
    configs = {name: every[name] for name in collection.rows}
    files["croissant.json"] = croissant_json(collection, checksums, paths, configs, __version__,
                                             citation(collection, __version__)).encode("utf-8")
    return files


LOCAL_NOTICE = """> **Local variant — do not redistribute.** This folder was built by `bicorpus ingest-original`
> from the user's own copy of the English original. The configs `original_paragraphs`,
> `original_sentences` and `claim_projections` contain that text, which this project does not
> ship and has no right to share. Keep this folder out of version control and out of any upload.

"""


def write_local_variant(built, result: IngestResult, out_root: Path) -> Path:
    """The loader with the original's configs added, in `out_root/<doc>`."""
    variant = dataclasses.replace(built, rows={**built.rows, **result.rows})
    files = render_loader(variant)
    card = files["README.md"].decode("utf-8")
    head, _, body = card.partition("\n---\n")
    files["README.md"] = (head + "\n---\n\n" + LOCAL_NOTICE + body.lstrip("\n")).encode("utf-8")
    folder = Path(out_root) / built.doc_id
    write_tree(folder, files)
    return folder
