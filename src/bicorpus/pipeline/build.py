"""Stage 4: a document's sources -> the rows of every loader config.

`process_document` is pure: sources in, records out. `bicorpus.publishing.render` turns the
records into the loader's files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from ..alignment.gold_beads import (coverage_problems, kinds_from_other_side, paragraph_bead_of_sentence_beads, parse_beads,
                                    sentence_bead_problems)
from ..features import row_to_json
from ..problems import CorpusError, Problem
from ..schema import (AlignmentLevel, all_configs, Bead, BeadRow, ClaimStatus, CleanedCapture,
                      DocumentRow, Language, PARAGRAPH_SEPARATOR, ParagraphRow, RegionRow, SegmentedSide, SentenceRow,
                      BeadStatus, text_origin)
from ..sources.capture import DocumentSources, cut_short_problems, read_document, sha256_text
from ..sources.cleaners import clean
from .segment import segment

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
    @cached_property
    def data(self) -> dict[str, bytes]:
        """config name -> the rows as JSON Lines (`document_data`), made on first use (only a
        build and its checks need them) and kept by a cache entry written after that; a copy
        made with dataclasses.replace makes them again from its own rows, never stale."""
        return document_data(self.rows)

    def data_of(self, config: str) -> bytes:
        """This document's lines of a config's data file."""
        return self.data.get(config, b"")

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


def _side_text_problems(sources: DocumentSources, language: Language, cleaned: CleanedCapture) -> list[Problem]:
    """A package side's cleaned text must be the text the stand-off layers were made on."""
    side = sources.metadata.side(language)
    if side.text_sha256 is None:
        return []
    actual = sha256_text(PARAGRAPH_SEPARATOR.join(b.text for b in cleaned.blocks))
    if actual == side.text_sha256:
        return []
    key = f"{language.value}.text_sha256"
    return [Problem(sources.metadata_path, sources.metadata_lines.get(key), key,
                    f"the {side.cleaner} cleaner's text has sha256 {actual}, the stand-off layers were made on "
                    f"{side.text_sha256}: the cleaner or the package changed")]


def segment_document(sources: DocumentSources):
    """Clean both sides, read the paragraph beads, segment both sides and read the sentence
    beads, stopping with every problem found if the alignment does not fit the text."""
    meta = sources.metadata
    cleaned, problems = {}, cut_short_problems(sources.terms, sources.paragraph_alignment, sources.sentence_alignment)
    for language in (Language.ZH, Language.EN):
        try:
            cleaned[language] = clean(sources.sides[language], meta.side(language).cleaner, sources.metadata_path)
            problems += _side_text_problems(sources, language, cleaned[language])
        except CorpusError as err:
            problems += err.problems
    paragraph_beads = sentence_beads = None
    try:
        paragraph_beads = parse_beads(sources.paragraph_alignment)
    except CorpusError as err:
        problems += err.problems
    try:
        sentence_beads = parse_beads(sources.sentence_alignment)
    except CorpusError as err:
        problems += err.problems
    if problems:
        raise CorpusError(problems)
    blocks = {language: cleaned[language].blocks for language in cleaned}
    problems = coverage_problems(paragraph_beads, len(blocks[Language.ZH]), len(blocks[Language.EN]),
                                 sources.paragraph_alignment.path, "paragraph")
    if problems:
        raise CorpusError(problems)
    kinds = {language: [b.kind for b in blocks[language]] for language in blocks}
    for language, other in ((Language.EN, Language.ZH), (Language.ZH, Language.EN)):
        if cleaned[language].header.get("kinds_known") is False:
            kinds[language] = kinds_from_other_side(kinds[other], paragraph_beads, len(kinds[language]), language.value)
    terms = [t for t in sources.terms.lines() if t.strip()]
    zh, en = (segment(language, [b.text for b in blocks[language]], kinds[language], terms,
                      [b.raw_start for b in blocks[language]]) for language in (Language.ZH, Language.EN))
    path = sources.sentence_alignment.path
    problems = coverage_problems(sentence_beads, len(zh.sentences), len(en.sentences), path, "sentence")
    if not problems:
        problems = sentence_bead_problems(sentence_beads, paragraph_beads, [s.paragraph_index for s in zh.sentences],
                                          [s.paragraph_index for s in en.sentences], path)
    if problems:
        raise CorpusError(problems)
    return cleaned, zh, en, tuple(paragraph_beads), tuple(sentence_beads)


