"""A self-contained HTML page showing a document side by side, Chinese and English, one row
per gold paragraph bead: claims highlighted by hedge level, entity, number and cue marks
with their normalized values on hover, translation notes and prediction outcomes, filters by
hedge level, claim type and source, and the twin of a hovered claim lit in the other
language. No network requests: styles and script are inline, fonts are the reader's own.
Every piece of text is HTML-escaped; no data is placed inside the script.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..schema import ClaimType, HedgeLevel, Language, ParagraphKind

OUTCOME_BADGE = {"came_true": "✔ came true", "did_not_come_true": "✘ did not come true", "undetermined": "? undetermined"}

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.6em 1.2em;z-index:2}
h1{font-size:1.25em;margin:.2em 0}h1 .en{display:block;font-size:.8em;color:#555;font-weight:normal}
.notice{font-size:.85em;color:#7a4b00;background:#fff6e0;border:1px solid #f0d9a0;padding:.3em .6em;margin:.4em 0}
form{display:flex;flex-wrap:wrap;gap:1.2em;font-size:.85em}fieldset{border:1px solid #ddd;padding:.2em .6em}
table.aligned{border-collapse:collapse;width:100%;table-layout:fixed}
td{vertical-align:top;padding:.45em .9em;border-bottom:1px solid #eee;line-height:1.75}
tr.heading td{font-weight:bold;background:#f0f0f5}
td.zh{border-right:1px solid #ddd}
.claim,.swatch{border-bottom:3px solid;padding-bottom:1px}.claim{cursor:pointer}
.hedge-certain{border-color:#1f6fd1}.hedge-probable{border-color:#2e9e48}.hedge-possible{border-color:#e08a00}.hedge-unknown{border-color:#999}
.claim.twin,.claim:hover{background:#fff2a8}
.claim.dim{border-color:transparent;opacity:.45}
.entity{background:#e8f0fe;border-radius:3px}.number{background:#e6f4ea;border-radius:3px;font-weight:600}
.cue{font-style:italic;text-decoration:underline dotted #b06000}.note{background:#fde7e9;outline:1px dashed #c5221f}
.outcome{font-size:.75em;margin-left:.3em;padding:0 .3em;border-radius:3px;white-space:nowrap}
.came_true{background:#e6f4ea;color:#137333}.did_not_come_true{background:#fce8e6;color:#a50e0e}.undetermined{background:#eee;color:#555}
.legend span{margin-right:.8em}section{padding:0 1.2em}section table{border-collapse:collapse;font-size:.85em}
section td,section th{border:1px solid #ddd;padding:.3em .5em;text-align:left}
"""

SCRIPT = """
(function(){
  function claimsOf(id){return document.querySelectorAll('.claim[data-claim="'+CSS.escape(id)+'"]');}
  document.querySelectorAll('.claim').forEach(function(el){
    el.addEventListener('mouseenter',function(){claimsOf(el.dataset.claim).forEach(function(t){t.classList.add('twin');});});
    el.addEventListener('mouseleave',function(){claimsOf(el.dataset.claim).forEach(function(t){t.classList.remove('twin');});});
  });
  function apply(){
    var on=function(name){return Array.prototype.map.call(document.querySelectorAll('input[name="'+name+'"]:checked'),function(i){return i.value;});};
    var hedges=on('hedge'),types=on('type'),source=document.getElementById('source').value;
    document.querySelectorAll('.claim').forEach(function(el){
      var shown=hedges.indexOf(el.dataset.hedge)>=0&&types.indexOf(el.dataset.type)>=0&&(source===''||el.dataset.source===source);
      el.classList.toggle('dim',!shown);
    });
  }
  document.getElementById('filters').addEventListener('change',apply);
  apply();
})();
"""


@dataclass(frozen=True)
class Mark:
    start: int  # offsets in the paragraph text
    end: int
    css: str
    title: str
    attrs: tuple = ()


def _attrs(pairs) -> str:
    return "".join(f' {name}="{escape(str(value), quote=True)}"' for name, value in pairs)


