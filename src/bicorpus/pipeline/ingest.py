"""Bring your own copy of the English original: read it, align it with the Chinese, project
every gold claim onto it, for a local variant of the loader (written by
`bicorpus.publishing.loader.replace_local_variant`).

The original cannot be shipped, so a user who owns a copy (a saved web page, Markdown or
plain text) runs `bicorpus ingest-original PATH`. Nothing of the copy leaves the user's
folder: the local variant goes to a git-ignored folder (`local/` by default) and its card
says it must not be redistributed.

Alignment pivots through this project's English translation: each Chinese unit carries
our English text, whose content words the aligner compares with the original's, on top of
its model-free signals (numbers, names, lengths, sentence counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..alignment.aligner import align_units, units
from ..annotation.numbers import find_numbers, same_value
from ..annotation.records import alias_table, longest_matches
from ..problems import CorpusError, Problem
from ..schema import (Language, Layer, OriginalParagraphRow, OriginalSentenceRow, ParagraphKind,
                      ProjectedSpan, ProjectionRow)
from .segment import segment

LOW_CONFIDENCE = 2.0  # bead cost above which the report asks for a look
MIN_ARTICLE_WORDS = 12  # an article page has at least one paragraph of prose this long


def read_original(path: Path) -> list[str]:
    """The article's paragraphs from a saved HTML page, a Markdown file or plain text, with the
    cleaner that `bicorpus new` would choose for the file (sources.cleaners)."""
    from ..sources.capture import read_nonempty
    from ..sources.cleaners import clean, cleaner_for

    source = read_nonempty(Path(path))
    cleaner = cleaner_for(source.path)
    paragraphs = [block.text for block in clean([source], cleaner, source.path).blocks]
    longest = max((len(p.split()) for p in paragraphs), default=0)
    if cleaner == "html" and longest < MIN_ARTICLE_WORDS:
        # what is left of a page without an article is its menus and link lists: no block of prose
        raise CorpusError(Problem(source.path, None, None, f"no article body: the longest block has {longest} words "
                                                           f"(fewer than {MIN_ARTICLE_WORDS}; navigation or a list of links?)"))
    return paragraphs


@dataclass(frozen=True)
class IngestResult:
    rows: dict  # config name -> rows
    report: list[str]


def _english_of(built) -> dict[str, str]:
    """Chinese unit id -> this project's English for it (through the gold beads)."""
    text = {r.id: r.text for r in built.rows["paragraphs"] + built.rows["sentences"]}
    out = {}
    for bead in built.rows["paragraph_translation"] + built.rows["translation"]:
        english = " ".join(text[i] for i in bead.en_ids)
        for zh in bead.zh_ids:
            out[zh] = english
    return out


