"""Per-document figures of every loader, and the time of `bicorpus fetch`, in one run.

    python benchmarks/corpus_figures.py

runs `bicorpus fetch debian_handbook` twice (into a fresh package cache, so that the download
is timed, then with the cache warm), builds gpt4_article into a temporary folder, and writes
`results/corpus.json` and `results/corpus.md`: per document, paragraphs and sentences per
language, paragraph and sentence beads by type and status, claims; per collection, the fetch
and build times. The README and the issue notes quote these files, never hand-typed figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BICORPUS = [sys.executable, "-m", "bicorpus.cli"]


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(BICORPUS + args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def _rows(loader: Path, config: str) -> list[dict]:
    files = [loader / "data" / f"{config}.jsonl"] + sorted((loader / "data" / config).glob("*.jsonl"))
    return [json.loads(line) for f in files if f.is_file() for line in f.read_text(encoding="utf-8").splitlines()]


def figures(loader: Path) -> list[dict]:
    out = []
    paragraphs, sentences = _rows(loader, "paragraphs"), _rows(loader, "sentences")
    beads = {"paragraph": _rows(loader, "paragraph_translation"), "sentence": _rows(loader, "translation")}
    claims = _rows(loader, "claims")
    for doc in _rows(loader, "documents"):
        d = doc["id"]
        row = {"document": d, "split": doc["split"], "zh": doc["zh_role"], "en": doc["en_role"]}
        for lang in ("zh", "en"):
            row[f"{lang}_paragraphs"] = sum(1 for p in paragraphs if p["doc_id"] == d and p["language"] == lang)
            row[f"{lang}_sentences"] = sum(1 for s in sentences if s["doc_id"] == d and s["language"] == lang)
        for level, rows in beads.items():
            mine = [b for b in rows if b["doc_id"] == d]
            row[f"{level}_beads"] = len(mine)
            row[f"{level}_types"] = dict(sorted(Counter(b["bead_type"] for b in mine if b["status"] != "untranslated").items()))
            row[f"{level}_untranslated"] = sum(1 for b in mine if b["status"] == "untranslated")
            row[f"{level}_proposed"] = sum(1 for b in mine if b["status"] == "proposed")
        row["claims"] = sum(1 for c in claims if c["doc_id"] == d)
        out.append(row)
    return out


def markdown(result: dict) -> str:
    lines = ["# Corpus figures", "", "Written by `python benchmarks/corpus_figures.py` in one run; bead types count the "
             "beads that are translation pairs (untranslated ones apart).", ""]
    for name, times in result["times"].items():
        lines.append(f"- `{name}`: " + ", ".join(f"{k} {v} s" for k, v in times.items()))
    lines += ["", "| document | split | zh / en | paragraphs zh / en | sentences zh / en | paragraph beads (types; untranslated) "
              "| sentence beads (types; untranslated) | claims |", "|---|---|---|---|---|---|---|---|"]
    for row in result["documents"]:
        types = {lvl: ", ".join(f"{k}: {v}" for k, v in row[f"{lvl}_types"].items()) for lvl in ("paragraph", "sentence")}
        lines.append(f"| `{row['document']}` | {row['split']} | {row['zh']} / {row['en']} | {row['zh_paragraphs']} / "
                     f"{row['en_paragraphs']} | {row['zh_sentences']} / {row['en_sentences']} | {row['paragraph_beads']} "
                     f"({types['paragraph']}; {row['paragraph_untranslated']}) | {row['sentence_beads']} ({types['sentence']}; "
                     f"{row['sentence_untranslated']}) | {row['claims']} |")
    totals = {k: sum(r[k] for r in result["documents"]) for k in ("paragraph_beads", "paragraph_untranslated", "sentence_beads",
                                                                   "sentence_untranslated", "claims")}
    lines += ["", f"Totals: {totals['paragraph_beads']} paragraph beads ({totals['paragraph_beads'] - totals['paragraph_untranslated']}"
              f" translation pairs), {totals['sentence_beads']} sentence beads ({totals['sentence_beads'] - totals['sentence_untranslated']}"
              f" translation pairs), {totals['claims']} claims.", ""]
    return "\n".join(lines)


def main() -> None:
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fetched"
        cold = _run(["fetch", "debian_handbook", "--cache", str(Path(tmp) / "cache"), "--out", str(out), "--quiet"])
        warm = _run(["fetch", "debian_handbook", "--cache", str(Path(tmp) / "cache"), "--out", str(out), "--quiet"])
        times["debian_handbook"] = {"fetch with download": cold, "fetch with the package cached": warm}
        documents = figures(out / "debian_handbook")
        built = Path(tmp) / "loaders"
        times["gpt4_article"] = {"build": _run(["build", "--doc", "gpt4_article", "--out", str(built), "--quiet"])}
        documents = figures(built / "gpt4_article") + documents
    result = {"times": times, "documents": documents}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "corpus.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "corpus.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
