"""The loader's dataset card: YAML (configs, features, splits) derived from the schema, and
prose from `templates/card.md` filled with real figures and real records."""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from string import Template

import yaml

from .features import features_of, field_table, row_to_json
from .schema import ANNOTATION_CONFIGS, CONFIGS, DEFAULT_CONFIG, Language

EXAMPLE_TEXT_LIMIT = 160


def card_yaml(built, checksums: dict[str, str]) -> dict:
    import datasets

    configs, infos = [], []
    every = {**CONFIGS, **ANNOTATION_CONFIGS}
    for name in built.rows:
        row_type, description = every[name]
        path = f"data/{name}.jsonl"
        entry = {"config_name": name}
        if name == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": "train", "path": path}]
        # datasets keys its cache of a local folder on these YAML entries, not on the files'
        # contents: the checksum in the description makes changed data a cache miss.
        entry["description"] = f"{description} Data sha256 {checksums[path]}."
        configs.append(entry)
        splits = datasets.SplitDict()
        splits.add(datasets.SplitInfo(name="train", num_examples=len(built.rows[name])))
        info = datasets.DatasetInfo(features=features_of(row_type), splits=splits, config_name=name)._to_yaml_dict()
        for split in info["splits"]:
            split.pop("num_bytes", None)  # not measured; num_examples is what guards the cache
        infos.append(info)
    return {
        "pretty_name": f"{built.sources.metadata['title_zh']} (zh-en aligned, {built.doc_id})",
        "language": ["zh", "en"],
        "multilinguality": ["translation"],
        "license": "other",
        "license_name": "mixed-see-card",
        "size_categories": ["n<1K"],
        "task_categories": ["translation", "token-classification"],
        "tags": ["parallel-corpus", "sentence-alignment", "paragraph-alignment", "chinese", "claims"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found", "expert-generated"],
        "source_datasets": ["original"],
        "configs": configs,
        "dataset_info": infos,
    }


def _shorten(value):
    if isinstance(value, str) and len(value) > EXAMPLE_TEXT_LIMIT:
        return value[:EXAMPLE_TEXT_LIMIT] + f"… [{len(value)} characters, shortened here]"
    if isinstance(value, list) and len(value) > 12:
        return value[:12] + [f"… [{len(value)} items, shortened here]"]
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def example_record(rows) -> str:
    """The middle row of a config, long strings and lists shortened for display."""
    row = row_to_json(rows[len(rows) // 2])
    return json.dumps({k: _shorten(v) for k, v in row.items()}, ensure_ascii=False, indent=2)


def _table(header: list[str], body: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def figures(built) -> str:
    rows = built.rows
    body = []
    for lang in (Language.ZH, Language.EN):
        paragraphs = [p for p in rows["paragraphs"] if p.language is lang]
        kinds = Counter(p.kind.value for p in paragraphs)
        sentences = [s for s in rows["sentences"] if s.language is lang]
        chars = sum(len(p.text) for p in paragraphs)
        body.append([lang.value, len(paragraphs), kinds.get("heading", 0), len(sentences),
                     sum(len(s.tokens) for s in sentences), chars])
    units = _table(["language", "paragraphs", "of which headings", "sentences", "tokens", "characters"], body)
    beads = []
    for config, label in (("paragraph_translation", "paragraph"), ("translation", "sentence")):
        counts = Counter(b.bead_type.value for b in rows[config])
        beads.append([label, len(rows[config])] + [counts.get(t, 0) for t in ("1-1", "1-2", "2-1", "2-2", "1-0", "0-1")])
    bead_table = _table(["level", "beads", "1-1", "1-2", "2-1", "2-2", "1-0", "0-1"], beads)
    regions = Counter()
    for r in rows["capture_regions"]:
        regions[r.reason.value] += r.raw_end - r.raw_start
    region_table = _table(["reason", "characters of the capture"], [[k, v] for k, v in sorted(regions.items())])
    return "\n\n".join([units, bead_table, region_table])


def render_card(built, checksums: dict[str, str], version: str) -> str:
    meta = built.sources.metadata
    header = "---\n" + yaml.safe_dump(card_yaml(built, checksums), sort_keys=False, allow_unicode=True, width=1000) + "---\n"
    config_sections = []
    every = {**CONFIGS, **ANNOTATION_CONFIGS}
    for name in built.rows:
        row_type, description = every[name]
        default = " (default)" if name == DEFAULT_CONFIG else ""
        config_sections.append(
            f"### `{name}`{default}\n\n{description} {len(built.rows[name])} rows, file `data/{name}.jsonl`.\n\n"
            f"{field_table(row_type)}\n\nA real record (the middle row):\n\n```json\n{example_record(built.rows[name])}\n```\n"
        )
    signature = _table(["file", "sha256"], [[f"`{p}`", f"`{h}`"] for p, h in sorted(checksums.items())])
    template = Template(files("bicorpus").joinpath("templates/card.md").read_text(encoding="utf-8"))
    body = template.substitute(
        doc_id=built.doc_id,
        title_zh=meta["title_zh"],
        title_en=meta["title_en"],
        original_title=meta["original_title"],
        original_author=meta["original_author"],
        original_publication=meta["original_publication"],
        original_url=meta["original_url"],
        zh_publisher=meta["zh_publisher"],
        zh_published=meta["zh_published"],
        rights=meta["rights"],
        card_rationale=meta["card_rationale"].strip(),
        card_personal_information=meta["card_personal_information"].strip(),
        card_limitations=meta["card_limitations"].rstrip(),
        capture_sha256=meta["capture_sha256"],
        cleaner=meta["cleaner"],
        figures=figures(built),
        configs="\n".join(config_sections),
        signature=signature,
        version=version,
        n_sentence_beads=len(built.rows["translation"]),
    )
    return header + body
