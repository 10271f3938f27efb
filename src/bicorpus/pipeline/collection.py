"""A collection: the documents that one loader ships, with a split per document.

A document that stands alone (gpt4_article) is a collection of one, named after it. A
collection folder `corpus/<name>/` with a `recipe.yaml` holds documents `corpus/<name>/<doc>/`
whose texts come from a pinned package (see sources/recipes.py). The per-document work stays
in `process_document`; this module only adds up the documents' summaries (`pipeline.summary`)
and puts their lines one after the other, a document at a time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .build import BuiltDocument, jsonl_bytes
from .summary import DocumentSummary, summarize

SPLIT_ORDER = ("train", "test")


@dataclass(frozen=True)
class BuiltCollection:
    """The summaries of a loader's documents (`pipeline.summary`), in order: their tallies add
    up to the collection's, and their data files are their documents' lines one after the other."""

    name: str
    documents: tuple[DocumentSummary, ...]
    title: str  # for the card's title
    recipe: object = None  # sources.recipes.Recipe, for a fetched collection

    @property
    def doc_id(self) -> str:
        """The loader's name (kept under this name for the publishing code that labels files)."""
        return self.name

    @cached_property
    def configs(self) -> tuple[str, ...]:
        """The configs the loader ships, in the order the documents make them; a config no document
        has a row of (no translation note anywhere) is left out, not shipped empty."""
        names = dict.fromkeys(config for d in self.documents for config in d.counts)
        return tuple(config for config in names if self.count(config))

    def count(self, config: str, split: str | None = None) -> int:
        """Rows of a config (of one split); the entity inventory is shared, so each entity counts once."""
        return self._counts.get((config, split), 0)

    @cached_property
    def _counts(self) -> dict:
        """(config, split or None) -> rows, added up once: the card, the data files and the
        checks ask for them config by config."""
        counts = Counter()
        for d in self.documents:
            for config, n in d.counts.items():
                if config != "entities":
                    counts[config, d.split] += n
                    counts[config, None] += n
        for split in (*self.splits, None):
            counts["entities", split] = len(self.entities(split))
        return counts

    @cached_property
    def tally(self) -> Counter:
        total = Counter()
        for d in self.documents:
            total.update(d.tally)
        return total

    @cached_property
    def splits(self) -> tuple[str, ...]:
        used = {d.split for d in self.documents}
        return tuple(s for s in SPLIT_ORDER if s in used)

    def splits_of(self, config: str) -> tuple[str, ...]:
        """The splits that have rows of a config."""
        return tuple(split for split in self.splits if self.count(config, split))

    def entities(self, split: str | None = None) -> list:
        """The entity inventory rows of the documents (of one split), each entity once, by id."""
        seen = {}
        for d in self.documents:
            if split is None or d.split == split:
                for e in d.entities:
                    seen.setdefault(e.id, e)
        return [seen[k] for k in sorted(seen)]

    def data_chunks(self, config: str, split: str):
        """The data file of one config and split, as its documents' JSON Lines one document at a
        time (the entity inventory, shared by the documents, at once)."""
        if config == "entities":
            yield jsonl_bytes(self.entities(split))
            return
        for d in self.documents:
            if d.split == split and d.counts.get(config):
                yield d.data_of(config)

    def row_json(self, config: str, index: int) -> dict:
        """The row at `index` of a config over every document in order, as its JSON object."""
        import json

        if config == "entities":
            from ..features import row_to_json

            return row_to_json(self.entities()[index])
        for d in self.documents:
            n = d.counts.get(config, 0)
            if index < n:
                return json.loads(d.data_of(config).split(b"\n")[index])
            index -= n
        raise IndexError(index)

    @property
    def annotated(self) -> tuple[DocumentSummary, ...]:
        return tuple(d for d in self.documents if d.annotated)


def single(built: BuiltDocument | DocumentSummary) -> BuiltCollection:
    summary = summarize(built) if isinstance(built, BuiltDocument) else built
    return BuiltCollection(summary.doc_id, (summary,), summary.metadata.title_zh)


def as_collection(built) -> BuiltCollection:
    """A collection as it is, a built document (or its summary) as a collection of one."""
    return built if isinstance(built, BuiltCollection) else single(built)
