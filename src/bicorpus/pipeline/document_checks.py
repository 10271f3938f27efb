"""The checks of one built document, beyond what stops its build: its rows as the loader
will ship them (`data_checks`), placeholders and review marks of a new pair, metadata
against the cleaned text, terms, the annotations against the text, and no text of others in
a fetched document's stand-off files.

A pure function of the document's inputs, like `process_document`, so its result is cached
with the built document (`incremental`) and runs on the same engine (`parallel`).
"""

from __future__ import annotations

from pathlib import Path

from ..problems import Problem
from ..schema import Language
from . import data_checks, new_document, source_checks
from .build import BuiltDocument


def document_problems(built: BuiltDocument, annotations_root: Path, as_written=None) -> list[Problem]:
    """Every problem of the document's checks; `as_written`: its gold records as `load_inputs`
    read them (read again when not given)."""
    sources = built.sources
    problems = data_checks.document_data_problems(built)
    problems += new_document.placeholder_problems(sources)
    problems += new_document.review_problems(sources, built.paragraph_beads, built.sentence_beads)
    problems += source_checks.metadata_problems(sources, built.cleaned.header)
    problems += source_checks.terms_problems(sources, built)
    if built.annotations is not None:
        from ..annotation.checks import annotation_problems
        from ..annotation.records import read_annotations, standoff_records

        problems += annotation_problems(built, annotations_root, as_written)
        if any(sources.metadata.side(lang).package for lang in Language):
            # the text is not ours: the files hold offsets, and surfaces only for names and numbers
            raw, _ = read_annotations(annotations_root, built.doc_id)
            problems += [Problem(f, n, field, "a document fetched from a package keeps no text of its claims, cues "
                                              "or notes in its stand-off files (the build fills it in)")
                         for f, n, field in standoff_records(raw)]
    return problems
