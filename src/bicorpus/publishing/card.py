"""The loader's dataset card: YAML (configs, features, splits) derived from the schema, and
prose from the package's `templates/card.md` (in src/bicorpus/templates/) filled with real
figures and real records."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path
from string import Template

import yaml

from ..features import features_of, field_table
from ..schema import DEFAULT_CONFIG, BeadStatus, BeadType, Language, SideRole, all_configs
from .markdown import cell, plain, table
from .stats import tables

EXAMPLE_TEXT_LIMIT = 160
AGREEMENT_RESULTS = Path("benchmarks") / "results" / "agreement.json"  # written by benchmarks/agreement.py


def card_yaml(collection, checksums: dict[str, str], paths: dict) -> dict:
    import datasets

    configs, infos = [], []
    every = all_configs()
    for name in collection.configs:
        row_type, description = every[name]
        entry = {"config_name": name}
        if name == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": split, "path": path} for split, path in paths[name].items()]
        # datasets keys its cache of a local folder on these YAML entries, not on the files'
        # contents: the checksum in the description makes changed data a cache miss.
        entry["description"] = f"{description} Data sha256 " + ", ".join(checksums[p] for p in paths[name].values()) + "."
        configs.append(entry)
        # no `splits`: without num_bytes (an Arrow size the build does not measure) datasets warns
        # on every load that the field is malformed; the data checksum above guards the cache
        infos.append(datasets.DatasetInfo(features=features_of(row_type), config_name=name)._to_yaml_dict())
    n_docs = len(collection.documents)
    size = size_category(max(sum(collection.count(c, split) for split in collection.splits_of(c)) for c in collection.configs))
    # the texts are found (published by others) unless this project wrote a side
    ours = any(b.metadata.side(lang).role is SideRole.PROJECT_TRANSLATION for b in collection.documents for lang in Language)
    return {
        "pretty_name": (f"{collection.title} (zh-en aligned, {collection.name})" if n_docs == 1
                        else f"{collection.title} (zh-en aligned, {n_docs} documents)"),
        "language": ["zh", "en"],
        "multilinguality": ["translation"],
        "license": "other",
        "license_name": "mixed-see-card",
        "license_link": LICENCE_FILE,
        "size_categories": [size],
        "task_categories": ["translation", "token-classification"],
        "tags": ["parallel-corpus", "sentence-alignment", "paragraph-alignment", "chinese", "claims"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found", "expert-generated"] if ours else ["found"],
        "source_datasets": ["original"],
        "configs": configs,
        "dataset_info": infos,
    }


SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


def size_category(rows: int) -> str:
    """The Hugging Face size category of the loader's largest config."""
    return next((name for limit, name in SIZE_CATEGORIES if rows < limit), "1M<n<10M")


