"""The loader's dataset card: YAML (configs, features, splits) derived from the schema, and
prose from the package's `templates/card.md` (in src/bicorpus/templates/) filled with real
figures and real records."""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from string import Template

import yaml

from ..features import features_of, field_table, row_to_json
from ..schema import DEFAULT_CONFIG, Language, all_configs
from .markdown import table
from .stats import tables

EXAMPLE_TEXT_LIMIT = 160


def card_yaml(built, checksums: dict[str, str]) -> dict:
    import datasets

    configs, infos = [], []
    every = all_configs()
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
    units = table(["language", "paragraphs", "of which headings", "sentences", "tokens", "characters"], body)
    beads = []
    for config, label in (("paragraph_translation", "paragraph"), ("translation", "sentence")):
        counts = Counter(b.bead_type.value for b in rows[config])
        beads.append([label, len(rows[config])] + [counts.get(t, 0) for t in ("1-1", "1-2", "2-1", "2-2", "1-0", "0-1")])
    bead_table = table(["level", "beads", "1-1", "1-2", "2-1", "2-2", "1-0", "0-1"], beads)
    regions = Counter()
    for r in rows["capture_regions"]:
        regions[r.reason.value] += r.raw_end - r.raw_start
    region_table = table(["reason", "characters of the capture"], [[k, v] for k, v in sorted(regions.items())])
    return "\n\n".join([units, bead_table, region_table])


def citation(built, version: str) -> str:
    """BibTeX for the dataset and the original article, shared by the card and Croissant."""
    meta = built.sources.metadata
    return (f"@misc{{bicorpus_{built.doc_id},\n"
            f"  title  = {{{{{meta['title_en']}}}: a Chinese--English aligned article corpus}},\n"
            f"  note   = {{Chinese text: {meta['zh_publisher']} ({meta['zh_published']}). English text: translation of the "
            f"Chinese by the bicorpus project. Built with bicorpus {version}}},\n"
            f"  year   = {{2026}}\n}}\n"
            f"@misc{{original_{built.doc_id},\n"
            f"  author = {{{meta['original_author']}}},\n"
            f"  title  = {{{meta['original_title']}}},\n"
            f"  howpublished = {{{meta['original_publication']}}},\n"
            f"  url    = {{{meta['original_url']}}},\n"
            f"  year   = {{2022}}\n}}")


def statistics_section(built, plots: list[str]) -> str:

    captions = {"claims_by_section.svg": "Claims per section by hedge level, in both languages",
                "number_units.svg": "Number mentions by unit", "bead_types.svg": "Gold alignment beads by type",
                "length_ratio.svg": "English/Chinese length ratio per paragraph bead"}
    images = "\n\n".join(f"![{captions.get(p.split('/')[-1], p)}]({p})" for p in plots)
    return ("## Statistics\n\nCharts and tables from `bicorpus stats` (the same code; byte-identical SVG).\n\n"
            + images + "\n\n" + tables(built))


def render_card(built, checksums: dict[str, str], version: str, plots: list[str] = ()) -> str:
    meta = built.sources.metadata
    header = "---\n" + yaml.safe_dump(card_yaml(built, checksums), sort_keys=False, allow_unicode=True, width=1000) + "---\n"
    config_sections = []
    every = all_configs()
    for name in built.rows:
        row_type, description = every[name]
        default = " (default)" if name == DEFAULT_CONFIG else ""
        config_sections.append(
            f"### `{name}`{default}\n\n{description} {len(built.rows[name])} rows, file `data/{name}.jsonl`.\n\n"
            f"{field_table(row_type)}\n\nA real record (the middle row):\n\n```json\n{example_record(built.rows[name])}\n```\n"
        )
    signature = table(["file", "sha256"], [[f"`{p}`", f"`{h}`"] for p, h in sorted(checksums.items())])
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
        annotation=annotation_section(built),
        citation=citation(built, version),
        statistics=statistics_section(built, list(plots)),
    )
    return header + body


def _counts_table(header: str, rows_by_language: dict, key) -> str:
    counts = {lang: Counter(key(r) for r in rows) for lang, rows in rows_by_language.items()}
    labels = sorted(set().union(*counts.values()))
    body = [[f"`{label}`"] + [counts[lang].get(label, 0) for lang in rows_by_language] for label in labels]
    body.append(["**total**"] + [sum(counts[lang].values()) for lang in rows_by_language])
    return table([header] + list(rows_by_language), body)


