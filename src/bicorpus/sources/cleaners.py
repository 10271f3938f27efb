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
from typing import Callable, Optional, Sequence

from ..problems import CorpusError, Problem
from ..schema import Block, CleanedCapture, ParagraphKind, Region, RegionReason
from .capture import SourceFile

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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


def clean_infoq_v1(files: Sequence[SourceFile]) -> CleanedCapture:
    capture = _single(files, "infoq_v1")
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




# ---------------------------------------------------------------------------------------
# Files without page chrome: one side's text as the project or a user gives it
# ---------------------------------------------------------------------------------------


def _single(files: Sequence[SourceFile], cleaner: str) -> SourceFile:
    if len(files) != 1:
        where = files[0].path if files else "document.yaml"
        raise CorpusError(Problem(where, None, "source", f"the {cleaner} cleaner reads exactly one file, got {len(files)}"))
    return files[0]


def _located(raw: str, texts: Sequence[tuple[ParagraphKind, str]]) -> list[Block]:
    """Blocks for the texts, with raw offsets where a text occurs verbatim in `raw` (searched
    in order, so a repeated paragraph gets its own occurrence) and none where it does not."""
    blocks, at = [], 0
    for kind, text in texts:
        found = raw.find(text, at)
        if found == -1:
            blocks.append(Block(kind, text, None, None))
        else:
            blocks.append(Block(kind, text, found, found + len(text)))
            at = found + len(text)
    return blocks


def _cleaned(blocks: list[Block], path: str, cleaner: str) -> CleanedCapture:
    if not blocks:
        raise CorpusError(Problem(path, None, None, f"{cleaner} cleaner: no text found"))
    return CleanedCapture(tuple(blocks), (), {})


def clean_lines(files: Sequence[SourceFile]) -> CleanedCapture:
    """One paragraph per line, as this project writes its translations; the kinds are not
    stated, so the build takes them from the other side through the paragraph beads."""
    source = _single(files, "lines")
    problems, blocks = [], []
    for number, line in enumerate(source.lines(), 1):
        if not line.strip():
            problems.append(Problem(source.path, number, "text", "empty paragraph"))
        elif line != line.strip():
            problems.append(Problem(source.path, number, "text", "leading or trailing whitespace"))
        # no raw offsets: the file holds the text itself, one paragraph per line
        blocks.append(Block(ParagraphKind.PARAGRAPH, line, None, None))
    if problems:
        raise CorpusError(problems)
    return CleanedCapture(tuple(blocks), (), {"kinds_known": False})


def clean_text(files: Sequence[SourceFile]) -> CleanedCapture:
    """Plain text: paragraphs separated by blank lines (or, with no blank line at all, one
    paragraph per line); lines inside a paragraph are joined by a space, or by nothing
    between two Chinese characters. The first paragraph is the title."""
    source = _single(files, "text")
    raw = source.text
    chunks = re.split(r"\n\s*\n", raw) if re.search(r"\n\s*\n", raw) else raw.split("\n")
    texts = []
    for chunk in chunks:
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        text = lines[0]
        for line in lines[1:]:
            glue = "" if _CJK.match(text[-1]) and _CJK.match(line[0]) else " "
            text += glue + line
        texts.append(text)
    kinds = [(ParagraphKind.TITLE if i == 0 else ParagraphKind.PARAGRAPH, t) for i, t in enumerate(texts)]
    return _cleaned(_located(raw, kinds), source.path, "text")


def clean_markdown(files: Sequence[SourceFile]) -> CleanedCapture:
    """Markdown (CommonMark, via markdown-it-py): headings, paragraphs and list items as
    plain text; links keep their text; images, HTML and code blocks are left out. The first
    heading of level 1 is the title."""
    from markdown_it import MarkdownIt

    source = _single(files, "markdown")
    texts, heading = [], None
    for token in MarkdownIt().parse(source.text):
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = None
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            text = " ".join("".join(parts).split())
            if not text:
                continue
            if heading == "h1" and not any(k is ParagraphKind.TITLE for k, _ in texts):
                kind = ParagraphKind.TITLE
            else:
                kind = ParagraphKind.HEADING if heading else ParagraphKind.PARAGRAPH
            texts.append((kind, text))
    return _cleaned(_located(source.text, texts), source.path, "markdown")


def clean_html(files: Sequence[SourceFile]) -> CleanedCapture:
    """A saved web page: trafilatura keeps the article body (title, headings, paragraphs,
    list items) and drops navigation, bylines, comments, recommendations and scripts."""
    import trafilatura
    from lxml import etree

    source = _single(files, "html")
    xml = trafilatura.extract(source.text, output_format="xml", favor_precision=True, include_comments=False,
                              include_tables=False, with_metadata=True)
    if not xml:
        raise CorpusError(Problem(source.path, None, None, "html cleaner: trafilatura found no article body"))
    root = etree.fromstring(xml.encode("utf-8"))
    texts = []
    title = " ".join((root.get("title") or "").split())
    if title:
        texts.append((ParagraphKind.TITLE, title))
    main = root.find("main")
    for element in (main.iter() if main is not None else ()):
        if element.tag not in ("head", "p", "item"):
            continue
        text = " ".join("".join(element.itertext()).split())
        if not text or (element.tag == "head" and text == title):
            continue
        texts.append((ParagraphKind.HEADING if element.tag == "head" else ParagraphKind.PARAGRAPH, text))
    return _cleaned([Block(kind, text, None, None) for kind, text in texts], source.path, "html")