def _shorten(value):
    if isinstance(value, str) and len(value) > EXAMPLE_TEXT_LIMIT:
        return value[:EXAMPLE_TEXT_LIMIT] + f"… [{len(value)} characters, shortened here]"
    if isinstance(value, list) and len(value) > 12:
        return value[:12] + [f"… [{len(value)} items, shortened here]"]
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def example_record(collection, config: str) -> str:
    """The middle row of a config, long strings and lists shortened for display."""
    row = collection.row_json(config, collection.count(config) // 2)
    # a backtick fence in a text must not close the code block: written as the JSON escape \u0060
    return json.dumps({k: _shorten(v) for k, v in row.items()}, ensure_ascii=False, indent=2).replace("`", "\\u0060")


def figures(collection) -> str:
    tally = collection.tally
    body = []
    for lang in ("zh", "en"):
        body.append([lang] + [tally.get((key, lang), 0) for key in ("paragraphs", "headings", "sentences", "tokens", "characters")])
    units = table(["language", "paragraphs", "of which headings", "sentences", "tokens", "characters"], body)
    beads = []
    for config, label in (("paragraph_translation", "paragraph"), ("translation", "sentence")):
        beads.append([label, collection.count(config)] + [tally.get(("bead_type", config, t.value), 0) for t in BeadType]
                     + [tally.get(("bead_status", config, st.value), 0) for st in BeadStatus])
    bead_table = ("Bead types count the translation pairs; an untranslated bead (the Chinese repeats the English) "
                  "counts under its status only.\n\n"
                  + table(["level", "beads"] + [t.value for t in BeadType] + [st.value for st in BeadStatus], beads))
    if "capture_regions" not in collection.configs:
        return "\n\n".join([units, bead_table])
    regions = sorted((key[1], n) for key, n in tally.items() if key[0] == "region_characters")
    region_table = table(["reason", "characters of the capture"], [[k, v] for k, v in regions])
    return "\n\n".join([units, bead_table, region_table])


def _bibkey(doc_id: str) -> str:
    return doc_id.replace("/", "_")


def _bib(value) -> str:
    """A BibTeX value inside the card's code fence: no backtick can close the fence, braces balance."""
    return str(value).replace("`", "'").replace("{", "(").replace("}", ")")


_PERSONAL_NAME = re.compile(r"(?:[A-Z][\w'.-]*\s+){1,3}[A-Z][\w'.-]*")


def _bib_names(value) -> str:
    """An author field: personal names as BibTeX splits them ('Raphaël Hertzog and Roland Mas');
    anything else (a publisher, 'the … translators (…)') braced, so that BibTeX keeps it whole
    instead of reading its last word as a surname."""
    personal = all(_PERSONAL_NAME.fullmatch(part.strip()) for part in str(value).split(" and "))
    return _bib(value) if personal else "{" + _bib(value) + "}"


ADDRESS_KEYS = ("Repository", "Homepage")  # in this order, from [project.urls] of the project's pyproject.toml


def published_address(collection):
    """Where the project is published: `[project.urls]` Repository (or Homepage) of the
    pyproject.toml beside the documents' corpus, or None. No address is ever guessed: a copy
    that nobody has published yet says so in its card."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    root = _single_root(collection.documents)
    if root is None:
        return None
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    from ..problems import CorpusError, Problem, display_path
    from ..sources.metadata import http_address

    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CorpusError(Problem(display_path(path), None, None, f"not valid TOML ({err})")) from None
    urls = project.get("urls", {}) if isinstance(project, dict) else None
    if not isinstance(urls, dict):
        raise CorpusError(Problem(display_path(path), None, "project.urls" if isinstance(project, dict) else "project",
                                  "a table"))
    for key in ADDRESS_KEYS:
        if key in urls:
            try:
                if not isinstance(urls[key], str):
                    raise ValueError("an http(s) address, as a string")
                return http_address(urls[key])
            except ValueError as err:
                raise CorpusError(Problem(display_path(path), None, f"project.urls.{key}", str(err))) from None
    return None


def contact_text(address) -> str:
    if address:
        return f"Questions and corrections: open an issue at <{plain(address)}>."
    return ("This copy has no public address yet: whoever publishes it sets `Repository` under `[project.urls]` in "
            "the project's `pyproject.toml`, and the build puts it here and in the citation's `url`. Until then, "
            "questions and corrections go to whoever gave you this copy.")


def citation(collection, version: str) -> str:
    """BibTeX for the dataset, each document's original work and each side published by people,
    shared by the card and Croissant."""
    address = published_address(collection)
    url = f"  url    = {{{_bib(address)}}},\n" if address else ""
    entries = [f"@misc{{bicorpus_{_bibkey(collection.name)},\n"
               f"  author = {{{{The bicorpus project developers}}}},\n"
               f"  title  = {{{{{_bib(collection.title)}}}: a Chinese--English aligned corpus}},\n"
               f"  note   = {{bicorpus {collection.name}: {len(collection.documents)} document(s). Built with bicorpus {version}}},\n"
               f"{url}"
               f"  year   = {{2026}}\n}}"]
    for built in collection.documents:
        meta = built.metadata
        entries.append(f"@misc{{original_{_bibkey(built.doc_id)},\n"
                       f"  author = {{{_bib_names(meta.original_author)}}},\n"
                       f"  title  = {{{_bib(meta.original_title)}}},\n"
                       f"  howpublished = {{{_bib(meta.original_publication)}}},\n"
                       f"  url    = {{{_bib(meta.original_url)}}}\n}}")
        for lang in ("zh", "en"):
            side = meta.side(Language(lang))
            if side.role.value != "translation":
                continue  # the original is cited above; this project's own translation is part of the dataset
            title = meta.title_zh if lang == "zh" else meta.title_en
            fields = [("author", _bib_names(side.translator)), ("title", _bib(title)), ("howpublished", _bib(side.publisher)),
                      ("year", side.published.year if side.published else None), ("url", _bib(side.address) if side.address else None)]
            entries.append(f"@misc{{{lang}_translation_{_bibkey(built.doc_id)},\n"
                           + ",\n".join(f"  {key:<6} = {{{value}}}" for key, value in fields if value) + "\n}")
    return "\n".join(entries)


def statistics_section(built, plots: list[str]) -> str:

    captions = {"claims_by_section.svg": "Claims per section by hedge level, in both languages",
                "number_units.svg": "Number mentions by unit", "bead_types.svg": "Gold alignment beads by type",
                "length_ratio.svg": "English/Chinese length ratio per paragraph bead"}
    images = "\n\n".join(f"![{captions.get(p.split('/')[-1], p)}]({p})" for p in plots)
    return ("## Statistics\n\nCharts and tables from `bicorpus stats` (the same code; byte-identical SVG).\n\n"
            + images + "\n\n" + tables(built))


ROLE_TEXT = {"original": "original", "translation": "translation by people", "project_translation": "this project's translation"}


def provenance_table(collection) -> str:
    """One row per document and side: what the text is, who made it, under which licence."""
    body = []
    for built in collection.documents:
        meta = built.metadata
        for lang in ("zh", "en"):
            side = meta.side(Language(lang))
            who = side.translator if side.role.value != "original" else (side.author or meta.original_author)
            body.append([f"`{built.doc_id}`", cell(meta.split), lang, ROLE_TEXT[side.role.value], cell(who), cell(side.publisher),
                         cell(side.licence), cell(built.side_sources[lang])])
    return table(["document", "split", "side", "what it is", "written or translated by", "published by", "licence", "source"], body)


LANGUAGE_NAME = {"zh": "Chinese", "en": "English"}


def role_notes(collection) -> str:
    """What the reader must know about each side, said once per document that needs it."""
    notes, real = [], []
    for built in collection.documents:
        meta = built.metadata
        ours = [lang for lang in ("zh", "en") if meta.side(Language(lang)).role.value == "project_translation"]
        if not ours:
            real.append(built.doc_id)
            continue
        for lang in ours:
            other = "en" if lang == "zh" else "zh"
            name = LANGUAGE_NAME[lang]
            notes.append(f"**In `{built.doc_id}` the {name} side is not the {name} original.** It is this project's own "
                         f"faithful translation of the {LANGUAGE_NAME[other]} side, written for this corpus, and every "
                         f"{name} row says so (`text_origin`, `documents.{lang}_origin` = "
                         f"`{lang}_project_translation_of_{other}`). The {name} original is neither included nor used, and "
                         "this translation must never be quoted as its author's words.")
    if real:
        notes.append(f"**In {', '.join(f'`{d}`' for d in real)} both sides are real texts**: an original and its translation "
                     "by people, as published (`text_origin` ends in `_original` or `_published_translation`).")
    return "\n\n".join(notes)


def _said_by(pairs) -> dict[str, list]:
    """Each text of the (who, text) pairs once, in the order first met, with whoever states it."""
    said: dict[str, list] = {}
    for who, text in pairs:
        said.setdefault(text, []).append(who)
    return said


def _per_document(collection, field: str, heading: bool = True) -> str:
    """A metadata text of every document, each different text once: under the documents that state
    it when they are not all of the collection's."""
    by_text = _said_by((b, plain(getattr(b.metadata, field).strip())) for b in collection.documents)
    if not heading or len(by_text) == 1:
        return "\n\n".join(by_text)
    return "\n\n".join(", ".join(f"**`{b.doc_id}`** ({plain(b.metadata.title_en)})" for b in group) + f"\n\n{text}"
                         for text, group in by_text.items())


def _bullets(text: str) -> list[str]:
    """A Markdown list's items, each with the lines that continue it."""
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("- ") or not items:
            items.append(line)
        elif line.strip():
            items[-1] += "\n" + line
    return [item for item in items if item.strip()]


def merged_limitations(documents: list[tuple[str, str]]) -> str:
    """The limitation bullets of every document, each said once, in the order first met: one that
    not every document of the collection states names the documents it is about."""
    said = _said_by((doc_id, item) for doc_id, text in documents for item in _bullets(text))
    everyone = len({doc_id for doc_id, _ in documents})
    return "\n".join(item if len(set(docs)) == everyone else f"{item} ({', '.join(f'`{d}`' for d in dict.fromkeys(docs))})"
                     for item, docs in said.items())


LICENCE_FILE = "LICENSE.md"


def rights_text(collection) -> str:
    """The rights statement of each document, each different one once, with the documents that state it."""
    return "\n\n".join("- " + ", ".join(f"`{b.doc_id}`" for b in group) + f": {text}"
                       for text, group in _said_by((b, plain(b.metadata.rights.strip())) for b in collection.documents).items())


def licence_text(collection) -> str:
    """The loader's LICENSE.md (the card's `license_link`): the licence of each side and the
    rights statement of each document, as document.yaml states them."""
    sides = "\n".join(f"- `{b.doc_id}` {lang}: {plain(b.metadata.side(Language(lang)).licence)}"
                      for b in collection.documents for lang in ("zh", "en"))
    rights = rights_text(collection)
    return (f"# Licences of the loader {collection.name}\n\nThe texts of this loader are under different terms, side by "
            f"side and document by document (the card's provenance table says who made each side).\n\n"
            f"## Licence of each side\n\n{sides}\n\n## Rights in the texts\n\n{rights}\n")


def raw_sources_text(raw: list[str]) -> str:
    """Where `raw_start`/`raw_end` point, said in the card."""
    if not raw:
        return ("No raw source ships with this loader: a side read from a package is not ours to share, and its raw "
                "offsets, where there are any, index the package file named in `documents.zh_source`/`en_source`.")
    return ("The raw source files ship beside the data, so raw offsets resolve from this folder alone: "
            + ", ".join(f"`{path}`" for path in raw) + " (UTF-8, read as Python strings).")


def rows_text(collection, name: str) -> str:
    """'N rows', split by split where the loader has splits (an entity that documents of both
    splits mention is listed in each, so those rows add up to more than the entities)."""
    splits = collection.splits_of(name)
    if len(splits) < 2:
        return f"{collection.count(name)} rows"
    per = [collection.count(name, split) for split in splits]
    text = f"{sum(per)} rows (" + ", ".join(f"{n} {split}" for n, split in zip(per, splits)) + ")"
    if sum(per) != collection.count(name):
        text += f"; {collection.count(name)} different ids, those in both splits listed in each"
    return text


def render_card(collection, checksums: dict[str, str], paths: dict, version: str, plots: list[str] = (),
                raw: list[str] = ()) -> str:
    header = "---\n" + yaml.safe_dump(card_yaml(collection, checksums, paths), sort_keys=False, allow_unicode=True, width=1000) + "---\n"
    config_sections = []
    every = all_configs()
    for name in collection.configs:
        row_type, description = every[name]
        default = " (default)" if name == DEFAULT_CONFIG else ""
        files_text = ", ".join(f"`{path}`" + (f" ({split})" if len(paths[name]) > 1 else "") for split, path in paths[name].items())
        config_sections.append(
            f"### `{name}`{default}\n\n{description} {rows_text(collection, name)}, file {files_text}.\n\n"
            f"{field_table(row_type)}\n\nA real record (the middle row):\n\n```json\n{example_record(collection, name)}\n```\n"
        )
    signature = table(["file", "sha256"], [[f"`{p}`", f"`{h}`"] for p, h in sorted(checksums.items())])
    split_lines = "\n".join(f"- `{split}`: " + ", ".join(f"`{b.doc_id}`" for b in collection.documents if b.metadata.split == split)
                            for split in collection.splits)
    documents_list = "\n".join(f"- `{b.doc_id}`: *{plain(b.metadata.title_zh)}* / *{plain(b.metadata.title_en)}* "
                                f"({plain(b.metadata.original_author)}, {plain(b.metadata.original_publication)}; "
                                f"original in {b.metadata.original_language.value}; claims "
                                f"{plain(b.metadata.claims.replace('_', ' '))})" for b in collection.documents)
    rights = rights_text(collection)
    limitations = merged_limitations([(b.doc_id, plain(b.metadata.card_limitations.rstrip())) for b in collection.documents])
    template = Template(files("bicorpus").joinpath("templates/card.md").read_text(encoding="utf-8"))
    body = template.substitute(
        name=collection.name,
        title=plain(collection.title),
        n_documents=len(collection.documents),
        documents=documents_list,
        role_notes=role_notes(collection),
        provenance=provenance_table(collection),
        splits=split_lines,
        raw_sources=raw_sources_text(list(raw)),
        split_names=", ".join(f"`{s}`" for s in collection.splits),
        card_rationale=_per_document(collection, "card_rationale"),
        card_source_data=_per_document(collection, "card_source_data"),
        card_personal_information=_per_document(collection, "card_personal_information"),
        card_limitations=limitations,
        rights=rights,
        figures=figures(collection),
        configs="\n".join(config_sections),
        signature=signature,
        version=version,
        annotation=annotation_section(collection),
        agreement=agreement_text(collection),
        citation=citation(collection, version),
        contact=contact_text(published_address(collection)),
        statistics=statistics_section(collection, list(plots)),
    )
    return header + body


def _counts_table(header: str, counts: dict[str, Counter]) -> str:
    """Counts by label (rows) and language (columns), with a total row."""
    labels = sorted(set().union(*counts.values()))
    body = [[f"`{label}`"] + [counts[lang].get(label, 0) for lang in counts] for label in labels]
    body.append(["**total**"] + [sum(counts[lang].values()) for lang in counts])
    return table([header] + list(counts), body)


def _tallied(tally: Counter, *prefix) -> Counter:
    """The counts of the tally's keys that start with `prefix`, by their last part."""
    n = len(prefix)
    return Counter({key[n]: v for key, v in tally.items() if key[:n] == prefix and len(key) == n + 1})


def annotation_section(collection) -> str:
    """The card's claim-annotation section: distributions, a worked example, notes, outcomes."""
    if "claims" not in collection.configs:
        return "## Claim Annotation\n\nNo document of this loader has a claim annotation yet: its sentences say `not_annotated`.\n"
    tally = collection.tally

    def both(name):
        counts = _tallied(tally, name)
        return {"zh": counts, "en": counts}

    def layer(name):
        return {lang: _tallied(tally, "mention", name, lang) for lang in ("zh", "en")}

    parts = ["## Claim Annotation",
             "Every claim is annotated in both languages (one row of `claims` holds both spans), so claim-level labels "
             "count the same on each side; the spans inside claims are counted per language. The labels are defined in "
             "`annotations/guidelines.md`.",
             "### Claims by type, hedge level, polarity and source",
             _counts_table("claim type", both("claim_type")),
             _counts_table("hedge (FactBank)", both("hedge")),
             _counts_table("polarity", both("polarity")),
             _counts_table("innermost source", both("source")),
             "### Spans by layer and label",
             _counts_table("entity type", layer("entity")),
             _counts_table("number unit", layer("number")),
             _counts_table("cue class", layer("cue")),
             f"The entity inventory (`entities`) has {collection.count('entities')} entries."]
    candidates = [d.example_claims for d in collection.documents if d.example_claims]
    example = next((first for first, _ in candidates if first is not None), candidates[0][1])
    parts += ["### A worked example",
              f"Claim `{example.id}` ({example.claim_type.value}, source chain {' > '.join(example.source_chain)}, "
              f"author stance `{example.author_stance.value}`, hedge `{example.hedge.value}`, polarity "
              f"`{example.polarity.value}`, FactBank `{example.factbank}`):",
              "\n".join([
              f"- zh `[{example.zh_start}:{example.zh_end}]` {plain(example.zh_text)}",
              f"- en `[{example.en_start}:{example.en_end}]` {plain(example.en_text)}",
              "- cues: " + "; ".join(f"{plain(c.text)} ({c.cue_class.value}, {c.effect.value})" for c in example.zh_cues + example.en_cues),
              "- entities: " + "; ".join(f"{plain(e.text)} → `{e.entity_id}`" for e in example.zh_entities + example.en_entities),
              "- numbers: " + "; ".join(f"{plain(n.text)} = {_number_text(n)} {n.unit.value}" for n in example.zh_numbers + example.en_numbers),
              f"- outcome: `{example.outcome.value}`" + (f" ({plain(example.outcome_evidence)})" if example.outcome_evidence else "")])]
    parts += ["### Translation notes",
              "Where the Chinese text has a typo, an error or an ambiguity, or where it states a hedge, a number or a "
              "qualifier differently (from elsewhere in the text, or from the original where the corpus has it). Where "
              "the original is not included, notes describe the Chinese only and never assert what the original says.",
              table(["id", "kind", "Chinese", "English rendering", "explanation"],
                     [[f"`{n.id.split('/')[-1]}`", n.kind.value, cell(n.zh_text), cell(n.en_text), cell(n.explanation)]
                      for d in collection.documents for n in d.notes])]
    assessed = [claim for d in collection.documents for claim in d.assessed]
    if not assessed:
        parts += [baseline_section(collection)]
        return "\n\n".join(parts) + "\n"
    outcome_counts = Counter(outcome for _, outcome, _, _, _ in assessed)
    as_of = sorted({plain(when) for *_, when in assessed})
    parts += ["### Prediction outcomes",
              f"Predictions with an outcome from the public record as of {', '.join(as_of)}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(outcome_counts.items())) + ". These are facts added beyond the "
              "text; each carries its sources (column `outcome_sources`).",
              table(["claim", "outcome", "English", "evidence"],
                     [[f"`{claim_id.split('/')[-1]}`", outcome, cell(en_text), cell(evidence)]
                      for claim_id, outcome, en_text, evidence, _ in assessed if outcome != "undetermined"])
              + f"\n\n{outcome_counts.get('undetermined', 0)} further predictions are `undetermined`: the public record "
                "does not settle them (each record's evidence says why)."]
    parts += [baseline_section(collection)]
    return "\n\n".join(parts) + "\n"


def _project_root(built):
    """The project folder holding the document (its alignments are read from
    <project>/annotations/<doc_id>/), or None for a document assembled elsewhere."""
    align = Path(built.alignment_path)
    depth = len(Path(built.doc_id).parts)
    if len(align.parents) <= depth + 1 or align.parents[depth].name != "annotations":
        return None
    return align.parents[depth + 1]


def _agreement_result(built):
    """benchmarks/results/agreement.json of the project holding the document, if it measures it."""
    root = _project_root(built)
    path = None if root is None else root / AGREEMENT_RESULTS
    result = json.loads(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else None
    return result if result and result.get("doc_id") == built.doc_id else None


def _agreement_table(comparison: dict) -> str:
    claims, sentences = comparison["claims"], comparison["claim_sentences"]
    rows = [[f"kappa, {name.replace('_', ' ')}", f"{v['kappa']:.3f}", v["n"]] for name, v in claims["labels"].items()]
    rows.append(["kappa, sentence holds a claim", f"{sentences['kappa']:.3f}", sentences["n"]])
    for lang, layers in comparison["spans"].items():
        for layer, entry in layers.items():
            rows.append([f"{lang} {layer} span F1, exact / overlap", f"{entry['exact']['f1']:.3f} / {entry['overlap']['f1']:.3f}",
                         entry["exact"]["tp"] + entry["exact"]["fn"]])
        rows.append([f"{lang} claim span F1, exact with edges forgiven", f"{layers['claim']['exact_edges_forgiven']['f1']:.3f}",
                     layers["claim"]["exact"]["tp"] + layers["claim"]["exact"]["fn"]])
    return table(["measure", "value", "n"], rows)


def agreement_text(collection) -> str:
    """Who annotated, and the agreement figures of benchmarks/results/agreement.json, never re-typed."""
    parts = []
    for built in collection.annotated:
        result = _agreement_result(built)
        if result is None:
            parts.append(f"`{built.doc_id}`: a single annotation pass; no inter-annotator agreement has been measured yet.")
            continue
        sample, before = result["sample"], result["before_adjudication"]
        parts += [
            f"`{built.doc_id}`: a second annotator labelled {len(sample['beads'])} sentence beads drawn at random (seed "
            f"{sample['seed']}; {sample['described_in']}) from the guidelines alone, without seeing the gold. Against the gold "
            f"as it stood before that pass was read (commit {result['pass1_commit'][:7]}), {before['claims']['matched']} of "
            f"{before['claims']['reference_claims']} gold claims were matched by overlapping spans (the second pass had "
            f"{before['claims']['other_claims']}); Cohen's kappa per label over the matched claims, and span F1 with the gold "
            "as reference (`python benchmarks/agreement.py`, `benchmarks/results/agreement.md`):",
            _agreement_table(before),
            "Most exact claim-span differences are the edges (whether a whole-sentence claim keeps its opening connective and "
            "final punctuation), a rule the guidelines now state. Every disagreement was adjudicated "
            f"(`{result['adjudication']}`): the gold took the second pass's reading where it was "
            "right, and the rule gaps went into the guidelines. Sample beads: "
            + ", ".join(f"`{b.split('/')[-1]}`" for b in sample["beads"]) + ".",
        ]
    return "\n\n".join(parts)


def _single_root(documents):
    """The one project folder holding all the documents, or None."""
    roots = {_project_root(b) for b in documents}
    return roots.pop() if len(roots) == 1 and None not in roots else None


def _named(docs: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{plain(d)}`" for d in docs[:limit])
    return shown + (f" and {len(docs) - limit} more" if len(docs) > limit else "")


def extraction_results(collection):
    """(benchmarks/results/extract.json of the project, or None; why it is not quoted, or "").
    Quoted only while it scores this loader's documents, was computed on every annotated
    document of the corpus as it is now (the rules learn from all train documents), and its
    inputs digest matches."""
    from ..extraction.protocol import RESULTS_FILE, results_inputs_sha256
    from ..problems import CorpusError, Problem, display_path
    from ..sources.capture import list_documents, parse_metadata, read_source

    if not collection.annotated:
        return None, "no document of this loader has a claim annotation"
    root = _single_root(collection.annotated)
    if root is None:
        return None, "these documents are not in a project folder with a results file"
    path = root / RESULTS_FILE
    if not path.is_file():
        return None, f"the project has no `{RESULTS_FILE.as_posix()}` yet"
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        scored = set(result["documents"])
        systems = result["protocols"]["splits"]["systems"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        raise CorpusError(Problem(display_path(path), None, None, f"not an extraction results file ({err!r}); "
                                  "run python benchmarks/extract_benchmark.py")) from None
    missing = sorted(b.doc_id for b in collection.annotated if b.doc_id not in scored)
    if missing:
        return None, f"`{RESULTS_FILE.as_posix()}` does not score {_named(missing)}"
    corpus = root / "corpus"
    annotated = {doc for doc in list_documents(corpus)
                 if parse_metadata(read_source(corpus / doc / "document.yaml"))[0].claims == "annotated"}
    if annotated != scored or result.get("inputs_sha256") != results_inputs_sha256(root, sorted(scored)):
        return None, (f"`{RESULTS_FILE.as_posix()}` was written for other annotations, texts or code than the "
                      "current ones, so its figures are not quoted")
    if not isinstance(systems, dict):
        raise CorpusError(Problem(display_path(path), None, "protocols.splits.systems", "not a table of systems"))
    return result, ""


def baseline_section(collection) -> str:
    """Extraction results of the open-vocabulary rules on this loader's documents, in-sample
    rows apart from out-of-sample ones, read from benchmarks/results/extract.json (the
    protocol `splits`): the build quotes figures, it does not run the extractor."""
    from ..extraction.evaluate import summary_rows
    from ..extraction.open_rules import RULES
    from ..extraction.protocol import RESULTS_FILE, SCORE_HEADER

    result, why = extraction_results(collection)
    command = "`python benchmarks/extract_benchmark.py`"
    intro = (f"The open-vocabulary rules `{RULES}` (jieba part-of-speech and title-case names linked across each sentence "
             "bead, the number normalizer with the guidelines' decisions, a general bilingual hedge-cue lexicon, "
             "clause-level claims), scored per document by the protocol of `bicorpus evaluate`.")
    if result is None:
        return "\n\n".join(["### Extraction results", intro,
                              f"No figures are quoted for this loader: {why}. {command} writes them; `bicorpus extract` "
                              "and `bicorpus evaluate` score any annotated document."])
    splits = result["protocols"]["splits"]
    system = splits["systems"][RULES]
    rows = {"in-sample": [], "out-of-sample": []}
    for built in collection.annotated:
        entry = system["documents"][built.doc_id]
        kind = "in-sample" if entry["seen"] else "out-of-sample"
        rows[kind] += [[f"{built.doc_id} ({entry['split']}, {kind})", "1"] + row for row in summary_rows(entry["scores"])]
    for kind in rows:
        group = system["groups"].get(kind)
        if rows[kind] and group and len(group["documents"]) > 1:
            rows[kind] += [[f"{kind}, whole corpus", str(len(group["documents"]))] + row
                           for row in summary_rows(group["scores"])]
    escaped = {kind: [[cell(c) for c in row] for row in kind_rows] for kind, kind_rows in rows.items()}
    parts = [
        "### Extraction results", intro,
        "The rules take known names and cues, and block cues that were mostly no cue, from the corpus' train documents "
        f"({', '.join(f'`{plain(d)}`' for d in splits['seen']) or 'none'}): scores on those documents are **in-sample**; "
        "scores on the test documents, which no rule was built from, are **out-of-sample**. The figures are read from "
        f"`{RESULTS_FILE.as_posix()}` (written by {command}, which also scores a trained spaCy model; the file records a "
        "sha256 of the annotations, texts and code it was computed from, and the build quotes it only while they are "
        "the current ones). The pooled rows are micro-averages over every such document of the corpus.",
        "#### Out-of-sample (documents no rule or model saw)",
        table(SCORE_HEADER, escaped["out-of-sample"]) if escaped["out-of-sample"]
        else "No test document in this loader: every row below is in-sample.",
        "#### In-sample (documents the rules took names and cues from)",
        table(SCORE_HEADER, escaped["in-sample"]) if escaped["in-sample"] else "None.",
        "Exact claim spans are low by design: the rules cut clauses at connectives and punctuation, while gold claims "
        "are clauses cut by meaning. Hedge accuracy and kappa compare each gold claim with the predicted claim that "
        "overlaps it most.",
    ]
    return "\n\n".join(parts)


def _number_text(n) -> str:
    if n.value is not None:
        return f"{n.value:g}"
    if n.low is not None:
        return f"{n.low:g}–{n.high:g}"
    return "(vague)"