def _wrap(text: str, marks: list[Mark]) -> str:
    """Escaped text with nested <span>s for overlapping marks: cut at every mark boundary
    and wrap each piece in the marks covering it, outermost first."""
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        for mark in sorted((m for m in marks if m.start <= a and b <= m.end), key=lambda m: m.end - m.start):
            piece = f'<span class="{mark.css}" title="{escape(mark.title, quote=True)}"{_attrs(mark.attrs)}>{piece}</span>'
        out.append(piece)
    return "".join(out)


def _number_title(m) -> str:
    if m.value is not None:
        value = f"value {m.value:g}"
    elif m.low is not None:
        value = f"range {m.low:g} – {m.high:g}"
    else:
        value = "vague (no value)"
    return f"{value} · unit {m.label}"


def render_paragraph(paragraph, claims: list, marks_by_language: dict, notes: list) -> str:
    """The HTML of one paragraph: claims outermost, mentions and notes inside."""
    lang = paragraph.language
    base = paragraph.start
    inner = [Mark(m.start - base, m.end - base, css, title) for m, css, title in marks_by_language.get(lang, [])
             if paragraph.start <= m.start and m.end <= paragraph.end]
    if lang is Language.ZH:
        inner += [Mark(n.zh_start - base, n.zh_end - base, "note", f"translation note ({n.kind.value}): {n.explanation}")
                  for n in notes if paragraph.start <= n.zh_start and n.zh_end <= paragraph.end]
    mine = []
    for c in claims:
        start, end = (c.zh_start, c.zh_end) if lang is Language.ZH else (c.en_start, c.en_end)
        if paragraph.start <= start and end <= paragraph.end:
            mine.append((start - base, end - base, c))
    out, at = [], 0
    text = paragraph.text
    for start, end, c in sorted(mine, key=lambda x: x[0]):
        clip = lambda lo, hi: [Mark(max(m.start, lo) - lo, min(m.end, hi) - lo, m.css, m.title)
                               for m in inner if m.start < hi and lo < m.end]
        out.append(_wrap(text[at:start], clip(at, start)))
        title = f"{c.id} · {c.claim_type.value} · {c.hedge.value} ({c.factbank}) · source {c.source}"
        attrs = (("data-claim", c.id), ("data-hedge", c.hedge.value), ("data-type", c.claim_type.value), ("data-source", c.source))
        body = _wrap(text[start:end], clip(start, end))
        out.append(f'<span class="claim hedge-{c.hedge.value}" title="{escape(title, quote=True)}"{_attrs(attrs)}>{body}</span>')
        if c.outcome.value in OUTCOME_BADGE:
            evidence = f"{c.outcome_evidence} (as of {c.outcome_as_of}; {'; '.join(c.outcome_sources)})"
            out.append(f'<span class="outcome {c.outcome.value}" title="{escape(evidence, quote=True)}">'
                       f'{escape(OUTCOME_BADGE[c.outcome.value])}</span>')
        at = end
    out.append(_wrap(text[at:], [Mark(max(m.start, at) - at, m.end - at, m.css, m.title) for m in inner if m.end > at]))
    return "".join(out)


def _marks(rows) -> dict:
    out = {Language.ZH: [], Language.EN: []}
    for m in rows.get("mentions", []):
        if m.layer.value == "entity":
            out[m.language].append((m, "entity", f"{m.entity_id} ({m.label})"))
        elif m.layer.value == "number":
            out[m.language].append((m, "number", _number_title(m)))
        elif m.layer.value == "cue":
            out[m.language].append((m, "cue", f"hedge cue: {m.label}"))
    return out


def _filters(claims: list) -> str:
    hedges = "".join(f'<label><input type="checkbox" name="hedge" value="{h.value}" checked> {h.value}</label> ' for h in HedgeLevel)
    types = "".join(f'<label><input type="checkbox" name="type" value="{t.value}" checked> {t.value}</label> ' for t in ClaimType)
    sources = sorted({c.source for c in claims})
    options = '<option value="">all sources</option>' + "".join(f'<option value="{escape(s, quote=True)}">{escape(s)}</option>' for s in sources)
    return (f'<form id="filters"><fieldset><legend>hedge level</legend>{hedges}</fieldset>'
            f'<fieldset><legend>claim type</legend>{types}</fieldset>'
            f'<fieldset><legend>source</legend><select id="source">{options}</select></fieldset></form>')


