"""Score predicted spans against the gold annotation, per language and per label.

For each layer (entity, number, cue, claim): span precision, recall and F1 with exact
offsets and with overlap (one-to-one, greedy in text order), and exact F1 per label. On
top: number value accuracy (exactly matched numbers with equal value, low and high),
entity linking accuracy (exactly matched entities with the same inventory id), claim-bearing
sentence detection, and hedge-level accuracy and Cohen's kappa over gold claims that a
predicted claim overlaps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

from ..annotation.numbers import same_value
from ..schema import Language, Layer
from .baseline import PredictedSpan


@dataclass(frozen=True)
class GoldSpan:
    sentence_id: str
    layer: Layer
    start: int
    end: int
    label: str
    entity_id: Optional[str] = None
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    hedge: Optional[str] = None


def gold_spans(built) -> list[GoldSpan]:
    hedge = {c.id: c.hedge.value for c in built.rows["claims"]}
    out = []
    for m in built.rows["mentions"]:
        out.append(GoldSpan(m.sentence_id, m.layer, m.sentence_start, m.sentence_end, m.label, m.entity_id, m.value, m.low,
                            m.high, hedge[m.claim_ids[0]] if m.layer is Layer.CLAIM else None))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def match(gold: Sequence, pred: Sequence, overlap: bool, labelled: bool = False) -> list[tuple]:
    """One-to-one (gold, pred) pairs, greedy in text order."""
    free = sorted(gold, key=lambda g: (g.sentence_id, g.start, g.end))
    pairs = []
    for p in sorted(pred, key=lambda p: (p.sentence_id, p.start, p.end)):
        for g in free:
            same = g.sentence_id == p.sentence_id and (not labelled or g.label == p.label)
            hit = (g.start < p.end and p.start < g.end) if overlap else (g.start == p.start and g.end == p.end)
            if same and hit:
                pairs.append((g, p))
                free.remove(g)
                break
    return pairs


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return 1.0 if expected == 1 else round((observed - expected) / (1 - expected), 4)


def hedge_pairs_of(gold: Sequence[GoldSpan], pred: Sequence[PredictedSpan]) -> list[tuple[str, str]]:
    """(gold hedge, predicted hedge) for every gold claim that a predicted claim of its sentence
    overlaps, against the one that overlaps it most (many gold claims may share one)."""
    by_sentence: dict[str, list[PredictedSpan]] = {}
    for x in pred:
        by_sentence.setdefault(x.sentence_id, []).append(x)
    pairs = []
    for a in gold:
        overlap = lambda x: min(a.end, x.end) - max(a.start, x.start)
        best = max(by_sentence.get(a.sentence_id, []), key=lambda x: (overlap(x), -x.start), default=None)
        if best is not None and overlap(best) > 0:
            pairs.append((a.hedge, best.label))
    return pairs


def score(gold: Sequence[GoldSpan], pred: Sequence[PredictedSpan], sentences_by_language: dict[str, list[str]]) -> dict:
    result = {}
    for lang in Language:
        ids = set(sentences_by_language[lang.value])
        g_lang = [g for g in gold if g.sentence_id in ids]
        p_lang = [p for p in pred if p.sentence_id in ids]
        per_layer = {}
        for layer in Layer:
            g = [x for x in g_lang if x.layer is layer]
            p = [x for x in p_lang if x.layer is layer]
            exact, loose = match(g, p, overlap=False), match(g, p, overlap=True)
            by_label = {}
            for label in sorted({x.label for x in g} | {x.label for x in p}):
                gl, pl = [x for x in g if x.label == label], [x for x in p if x.label == label]
                tp = len(match(gl, pl, overlap=False))
                by_label[label] = _prf(tp, len(pl) - tp, len(gl) - tp)
            entry = {"exact": _prf(len(exact), len(p) - len(exact), len(g) - len(exact)),
                     "overlap": _prf(len(loose), len(p) - len(loose), len(g) - len(loose)),
                     "by_label": by_label}
            if layer is Layer.NUMBER:
                right = sum(same_value(a.value, b.value) and same_value(a.low, b.low) and same_value(a.high, b.high) for a, b in exact)
                entry["value_accuracy"] = {"accuracy": round(right / len(exact), 4) if exact else 0.0, "n": len(exact)}
            if layer is Layer.ENTITY:
                right = sum(a.entity_id == b.entity_id for a, b in exact)
                entry["linking_accuracy"] = {"accuracy": round(right / len(exact), 4) if exact else 0.0, "n": len(exact)}
            if layer is Layer.CLAIM:
                hedge_pairs = hedge_pairs_of(g, p)
                entry["hedge"] = {"accuracy": round(sum(a == b for a, b in hedge_pairs) / len(hedge_pairs), 4) if hedge_pairs else 0.0,
                                  "kappa": cohen_kappa(hedge_pairs), "n": len(hedge_pairs), "gold_claims": len(g)}
                gold_sentences = {x.sentence_id for x in g}
                pred_sentences = {x.sentence_id for x in p}
                tp = len(gold_sentences & pred_sentences)
                entry["claim_sentences"] = _prf(tp, len(pred_sentences - gold_sentences), len(gold_sentences - pred_sentences))
            per_layer[layer.value] = entry
        result[lang.value] = per_layer
    return result


def summary_rows(result: dict) -> list[list]:
    """One row per language and layer: exact F1, overlap F1 and the layer's extra measure."""
    rows = []
    for lang, layers in result.items():
        for layer, entry in layers.items():
            extra = ""
            if "value_accuracy" in entry:
                extra = f"value accuracy {entry['value_accuracy']['accuracy']:.3f} (n={entry['value_accuracy']['n']})"
            if "linking_accuracy" in entry:
                extra = f"linking accuracy {entry['linking_accuracy']['accuracy']:.3f} (n={entry['linking_accuracy']['n']})"
            if "hedge" in entry:
                extra = (f"sentence F1 {entry['claim_sentences']['f1']:.3f}; hedge accuracy {entry['hedge']['accuracy']:.3f}, "
                         f"kappa {entry['hedge']['kappa']:.3f} (n={entry['hedge']['n']})")
            rows.append([lang, layer, f"{entry['exact']['precision']:.3f}", f"{entry['exact']['recall']:.3f}",
                         f"{entry['exact']['f1']:.3f}", f"{entry['overlap']['f1']:.3f}", extra])
    return rows


SUMMARY_HEADER = ["language", "layer", "exact P", "exact R", "exact F1", "overlap F1", "more"]


def baseline_result(built) -> dict:
    """The baseline extractor's scores on a built, annotated document."""
    from .baseline import document_inputs, extract

    ann = built.annotations
    preds = extract(document_inputs(built), list(ann.entities), list(ann.cue_lexicon), built.sources.terms.lines())
    by_language = {lang.value: [s.id for s in built.rows["sentences"] if s.language is lang] for lang in Language}
    return score(gold_spans(built), preds, by_language)
