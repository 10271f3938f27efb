"""Align many document pairs at once, on an existing engine rather than a home-made worker pool.

PAIRS.jsonl holds one pair per line: `{"id": ..., "zh": [units], "en": [units]}` (a side may
also be one string, split at '\n' as a file's lines are). `read_pairs` checks every line as
`align` checks its two files (UTF-8, the limits, sides in the wrong language) and refuses a side
with no text. `align_record` is a pure function of one record;
`align_with_datasets` applies it through `datasets.Dataset.map(num_proc=N)` on one machine and
`align_with_ray` through Ray Data (the `[ray]` extra), on a cluster or in local mode. The
output, one line per pair in input order, is `{"id": ..., "beads": ["[0]:[0]", ...], "costs": [...]}`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional, Sequence

from ..extras import ray_started
from ..files import write_atomic
from ..problems import CorpusError, Problem
from ..sources.capture import MAX_LINE_CHARS_VARIABLE, SourceFile, input_bytes, input_limits, text_problem
from ..sources.languages import pair_problem
from .aligner import align
from .gold_beads import format_bead

FIELDS = ("id", "zh", "en")
SIDES = ("zh", "en")
# half of a UTF-16 pair, which a JSON escape (\ud800) can give but UTF-8 cannot write
_SURROGATE = re.compile("[\ud800-\udfff]")


def _side(value) -> list[str]:
    """The units of a side: its list, or its string split at '\n' as `align` splits a file
    (a final '\n' ends the last unit; str.splitlines would also split at U+2028 and others)."""
    return SourceFile("", value).lines() if isinstance(value, str) else list(value)


def align_record(record: dict) -> dict:
    """The beads of one pair (a pure function, so that any engine can map it)."""
    beads = align(_side(record["zh"]), _side(record["en"]))
    return {"id": record["id"], "beads": [format_bead(b.as_bead()) for b in beads], "costs": [b.cost for b in beads]}


class _RepeatedKey(ValueError):
    pass


def _unique_keys(pairs: list) -> dict:
    """A JSON object, refusing a key given twice (json.loads would keep the last one silently)."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


def _surrogate_problem(where: str, number: int, field: str, text: str, what: str = "") -> Optional[Problem]:
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return Problem(where, number, field, f"{what}a lone surrogate \\u{ord(found.group()):04x} (half of a UTF-16 pair, from a "
                                         "JSON escape): not a character, so it cannot be written as UTF-8")


def _side_problems(where: str, number: int, side: str, value, max_line: int) -> list[Problem]:
    """Why one side of a pair cannot be aligned: not a string or a list of strings, a unit
    that UTF-8 cannot write or that is longer than the limit, or no text at all."""
    if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(u, str) for u in value))):
        return [Problem(where, number, side, "must be a string or a list of strings")]
    units, problems = _side(value), []
    for k, unit in enumerate(units):
        surrogate = _surrogate_problem(where, number, side, unit, f"unit {k}: ")
        if surrogate is not None:
            problems.append(surrogate)
        elif len(unit) > max_line:
            # the limit `align` puts on each line of its files, on a unit (which may hold a '\n')
            problems.append(Problem(where, number, side, f"unit {k} of {len(unit):,} characters, more than the limit of "
                                                         f"{max_line:,} (set {MAX_LINE_CHARS_VARIABLE} or --max-line-chars "
                                                         "to allow more)"))
    if not any(unit.strip() for unit in units):
        # beads of a side with no text would only say that the other side has no counterpart
        problems.append(Problem(where, number, side, "empty (no units, or only blank ones): a pair needs text on both sides"))
    return problems


def _record_problems(record, where: str, number: int, max_line: int) -> list[Problem]:
    if not isinstance(record, dict):
        return [Problem(where, number, None, "not a JSON object")]
    missing = [f for f in FIELDS if f not in record]
    if missing:
        return [Problem(where, number, missing[0], "missing")]
    if not isinstance(record["id"], str) or not record["id"].strip():
        problems = [Problem(where, number, "id", f"must be a non-empty string, not {json.dumps(record['id'])[:40]}")]
    else:
        problems = [p for p in [_surrogate_problem(where, number, "id", record["id"])] if p is not None]
    sides = {side: _side_problems(where, number, side, record[side], max_line) for side in SIDES}
    problems += sides["zh"] + sides["en"]
    if not sides["zh"] and not sides["en"]:
        wrong = pair_problem(*((where, "\n".join(_side(record[side])), side) for side in SIDES), line=number,
                             swapped="has no Chinese while en is mostly Chinese: the sides look swapped (zh holds the Chinese)")
        problems += [wrong] if wrong else []
    return problems


def read_pairs(path: Path) -> list[dict]:
    """The records of PAIRS.jsonl, checked; a bad line is an error naming file, line and field."""
    where, data = input_bytes(path)
    try:
        # a byte order mark is no part of the first record: accepted, as `align` accepts one
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        # the check `align` makes: the line of the first bad byte, and the encoding the file seems
        # to be in (text_problem says so before it looks at line lengths, whose limit applies
        # here to each unit, since a JSONL line holds a whole pair)
        raise CorpusError(text_problem(where, data)) from None
    _, max_line = input_limits()  # for each unit of a side: a JSONL line holds a whole pair
    records, problems, seen = [], [], set()
    # split at '\n' only: json.dumps(ensure_ascii=False) writes U+2028, U+0085 or a form feed
    # raw inside a string. A '\r' before the '\n' is JSON whitespace, which json.loads skips,
    # so a file with CRLF line ends reads as it was written.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" \t\r"):  # JSON's whitespace only: a line of U+2028 is not JSON, not blank
            continue
        try:
            record = json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as error:
            problems.append(Problem(where, number, None, f"not JSON ({error.msg})"))
            continue
        except _RepeatedKey as repeated:
            problems.append(Problem(where, number, str(repeated), "given twice in the object"))
            continue
        except RecursionError:
            problems.append(Problem(where, number, None, "not JSON that can be read (nested too deeply)"))
            continue
        found = _record_problems(record, where, number, max_line)
        identifier = record.get("id") if isinstance(record, dict) else None
        if isinstance(identifier, str):
            if identifier in seen:
                found.append(Problem(where, number, "id", f"{identifier!r} repeats an earlier line"))
            seen.add(identifier)
        problems += found
        if not found:
            records.append({"id": identifier, "zh": _side(record["zh"]), "en": _side(record["en"])})
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
    ray = ray_started("--engine")
    order = {r["id"]: k for k, r in enumerate(records)}
    rows = ray.data.from_items(list(records)).map(align_record).take_all()
    return sorted(rows, key=lambda row: order[row["id"]])


def write_results(rows: Sequence[dict], path: Path) -> None:
    lines = [json.dumps({"id": r["id"], "beads": list(r["beads"]), "costs": [round(c, 4) for c in r["costs"]]}, ensure_ascii=False)
             for r in rows]
    write_atomic(path, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
