"""Align many document pairs at once, on an existing engine rather than a home-made worker pool.

PAIRS.jsonl holds one pair per line: `{"id": ..., "zh": [units], "en": [units]}` (a side may
also be one string, split at line breaks). `align_record` is a pure function of one record;
`align_with_datasets` applies it through `datasets.Dataset.map(num_proc=N)` on one machine and
`align_with_ray` through Ray Data (the `[ray]` extra), on a cluster or in local mode. The
output, one line per pair in input order, is `{"id": ..., "beads": ["[0]:[0]", ...], "costs": [...]}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ..files import write_atomic
from ..problems import CorpusError, Problem, display_path
from .aligner import align
from .gold_beads import format_bead

FIELDS = ("id", "zh", "en")


def _side(value) -> list[str]:
    return value.split("\n") if isinstance(value, str) else list(value)


def align_record(record: dict) -> dict:
    """The beads of one pair (a pure function, so that any engine can map it)."""
    beads = align(_side(record["zh"]), _side(record["en"]))
    return {"id": record["id"], "beads": [format_bead(b.as_bead()) for b in beads], "costs": [b.cost for b in beads]}


def read_pairs(path: Path) -> list[dict]:
    """The records of PAIRS.jsonl, checked; a bad line is an error naming file, line and field."""
    records, problems, seen = [], [], set()
    where = display_path(path)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(where, number, None, f"not JSON ({error.msg})"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(where, number, None, "not a JSON object"))
            continue
        missing = [f for f in FIELDS if f not in record]
        if missing:
            problems.append(Problem(where, number, missing[0], "missing"))
            continue
        for side in ("zh", "en"):
            value = record[side]
            if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(u, str) for u in value))):
                problems.append(Problem(where, number, side, "must be a string or a list of strings"))
        if record["id"] in seen:
            problems.append(Problem(where, number, "id", f"{record['id']!r} repeats an earlier line"))
        seen.add(record["id"])
        records.append({"id": str(record["id"]), "zh": _side(record["zh"]), "en": _side(record["en"])})
    if problems:
        raise CorpusError(problems)
    return records


def align_with_datasets(records: Sequence[dict], num_proc: int = 1) -> list[dict]:
    if not records:
        return []  # datasets cannot map over a table without columns
    from datasets import Dataset, disable_progress_bars

    disable_progress_bars()
    dataset = Dataset.from_list(list(records))
    mapped = dataset.map(align_record, num_proc=num_proc if num_proc > 1 else None, remove_columns=["zh", "en"],
                         load_from_cache_file=False, keep_in_memory=True)
    return mapped.to_list()


def align_with_ray(records: Sequence[dict]) -> list[dict]:
    """Through Ray Data on the cluster `ray.init()` connects to (a local one when none is running)."""
    if not records:
        return []
    import ray

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    order = {r["id"]: k for k, r in enumerate(records)}
    rows = ray.data.from_items(list(records)).map(align_record).take_all()
    return sorted(rows, key=lambda row: order[row["id"]])


def write_results(rows: Sequence[dict], path: Path) -> None:
    lines = [json.dumps({"id": r["id"], "beads": list(r["beads"]), "costs": [round(c, 4) for c in r["costs"]]}, ensure_ascii=False)
             for r in rows]
    write_atomic(path, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
