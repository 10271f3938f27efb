"""Agreement between the gold claim annotation of gpt4_article and a blind second pass.

A second annotator labelled 40 sentence beads drawn at random (annotations/gpt4_article/agreement/
how_sampled.md) from the guidelines alone, without the gold (pass2.jsonl). The gold as it stood
before anyone read that pass is frozen on the sample in pass1.json (`--freeze-pass1 COMMIT` wrote
it). This script writes benchmarks/results/agreement.{json,md} with two comparisons:

- before adjudication (pass 1 against pass 2): the agreement of two independent passes, the
  figure the card reports;
- after adjudication (today's gold against pass 2): what is left once the gold took what pass 2
  got right; each remaining difference is one the adjudication kept (adjudication.md).

Each comparison has span precision, recall and F1 per language and layer (entities, numbers, cues,
claims), exact and overlapping, from the toolkit's own scorer (`bicorpus.extraction.evaluate.score`,
the first pass as reference), plus exact claim F1 with edges forgiven; Cohen's kappa per claim
label (hedge level, claim type, polarity, author stance, innermost source) over claims matched one
to one by overlapping Chinese spans; and kappa of the decision "a sentence holds a claim".

The sample's texts are those of commit a2cafbe; English sentences revised since (issue 14 restored
dropped words) are reached by moving each offset through the stretches both versions share.

    python benchmarks/agreement.py
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bicorpus.extraction.baseline import PredictedSpan
from bicorpus.extraction.evaluate import GoldSpan, cohen_kappa, match, score
from bicorpus.schema import Layer

ROOT = Path(__file__).resolve().parents[1]
DOC = "gpt4_article"
AGREEMENT = ROOT / "annotations" / DOC / "agreement"
LOADER = ROOT / "loaders" / DOC / "data"
RESULTS = ROOT / "benchmarks" / "results"
SEED = 20261201  # the seed of how_sampled.md
CLAIM_LABELS = ("hedge", "claim_type", "polarity", "author_stance", "source")
LAYERS = {"entities": (Layer.ENTITY, "entity_type"), "numbers": (Layer.NUMBER, "unit"), "cues": (Layer.CUE, "cue_class")}
# Pass 2 showed that the guidelines did not say whether a claim span keeps the connective opening its
# sentence and the sentence's final punctuation (§2 now does); the edge-forgiving measure ignores both.
LINKING = ("而", "但", "然而", "所以", "于是乎", "不过", "And ", "But ", "However, ", "So ", "As a result, ")
EDGE = " ,.;:!?，。；：！？、"


@dataclass(frozen=True)
class ClaimSpan:
    """The Chinese side of a claim, in the shape `match` pairs, with the claim's labels."""
    sentence_id: str
    start: int
    end: int
    label: str
    labels: dict = field(hash=False)


@dataclass
class Pass:
    """One annotation pass over the sample, on the current sentence texts."""
    spans: list = field(default_factory=list)  # GoldSpan (a reference) or PredictedSpan; a claim's label is its type
    claims: list = field(default_factory=list)  # ClaimSpan per claim
    claim_sentences: set = field(default_factory=set)


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            sys.exit(f"{path}:{number}: not JSON ({error.msg})")
    return rows


def moved_offsets(old: str, new: str):
    """A function taking (start, end) on `old` to `new`, through the stretches both share."""
    blocks = [b for b in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks() if b.size]

    def move(start: int, end: int) -> tuple[int, int]:
        new_start = next((b.b + start - b.a for b in blocks if b.a <= start < b.a + b.size), None)
        new_end = next((b.b + end - b.a for b in blocks if b.a < end <= b.a + b.size), None)
        if new_start is None or new_end is None:
            raise ValueError(f"{old[start:end]!r} starts or ends in a revised stretch")
        return new_start, new_end
    return move


def locate(text: str, surface: str, occurrence: int = 1) -> tuple[int, int]:
    """The n-th occurrence of `surface` in `text`, as the second pass counts them."""
    at = -1
    for _ in range(occurrence):
        at = text.find(surface, at + 1)
        if at < 0:
            raise ValueError(f"{surface!r} (occurrence {occurrence}) is not in the sentence")
    return at, at + len(surface)


