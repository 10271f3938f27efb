"""Stage 4: a document's sources -> the rows of every loader config.

`process_document` is pure: sources in, records out. `bicorpus.publishing.render` turns the
records into the loader's files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from ..alignment.gold_beads import (coverage_problems, english_kinds, paragraph_bead_of_sentence_beads, parse_beads,
                                    sentence_bead_problems)
from ..features import row_to_json
from ..problems import CorpusError, Problem
from ..schema import (AlignmentLevel, all_configs, Bead, BeadRow, ClaimStatus, CleanedCapture,
                      DocumentRow, Language, ParagraphRow, RegionRow, SegmentedSide, SentenceRow, TextOrigin)
from ..sources.capture import DocumentSources, read_document
from ..sources.cleaners import clean
from .segment import segment

ORIGIN = {Language.ZH: TextOrigin.ZH_PUBLISHED_TRANSLATION, Language.EN: TextOrigin.EN_PROJECT_TRANSLATION_OF_ZH}
DATA_DIR = "data"


@dataclass(frozen=True)
class BuiltDocument:
    sources: DocumentSources
    cleaned: CleanedCapture
    zh: SegmentedSide
    en: SegmentedSide
    paragraph_beads: tuple[Bead, ...]
    sentence_beads: tuple[Bead, ...]
    rows: dict  # config name -> list of rows
    annotations: object = None  # annotation.records.Annotations, when the document is annotated

    @property
    def doc_id(self) -> str:
        return self.sources.doc_id


def paragraph_id(doc_id: str, language: Language, index: int) -> str:
    return f"{doc_id}/{language.value}-p{index:03d}"


def sentence_id(doc_id: str, language: Language, paragraph: int, in_paragraph: int) -> str:
    return f"{paragraph_id(doc_id, language, paragraph)}-s{in_paragraph:02d}"


def bead_id(doc_id: str, level: AlignmentLevel, index: int) -> str:
    return f"{doc_id}/{'pb' if level is AlignmentLevel.PARAGRAPH else 'sb'}{index:04d}"


def region_id(doc_id: str, index: int) -> str:
    return f"{doc_id}/r{index:03d}"


def english_paragraphs(sources: DocumentSources) -> list[str]:
    lines = sources.english.lines()
    problems = [Problem(sources.english.path, n, "text", "empty paragraph") for n, line in enumerate(lines, 1) if not line.strip()]
    problems += [Problem(sources.english.path, n, "text", "leading or trailing whitespace")
                 for n, line in enumerate(lines, 1) if line.strip() and line != line.strip()]
    if problems:
        raise CorpusError(problems)
    return lines


def segment_document(sources: DocumentSources):
    """Clean, read the paragraph beads, segment both sides and read the sentence beads,
    stopping with every problem found if the alignment does not fit the text."""
    cleaned = clean(sources.capture, sources.metadata["cleaner"])
    en_texts = english_paragraphs(sources)
    terms = [t for t in sources.terms.lines() if t.strip()]
    paragraph_beads = parse_beads(sources.paragraph_alignment)
    zh_kinds = [b.kind for b in cleaned.blocks]
    problems = coverage_problems(paragraph_beads, len(zh_kinds), len(en_texts), sources.paragraph_alignment.path, "paragraph")
    if problems:
        raise CorpusError(problems)
    zh = segment(Language.ZH, [b.text for b in cleaned.blocks], zh_kinds, terms, [b.raw_start for b in cleaned.blocks])
    en = segment(Language.EN, en_texts, english_kinds(zh_kinds, paragraph_beads, len(en_texts)), terms)
    sentence_beads = parse_beads(sources.sentence_alignment)
    path = sources.sentence_alignment.path
    problems = coverage_problems(sentence_beads, len(zh.sentences), len(en.sentences), path, "sentence")
    if not problems:
        problems = sentence_bead_problems(sentence_beads, paragraph_beads, [s.paragraph_index for s in zh.sentences],
                                          [s.paragraph_index for s in en.sentences], path)
    if problems:
        raise CorpusError(problems)
    return cleaned, zh, en, tuple(paragraph_beads), tuple(sentence_beads)


def config_types(rows: dict) -> dict[str, type]:
    """Row type of each config a build produced."""
    every = all_configs()
    return {name: every[name][0] for name in rows}


def load_inputs(corpus_root, annotations_root, doc_id: str):
    """(sources, annotations or None), stopping on any problem in the files."""
    from ..annotation.records import is_annotated, read_annotations

    sources = read_document(corpus_root, annotations_root, doc_id)
    if not is_annotated(annotations_root, doc_id):
        return sources, None
    annotations, problems = read_annotations(annotations_root, doc_id)
    if problems:
        raise CorpusError(problems)
    return sources, annotations


def process_document(sources: DocumentSources, annotations=None) -> BuiltDocument:
    cleaned, zh, en, paragraph_beads, sentence_beads = segment_document(sources)
    doc = sources.doc_id
    sides = {Language.ZH: zh, Language.EN: en}

    para_ids = {lang: [paragraph_id(doc, lang, p.index) for p in side.paragraphs] for lang, side in sides.items()}
    sent_ids = {lang: [sentence_id(doc, lang, s.paragraph_index, s.index_in_paragraph) for s in side.sentences]
                for lang, side in sides.items()}

    def membership(beads: Sequence[Bead], level: AlignmentLevel, ids: dict):
        """unit id -> (bead id, ids of the other side's units in that bead)"""
        out = {}
        for i, bead in enumerate(beads):
            zh_ids = tuple(ids[Language.ZH][k] for k in bead.zh)
            en_ids = tuple(ids[Language.EN][k] for k in bead.en)
            for unit in zh_ids:
                out[unit] = (bead_id(doc, level, i), en_ids)
            for unit in en_ids:
                out[unit] = (bead_id(doc, level, i), zh_ids)
        return out

    para_member = membership(paragraph_beads, AlignmentLevel.PARAGRAPH, para_ids)
    sent_member = membership(sentence_beads, AlignmentLevel.SENTENCE, sent_ids)

    paragraphs, sentences = [], []
    for lang, side in sides.items():
        for p in side.paragraphs:
            pid = para_ids[lang][p.index]
            paragraphs.append(ParagraphRow(
                id=pid, doc_id=doc, language=lang, index=p.index, kind=p.kind, section_index=p.section_index,
                section_heading_id=None if p.section_heading_index is None else para_ids[lang][p.section_heading_index],
                text=p.text, start=p.start, end=p.end, raw_start=p.raw_start, raw_end=p.raw_end,
                text_origin=ORIGIN[lang], bead_id=para_member[pid][0], aligned_ids=para_member[pid][1],
            ))
        for s in side.sentences:
            sid = sent_ids[lang][s.index]
            sentences.append(SentenceRow(
                id=sid, doc_id=doc, language=lang, paragraph_id=para_ids[lang][s.paragraph_index], index=s.index,
                index_in_paragraph=s.index_in_paragraph, text=s.text, start=s.start, end=s.end,
                raw_start=s.raw_start, raw_end=s.raw_end, tokens=s.tokens, token_starts=s.token_starts,
                token_ends=s.token_ends, text_origin=ORIGIN[lang], bead_id=sent_member[sid][0],
                aligned_ids=sent_member[sid][1], claim_status=ClaimStatus.NOT_ANNOTATED, claim_ids=(),
            ))

    def bead_rows(beads, level, units_zh, units_en, ids, parents):
        rows = []
        for i, bead in enumerate(beads):
            rows.append(BeadRow(
                id=bead_id(doc, level, i), doc_id=doc, level=level, index=i, bead_type=bead.bead_type,
                zh_ids=tuple(ids[Language.ZH][k] for k in bead.zh), en_ids=tuple(ids[Language.EN][k] for k in bead.en),
                paragraph_bead_id=bead_id(doc, AlignmentLevel.PARAGRAPH, parents[i]),
                translation={"en": " ".join(units_en[k].text for k in bead.en), "zh": "".join(units_zh[k].text for k in bead.zh)},
            ))
        return rows

    parents = paragraph_bead_of_sentence_beads(sentence_beads, paragraph_beads,
                                               [s.paragraph_index for s in zh.sentences], [s.paragraph_index for s in en.sentences])
    raw_to_paragraph = {(p.raw_start, p.raw_end): para_ids[Language.ZH][p.index] for p in zh.paragraphs}
    regions = [RegionRow(id=region_id(doc, i), doc_id=doc, index=i, raw_start=r.raw_start, raw_end=r.raw_end,
                         kept=r.kept, reason=r.reason,
                         paragraph_id=raw_to_paragraph[(r.raw_start, r.raw_end)] if r.kept else None)
               for i, r in enumerate(cleaned.regions)]

    meta = sources.metadata
    document = DocumentRow(
        id=doc, title_zh=meta["title_zh"], title_en=meta["title_en"], zh_text=zh.text, en_text=en.text,
        zh_origin=ORIGIN[Language.ZH], en_origin=ORIGIN[Language.EN], original_author=meta["original_author"],
        original_title=meta["original_title"], original_publication=meta["original_publication"],
        original_url=meta["original_url"], zh_publisher=meta["zh_publisher"], zh_published=meta["zh_published"],
        zh_word_count=meta["zh_word_count"], zh_reading_minutes=meta["zh_reading_minutes"],
        capture_sha256=meta["capture_sha256"], rights=meta["rights"],
    )
    rows = {
        "paragraphs": paragraphs,
        "documents": [document],
        "sentences": sentences,
        "translation": bead_rows(sentence_beads, AlignmentLevel.SENTENCE, zh.sentences, en.sentences, sent_ids, parents),
        "paragraph_translation": bead_rows(paragraph_beads, AlignmentLevel.PARAGRAPH, zh.paragraphs, en.paragraphs,
                                           para_ids, list(range(len(paragraph_beads)))),
        "capture_regions": regions,
    }
    if annotations is not None:
        from ..annotation.checks import structural_problems
        from ..annotation.records import annotation_rows

        problems = structural_problems(annotations, {s.id: s for s in rows["sentences"]})
        if problems:
            raise CorpusError(problems)
        rows.update(annotation_rows(doc, annotations, rows["sentences"], rows["paragraphs"]))
    return BuiltDocument(sources, cleaned, zh, en, paragraph_beads, sentence_beads, rows, annotations)


def jsonl_bytes(rows) -> bytes:
    """Rows as JSON Lines: keys in field order, UTF-8, '\\n' line ends, no floats."""
    return "".join(json.dumps(row_to_json(r), ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in rows).encode("utf-8")


def data_path(config: str) -> str:
    return f"{DATA_DIR}/{config}.jsonl"
