"""Stage 5: the source checks `bicorpus validate` runs on corpus/ and annotations/. Each check
returns a list of Problems that name the file, the line and the field; none raises.

The checks of the rows a document ships are in `bicorpus.pipeline.data_checks`; those of a
loader folder's files, in `bicorpus.publishing.loader_checks`.
"""

from __future__ import annotations

from ..problems import Problem
from ..sources.capture import DocumentSources
from .build import BuiltDocument


def metadata_problems(sources: DocumentSources, header: dict) -> list[Problem]:
    """The human-edited metadata must agree with what the sources themselves state: the page
    header of a capture (title, date, word count, reading time, address, author)."""
    meta, lines, path = sources.metadata, sources.metadata_lines, sources.metadata_path
    if "title" not in header:
        return []
    published = meta.zh.published.isoformat() if meta.zh.published else None
    expected = {
        "title_zh": (meta.title_zh, header["title"]),
        "zh.published": (published, header["date"]),
        "zh_word_count": (meta.zh_word_count, header["word_count"]),
        "zh_reading_minutes": (meta.zh_reading_minutes, header["reading_minutes"]),
        "original_url": (meta.original_url, header["source_url"]),
    }
    problems = [Problem(path, lines.get(key), key, f"is {ours!r} but the capture says {value!r}")
                for key, (ours, value) in expected.items() if ours != value]
    if meta.original_author not in header["page_title_fields"]:
        problems.append(Problem(path, lines.get("original_author"), "original_author",
                                f"{meta.original_author!r} is not among the page title's fields {list(header['page_title_fields'])}"))
    return problems


def terms_problems(sources: DocumentSources, built: BuiltDocument) -> list[Problem]:
    terms = sources.terms.lines()
    problems = [Problem(sources.terms.path, n, "term", "empty line") for n, t in enumerate(terms, 1) if not t.strip()]
    if terms != sorted(set(terms)):
        problems.append(Problem(sources.terms.path, None, "term", "terms must be sorted and unique (one per line)"))
    for side in (built.zh, built.en):
        raw = sources.sides[side.language][0]
        for paragraph, offset, term in side.split_terms:
            p = side.paragraphs[paragraph]
            path = raw.path
            line = (raw.text[: p.raw_start].count("\n") + 1) if p.raw_start is not None else paragraph + 1
            problems.append(Problem(path, line, "text", f"term {term!r} at offset {offset} of paragraph {paragraph} is not one token"))
    return problems