def render_html(built) -> str:
    rows = built.rows
    doc = rows["documents"][0]
    paragraphs = {p.id: p for p in rows["paragraphs"]}
    claims = rows.get("claims", [])
    notes = rows.get("translation_notes", [])
    marks = _marks(rows)
    body = []
    for bead in rows["paragraph_translation"]:
        zh = [paragraphs[i] for i in bead.zh_ids]
        en = [paragraphs[i] for i in bead.en_ids]
        heading = any(p.kind in (ParagraphKind.TITLE, ParagraphKind.HEADING) for p in zh + en)
        cells = []
        for lang, side in (("zh", zh), ("en", en)):
            html = "<br>".join(render_paragraph(p, claims, marks, notes) for p in side)
            cells.append(f'<td class="{lang}" lang="{"zh-Hans" if lang == "zh" else "en"}">{html}</td>')
        body.append(f'<tr class="bead{" heading" if heading else ""}" data-bead="{escape(bead.id, quote=True)}">{"".join(cells)}</tr>')
    legend = ('<p class="legend"><span class="swatch hedge-certain">certain</span><span class="swatch hedge-probable">probable</span>'
              '<span class="swatch hedge-possible">possible</span><span class="swatch hedge-unknown">unknown</span>'
              '<span class="entity">entity</span><span class="number">number</span><span class="cue">hedge cue</span>'
              '<span class="note">translation note</span></p>')
    if not claims:
        legend = '<p class="legend">This document has no claim annotation yet: the page shows the aligned text only.</p>'
    note_rows = "".join(f"<tr><td>{escape(n.id.split('/')[-1])}</td><td>{escape(n.kind.value)}</td><td lang=\"zh-Hans\">{escape(n.zh_text)}</td>"
                        f"<td>{escape(n.en_text)}</td><td>{escape(n.explanation)}</td></tr>" for n in notes)
    outcome_rows = "".join(f"<tr><td>{escape(c.id.split('/')[-1])}</td><td><span class=\"outcome {c.outcome.value}\">{escape(OUTCOME_BADGE[c.outcome.value])}</span></td>"
                           f"<td>{escape(c.en_text)}</td><td>{escape(c.outcome_evidence or '')}</td></tr>"
                           for c in claims if c.outcome.value in OUTCOME_BADGE)
    sections = ""
    if notes:
        sections += ('<section id="notes"><h2>Translation notes</h2><table><tr><th>id</th><th>kind</th><th>Chinese</th>'
                     f'<th>English</th><th>explanation</th></tr>{note_rows}</table></section>')
    if outcome_rows:
        sections += ('<section id="outcomes"><h2>Prediction outcomes</h2><table><tr><th>claim</th><th>outcome</th><th>English</th>'
                     f'<th>evidence</th></tr>{outcome_rows}</table></section>')
    notice = ("The English column is this project's own translation of the Chinese, not the English original. "
              f"The Chinese is {doc.zh_publisher}'s translation ({doc.zh_published}) of {doc.original_author}'s article.")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(doc.title_zh)} · {escape(built.doc_id)}</title><style>{STYLE}</style></head><body>"
        f'<header><h1 lang="zh-Hans">{escape(doc.title_zh)}<span class="en" lang="en">{escape(doc.title_en)}</span></h1>'
        f'<p class="notice">{escape(notice)}</p>{legend}{_filters(claims) if claims else ""}</header>'
        f'<main><table class="aligned"><colgroup><col><col></colgroup>{"".join(body)}</table>{sections}</main>'
        f"<script>{SCRIPT if claims else ''}</script></body></html>\n"
    )


def write_view(built, outdir) -> Path:
    from ..files import write_atomic

    path = Path(outdir) / f"{built.doc_id}.html"
    write_atomic(path, render_html(built).encode("utf-8"))
    return path