def ingest(built, original_paragraphs: list[str]) -> IngestResult:
    doc = built.doc_id
    ann = built.annotations
    aliases_zh = alias_table(ann.entities, Language.ZH) if ann else {}
    aliases_en = alias_table(ann.entities, Language.EN) if ann else {}
    english = _english_of(built)
    zh_paragraphs = [p for p in built.rows["paragraphs"] if p.language is Language.ZH]
    zh_sentences = [s for s in built.rows["sentences"] if s.language is Language.ZH]
    terms = built.sources.terms.lines()
    original = segment(Language.EN, original_paragraphs, [ParagraphKind.PARAGRAPH] * len(original_paragraphs), terms)
    orig_texts = [p.text for p in original.paragraphs]

    paragraph_beads = align_units(units([p.text for p in zh_paragraphs], "zh", aliases_zh, [english.get(p.id, "") for p in zh_paragraphs]),
                                  units(orig_texts, "en", aliases_en, orig_texts))
    para_id = lambda i: f"{doc}/orig-p{i:03d}"
    sentence_of = lambda s: f"{doc}/orig-p{s.paragraph_index:03d}-s{s.index_in_paragraph:02d}"

    # sentences, aligned inside each paragraph bead
    sentence_beads: list[tuple[list, list, float]] = []
    for bead in paragraph_beads:
        zh_ids = {zh_paragraphs[i].id for i in bead.zh}
        zs = [s for s in zh_sentences if s.paragraph_id in zh_ids]
        os_ = [s for s in original.sentences if s.paragraph_index in bead.en]
        if not zs or not os_:
            sentence_beads += [([s], [], bead.cost) for s in zs] + [([], [s], bead.cost) for s in os_]
            continue
        inner = align_units(units([s.text for s in zs], "zh", aliases_zh, [english.get(s.id, "") for s in zs]),
                            units([s.text for s in os_], "en", aliases_en, [s.text for s in os_]))
        sentence_beads += [([zs[i] for i in b.zh], [os_[j] for j in b.en], b.cost) for b in inner]

    paragraphs = []
    for bead in paragraph_beads:
        for j in bead.en:
            paragraphs.append(OriginalParagraphRow(para_id(j), doc, j, orig_texts[j], tuple(zh_paragraphs[i].id for i in bead.zh), bead.cost))
    sentences = []
    zh_to_orig: dict[str, list] = {}
    for zs, os_, cost in sentence_beads:
        for s in os_:
            sentences.append(OriginalSentenceRow(sentence_of(s), doc, para_id(s.paragraph_index), s.index, s.text, s.start, s.end,
                                                 tuple(z.id for z in zs), cost))
        for z in zs:
            zh_to_orig.setdefault(z.id, []).extend(os_)
    sentences.sort(key=lambda r: r.index)

    projections, report = [], []
    cues_total = cues_unprojected = 0
    original_text = original.text
    for claim in built.rows.get("claims", []):
        targets = zh_to_orig.get(claim.zh_sentence_id, [])
        found, missing = [], []
        for s in targets:
            context = original_text[s.start:s.end]
            for start, end, surface in longest_matches(context, aliases_en):
                if aliases_en[surface] in {e.entity_id for e in claim.en_entities}:
                    found.append(ProjectedSpan(Layer.ENTITY, surface, s.start + start, s.start + end, aliases_en[surface]))
            for n in find_numbers(context, "en"):
                if any(_same_number(n, g) for g in claim.en_numbers):
                    found.append(ProjectedSpan(Layer.NUMBER, n.text, s.start + n.start, s.start + n.end, _value_label(n)))
            for cue in claim.en_cues:
                at = context.find(cue.text)
                if at != -1:
                    found.append(ProjectedSpan(Layer.CUE, cue.text, s.start + at, s.start + at + len(cue.text), cue.cue_class.value))
        projected_cues = {f.text for f in found if f.layer is Layer.CUE}
        unprojected = [cue.text for cue in claim.en_cues if cue.text not in projected_cues]
        cues_total, cues_unprojected = cues_total + len(claim.en_cues), cues_unprojected + len(unprojected)
        found_entities = {f.label for f in found if f.layer is Layer.ENTITY}
        found_numbers = {f.label for f in found if f.layer is Layer.NUMBER}
        missing += sorted({e.entity_id for e in claim.en_entities} - found_entities)
        missing += sorted({_value_label(n) for n in claim.en_numbers if n.value is not None or n.low is not None} - found_numbers)
        projections.append(ProjectionRow(claim.id, doc, tuple(sentence_of(s) for s in targets),
                                         " ".join(original_text[s.start:s.end] for s in targets), tuple(found), tuple(missing)))
        if not targets:
            report.append(f"claim {claim.id}: its Chinese sentence has no counterpart in the original")
        elif missing:
            report.append(f"claim {claim.id}: not found in the original: {', '.join(missing)}")
        if targets and unprojected:
            report.append(f"claim {claim.id}: cues not found in the original (our English wording differs): "
                          f"{', '.join(repr(c) for c in unprojected)}")
    if cues_unprojected:
        report.append(f"{cues_unprojected} of {cues_total} cues could not be projected onto the original")

    beads = []  # first in the report, in the order of the text
    for bead in paragraph_beads:
        if not bead.zh:
            beads.append(f"original paragraph {bead.en[0]} has no Chinese counterpart: {orig_texts[bead.en[0]][:70]!r}")
        elif not bead.en:
            beads.append(f"Chinese paragraph {zh_paragraphs[bead.zh[0]].id} has no counterpart in the original")
        elif bead.cost > LOW_CONFIDENCE:
            beads.append(f"low-confidence bead zh {list(bead.zh)} : original {list(bead.en)} (cost {bead.cost:.2f})")
    return IngestResult({"original_paragraphs": paragraphs, "original_sentences": sentences, "claim_projections": projections},
                        beads + report)


def _value_label(n) -> str:
    return f"{n.value:g}" if n.value is not None else f"{n.low:g}-{n.high:g}" if n.low is not None else "vague"


def _same_number(found, gold) -> bool:
    if gold.value is None and gold.low is None:
        return False
    return all(same_value(a, b) for a, b in ((found.value, gold.value), (found.low, gold.low), (found.high, gold.high)))
