"""A collection: the documents that one loader ships, with a split per document.

A document that stands alone (gpt4_article) is a collection of one, named after it. A
collection folder `corpus/<name>/` with a `recipe.yaml` holds documents `corpus/<name>/<doc>/`
whose texts come from a pinned package (see sources/recipes.py). The per-document work stays
in `process_document`; this module only puts the documents' rows side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .build import BuiltDocument

SPLIT_ORDER = ("train", "test")


@dataclass(frozen=True)
class BuiltCollection:
    name: str
    documents: tuple[BuiltDocument, ...]
    title: str  # for the card's title
    recipe: object = None  # sources.recipes.Recipe, for a fetched collection

    @property
    def doc_id(self) -> str:
        """The loader's name (kept under this name for the publishing code that labels files)."""
        return self.name

    @cached_property
    def rows(self) -> dict:
        """config -> the rows of every document, documents in order; the entity inventory is
        shared, so `entities` holds each entity once."""
        merged: dict = {}
        for built in self.documents:
            for config, rows in built.rows.items():
                merged.setdefault(config, [])
                if config == "entities":
                    seen = {e.id for e in merged[config]}
                    merged[config] += [e for e in rows if e.id not in seen]
                else:
                    merged[config] += rows
        if "entities" in merged:
            merged["entities"].sort(key=lambda e: e.id)
        # a config no document has a row of (no translation note anywhere) is left out, not shipped empty
        return {config: rows for config, rows in merged.items() if rows}

    @cached_property
    def splits(self) -> tuple[str, ...]:
        used = {b.sources.metadata.split for b in self.documents}
        return tuple(s for s in SPLIT_ORDER if s in used)

    def split_of(self, doc_id: str) -> str:
        return next(b.sources.metadata.split for b in self.documents if b.doc_id == doc_id)

    def rows_by_split(self, config: str) -> dict[str, list]:
        """split -> rows of one config; splits without rows are left out."""
        return self._split_rows.get(config, {})

    @cached_property
    def _split_rows(self) -> dict[str, dict[str, list]]:
        """config -> split -> rows, put together once: the data files, the card and Croissant read it."""
        out: dict[str, dict[str, list]] = {}
        for split in self.splits:
            docs = tuple(b for b in self.documents if b.sources.metadata.split == split)
            for config, rows in BuiltCollection(self.name, docs, self.title).rows.items():
                out.setdefault(config, {})[split] = rows
        return out

    def data_bytes(self, config: str, split: str) -> bytes:
        """The data file of one config and split: its documents' JSON Lines in order (the
        entity inventory, shared by the documents, from the merged rows)."""
        from .build import jsonl_bytes

        if config == "entities":
            return jsonl_bytes(self.rows_by_split(config).get(split, ()))
        return b"".join(b.data_of(config) for b in self.documents if b.sources.metadata.split == split and config in b.rows)

    @property
    def annotated(self) -> tuple[BuiltDocument, ...]:
        return tuple(b for b in self.documents if b.annotations is not None)


def single(built: BuiltDocument) -> BuiltCollection:
    return BuiltCollection(built.doc_id, (built,), built.sources.metadata.title_zh)


def annotated_documents(root, cache, fetch: bool = False, skipped: list | None = None) -> list[tuple[BuiltDocument, str]]:
    """Every document of the corpus with a gold claim annotation, built, with its split.

    A fetched collection whose package is not in `cache` is left out (and named in `skipped`)
    unless `fetch` is true."""
    from pathlib import Path

    from ..problems import CorpusError
    from ..sources.capture import list_documents
    from ..sources.recipes import package_roots_for
    from .build import load_inputs, process_document

    corpus, annotations = Path(root) / "corpus", Path(root) / "annotations"
    roots: dict[str, dict | None] = {}
    out = []
    for doc in list_documents(corpus):
        collection = doc.split("/")[0]
        if collection not in roots:
            roots[collection] = None
            if "/" in doc and (corpus / collection / "recipe.yaml").is_file():
                try:
                    roots[collection] = package_roots_for(corpus / collection, Path(cache), fetch)
                except CorpusError:
                    roots[collection] = {}
        if roots[collection] == {}:
            if skipped is not None:
                skipped.append(doc)
            continue
        sources, gold = load_inputs(corpus, annotations, doc, roots[collection])
        if gold is not None:
            built = process_document(sources, gold)
            out.append((built, sources.metadata.split))
    return out
