"""Checks of the gold claim annotation. Each returns Problems naming file, line and field.

What they guarantee: every span's surface is the text at its offsets; every proposal of the
finders (entity aliases, numbers, lexicon cues) is either annotated or rejected with a
reason; gold numbers agree with the normalizer; the two sides of a claim carry the same
entities and numbers unless a translation note explains why not; every non-heading
sentence has a claim or a reason why not; an attributed claim starts at its attribution
verb; every prediction about GPT-4 has an outcome with a source; every label is defined in
the guidelines; the files are in canonical order.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..problems import CorpusError, Problem
from ..sources.capture import read_source
from ..schema import (AuthorStance, ClaimFreeReason, ClaimStatus, ClaimType, CueClass, CueEffect, EntityType, HedgeLevel, Language,
                      Layer, NoteKind, NumberKind, NumberUnit, Outcome, ParagraphKind, Polarity)
from .numbers import find_numbers, same_value
from .records import (SPANS, Annotations, Loaded, _inside, alias_table, by_sentence, lexicon_table, propose, records_text)

GPT4 = "model:gpt-4"
ID_PREFIX = {EntityType.ORGANIZATION: "org", EntityType.PERSON: "person", EntityType.MODEL: "model",
             EntityType.METHOD: "method", EntityType.CONCEPT: "concept", EntityType.SOFTWARE: "sw",
             EntityType.LOCATION: "loc", EntityType.WORK: "work"}
# label sets the guidelines must define, each value written as `value`
GUIDELINE_LABELS = (ClaimType, HedgeLevel, Polarity, AuthorStance, CueClass, CueEffect, EntityType, NumberUnit,
                    NumberKind, NoteKind, Outcome, ClaimFreeReason)


def _loaded_files(ann: Annotations) -> list[Loaded]:
    return [getattr(ann, name) for name in Annotations.__dataclass_fields__]


def canonical_problems(ann: Annotations, texts: dict[str, str]) -> list[Problem]:
    """Files are sorted, one record per line, fields in schema order (what `fill` writes)."""
    problems = []
    for loaded in _loaded_files(ann):
        current = texts.get(loaded.path, "")
        wanted = records_text(loaded)
        if current != wanted:
            old, new = current.split("\n"), wanted.split("\n")
            line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)))
            problems.append(Problem(loaded.path, line, None, "not in canonical form (sorted, one record per line, fields "
                                                              "in schema order); run `bicorpus annotations fill`"))
    return problems


def span_problems(ann: Annotations, sentences: dict) -> list[Problem]:
    problems = []
    for loaded in _loaded_files(ann):
        for number, record in loaded.records:
            for sid_field, start_field, end_field, text_field in SPANS.get(type(record), []):
                sid = getattr(record, sid_field)
                sentence = sentences.get(sid)
                if sentence is None:
                    problems.append(Problem(loaded.path, number, sid_field, f"no sentence {sid!r}"))
                    continue
                want = sid_field[:2] if sid_field[:3] in ("zh_", "en_") else None
                if want and sentence.language.value != want:
                    problems.append(Problem(loaded.path, number, sid_field, f"{sid!r} is not a {want} sentence"))
                start, end, text = getattr(record, start_field), getattr(record, end_field), getattr(record, text_field)
                if not text or not 0 <= start < end <= len(sentence.text) or sentence.text[start:end] != text:
                    problems.append(Problem(loaded.path, number, start_field,
                                            f"{sid}[{start}:{end}] is {sentence.text[start:end]!r}, not {text!r}"))
    for number, note in ann.translation_notes.records:
        en = sentences.get(note.en_sentence_id)
        if en is None or en.language is not Language.EN or note.en_text not in en.text:
            problems.append(Problem(ann.translation_notes.path, number, "en_text", f"{note.en_text!r} is not in English sentence {note.en_sentence_id!r}"))
        if sentences.get(note.sentence_id) is not None and sentences[note.sentence_id].language is not Language.ZH:
            problems.append(Problem(ann.translation_notes.path, number, "sentence_id", "a translation note is about a Chinese sentence"))
    return problems


def inventory_problems(ann: Annotations) -> list[Problem]:
    problems, seen = [], {}
    for number, entity in ann.entities.records:
        if entity.id in seen:
            problems.append(Problem(ann.entities.path, number, "id", f"duplicate id (first on line {seen[entity.id]})"))
        seen.setdefault(entity.id, number)
        if not entity.id.startswith(ID_PREFIX[entity.type] + ":"):
            problems.append(Problem(ann.entities.path, number, "id", f"a {entity.type.value} id starts with '{ID_PREFIX[entity.type]}:'"))
        for lang, aliases in (("en", entity.aliases_en), ("zh", entity.aliases_zh)):
            if not aliases:
                problems.append(Problem(ann.entities.path, number, f"aliases_{lang}", "at least one alias"))
            # An alias may name two entities ("Debian": the distribution, or the project as an
            # organisation); each mention's entity_id says which one it names.
            if len(set(aliases)) != len(aliases):
                problems.append(Problem(ann.entities.path, number, f"aliases_{lang}", "an alias is listed twice"))
    for number, mention in ann.entity_mentions.records:
        entity = next((e for e in ann.entities if e.id == mention.entity_id), None)
        if entity is None:
            problems.append(Problem(ann.entity_mentions.path, number, "entity_id", f"{mention.entity_id!r} is not in {ann.entities.path}"))
        elif mention.text not in entity.aliases_zh + entity.aliases_en:
            problems.append(Problem(ann.entity_mentions.path, number, "text", f"{mention.text!r} is no alias of {entity.id}"))
    return problems


def lexicon_problems(ann: Annotations, sentences: dict) -> list[Problem]:
    problems, seen = [], {}
    for number, entry in ann.cue_lexicon.records:
        key = (entry.language, entry.cue)
        if key in seen:
            problems.append(Problem(ann.cue_lexicon.path, number, "cue", f"duplicate entry (first on line {seen[key]})"))
        seen.setdefault(key, number)
    for number, cue in ann.cues.records:
        sentence = sentences.get(cue.sentence_id)
        if sentence is not None and (sentence.language, cue.text) not in seen:
            problems.append(Problem(ann.cues.path, number, "text", f"cue {cue.text!r} ({sentence.language.value}) is not in {ann.cue_lexicon.path}"))
    return problems


def undecided_proposals(ann: Annotations, sentences: dict, skipped: frozenset = frozenset()) -> list[tuple[Layer, str, int, int, str]]:
    """(layer, sentence id, start, end, surface) of every finder proposal that is neither
    annotated nor rejected. A number counts as annotated inside a longer gold number (一 in
    一个量级)."""
    gold = {
        Layer.ENTITY: {(m.sentence_id, m.start, m.end) for m in ann.entity_mentions},
        Layer.CUE: {(m.sentence_id, m.start, m.end) for m in ann.cues},
    }
    numbers = {}
    for n in ann.numbers:
        numbers.setdefault(n.sentence_id, []).append((n.start, n.end))
    rejected = {(m.layer, m.sentence_id, m.start, m.end) for m in ann.non_mentions}
    undecided = []
    for sid, sentence in sentences.items():
        if getattr(sentence, "claim_status", None) is ClaimStatus.UNTRANSLATED or sid in skipped:
            continue
        aliases = alias_table(ann.entities, sentence.language)
        cues = lexicon_table(ann.cue_lexicon, sentence.language)
        for layer, matches in propose(sid, sentence.text, sentence.language, aliases, cues).items():
            for start, end, surface in matches:
                if (layer, sid, start, end) in rejected:
                    continue
                if layer is Layer.NUMBER:
                    covered = any(s <= start and end <= e for s, e in numbers.get(sid, []))
                else:
                    covered = (sid, start, end) in gold[layer]
                if not covered:
                    undecided.append((layer, sid, start, end, surface))
    return undecided


def coverage_problems(ann: Annotations, sentences: dict, skipped: frozenset = frozenset()) -> list[Problem]:
    """Every finder proposal is annotated or rejected, and nothing is both."""
    files = {Layer.ENTITY: ann.entity_mentions.path, Layer.NUMBER: ann.numbers.path, Layer.CUE: ann.cues.path}
    problems = [Problem(files[layer], None, sid, f"{layer.value} {surface!r} at [{start}:{end}] is neither annotated nor "
                                                 f"listed in {ann.non_mentions.path} (see `bicorpus annotations propose`)")
                for layer, sid, start, end, surface in undecided_proposals(ann, sentences, skipped)]
    gold_all = {Layer.ENTITY: {(m.sentence_id, m.start, m.end) for m in ann.entity_mentions},
                Layer.CUE: {(m.sentence_id, m.start, m.end) for m in ann.cues},
                Layer.NUMBER: {(n.sentence_id, n.start, n.end) for n in ann.numbers}}
    for number, m in ann.non_mentions.records:
        if (m.sentence_id, m.start, m.end) in gold_all.get(m.layer, set()):
            problems.append(Problem(ann.non_mentions.path, number, "layer", f"{m.text!r} is both annotated and rejected"))
    return problems


def number_value_problems(ann: Annotations, sentences: dict) -> list[Problem]:
    """A gold number's value, low and high equal the normalizer's reading of a number
    found inside its span, where the normalizer finds one."""
    problems = []
    for number, n in ann.numbers.records:
        sentence = sentences.get(n.sentence_id)
        if sentence is None:
            continue
        found = [m for m in find_numbers(sentence.text, sentence.language.value) if n.start <= m.start and m.end <= n.end]
        if not found:
            continue
        m = found[0]
        for field in ("value", "low", "high"):
            if not same_value(getattr(n, field), getattr(m, field)):
                problems.append(Problem(ann.numbers.path, number, field, f"is {getattr(n, field)}, the normalizer reads {m.text!r} as {getattr(m, field)}"))
        if (n.kind is NumberKind.RANGE) != (n.low is not None and n.high is not None and n.value is None):
            problems.append(Problem(ann.numbers.path, number, "kind", "a range has low and high and no value; only a range does"))
    return problems


_SOURCE = re.compile(r"^(author|other:[a-z_]+|[a-z]+:[a-z0-9_.-]+(\+[a-z]+:[a-z0-9_.-]+)*)$")


def claim_problems(ann: Annotations, sentences: dict, paragraph_bead: dict) -> list[Problem]:
    entity_ids = {e.id for e in ann.entities}
    noted = {(n.sentence_id, n.start, n.end) for n in ann.translation_notes}
    entities_in, numbers_in = by_sentence(ann.entity_mentions), by_sentence(ann.numbers)
    problems, seen = [], {}
    path = ann.claims.path
    for number, c in ann.claims.records:
        if c.id in seen:
            problems.append(Problem(path, number, "id", f"duplicate id (first on line {seen[c.id]})"))
        seen.setdefault(c.id, number)
        zh, en = sentences.get(c.zh_sentence_id), sentences.get(c.en_sentence_id)
        if zh is None or en is None:
            continue
        match = re.fullmatch(rf"{re.escape(zh.doc_id)}/p(\d{{3}})-c\d{{2}}", c.id)
        if not match or f"{zh.doc_id}/zh-p{match.group(1)}" != zh.paragraph_id:
            problems.append(Problem(path, number, "id", f"expected '{zh.paragraph_id.replace('/zh-', '/')}-c<nn>' (the Chinese paragraph)"))
        if paragraph_bead.get(zh.paragraph_id) != paragraph_bead.get(en.paragraph_id):
            problems.append(Problem(path, number, "en_sentence_id", f"{c.en_sentence_id} is not in the paragraph bead of {c.zh_sentence_id}"))
        chain = c.source_chain
        if not chain or chain[0] != "author":
            problems.append(Problem(path, number, "source_chain", "starts with 'author'"))
        for source in chain[1:]:
            ids = source.split("+")
            if not _SOURCE.match(source) or any(not s.startswith("other:") and s not in entity_ids for s in ids):
                problems.append(Problem(path, number, "source_chain", f"{source!r} is not 'other:<who>' or inventory ids joined by '+'"))
        if (len(chain) == 1) != (c.author_stance is AuthorStance.OWN):
            problems.append(Problem(path, number, "author_stance", "is 'own' exactly when the author is the only source"))
        notes_here = any(sid == c.zh_sentence_id and s < c.zh_end and c.zh_start < e for sid, s, e in noted)
        if notes_here:
            continue
        zh_entities = {m.entity_id for m in entities_in.get(c.zh_sentence_id, ()) if _inside(m, c.zh_sentence_id, c.zh_start, c.zh_end)}
        en_entities = {m.entity_id for m in entities_in.get(c.en_sentence_id, ()) if _inside(m, c.en_sentence_id, c.en_start, c.en_end)}
        if zh_entities != en_entities:
            problems.append(Problem(path, number, "en_text", f"entities differ: zh {sorted(zh_entities)}, en {sorted(en_entities)}; "
                                                             "fix a span or record a translation note"))
        zh_values = Counter(_number_key(n) for n in numbers_in.get(c.zh_sentence_id, ()) if _inside(n, c.zh_sentence_id, c.zh_start, c.zh_end))
        en_values = Counter(_number_key(n) for n in numbers_in.get(c.en_sentence_id, ()) if _inside(n, c.en_sentence_id, c.en_start, c.en_end))
        if zh_values != en_values:
            problems.append(Problem(path, number, "en_text", f"numbers differ: zh {sorted(zh_values.elements(), key=str)}, "
                                                             f"en {sorted(en_values.elements(), key=str)}; fix a span or record a translation note"))
    return problems


def attribution_span_problems(ann: Annotations) -> list[Problem]:
    """Guidelines §2: an attributed claim's span starts at the attribution verb with its own
    adverbs, so the source and the words before it stay out. Checked where a lexicon
    attribution cue lies in the span: no mention of a source of the chain comes before the
    cue, and the span starts at the sentence start only if the cue does (他们发现…)."""
    attribution = {(e.language.value, e.cue) for e in ann.cue_lexicon if e.cue_class is CueClass.ATTRIBUTION}
    cue_starts: dict[str, list[int]] = {}
    for cue in ann.cues:
        if (cue.sentence_id.split("/")[-1][:2], cue.text) in attribution:
            cue_starts.setdefault(cue.sentence_id, []).append(cue.start)
    problems, entities_in = [], by_sentence(ann.entity_mentions)
    for number, c in ann.claims.records:
        sources = {s for link in c.source_chain[1:] for s in link.split("+")}
        if not sources:
            continue
        for side, sid, start, end in (("zh", c.zh_sentence_id, c.zh_start, c.zh_end), ("en", c.en_sentence_id, c.en_start, c.en_end)):
            cue = min((s for s in cue_starts.get(sid, []) if start <= s < end), default=None)
            if cue is None or cue == start:
                continue
            named = [m.text for m in entities_in.get(sid, ()) if m.entity_id in sources and _inside(m, sid, start, cue)]
            if named or start == 0:
                what = f"holds its source {named[0]!r}" if named else "starts at the sentence start"
                problems.append(Problem(ann.claims.path, number, f"{side}_start", f"is {start}: the span {what}; an attributed "
                                                                                  f"claim starts at its attribution verb (cue at {cue})"))
    return problems


def _number_key(n) -> tuple:
    return (n.unit.value, n.value, n.low, n.high)


def claim_coverage_problems(ann: Annotations, sentences: dict, paragraph_kind: dict) -> list[Problem]:
    with_claims = {c.zh_sentence_id for c in ann.claims} | {c.en_sentence_id for c in ann.claims}
    free = {}
    problems = []
    for number, f in ann.claim_free.records:
        free[f.sentence_id] = number
        if f.sentence_id in with_claims:
            problems.append(Problem(ann.claim_free.path, number, "sentence_id", "listed as claim-free but holds a claim"))
    for sid, sentence in sentences.items():
        if sentence.claim_status is ClaimStatus.UNTRANSLATED:
            continue  # untranslated paragraphs are not annotated
        heading = paragraph_kind.get(sentence.paragraph_id) in (ParagraphKind.TITLE, ParagraphKind.HEADING)
        if heading and sid in free:
            problems.append(Problem(ann.claim_free.path, free[sid], "sentence_id", "headings are not annotated; do not list them"))
        if not heading and sid not in with_claims and sid not in free:
            problems.append(Problem(ann.claims.path, None, sid, f"sentence {sentence.text[:30]!r}… has no claim and is not in {ann.claim_free.path}"))
    return problems


def outcome_problems(ann: Annotations) -> list[Problem]:
    claims = {c.id: c for c in ann.claims}
    problems, has_outcome = [], set()
    path = ann.outcomes.path
    for number, o in ann.outcomes.records:
        claim = claims.get(o.claim_id)
        if claim is None:
            problems.append(Problem(path, number, "claim_id", f"no claim {o.claim_id!r}"))
            continue
        has_outcome.add(o.claim_id)
        if claim.claim_type is not ClaimType.PREDICTION:
            problems.append(Problem(path, number, "claim_id", f"{o.claim_id} is a {claim.claim_type.value}, not a prediction"))
        if o.outcome in (Outcome.NOT_ASSESSED, Outcome.NOT_A_PREDICTION):
            problems.append(Problem(path, number, "outcome", "an outcome record says what happened (came_true, did_not_come_true, undetermined)"))
        if not o.sources or not all(re.search(r"https?://", s) for s in o.sources):
            problems.append(Problem(path, number, "sources", "every outcome needs at least one public source with its address"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", o.as_of):
            problems.append(Problem(path, number, "as_of", "an ISO date (YYYY-MM-DD)"))
    gpt4_in = by_sentence(m for m in ann.entity_mentions if m.entity_id == GPT4)
    for number, c in ann.claims.records:
        about_gpt4 = any(_inside(m, sid, start, end) for sid, start, end in ((c.zh_sentence_id, c.zh_start, c.zh_end),
                                                                             (c.en_sentence_id, c.en_start, c.en_end))
                         for m in gpt4_in.get(sid, ()))
        if c.claim_type is ClaimType.PREDICTION and about_gpt4 and c.id not in has_outcome:
            problems.append(Problem(ann.claims.path, number, "id", f"{c.id} is a prediction about GPT-4 with no record in {path}"))
    return problems


def guideline_problems(guidelines: Path) -> list[Problem]:
    from ..problems import display_path

    shown = display_path(guidelines)
    if not Path(guidelines).is_file():
        return [Problem(shown, None, None, "the annotation guidelines are missing")]
    try:
        text = read_source(Path(guidelines)).text  # UTF-8 and bounded, or one problem naming the file
    except CorpusError as err:
        return err.problems
    return [Problem(shown, None, label.__name__, f"label `{member.value}` is not defined in the guidelines")
            for label in GUIDELINE_LABELS for member in label if f"`{member.value}`" not in text]


def structural_problems(ann: Annotations, sentences: dict) -> list[Problem]:
    """The problems that stop a build: spans, entity ids and cues that point nowhere."""
    return span_problems(ann, sentences) + inventory_problems(ann) + lexicon_problems(ann, sentences)


def unrequired_sentences(built) -> frozenset:
    """Sentences whose finder proposals need no decision. Guidelines §13: in a real original and
    its translation (a document from a package), titles and headings are not annotated."""
    if not built.sources.metadata.zh.package:
        return frozenset()
    kind = {p.id: p.kind for p in built.rows["paragraphs"]}
    return frozenset(s.id for s in built.rows["sentences"] if kind.get(s.paragraph_id) in (ParagraphKind.TITLE, ParagraphKind.HEADING))


def annotation_problems(built, annotations_root: Path, as_written: Annotations | None = None) -> list[Problem]:
    """Every check of a built document's gold; `as_written`: its records as read from the
    files, before the build filled in their texts (read again when not given)."""
    ann: Annotations = built.annotations
    sentences = {s.id: s for s in built.rows["sentences"]}
    paragraph_bead = {p.id: p.bead_id for p in built.rows["paragraphs"]}
    paragraph_kind = {p.id: p.kind for p in built.rows["paragraphs"]}
    texts = {}
    for loaded in _loaded_files(ann):
        path = Path(loaded.path)
        texts[loaded.path] = path.read_text(encoding="utf-8") if path.exists() else ""
    skipped = unrequired_sentences(built)
    # the canonical form is that of the files as written (stand-off texts left out), not of the filled records
    if as_written is None:
        from .records import read_annotations

        as_written, _ = read_annotations(annotations_root, built.doc_id)
    return (canonical_problems(as_written, texts) + coverage_problems(ann, sentences, skipped) + number_value_problems(ann, sentences)
            + claim_problems(ann, sentences, paragraph_bead) + attribution_span_problems(ann) + claim_coverage_problems(ann, sentences, paragraph_kind)
            + outcome_problems(ann) + guideline_problems(Path(annotations_root) / "guidelines.md"))


# The fields that name one record of a file: two records with the same key contradict each
# other (two outcomes for one claim). Files whose key is checked elsewhere (entities, the
# lexicon, claims) are checked here only for a line given twice.
RECORD_KEYS = {
    "entity_mentions": ("sentence_id", "start", "end"),
    "numbers": ("sentence_id", "start", "end"),
    "cues": ("sentence_id", "start", "end"),
    "non_mentions": ("layer", "sentence_id", "start", "end"),
    "claim_free": ("sentence_id",),
    "translation_notes": ("id",),
    "outcomes": ("claim_id",),
}


def duplicate_problems(ann: Annotations) -> list[Problem]:
    """A record given twice, or two records for one key, in any file."""
    problems = []
    for name in Annotations.__dataclass_fields__:
        loaded: Loaded = getattr(ann, name)
        fields = RECORD_KEYS.get(name)
        first_record, first_key = {}, {}
        for number, record in loaded.records:
            if record in first_record:
                problems.append(Problem(loaded.path, number, None, f"duplicate record (the same as line {first_record[record]})"))
                continue
            first_record[record] = number
            if fields is None:
                continue
            key = tuple(getattr(record, f) for f in fields)
            if key in first_key:
                shown = ", ".join(f"{f}={getattr(record, f).value if hasattr(getattr(record, f), 'value') else getattr(record, f)!r}"
                                  for f in fields)
                problems.append(Problem(loaded.path, number, fields[0], f"contradicts line {first_key[key]}: two records for {shown}"))
            first_key.setdefault(key, number)
    return problems


def reason_and_date_problems(ann: Annotations) -> list[Problem]:
    """A rejection says why; an outcome's as_of is a real calendar date."""
    import datetime

    problems = [Problem(ann.non_mentions.path, number, "reason", "empty: say why the match is not a mention")
                for number, m in ann.non_mentions.records if not m.reason.strip()]
    for number, o in ann.outcomes.records:
        try:
            datetime.date.fromisoformat(o.as_of)
        except ValueError:
            problems.append(Problem(ann.outcomes.path, number, "as_of", f"{o.as_of!r} is not a calendar date (YYYY-MM-DD)"))
    return problems


def record_problems(ann: Annotations) -> list[Problem]:
    """Duplicates, contradictions, empty reasons and impossible dates in the gold files."""
    return duplicate_problems(ann) + reason_and_date_problems(ann)
