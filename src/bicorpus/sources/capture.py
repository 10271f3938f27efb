"""Stage 0: read one document's inputs from the project tree, checking the raw capture's
checksum before anything is derived from it.

Layout of a document `<doc>`:

    corpus/<doc>/document.yaml      metadata (human-edited)
    corpus/<doc>/capture.txt        the raw page capture, verbatim
    corpus/<doc>/en.txt             English paragraphs, one per line (this project's translation)
    corpus/<doc>/terms.txt          names kept as one token, one per line
    annotations/<doc>/paragraphs.align   gold paragraph beads
    annotations/<doc>/sentences.align    gold sentence beads
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import CorpusError, Problem, display_path

# key -> type; every key is required.
METADATA_FIELDS: dict[str, type] = {
    "doc_id": str,
    "capture_sha256": str,
    "cleaner": str,
    "title_zh": str,
    "title_en": str,
    "original_author": str,
    "original_title": str,
    "original_publication": str,
    "original_url": str,
    "zh_publisher": str,
    "zh_published": str,
    "zh_word_count": int,
    "zh_reading_minutes": int,
    "rights": str,
    # document-specific prose for the dataset card
    "card_rationale": str,
    "card_personal_information": str,
    "card_limitations": str,
}


@dataclass(frozen=True)
class SourceFile:
    """A text input and the path to name in messages about it."""

    path: str
    text: str

    def lines(self) -> list[str]:
        """The lines without their '\n'; an empty file has none."""
        lines = self.text.split("\n") if self.text else []
        return lines[:-1] if self.text.endswith("\n") else lines


@dataclass(frozen=True)
class DocumentSources:
    doc_id: str
    metadata: dict
    metadata_lines: dict  # key -> 1-based line in document.yaml
    metadata_path: str
    capture: SourceFile
    english: SourceFile
    terms: SourceFile
    paragraph_alignment: SourceFile
    sentence_alignment: SourceFile


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_source(path: Path) -> SourceFile:
    shown = display_path(path)
    if not path.is_file():
        raise CorpusError(Problem(shown, None, None, "file is missing"))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CorpusError(Problem(shown, line, None, f"not valid UTF-8 ({err.reason})")) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise CorpusError(Problem(shown, line, None, "carriage return found; files use '\\n' line ends"))
    return SourceFile(shown, text)


def parse_metadata(source: SourceFile) -> tuple[dict, dict]:
    """The metadata mapping and the line of each key, checked for missing and mistyped keys."""
    try:
        node = yaml.compose(source.text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(Problem(source.path, mark.line + 1 if mark else None, None, f"invalid YAML: {err}")) from None
    if not isinstance(node, yaml.MappingNode):
        raise CorpusError(Problem(source.path, 1, None, "expected a mapping of metadata keys"))
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    data = yaml.safe_load(source.text)
    problems = []
    for key, wanted in METADATA_FIELDS.items():
        if key not in data:
            problems.append(Problem(source.path, None, key, "required key is missing"))
        elif not isinstance(data[key], wanted) or isinstance(data[key], bool):
            problems.append(Problem(source.path, lines[key], key, f"expected {wanted.__name__}, got {type(data[key]).__name__}"))
    for key in data:
        if key not in METADATA_FIELDS:
            problems.append(Problem(source.path, lines[key], key, "unknown key"))
    if problems:
        raise CorpusError(problems)
    return data, lines


def read_document(corpus_root: Path, annotations_root: Path, doc_id: str) -> DocumentSources:
    corpus_dir = Path(corpus_root) / doc_id
    annotations_dir = Path(annotations_root) / doc_id
    meta_source = read_source(corpus_dir / "document.yaml")
    metadata, lines = parse_metadata(meta_source)
    if metadata["doc_id"] != doc_id:
        raise CorpusError(Problem(meta_source.path, lines["doc_id"], "doc_id", f"is {metadata['doc_id']!r} but the folder is {doc_id!r}"))
    capture = read_source(corpus_dir / "capture.txt")
    actual = sha256_text(capture.text)
    if actual != metadata["capture_sha256"]:
        raise CorpusError(
            Problem(meta_source.path, lines["capture_sha256"], "capture_sha256",
                    f"{capture.path} has sha256 {actual}, the metadata records {metadata['capture_sha256']}; "
                    "the raw capture must stay verbatim")
        )
    return DocumentSources(
        doc_id=doc_id,
        metadata=metadata,
        metadata_lines=lines,
        metadata_path=meta_source.path,
        capture=capture,
        english=read_source(corpus_dir / "en.txt"),
        terms=read_source(corpus_dir / "terms.txt"),
        paragraph_alignment=read_source(annotations_dir / "paragraphs.align"),
        sentence_alignment=read_source(annotations_dir / "sentences.align"),
    )


def list_documents(corpus_root: Path) -> list[str]:
    """Every document folder under corpus/, sorted."""
    return sorted(p.name for p in Path(corpus_root).iterdir() if (p / "document.yaml").is_file())
