"""The scale rows of the align benchmark counted rather than timed: the instructions the alignment executes.

    python benchmarks/align_work.py      # writes benchmarks/results/align_work.{json,md}; about 20 min on 2 cores

On a shared machine the time of the same run spreads by 10-15 % and work that exactly doubles
measures 1.98-2.43 per doubling (the linear control of `align_benchmark.py`), so a timed ratio
cannot tell 2.00 from 2.05. The number of instructions a process executes does not depend on the
load of the machine. Each scale input of `align_benchmark.py` (the same sizes, the same input) is
run under valgrind's cachegrind (instruction counts only, no cache simulation) twice, in fresh
processes with a fixed PYTHONHASHSEED: once building the input and aligning it, once building the
input alone; the alignment's count is the difference. The smallest size runs twice more, to show
that the counts repeat. Instructions are not time (a cache miss costs more than a hit), but a part
of the work that grows faster than the input shows in them, and nothing else does.

Needs valgrind (`valgrind --version`); without it the script stops with one line saying so.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_benchmark import ROOT, SCALE_SIZES, SCALE_TARGET, scale_input  # noqa: E402
from debian_pairs import debian_pairs  # noqa: E402

from bicorpus.alignment.aligner import align  # noqa: E402
from bicorpus.files import write_atomic  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
HASH_SEED = "0"  # set dicts and sets are iterated in hash order: a fixed seed makes the counts repeat
MODES = ("input", "align")
EXCESS_ROWS = 12  # functions listed where the work grows faster than the input


def child(size: int, mode: str) -> None:
    zh, en, _ = scale_input(size)
    if mode == "align":
        align(zh, en)
    print(json.dumps({"zh_units": len(zh), "en_units": len(en)}))


def counted(size: int, mode: str) -> dict:
    """Run one child under cachegrind; its instruction count and its input's size."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cachegrind.out"
        run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                              sys.executable, __file__, "--child", str(size), mode],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": HASH_SEED})
        if run.returncode != 0:
            raise RuntimeError(f"size {size} ({mode}): valgrind exited with {run.returncode}: {run.stderr.strip()[-500:]}")
        text = out.read_text()
    summary = re.search(r"^summary:\s+(\d+)", text, re.MULTILINE)
    if not summary:
        raise RuntimeError(f"size {size} ({mode}): no summary line in cachegrind's output")
    result = {**json.loads(run.stdout.strip().splitlines()[-1]), "size": size, "mode": mode, "instructions": int(summary.group(1)),
              "functions": per_function(text)}
    print(f"{mode} {size}: {result['instructions']:,} instructions", file=sys.stderr)
    return result


def per_function(text: str) -> Counter:
    """Instructions per function (C functions: the interpreter's, numpy's, libc's) from cachegrind's output."""
    out: Counter = Counter()
    function = None
    for line in text.splitlines():
        if line.startswith("fn="):
            function = line[3:]
        elif function is not None and line[:1].isdigit():
            out[function] += int(line.split()[1])
    return out


def growing(results: list[dict], top: int = EXCESS_ROWS) -> dict:
    """The functions whose part of the alignment grew most beyond twice itself at the last doubling. A function's
    part is its count in the run that aligns minus its count in the run that only builds the input (none if that
    is not positive)."""
    first = first_runs(results)
    small, large = SCALE_SIZES[-2], SCALE_SIZES[-1]
    part = lambda size: first[(size, "align")]["functions"] - first[(size, "input")]["functions"]
    before, after = part(small), part(large)
    excess = sorted(((after[f] - 2 * before[f], f) for f in before.keys() | after.keys()), key=lambda x: (-x[0], x[1]))
    return {"from": small, "to": large,
            "excess_total": sum(e for e, _ in excess if e > 0),
            "functions": [{"function": f, "before": before[f], "after": after[f], "excess": e,
                           "ratio": round(after[f] / before[f], 3) if before[f] else None} for e, f in excess[:top]]}


def first_runs(results: list[dict]) -> dict:
    """(size, mode) -> the first run of each: the one the tables show (the smallest size runs more than once)."""
    return {(r["size"], r["mode"]): r for r in reversed(results)}


def rows(results: list[dict]) -> list[dict]:
    first = first_runs(results)
    out = []
    for size in SCALE_SIZES:
        built, aligned = first[(size, "input")], first[(size, "align")]
        out.append({"zh_units": aligned["zh_units"], "en_units": aligned["en_units"],
                    "instructions_input": built["instructions"], "instructions_input_and_align": aligned["instructions"],
                    "instructions_align": aligned["instructions"] - built["instructions"]})
    return out