class Mover:
    """Offsets on a pass's own sentence texts, moved onto the current texts."""

    def __init__(self, texts: dict[str, str], current: dict[str, str]):
        self.texts = texts
        self.movers = {sid: moved_offsets(text, current[sid]) for sid, text in texts.items() if text != current[sid]}

    def __call__(self, sid: str, start: int, end: int) -> tuple[int, int]:
        return self.movers[sid](start, end) if sid in self.movers else (start, end)

    def find(self, sid: str, surface: str, occurrence: int = 1) -> tuple[int, int]:
        return self(sid, *locate(self.texts[sid], surface, occurrence))


def _add_claim(run: Pass, span, sides: dict, claim_type: str, labels: dict) -> None:
    for sid, start, end in sides.values():
        run.spans.append(span(sid, Layer.CLAIM, start, end, claim_type))
        run.claim_sentences.add(sid)
    run.claims.append(ClaimSpan(*sides["zh"], claim_type, labels))


def second_pass(path: Path, sample: list[dict], current: dict[str, str]) -> Pass:
    """Pass 2: spans written as surfaces (n-th match with `occurrence`) on the texts of sample.jsonl."""
    move = Mover({s["sentence_id"]: s["text"] for bead in sample for side in ("zh", "en") for s in bead[side]}, current)
    run = Pass()
    for number, bead in enumerate(read_jsonl(path), 1):
        try:
            for name, (layer, label) in LAYERS.items():
                for m in bead[name]:
                    start, end = move.find(m["sentence_id"], m["text"], m.get("occurrence", 1))
                    run.spans.append(PredictedSpan(m["sentence_id"], layer, start, end, current[m["sentence_id"]][start:end],
                                                   m[label], value=m.get("value"), low=m.get("low"), high=m.get("high")))
            for c in bead["claims"]:
                sides = {side: (c[f"{side}_sentence_id"], *move.find(c[f"{side}_sentence_id"], c[f"{side}_span"],
                                                                      c.get(f"{side}_occurrence", 1)))
                         for side in ("zh", "en")}
                _add_claim(run, lambda sid, layer, start, end, label: PredictedSpan(sid, layer, start, end, current[sid][start:end], label),
                           sides, c["claim_type"], {name: c[name] for name in CLAIM_LABELS} | {"id": None})
        except (KeyError, ValueError) as error:
            sys.exit(f"{path}:{number}: {error}")
    return run


def offset_pass(rows: dict, current: dict[str, str]) -> Pass:
    """A pass written with sentence-relative offsets (the gold, today's or frozen): a reference."""
    move = Mover(rows["sentences"], current)
    run = Pass()
    for m in rows["spans"]:
        start, end = move(m["sentence_id"], m["sentence_start"], m["sentence_end"])
        run.spans.append(GoldSpan(m["sentence_id"], Layer(m["layer"]), start, end, m["label"], m["entity_id"], m["value"], m["low"], m["high"]))
    for c in rows["claims"]:
        sides = {side: (c[f"{side}_sentence_id"], *move(c[f"{side}_sentence_id"], c[f"{side}_start"], c[f"{side}_end"]))
                 for side in ("zh", "en")}
        _add_claim(run, GoldSpan, sides, c["claim_type"], {name: c[name] for name in CLAIM_LABELS} | {"id": c["id"]})
    return run


def gold_rows(read, sentence_ids: set[str]) -> dict:
    """The sample's part of a loader (read(file name) -> rows): texts, non-claim spans, claims."""
    sentences = read("sentences.jsonl")
    starts = {s["id"]: s["start"] for s in sentences}
    claims = [{"id": c["id"], "claim_type": c["claim_type"], **{name: c[name] for name in CLAIM_LABELS}}
              | {f"{side}_sentence_id": c[f"{side}_sentence_id"] for side in ("zh", "en")}
              | {f"{side}_{key}": c[f"{side}_{key}"] - starts[c[f"{side}_sentence_id"]] for side in ("zh", "en") for key in ("start", "end")}
              for c in read("claims.jsonl") if c["zh_sentence_id"] in sentence_ids]
    spans = [{k: m[k] for k in ("sentence_id", "layer", "label", "sentence_start", "sentence_end", "entity_id", "value", "low", "high")}
             for m in read("mentions.jsonl") if m["sentence_id"] in sentence_ids and m["layer"] != Layer.CLAIM.value]
    return {"sentences": {s["id"]: s["text"] for s in sentences if s["id"] in sentence_ids}, "spans": spans, "claims": claims}


