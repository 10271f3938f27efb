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