# ---------------------------------------------------------------------------------------
# DocBook books rendered to HTML, as Debian's documentation packages ship them
# ---------------------------------------------------------------------------------------

DOCBOOK_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "td", "th", "div"})
DOCBOOK_SKIP = frozenset({"pre", "script", "style"})
DOCBOOK_NAVIGATION = re.compile(r"\b(navheader|navfooter|docnav|toc|list-of-tables|list-of-figures|list-of-examples|indexterm)\b")


def _docbook_block(element) -> bool:
    if element.tag not in DOCBOOK_BLOCK_TAGS:
        return False
    return element.tag != "div" or element.get("class") in ("para", "title")


def docbook_blocks(html: str) -> list[tuple[str, str]]:
    """(tag.class signature, text) of each innermost text block of a page, in document order:
    paragraphs, headings, list items, terms and table cells; navigation, program listings and
    screens are left out. Whitespace runs become one space."""
    import lxml.html

    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    out = []

    def walk(element):
        if not isinstance(element.tag, str) or element.tag in DOCBOOK_SKIP or DOCBOOK_NAVIGATION.search(element.get("class") or ""):
            return
        if _docbook_block(element) and not any(_docbook_block(d) for d in element.iterdescendants() if isinstance(d.tag, str)):
            text = " ".join(element.text_content().split())
            if text:
                out.append((f"{element.tag}.{element.get('class') or ''}", text))
            return
        for child in element:
            walk(child)

    body = root.find("body")
    walk(body if body is not None else root)
    return out


def _docbook_kind(signature: str, first: bool) -> ParagraphKind:
    if signature.startswith("h1."):
        return ParagraphKind.TITLE if first else ParagraphKind.HEADING
    if signature.startswith("h") or signature in ("p.title", "div.title"):
        return ParagraphKind.HEADING  # section titles, sidebar titles (NOTE, BACK TO BASICS), captions
    return ParagraphKind.PARAGRAPH


def clean_debian_docbook(files: Sequence[SourceFile]) -> CleanedCapture:
    """The pages of one chapter, in the order given: every innermost text block (see
    `docbook_blocks`). The chapter's first level-1 heading is the title; other headings,
    sidebar titles and figure captions are headings. Block texts are not slices of the HTML
    (tags and entities sit between them), so blocks carry no raw offsets; the stand-off
    layers are tied to the extracted text by its sha256 instead."""
    if not files:
        raise CorpusError(Problem("document.yaml", None, "source", "debian_docbook cleaner: no page given"))
    blocks, signatures = [], []
    for source in files:
        found = docbook_blocks(source.text)
        if not found:
            raise CorpusError(Problem(source.path, None, None, "debian_docbook cleaner: no text block in this page"))
        for signature, text in found:
            blocks.append(Block(_docbook_kind(signature, not blocks), text, None, None))
            signatures.append(signature)
    return CleanedCapture(tuple(blocks), (), {"signatures": tuple(signatures)})


# name -> (cleaner, one line for `bicorpus new --help`); a new layout gets a new name, never a quiet change.
CLEANERS: dict[str, tuple[Callable[[Sequence[SourceFile]], CleanedCapture], str]] = {
    "infoq_v1": (clean_infoq_v1, "text capture of an InfoQ article page (2022-2023 layout)"),
    "html": (clean_html, "a saved web page: the article body found by trafilatura"),
    "markdown": (clean_markdown, "Markdown: headings, paragraphs and list items"),
    "text": (clean_text, "plain text: paragraphs separated by blank lines, the first is the title"),
    "lines": (clean_lines, "one paragraph per line, kinds taken from the other side"),
    "debian_docbook": (clean_debian_docbook, "pages of a DocBook book as Debian's documentation packages ship them"),
}


def cleaner_for(path: str) -> str:
    """The cleaner a file's name suggests."""
    suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
    return {"html": "html", "htm": "html", "xhtml": "html", "md": "markdown", "markdown": "markdown"}.get(suffix, "text")


def clean(files: Sequence[SourceFile], cleaner: str, where: str = "document.yaml") -> CleanedCapture:
    if cleaner not in CLEANERS:
        raise CorpusError(Problem(where, None, "cleaner", f"unknown cleaner {cleaner!r}; known: {', '.join(sorted(CLEANERS))}"))
    return CLEANERS[cleaner][0](files)
