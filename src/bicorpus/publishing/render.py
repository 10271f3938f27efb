"""Stage 4b: the built collection -> the loader's files (data, card, Croissant metadata, charts).

The data files and the raw sources are streams (`streamed_files`): each is its documents'
bytes one document after the other, read from their payloads while the file is written or
hashed, so that no data file is ever whole in memory. The other files (`rendered_files`) are
made from the documents' summaries and the data files' sha256. `render_loader` puts both
together in memory, for a small loader and for the tests; the build writes the streams
(`write_loader`) and `validate` hashes them against the committed loader without writing.
`local_variant_files` renders the loader of a user's own copy of the English original
(`bicorpus ingest-original`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Callable, Iterable

from .. import __version__
from ..files import write_atomic, write_tree
from ..pipeline.build import DATA_DIR, data_path
from ..pipeline.collection import BuiltCollection, as_collection
from ..pipeline.ingest import IngestResult
from ..schema import Language, all_configs
from .card import LICENCE_FILE, citation, licence_text, render_card
from .croissant import croissant_json
from .stats import charts

RAW_DIR = "raw"
Stream = Callable[[], Iterable[bytes]]


def data_files(collection: BuiltCollection) -> dict[str, dict[str, str]]:
    """config -> split -> data file path; a loader with one split keeps `data/<config>.jsonl`."""
    out = {}
    for config in collection.configs:
        if collection.splits == ("train",):
            out[config] = {"train": data_path(config)}
        else:
            out[config] = {split: f"{DATA_DIR}/{config}/{split}.jsonl" for split in collection.splits_of(config)}
    return out


def data_streams(collection: BuiltCollection) -> dict[str, Stream]:
    """Every data file, by path, as a stream of its documents' lines."""
    return {path: (lambda config=config, split=split: collection.data_chunks(config, split))
            for config, by_split in data_files(collection).items() for split, path in by_split.items()}


def raw_streams(collection: BuiltCollection) -> dict[str, Stream]:
    """The raw source file of each side whose rows carry raw offsets into it, so that the offsets
    resolve from the loader alone: `raw/<doc>/<file>`. A side read from a package is never
    shipped (the text is not ours); its offsets name the package file instead."""
    return {path: (lambda d=d, lang=lang: (d.source_text(Language(lang)).encode("utf-8"),))
            for d in collection.documents for path, lang in d.raw_files}


def streamed_files(collection: BuiltCollection) -> dict[str, Stream]:
    return {**data_streams(collection), **raw_streams(collection)}


def hashed(stream: Stream, digest) -> Iterable[bytes]:
    """The stream's chunks, each fed to `digest` on its way."""
    for chunk in stream():
        digest.update(chunk)
        yield chunk


def stream_sha256(stream: Stream) -> str:
    digest = hashlib.sha256()
    for _ in hashed(stream, digest):
        pass
    return digest.hexdigest()


def data_checksums(collection: BuiltCollection, checksums: dict[str, str]) -> dict[str, str]:
    """The sha256 of the data files alone (the card's signature and Croissant list them), out of
    those of every streamed file."""
    return {path: checksums[path] for by_split in data_files(collection).values() for path in by_split.values()}


def rendered_files(collection: BuiltCollection, checksums: dict[str, str]) -> dict[str, bytes]:
    """The card, the charts, LICENSE.md and croissant.json, given the sha256 of every data file."""
    paths = data_files(collection)
    raw = sorted(raw_streams(collection))
    plots = {f"plots/{name}": svg.encode("utf-8") for name, svg in sorted(charts(collection).items())}
    files = {"README.md": render_card(collection, checksums, paths, __version__, sorted(plots), raw).encode("utf-8")}
    files.update(plots)
    files[LICENCE_FILE] = licence_text(collection).encode("utf-8")
    every = all_configs()
    configs = {name: every[name] for name in collection.configs}
    files["croissant.json"] = croissant_json(collection, checksums, paths, configs, __version__,
                                             citation(collection, __version__)).encode("utf-8")
    return files


def write_loader(collection: BuiltCollection, folder: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Write every file of the loader under `folder` (a staging folder), the data streamed and
    hashed as it is written. Returns (the rendered files, the sha256 of every streamed file)."""
    checksums = {}
    for relative, stream in sorted(streamed_files(collection).items()):
        digest = hashlib.sha256()
        write_atomic(Path(folder) / relative, hashed(stream, digest))
        checksums[relative] = digest.hexdigest()
    files = rendered_files(collection, data_checksums(collection, checksums))
    write_tree(folder, files, managed_globs=())  # a new folder: the streamed files are not stale ones
    return files, checksums


def render_loader(collection) -> dict[str, bytes]:
    """Every file of the loader folder, by path relative to it, in memory."""
    collection = as_collection(collection)
    streamed = {path: b"".join(stream()) for path, stream in streamed_files(collection).items()}
    checksums = {path: hashlib.sha256(data).hexdigest() for path, data in streamed.items()}
    return {**streamed, **rendered_files(collection, data_checksums(collection, checksums))}


LOCAL_NOTICE = """> **Local variant — do not redistribute.** This folder was built by `bicorpus ingest-original`
> from the user's own copy of the English original. The configs `original_paragraphs`,
> `original_sentences` and `claim_projections` contain that text, which this project does not
> ship and has no right to share. Keep this folder out of version control and out of any upload.

"""


def local_variant_files(built, result: IngestResult) -> dict[str, bytes]:
    """The files of the loader with the original's configs added (those that have rows)."""
    variant = dataclasses.replace(built, rows={**built.rows, **result.rows})
    files = render_loader(variant)
    card = files["README.md"].decode("utf-8")
    head, _, body = card.partition("\n---\n")
    files["README.md"] = (head + "\n---\n\n" + LOCAL_NOTICE + body.lstrip("\n")).encode("utf-8")
    return files
