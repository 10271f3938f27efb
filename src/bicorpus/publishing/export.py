"""Stage 6: the built rows in the formats other tools read. Exporters are found by name in
`EXPORTERS`; each takes a built document and an output folder and returns the files it
wrote. Files are written atomically and deterministically (no dates, sorted records).

    jsonl   <doc>/<config>.jsonl: every config, one JSON object per line (the loader's data files)
    moses   <doc>.zh / <doc>.en line-parallel sentence beads, plus <doc>.ids
    tmx     <doc>.tmx, TMX 1.4 through translate-toolkit, one <tu tuid=bead id> per bead
    spacy   <doc>.<lang>.spacy DocBins: one Doc per sentence, gold spans in doc.spans
    conll   <doc>.<lang>.<layer>.conll, CoNLL-2003-style BIO files, one per span layer

What a format cannot hold is left out and said (`left_out`), never dropped silently: the
translation formats hold translation pairs only (no untranslated copy of the English), the span
formats the sentences the gold annotation covers (an unannotated sentence would read as one with
no span), BIO one span per token and layer, and token formats spans on token boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..extraction.protocol import scored_sentence_ids
from ..files import write_atomic
from ..pipeline.build import BuiltDocument, data_path, jsonl_bytes
from ..schema import BeadStatus, ClaimStatus, Language, SideRole

SPAN_LAYERS = ("entity", "number", "cue", "claim")
# Moses files are line-parallel: a newline inside a segment would shift every later line.
MOSES_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"))


@dataclass(frozen=True)
class TokenSpan:
    """A gold span in token indices of its sentence: tokens[start:end]."""

    sentence_id: str
    layer: str
    start: int
    end: int
    label: str
    kb_id: str


def moses_escape(text: str) -> str:
    for raw, escaped in MOSES_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def moses_unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"\\": "\\", "n": "\n", "r": "\r"}.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def sentence_spans(built: BuiltDocument) -> dict[str, list[tuple[str, int, int, str, str]]]:
    """sentence id -> (layer, start, end, label, kb id) of every gold span, sentence-relative."""
    spans: dict[str, list] = {}
    for m in built.rows.get("mentions", []):
        kb = m.entity_id or (m.claim_ids[0] if m.layer.value == "claim" else "")
        spans.setdefault(m.sentence_id, []).append((m.layer.value, m.sentence_start, m.sentence_end, m.label, kb))
    return spans


def token_spans(built: BuiltDocument) -> tuple[list[TokenSpan], list[str]]:
    """Every gold span as token indices, and a message for each span that does not fall on
    token boundaries (it is left out of token-level formats, never silently)."""
    by_sentence = sentence_spans(built)
    out, misaligned = [], []
    for s in built.rows["sentences"]:
        starts = {b: i for i, b in enumerate(s.token_starts)}
        ends = {e: i + 1 for i, e in enumerate(s.token_ends)}
        for layer, start, end, label, kb in by_sentence.get(s.id, []):
            if start in starts and end in ends:
                out.append(TokenSpan(s.id, layer, starts[start], ends[end], label, kb))
            else:
                misaligned.append(f"{s.id}: {layer} {s.text[start:end]!r} [{start}:{end}] does not fall on token boundaries")
    return out, misaligned


def covered_sentences(built: BuiltDocument) -> list:
    """The sentences the gold annotation covers, the ones extraction is scored on (not the headings
    of a fetched document, untranslated passages, or a document not annotated yet)."""
    scored = scored_sentence_ids(built)
    return [s for s in built.rows["sentences"] if s.id in scored and s.claim_status is not ClaimStatus.NOT_ANNOTATED]


def bio_spans(spans: list[TokenSpan]) -> tuple[list[TokenSpan], list[TokenSpan]]:
    """(kept, left out) of one sentence's spans of one layer: BIO tags one span per token, so of
    spans that overlap (a claim inside a claim) the longest is kept, the earlier of equal ones."""
    kept: list[TokenSpan] = []
    dropped = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if any(span.start < k.end and k.start < span.end for k in kept):
            dropped.append(span)
        else:
            kept.append(span)
    return sorted(kept, key=lambda s: s.start), dropped


def _by_sentence_and_layer(spans: list[TokenSpan]) -> dict[tuple[str, str], list[TokenSpan]]:
    out: dict[tuple[str, str], list[TokenSpan]] = {}
    for span in spans:
        out.setdefault((span.sentence_id, span.layer), []).append(span)
    return out


def left_out(built: BuiltDocument, fmt: str) -> list[str]:
    """What `fmt` leaves out of this document, a message each (a count for whole groups)."""
    if fmt in ("moses", "tmx"):
        copies = sum(b.status is BeadStatus.UNTRANSLATED for b in built.rows["translation"])
        return [f"{built.doc_id}: {copies} untranslated sentence beads (the Chinese repeats the English: not translation pairs)"] \
            if copies else []
    if fmt not in ("spacy", "conll"):
        return []
    spans, messages = token_spans(built)
    uncovered = len(built.rows["sentences"]) - len(covered_sentences(built))
    if uncovered:
        messages.append(f"{built.doc_id}: {uncovered} sentences the gold annotation does not cover (headings of a fetched "
                        "document, untranslated passages, or a document not annotated yet)")
    if fmt == "conll":
        text = {s.id: s.tokens for s in built.rows["sentences"]}
        for group in _by_sentence_and_layer(spans).values():
            for span in bio_spans(group)[1]:
                words = " ".join(text[span.sentence_id][span.start:span.end])
                messages.append(f"{span.sentence_id}: {span.layer} {words!r} (tokens {span.start}-{span.end}) overlaps a longer "
                                f"{span.layer} span; BIO holds one span per token")
    return messages


def export_jsonl(built: BuiltDocument, out: Path) -> list[Path]:
    paths = []
    for config, rows in built.rows.items():
        path = out / built.doc_id / Path(data_path(config)).name
        write_atomic(path, jsonl_bytes(rows))
        paths.append(path)
    return paths


def sentence_beads(built: BuiltDocument) -> list[tuple[str, str, str]]:
    """(bead id, zh, en) of every sentence bead that is a translation pair, in order."""
    return [(b.id, b.translation["zh"], b.translation["en"]) for b in built.rows["translation"]
            if b.status is not BeadStatus.UNTRANSLATED]


def source_language(built: BuiltDocument) -> Language:
    """The side the other was translated from: the Chinese where the English is this project's
    translation of it, else the side written first."""
    document = built.rows["documents"][0]
    if document.en_role is SideRole.PROJECT_TRANSLATION:
        return Language.ZH
    if document.zh_role is SideRole.PROJECT_TRANSLATION:
        return Language.EN
    return document.original_language


def export_moses(built: BuiltDocument, out: Path) -> list[Path]:
    beads = sentence_beads(built)
    files = {
        out / f"{built.doc_id}.zh": "".join(moses_escape(zh) + "\n" for _, zh, _ in beads),
        out / f"{built.doc_id}.en": "".join(moses_escape(en) + "\n" for _, _, en in beads),
        out / f"{built.doc_id}.ids": "".join(bid + "\n" for bid, _, _ in beads),
    }
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    return list(files)


def export_tmx(built: BuiltDocument, out: Path) -> list[Path]:
    from translate.storage import tmx

    source = source_language(built)
    target = Language.EN if source is Language.ZH else Language.ZH
    store = tmx.tmxfile(sourcelanguage=source.value, targetlanguage=target.value)
    for bead_id, zh, en in sentence_beads(built):
        texts = {Language.ZH: zh, Language.EN: en}
        unit = store.addsourceunit(texts[source])
        unit.settarget(texts[target])
        unit.xmlelement.set("tuid", bead_id)
    path = out / f"{built.doc_id}.tmx"
    write_atomic(path, bytes(store))
    return [path]


def sentence_doc(vocab, sentence):
    """A spaCy Doc with exactly the sentence's tokens and spacing."""
    from spacy.tokens import Doc

    words = list(sentence.tokens)
    spaces = [sentence.token_ends[i] < (sentence.token_starts[i + 1] if i + 1 < len(words) else len(sentence.text))
              for i in range(len(words))]
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != sentence.text:
        raise ValueError(f"{sentence.id}: tokens do not rebuild the sentence text")
    doc.user_data["sentence_id"] = sentence.id
    return doc


