"""Stage 5: the loader checks `bicorpus validate` runs. Each check returns a list of Problems
that name the file, the line and the field; none raises.

They read the committed loader files line by line, so a problem points at the JSONL line a
user would load. The source checks (corpus/ and annotations/) are in
`bicorpus.pipeline.source_checks`.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..features import _resolved_hints, value_fits
from ..pipeline.build import BuiltDocument, config_types, data_path
from ..problems import Problem, display_path
from ..schema import CHROME_REASONS, BeadType, Language
from .render import render_loader

CHROME_MIN_LINE = 6  # shorter chrome lines ("关注", "回复", "发布") are ordinary words


@dataclass(frozen=True)
class LoadedConfig:
    name: str
    path: str
    rows: list  # (1-based line, dict)


def read_config(loader_dir: Path, name: str) -> tuple[Optional["LoadedConfig"], list[Problem]]:
    path = Path(loader_dir) / data_path(name)
    shown = display_path(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, f"data file of config {name!r} is missing")]
    rows, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n")[:-1], start=1):
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            problems.append(Problem(shown, number, None, f"invalid JSON ({err.msg})"))
    return LoadedConfig(name, shown, rows), problems


def schema_problems(config: LoadedConfig, row_type: type) -> list[Problem]:
    hints = _resolved_hints(row_type)
    names = [f.name for f in dataclasses.fields(row_type)]
    problems = []
    for number, row in config.rows:
        if list(row) != names:
            missing, extra = set(names) - set(row), set(row) - set(names)
            problems.append(Problem(config.path, number, ",".join(sorted(missing | extra)) or None,
                                    f"fields differ from the schema (missing {sorted(missing)}, unexpected {sorted(extra)}, or out of order)"))
            continue
        for name in names:
            if not value_fits(row[name], hints[name]):
                problems.append(Problem(config.path, number, name, f"value {row[name]!r} does not fit type {hints[name]}"))
    return problems


def id_problems(config: LoadedConfig) -> list[Problem]:
    seen, problems = {}, []
    for number, row in config.rows:
        rid = row.get("id")
        if rid in seen:
            problems.append(Problem(config.path, number, "id", f"duplicate id {rid!r} (first on line {seen[rid]})"))
        seen.setdefault(rid, number)
    return problems


def _text_fields(row: dict):
    for key in ("text", "zh_text", "en_text"):
        if key in row:
            yield key, row[key]


def empty_problems(config: LoadedConfig) -> list[Problem]:
    problems = []
    for number, row in config.rows:
        for key, value in _text_fields(row):
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(config.path, number, key, "empty text"))
        if "translation" in row and isinstance(row["translation"], dict):
            sides = {"zh": row.get("zh_ids"), "en": row.get("en_ids")}
            for lang in ("zh", "en"):
                if sides[lang] and not str(row["translation"].get(lang, "")).strip():
                    problems.append(Problem(config.path, number, f"translation.{lang}", "empty text for a non-empty side"))
    return problems


def offset_problems(config: LoadedConfig, doc_texts: dict[str, str], raw: str) -> list[Problem]:
    """Every paragraph and sentence equals the slice of its document text (and of the raw
    capture) at its offsets, and every token the slice of its sentence."""
    problems = []
    for number, row in config.rows:
        text, lang = row.get("text"), row.get("language")
        if not isinstance(text, str) or lang not in doc_texts:
            continue
        start, end = row.get("start"), row.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or doc_texts[lang][start:end] != text:
            problems.append(Problem(config.path, number, "start", f"documents.{lang}_text[{start}:{end}] does not equal text"))
        if lang == Language.ZH.value:
            rs, re_ = row.get("raw_start"), row.get("raw_end")
            if not (isinstance(rs, int) and isinstance(re_, int)) or raw[rs:re_] != text:
                problems.append(Problem(config.path, number, "raw_start", f"capture[{rs}:{re_}] does not equal text"))
        elif row.get("raw_start") is not None or row.get("raw_end") is not None:
            problems.append(Problem(config.path, number, "raw_start", "English rows have no raw offsets"))
        if "tokens" in row:
            spans = zip(row.get("tokens") or [], row.get("token_starts") or [], row.get("token_ends") or [])
            if not (len(row.get("tokens") or []) == len(row.get("token_starts") or []) == len(row.get("token_ends") or [])):
                problems.append(Problem(config.path, number, "tokens", "tokens, token_starts and token_ends differ in length"))
            for k, (token, ts, te) in enumerate(spans):
                if text[ts:te] != token:
                    problems.append(Problem(config.path, number, "token_starts", f"token {k} {token!r} is not text[{ts}:{te}]"))
                    break
    return problems


def alignment_problems(units: LoadedConfig, beads: LoadedConfig) -> list[Problem]:
    """Each unit's bead exists, lists the unit on its side, and its aligned ids are the
    bead's other side; each bead's type matches its sides; beads cover every unit once."""
    by_id = {row.get("id"): row for _, row in beads.rows}
    problems, covered = [], {}
    for number, row in beads.rows:
        zh_ids, en_ids = row.get("zh_ids") or [], row.get("en_ids") or []
        if row.get("bead_type") != f"{len(zh_ids)}-{len(en_ids)}" or row.get("bead_type") not in {t.value for t in BeadType}:
            problems.append(Problem(beads.path, number, "bead_type", f"{row.get('bead_type')!r} does not match {len(zh_ids)} zh and {len(en_ids)} en units"))
        for unit in zh_ids + en_ids:
            if unit in covered:
                problems.append(Problem(beads.path, number, "zh_ids" if unit in zh_ids else "en_ids", f"{unit!r} is already in the bead on line {covered[unit]}"))
            covered.setdefault(unit, number)
    for number, row in units.rows:
        uid, lang = row.get("id"), row.get("language")
        bead = by_id.get(row.get("bead_id"))
        if bead is None:
            problems.append(Problem(units.path, number, "bead_id", f"no bead {row.get('bead_id')!r} in {beads.path}"))
            continue
        own, other = ("zh_ids", "en_ids") if lang == "zh" else ("en_ids", "zh_ids")
        if uid not in (bead.get(own) or []):
            problems.append(Problem(units.path, number, "bead_id", f"bead {bead.get('id')!r} does not list {uid!r}"))
        if row.get("aligned_ids") != bead.get(other):
            problems.append(Problem(units.path, number, "aligned_ids", f"{row.get('aligned_ids')} differs from bead {bead.get('id')!r}: {bead.get(other)}"))
        if uid not in covered:
            problems.append(Problem(units.path, number, "id", f"{uid!r} is in no bead of {beads.path}"))
    return problems


def partition_problems(regions: LoadedConfig, paragraphs: LoadedConfig, raw: str) -> list[Problem]:
    """The regions cover the raw capture exactly, in order, and the kept ones are exactly
    the Chinese paragraphs."""
    problems, expected = [], 0
    for number, row in regions.rows:
        start, end = row.get("raw_start"), row.get("raw_end")
        if start != expected:
            problems.append(Problem(regions.path, number, "raw_start", f"is {start}, expected {expected}: regions must tile the capture"))
        if not isinstance(end, int) or not isinstance(start, int) or end <= start:
            problems.append(Problem(regions.path, number, "raw_end", f"empty or reversed region [{start}, {end})"))
            continue
        if row.get("kept") != (row.get("reason") == "body"):
            problems.append(Problem(regions.path, number, "kept", "kept must be true exactly for reason 'body'"))
        expected = end
    if expected != len(raw):
        problems.append(Problem(regions.path, len(regions.rows) + 1, "raw_end", f"regions end at {expected}, the capture has {len(raw)} characters"))
    kept = {(row.get("raw_start"), row.get("raw_end"), row.get("paragraph_id")) for _, row in regions.rows if row.get("kept")}
    zh = {(row.get("raw_start"), row.get("raw_end"), row.get("id")) for _, row in paragraphs.rows if row.get("language") == "zh"}
    for number, row in paragraphs.rows:
        key = (row.get("raw_start"), row.get("raw_end"), row.get("id"))
        if row.get("language") == "zh" and key not in kept:
            problems.append(Problem(paragraphs.path, number, "raw_start", f"paragraph {row.get('id')!r} is not a kept region of {regions.path}"))
    for number, row in regions.rows:
        key = (row.get("raw_start"), row.get("raw_end"), row.get("paragraph_id"))
        if row.get("kept") and key not in zh:
            problems.append(Problem(regions.path, number, "paragraph_id", f"kept region is no Chinese paragraph of {paragraphs.path}"))
    return problems


def chrome_lines(raw: str, regions: LoadedConfig) -> list[str]:
    reasons = {r.value for r in CHROME_REASONS}
    lines = []
    for _, row in regions.rows:
        if row.get("reason") in reasons and isinstance(row.get("raw_start"), int) and isinstance(row.get("raw_end"), int):
            lines += [line.strip() for line in raw[row["raw_start"]:row["raw_end"]].split("\n")]
    return sorted({line for line in lines if len(line) >= CHROME_MIN_LINE})


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def chrome_problems(configs: list[LoadedConfig], lines: list[str]) -> list[Problem]:
    problems = []
    for config in configs:
        for number, row in config.rows:
            for key, value in row.items():
                text = "\n".join(_strings(value))
                for line in lines:
                    if line in text:
                        problems.append(Problem(config.path, number, key, f"page chrome reached the data: {line[:40]!r}"))
    return problems


def fresh_build_problems(loader_dir: Path, built: BuiltDocument) -> list[Problem]:
    problems = []
    for relative, data in sorted(render_loader(built).items()):
        path = Path(loader_dir) / relative
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, None, "missing; run `bicorpus build`"))
            continue
        committed = path.read_bytes()
        if committed != data:
            old, new = committed.decode("utf-8", "replace").split("\n"), data.decode("utf-8", "replace").split("\n")
            line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
            problems.append(Problem(shown, line, None, "differs from a fresh build; run `bicorpus build` (first difference on this line)"))
    return problems


def loader_problems(loader_dir: Path, built: BuiltDocument) -> list[Problem]:
    """All checks of the committed loader folder of one document."""
    problems, configs = [], {}
    for name, row_type in config_types(built.rows).items():
        config, read = read_config(loader_dir, name)
        problems += read
        if config is not None:
            configs[name] = config
            problems += schema_problems(config, row_type) + id_problems(config) + empty_problems(config)
    raw = built.sources.capture.text
    documents = configs.get("documents")
    doc_texts = {}
    if documents and documents.rows:
        row = documents.rows[0][1]
        doc_texts = {lang.value: row.get(f"{lang.value}_text") or "" for lang in Language}
    for name in ("paragraphs", "sentences"):
        if name in configs:
            problems += offset_problems(configs[name], doc_texts, raw)
    for units, beads in (("paragraphs", "paragraph_translation"), ("sentences", "translation")):
        if units in configs and beads in configs:
            problems += alignment_problems(configs[units], configs[beads])
    if "capture_regions" in configs and "paragraphs" in configs:
        problems += partition_problems(configs["capture_regions"], configs["paragraphs"], raw)
        problems += chrome_problems(list(configs.values()), chrome_lines(raw, configs["capture_regions"]))
    problems += fresh_build_problems(loader_dir, built)
    return problems
