"""The gold annotation files: reading them against the schema, filling span offsets for
annotators, and proposing the mentions a reader then accepts or rejects.

Files (JSON Lines, one record per line, sorted):

    annotations/entities.jsonl             the entity inventory (all documents)
    annotations/cue_lexicon.jsonl          the bilingual hedge-cue lexicon (all documents)
    annotations/<doc>/entity_mentions.jsonl
    annotations/<doc>/numbers.jsonl
    annotations/<doc>/cues.jsonl
    annotations/<doc>/non_mentions.jsonl   proposals rejected by a reader, with the reason
    annotations/<doc>/claims.jsonl
    annotations/<doc>/claim_free.jsonl
    annotations/<doc>/translation_notes.jsonl
    annotations/<doc>/outcomes.jsonl

A document without claims.jsonl is not annotated yet: it builds without claim configs.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable, Optional

from ..features import _resolved_hints, _unwrap_optional, row_to_json, value_fits
from ..problems import Problem, display_path
from ..schema import (FACTBANK_CERTAINTY, Claim, ClaimFree, ClaimRow, ClaimStatus, ClaimType, CueClass, CueLexiconEntry,
                      CueMention, CueSpan, EntityMention, EntityRecord, EntitySpan, HedgeLevel, Language, Layer, MentionRow,
                      NonMention, NoteRow, NumberMention, NumberSpan, Outcome, OutcomeRecord, ParagraphKind, Polarity,
                      TranslationNote)
from ..sources.capture import SourceFile, read_source
from ..spans import keep_longest
from .numbers import find_numbers

PROJECT_FILES = {"entities": EntityRecord, "cue_lexicon": CueLexiconEntry}
DOCUMENT_FILES = {
    "entity_mentions": EntityMention,
    "numbers": NumberMention,
    "cues": CueMention,
    "non_mentions": NonMention,
    "claims": Claim,
    "claim_free": ClaimFree,
    "translation_notes": TranslationNote,
    "outcomes": OutcomeRecord,
}
# None: every file of an annotated document is there, and one with nothing to hold (no
# translation note, no prediction to check) is empty, so a deleted file never reads as empty.
OPTIONAL_FILES: frozenset = frozenset()
# (sentence id field, start field, end field, text field) of each span a record type holds
SPANS = {
    EntityMention: [("sentence_id", "start", "end", "text")],
    NumberMention: [("sentence_id", "start", "end", "text")],
    CueMention: [("sentence_id", "start", "end", "text")],
    NonMention: [("sentence_id", "start", "end", "text")],
    TranslationNote: [("sentence_id", "start", "end", "text")],
    Claim: [("zh_sentence_id", "zh_start", "zh_end", "zh_text"), ("en_sentence_id", "en_start", "en_end", "en_text")],
}
# Text fields that a stand-off file (for a document whose text is not ours to commit) leaves
# out: the build fills them from the fetched text. Names and numbers keep their short surface.
STANDOFF_TEXT = {Claim: ("zh_text", "en_text"), CueMention: ("text",), TranslationNote: ("text", "en_text"),
                 NonMention: ("text",)}
# Authoring-only key: which occurrence of `text` in the sentence a span means (1-based).
OCCURRENCE = "occurrence"


@dataclass(frozen=True)
class Loaded:
    """The records of one gold file, each with its 1-based line."""

    path: str
    records: list  # (line, record)

    def __iter__(self):
        return (record for _, record in self.records)

    def __len__(self):
        return len(self.records)


@dataclass(frozen=True)
class Annotations:
    entities: Loaded
    cue_lexicon: Loaded
    entity_mentions: Loaded
    numbers: Loaded
    cues: Loaded
    non_mentions: Loaded
    claims: Loaded
    claim_free: Loaded
    translation_notes: Loaded
    outcomes: Loaded


def _convert(value, hint):
    hint, _ = _unwrap_optional(hint)
    if value is None:
        return None
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if isinstance(value, list):
        return tuple(value)
    if hint is float:
        return float(value)
    return value


def parse_records(source: SourceFile, record_type: type, allow_missing_offsets: bool = False) -> tuple[Loaded, list[Problem]]:
    """Every line of a gold file as a record of `record_type`, or a problem naming the line
    and field. With `allow_missing_offsets`, spans may omit start/end (see `fill_offsets`)."""
    hints = _resolved_hints(record_type)
    names = [f.name for f in dataclasses.fields(record_type)]
    offsets = {f for span in SPANS.get(record_type, []) for f in span[1:3]}
    records, problems = [], []
    for number, line in enumerate(source.lines(), start=1):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(source.path, number, None, f"invalid JSON ({err.msg})"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(source.path, number, None, "expected a JSON object"))
            continue
        optional = (offsets if allow_missing_offsets else set()) | set(STANDOFF_TEXT.get(record_type, ()))
        missing = [n for n in names if n not in data and n not in optional]
        extra = [k for k in data if k not in names and not (allow_missing_offsets and k == OCCURRENCE)]
        for name in missing:
            problems.append(Problem(source.path, number, name, "required field is missing"))
        for name in extra:
            problems.append(Problem(source.path, number, name, f"unknown field (a {record_type.__name__} has {', '.join(names)})"))
        bad = [n for n in names if n in data and not value_fits(data[n], hints[n])]
        for name in bad:
            problems.append(Problem(source.path, number, name, f"value {data[name]!r} does not fit type {_type_name(hints[name])}"))
        if missing or extra or bad:
            continue
        values = {n: _convert(data.get(n), hints[n]) for n in names}
        if allow_missing_offsets:
            values = {**values, OCCURRENCE: data.get(OCCURRENCE, 1)}
            records.append((number, values))
        else:
            records.append((number, record_type(**values)))
    return Loaded(source.path, records), problems


def _type_name(hint) -> str:
    hint, optional = _unwrap_optional(hint)
    name = "one of " + ", ".join(m.value for m in hint) if isinstance(hint, type) and issubclass(hint, Enum) else getattr(hint, "__name__", str(hint))
    return name + (" or null" if optional else "")


def _source(path: Path) -> SourceFile:
    return read_source(path) if path.exists() else SourceFile(display_path(path), "")


def annotation_paths(annotations_root: Path, doc_id: str) -> dict[str, Path]:
    root = Path(annotations_root)
    paths = {name: root / f"{name}.jsonl" for name in PROJECT_FILES}
    paths.update({name: root / doc_id / f"{name}.jsonl" for name in DOCUMENT_FILES})
    return paths


def is_annotated(annotations_root: Path, doc_id: str) -> bool:
    return (Path(annotations_root) / doc_id / "claims.jsonl").is_file()


def read_annotations(annotations_root: Path, doc_id: str) -> tuple[Annotations, list[Problem]]:
    loaded, problems = {}, []
    types = {**PROJECT_FILES, **DOCUMENT_FILES}
    for name, path in annotation_paths(annotations_root, doc_id).items():
        if name not in OPTIONAL_FILES and not path.is_file():
            problems.append(Problem(display_path(path), None, None, "file is missing (the document's metadata says its claims are annotated; a file with nothing to hold is kept empty)"))
        records, found = parse_records(_source(path), types[name])
        loaded[name] = records
        problems += found
    return Annotations(**loaded), problems


# ---------------------------------------------------------------------------------------
# Writing: one record per line, fields in schema order, sorted
# ---------------------------------------------------------------------------------------


def sort_key(record) -> tuple:
    data = row_to_json(record) if dataclasses.is_dataclass(record) else record
    for key in ("id", "claim_id"):
        if key in data:
            return (str(data[key]),)
    if "sentence_id" in data:
        return (data["sentence_id"], data.get("start") or 0, data.get("end") or 0, data.get("layer") or "")
    if "language" in data:
        return (data["language"], data["cue"])
    return (json.dumps(data, ensure_ascii=False, sort_keys=True),)


def records_text(records: Iterable) -> str:
    # a stand-off text field left out stays out
    rows = [{k: v for k, v in row_to_json(r).items() if not (v is None and k in STANDOFF_TEXT.get(type(r), ()))}
            for r in records]
    rows.sort(key=sort_key)
    return "".join(json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in rows)


# ---------------------------------------------------------------------------------------
# Offsets for annotators: write the surface, let the tool find where it is
# ---------------------------------------------------------------------------------------


def fill_offsets(source: SourceFile, record_type: type, sentence_texts: dict[str, str],
                 standoff: bool = False) -> tuple[str, list[Problem]]:
    """The file's text with every missing start/end filled from its surface (the n-th
    occurrence when the record says `occurrence: n`), sorted, one record per line. Existing
    offsets are kept and checked against a surface given with them. With `standoff` (a
    document whose text is not ours), the surfaces that a stand-off file must not keep are
    left out once they have given their offsets."""
    loaded, problems = parse_records(source, record_type, allow_missing_offsets=True)
    filled = []
    for number, values in loaded.records:
        occurrence = values.pop(OCCURRENCE)
        for sid_field, start_field, end_field, text_field in SPANS.get(record_type, []):
            sentence = sentence_texts.get(values[sid_field])
            if sentence is None:
                problems.append(Problem(source.path, number, sid_field, f"no sentence {values[sid_field]!r}"))
                break
            text = values[text_field]
            if values.get(start_field) is None or values.get(end_field) is None:
                at = None if text is None else _nth(sentence, text, occurrence)
                if at is None:
                    problems.append(Problem(source.path, number, text_field,
                                            f"{text!r} (occurrence {occurrence}) is not in {values[sid_field]}" if text is not None
                                            else "needs its surface text (to find its offsets) or its offsets"))
                    break
                values[start_field], values[end_field] = at, at + len(text)
            elif text is not None and sentence[values[start_field]:values[end_field]] != text:
                problems.append(Problem(source.path, number, start_field, f"the sentence text at [{values[start_field]}:{values[end_field]}] is not {text!r}"))
        else:
            if standoff:
                values.update({name: None for name in STANDOFF_TEXT.get(record_type, ()) if text_is_standoff(record_type, values)})
            filled.append(record_type(**values))
    return records_text(filled), problems


def text_is_standoff(record_type: type, values) -> bool:
    """Whether a record of this type keeps no surface text in the stand-off file of a document
    whose text is not ours (a rejected proposal keeps the surface of a name or a number)."""
    layer = values.get("layer") if isinstance(values, dict) else getattr(values, "layer", None)
    return record_type in STANDOFF_TEXT and not (record_type is NonMention and layer is not Layer.CUE)


def _nth(text: str, part: str, n: int) -> Optional[int]:
    at = -1
    for _ in range(max(n, 1)):
        at = text.find(part, at + 1)
        if at == -1 or not part:
            return None
    return at


# ---------------------------------------------------------------------------------------
# Proposals: what a finder sees in a sentence. A reader accepts each into the gold file or
# rejects it into non_mentions.jsonl; `checks` requires every proposal to be one or the other.
# ---------------------------------------------------------------------------------------


def _latin(text: str) -> bool:
    return bool(re.search(r"[A-Za-z0-9]", text))


def alias_table(entities: Iterable[EntityRecord], language: Language) -> dict[str, str]:
    table = {}
    for entity in entities:
        for alias in (entity.aliases_zh if language is Language.ZH else entity.aliases_en):
            table[alias] = entity.id
    return table


def longest_matches(text: str, surfaces: Iterable[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of the surfaces, longest first; a surface with Latin
    letters or digits must not touch another Latin letter or digit (GPT in InstructGPT)."""
    found = []
    for surface in set(surfaces):
        at = text.find(surface)
        while at != -1:
            end = at + len(surface)
            glued = _latin(surface) and ((at > 0 and re.match(r"[A-Za-z0-9]", text[at - 1]) and re.match(r"[A-Za-z0-9]", surface[0]))
                                         or (end < len(text) and re.match(r"[A-Za-z0-9]", text[end]) and re.match(r"[A-Za-z0-9]", surface[-1])))
            if not glued:
                found.append((at, end, surface))
            at = text.find(surface, at + 1)
    return keep_longest(found)


