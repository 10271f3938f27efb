"""Extraction benchmark: open-vocabulary rules against the trained spaCy model, in one run.

    python benchmarks/extract_benchmark.py [--epochs 12]

Builds every annotated document (the Debian chapters from the package cache of `bicorpus
fetch debian_handbook`; without it only gpt4_article is scored, and the results say so), runs
`open_rules_v2` with the names and cues of the train documents, trains
`spacy_spancat_textcat_v1` on the train documents, and scores both with the document-level
protocol of `bicorpus evaluate`: per document, per split, in-sample and out-of-sample. Writes
benchmarks/results/extract.{json,md}; the targets of issue 11 are checked on the out-of-sample
pool, each with its margin.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bicorpus.extraction.open_rules import RULES, extract_document, extras_from  # noqa: E402
from bicorpus.extraction.protocol import SCORE_HEADER, SystemCard, report, results_inputs_sha256  # noqa: E402
from bicorpus.extraction.trained import MODEL, TrainedExtractor, train  # noqa: E402
from bicorpus.extraction.trained import extract_document as trained_extract  # noqa: E402
from bicorpus.pipeline.annotated import annotated_documents  # noqa: E402
from bicorpus.publishing.markdown import table  # noqa: E402

# (layer, measure, minimum): issue 11's targets, on documents the system was not built from
TARGETS = [("number", "exact F1", 0.95), ("number", "value accuracy", 0.98), ("entity", "exact F1", 0.85),
           ("claim", "hedge kappa", 0.65)]


def measure(scores: dict, layer: str, name: str) -> tuple[float, int]:
    entry = scores[layer]
    if name == "exact F1":
        return entry["exact"]["f1"], entry["exact"]["tp"] + entry["exact"]["fn"]
    if name == "value accuracy":  # n: the exactly matched numbers whose values are compared
        return entry["value_accuracy"]["accuracy"], entry["value_accuracy"]["n"]
    return entry["hedge"]["kappa"], entry["hedge"]["n"]


def target_values(result: dict) -> list[tuple]:
    """(language, layer, measure, minimum, value, n) of each target on the out-of-sample pool;
    value and n are None without an out-of-sample document."""
    pool = result["groups"].get("out-of-sample")
    return [(lang, layer, name, minimum, *((None, None) if pool is None else measure(pool["scores"][lang], layer, name)))
            for lang in ("zh", "en") for layer, name, minimum in TARGETS]


def target_rows(system: str, result: dict) -> list[list]:
    rows = []
    for lang, layer, name, minimum, value, n in target_values(result):
        if n is None:
            rows.append([system, lang, f"{layer} {name}", f"≥ {minimum}", "—", "—", "no out-of-sample document"])
            continue
        if n == 0:
            rows.append([system, lang, f"{layer} {name}", f"≥ {minimum}", "—", "0",
                         "not measured: no gold span" if name != "value accuracy" else "not measured: no number matched exactly"])
            continue
        verdict = "met" if value >= minimum else f"missed by {minimum - value:.3f}"
        rows.append([system, lang, f"{layer} {name}", f"≥ {minimum}", f"{value:.3f}", str(n), verdict])
    return rows


def trained_report(documents: list, seen: list, seen_ids: tuple, epochs: int, seed: int, timings: dict, tag: str):
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        train(seen, Path(folder), epochs=epochs, seed=seed)
        timings[f"{tag}: train ({epochs} epochs, seed {seed})"] = time.perf_counter() - started
        started = time.perf_counter()
        model = TrainedExtractor(Path(folder))
        model_predictions = [p for built, _ in documents for p in trained_extract(built, model)]
        timings[f"{tag}: trained model extraction (seed {seed})"] = time.perf_counter() - started
    return report(documents, model_predictions, SystemCard(MODEL, seen_ids))


def run_protocol(documents: list, epochs: int, timings: dict, tag: str, seeds: list[int]) -> tuple[dict, list]:
    """Both systems on `documents` ((built, split) pairs): built from the train ones, scored on
    all; the model's tables are those of the first seed. Also the model's target measures for
    every seed, since on so little data one training run says little about the next."""
    seen = [b for b, split in documents if split == "train"]
    seen_ids = tuple(sorted(b.doc_id for b in seen))
    results = {}
    started = time.perf_counter()
    extras = extras_from(seen)
    rules_predictions = [p for built, _ in documents for p in extract_document(built, extras)]
    timings[f"{tag}: rules (extras and extraction)"] = time.perf_counter() - started
    results[RULES] = report(documents, rules_predictions, SystemCard(RULES, seen_ids))
    by_seed = [trained_report(documents, seen, seen_ids, epochs, seed, timings, tag) for seed in seeds]
    results[MODEL] = by_seed[0]
    return results, seed_spread(seeds, [target_values(result) for result, _ in by_seed])


def seed_spread(seeds: list[int], values_by_seed: list[list[tuple]]) -> list[dict]:
    """Per target measure of the model: its value for each seed (None where not measured, to 3
    places as the tables show it) and the range; n is the first seed's, as in its target rows."""
    out = []
    for targets in zip(*values_by_seed):
        lang, layer, name, _, _, n = targets[0]
        values = [None if not count else round(value, 3) for *_, value, count in targets]
        measured = [v for v in values if v is not None]
        out.append({"language": lang, "measure": f"{layer} {name}", "n": "—" if n is None else str(n),
                    "by_seed": dict(zip(map(str, seeds), values)),
                    "min": min(measured) if measured else None, "max": max(measured) if measured else None})
    return out


