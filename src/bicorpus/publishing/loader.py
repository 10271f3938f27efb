"""Loading a built loader folder with `datasets`, offline and with a fresh cache, as a user
right after cloning would."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ConfigSummary:
    """What loading one config showed: its rows over every split and its columns."""

    num_rows: int
    column_names: tuple[str, ...]


def load_all(loader_dir: Path, configs) -> dict[str, ConfigSummary]:
    """config name -> its row count and columns, each config loaded (every split, every row
    parsed against the card's features) with `datasets.load_dataset`. The rows are not copied
    out: memory stays that of one config's Arrow table, whatever the size of the loader."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    loaded = {}
    with tempfile.TemporaryDirectory(prefix="bicorpus-cache-") as cache:
        for name in configs:
            splits = datasets.load_dataset(str(loader_dir), name, cache_dir=cache)
            columns = {tuple(splits[s].column_names) for s in splits}
            if len(columns) != 1:
                from ..problems import CorpusError, Problem

                raise CorpusError(Problem(str(loader_dir), None, name, f"the splits of config {name!r} have different columns"))
            loaded[name] = ConfigSummary(sum(splits[s].num_rows for s in splits), columns.pop())
            del splits
    return loaded


def replace_loader(collection, out_dir: Path) -> tuple[dict[str, bytes], list[Path], list[Path], dict]:
    """Render the loader into a staging folder beside `out_dir`, check that it holds what was
    rendered and load every config from there, then swap it in whole, so that a reader sees the old loader or the new one and
    never a mix; a failure at any point leaves the old one as it was. Returns (the files, the
    old files the new loader no longer has, the staging folders an interrupted build had left
    and that were removed, every config loaded). The collection's documents must have passed
    their checks (`cli.input_problems`: the sources, the gold and the rows each ships), as every
    caller's gate does before it gets here."""
    import shutil

    from ..files import remove_leftovers, replace_folder, staging_folder, write_tree
    from ..problems import CorpusError
    from .loader_checks import loader_problems
    from .render import render_loader

    out_dir = Path(out_dir)
    leftovers = remove_leftovers(out_dir)
    files = render_loader(collection)
    dropped = sorted(p for p in out_dir.rglob("*") if p.is_file() and p.relative_to(out_dir).as_posix() not in files) \
        if out_dir.is_dir() else []
    staged = staging_folder(out_dir)
    try:
        write_tree(staged, files)
        problems = loader_problems(staged, collection, files)
        if problems:
            raise CorpusError(problems)
        loaded = load_all(staged, list(collection.rows))
        replace_folder(out_dir, staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return files, dropped, leftovers, loaded