def trimmed(span, text: str) -> tuple[str, int, int]:
    """The span without linking connectives and punctuation at its edges."""
    start, end = span.start, span.end
    while True:
        before = start
        start += next((len(w) for w in LINKING if text.startswith(w, start)), 0)
        while start < end and text[start] in EDGE:
            start += 1
        if start == before:
            break
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return span.sentence_id, start, end


def edge_forgiving_f1(reference: list, other: list, texts: dict[str, str]) -> dict:
    """Exact claim-span F1 once linking connectives and edge punctuation are cut from both sides."""
    g = Counter(trimmed(x, texts[x.sentence_id]) for x in reference if x.layer is Layer.CLAIM)
    p = Counter(trimmed(x, texts[x.sentence_id]) for x in other if x.layer is Layer.CLAIM)
    tp = sum((g & p).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp}


def claim_agreement(reference: Pass, other: Pass) -> dict:
    pairs = match(reference.claims, other.claims, overlap=True)
    out = {"reference_claims": len(reference.claims), "other_claims": len(other.claims), "matched": len(pairs), "labels": {}}
    for name in CLAIM_LABELS:
        values = [(g.labels[name], p.labels[name]) for g, p in pairs]
        out["labels"][name] = {"kappa": cohen_kappa(values), "agreement": round(sum(a == b for a, b in values) / len(values), 4),
                               "n": len(values)}
    out["disagreements"] = [{"claim_id": g.labels["id"]} | {name: [g.labels[name], p.labels[name]] for name in CLAIM_LABELS
                                                            if g.labels[name] != p.labels[name]}
                            for g, p in pairs if any(g.labels[n] != p.labels[n] for n in CLAIM_LABELS)]
    paired = [c for pair in pairs for c in pair]
    out["unmatched"] = sorted(f"{which}: {c.sentence_id}[{c.start}:{c.end}]" for which, run in (("reference", reference), ("other", other))
                              for c in run.claims if not any(c is d for d in paired))
    return out


def sentence_agreement(sentence_ids: list[str], reference: Pass, other: Pass) -> dict:
    pairs = [(sid in reference.claim_sentences, sid in other.claim_sentences) for sid in sentence_ids]
    return {"kappa": cohen_kappa(pairs), "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4), "n": len(pairs),
            "differ": sorted(sid for sid, (a, b) in zip(sentence_ids, pairs) if a != b)}


def compare(reference: Pass, other: Pass, by_language: dict[str, list[str]], current: dict[str, str]) -> dict:
    spans = score(reference.spans, other.spans, by_language)
    for lang, layers in spans.items():
        for entry in layers.values():
            entry.pop("by_label", None)
            entry.pop("hedge", None)  # the baseline's per-sentence hedge; claim labels are compared in `claims`
        ids = set(by_language[lang])
        layers["claim"]["exact_edges_forgiven"] = edge_forgiving_f1([g for g in reference.spans if g.sentence_id in ids],
                                                                    [p for p in other.spans if p.sentence_id in ids], current)
    return {"claims": claim_agreement(reference, other),
            "claim_sentences": sentence_agreement(by_language["zh"] + by_language["en"], reference, other), "spans": spans}


def sample_sentences(sample: list[dict]) -> dict[str, list[str]]:
    return {lang: [s["sentence_id"] for b in sample for s in b[lang]] for lang in ("zh", "en")}


