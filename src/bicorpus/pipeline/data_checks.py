"""Checks of data rows as a user loads them (JSON objects, one per line of a config's data
file): types against the schema, ids, empty texts, offsets that index the texts, beads that
cover their units, capture regions that tile the capture, no page chrome in the data.

`document_data_problems` runs them on one built document's own rows, as part of its input
checks (cached with it and run on the build's engine), together with `arrow_problems`: its
lines parsed into the card's Arrow features the way `datasets` parses a JSON Lines file, so that
a loader made of checked documents needs no full load of every row to prove it loads;
`publishing.loader_checks` runs the same functions on a loader folder's files, line by line.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import lru_cache

from ..features import _resolved_hints, row_to_json, value_fits
from ..problems import Problem, error_text
from ..schema import CHROME_REASONS, Bead, Language
from .build import BuiltDocument, config_types

CHROME_MIN_LINE = 6  # shorter chrome lines ("关注", "回复", "发布") are ordinary words
@dataclass(frozen=True)
class LoadedConfig:
    name: str
    path: str
    rows: list  # (1-based line, dict)


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
        # one search of each line in the whole config first: the rows are read one by one only
        # where some line is found (a line never spans two rows: they are joined by a NUL)
        everything = "\0".join(text for _, row in config.rows for value in row.values() for text in _strings(value))
        if not any(line in everything for line in lines):
            continue
        for number, row in config.rows:
            for key, value in row.items():
                text = "\n".join(_strings(value))
                for line in lines:
                    if line in text:
                        problems.append(Problem(config.path, number, key, f"page chrome reached the data: {line[:40]!r}"))
    return problems


def _by_doc(config: LoadedConfig, key: str = "doc_id") -> dict[str, LoadedConfig]:
    out: dict[str, list] = {}
    for number, row in config.rows:
        out.setdefault(row.get(key) if key != "id" else row.get("id"), []).append((number, row))
    return {doc: LoadedConfig(config.name, config.path, rows) for doc, rows in out.items()}


def document_problems_of(doc: str, configs: dict[str, LoadedConfig], no_document: list[LoadedConfig],
                         doc_texts: dict[str, str], raw: dict[str, str]) -> list[Problem]:
    """The checks of one document's rows (`configs`: config -> that document's rows;
    `no_document`: the rows of no document, the entity inventory, which a capture's chrome
    must not reach either: on a loader folder, the whole inventory; on one document's own
    rows, the inventory entries that document ships)."""
    problems = []
    for name in ("paragraphs", "sentences"):
        if name in configs:
            problems += offset_problems(configs[name], doc_texts, raw)
    for units, beads in (("paragraphs", "paragraph_translation"), ("sentences", "translation")):
        if units in configs and beads in configs:
            problems += alignment_problems(configs[units], configs[beads])
    regions = configs.get("capture_regions")
    if regions is not None and regions.rows and "paragraphs" in configs:
        capture = raw["zh"]
        problems += partition_problems(regions, configs["paragraphs"], capture)
        problems += chrome_problems(list(configs.values()) + list(no_document), chrome_lines(capture, regions))
    return problems


@lru_cache(maxsize=None)
def _arrow_schema(row_type: type):
    from ..features import features_of

    return features_of(row_type).arrow_schema


def arrow_problems(where: str, data: bytes, row_type: type) -> list[Problem]:
    """JSON Lines parsed as `datasets` does for a JSON data file with the card's features
    (`datasets.packaged_modules.json`: pyarrow's JSON reader, then a cast to the features'
    Arrow schema, a missing column as nulls), or the one problem that stops them."""
    import io

    import pyarrow as pa
    import pyarrow.json as paj
    from datasets.table import table_cast

    if not data:
        return []
    schema = _arrow_schema(row_type)
    try:
        table = paj.read_json(io.BytesIO(data), read_options=paj.ReadOptions(block_size=max(len(data), 1 << 20)))
        for name in schema.names:
            if name not in table.column_names:
                table = table.append_column(name, pa.array([None] * len(table), type=schema.field(name).type))
        table_cast(table, schema)
    except (pa.ArrowException, TypeError, ValueError, KeyError) as err:
        # pyarrow says where it failed on the first line and, for a cast, why on the last
        return [Problem(where, None, None, f"does not load with the card's features ({error_text(err, last_line=True)})")]
    return []


def _own_id(config: str, row_id, doc: str) -> bool:
    return config == "entities" or row_id == doc or (isinstance(row_id, str) and row_id.startswith(doc + "/"))


def document_data_problems(built: BuiltDocument) -> list[Problem]:
    """Every check of the loader's rows, on this document's own lines of each config, and that
    each row id is the document's own (`<doc>/...`), so that ids stay unique across the
    documents of a collection. A problem names the document's rows of a config and the row's
    number among them: where they land in a data file depends on the other documents."""
    doc = built.doc_id
    types = config_types(built.rows)
    configs, problems = {}, []
    for name in built.rows:
        where = f"rows of {doc} in config {name}"
        if name == "entities":  # the shared inventory: the collection writes it once, from these rows
            rows = [row_to_json(r) for r in built.rows[name]]
        else:  # the very lines the data file gets
            rows = [json.loads(line) for line in built.data_of(name).split(b"\n")[:-1]]
            problems += arrow_problems(where, built.data_of(name), types[name])
        config = LoadedConfig(name, where, list(enumerate(rows, start=1)))
        configs[name] = config
        problems += schema_problems(config, types[name]) + id_problems(config) + empty_problems(config)
        problems += [Problem(where, n, "id", f"{row.get('id')!r} is not an id of document {doc!r} ('{doc}/...')")
                     for n, row in config.rows if not _own_id(name, row.get("id"), doc)]
    document = next(iter(configs["documents"].rows), (None, {}))[1] if "documents" in configs else {}
    doc_texts = {lang.value: document.get(f"{lang.value}_text") or "" for lang in Language}
    raw = {lang.value: built.sources.sides[lang][0].text for lang in Language}
    entities = configs.pop("entities", None)
    return problems + document_problems_of(doc, configs, [entities] if entities is not None else [], doc_texts, raw)