def annotation_section(built) -> str:
    """The card's claim-annotation section: distributions, a worked example, notes, outcomes."""
    rows = built.rows
    if "claims" not in rows:
        return "## Claim Annotation\n\nThis document has no claim annotation yet: its sentences say `not_annotated`.\n"
    claims = rows["claims"]
    both = {"zh": claims, "en": claims}
    mentions = {lang: [m for m in rows["mentions"] if m.language.value == lang] for lang in ("zh", "en")}
    parts = ["## Claim Annotation",
             "Every claim is annotated in both languages (one row of `claims` holds both spans), so claim-level labels "
             "count the same on each side; the spans inside claims are counted per language. The labels are defined in "
             "`annotations/guidelines.md`.",
             "### Claims by type, hedge level, polarity and source",
             _counts_table("claim type", both, lambda c: c.claim_type.value),
             _counts_table("hedge (FactBank)", both, lambda c: f"{c.hedge.value} ({c.factbank[:2]})"),
             _counts_table("polarity", both, lambda c: c.polarity.value),
             _counts_table("innermost source", both, lambda c: c.source),
             "### Spans by layer and label",
             _counts_table("entity type", {k: [m for m in v if m.layer.value == "entity"] for k, v in mentions.items()}, lambda m: m.label),
             _counts_table("number unit", {k: [m for m in v if m.layer.value == "number"] for k, v in mentions.items()}, lambda m: m.label),
             _counts_table("cue class", {k: [m for m in v if m.layer.value == "cue"] for k, v in mentions.items()}, lambda m: m.label),
             f"The entity inventory (`entities`) has {len(rows['entities'])} entries."]
    example = next((c for c in claims if c.zh_numbers and c.zh_cues and c.source != "author"), claims[0])
    parts += ["### A worked example",
              f"Claim `{example.id}` ({example.claim_type.value}, source chain {' > '.join(example.source_chain)}, "
              f"author stance `{example.author_stance.value}`, hedge `{example.hedge.value}`, polarity "
              f"`{example.polarity.value}`, FactBank `{example.factbank}`):",
              "\n".join([
              f"- zh `[{example.zh_start}:{example.zh_end}]` {example.zh_text}",
              f"- en `[{example.en_start}:{example.en_end}]` {example.en_text}",
              "- cues: " + "; ".join(f"{c.text} ({c.cue_class.value}, {c.effect.value})" for c in example.zh_cues + example.en_cues),
              "- entities: " + "; ".join(f"{e.text} → `{e.entity_id}`" for e in example.zh_entities + example.en_entities),
              "- numbers: " + "; ".join(f"{n.text} = {_number_text(n)} {n.unit.value}" for n in example.zh_numbers + example.en_numbers),
              f"- outcome: `{example.outcome.value}`" + (f" ({example.outcome_evidence})" if example.outcome_evidence else "")])]
    parts += ["### Translation notes",
              "Where the Chinese text has a typo, an error, an ambiguity or a hedge that differs from elsewhere in the "
              "article. Notes describe the Chinese; none asserts what the English original says.",
              table(["id", "kind", "Chinese", "English rendering", "explanation"],
                     [[f"`{n.id.split('/')[-1]}`", n.kind.value, n.zh_text, n.en_text, n.explanation.replace("|", "\\|")]
                      for n in rows["translation_notes"]])]
    assessed = [c for c in claims if c.outcome_evidence]
    outcome_counts = Counter(c.outcome.value for c in assessed)
    as_of = sorted({c.outcome_as_of for c in assessed})
    parts += ["### Prediction outcomes",
              f"Each prediction about GPT-4 has an outcome from the public record as of {', '.join(as_of)}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(outcome_counts.items())) + ". These are facts added beyond the "
              "article; each carries its sources (column `outcome_sources`).",
              table(["claim", "outcome", "English", "evidence"],
                     [[f"`{c.id.split('/')[-1]}`", c.outcome.value, c.en_text, c.outcome_evidence.replace("|", "\\|")]
                      for c in assessed if c.outcome.value != "undetermined"])
              + f"\n\n{outcome_counts.get('undetermined', 0)} further predictions are `undetermined`: the public record "
                "does not settle them (OpenAI has not published GPT-4's size, density, training compute or data)."]
    parts += [baseline_section(built)]
    return "\n\n".join(parts) + "\n"


def baseline_section(built) -> str:
    from ..extraction.baseline import RULES
    from ..extraction.evaluate import SUMMARY_HEADER, baseline_result, summary_rows

    return "\n\n".join([
        "### Baseline results",
        f"The first row of results on this corpus: the rule-based baseline `{RULES}` (spaCy span rules over the entity "
        "inventory and cue lexicon, the number normalizer, cue-based hedge levels; claims predicted per sentence). "
        "Reproduce with:",
        f"```bash\nbicorpus extract --doc {built.doc_id} --out predictions.jsonl\n"
        f"bicorpus evaluate --doc {built.doc_id} --pred predictions.jsonl --json scores.json\n```",
        table(SUMMARY_HEADER, summary_rows(baseline_result(built))),
        "Read these numbers with care. Exact claim spans are low by design: the baseline predicts whole sentences, "
        "while gold claims are clauses where a sentence holds several; claim-sentence F1 is high because almost every "
        "non-heading sentence holds a claim. Gold entity and cue mentions were pre-located with the same inventory and "
        "lexicon the baseline uses (then reviewed), so their scores mostly measure the reviewed rejections, not "
        "discovery. Hedge accuracy compares each gold claim with the prediction for its sentence.",
    ])


def _number_text(n) -> str:
    if n.value is not None:
        return f"{n.value:g}"
    if n.low is not None:
        return f"{n.low:g}–{n.high:g}"
    return "(vague)"
