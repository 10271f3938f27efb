"""What a loader needs of one built document, small enough to hold for thousands of them.

A `DocumentSummary` keeps a document's metadata, its row counts, the tallies that the card and
the charts add up over a collection, and the few rows they quote (the entity inventory, the
translation notes, the assessed predictions, the claims the card's worked example is chosen
from). The document's bulk, its JSON Lines per config and its source texts, is a `Payload`: in
memory for a document built in this process and kept there, or in the document's build-cache
entry on disk, read one document at a time while a data file is written. So a collection's
memory grows with its summaries, not with its rows, and a cached document costs the reading of
a small header, not of its rows. The summary keeps raw values (bead ids and lengths, heading
texts, section indexes); how they are shown is the publishing code's business.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from ..files import write_atomic
from ..problems import CorpusError, Problem, display_path
from ..schema import BeadStatus, Language, ParagraphKind
from ..sources.metadata import DocumentMetadata

BEAD_CONFIGS = ("paragraph_translation", "translation")


def data_part(config: str) -> str:
    return f"data/{config}"


def source_part(language: Language) -> str:
    return f"source/{language.value}"


@dataclass(frozen=True)
class Payload:
    """A document's bulk by part name (`data_part`, `source_part`): the bytes themselves, or where
    they are in a cache entry file, each part with its CRC-32 so that a damaged entry is never
    copied into a loader."""

    parts: Optional[dict[str, bytes]] = None
    path: Optional[str] = None
    index: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # part -> (offset in the file, length, crc32)

    def names(self) -> tuple[str, ...]:
        return tuple(self.parts) if self.parts is not None else tuple(self.index)

    def read(self, name: str) -> bytes:
        """One part's bytes (b"" for a part the document does not have). A cache entry that can
        no longer be read, or whose part fails its checksum, is removed and named in a
        CorpusError: the next run builds that document again."""
        if self.parts is not None:
            return self.parts.get(name, b"")
        if name not in self.index:
            return b""
        offset, length, crc = self.index[name]
        try:
            with open(self.path, "rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
        except OSError as err:
            raise CorpusError(Problem(display_path(Path(self.path)), None, name,
                                      f"build cache entry unreadable ({err.strerror or err}); run the command again")) from None
        if len(data) != length or zlib.crc32(data) != crc:
            Path(self.path).unlink(missing_ok=True)
            raise CorpusError(Problem(display_path(Path(self.path)), None, name,
                                      "build cache entry damaged (checksum mismatch), now removed; run the command again "
                                      "to build this document afresh"))
        return data


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    metadata: DocumentMetadata
    alignment_path: str  # the paragraph alignment file: where the project holding the document is
    annotated: bool
    counts: dict  # config -> rows, in the order the build makes the configs
    tally: Counter  # ("paragraphs", "zh") -> 42, ...: every count the card and the charts add up
    headings_en: tuple[str, ...]  # the English headings' texts: the sections of a document shown on its own
    bead_lengths: tuple[tuple[str, int, int, bool], ...]  # (paragraph bead id, zh characters, en characters, untranslated)
    entities: tuple = ()  # the entity inventory rows this document ships
    notes: tuple = ()  # translation note rows
    assessed: tuple = ()  # (claim id, outcome, English, evidence, as of) of claims with an outcome's evidence
    example_claims: tuple = ()  # (the first claim with numbers, cues and a source other than the author, or None; the first claim)
    side_sources: dict = field(default_factory=dict)  # "zh"/"en" -> where its text came from (documents row)
    raw_files: tuple[tuple[str, str], ...] = ()  # (path in the loader, language) of raw sources the loader ships
    payload: Payload = field(default_factory=Payload, compare=False)

    @property
    def split(self) -> str:
        return self.metadata.split

    def data_of(self, config: str) -> bytes:
        return self.payload.read(data_part(config))

    def source_text(self, language: Language) -> str:
        return self.payload.read(source_part(language)).decode("utf-8")


def _tally(rows) -> Counter:
    tally = Counter()
    for p in rows["paragraphs"]:
        lang = p.language.value
        tally["paragraphs", lang] += 1
        tally["headings", lang] += p.kind is ParagraphKind.HEADING
        tally["characters", lang] += len(p.text)
    for s in rows["sentences"]:
        tally["sentences", s.language.value] += 1
        tally["tokens", s.language.value] += len(s.tokens)
    for config in BEAD_CONFIGS:
        for b in rows[config]:
            # an untranslated copy of the English is no bead type of a translation: counted by its status only
            tally["bead_type", config, b.bead_type.value] += b.status is not BeadStatus.UNTRANSLATED
            tally["bead_status", config, b.status.value] += 1
    for r in rows.get("capture_regions", ()):
        tally["region_characters", r.reason.value] += r.raw_end - r.raw_start
    if "claims" in rows:
        sentences = {s.id: s for s in rows["sentences"]}
        paragraphs = {p.id: p for p in rows["paragraphs"]}
        for c in rows["claims"]:
            tally["claim_type", c.claim_type.value] += 1
            tally["hedge", f"{c.hedge.value} ({c.factbank[:2]})"] += 1
            tally["polarity", c.polarity.value] += 1
            tally["source", c.source] += 1
            for lang, sid in (("zh", c.zh_sentence_id), ("en", c.en_sentence_id)):
                section = paragraphs[sentences[sid].paragraph_id].section_index
                tally["claims_in_section", section, lang, c.hedge.value] += 1
    for m in rows.get("mentions", ()):
        tally["mention", m.layer.value, m.language.value, m.label] += 1
    return +tally  # no zero counts: the summary of equal rows is equal


def summarize(built) -> DocumentSummary:
    """The summary of a `BuiltDocument`, its payload in memory."""
    rows, sources = built.rows, built.sources
    meta = sources.metadata
    claims = rows.get("claims", [])
    example = next((c for c in claims if c.zh_numbers and c.zh_cues and c.source != "author"), None)
    document = rows["documents"][0]
    raw = []
    for language in (Language.ZH, Language.EN):
        side = meta.side(language)
        if side.package is None and any(p.raw_start is not None for p in rows["paragraphs"] if p.language is language):
            raw.append((f"raw/{built.doc_id}/{side.files[0].path}", language.value))
    parts = {data_part(config): data for config, data in built.data.items()}
    parts.update({source_part(language): sources.sides[language][0].text.encode("utf-8") for language in Language})
    return DocumentSummary(
        doc_id=built.doc_id, metadata=meta, alignment_path=str(sources.paragraph_alignment.path),
        annotated=built.annotations is not None,
        counts={config: len(config_rows) for config, config_rows in rows.items()},
        tally=_tally(rows),
        headings_en=tuple(p.text for p in rows["paragraphs"] if p.language is Language.EN and p.kind is ParagraphKind.HEADING),
        bead_lengths=tuple((b.id, len(b.translation["zh"]), len(b.translation["en"]), b.status is BeadStatus.UNTRANSLATED)
                           for b in rows["paragraph_translation"]),
        entities=tuple(rows.get("entities", ())), notes=tuple(rows.get("translation_notes", ())),
        assessed=tuple((c.id, c.outcome.value, c.en_text, c.outcome_evidence, c.outcome_as_of) for c in claims if c.outcome_evidence),
        example_claims=(example, claims[0]) if claims else (),
        side_sources={"zh": document.zh_source, "en": document.en_source}, raw_files=tuple(raw),
        payload=Payload(parts=parts),
    )


# A cache entry: this magic, the length of the header, the header (the summary without its
# payload, and the payload's index), then the payload's parts one after the other, uncompressed
# so that writing a data file is a copy.
ENTRY_MAGIC = b"bicorpus-entry-4\n"
_LENGTH = struct.Struct("<Q")


def write_entry(path: Path, summary: DocumentSummary) -> DocumentSummary:
    """Store the summary and its payload in one file; the summary returned reads its payload there."""
    names = summary.payload.names()
    parts = [summary.payload.read(name) for name in names]
    index, offset = {}, 0
    for name, data in zip(names, parts):
        index[name] = (offset, len(data), zlib.crc32(data))
        offset += len(data)
    header = zlib.compress(pickle.dumps((replace(summary, payload=Payload()), index), protocol=pickle.HIGHEST_PROTOCOL), 1)
    write_atomic(path, [ENTRY_MAGIC, _LENGTH.pack(len(header)), header, *parts], fsync=False)
    return _reading_from(path, summary, index, len(header))


def _reading_from(path: Path, summary: DocumentSummary, index: dict, header_length: int) -> DocumentSummary:
    start = len(ENTRY_MAGIC) + _LENGTH.size + header_length
    where = {name: (start + offset, length, crc) for name, (offset, length, crc) in index.items()}
    return replace(summary, payload=Payload(path=os.fspath(Path(path).resolve()), index=where))


def read_entry(path: Path) -> DocumentSummary:
    """The summary of a cache entry, its payload left in the file. Raises ValueError for a file
    that is no entry of this layout (an old cache, a killed write); a part damaged inside is
    found by its checksum when it is read (`Payload.read`)."""
    with open(path, "rb") as handle:
        if handle.read(len(ENTRY_MAGIC)) != ENTRY_MAGIC:
            raise ValueError(f"{path}: not a cache entry of this layout")
        prefix = handle.read(_LENGTH.size)
        if len(prefix) != _LENGTH.size:
            raise ValueError(f"{path}: cut short")
        (length,) = _LENGTH.unpack(prefix)
        header = handle.read(length)
        size = os.fstat(handle.fileno()).st_size
    if len(header) != length:
        raise ValueError(f"{path}: cut short")
    summary, index = pickle.loads(zlib.decompress(header))
    if len(ENTRY_MAGIC) + _LENGTH.size + length + sum(n for _, n, _ in index.values()) != size:
        raise ValueError(f"{path}: cut short")
    return _reading_from(path, summary, index, length)
