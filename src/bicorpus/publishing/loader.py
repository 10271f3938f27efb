"""Loading a built loader folder with `datasets`, offline and with a fresh cache, as a user
right after cloning would."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def load_all(loader_dir: Path, configs) -> dict:
    """config name -> its rows (every split), each config loaded with `datasets.load_dataset`."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    loaded = {}
    with tempfile.TemporaryDirectory(prefix="bicorpus-cache-") as cache:
        for name in configs:
            splits = datasets.load_dataset(str(loader_dir), name, cache_dir=cache)
            # every split, copied into memory: the rows stay readable after the cache folder is removed
            dataset = datasets.concatenate_datasets([splits[s] for s in sorted(splits)])
            loaded[name] = datasets.Dataset.from_dict(dataset.to_dict(), features=dataset.features)
    return loaded


def replace_loader(collection, out_dir: Path) -> tuple[dict[str, bytes], list[Path], list[Path], dict]:
    """Render the loader into a staging folder beside `out_dir`, check it and load every config
    from there, then swap it in whole, so that a reader sees the old loader or the new one and
    never a mix; a failure at any point leaves the old one as it was. Returns (the files, the
    old files the new loader no longer has, the staging folders an interrupted build had left
    and that were removed, every config loaded)."""
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
        problems = loader_problems(staged, collection)
        if problems:
            raise CorpusError(problems)
        loaded = load_all(staged, list(collection.rows))
        replace_folder(out_dir, staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return files, dropped, leftovers, loaded
