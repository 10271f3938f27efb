"""Statistics of a built document as Markdown tables and SVG charts.

The SVG is written by hand: a few rectangles and labels, fixed precision, no timestamps, so
the charts are byte-identical across runs and machines (matplotlib embeds its version and,
unless told otherwise, random ids). Charts: claims per section by hedge level in both
languages, number units, alignment bead types, and the English/Chinese length ratio of
each paragraph bead.
"""

from __future__ import annotations

import statistics

from collections import Counter
from html import escape

from ..pipeline.collection import as_collection
from ..schema import BeadType, HedgeLevel
from .markdown import cell, table

PALETTE = ["#1f6fd1", "#2e9e48", "#e08a00", "#999999", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"]
WIDTH, HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 860, 360, 48, 96, 44


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(title: str, categories: list[str], groups: list[str], stacks: list[str], values: dict, y_label: str) -> str:
    """Grouped, stacked bars: values[(category, group, stack)] -> number."""
    totals = [sum(values.get((c, g, s), 0) for s in stacks) for c in categories for g in groups]
    top = max(totals + [1])
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 16, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / max(len(categories), 1)
    bar = slot * 0.8 / max(len(groups), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14">{escape(title)}</text>',
           f'<text x="12" y="{MARGIN_TOP + plot_h / 2}" transform="rotate(-90 12 {MARGIN_TOP + plot_h / 2})" text-anchor="middle">{escape(y_label)}</text>']
    for tick in range(5):
        value = top * tick / 4
        y = MARGIN_TOP + plot_h - plot_h * tick / 4
        out.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - 16}" y1="{_num(y)}" y2="{_num(y)}" stroke="#e5e5e5"/>'
                   f'<text x="{MARGIN_LEFT - 4}" y="{_num(y + 4)}" text-anchor="end">{_num(value)}</text>')
    for ci, category in enumerate(categories):
        x0 = MARGIN_LEFT + ci * slot + slot * 0.1
        for gi, group in enumerate(groups):
            x, base = x0 + gi * bar, 0.0
            for si, stack in enumerate(stacks):
                v = values.get((category, group, stack), 0)
                if not v:
                    continue
                h = plot_h * v / top
                y = MARGIN_TOP + plot_h - plot_h * base / top - h
                out.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar * 0.92)}" height="{_num(h)}" '
                           f'fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(f"{category} · {group} · {stack}: {_num(v)}")}</title></rect>')
                base += v
            if len(groups) > 1:
                out.append(f'<text x="{_num(x + bar * 0.46)}" y="{MARGIN_TOP + plot_h + 11}" text-anchor="middle" font-size="9">{escape(group)}</text>')
        label_y = MARGIN_TOP + plot_h + (24 if len(groups) > 1 else 12)
        out.append(f'<text x="{_num(x0 + slot * 0.4)}" y="{label_y}" text-anchor="end" '
                   f'transform="rotate(-30 {_num(x0 + slot * 0.4)} {label_y})">{escape(category)}</text>')
    legend_x = MARGIN_LEFT
    for si, stack in enumerate(stacks if len(stacks) > 1 else []):
        out.append(f'<rect x="{legend_x}" y="26" width="10" height="10" fill="{PALETTE[si % len(PALETTE)]}"/>'
                   f'<text x="{legend_x + 14}" y="35">{escape(stack)}</text>')
        legend_x += 14 + 7 * len(stack) + 16
    out.append("</svg>")
    return "\n".join(out) + "\n"


def section_names(headings_en) -> list[str]:
    """The chart groups of one document: "(intro)", then its English headings, shortened."""
    return ["(intro)"] + [text.split(":")[0][:28] for text in headings_en]


def _claim_groups(collection) -> tuple[list[str], Counter, bool]:
    """(group names, (group, language, hedge) -> claims, whether the groups are documents): the
    sections of a document on its own, or the documents of a collection."""
    several = len(collection.documents) > 1
    values = Counter()
    for d in collection.documents:
        sections = section_names(d.headings_en)
        for key, n in d.tally.items():
            if key[0] == "claims_in_section":
                _, section, lang, hedge = key
                values[d.doc_id.split("/")[-1] if several else sections[section], lang, hedge] += n
    if several:
        return [d.doc_id.split("/")[-1] for d in collection.documents], values, True
    return section_names(collection.documents[0].headings_en), values, False


