"""Time and memory of `bicorpus build` and `validate` on synthetic collections, in one run.

    python benchmarks/build_benchmark.py                 # 10 and 100 documents; writes results/build.{json,md}
    python benchmarks/build_benchmark.py --sizes 10 100 1000

A collection of N documents is made in a temporary folder from the corpus' own annotated
document (gpt4_article) under new ids (`synth/d0000`, ...): its corpus files and annotation files
copied, with the ids inside the annotations renamed. Per size, each a separate process run from
that folder, measured for wall time and peak resident memory (the process and its workers):

- `build` cold (empty build cache), one job;
- `build` warm (every document in the cache);
- `build` after one document's annotation changed (one claim's note edited);
- `validate` with the cache warm;
- `build --no-cache --jobs 2` against `build --no-cache --jobs 1`, for sizes of at most 100.

Beside them, bare spaCy + jieba segmentation of the same texts (blank pipelines, jieba as the
Chinese segmenter, loaded once, the document's cleaned paragraphs of both sides) is timed in
this process. The machine is shared: the load average at the start and end is recorded, and
only ratios within this one run are meant to be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SOURCE_DOC = "gpt4_article"
COLLECTION = "synth"
PEAK = ("import resource, sys\nfrom bicorpus.cli import main\ncode = main(sys.argv[1:])\n"
        "usage = [resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]\n"
        "print('PEAK_KB', max(usage), file=sys.stderr)\nsys.exit(code)\n")


def make_collection(dest: Path, size: int) -> list[str]:
    """corpus/ and annotations/ under `dest` with `size` copies of the source document."""
    annotations = dest / "annotations"
    annotations.mkdir(parents=True)
    for shared in (ROOT / "annotations").iterdir():
        if shared.is_file():
            shutil.copy(shared, annotations / shared.name)
    docs = [f"{COLLECTION}/d{i:04d}" for i in range(size)]
    for doc in docs:
        corpus_dir, annotation_dir = dest / "corpus" / doc, annotations / doc
        corpus_dir.mkdir(parents=True)
        annotation_dir.mkdir(parents=True)
        for source in (ROOT / "corpus" / SOURCE_DOC).iterdir():
            data = source.read_text(encoding="utf-8")
            if source.name == "document.yaml":
                data = re.sub(rf"(?m)^doc_id: {SOURCE_DOC}$", f"doc_id: {doc}", data)
            (corpus_dir / source.name).write_text(data, encoding="utf-8")
        for source in (ROOT / "annotations" / SOURCE_DOC).iterdir():
            if not source.is_file():  # the agreement study's folder is not a build input
                continue
            data = source.read_text(encoding="utf-8").replace(f"{SOURCE_DOC}/", f"{doc}/")
            (annotation_dir / source.name).write_text(data, encoding="utf-8")
    return docs


def change_one_annotation(dest: Path, doc: str) -> None:
    """Edit the note of the first claim of one document (a change that alters its rows)."""
    path = dest / "annotations" / doc / "claims.jsonl"
    lines = path.read_text(encoding="utf-8").split("\n")
    record = json.loads(lines[0])
    record["note"] = (record.get("note") or "") + " (benchmark edit)"
    lines[0] = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    path.write_text("\n".join(lines), encoding="utf-8")


def run(dest: Path, *args: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], cwd=dest, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bicorpus {' '.join(args)} failed in {dest}:\n{done.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_KB (\d+)", done.stderr).group(1))
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024, 1)}


def bare_segmentation_seconds(repeats: int = 5) -> float:
    """Seconds per document of blank spaCy pipelines (jieba for Chinese) over the cleaned
    paragraphs of both sides of the source document, pipelines loaded beforehand."""
    sys.path.insert(0, str(ROOT / "src"))
    import spacy

    from bicorpus.pipeline.build import load_inputs, segment_document
    from bicorpus.schema import Language

    sources, _ = load_inputs(ROOT / "corpus", ROOT / "annotations", SOURCE_DOC)
    cleaned, *_ = segment_document(sources)
    texts = {lang: [b.text for b in cleaned[lang].blocks] for lang in (Language.ZH, Language.EN)}
    nlp = {Language.ZH: spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}),
           Language.EN: spacy.blank("en")}
    for lang in nlp:  # warm up (jieba loads its dictionary on first use)
        list(nlp[lang].pipe(texts[lang]))
    started = time.perf_counter()
    for _ in range(repeats):
        for lang in nlp:
            list(nlp[lang].pipe(texts[lang]))
    return (time.perf_counter() - started) / repeats


def toolkit_segmentation_seconds(repeats: int = 3) -> dict:
    """Seconds per document of the toolkit's own stages on the source document, warmed up:
    cleaning and segmenting both sides (`segment_document`), and the whole `process_document`."""
    sys.path.insert(0, str(ROOT / "src"))
    from bicorpus.pipeline.build import load_inputs, process_document, segment_document

    inputs = load_inputs(ROOT / "corpus", ROOT / "annotations", SOURCE_DOC)
    process_document(*inputs)
    out = {}
    for name, work in (("segment_document", lambda: segment_document(inputs[0])), ("process_document", lambda: process_document(*inputs))):
        started = time.perf_counter()
        for _ in range(repeats):
            work()
        out[name] = round((time.perf_counter() - started) / repeats, 4)
    return out


def phases(dest: Path, docs: list[str]) -> dict:
    """Seconds of each stage of a warm build, in this process: the documents' summaries (and
    their input checks) from the cache, every file of the loader written to a new folder (the
    data streamed from the cache entries), the checks of the committed loader against a fresh
    build, opening every config in streaming mode as the build does, and, for comparison, a full
    load of every row of every config, which the build no longer does."""
    sys.path.insert(0, str(ROOT / "src"))
    from bicorpus import cli
    from bicorpus.pipeline.incremental import BUILD_CACHE
    from bicorpus.pipeline.parallel import build_documents, built_or_raise
    from bicorpus.publishing.loader import load_all, open_all
    from bicorpus.publishing.loader_checks import loader_problems
    from bicorpus.publishing.render import write_loader

    here = os.getcwd()
    os.chdir(dest)  # the cache keys name files relative to the working folder, as the command does
    try:
        out, clock = {}, time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            out[name] = round(now - clock, 2)
            clock = now

        outcomes = build_documents(docs, Path("corpus"), Path("annotations"), cache_dir=Path(BUILD_CACHE))
        collection = cli.collection_of(COLLECTION, built_or_raise(outcomes), Path("corpus"))
        lap("documents_from_cache")
        with tempfile.TemporaryDirectory(dir=dest) as folder:
            write_loader(collection, Path(folder))
            lap("write_loader_all_files")
        problems = loader_problems(Path("loaders") / COLLECTION, collection)
        lap("loader_checks")
        open_all(Path("loaders") / COLLECTION, {config: {split: collection.count(config, split)
                                                          for split in collection.splits_of(config)}
                                                 for config in collection.configs})
        lap("open_every_config_streaming")
        load_all(Path("loaders") / COLLECTION, list(collection.configs))
        lap("full_load_every_config_not_in_build")
        out["cached_documents"] = sum(o.cached for o in outcomes)
        out["loader_problems"] = len(problems)
        return out
    finally:
        os.chdir(here)


def measure(size: int, work: Path, compare_jobs: bool) -> dict:
    dest = work / f"n{size}"
    docs = make_collection(dest, size)
    out = {"documents": size}
    out["build_cold"] = run(dest, "build", "--quiet")
    out["build_warm"] = run(dest, "build", "--quiet")
    out["warm_build_phases"] = phases(dest, docs)
    change_one_annotation(dest, f"{COLLECTION}/d{size // 2:04d}")
    out["build_one_changed"] = run(dest, "build", "--quiet")
    out["validate_warm"] = run(dest, "validate")
    if compare_jobs:
        out["build_nocache_jobs1"] = run(dest, "build", "--quiet", "--no-cache", "--jobs", "1")
        out["build_nocache_jobs2"] = run(dest, "build", "--quiet", "--no-cache", "--jobs", "2")
    shutil.rmtree(dest)
    return out


def targets(result: dict) -> list[dict]:
    """Each target of issue 15, with the figures it is judged on and whether it is met."""
    sizes = {r["documents"]: r for r in result["sizes"]}
    seg = result["bare_segmentation_seconds_per_document"]
    out = []
    small, large = min(sizes), max(sizes)
    if small != large:
        marginal = (sizes[large]["build_cold"]["seconds"] - sizes[small]["build_cold"]["seconds"]) / (large - small)
        out.append({"target": "marginal cold build cost per document <= 4 x bare segmentation",
                    "value": round(marginal / seg, 1), "limit": 4, "met": marginal / seg <= 4,
                    "figures": f"{marginal:.3f} s per document ({small} to {large}) against {seg:.3f} s"})
        # the growth targets compare the two largest collections (100 and 1,000 in the issue)
        below = sorted(sizes)[-2]
        time_ratio = sizes[large]["build_cold"]["seconds"] / sizes[below]["build_cold"]["seconds"]
        limit = 10.5 * (large / below) / 10
        out.append({"target": f"build of {large} at most {limit:g} x the time of {below}",
                    "value": round(time_ratio, 2), "limit": limit, "met": time_ratio <= limit, "figures": ""})
        memory_ratio = sizes[large]["build_cold"]["peak_mb"] / sizes[below]["build_cold"]["peak_mb"]
        out.append({"target": f"peak memory of {large} within 1.5 x that of {below}",
                    "value": round(memory_ratio, 2), "limit": 1.5, "met": memory_ratio <= 1.5, "figures": ""})
    one = sizes[large]["build_one_changed"]["seconds"] / sizes[large]["build_cold"]["seconds"]
    out.append({"target": f"rebuild after one annotation changed, {large} documents, < 5 % of a full build",
                "value": round(100 * one, 1), "limit": 5, "met": one < 0.05, "figures": "percent of build_cold"})
    jobs = [r for r in result["sizes"] if "build_nocache_jobs2" in r]
    if jobs:
        r = max(jobs, key=lambda r: r["documents"])
        speedup = r["build_nocache_jobs1"]["seconds"] / r["build_nocache_jobs2"]["seconds"]
        out.append({"target": f"--jobs 2 at least 1.6 x faster than --jobs 1 on {r['documents']} documents",
                    "value": round(speedup, 2), "limit": 1.6, "met": speedup >= 1.6, "figures": ""})
    return out


def markdown(result: dict) -> str:
    runs = ["build_cold", "build_warm", "build_one_changed", "validate_warm", "build_nocache_jobs1", "build_nocache_jobs2"]
    lines = ["# Build benchmark", "",
             f"Written by `python benchmarks/build_benchmark.py` on {result['machine']} ({result['cpus']} CPUs, load "
             f"average {result['load_before']} at the start, {result['load_after']} at the end; the cores are shared "
             "with other jobs, so compare ratios within this run only). Synthetic collections of copies of "
             f"`{SOURCE_DOC}` under new ids; each figure is one run of one process (seconds, peak resident MB of the "
             "process and its workers).", "",
             f"Bare spaCy + jieba segmentation of one document's two texts: "
             f"{result['bare_segmentation_seconds_per_document']:.3f} s; the toolkit's `segment_document` (cleaning, "
             f"term merging, sentence marks, offsets) {result['toolkit_seconds_per_document']['segment_document']:.3f} s "
             f"and the whole `process_document` {result['toolkit_seconds_per_document']['process_document']:.3f} s, "
             "each warmed up, in this process.", "",
             "| documents | " + " | ".join(runs) + " |", "|---" * (len(runs) + 1) + "|"]
    for r in result["sizes"]:
        cells = [f"{r[k]['seconds']} s / {r[k]['peak_mb']} MB" if k in r else "" for k in runs]
        lines.append(f"| {r['documents']} | " + " | ".join(cells) + " |")
    phase_names = list(next(iter(result["sizes"]))["warm_build_phases"])
    lines += ["", "## Where a warm build spends its time", "",
              "In the benchmark's process, after the warm build (`loader_problems` counts the problems the loader "
              "checks found, which must be 0):", "",
              "| documents | " + " | ".join(phase_names) + " |", "|---" * (len(phase_names) + 1) + "|"]
    for r in result["sizes"]:
        lines.append(f"| {r['documents']} | " + " | ".join(str(r["warm_build_phases"][k]) for k in phase_names) + " |")
    lines += ["", "## Targets", "", "| target | value | limit | met | figures |", "|---|---|---|---|---|"]
    for t in result["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {t['limit']} | {'yes' if t['met'] else 'no'} | {t['figures']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--out", default=str(RESULTS), help="folder for build.json and build.md")
    args = parser.parse_args()
    result = {"machine": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
              "load_before": round(os.getloadavg()[0], 2), "source_document": SOURCE_DOC}
    result["bare_segmentation_seconds_per_document"] = round(bare_segmentation_seconds(), 4)
    result["toolkit_seconds_per_document"] = toolkit_segmentation_seconds()
    with tempfile.TemporaryDirectory(prefix="bicorpus-build-bench-") as work:
        result["sizes"] = [measure(size, Path(work), compare_jobs=size <= 100) for size in sorted(args.sizes)]
    result["load_after"] = round(os.getloadavg()[0], 2)
    result["targets"] = targets(result)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "build.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