def compute() -> dict:
    sample = read_jsonl(AGREEMENT / "sample.jsonl")
    second_path = AGREEMENT / "pass2.jsonl"
    if sorted(b["bead_id"] for b in read_jsonl(second_path)) != sorted(b["bead_id"] for b in sample):
        sys.exit(f"{second_path}: its beads are not those of sample.jsonl")
    by_language = sample_sentences(sample)
    now = gold_rows(lambda name: read_jsonl(LOADER / name), set(by_language["zh"]) | set(by_language["en"]))
    current = now["sentences"]
    frozen = json.loads((AGREEMENT / "pass1.json").read_text(encoding="utf-8"))
    second = second_pass(second_path, sample, current)
    return {
        "doc_id": DOC,
        "sample": {"beads": [b["bead_id"] for b in sample], "seed": SEED, "described_in": str((AGREEMENT / "how_sampled.md").relative_to(ROOT)),
                   "sentences": {lang: len(v) for lang, v in by_language.items()}},
        "pass1_commit": frozen["commit"],
        "adjudication": str((AGREEMENT / "adjudication.md").relative_to(ROOT)),
        "before_adjudication": compare(offset_pass(frozen, current), second, by_language, current),
        "after_adjudication": compare(offset_pass(now, current), second, by_language, current),
    }


def freeze_pass1(commit: str) -> None:
    """Write pass1.json: the gold of `commit` (its committed loader) on the sample."""
    def read(name: str) -> list[dict]:
        shown = subprocess.run(["git", "show", f"{commit}:loaders/{DOC}/data/{name}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode:
            sys.exit(f"git show {commit}:loaders/{DOC}/data/{name}: {shown.stderr.strip()}")
        return [json.loads(line) for line in shown.stdout.splitlines()]
    by_language = sample_sentences(read_jsonl(AGREEMENT / "sample.jsonl"))
    frozen = {"commit": commit} | gold_rows(read, set(by_language["zh"]) | set(by_language["en"]))
    (AGREEMENT / "pass1.json").write_text(json.dumps(frozen, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _table(comparison: dict) -> list[str]:
    claims, sentences = comparison["claims"], comparison["claim_sentences"]
    lines = [f"Claims: {claims['reference_claims']} in the reference, {claims['other_claims']} in pass 2, {claims['matched']} matched "
             "one to one by overlapping Chinese spans.", "",
             "| claim label | Cohen's kappa | agreement | n |", "|---|---|---|---|"]
    lines += [f"| {name} | {v['kappa']:.3f} | {v['agreement']:.3f} | {v['n']} |" for name, v in claims["labels"].items()]
    lines += [f"| sentence holds a claim | {sentences['kappa']:.3f} | {sentences['agreement']:.3f} | {sentences['n']} |", "",
              "| language | layer | exact P | exact R | exact F1 | overlap F1 |", "|---|---|---|---|---|---|"]
    for lang, layers in comparison["spans"].items():
        for layer, entry in layers.items():
            e = entry["exact"]
            lines.append(f"| {lang} | {layer} | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {entry['overlap']['f1']:.3f} |")
        b = layers["claim"]["exact_edges_forgiven"]
        lines.append(f"| {lang} | claim, edges forgiven | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | |")
    return lines


def markdown(result: dict) -> str:
    sample = result["sample"]
    lines = ["# Agreement: the gold against a blind second pass (gpt4_article)", "",
             f"Written by `python benchmarks/agreement.py`. Sample: {len(sample['beads'])} sentence beads "
             f"({sample['sentences']['zh']} Chinese and {sample['sentences']['en']} English sentences) drawn with seed {sample['seed']} "
             f"({sample['described_in']}). The first pass is the reference of precision and recall.", "",
             f"## Before adjudication: the gold of commit {result['pass1_commit'][:7]} (pass 1) against pass 2", ""]
    lines += _table(result["before_adjudication"])
    lines += ["", "## After adjudication: today's gold against pass 2 (what the adjudication kept)", ""]
    lines += _table(result["after_adjudication"])
    lines += ["", "Sample beads: " + ", ".join(f"`{b.split('/')[-1]}`" for b in sample["beads"]) + "."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--freeze-pass1", metavar="COMMIT", help="write pass1.json from the loader of COMMIT, then stop")
    args = parser.parse_args(argv)
    if args.freeze_pass1:
        freeze_pass1(args.freeze_pass1)
        return
    result = compute()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "agreement.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (RESULTS / "agreement.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result), end="")


if __name__ == "__main__":
    main()
