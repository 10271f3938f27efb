"""Every annotated document of a project, built: what `extract`, `evaluate`, `train` and the
extraction benchmark score. Kept apart from the collection code so that the extraction
results' digest (`extraction.protocol.RESULTS_CODE`) names only the code the scores depend on."""

from __future__ import annotations

from .build import BuiltDocument


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
