"""Stage 3: gold alignment beads, in the vecalign / Bertalign gold-file format.

One bead per line, `[zh indices]:[en indices]`, 0-based, e.g. `[0]:[0]`, `[3, 4]:[3]`,
`[]:[7]` for an English unit with no Chinese counterpart. Paragraph beads index
paragraphs; sentence beads index the document's sentences in order (not restarting per
paragraph), so both files can be fed to the usual alignment scorers as they are.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..problems import CorpusError, Problem
from ..schema import Bead, ParagraphKind
from ..sources.capture import SourceFile

_BEAD = re.compile(r"^\[([0-9, ]*)\]:\[([0-9, ]*)\]$")


def _indices(part: str) -> tuple[int, ...]:
    part = part.strip()
    return tuple(int(x) for x in part.split(",")) if part else ()


def format_bead(bead: Bead) -> str:
    return "[" + ", ".join(map(str, bead.zh)) + "]:[" + ", ".join(map(str, bead.en)) + "]"


def format_beads(beads: Sequence[Bead]) -> str:
    return "".join(format_bead(b) + "\n" for b in beads)


def parse_beads(source: SourceFile) -> list[Bead]:
    beads, problems = [], []
    for number, line in enumerate(source.lines(), start=1):
        match = _BEAD.match(line)
        if not match:
            problems.append(Problem(source.path, number, "bead", f"expected '[zh indices]:[en indices]', got {line!r}"))
            continue
        try:
            beads.append(Bead(_indices(match.group(1)), _indices(match.group(2))))
        except ValueError:
            problems.append(Problem(source.path, number, "bead", f"indices must be integers separated by ', ', got {line!r}"))
    if problems:
        raise CorpusError(problems)
    return beads


def coverage_problems(beads: Sequence[Bead], n_zh: int, n_en: int, path: str, unit: str) -> list[Problem]:
    """Each unit of each side in exactly one bead, in order, and no empty bead."""
    problems = []
    expected = {"zh": 0, "en": 0}
    for number, bead in enumerate(beads, start=1):
        if not bead.zh and not bead.en:
            problems.append(Problem(path, number, "bead", "a bead needs at least one unit"))
        if len(bead.zh) > 2 or len(bead.en) > 2:
            problems.append(Problem(path, number, "bead", f"bead type {len(bead.zh)}-{len(bead.en)} is not allowed (at most 2 units a side)"))
        for side, indices in (("zh", bead.zh), ("en", bead.en)):
            for index in indices:
                if index != expected[side]:
                    problems.append(Problem(path, number, side, f"expected {unit} {expected[side]}, found {index}: each {unit} must appear exactly once, in order"))
                    expected[side] = index
                expected[side] += 1
    for side, total in (("zh", n_zh), ("en", n_en)):
        if expected[side] != total:
            problems.append(Problem(path, len(beads) + 1, side, f"the beads cover {expected[side]} {side} {unit}s, the document has {total}"))
    return problems


def sentence_bead_problems(sentence_beads: Sequence[Bead], paragraph_beads: Sequence[Bead],
                           zh_paragraph_of: Sequence[int], en_paragraph_of: Sequence[int], path: str) -> list[Problem]:
    """Each sentence bead must lie inside one paragraph bead."""
    bead_of_zh = {p: i for i, bead in enumerate(paragraph_beads) for p in bead.zh}
    bead_of_en = {p: i for i, bead in enumerate(paragraph_beads) for p in bead.en}
    problems = []
    for number, bead in enumerate(sentence_beads, start=1):
        owners = {bead_of_zh.get(zh_paragraph_of[s]) for s in bead.zh if s < len(zh_paragraph_of)}
        owners |= {bead_of_en.get(en_paragraph_of[s]) for s in bead.en if s < len(en_paragraph_of)}
        if len(owners) > 1:
            problems.append(Problem(path, number, "bead", f"sentences from different paragraph beads ({', '.join(str(o) for o in sorted(owners, key=str))}) in one sentence bead"))
    return problems


def paragraph_bead_of_sentence_beads(sentence_beads: Sequence[Bead], paragraph_beads: Sequence[Bead],
                                     zh_paragraph_of: Sequence[int], en_paragraph_of: Sequence[int]) -> list[int]:
    bead_of_zh = {p: i for i, bead in enumerate(paragraph_beads) for p in bead.zh}
    bead_of_en = {p: i for i, bead in enumerate(paragraph_beads) for p in bead.en}
    return [bead_of_zh[zh_paragraph_of[b.zh[0]]] if b.zh else bead_of_en[en_paragraph_of[b.en[0]]] for b in sentence_beads]


def english_kinds(zh_kinds: Sequence[ParagraphKind], beads: Sequence[Bead], n_en: int) -> list[ParagraphKind]:
    """An English paragraph takes the kind of the first Chinese paragraph aligned with it;
    one with no Chinese counterpart is a body paragraph."""
    kinds = [ParagraphKind.PARAGRAPH] * n_en
    for bead in beads:
        for en in bead.en:
            if bead.zh:
                kinds[en] = zh_kinds[bead.zh[0]]
    return kinds