def propose(sentence_id: str, text: str, language: Language, aliases: dict[str, str],
            cues: dict[str, CueLexiconEntry]) -> dict[Layer, list[tuple[int, int, str]]]:
    """(start, end, surface) of every entity alias, number and lexicon cue in a sentence."""
    numbers = [(n.start, n.end, n.text) for n in find_numbers(text, language.value)]

    def attached_to_number(start: int, end: int) -> bool:
        return any((s <= start and end <= e) or (s >= end and not text[end:s].strip()) for s, e, _ in numbers)

    # An approximator ("about", 约) is a cue only where it qualifies a number: inside the
    # number's span or right before it.
    cue_matches = [(s, e, t) for s, e, t in longest_matches(text, cues)
                   if cues[t].cue_class is not CueClass.APPROXIMATOR or attached_to_number(s, e)]
    return {Layer.ENTITY: longest_matches(text, aliases), Layer.NUMBER: numbers, Layer.CUE: cue_matches}


def lexicon_table(lexicon: Iterable[CueLexiconEntry], language: Language) -> dict[str, CueLexiconEntry]:
    return {entry.cue: entry for entry in lexicon if entry.language is language}



# ---------------------------------------------------------------------------------------
# Gold records + sentence rows -> rows of the annotation configs
# ---------------------------------------------------------------------------------------


