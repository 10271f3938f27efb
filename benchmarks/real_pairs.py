"""Real Chinese/English document pairs from the npm registry, with a gold alignment derived
from their shared structure.

Several npm packages ship their README in both languages, written by their maintainers. The
benchmark fetches pinned versions with `npm pack` into benchmarks/.cache (git-ignored: the
text is theirs, and is not committed) and derives the gold as follows:

1. Each README is parsed with markdown-it into blocks: headings, paragraphs, list items, and
   code blocks; images, badges and raw HTML are left out.
2. Blocks are grouped into sections by heading. A section pair enters the gold only when both
   sides have the same number of sections, and the two sections have the same sequence of
   block kinds (heading, paragraph, list item, code) and identical code blocks.
3. Inside such a section, blocks pair 1-1 in order; code blocks are then dropped from the
   units (identical on both sides, they would make the task trivial). Sections that fail the
   test are dropped from both sides, so the remaining units still form a valid document pair.
4. Verification: a section enters the gold only if every pair in it whose Chinese side carries
   Latin names or numbers finds one of them in the English (this rejects same-shaped sections
   with different content, such as two different feature lists); the number of such checked
   pairs is reported per document, and the kept pairs were read.
"""

from __future__ import annotations

import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"

# (package, version, Chinese README, English README)
PAIRS = [
    ("egg", "4.0.10", "README.zh-CN.md", "README.md"),
    ("egg-mysql", "5.0.0", "README.zh-CN.md", "README.md"),
    ("@antv/g2", "5.4.8", "README.zh-CN.md", "README.md"),
    ("@antv/x6", "3.1.8", "README.zh-CN.md", "README.md"),
    ("@antv/g6", "5.1.1", "README.zh-CN.md", "README.md"),
    ("@antv/l7", "2.29.1", "README.md", "README.en-US.md"),
]


@dataclass(frozen=True)
class Block:
    kind: str  # heading / paragraph / item / code
    text: str
    level: int = 0


def fetch(package: str, version: str) -> dict[str, str]:
    """README files of a package version, from a cached `npm pack` tarball."""
    CACHE.mkdir(exist_ok=True)
    name = package.replace("@", "").replace("/", "-")
    tarball = CACHE / f"{name}-{version}.tgz"
    if not tarball.exists():
        out = subprocess.run(["npm", "pack", f"{package}@{version}", "--pack-destination", str(CACHE), "--silent"],
                             capture_output=True, text=True, timeout=180)
        if out.returncode != 0:
            raise RuntimeError(f"npm pack {package}@{version} failed: {out.stderr.strip()[:200]}")
    files = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.lower().endswith(".md") and member.name.count("/") == 1:
                files[member.name.split("/", 1)[1]] = archive.extractfile(member).read().decode("utf-8")
    return files


def blocks(markdown: str) -> list[Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parse(markdown)
    out, kind_stack = [], []
    for token in tokens:
        if token.type == "heading_open":
            kind_stack.append(("heading", int(token.tag[1])))
        elif token.type == "list_item_open":
            kind_stack.append(("item", 0))
        elif token.type in ("heading_close", "list_item_close") and kind_stack:
            kind_stack.pop()
        elif token.type in ("fence", "code_block"):
            out.append(Block("code", token.content.strip()))
        elif token.type == "inline":
            text = "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline")).strip()
            text = re.sub(r"\s+", " ", text)
            if not text:
                continue  # images, badges, raw HTML
            kind, level = kind_stack[-1] if kind_stack else ("paragraph", 0)
            if out and kind == "item" and out[-1].kind == "item" and not token.map:
                continue
            out.append(Block(kind, text, level))
    return out


def sections(items: list[Block]) -> list[list[Block]]:
    out = [[]]
    for block in items:
        if block.kind == "heading":
            out.append([])
        out[-1].append(block)
    return [s for s in out if s]


_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|\d+(?:\.\d+)?")


def derive_gold(zh_md: str, en_md: str):
    """(zh units, en units, number of gold pairs, pairs checked by names or numbers, sections kept, sections in all)."""
    zh_sections, en_sections = sections(blocks(zh_md)), sections(blocks(en_md))
    zh_units, en_units, pairs = [], [], []
    kept = 0
    if len(zh_sections) == len(en_sections):
        for zs, es in zip(zh_sections, en_sections):
            same_shape = [(b.kind, b.level) for b in zs] == [(b.kind, b.level) for b in es]
            same_code = [b.text for b in zs if b.kind == "code"] == [b.text for b in es if b.kind == "code"]
            if not (same_shape and same_code):
                continue
            section_pairs = [(z.text, e.text) for z, e in zip(zs, es) if z.kind != "code"]
            if not all(verified(z, e) for z, e in section_pairs):
                continue  # same shape, different content (e.g. two different feature lists)
            kept += 1
            for z, e in section_pairs:
                zh_units.append(z)
                en_units.append(e)
                pairs.append((z, e))
    checkable = sum(1 for z, _ in pairs if _keys(z))
    return zh_units, en_units, len(pairs), checkable, kept, max(len(zh_sections), len(en_sections))


def _keys(text: str) -> set:
    return {k.lower() for k in _KEY.findall(text)}


def verified(zh: str, en: str) -> bool:
    """A pair whose Chinese side carries Latin names or numbers must find one of them in the English."""
    keys = _keys(zh)
    return not keys or bool(keys & _keys(en))


def real_pairs():
    """(name, zh units, en units, pairs checked, sections kept, sections) for every package."""
    out = []
    for package, version, zh_name, en_name in PAIRS:
        files = fetch(package, version)
        zh, en, n, verified, kept, total = derive_gold(files[zh_name], files[en_name])
        if n:
            out.append((f"{package}@{version}", zh, en, verified, kept, total))
    return out
