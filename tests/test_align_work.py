"""benchmarks/align_work.py: the alignment's instructions are the difference of two counted runs,
the ratios are taken between sizes, and a missing valgrind or a failed run ends in one line."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
align_work = pytest.importorskip("align_work")


def fake_results(align_counts, input_count=1000):
    out = []
    for size, count in zip(align_work.SCALE_SIZES, align_counts):
        units = {"zh_units": size - 13, "en_units": size + 500}
        out += [{**units, "size": size, "mode": "input", "instructions": input_count},
                {**units, "size": size, "mode": "align", "instructions": input_count + count}]
    return out


def test_the_alignment_is_counted_as_the_difference_and_compared_per_doubling():
    results = fake_results([100, 201, 400, 810])
    results += [dict(results[0], instructions=1001), dict(results[1])]  # the smallest size, counted again
    scale = align_work.rows(results)
    assert [r["instructions_align"] for r in scale] == [100, 201, 400, 810]
    assert [d["instructions"] for d in align_work.doublings(scale)] == [2.01, 1.99, 2.025]
    assert align_work.repeats(results)["input"] == {"runs": 2, "min": 1000, "max": 1001, "relative_spread": 0.001}
    assert align_work.repeats(results)["align"]["relative_spread"] == 0.0
    table = align_work.markdown({"machine": {"valgrind": "3.19.0", "python": "3.11.7"}, "scale": scale,
                                 "doublings": align_work.doublings(scale), "repeats": align_work.repeats(results)})
    assert "| 2.0100 | no |" in table and "| 1.9900 | yes |" in table


def test_the_work_that_grows_faster_than_the_input_is_named_by_function():
    out = "events: Ir\nfl=a.c\nfn=sort\n10 30\n11 5\nfn=loop\n12 100\nfl=b.c\nfn=sort\n3 5\nsummary: 140\n"
    assert align_work.per_function(out) == {"sort": 40, "loop": 100}
    results = fake_results([0, 0, 0, 0])
    counts = {(align_work.SCALE_SIZES[-2], "input"): {"loop": 7, "imports": 50},
              (align_work.SCALE_SIZES[-2], "align"): {"loop": 107, "sort": 40, "imports": 50},
              (align_work.SCALE_SIZES[-1], "input"): {"loop": 9, "imports": 50},
              (align_work.SCALE_SIZES[-1], "align"): {"loop": 209, "sort": 90, "imports": 50, "fresh": 4}}
    for r in results:
        r["functions"] = align_work.Counter(counts.get((r["size"], r["mode"]), {}))
    grown = align_work.growing(results, top=3)
    assert grown["excess_total"] == 14  # sort 10 beyond twice, fresh 4; loop exactly doubles; imports cancel out
    assert [(f["function"], f["excess"], f["ratio"]) for f in grown["functions"]] == [("sort", 10, 2.25), ("fresh", 4, None), ("loop", 0, 2.0)]


def test_a_run_reads_cachegrinds_summary_and_a_failed_run_names_its_size(monkeypatch):
    def run(args, **_):
        out = Path(next(a for a in args if a.startswith("--cachegrind-out-file=")).split("=", 1)[1])
        out.write_text("desc: --cache-sim=no\ncmd: python\nevents: Ir\nsummary: 123456\n")
        return SimpleNamespace(returncode=0, stdout='{"zh_units": 5, "en_units": 6}\n', stderr="")

    monkeypatch.setattr(align_work.subprocess, "run", run)
    assert align_work.counted(5000, "align") == {"zh_units": 5, "en_units": 6, "size": 5000, "mode": "align", "instructions": 123456,
                                                  "functions": {}}
    monkeypatch.setattr(align_work.subprocess, "run", lambda *a, **k: SimpleNamespace(returncode=1, stdout="", stderr="boom"))
    with pytest.raises(RuntimeError, match=r"size 5000 \(input\): valgrind exited with 1: boom"):
        align_work.counted(5000, "input")


def test_without_valgrind_it_stops_with_one_line_and_writes_nothing(monkeypatch, capsys):
    monkeypatch.setattr(align_work.shutil, "which", lambda name: None)
    monkeypatch.setattr(align_work, "write_atomic", lambda *a: pytest.fail("wrote a results file"))
    assert align_work.main() == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


@pytest.mark.parametrize("arguments", [["--sizes"], ["--child", "abc", "align"], ["--child", "5000", "bogus"], ["--child", "123", "input"]])
def test_an_unknown_argument_prints_the_help_and_starts_nothing(arguments):
    run = subprocess.run([sys.executable, str(BENCHMARKS / "align_work.py"), *arguments], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "instructions" in run.stderr and run.stdout == "" and "Traceback" not in run.stderr