def charts(built) -> dict[str, str]:
    """file name -> SVG text, for a collection or a document."""
    collection = as_collection(built)
    tally = collection.tally
    out = {}
    if "claims" in collection.configs:
        names, values, several = _claim_groups(collection)
        used = [n for n in names if any(k[0] == n for k in values)] if several else names
        out["claims_by_section.svg"] = bar_chart(f"Claims per {'document' if several else 'section'} by hedge level (zh and en)",
                                                 used, ["zh", "en"], [h.value for h in HedgeLevel], values, "claims")
        units = Counter({(key[3], key[2], "numbers"): n for key, n in tally.items() if key[:2] == ("mention", "number")})
        out["number_units.svg"] = bar_chart("Number mentions by unit", sorted({k[0] for k in units}), ["zh", "en"],
                                            ["numbers"], units, "mentions")
    beads = Counter()
    for level, config in (("paragraph", "paragraph_translation"), ("sentence", "translation")):
        for t in BeadType:
            if tally.get(("bead_type", config, t.value)):
                beads[(t.value, level, "beads")] = tally["bead_type", config, t.value]
    out["bead_types.svg"] = bar_chart("Gold alignment beads by type (translation pairs)", [t.value for t in BeadType], ["paragraph", "sentence"],
                                      ["beads"], beads, "beads")
    ratios = {}
    several = len(collection.documents) > 1
    for doc_id, bead, ratio in _length_ratios(collection):
        label = bead.split("/")[-1].replace("pb00", "")
        ratios[((doc_id.split("/")[-1] + ":" + label) if several else label, "en/zh", "ratio")] = round(ratio, 2)
    out["length_ratio.svg"] = bar_chart("English/Chinese length ratio (characters) per paragraph bead", [k[0] for k in ratios],
                                        ["en/zh"], ["ratio"], ratios, "en chars / zh chars")
    return out


def _length_ratios(collection) -> list[tuple[str, str, float]]:
    """(document, paragraph bead, English over Chinese characters) of every bead that is a
    translation pair (an untranslated copy of the English would read as a ratio near 1)."""
    return [(d.doc_id, bead, en / zh) for d in collection.documents for bead, zh, en, untranslated in d.bead_lengths
            if zh and en and not untranslated]


def tables(built) -> str:
    """The statistics as Markdown, to go with the charts."""
    collection = as_collection(built)
    parts = []
    ratios = [ratio for _, _, ratio in _length_ratios(collection)]
    if ratios:
        parts.append(table(["paragraph beads (translation pairs)", "min en/zh", "median en/zh", "max en/zh"],
                           [[len(ratios), f"{min(ratios):.2f}", f"{statistics.median(ratios):.2f}", f"{max(ratios):.2f}"]]))
    if "claims" in collection.configs:
        names, values, several = _claim_groups(collection)
        per = Counter({(group, hedge): n for (group, lang, hedge), n in values.items() if lang == "zh"})
        body = [[cell(name)] + [per.get((name, h.value), 0) for h in HedgeLevel] for name in names
                if not several or any(k[0] == name for k in per)]
        parts.append(table([f"{'document' if several else 'section'} (claims, same in zh and en)"] + [h.value for h in HedgeLevel], body))
    return "\n\n".join(parts) + "\n"


def write_stats(built, outdir) -> list:
    from pathlib import Path

    from ..files import write_atomic

    folder = Path(outdir) / built.doc_id
    paths = []
    for name, svg in sorted(charts(built).items()):
        write_atomic(folder / name, svg.encode("utf-8"))
        paths.append(folder / name)
    write_atomic(folder / "stats.md", tables(built).encode("utf-8"))
    return paths + [folder / "stats.md"]
