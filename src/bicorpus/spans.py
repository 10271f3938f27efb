"""Choosing among overlapping spans: one generic selector, shared by the annotation finders,
segmentation and the extraction baseline."""

from __future__ import annotations

from typing import Iterable


def keep_longest(spans: Iterable[tuple]) -> list[tuple]:
    """The spans (start, end, ...) that do not overlap, the longest winning where two do."""
    kept, taken_until = [], -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= taken_until:
            kept.append(span)
            taken_until = span[1]
    return kept
