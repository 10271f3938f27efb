"""Stage 3: gold alignment beads, in the vecalign / Bertalign gold-file format.

One bead per line, `[zh indices]:[en indices]`, 0-based, e.g. `[0]:[0]`, `[3, 4]:[3]`,
`[]:[7]` for an English unit with no Chinese counterpart. A tab and a label may follow:
`proposed` (written by the aligner, not read by a person yet) or `untranslated` (the Chinese
repeats the English text: the pair is not a translation); a bead without a label is reviewed. Paragraph beads index
paragraphs; sentence beads index the document's sentences in order (not restarting per
paragraph), so both files can be fed to the usual alignment scorers as they are.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..problems import CorpusError, Problem
from ..schema import Bead, BeadStatus, ParagraphKind
from ..sources.capture import SourceFile

_BEAD = re.compile(r"^\[([0-9, ]*)\]:\[([0-9, ]*)\](?:\t(\w+))?$")
LABELS = {status.value: status for status in BeadStatus if status is not BeadStatus.REVIEWED}
MAX_UNITS = 3  # a side of a bead holds at most three units, unless the bead is untranslated


def _indices(part: str) -> tuple[int, ...]:
    part = part.strip()
    return tuple(int(x) for x in part.split(",")) if part else ()


def format_bead(bead: Bead) -> str:
    label = "" if bead.status in (None, BeadStatus.REVIEWED) else f"\t{bead.status.value}"
    return "[" + ", ".join(map(str, bead.zh)) + "]:[" + ", ".join(map(str, bead.en)) + "]" + label


def format_beads(beads: Sequence[Bead]) -> str:
    return "".join(format_bead(b) + "\n" for b in beads)


def parse_beads(source: SourceFile) -> list[Bead]:
    beads, problems = [], []
    for number, line in enumerate(source.lines(), start=1):
        match = _BEAD.match(line)
        if not match:
            problems.append(Problem(source.path, number, "bead", f"expected '[zh indices]:[en indices]', optionally a tab and "
                                                                 f"{' or '.join(sorted(LABELS))}; got {line!r}"))
            continue
        if match.group(3) and match.group(3) not in LABELS:
            problems.append(Problem(source.path, number, "label", f"unknown label {match.group(3)!r}; known: {', '.join(sorted(LABELS))}"))
            continue
        try:
            beads.append(Bead(_indices(match.group(1)), _indices(match.group(2)), LABELS.get(match.group(3))))
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
        untranslated = bead.status is BeadStatus.UNTRANSLATED
        if not untranslated and (len(bead.zh) > MAX_UNITS or len(bead.en) > MAX_UNITS or (len(bead.zh) > 2 and len(bead.en) > 1)
                                 or (len(bead.en) > 2 and len(bead.zh) > 1)):
            problems.append(Problem(path, number, "bead", f"bead type {len(bead.zh)}-{len(bead.en)} is not allowed (1-1, 1-2, 2-1, "
                                                          "2-2, 1-3, 3-1, 1-0, 0-1; any size only for an untranslated bead)"))
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


def kinds_from_other_side(other_kinds: Sequence[ParagraphKind], beads: Sequence[Bead], n: int, side: str) -> list[ParagraphKind]:
    """Kinds for a side whose cleaner cannot tell them (one paragraph per line): a paragraph
    takes the kind of the first paragraph of the other side aligned with it; one with no
    counterpart is a body paragraph. `side` is the side that needs kinds ('en' or 'zh')."""
    kinds = [ParagraphKind.PARAGRAPH] * n
    for bead in beads:
        own, other = (bead.en, bead.zh) if side == "en" else (bead.zh, bead.en)
        for unit in own:
            if other:
                kinds[unit] = other_kinds[other[0]]
    return kinds


def unreviewed(beads: Sequence[Bead]) -> list[int]:
    """1-based lines of the beads still marked proposed."""
    return [n for n, bead in enumerate(beads, 1) if bead.status is BeadStatus.PROPOSED]
