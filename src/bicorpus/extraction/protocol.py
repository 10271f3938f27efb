"""The document-level protocol: which documents a system saw, and scores per document and split.

A system (a rule set or a trained model) is declared by its name and the documents whose gold
it was built or trained from (`SystemCard.seen`). Scores are given per document, per split,
and for the documents the system saw ("in-sample") apart from those it did not
("out-of-sample"), so a reader never mistakes a fit to the data for a result on new text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..problems import CorpusError, Problem
from ..schema import Language
from .evaluate import gold_spans, score


@dataclass(frozen=True)
class SystemCard:
    """What a predictions file came from: a system's name and the documents it saw."""

    system: str
    seen: tuple[str, ...] = ()
    note: str = ""

    def to_json(self) -> bytes:
        return (json.dumps({"system": self.system, "seen": list(self.seen), "note": self.note}, ensure_ascii=False,
                           indent=2) + "\n").encode("utf-8")

    @classmethod
    def read(cls, path: Path) -> "SystemCard":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(str(data["system"]), tuple(sorted(data.get("seen", []))), str(data.get("note", "")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise CorpusError(Problem(str(path), None, "system", f"not a system card ({err})")) from None


def system_card_path(predictions: Path) -> Path:
    """The system card written beside a predictions file."""
    return Path(predictions).with_suffix(".system.json")


@dataclass(frozen=True)
class ScoredDocument:
    doc_id: str
    split: str
    seen: bool
    result: dict = field(repr=False)


def sentence_ids(built, only: Optional[set] = None) -> dict[str, list[str]]:
    """language -> the ids of the sentences a system is scored on (of `only`, where given)."""
    keep = scored_sentence_ids(built) if only is None else scored_sentence_ids(built) & only
    return {lang.value: [s.id for s in built.rows["sentences"] if s.language is lang and s.id in keep] for lang in Language}


def score_documents(documents: Sequence[tuple[object, str]], predictions: Sequence, card: SystemCard,
                    ids_of: dict) -> list[ScoredDocument]:
    """Score each (built document, split) on its own sentences (`ids_of`: doc id -> `sentence_ids`)."""
    by_sentence: dict[str, list] = {}
    for p in predictions:
        by_sentence.setdefault(p.sentence_id, []).append(p)
    out = []
    for built, split in documents:
        ids = ids_of[built.doc_id]
        preds = [p for lang in ids.values() for sid in lang for p in by_sentence.get(sid, [])]
        out.append(ScoredDocument(built.doc_id, split, built.doc_id in card.seen,
                                  score(gold_spans(built), preds, ids)))
    return out


def unmatched_predictions(documents: Sequence[tuple[object, str]], predictions: Sequence) -> int:
    """How many predictions name a sentence of none of the documents."""
    known = {sid for built, _ in documents for lang in sentence_ids(built).values() for sid in lang}
    return sum(p.sentence_id not in known for p in predictions)


def pooled(documents: Sequence[tuple[object, str]], predictions: Sequence, ids_of: dict) -> dict:
    """One score over several documents (micro-averaged: their spans pooled)."""
    ids: dict[str, list[str]] = {lang.value: [] for lang in Language}
    gold = []
    for built, _ in documents:
        for lang, sids in ids_of[built.doc_id].items():
            ids[lang] += sids
        gold += gold_spans(built)
    return score(gold, list(predictions), ids)


def groups(documents: Sequence[tuple[object, str]], card: SystemCard) -> dict[str, list[tuple[object, str]]]:
    """The pooled groups a report gives: each split, then in-sample and out-of-sample."""
    out: dict[str, list] = {}
    for built, split in documents:
        out.setdefault(f"split {split}", []).append((built, split))
    for built, split in documents:
        out.setdefault("in-sample" if built.doc_id in card.seen else "out-of-sample", []).append((built, split))
    return out


def scored_sentence_ids(built) -> set[str]:
    """The sentences a system is scored on: those the gold annotation covers (untranslated
    sentences and the headings of fetched documents are not annotated, so they are not scored)."""
    from ..annotation.checks import unrequired_sentences
    from ..schema import ClaimStatus

    skipped = unrequired_sentences(built)
    return {s.id for s in built.rows["sentences"]
            if s.id not in skipped and getattr(s, "claim_status", None) is not ClaimStatus.UNTRANSLATED}


SCORE_HEADER = ["rows", "documents", "language", "layer", "exact P", "exact R", "exact F1", "overlap F1", "more"]


def report(documents: Sequence[tuple[object, str]], predictions: Sequence, card: SystemCard,
           only: Optional[set] = None) -> tuple[dict, list[list]]:
    """(JSON result, table rows): each document, then each split and the in-/out-of-sample pools."""
    from .evaluate import summary_rows

    result = {"system": card.system, "seen": list(card.seen), "documents": {}, "groups": {}}
    rows = []
    ids_of = {built.doc_id: sentence_ids(built, only) for built, _ in documents}
    for scored in score_documents(documents, predictions, card, ids_of):
        result["documents"][scored.doc_id] = {"split": scored.split, "seen": scored.seen, "scores": scored.result}
        label = f"{scored.doc_id} ({scored.split}, {'in-sample' if scored.seen else 'out-of-sample'})"
        rows += [[label, "1"] + row for row in summary_rows(scored.result)]
    for name, members in groups(documents, card).items():
        ids = {s for built, _ in members for lang in ids_of[built.doc_id].values() for s in lang}
        pooled_result = pooled(members, [p for p in predictions if p.sentence_id in ids], ids_of)
        result["groups"][name] = {"documents": sorted(b.doc_id for b, _ in members), "scores": pooled_result}
        rows += [[name, str(len(members))] + row for row in summary_rows(pooled_result)]
    return result, rows


RESULTS_FILE = Path("benchmarks") / "results" / "extract.json"  # written by benchmarks/extract_benchmark.py
# The toolkit code the results are a function of: the extractors and their scoring, the gold
# records, and the stages that make the rows they read (cleaning, segmentation, the build of a
# document's rows, its gold beads). An edit to one of these makes the results stale.
RESULTS_CODE = ("extraction", "annotation", "sources/capture.py", "sources/cleaners.py", "pipeline/segment.py",
                "pipeline/build.py", "pipeline/annotated.py", "alignment/gold_beads.py", "schema.py")


def results_inputs_sha256(root: Path, doc_ids: Sequence[str]) -> str:
    """sha256 of everything the extraction results on `doc_ids` are a function of: each
    document's files (corpus/<doc>/, its collection's recipe folder, annotations/<doc>/; a
    fetched side is pinned there by its text's sha256), the project-wide annotation files, the
    toolkit code in RESULTS_CODE. It is computed without the fetched texts, so a fresh clone can
    tell whether the committed results are current. The libraries' versions are left out: what
    they decide (the tokens) is in the committed loader, which a test compares with a fresh
    build, while a new patch release that changes nothing would otherwise drop the card's figures."""
    import hashlib

    from ..files import direct_files, update_with_files

    root = Path(root)
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(b"bicorpus extraction results\0")
    folders = {root / "annotations"}
    for doc in sorted(set(doc_ids)):
        digest.update(doc.encode() + b"\0")
        folders |= {root / "corpus" / doc, root / "annotations" / doc}
        if "/" in doc:
            folders.add(root / "corpus" / doc.split("/")[0])
    code = [p for name in RESULTS_CODE for p in ([package / name] if (package / name).is_file()
                                                 else sorted((package / name).rglob("*")))]
    files = [p for folder in sorted(folders) for p in direct_files(folder)]
    files += [p for p in code if p.is_file() and p.suffix in (".py", ".jsonl")]
    update_with_files(digest, ((path.relative_to(package if package in path.parents else root).as_posix(), path)
                               for path in files))
    return digest.hexdigest()