def side_source(sources: DocumentSources, language: Language) -> str:
    """Where a side's text came from, in one line for the documents config and the card."""
    side = sources.metadata.side(language)
    files = ", ".join(f"{f.path} (sha256 {f.sha256})" if f.sha256 else f.path for f in side.files)
    if side.package:
        return f"package {side.package}: {files}; cleaned text sha256 {side.text_sha256}"
    where = f"corpus/{sources.doc_id}: {files}"
    return f"{where}; published at {side.address}" if side.address else where


def config_types(rows: dict) -> dict[str, type]:
    """Row type of each config a build produced."""
    every = all_configs()
    return {name: every[name][0] for name in rows}


def load_inputs(corpus_root, annotations_root, doc_id: str, package_roots: dict | None = None,
                sources: DocumentSources | None = None):
    """(sources, annotations or None), stopping on any problem in the files (`sources`, when
    the caller has read them already). Whether the document has a claim annotation is what its
    metadata says (`claims`), never guessed from which files happen to exist, so a deleted
    file is an error, not a smaller loader."""
    from pathlib import Path

    from ..annotation.records import is_annotated, read_annotations

    if sources is None:
        sources = read_document(corpus_root, annotations_root, doc_id, package_roots)
    declared = sources.metadata.claims == "annotated"
    if not declared:
        if is_annotated(annotations_root, doc_id):
            raise CorpusError(Problem(sources.metadata_path, sources.metadata_lines.get("claims"), "claims",
                                      f"is 'not_annotated' but {Path(annotations_root) / doc_id / 'claims.jsonl'} exists"))
        return sources, None
    annotations, problems = read_annotations(annotations_root, doc_id)
    if problems:
        raise CorpusError(problems)
    return sources, annotations


