"""Loading a built loader folder with `datasets`, offline, as a user right after cloning would.

The build opens every config of the loader it has just written in streaming mode and reads the
first row of every split (`open_all`): that proves the card's configs, features and data files
fit together. That every row loads was proved document by document when each was built
(`pipeline.data_checks.arrow_problems`, the parse `datasets` does, cached with the document), so
a rebuild does not parse the rows of the documents that did not change. `load_all` loads every
row of every config into a fresh cache, for a loader read on its own (`ingest-original`) and for
the benchmark.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ConfigSummary:
    """One config: its rows over every split (as loaded, or as the build counted them for a
    config opened in streaming mode) and the columns loading it gave."""

    num_rows: int
    column_names: tuple[str, ...]


def _quiet_offline_datasets():
    """`datasets`, offline and without progress bars or warnings on stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    return datasets


@contextmanager
def card_yaml_parsed_by_libyaml():
    """huggingface_hub reads a card's YAML with `yaml.safe_load`, PyYAML's pure-Python parser, on
    every `load_dataset` call: for our cards (the features of ten configs) that was most of the
    time it takes to open every config. Inside this block the same call parses with libyaml's
    `CSafeLoader`, which gives the same data (`tests/test_loader_e2e.py` compares them on the
    committed card); without libyaml nothing changes."""
    import yaml

    from ..sources.capture import SAFE_LOADER

    if SAFE_LOADER is yaml.SafeLoader:
        yield
        return
    pure_python = yaml.safe_load
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=SAFE_LOADER)
    try:
        yield
    finally:
        yaml.safe_load = pure_python


def load_all(loader_dir: Path, configs) -> dict[str, ConfigSummary]:
    """config name -> its row count and columns, each config loaded (every split, every row
    parsed against the card's features) with `datasets.load_dataset`. The rows are not copied
    out: memory stays that of one config's Arrow table, whatever the size of the loader."""
    datasets = _quiet_offline_datasets()
    loaded = {}
    with tempfile.TemporaryDirectory(prefix="bicorpus-cache-") as cache, card_yaml_parsed_by_libyaml():
        for name in configs:
            splits = datasets.load_dataset(str(loader_dir), name, cache_dir=cache)
            columns = {tuple(splits[s].column_names) for s in splits}
            if len(columns) != 1:
                from ..problems import CorpusError, Problem

                raise CorpusError(Problem(str(loader_dir), None, name, f"the splits of config {name!r} have different columns"))
            loaded[name] = ConfigSummary(sum(splits[s].num_rows for s in splits), columns.pop())
            del splits
    return loaded


def open_all(loader_dir: Path, counts: dict[str, dict[str, int]]) -> dict[str, ConfigSummary]:
    """config name -> its rows (as the build counted them) and columns: each config opened with
    `datasets.load_dataset(..., streaming=True)`, which must give the splits in `counts`
    (config -> split -> rows) and the first row of each."""
    from ..problems import CorpusError, Problem, error_text

    datasets = _quiet_offline_datasets()
    loaded = {}
    for name, by_split in counts.items():
        try:
            with card_yaml_parsed_by_libyaml():
                splits = datasets.load_dataset(str(loader_dir), name, streaming=True)
            first_rows = {split: next(iter(splits[split]), None) for split in splits}
        except Exception as err:  # any failure of the library is the loader's problem, said in one line
            raise CorpusError(Problem(str(loader_dir), None, name,
                                      f"load_dataset fails on config {name!r} ({error_text(err)})")) from None
        if sorted(first_rows) != sorted(by_split):
            raise CorpusError(Problem(str(loader_dir), None, name, f"load_dataset gives the splits {sorted(first_rows)} of "
                                                                  f"config {name!r}, the build wrote {sorted(by_split)}"))
        empty = [split for split, row in first_rows.items() if row is None]
        if empty:
            raise CorpusError(Problem(str(loader_dir), None, name, f"load_dataset reads no row of split {empty[0]!r}"))
        columns = {tuple(row) for row in first_rows.values()}
        if len(columns) != 1:
            raise CorpusError(Problem(str(loader_dir), None, name, f"the splits of config {name!r} have different columns"))
        loaded[name] = ConfigSummary(sum(by_split.values()), columns.pop())
    return loaded


def replace_loader(collection, out_dir: Path) -> tuple[dict[str, str], list[Path], list[Path], dict]:
    """Write the loader into a staging folder beside `out_dir` (its data streamed from the
    documents' payloads, one document at a time), check that it holds what was written and open
    every config from there (`open_all`), then swap it in whole, so that a reader sees the old loader or the
    new one and never a mix; a failure at any point leaves the old one as it was. Returns (the
    sha256 of every file, the old files the new loader no longer has, the staging folders an
    interrupted build had left and that were removed, every config loaded). The collection's
    documents must have passed their checks (`cli.input_problems`: the sources, the gold and
    the rows each ships), as every caller's gate does before it gets here."""
    import hashlib

    from ..files import remove_leftovers, replacing
    from ..problems import CorpusError
    from .loader_checks import written_problems
    from .render import write_loader

    out_dir = Path(out_dir)
    leftovers = remove_leftovers(out_dir)
    with replacing(out_dir) as staged:
        files, streamed = write_loader(collection, staged)
        checksums = {**streamed, **{path: hashlib.sha256(data).hexdigest() for path, data in files.items()}}
        problems = written_problems(staged, collection, files, streamed)
        if problems:
            raise CorpusError(problems)
        loaded = open_all(staged, {config: {split: collection.count(config, split) for split in collection.splits_of(config)}
                                   for config in collection.configs})
        dropped = sorted(p for p in out_dir.rglob("*") if p.is_file() and p.relative_to(out_dir).as_posix() not in checksums) \
            if out_dir.is_dir() else []
    return checksums, dropped, leftovers, loaded


def replace_local_variant(built, result, out_root: Path) -> tuple[Path, dict[str, ConfigSummary]]:
    """Write the local variant of `built` with the original's configs (`ingest`) into a staging
    folder beside `out_root/<doc>`, open the original's configs from there, then swap it in
    whole, as `replace_loader` does: a failure leaves no half-written variant. Returns the
    folder and the original's configs loaded (a document with no claims has no projections)."""
    from ..files import replacing, write_tree
    from .render import local_variant_files

    folder = Path(out_root) / built.doc_id
    with replacing(folder) as staged:
        write_tree(staged, local_variant_files(built, result))
        loaded = load_all(staged, [config for config, rows in result.rows.items() if rows])
    return folder, loaded