def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("spacy", "thinc", "numpy", "jieba")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="training seeds of the model (its tables are the first seed's; every seed's targets are listed)")
    args = parser.parse_args()

    skipped: list = []
    documents = annotated_documents(ROOT, ROOT / ".cache" / "packages", skipped=skipped)
    timings: dict = {}
    protocols, spreads = {}, {}
    protocols["splits"], spreads["splits"] = run_protocol(documents, args.epochs, timings, "splits", args.seeds)
    # The other collection as the test set: built from the Debian train chapters only, scored on the article.
    handbook_train = [(b, s) for b, s in documents if b.doc_id.startswith("debian_handbook/") and s == "train"]
    article = [(b, "test") for b, _ in documents if b.doc_id == "gpt4_article"]
    if handbook_train and article:
        protocols["cross_collection"], spreads["cross_collection"] = run_protocol(handbook_train + article, args.epochs, timings,
                                                                                "cross-collection", args.seeds)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    payload = {"documents": {b.doc_id: split for b, split in documents}, "not_fetched": skipped,
               # the dataset card quotes these figures only while this digest matches the current inputs
               "inputs_sha256": results_inputs_sha256(ROOT, [b.doc_id for b, _ in documents]),
               "timings_s": {k: round(v, 1) for k, v in timings.items()},
               # the trained model's figures are deterministic for one set of these, not across them
               "versions": library_versions(),
               "protocols": {name: {"seen": results[RULES][0]["seen"],
                                    "targets": [row for system in results for row in target_rows(system, results[system][0])],
                                    "systems": {system: result for system, (result, _) in results.items()},
                                    "model_targets_by_seed": spreads[name]}
                             for name, results in protocols.items()}}
    (out / "extract.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    lines = ["# Extraction benchmark", "",
             "Written by `python benchmarks/extract_benchmark.py` in one run on this machine"
             + (f"; not fetched, so not scored: {', '.join(skipped)}" if skipped else "") + ". Two protocols:", "",
             "- **splits**: both systems are built from the documents whose split is `train` (the rules take their known "
             "names and cues from them and block cues their gold mostly rejects; the model is trained on them) and scored "
             "on every document; the out-of-sample pool is the `test` documents.",
             "- **cross_collection**: built from the Debian handbook's train chapters only and scored on `gpt4_article`, "
             "a document of another collection and genre. The model never saw it. The rules' names and cues did not come "
             "from it either, but the rules were written while looking at it (it was development data for their "
             "author), so read the rules' row there as optimistic.", "",
             "Times (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()), "",
             "Libraries of this run (the trained model's figures repeated exactly in two runs with these; written with the libraries of an earlier setup, the model's rows, and no others, came out up to 0.04 different): "
             + ", ".join(f"{k} {v}" for k, v in payload["versions"].items()) + "."]
    for name, results in protocols.items():
        lines += ["", f"## Protocol {name}", "", f"Seen: {', '.join(payload['protocols'][name]['seen'])}.", "",
                  "### Targets (out-of-sample pool)", "",
                  table(["system", "language", "measure", "target", "value", "n (gold)", "verdict"],
                        payload["protocols"][name]["targets"]),
                  "", f"### {MODEL}: the same targets for each training seed (out-of-sample pool)", "",
                  f"The model's rows above and below are seed {args.seeds[0]}'s. Trained again with another seed on the same "
                  "documents, it gives:", "",
                  table(["language", "measure", "n (gold)"] + [f"seed {seed}" for seed in args.seeds] + ["range"],
                        [[r["language"], r["measure"], r["n"]]
                         + ["—" if v is None else f"{v:.3f}" for v in r["by_seed"].values()]
                         + ["—" if r["min"] is None else f"{r['min']:.3f}–{r['max']:.3f}"]
                         for r in payload["protocols"][name]["model_targets_by_seed"]])]
        for system, (_, rows) in results.items():
            lines += ["", f"### {system}", "", table(SCORE_HEADER, rows)]
    (out / "extract.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out / 'extract.json'} and {out / 'extract.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
