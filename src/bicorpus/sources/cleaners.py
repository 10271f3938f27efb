"""Stage 1: raw page capture -> article body blocks plus a manifest of dropped regions.

The body and the dropped regions partition the capture: every character belongs to
exactly one region. Whitespace normalization is limited to this: each body line is
stripped of leading and trailing spaces, and the line breaks and blank lines between
lines become `layout_whitespace` regions (or belong to the chrome region around them when
both neighbours are the same chrome). Nothing inside a body line is changed, so a block's
text is exactly `raw[raw_start:raw_end]`.

Cleaners are found by name (`CLEANERS`), so a capture from another site, or a changed
page layout, gets a new cleaner rather than a quiet change to this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

from ..problems import CorpusError, Problem
from ..schema import Block, CleanedCapture, ParagraphKind, Region, RegionReason
from .capture import SourceFile


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # stripped text


def content_lines(raw: str) -> list[Line]:
    """The non-blank lines of `raw`, with the offsets of their stripped content."""
    lines, offset = [], 0
    for number, line in enumerate(raw.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            start = offset + len(line) - len(line.lstrip())
            lines.append(Line(number, start, start + len(stripped), stripped))
        offset += len(line) + 1
    return lines


def blank_lines_before(raw: str, line: Line) -> int:
    """How many blank lines separate `line` from the previous non-blank line."""
    before = raw[: line.start]
    tail = before[len(before.rstrip()):]
    return max(tail.count("\n") - 1, 0)


def partition(raw: str, labelled: list[tuple[Line, RegionReason]]) -> tuple[Region, ...]:
    """Regions covering all of `raw`: each labelled line's content keeps its reason; the
    whitespace between two lines takes their reason when both share a dropped reason,
    and is `layout_whitespace` otherwise."""
    reasons: list[Optional[RegionReason]] = [None] * len(raw)
    for line, reason in labelled:
        reasons[line.start:line.end] = [reason] * (line.end - line.start)
    i = 0
    while i < len(raw):
        if reasons[i] is not None:
            i += 1
            continue
        j = i
        while j < len(raw) and reasons[j] is None:
            j += 1
        left = reasons[i - 1] if i > 0 else None
        right = reasons[j] if j < len(raw) else None
        fill = left if left is right and left not in (None, RegionReason.BODY) else RegionReason.LAYOUT_WHITESPACE
        reasons[i:j] = [fill] * (j - i)
        i = j
    regions, start = [], 0
    for k in range(1, len(raw) + 1):
        # Body lines are always separated by a line break, so each body run is one block.
        if k == len(raw) or reasons[k] is not reasons[start]:
            regions.append(Region(start, k, reasons[start]))
            start = k
    return tuple(regions)


# ---------------------------------------------------------------------------------------
# InfoQ article pages, text capture as of 2022-2023 (infoq_v1)
# ---------------------------------------------------------------------------------------

_HEADER_DATE = re.compile(r"^•\s*(\d{4}-\d{2}-\d{2})$")
_HEADER_WORDS = re.compile(r"^•\s*本文字数[:：]\s*(\d+)\s*字$")
_HEADER_READING = re.compile(r"^阅读完需[:：]\s*约?\s*(\d+)\s*分钟$")
_SOURCE_LINK = re.compile(r"^原文链接[:：]$")
_URL = re.compile(r"^https?://\S+$")
_COMMENTS_START = re.compile(r"^评论\s*\d+\s*条评论$")
_COMMENTS_END = "没有更多了"
_RELATED_START = "发现更多内容"


def _find(lines: list[Line], start: int, test: Callable[[str], bool], what: str, path: str) -> int:
    for i in range(start, len(lines)):
        if test(lines[i].text):
            return i
    after = lines[start - 1].number if 0 < start <= len(lines) else 1
    raise CorpusError(Problem(path, after, None, f"infoq_v1 cleaner: no {what} after this line"))


def clean_infoq_v1(capture: SourceFile) -> CleanedCapture:
    raw, path = capture.text, capture.path
    lines = content_lines(raw)
    if not lines:
        raise CorpusError(Problem(path, 1, None, "capture is empty"))
    labelled: list[tuple[Line, RegionReason]] = []

    date_at = _find(lines, 0, _HEADER_DATE.match, "header date line ('• YYYY-MM-DD')", path)
    if date_at == 0:
        raise CorpusError(Problem(path, lines[0].number, None, "infoq_v1 cleaner: no title line before the header"))
    header_title = lines[date_at - 1]
    labelled += [(line, RegionReason.SITE_UI) for line in lines[: date_at - 1]]
    labelled.append((header_title, RegionReason.REPEATED_TITLE))
    words_at = _find(lines, date_at, _HEADER_WORDS.match, "word count line ('• 本文字数:N 字')", path)
    reading_at = _find(lines, words_at, _HEADER_READING.match, "reading time line ('阅读完需:约 N 分钟')", path)
    labelled += [(line, RegionReason.HEADER_METADATA) for line in lines[date_at: reading_at + 1]]

    body_start = reading_at + 1
    link_at = _find(lines, body_start, _SOURCE_LINK.match, "source link line ('原文链接:')", path)
    body = lines[body_start:link_at]
    if len(body) < 2 or body[0].text != header_title.text:
        line = body[0].number if body else lines[link_at].number
        raise CorpusError(Problem(path, line, None, "infoq_v1 cleaner: the body must open with the title shown in the header"))
    url_at = link_at + 1
    if url_at >= len(lines) or not _URL.match(lines[url_at].text):
        raise CorpusError(Problem(path, lines[link_at].number, None, "infoq_v1 cleaner: no URL after '原文链接:'"))
    labelled += [(lines[link_at], RegionReason.SOURCE_LINK), (lines[url_at], RegionReason.SOURCE_LINK)]

    comments_at = _find(lines, url_at + 1, _COMMENTS_START.match, "comment section ('评论 N 条评论')", path)
    comments_end = _find(lines, comments_at, lambda t: t == _COMMENTS_END, f"end of comments ('{_COMMENTS_END}')", path)
    related_at = _find(lines, comments_end, lambda t: t == _RELATED_START, f"related-article list ('{_RELATED_START}')", path)
    page_title = lines[-1]
    if not page_title.text.startswith(header_title.text + "_"):
        raise CorpusError(Problem(path, page_title.number, None, "infoq_v1 cleaner: the last line must be the page title '<title>_<category>_<author>_InfoQ...'"))
    labelled += [(line, RegionReason.AUTHOR_BOX) for line in lines[url_at + 1: comments_at]]
    labelled += [(line, RegionReason.COMMENTS) for line in lines[comments_at: comments_end + 1]]
    labelled += [(line, RegionReason.RELATED_ARTICLES) for line in lines[comments_end + 1: len(lines) - 1]]
    labelled.append((page_title, RegionReason.PAGE_TITLE))
    if related_at != comments_end + 1:
        raise CorpusError(Problem(path, lines[comments_end + 1].number, None, "infoq_v1 cleaner: unexpected text between the comments and the related-article list"))

    blocks = []
    for i, line in enumerate(body):
        if i == 0:
            kind = ParagraphKind.TITLE
        elif i == 1:
            kind = ParagraphKind.LEAD
        else:
            # InfoQ renders a section heading after a single blank line, a paragraph after two.
            kind = ParagraphKind.HEADING if blank_lines_before(raw, line) == 1 else ParagraphKind.PARAGRAPH
        blocks.append(Block(kind, line.text, line.start, line.end))
        labelled.append((line, RegionReason.BODY))

    title_parts = page_title.text[len(header_title.text) + 1:].split("_")
    header = {
        "title": header_title.text,
        "date": _HEADER_DATE.match(lines[date_at].text).group(1),
        "word_count": int(_HEADER_WORDS.match(lines[words_at].text).group(1)),
        "reading_minutes": int(_HEADER_READING.match(lines[reading_at].text).group(1)),
        "source_url": lines[url_at].text,
        "page_title_fields": tuple(title_parts),
    }
    return CleanedCapture(tuple(blocks), partition(raw, labelled), header)


CLEANERS: dict[str, Callable[[SourceFile], CleanedCapture]] = {"infoq_v1": clean_infoq_v1}


def clean(capture: SourceFile, cleaner: str) -> CleanedCapture:
    if cleaner not in CLEANERS:
        raise CorpusError(Problem(capture.path, None, "cleaner", f"unknown cleaner {cleaner!r}; known: {', '.join(sorted(CLEANERS))}"))
    return CLEANERS[cleaner](capture)