def doublings(scale: list[dict]) -> list[dict]:
    return [{"from": f"{a['zh_units']}×{a['en_units']}", "to": f"{b['zh_units']}×{b['en_units']}",
             "instructions": round(b["instructions_align"] / a["instructions_align"], 4)} for a, b in zip(scale, scale[1:])]


def repeats(results: list[dict]) -> dict:
    """The smallest size's counts over its runs: the same, or off by how much."""
    size = SCALE_SIZES[0]
    out = {}
    for mode in MODES:
        counts = [r["instructions"] for r in results if r["size"] == size and r["mode"] == mode]
        out[mode] = {"runs": len(counts), "min": min(counts), "max": max(counts),
                     "relative_spread": round((max(counts) - min(counts)) / min(counts), 6)}
    return out


def table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(map(str, row)) + " |" for row in rows]


def markdown(report: dict) -> str:
    lines = ["# The alignment's work at scale, counted", "",
             f"Instructions executed (valgrind {report['machine']['valgrind']}, cachegrind without cache simulation; "
             f"Python {report['machine']['python']}, PYTHONHASHSEED={HASH_SEED}), the inputs of the align benchmark's "
             "scale rows. The alignment's count: a run that builds the input and aligns it, minus a run that only "
             "builds it, each in a fresh process.", ""]
    lines += table(["Chinese × English units", "input alone", "input and alignment", "alignment"],
                   [[f"{r['zh_units']:,} × {r['en_units']:,}", f"{r['instructions_input']:,}", f"{r['instructions_input_and_align']:,}",
                     f"{r['instructions_align']:,}"] for r in report["scale"]])
    lines += ["", "Per doubling of the input (target: at most " f"{SCALE_TARGET['ratio']:.2f}):", ""]
    lines += table(["from", "to", "instructions", "at most doubles"],
                   [[d["from"], d["to"], f"{d['instructions']:.4f}", "yes" if d["instructions"] <= SCALE_TARGET["ratio"] else "no"]
                    for d in report["doublings"]])
    spread = report["repeats"]
    lines += ["", f"The smallest size counted {spread['align']['runs']} times: input and alignment spread by "
              f"{spread['align']['relative_spread']:.6f} of the count, the input alone by {spread['input']['relative_spread']:.6f}.", ""]
    grown = report.get("growing")
    if grown:
        lines += [f"Where the alignment's work grew beyond twice itself from {grown['from']:,} to {grown['to']:,} "
                  f"({grown['excess_total']:,} instructions beyond twice, summed over the functions that grew more than "
                  "twice): those with the largest excess, C functions as cachegrind names them (numpy's, the interpreter's, "
                  "libc's), each one's part of the alignment being its count aligning minus its count building the input.", ""]
        lines += table(["function", "before", "after", "ratio", "beyond twice"],
                       [[f"`{f['function'][:90]}`", f"{f['before']:,}", f"{f['after']:,}", "–" if f["ratio"] is None else f["ratio"],
                         f"{f['excess']:,}"] for f in grown["functions"]])
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    if shutil.which("valgrind") is None:
        print("align_work: valgrind is not installed (it counts the instructions); nothing written", file=sys.stderr)
        return 2
    version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    debian_pairs()  # fetched here, once: a child that fetched would count the download and unpacking too
    jobs = [(size, mode) for size in reversed(SCALE_SIZES) for mode in MODES] + [(SCALE_SIZES[0], mode) for mode in MODES]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the counts do not depend on what runs beside
        results = list(pool.map(lambda job: counted(*job), jobs))
    scale = rows(results)
    report = {"machine": {"valgrind": version.removeprefix("valgrind-"), "python": platform.python_version(),
                          "cpus": os.cpu_count()},
              "scale": scale, "doublings": doublings(scale), "repeats": repeats(results), "growing": growing(results)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_atomic(RESULTS / "align_work.json", (json.dumps(report, indent=1, ensure_ascii=False) + "\n").encode())
    write_atomic(RESULTS / "align_work.md", markdown(report).encode())
    print(markdown(report))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child" and sys.argv[2] in map(str, SCALE_SIZES) and sys.argv[3] in MODES:
        child(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1:
        print(__doc__.strip(), file=sys.stderr if sys.argv[1] not in ("-h", "--help") else sys.stdout)
        sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
    else:
        sys.exit(main())
