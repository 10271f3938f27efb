"""A rule-based baseline claim extractor for Chinese and English, on spaCy.

From any text it predicts claim-bearing sentences with a hedge level, entity mentions
linked to the inventory, number mentions with values and units, and hedge cues. Entities
and cues come from a spaCy SpanRuler built from the inventory aliases and the cue lexicon;
numbers from the normalizer; hedge levels from the cues found in each sentence. The rules
are versioned by name (`RULES`): a changed rule set gets a new name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from ..annotation.numbers import find_numbers
from ..pipeline.segment import pipeline, segment
from ..schema import (CueClass, CueEffect, CueLexiconEntry, EntityRecord, HedgeLevel, Language, Layer, NumberUnit,
                      ParagraphKind, UnitHint)
from ..spans import keep_longest

RULES = "baseline_rules_v1"

# Sentences that only move the text on or talk about the text itself, by generic discourse
# markers at their start. Written without looking at any gold claim-free sentence: rules
# fitted to the evaluation data would make the scores meaningless.
NON_CLAIM_OPENINGS = {
    Language.ZH: ("下面来看", "下面我们", "接下来", "我们来看", "让我们", "这就带来了", "本文", "综上所述"),
    Language.EN: ("Let us", "Let's", "This brings us", "Next, let", "In this article", "Here is", "Here are", "To sum up"),
}
POSSIBLE_CUES = {"可能", "也许", "我猜", "may", "possibly", "perhaps", "My guess is", "I guess"}
UNIT_HINTS = {UnitHint.MULTIPLIER: NumberUnit.MULTIPLIER, UnitHint.FRACTION: NumberUnit.FRACTION,
              UnitHint.PERCENT: NumberUnit.PERCENT, UnitHint.YEAR: NumberUnit.YEAR, UnitHint.MONTH: NumberUnit.MONTH,
              UnitHint.YEARS: NumberUnit.YEARS, UnitHint.MONTHS: NumberUnit.MONTHS, UnitHint.WEEKS: NumberUnit.WEEKS,
              UnitHint.ORDERS_OF_MAGNITUDE: NumberUnit.ORDERS_OF_MAGNITUDE}
UNIT_WORDS = ((re.compile(r"^\s*(个)?参数|^[\s-]*parameter"), NumberUnit.PARAMETERS),
              (re.compile(r"^\s*(个)?token|^\s*tokens?\b", re.I), NumberUnit.TOKENS),
              (re.compile(r"^\s*美元|^\s*(of\s+)?dollars"), NumberUnit.USD))


@dataclass(frozen=True)
class PredictedSpan:
    sentence_id: str
    layer: Layer
    start: int  # in the sentence text
    end: int
    text: str
    label: str  # entity type, number unit, cue class, or the claim's hedge level
    entity_id: Optional[str] = None
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None


@dataclass(frozen=True)
class InputSentence:
    id: str
    language: Language
    text: str
    heading: bool = False


def _ruler(language: Language, terms: tuple[str, ...], entities: Sequence[EntityRecord], lexicon: Sequence[CueLexiconEntry]):
    nlp = pipeline(language, terms)
    patterns = []
    for entity in entities:
        for alias in (entity.aliases_zh if language is Language.ZH else entity.aliases_en):
            patterns.append({"label": f"entity:{entity.id}", "pattern": alias})
    for entry in lexicon:
        if entry.language is language:
            patterns.append({"label": f"cue:{entry.cue_class.value}:{entry.cue}", "pattern": entry.cue})
    from spacy.pipeline import SpanRuler

    # A standalone ruler, run on tokenizer output: patterns are tokenized the same way, and the
    # cached segmentation pipeline stays untouched.
    ruler = SpanRuler(nlp, name="baseline_ruler", spans_key="baseline", overwrite=True)
    ruler.add_patterns(patterns)
    return nlp, ruler


def _unit(sentence: str, end: int, hint: UnitHint) -> NumberUnit:
    if hint in UNIT_HINTS:
        return UNIT_HINTS[hint]
    after = sentence[end:end + 12]
    return next((unit for pattern, unit in UNIT_WORDS if pattern.search(after)), NumberUnit.COUNT)


def hedge_of(cues: Iterable[str], lexicon: dict[str, CueLexiconEntry]) -> HedgeLevel:
    lowering = [c for c in cues if c in lexicon and lexicon[c].cue_class is CueClass.EPISTEMIC and lexicon[c].effect is CueEffect.LOWERS]
    if any(c in POSSIBLE_CUES for c in lowering):
        return HedgeLevel.POSSIBLE
    return HedgeLevel.PROBABLE if lowering else HedgeLevel.CERTAIN


def extract(sentences: Sequence[InputSentence], entities: Sequence[EntityRecord], lexicon: Sequence[CueLexiconEntry],
            terms: Sequence[str] = ()) -> list[PredictedSpan]:
    """Predicted spans for every sentence (sentence-relative offsets)."""
    entity_type = {e.id: e.type for e in entities}
    out: list[PredictedSpan] = []
    for language in Language:
        group = [s for s in sentences if s.language is language]
        if not group:
            continue
        names = tuple(sorted({a for e in entities for a in (e.aliases_zh if language is Language.ZH else e.aliases_en)} | set(terms)))
        nlp, ruler = _ruler(language, names, entities, lexicon)
        cue_entries = {e.cue: e for e in lexicon if e.language is language}
        for sentence in group:
            doc = ruler(nlp.make_doc(sentence.text))
            numbers = find_numbers(sentence.text, language.value)
            for n in numbers:
                out.append(PredictedSpan(sentence.id, Layer.NUMBER, n.start, n.end, n.text,
                                         _unit(sentence.text, n.end, n.unit_hint).value, value=n.value, low=n.low, high=n.high))
            cues_here = []
            for _, _, span in keep_longest((s.start_char, s.end_char, s) for s in doc.spans["baseline"]):
                kind, _, rest = span.label_.partition(":")
                if kind == "entity":
                    out.append(PredictedSpan(sentence.id, Layer.ENTITY, span.start_char, span.end_char, span.text,
                                             entity_type[rest].value, entity_id=rest))
                    continue
                cue_class, _, cue = rest.partition(":")
                near_number = any(n.start <= span.start_char < n.end or (n.start >= span.end_char and not sentence.text[span.end_char:n.start].strip())
                                  for n in numbers)
                if cue_class == CueClass.APPROXIMATOR.value and not near_number:
                    continue
                cues_here.append(cue)
                out.append(PredictedSpan(sentence.id, Layer.CUE, span.start_char, span.end_char, span.text, cue_class))
            if not sentence.heading and is_claim_bearing(sentence):
                out.append(PredictedSpan(sentence.id, Layer.CLAIM, 0, len(sentence.text), sentence.text,
                                         hedge_of(cues_here, cue_entries).value))
    return sorted(out, key=lambda p: (p.sentence_id, p.start, p.layer.value, p.end))


def is_claim_bearing(sentence: InputSentence) -> bool:
    text = sentence.text.strip()
    if text.endswith(("?", "？")):
        return False
    return not text.startswith(NON_CLAIM_OPENINGS[sentence.language])


def sentences_of_text(text: str, language: Language, doc_id: str = "input", terms: Sequence[str] = ()) -> list[InputSentence]:
    """Split raw text (one paragraph per non-empty line) into sentences with ids."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    side = segment(language, paragraphs, [ParagraphKind.PARAGRAPH] * len(paragraphs), list(terms))
    return [InputSentence(f"{doc_id}/{language.value}-p{s.paragraph_index:03d}-s{s.index_in_paragraph:02d}", language, s.text)
            for s in side.sentences]


def document_inputs(built) -> list[InputSentence]:
    """The sentences of a built document as extractor input; titles and headings are marked."""
    heading = {p.id for p in built.rows["paragraphs"] if p.kind in (ParagraphKind.TITLE, ParagraphKind.HEADING)}
    return [InputSentence(s.id, s.language, s.text, s.paragraph_id in heading) for s in built.rows["sentences"]]
