"""Stage 0: read one document's inputs, checking every source file's sha256 before anything
is derived from it.

Layout of a document `<doc>` (`name`, or `collection/name` inside a collection):

    corpus/<doc>/document.yaml           metadata and provenance of each side (schema: metadata.py)
    corpus/<doc>/<files>                 the side files kept in the repository (a page capture, our
                                         English translation, a user's HTML or Markdown), verbatim;
                                         files of a package are fetched by the collection's recipe
    corpus/<doc>/terms.txt               names kept as one token, one per line (optional)
    annotations/<doc>/paragraphs.align   gold paragraph beads
    annotations/<doc>/sentences.align    gold sentence beads
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import CorpusError, Problem, display_path
from ..schema import Language
from .metadata import DocumentMetadata


@dataclass(frozen=True)
class SourceFile:
    """A text input and the path to name in messages about it."""

    path: str
    text: str
    bom: bool = False  # the file began with a UTF-8 byte order mark, which `text` leaves out

    def lines(self) -> list[str]:
        """The lines without their '\n'; an empty file has none."""
        lines = self.text.split("\n") if self.text else []
        return lines[:-1] if self.text.endswith("\n") else lines

    @property
    def data(self) -> bytes:
        """The file's bytes (`read_source` decodes them exactly): what a verbatim copy holds and
        its sha256 is taken of."""
        return (codecs.BOM_UTF8 if self.bom else b"") + self.text.encode("utf-8")


@dataclass(frozen=True)
class DocumentSources:
    doc_id: str
    metadata: DocumentMetadata
    metadata_lines: dict  # dotted key ('zh.files.0.sha256') -> 1-based line in document.yaml
    metadata_path: str
    sides: dict  # Language -> tuple of SourceFile, in reading order
    terms: SourceFile
    paragraph_alignment: SourceFile
    sentence_alignment: SourceFile

    @property
    def capture(self) -> SourceFile:
        """The first Chinese source file (the raw page capture of a captured article)."""
        return self.sides[Language.ZH][0]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Bounds on any text input, so that a hostile file fails fast with its name instead of running
# for minutes (spaCy refuses texts past 1,000,000 characters). Set by the environment, or by
# `bicorpus --max-file-mb/--max-line-chars`.
MAX_FILE_MB_VARIABLE, MAX_LINE_CHARS_VARIABLE = "BICORPUS_MAX_FILE_MB", "BICORPUS_MAX_LINE_CHARS"
DEFAULT_MAX_FILE_MB, DEFAULT_MAX_LINE_CHARS = 50, 100_000


def limit_value(name: str, given, kind: type):
    """A limit from option or environment variable `name`: `given` as a positive, finite `kind`
    (int or float), else an error naming `name` and the value."""
    import math

    try:
        value = kind(given)
    except (TypeError, ValueError):
        raise CorpusError(Problem(name, None, None, f"must be a {'whole ' if kind is int else ''}number, not {given!r}")) from None
    if not math.isfinite(value):
        raise CorpusError(Problem(name, None, None, f"must be a finite number, not {given}"))
    if value <= 0:
        raise CorpusError(Problem(name, None, None, f"must be positive, not {given}"))
    return value


def input_limits() -> tuple[int, int]:
    """(largest file in bytes, longest line in characters) an input may have; a variable that
    is set to no positive number is an error naming it (an empty one means the default)."""
    import os

    megabytes = limit_value(MAX_FILE_MB_VARIABLE, os.environ.get(MAX_FILE_MB_VARIABLE) or DEFAULT_MAX_FILE_MB, float)
    characters = limit_value(MAX_LINE_CHARS_VARIABLE, os.environ.get(MAX_LINE_CHARS_VARIABLE) or DEFAULT_MAX_LINE_CHARS, int)
    return int(megabytes * 1024 * 1024), characters


CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "hz")


def detected_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer reads `data` in, when it reads it at all."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    found = [match.encoding for match in from_bytes(data[:200_000])]
    # a short Chinese file often reads as Korean cp949 too: in a Chinese-English corpus the
    # Chinese reading is the likely one
    return next((encoding for encoding in found if encoding in CHINESE_ENCODINGS), found[0] if found else None)


def text_problem(shown: str, data: bytes) -> Problem | None:
    """Why `data` is not a text input: too large, not UTF-8 (naming the encoding it seems to
    be in), binary, or a line too long; None when it is one."""
    max_bytes, max_line = input_limits()
    if len(data) > max_bytes:
        return size_problem(shown, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        if b"\0" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return Problem(shown, line, None, f"not valid UTF-8 (byte 0x{data[err.start]:02x}): a binary file, not text")
        encoding = detected_encoding(data)
        seems = f"; it reads as {encoding}: convert it to UTF-8 (iconv -f {encoding} -t utf-8)" if encoding else ""
        return Problem(shown, line, None, f"not valid UTF-8 (byte 0x{data[err.start]:02x}: {err.reason}){seems}")
    if "\0" in text:
        return Problem(shown, text[: text.index("\0")].count("\n") + 1, None, "a NUL byte: this is a binary file, not text")
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > max_line:
            return Problem(shown, number, None, f"line of {len(line):,} characters, more than the limit of {max_line:,} "
                                                f"(set {MAX_LINE_CHARS_VARIABLE} or --max-line-chars to allow more)")
    return None


def size_problem(shown: str, size: int) -> Problem:
    max_bytes, _ = input_limits()
    return Problem(shown, None, None, f"{size:,} bytes, more than the limit of {max_bytes:,} "
                                      f"(set {MAX_FILE_MB_VARIABLE} or --max-file-mb to allow more)")


def input_bytes(path: Path) -> tuple[str, bytes]:
    """The path as problems show it and the bytes of a file a user gives, refused when it is
    missing, not a file, or over the size limit (before it is read)."""
    shown = display_path(path)
    if not path.is_file():
        raise CorpusError(Problem(shown, None, None, "file is missing" if not path.exists() else "not a file"))
    if path.stat().st_size > input_limits()[0]:
        raise CorpusError(size_problem(shown, path.stat().st_size))
    return shown, path.read_bytes()


def read_source(path: Path) -> SourceFile:
    shown, data = input_bytes(path)
    problem = text_problem(shown, data)
    if problem is not None:
        raise CorpusError(problem)
    text = data.decode("utf-8")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise CorpusError(Problem(shown, line, None, "carriage return found; files use '\\n' line ends"))
    # an editor's byte order mark is not text: left in, it would open the first paragraph (and hide a
    # Markdown title's '#'); the file keeps it, `data` gives it back
    bom = text.startswith("\ufeff")
    return SourceFile(shown, text[1:] if bom else text, bom)


def read_nonempty(path: Path) -> SourceFile:
    """A text a user gives a command to work on (`read_source`), refused when it holds nothing
    but blank lines: there is nothing to align, clean or ingest."""
    source = read_source(path)
    if not source.text.strip():
        raise CorpusError(Problem(source.path, None, None, "file is empty"))
    return source


def cut_short_problems(*sources: SourceFile) -> list[Problem]:
    """A line file (terms, beads, records) whose last line has no line end was cut short."""
    return [Problem(source.path, len(source.lines()), None, "the last line has no line end: the file looks cut short")
            for source in sources if source.text and not source.text.endswith("\n")]


def _key_lines(node, prefix: str = "") -> dict[str, int]:
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            lines[name] = key.start_mark.line + 1
            lines.update(_key_lines(value, name + "."))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[f"{prefix}{i}"] = item.start_mark.line + 1
            lines.update(_key_lines(item, f"{prefix}{i}."))
    return lines


# libyaml's parser where PyYAML was built with it: the pure-Python one took a third of a
# cached document's rebuild; both give the same nodes, marks and values (publishing.loader uses it too)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(SAFE_LOADER):
    """A YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key, _ in node.value:
            if key.value in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key.value!r} (first on line {seen[key.value]})",
                                                        key.start_mark)
            seen[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep)


