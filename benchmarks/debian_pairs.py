"""Real Chinese/English book pairs from Debian's packages, with a gold alignment derived from
their shared DocBook structure.

Two Debian documentation packages ship the same book rendered from one DocBook source in
English and in Simplified Chinese, the Chinese translated by people through PO files:

- debian-handbook 11.20220922 (The Debian Administrator's Handbook, html/en-US and html/zh-CN);
- installation-guide-amd64 20230508+deb12u1 (the Debian installation guide, en and zh_CN).

(debian-reference, maint-guide, debian-faq and debian-edu are kept aside as an independent
test set and are not used here.) The benchmark fetches the pinned .deb files, checked against their sha256, with
`apt-get download` into benchmarks/.cache (git-ignored: the text is theirs) and derives the
gold as follows:

1. Pages are read in the book's own order, following each page's "next" link from index.html.
2. A page's units are its innermost text blocks (DocBook paragraphs, headings, list items,
   terms, table cells); navigation, program listings and screens are left out.
3. A page pair enters the gold only when both languages have the same sequence of block
   signatures (HTML tag and class), so that block k of one is block k of the other.
4. Inside such a page, blocks pair 1-1 in order. A pair is left out of both sides when its
   Chinese has no Chinese character (an untranslated string, or a bare command or number) or
   the two sides are identical, since those would make the task trivial; and when the
   Chinese carries Latin names or numbers of which none is found in the English (the
   verification: same structure, different content).
5. Each chapter (a page whose heading level is 1, with the pages that follow it until the
   next) is one document pair, so every chapter is scored on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from real_pairs import CACHE, verified

from bicorpus.sources.recipes import PackagePin, unpacked

# (name, package, version, sha256 of the .deb, folder inside the package, Chinese folder, English folder)
BOOKS = [
    ("debian-handbook", "debian-handbook", "11.20220922", "3d5dbeac1f1afc9c094eab9d0f701f6ecff99c4927d5a4794cf6c85678134faa",
     "usr/share/doc/debian-handbook/html", "zh-CN", "en-US"),
    ("installation-guide", "installation-guide-amd64", "20230508+deb12u1",
     "812c43e1dc906daf671e3efe953dc023205c238e5bd5a3021ce4ca142793573a", "usr/share/doc/installation-guide-amd64", "zh_CN", "en"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Block:
    signature: str  # tag.class: what must match between the two languages
    text: str


def fetch(package: str, version: str, sha256: str) -> Path:
    """The unpacked package, checked against its pinned sha256, through the toolkit's own recipe fetch."""
    CACHE.mkdir(exist_ok=True)
    return unpacked(PackagePin(manager="apt", name=package, version=version, sha256=sha256), CACHE)


def _parse(path: Path):
    import lxml.html

    # the books are UTF-8; without a charset in the page lxml would guess Latin-1
    return lxml.html.parse(str(path), lxml.html.HTMLParser(encoding="utf-8")).getroot()


def blocks(path: Path) -> list[Block]:
    """Innermost text blocks of a page, in document order: the corpus' own DocBook cleaner."""
    from bicorpus.sources.cleaners import docbook_blocks

    return [Block(signature, text) for signature, text in docbook_blocks(path.read_text(encoding="utf-8"))]


def reading_order(folder: Path) -> list[str]:
    order, page, seen = [], "index.html", set()
    while page and page not in seen and (folder / page).exists():
        seen.add(page)
        order.append(page)
        links = _parse(folder / page).xpath('//a[@accesskey="n"]/@href')
        page = links[0].split("#")[0] if links else None
    return order


def _chapter_start(page_blocks: list[Block]) -> bool:
    return bool(page_blocks) and page_blocks[0].signature.startswith("h1.")


def derive_gold(root: Path, zh_folder: str, en_folder: str):
    """Chapters as (zh units, en units); plus counts for the report."""
    chapters, stats = [], {"pages": 0, "pages_kept": 0, "pairs": 0, "untranslated_or_identical": 0, "unverified": 0,
                           "checked_by_names_or_numbers": 0}
    current = None
    for page in reading_order(root / en_folder):
        zh_path, en_path = root / zh_folder / page, root / en_folder / page
        stats["pages"] += 1
        if not zh_path.exists():
            continue
        zh_blocks, en_blocks = blocks(zh_path), blocks(en_path)
        if current is None or _chapter_start(en_blocks):
            current = (page, [], [])
            chapters.append(current)
        if [b.signature for b in zh_blocks] != [b.signature for b in en_blocks]:
            continue
        stats["pages_kept"] += 1
        for z, e in zip(zh_blocks, en_blocks):
            if not _CJK.search(z.text) or z.text == e.text:
                stats["untranslated_or_identical"] += 1
                continue
            if not verified(z.text, e.text):
                stats["unverified"] += 1
                continue
            stats["checked_by_names_or_numbers"] += bool(re.search(r"[A-Za-z0-9]", z.text))
            stats["pairs"] += 1
            current[1].append(z.text)
            current[2].append(e.text)
    return [c for c in chapters if c[1]], stats


def debian_pairs(min_units: int = 20):
    """(name, zh units, en units) per chapter of each book, and the gold statistics per book."""
    out, report = [], {}
    for name, package, version, sha256, inside, zh_folder, en_folder in BOOKS:
        root = fetch(package, version, sha256) / inside
        chapters, stats = derive_gold(root, zh_folder, en_folder)
        kept = [c for c in chapters if len(c[1]) >= min_units]
        stats["chapters"] = f"{len(kept)} of {len(chapters)} (at least {min_units} units)"
        report[f"{package}@{version}"] = stats
        for page, zh, en in kept:
            out.append((f"{name} {page.removesuffix('.html')}", zh, en))
    return out, report