def process_document(sources: DocumentSources, annotations=None) -> BuiltDocument:
    cleaned_sides, zh, en, paragraph_beads, sentence_beads = segment_document(sources)
    cleaned = cleaned_sides[Language.ZH]
    doc = sources.doc_id
    meta = sources.metadata
    sides = {Language.ZH: zh, Language.EN: en}
    origin = {lang: text_origin(lang, meta.side(lang).role) for lang in sides}
    untranslated_paragraphs = {(lang, k) for bead in paragraph_beads if bead.status is BeadStatus.UNTRANSLATED
                               for lang, units in ((Language.ZH, bead.zh), (Language.EN, bead.en)) for k in units}

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
                text_origin=origin[lang], bead_id=para_member[pid][0], aligned_ids=para_member[pid][1],
            ))
        for s in side.sentences:
            sid = sent_ids[lang][s.index]
            sentences.append(SentenceRow(
                id=sid, doc_id=doc, language=lang, paragraph_id=para_ids[lang][s.paragraph_index], index=s.index,
                index_in_paragraph=s.index_in_paragraph, text=s.text, start=s.start, end=s.end,
                raw_start=s.raw_start, raw_end=s.raw_end, tokens=s.tokens, token_starts=s.token_starts,
                token_ends=s.token_ends, text_origin=origin[lang], bead_id=sent_member[sid][0],
                aligned_ids=sent_member[sid][1], claim_ids=(),
                claim_status=ClaimStatus.UNTRANSLATED if (lang, s.paragraph_index) in untranslated_paragraphs else ClaimStatus.NOT_ANNOTATED,
            ))

    def bead_rows(beads, level, units_zh, units_en, ids, parents):
        rows = []
        for i, bead in enumerate(beads):
            rows.append(BeadRow(
                id=bead_id(doc, level, i), doc_id=doc, level=level, index=i, bead_type=bead.bead_type,
                zh_ids=tuple(ids[Language.ZH][k] for k in bead.zh), en_ids=tuple(ids[Language.EN][k] for k in bead.en),
                paragraph_bead_id=bead_id(doc, AlignmentLevel.PARAGRAPH, parents[i]),
                translation={"en": " ".join(units_en[k].text for k in bead.en), "zh": "".join(units_zh[k].text for k in bead.zh)},
                status=bead.checked_status,
            ))
        return rows

    parents = paragraph_bead_of_sentence_beads(sentence_beads, paragraph_beads,
                                               [s.paragraph_index for s in zh.sentences], [s.paragraph_index for s in en.sentences])
    raw_to_paragraph = {(p.raw_start, p.raw_end): para_ids[Language.ZH][p.index] for p in zh.paragraphs}
    regions = [RegionRow(id=region_id(doc, i), doc_id=doc, index=i, raw_start=r.raw_start, raw_end=r.raw_end,
                         kept=r.kept, reason=r.reason,
                         paragraph_id=raw_to_paragraph[(r.raw_start, r.raw_end)] if r.kept else None)
               for i, r in enumerate(cleaned.regions)]

    document = DocumentRow(
        id=doc, title_zh=meta.title_zh, title_en=meta.title_en, zh_text=zh.text, en_text=en.text,
        zh_origin=origin[Language.ZH], en_origin=origin[Language.EN], original_author=meta.original_author,
        original_title=meta.original_title, original_publication=meta.original_publication,
        original_url=meta.original_url, zh_publisher=meta.zh.publisher,
        zh_published=meta.zh.published.isoformat() if meta.zh.published else None,
        zh_word_count=meta.zh_word_count, zh_reading_minutes=meta.zh_reading_minutes,
        capture_sha256=meta.zh.files[0].sha256 if cleaned.regions else None, rights=meta.rights,
        original_language=meta.original_language, zh_role=meta.zh.role, en_role=meta.en.role,
        zh_translator=meta.zh.translator, en_translator=meta.en.translator, en_publisher=meta.en.publisher,
        zh_licence=meta.zh.licence, en_licence=meta.en.licence, zh_source=side_source(sources, Language.ZH),
        en_source=side_source(sources, Language.EN), split=meta.split,
    )
    rows = {
        "paragraphs": paragraphs,
        "documents": [document],
        "sentences": sentences,
        "translation": bead_rows(sentence_beads, AlignmentLevel.SENTENCE, zh.sentences, en.sentences, sent_ids, parents),
        "paragraph_translation": bead_rows(paragraph_beads, AlignmentLevel.PARAGRAPH, zh.paragraphs, en.paragraphs,
                                           para_ids, list(range(len(paragraph_beads)))),
    }
    if regions:
        rows["capture_regions"] = regions
    if annotations is not None:
        from ..annotation.checks import record_problems, structural_problems
        from ..annotation.records import annotation_rows, with_texts

        annotations = with_texts(annotations, {s.id: s for s in rows["sentences"]})
        # a record given twice or two records for one key stop the build: which one would it ship?
        problems = record_problems(annotations) + structural_problems(annotations, {s.id: s for s in rows["sentences"]})
        if problems:
            raise CorpusError(problems)
        rows.update(annotation_rows(doc, annotations, rows["sentences"], rows["paragraphs"]))
    return BuiltDocument(sources, cleaned, zh, en, paragraph_beads, sentence_beads, rows, annotations)


def document_data(rows: dict) -> dict[str, bytes]:
    """Each config's rows as JSON Lines, made once per document (and cached with it): a
    collection's data file is its documents' lines one after the other. The entity inventory
    is shared by the documents, so the collection writes it once from the rows."""
    return {config: jsonl_bytes(config_rows) for config, config_rows in rows.items() if config != "entities"}


def jsonl_bytes(rows) -> bytes:
    """Rows as JSON Lines: keys in field order, UTF-8, '\\n' line ends, no floats."""
    return "".join(json.dumps(row_to_json(r), ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in rows).encode("utf-8")


def data_path(config: str) -> str:
    return f"{DATA_DIR}/{config}.jsonl"