def parse_metadata(source: SourceFile) -> tuple[DocumentMetadata, dict]:
    """The metadata and the line of each (dotted) key, checked against `DocumentMetadata`:
    every problem of the file at once."""
    from pydantic import ValidationError

    try:
        node = yaml.compose(source.text, Loader=SAFE_LOADER)
        data = yaml.load(source.text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(Problem(source.path, mark.line + 1 if mark else None, None, f"invalid YAML: {getattr(err, 'problem', err)}")) from None
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise CorpusError(Problem(source.path, 1, None, "expected a mapping of metadata keys"))
    lines = _key_lines(node)
    try:
        return DocumentMetadata.model_validate(data), lines
    except ValidationError as err:
        problems = []
        for error in err.errors():
            path = [str(part) for part in error["loc"]]
            key = ".".join(path)
            line = next((lines[".".join(path[:n])] for n in range(len(path), 0, -1) if ".".join(path[:n]) in lines), None)
            message = {"missing": "required key is missing", "extra_forbidden": "unknown key"}.get(error["type"], error["msg"])
            problems.append(Problem(source.path, line, key or None, message.removeprefix("Value error, ")))
        raise CorpusError(problems) from None


def _optional_source(path: Path) -> SourceFile:
    return read_source(path) if path.exists() else SourceFile(display_path(path), "")


def side_files(corpus_dir: Path, metadata: DocumentMetadata, lines: dict, meta_path: str, language: Language,
               package_roots: dict) -> tuple[tuple[SourceFile, ...], list[Problem]]:
    """A side's files, each checked against its sha256 (package files are read from the
    unpacked package that `bicorpus fetch` keeps in its cache)."""
    side = metadata.side(language)
    if side.package:
        root = package_roots.get(side.package)
        if root is None:
            return (), [Problem(meta_path, lines.get(f"{language.value}.package"), f"{language.value}.package",
                                f"the text comes from package {side.package!r}, which is not fetched: run `bicorpus fetch` "
                                "for the collection (the text is not ours to commit)")]
    else:
        root = corpus_dir
    files, problems = [], []
    for i, entry in enumerate(side.files):
        key = f"{language.value}.files.{i}.sha256"
        try:
            source = read_source(Path(root) / entry.path)
        except CorpusError as err:
            problems += err.problems
            continue
        actual = hashlib.sha256(source.data).hexdigest()
        if entry.sha256 is not None and actual != entry.sha256:
            problems.append(Problem(meta_path, lines.get(key), key, f"{source.path} has sha256 {actual}, the metadata "
                                                                    f"records {entry.sha256}; a source file must stay verbatim"))
        files.append(source)
    return tuple(files), problems


def read_document(corpus_root: Path, annotations_root: Path, doc_id: str, package_roots: dict | None = None) -> DocumentSources:
    """Every input of one document, stopping with every problem found in them."""
    corpus_dir = Path(corpus_root) / doc_id
    annotations_dir = Path(annotations_root) / doc_id
    meta_source = read_source(corpus_dir / "document.yaml")
    metadata, lines = parse_metadata(meta_source)
    problems = []
    if metadata.doc_id != doc_id:
        problems.append(Problem(meta_source.path, lines["doc_id"], "doc_id", f"is {metadata.doc_id!r} but the folder is {doc_id!r}"))
    sides = {}
    for language in (Language.ZH, Language.EN):
        sides[language], found = side_files(corpus_dir, metadata, lines, meta_source.path, language, package_roots or {})
        problems += found
    alignments = {}
    for name in ("paragraphs.align", "sentences.align"):
        try:
            alignments[name] = read_source(annotations_dir / name)
        except CorpusError as err:
            problems += err.problems
    if problems:
        raise CorpusError(problems)
    return DocumentSources(
        doc_id=doc_id,
        metadata=metadata,
        metadata_lines=lines,
        metadata_path=meta_source.path,
        sides=sides,
        terms=_optional_source(corpus_dir / "terms.txt"),
        paragraph_alignment=alignments["paragraphs.align"],
        sentence_alignment=alignments["sentences.align"],
    )


def list_documents(corpus_root: Path) -> list[str]:
    """Every document folder under corpus/ (`name` or `collection/name`), sorted."""
    root = Path(corpus_root)
    if not root.is_dir():
        raise CorpusError(Problem(display_path(root), None, None, "no corpus folder here: run from the project folder or pass --root"))
    found = [p.parent for p in root.glob("*/document.yaml")] + [p.parent for p in root.glob("*/*/document.yaml")]
    # no document's id starts with '.': such a folder is the staging folder of an interrupted `bicorpus new`
    ids = [p.relative_to(root).as_posix() for p in found]
    return sorted(doc for doc in ids if not any(part.startswith(".") for part in doc.split("/")))
