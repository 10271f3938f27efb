"""The per-document work of a collection, run on an existing engine.

Each document goes through `incremental.build_document` (`process_document`, or its cache
entry) on its own; the documents' results come back in the order of the documents, so the
loader is the same bytes whatever the number of workers. Engines:

- one job: a plain loop in this process;
- `jobs > 1`: `datasets.Dataset.map(num_proc=jobs)`, one document per batch;
- `engine="ray"`: Ray Data (`ray.data.from_items(...).map`), on the cluster `ray.init` finds
  or a local one; needs the `ray` extra (`pip install -e ".[ray]"`).

A worker sends a document back as a pickle of its summary (`pipeline.summary`), or of the
problems that stopped it: with a cache folder, the summary points at the entry the worker wrote,
so what crosses between processes is small whatever the size of the document. The cache folder
must be one the workers can write and the main process read (a shared file system on a cluster).
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..extras import ray_started
from ..problems import CorpusError, Problem
from .incremental import build_document, remove_old_layout, shared_files_digest
from .summary import DocumentSummary

ENGINES = ("datasets", "ray")


@dataclass(frozen=True)
class DocumentOutcome:
    doc_id: str
    built: Optional[DocumentSummary]  # None when problems stopped its build
    problems: tuple[Problem, ...]  # what stopped it, or what its input checks found
    cached: bool


@dataclass(frozen=True)
class DocumentJob:
    """What a worker needs to build one document (picklable: paths and names only)."""

    corpus: str
    annotations: str
    package_roots: Optional[dict]
    cache_dir: Optional[str]
    reuse: bool = True  # false: entries are written but none is read (`--no-cache`)
    shared: Optional[bytes] = None  # incremental.shared_files_digest, computed once for every document

    def run(self, doc_id: str) -> DocumentOutcome:
        try:
            built, problems, cached = build_document(Path(self.corpus), Path(self.annotations), doc_id,
                                                     self.package_roots,
                                                     None if self.cache_dir is None else Path(self.cache_dir), self.reuse,
                                                     self.shared)
            return DocumentOutcome(doc_id, built, tuple(problems), cached)
        except CorpusError as err:
            return DocumentOutcome(doc_id, None, tuple(err.problems), False)

    def run_encoded(self, doc_id: str) -> bytes:
        return zlib.compress(pickle.dumps(self.run(doc_id), protocol=pickle.HIGHEST_PROTOCOL), 1)


def decode(data: bytes) -> DocumentOutcome:
    return pickle.loads(zlib.decompress(data))


def _warm_up() -> None:
    """Load the segmenters and jieba's dictionary once, before the workers fork: each worker
    starts with them in memory instead of reading them again."""
    import spacy.lang.en  # noqa: F401
    import spacy.lang.zh  # noqa: F401

    from .segment import jieba_dictionary

    jieba_dictionary()


def _with_datasets(job: DocumentJob, docs: list[str], jobs: int) -> list[bytes]:
    import datasets

    datasets.disable_progress_bars()
    _warm_up()

    def encode(batch):
        return {"outcome": [job.run_encoded(doc) for doc in batch["doc_id"]]}

    table = datasets.Dataset.from_dict({"doc_id": docs})
    # in memory and with a given fingerprint: no cache file is written and the function is not hashed
    mapped = table.map(encode, batched=True, batch_size=1, num_proc=min(jobs, len(docs)), keep_in_memory=True,
                       remove_columns=["doc_id"], new_fingerprint=f"bicorpus-build-{len(docs)}-{jobs}")
    return list(mapped["outcome"])


def _with_ray(job: DocumentJob, docs: list[str]) -> list[bytes]:
    ray = ray_started("--engine")
    items = ray.data.from_items([{"index": i, "doc_id": doc} for i, doc in enumerate(docs)])
    rows = items.map(lambda row: {"index": row["index"], "outcome": job.run_encoded(row["doc_id"])}).take_all()
    # Ray Data does not promise the order of rows: put them back in the documents' order
    return [row["outcome"] for row in sorted(rows, key=lambda row: row["index"])]


def build_documents(docs: list[str], corpus: Path, annotations: Path, package_roots=None, *, jobs: int = 1,
                    cache_dir: Path | None = None, engine: str = "datasets", reuse: bool = True,
                    progress: Callable[[str], None] | None = None) -> list[DocumentOutcome]:
    """Every document's outcome, in the order of `docs`; `progress(doc)` after each one on the
    in-process loop (the engines report their own progress, or none)."""
    # an absolute cache folder: the summaries point into it, wherever a worker or the caller runs later
    cache = None if cache_dir is None else str(Path(cache_dir).resolve())
    shared = None if cache_dir is None else shared_files_digest(annotations)
    if cache_dir is not None and Path(cache_dir).is_dir():
        remove_old_layout(Path(cache_dir))
    job = DocumentJob(str(corpus), str(annotations), package_roots, cache, reuse, shared)
    if engine not in ENGINES:
        raise CorpusError(Problem("--engine", None, None, f"unknown engine {engine!r}; one of {', '.join(ENGINES)}"))
    if engine == "ray":
        return [decode(data) for data in _with_ray(job, docs)]
    if jobs > 1 and len(docs) > 1:
        return [decode(data) for data in _with_datasets(job, docs, jobs)]
    outcomes = []
    for doc in docs:
        outcomes.append(job.run(doc))
        if progress is not None:
            progress(doc)
    return outcomes


def built_or_raise(outcomes: list[DocumentOutcome]) -> list[DocumentSummary]:
    """The built documents, or every problem of every document that has one."""
    problems = [p for outcome in outcomes for p in outcome.problems]
    if problems:
        raise CorpusError(problems)
    return [outcome.built for outcome in outcomes]