def factbank_value(hedge: HedgeLevel, polarity: Polarity) -> str:
    if hedge is HedgeLevel.UNKNOWN:
        return "Uu"
    return FACTBANK_CERTAINTY[hedge] + ("+" if polarity is Polarity.POSITIVE else "−")


def _inside(mention, sentence_id: str, start: int, end: int) -> bool:
    return mention.sentence_id == sentence_id and start <= mention.start and mention.end <= end


def by_sentence(records) -> dict[str, list]:
    """Records grouped by their sentence id, so that a span's contents are found without a scan."""
    out: dict[str, list] = {}
    for record in records:
        out.setdefault(record.sentence_id, []).append(record)
    return out


def annotation_rows(doc_id: str, ann: Annotations, sentences: list, paragraphs: list) -> dict:
    """Rows of the claims, entities, mentions and translation_notes configs, and the
    sentences with their claim status."""
    by_id = {s.id: s for s in sentences}
    bead_of_paragraph = {p.id: p.bead_id for p in paragraphs}
    lexicon = {(e.language, e.cue): e for e in ann.cue_lexicon}
    entity_type = {e.id: e.type for e in ann.entities}
    outcomes = {o.claim_id: o for o in ann.outcomes}
    # each layer by sentence, so that finding what a claim holds is linear in the document
    cues_in, entities_in, numbers_in, notes_in = (by_sentence(records) for records in
                                                  (ann.cues, ann.entity_mentions, ann.numbers, ann.translation_notes))

    def doc_offset(sentence_id: str, offset: int) -> int:
        return by_id[sentence_id].start + offset

    def cue_spans(sentence_id, start, end):
        lang = by_id[sentence_id].language
        return tuple(CueSpan(c.text, doc_offset(c.sentence_id, c.start), doc_offset(c.sentence_id, c.end),
                             lexicon[(lang, c.text)].cue_class, lexicon[(lang, c.text)].effect)
                     for c in cues_in.get(sentence_id, ()) if _inside(c, sentence_id, start, end))

    def entity_spans(sentence_id, start, end):
        return tuple(EntitySpan(m.text, doc_offset(m.sentence_id, m.start), doc_offset(m.sentence_id, m.end),
                                m.entity_id, entity_type[m.entity_id])
                     for m in entities_in.get(sentence_id, ()) if _inside(m, sentence_id, start, end))

    def number_spans(sentence_id, start, end):
        return tuple(NumberSpan(n.text, doc_offset(n.sentence_id, n.start), doc_offset(n.sentence_id, n.end), n.value,
                                n.low, n.high, n.unit, n.kind, n.approx)
                     for n in numbers_in.get(sentence_id, ()) if _inside(n, sentence_id, start, end))

    def notes_overlapping(claim: Claim) -> tuple[str, ...]:
        return tuple(n.id for n in notes_in.get(claim.zh_sentence_id, ())
                     if n.sentence_id == claim.zh_sentence_id and n.start < claim.zh_end and claim.zh_start < n.end)

    claims = []
    for c in sorted(ann.claims, key=lambda c: c.id):
        outcome = outcomes.get(c.id)
        default = Outcome.NOT_ASSESSED if c.claim_type is ClaimType.PREDICTION else Outcome.NOT_A_PREDICTION
        claims.append(ClaimRow(
            id=c.id, doc_id=doc_id, paragraph_bead_id=bead_of_paragraph[by_id[c.zh_sentence_id].paragraph_id],
            claim_type=c.claim_type, source=c.source_chain[-1], source_chain=c.source_chain,
            author_stance=c.author_stance, hedge=c.hedge, polarity=c.polarity, factbank=factbank_value(c.hedge, c.polarity),
            zh_sentence_id=c.zh_sentence_id, zh_start=doc_offset(c.zh_sentence_id, c.zh_start),
            zh_end=doc_offset(c.zh_sentence_id, c.zh_end), zh_text=c.zh_text,
            en_sentence_id=c.en_sentence_id, en_start=doc_offset(c.en_sentence_id, c.en_start),
            en_end=doc_offset(c.en_sentence_id, c.en_end), en_text=c.en_text,
            zh_cues=cue_spans(c.zh_sentence_id, c.zh_start, c.zh_end), en_cues=cue_spans(c.en_sentence_id, c.en_start, c.en_end),
            zh_entities=entity_spans(c.zh_sentence_id, c.zh_start, c.zh_end),
            en_entities=entity_spans(c.en_sentence_id, c.en_start, c.en_end),
            zh_numbers=number_spans(c.zh_sentence_id, c.zh_start, c.zh_end),
            en_numbers=number_spans(c.en_sentence_id, c.en_start, c.en_end),
            translation_note_ids=notes_overlapping(c),
            outcome=outcome.outcome if outcome else default,
            outcome_evidence=outcome.evidence if outcome else None,
            outcome_sources=outcome.sources if outcome else (),
            outcome_as_of=outcome.as_of if outcome else None,
            note=c.note,
        ))

    claim_spans: dict[str, list] = {}
    for c in ann.claims:
        for sid, start, end in ((c.zh_sentence_id, c.zh_start, c.zh_end), (c.en_sentence_id, c.en_start, c.en_end)):
            claim_spans.setdefault(sid, []).append((c.id, sid, start, end))

    def containing(mention) -> tuple[str, ...]:
        return tuple(sorted(cid for cid, sid, s, e in claim_spans.get(mention.sentence_id, ()) if _inside(mention, sid, s, e)))

    def mention(layer: Layer, m, label: str, **extra) -> MentionRow:
        sentence = by_id[m.sentence_id]
        values = dict(entity_id=None, value=None, low=None, high=None, claim_ids=containing(m))
        values.update(extra)
        return MentionRow(id=f"{m.sentence_id}/{layer.value[0]}{m.start:03d}", doc_id=doc_id, language=sentence.language,
                          sentence_id=m.sentence_id, layer=layer, label=label, start=sentence.start + m.start,
                          end=sentence.start + m.end, sentence_start=m.start, sentence_end=m.end, text=m.text, **values)

    mentions = [mention(Layer.ENTITY, m, entity_type[m.entity_id].value, entity_id=m.entity_id) for m in ann.entity_mentions]
    mentions += [mention(Layer.NUMBER, n, n.unit.value, value=n.value, low=n.low, high=n.high) for n in ann.numbers]
    mentions += [mention(Layer.CUE, c, lexicon[(by_id[c.sentence_id].language, c.text)].cue_class.value) for c in ann.cues]
    for c in ann.claims:
        for lang, sid, start, end, text in (("zh", c.zh_sentence_id, c.zh_start, c.zh_end, c.zh_text),
                                            ("en", c.en_sentence_id, c.en_start, c.en_end, c.en_text)):
            span = CueMention(sid, start, end, text)
            row = mention(Layer.CLAIM, span, c.claim_type.value, claim_ids=(c.id,))
            mentions.append(dataclasses.replace(row, id=f"{c.id}/{lang}"))
    layer_order = {layer: i for i, layer in enumerate(Layer)}
    mentions.sort(key=lambda m: (m.language is not Language.ZH, m.sentence_id, m.sentence_start, layer_order[m.layer], m.sentence_end))

    notes = []
    for n in sorted(ann.translation_notes, key=lambda n: n.id):
        overlapping = tuple(sorted(c.id for c in ann.claims if c.zh_sentence_id == n.sentence_id
                                   and n.start < c.zh_end and c.zh_start < n.end))
        notes.append(NoteRow(id=n.id, doc_id=doc_id, kind=n.kind, zh_sentence_id=n.sentence_id,
                             zh_start=doc_offset(n.sentence_id, n.start), zh_end=doc_offset(n.sentence_id, n.end),
                             zh_text=n.text, en_sentence_id=n.en_sentence_id, en_text=n.en_text,
                             explanation=n.explanation, source=n.source, claim_ids=overlapping))

    in_sentence = {}
    for c in ann.claims:
        in_sentence.setdefault(c.zh_sentence_id, []).append(c.id)
        in_sentence.setdefault(c.en_sentence_id, []).append(c.id)
    free = {f.sentence_id for f in ann.claim_free}
    kind_of = {p.id: p.kind for p in paragraphs}
    updated = []
    for s in sentences:
        if s.claim_status is ClaimStatus.UNTRANSLATED:
            status = ClaimStatus.UNTRANSLATED
        elif kind_of[s.paragraph_id] in (ParagraphKind.TITLE, ParagraphKind.HEADING):
            status = ClaimStatus.HEADING
        elif s.id in in_sentence:
            status = ClaimStatus.HAS_CLAIMS
        elif s.id in free:
            status = ClaimStatus.CLAIM_FREE
        else:
            status = ClaimStatus.NOT_ANNOTATED
        updated.append(dataclasses.replace(s, claim_status=status, claim_ids=tuple(sorted(in_sentence.get(s.id, ())))))
    named = {m.entity_id for m in ann.entity_mentions} | {source for c in ann.claims for part in c.source_chain[1:]
                                                           for source in part.split("+")}
    return {
        "sentences": updated,
        "claims": claims,
        # the shared inventory holds every collection's entities: ship the ones this document names
        "entities": sorted((e for e in ann.entities if e.id in named), key=lambda e: e.id),
        "mentions": mentions,
        "translation_notes": notes,
    }


