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
from ..pipeline.build import config_types, data_path
from ..problems import Problem, display_path
from ..schema import CHROME_REASONS, Bead, Language
from .render import render_loader

CHROME_MIN_LINE = 6  # shorter chrome lines ("关注", "回复", "发布") are ordinary words


@dataclass(frozen=True)
class LoadedConfig:
    name: str
    path: str
    rows: list  # (1-based line, dict)


def read_config(loader_dir: Path, name: str, relative: str | None = None) -> tuple[Optional["LoadedConfig"], list[Problem]]:
    path = Path(loader_dir) / (relative or data_path(name))
    shown = display_path(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, f"data file of config {name!r} is missing")]
    rows, problems = [], []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(shown, None, None, f"not valid UTF-8 ({err.reason})")]
    for number, line in enumerate(text.split("\n")[:-1], start=1):
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


def offset_problems(config: LoadedConfig, doc_texts: dict[str, str], raw: dict[str, str]) -> list[Problem]:
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
        rs, re_ = row.get("raw_start"), row.get("raw_end")
        source = raw.get(lang, "")
        if rs is not None or re_ is not None:
            if not (isinstance(rs, int) and isinstance(re_, int)) or source[rs:re_] != text:
                problems.append(Problem(config.path, number, "raw_start", f"the raw {lang} source[{rs}:{re_}] does not equal text"))
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
        if row.get("bead_type") != Bead(tuple(zh_ids), tuple(en_ids)).bead_type.value:
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


def fresh_build_problems(loader_dir: Path, collection) -> list[Problem]:
    fetched = any(side.package for b in getattr(collection, "documents", (collection,))
                  for side in (b.sources.metadata.zh, b.sources.metadata.en))
    command = f"bicorpus fetch {collection.doc_id}" if fetched else "bicorpus build"
    problems = []
    rendered = render_loader(collection)
    for relative, data in sorted(rendered.items()):
        path = Path(loader_dir) / relative
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, None, f"missing; run `{command}`"))
            continue
        committed = path.read_bytes()
        if committed != data:
            old, new = committed.decode("utf-8", "replace").split("\n"), data.decode("utf-8", "replace").split("\n")
            line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
            problems.append(Problem(shown, line, None, f"differs from a fresh build; run `{command}` (first difference on this line)"))
    return problems + stray_file_problems(loader_dir, rendered, command)


def stray_file_problems(loader_dir: Path, rendered: dict, command: str) -> list[Problem]:
    """Files in the loader folder that a fresh build does not write (a leftover `.tmp`), and
    staging folders an interrupted build left beside it."""
    from ..files import leftovers

    loader_dir = Path(loader_dir)
    stray = [p for p in sorted(loader_dir.rglob("*")) if p.is_file() and p.relative_to(loader_dir).as_posix() not in rendered]
    return ([Problem(display_path(p), None, None, f"not written by the build; run `{command}`, which replaces the folder whole")
             for p in stray]
            + [Problem(display_path(p), None, None, f"left by an interrupted build; `{command}` removes it") for p in leftovers(loader_dir)])


def _by_doc(config: LoadedConfig, key: str = "doc_id") -> dict[str, LoadedConfig]:
    out: dict[str, list] = {}
    for number, row in config.rows:
        out.setdefault(row.get(key) if key != "id" else row.get("id"), []).append((number, row))
    return {doc: LoadedConfig(config.name, config.path, rows) for doc, rows in out.items()}


def loader_problems(loader_dir: Path, collection) -> list[Problem]:
    """All checks of a loader folder: every data file of every split, document by document."""
    from ..pipeline.collection import BuiltCollection, single
    from .render import data_files

    if not isinstance(collection, BuiltCollection):
        collection = single(collection)
    problems = []
    types = config_types(collection.rows)
    for split in collection.splits:
        configs = {}
        for name, by_split in data_files(collection).items():
            if split not in by_split:
                continue
            config, read = read_config(loader_dir, name, by_split[split])
            problems += read
            if config is not None:
                configs[name] = config
                problems += schema_problems(config, types[name]) + id_problems(config) + empty_problems(config)
        documents = {row.get("id"): row for _, row in configs["documents"].rows} if "documents" in configs else {}
        # rows grouped by document once per split, so that the checks stay linear in the documents
        grouped = {name: _by_doc(config, "id" if name == "documents" else "doc_id") for name, config in configs.items()}
        for built in collection.documents:
            if built.sources.metadata.split != split:
                continue
            doc = built.doc_id
            row = documents.get(doc, {})
            doc_texts = {lang.value: row.get(f"{lang.value}_text") or "" for lang in Language}
            raw = {lang.value: built.sources.sides[lang][0].text for lang in Language}
            per_doc = {name: grouped[name].get(doc, LoadedConfig(name, config.path, [])) for name, config in configs.items()
                       if name in ("paragraphs", "sentences", "translation", "paragraph_translation", "capture_regions")}
            for name in ("paragraphs", "sentences"):
                if name in per_doc:
                    problems += offset_problems(per_doc[name], doc_texts, raw)
            for units, beads in (("paragraphs", "paragraph_translation"), ("sentences", "translation")):
                if units in per_doc and beads in per_doc:
                    problems += alignment_problems(per_doc[units], per_doc[beads])
            if "capture_regions" in per_doc and per_doc["capture_regions"].rows and "paragraphs" in per_doc:
                capture = raw["zh"]
                problems += partition_problems(per_doc["capture_regions"], per_doc["paragraphs"], capture)
                # a capture's chrome can only reach its own document's rows and the rows of no document (entities)
                own = [LoadedConfig(name, config.path, (grouped[name][doc].rows if doc in grouped[name] else [])
                                    + (grouped[name][None].rows if None in grouped[name] else []))
                       for name, config in configs.items()]
                problems += chrome_problems(own, chrome_lines(capture, per_doc["capture_regions"]))
    problems += fresh_build_problems(loader_dir, collection)
    return problems
