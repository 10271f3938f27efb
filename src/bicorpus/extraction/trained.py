"""A trained extractor: spaCy pipelines (blank zh with jieba, blank en), trained on CPU from the
train documents' gold.

Per language, two small pipelines:
- spans: tok2vec + a span categorizer (n-gram suggester of 1-6 tokens) whose labels are the
  layer and class of a gold span (`entity:software`, `number`, `cue:epistemic`);
- hedge: a text categorizer over claim texts, one class per hedge level.

Claims are the rule clauses of `open_rules`; their hedge level comes from the text categorizer;
number values from the normalizer run on the predicted span. The documents a model was trained
on go into its system card, so `bicorpus evaluate` reports them as in-sample.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..annotation.numbers import find_numbers
from ..schema import HedgeLevel, Language, Layer
from .baseline import InputSentence, PredictedSpan, _unit, is_claim_bearing
from .open_rules import clauses

MODEL = "spacy_spancat_textcat_v1"
SPANS_KEY = "sc"
HEDGES = [level.value for level in HedgeLevel]


def _blank(language: Language):
    import spacy

    if language is Language.ZH:
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return spacy.blank("en")


def _doc(vocab, words: Sequence[str], starts: Sequence[int], ends: Sequence[int], text: str):
    from spacy.tokens import Doc

    spaces = [ends[i] < (starts[i + 1] if i + 1 < len(starts) else len(text)) for i in range(len(words))]
    return Doc(vocab, words=list(words), spaces=spaces)


def _label(m) -> str:
    return "number" if m.layer is Layer.NUMBER else f"{m.layer.value}:{m.label}"


def span_examples(nlp, documents, language: Language) -> list:
    """One spaCy Example per scored sentence: gold entity, number and cue spans."""
    from spacy.training import Example

    from .protocol import scored_sentence_ids

    out = []
    for built in documents:
        keep = scored_sentence_ids(built)
        gold: dict[str, list] = {}
        for m in built.rows["mentions"]:
            if m.layer is not Layer.CLAIM:
                gold.setdefault(m.sentence_id, []).append(m)
        for s in built.rows["sentences"]:
            if s.language is not language or s.id not in keep:
                continue
            predicted = _doc(nlp.vocab, s.tokens, s.token_starts, s.token_ends, s.text)
            reference = predicted.copy()
            spans = [reference.char_span(m.sentence_start, m.sentence_end, label=_label(m), alignment_mode="expand")
                     for m in gold.get(s.id, [])]
            reference.spans[SPANS_KEY] = [span for span in spans if span is not None]
            out.append(Example(predicted, reference))
    return out


def hedge_text(text: str, language: Language) -> str:
    """The claim's text followed by one marker word per class of the general lexicon's cues in it
    (`HEDGE_possible`): with a few hundred claims, the categorizer learns how much each class
    weighs rather than every cue word anew."""
    from ..pipeline.segment import pipeline
    from .open_rules import Extras, cues_of

    sentence = InputSentence("claim", language, text)
    tokens = [(t.idx, t.idx + len(t.text)) for t in pipeline(language, ()).make_doc(text)]
    classes = sorted({cls.value for _, cls in cues_of(sentence, (), Extras(), tokens)})
    return " ".join([text] + [f"HEDGE_{c}" for c in classes])


def hedge_examples(nlp, documents, language: Language) -> list:
    """One Example per gold claim span, its hedge level as the category."""
    from spacy.training import Example

    out = []
    for built in documents:
        texts = {s.id: s.text for s in built.rows["sentences"]}
        hedges = {c.id: c.hedge.value for c in built.rows["claims"]}
        for m in built.rows["mentions"]:
            if m.layer is not Layer.CLAIM or m.language is not language:
                continue
            hedge = hedges[m.claim_ids[0]]
            doc = nlp.make_doc(hedge_text(texts[m.sentence_id][m.sentence_start:m.sentence_end], language))
            out.append(Example.from_dict(doc, {"cats": {h: float(h == hedge) for h in HEDGES}}))
    return out


def _train(nlp, examples: list, epochs: int, seed: int, name: str, balance: bool = False) -> None:
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    if balance:  # hedged claims are few: repeat them so the categorizer sees every level often
        level = {id(e): max(e.reference.cats, key=e.reference.cats.get) for e in examples}
        counts = Counter(level.values())
        top = max(counts.values())
        examples = [e for e in examples for _ in range(max(1, top // counts[level[id(e)]]))]
    optimizer = nlp.initialize(lambda: examples)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.1)
        print(f"  {name}: epoch {epoch + 1}/{epochs}, loss {sum(losses.values()):.2f}", file=sys.stderr, flush=True)


def train(documents, out: Path, epochs: int = 12, seed: int = 0) -> dict[str, Path]:
    """Train both pipelines of each language on `documents`; save them under out/<lang>/."""
    paths = {}
    for language in Language:
        spans = _blank(language)
        spancat = spans.add_pipe("spancat", config={"spans_key": SPANS_KEY, "threshold": 0.35, "suggester": {"@misc": "spacy.ngram_suggester.v1", "sizes": [1, 2, 3, 4, 5, 6]}})
        examples = span_examples(spans, documents, language)
        for label in sorted({span.label_ for e in examples for span in e.reference.spans[SPANS_KEY]}):
            spancat.add_label(label)
        _train(spans, examples, epochs, seed, f"{language.value} spans")
        hedge = _blank(language)
        # a bag of words: with a few hundred claims, cue words are what a hedge level can be learned from
        textcat = hedge.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                                                               "ngram_size": 2, "no_output_layer": False, "length": 262144}})
        for h in HEDGES:
            textcat.add_label(h)
        _train(hedge, hedge_examples(hedge, documents, language), epochs, seed, f"{language.value} hedge", balance=True)
        folder = Path(out) / language.value
        folder.mkdir(parents=True, exist_ok=True)
        spans.to_disk(folder / "spans")
        hedge.to_disk(folder / "hedge")
        paths[language.value] = folder
    return paths


class TrainedExtractor:
    """The saved pipelines of `train`, applied to sentences."""

    def __init__(self, folder: Path):
        import spacy

        self.models = {}
        for language in Language:
            base = Path(folder) / language.value
            if (base / "spans").is_dir():
                self.models[language] = (spacy.load(base / "spans"), spacy.load(base / "hedge"))

    def extract(self, sentences: Sequence[InputSentence], terms: Sequence[str] = ()) -> list[PredictedSpan]:
        from ..pipeline.segment import pipeline

        out = []
        for s in sentences:
            if s.heading or s.language not in self.models:
                continue
            spans_nlp, hedge_nlp = self.models[s.language]
            made = pipeline(s.language, tuple(terms)).make_doc(s.text)
            doc = spans_nlp(_doc(spans_nlp.vocab, [t.text for t in made], [t.idx for t in made],
                                 [t.idx + len(t.text) for t in made], s.text))
            kept = sorted(((span.start_char, span.end_char, span.label_) for span in doc.spans[SPANS_KEY]),
                          key=lambda x: (x[0], -x[1]))
            taken_until = {}
            for start, end, label in kept:
                layer = label.split(":")[0]
                if taken_until.get(layer, -1) > start:
                    continue
                taken_until[layer] = end
                out.append(self._span(s, start, end, label))
            if is_claim_bearing(s):
                for start, end in clauses(s.text, s.language):
                    cats = hedge_nlp(hedge_text(s.text[start:end], s.language)).cats
                    out.append(PredictedSpan(s.id, Layer.CLAIM, start, end, s.text[start:end], max(cats, key=cats.get)))
        return sorted(out, key=lambda p: (p.sentence_id, p.start, p.layer.value, p.end))

    @staticmethod
    def _span(s: InputSentence, start: int, end: int, label: str) -> PredictedSpan:
        text = s.text[start:end]
        if label == "number":
            found = find_numbers(text, s.language.value)
            n = found[0] if found else None
            unit = _unit(s.text, start + n.end, n.unit_hint).value if n else "count"
            return PredictedSpan(s.id, Layer.NUMBER, start, end, text, unit, value=n.value if n else None,
                                 low=n.low if n else None, high=n.high if n else None)
        layer, _, cls = label.partition(":")
        return PredictedSpan(s.id, Layer(layer), start, end, text, cls)


def extract_document(built, model: TrainedExtractor) -> list[PredictedSpan]:
    from .baseline import document_inputs
    from .protocol import scored_sentence_ids

    keep = scored_sentence_ids(built)
    return model.extract([s for s in document_inputs(built) if s.id in keep], built.sources.terms.lines())