def standoff_records(ann: "Annotations") -> list[tuple[str, int, str]]:
    """(file, line, field) of every text field a stand-off file carries although it must not."""
    out = []
    for name in DOCUMENT_FILES:
        loaded = getattr(ann, name)
        for number, record in loaded.records:
            for field in STANDOFF_TEXT.get(type(record), ()):
                if getattr(record, field) is not None and text_is_standoff(type(record), record):
                    out.append((loaded.path, number, field))
    return out


def with_texts(ann: "Annotations", sentences: dict) -> "Annotations":
    """The annotation with every left-out text filled from the sentences it points into: a
    span's surface from its offsets, a note's English from its English sentence."""
    def filled(record):
        changes = {}
        for sid_field, start_field, end_field, text_field in SPANS.get(type(record), []):
            if getattr(record, text_field, "") is None:
                sentence = sentences.get(getattr(record, sid_field))
                if sentence is not None:
                    changes[text_field] = sentence.text[getattr(record, start_field):getattr(record, end_field)]
        if type(record) is TranslationNote and record.en_text is None:
            sentence = sentences.get(record.en_sentence_id)
            changes["en_text"] = sentence.text if sentence is not None else ""
        return dataclasses.replace(record, **changes) if changes else record

    replaced = {}
    for name in DOCUMENT_FILES:
        loaded = getattr(ann, name)
        replaced[name] = Loaded(loaded.path, [(n, filled(r)) for n, r in loaded.records])
    return dataclasses.replace(ann, **replaced)
