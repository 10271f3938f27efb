"""Small Markdown helpers shared by the card, the statistics and the command line."""

from __future__ import annotations

import html


def table(header: list[str], body: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def plain(text) -> str:
    """A text field from the sources (metadata, notes, evidence) as Markdown shows it, never as
    HTML the card would run: <, > and & are escaped."""
    return html.escape(str(text), quote=False)


def cell(text) -> str:
    """A text field in a table cell: escaped, on one line, its `|` no column break."""
    return plain(text).replace("|", "\\|").replace("\n", " ")