def export_spacy(built: BuiltDocument, out: Path) -> list[Path]:
    import spacy
    from spacy.tokens import DocBin, Span

    spans, _ = token_spans(built)
    by_sentence: dict[str, list[TokenSpan]] = {}
    for span in spans:
        by_sentence.setdefault(span.sentence_id, []).append(span)
    paths = []
    for lang in Language:
        vocab = spacy.blank(lang.value).vocab
        bin_ = DocBin(store_user_data=True)
        for sentence in (s for s in covered_sentences(built) if s.language is lang):
            doc = sentence_doc(vocab, sentence)
            for layer in SPAN_LAYERS:
                doc.spans[layer] = [Span(doc, s.start, s.end, label=s.label, kb_id=s.kb_id)
                                    for s in by_sentence.get(sentence.id, []) if s.layer == layer]
            bin_.add(doc)
        path = out / f"{built.doc_id}.{lang.value}.spacy"
        write_atomic(path, bin_.to_bytes())
        paths.append(path)
    return paths


def conll_text(sentences, spans: list[TokenSpan], layer: str) -> str:
    """CoNLL-2003-style lines ('token TAG'), a blank line after each sentence, in IOB2 (of
    overlapping spans the one `bio_spans` keeps). Tokens that hold a space (a merged name such
    as 'Megatron-Turing NLG') are split at it, each part keeping the name's tag, so every line
    has exactly two columns."""
    by_sentence = _by_sentence_and_layer(spans)
    lines = []
    for sentence in sentences:
        tags = ["O"] * len(sentence.tokens)
        for span in bio_spans(by_sentence.get((sentence.id, layer), []))[0]:
            tags[span.start] = f"B-{span.label}"
            for i in range(span.start + 1, span.end):
                tags[i] = f"I-{span.label}"
        for token, tag in zip(sentence.tokens, tags):
            for k, part in enumerate(token.split()):
                lines.append(f"{part} {tag if k == 0 or tag == 'O' else 'I-' + tag[2:]}")
        lines.append("")
    return "\n".join(lines)


def export_conll(built: BuiltDocument, out: Path) -> list[Path]:
    spans, _ = token_spans(built)
    paths = []
    for lang in Language:
        sentences = [s for s in covered_sentences(built) if s.language is lang]
        for layer in SPAN_LAYERS:
            path = out / f"{built.doc_id}.{lang.value}.{layer}.conll"
            write_atomic(path, conll_text(sentences, spans, layer).encode("utf-8"))
            paths.append(path)
    return paths


EXPORTERS: dict[str, Callable[[BuiltDocument, Path], list[Path]]] = {
    "jsonl": export_jsonl,
    "moses": export_moses,
    "tmx": export_tmx,
    "spacy": export_spacy,
    "conll": export_conll,
}


def export(built: BuiltDocument, fmt: str, out: Path) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return EXPORTERS[fmt](built, out)

