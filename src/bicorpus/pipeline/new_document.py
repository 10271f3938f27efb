"""A newcomer's path into the corpus: start a document from two files, read the beads the
aligner proposes, accept them.

* `new_document` copies the two files verbatim into corpus/<doc>/, writes a document.yaml
  with what the files tell (sha256, cleaners, titles) and a visible `TODO:` placeholder for
  what only a person knows, and proposes paragraph and sentence beads, each labelled
  `proposed`, in annotations/<doc>/.
* `show_document` prints the beads with their numbered units, for reviewing them without
  counting paragraphs or sentences by hand.
* `accept_beads` removes the `proposed` label from chosen beads, or from all of them.
* `placeholder_problems` and `review_problems` are what `bicorpus validate` reports until
  the review is done.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..alignment.aligner import align, align_within
from ..alignment.gold_beads import (format_bead, format_beads, kinds_from_other_side, paragraph_bead_of_sentence_beads,
                                    parse_beads, unreviewed)
from ..files import remove_leftovers, replacing, write_atomic
from ..problems import CorpusError, Problem, display_path
from ..schema import Bead, BeadStatus, Language, SegmentedSide, SideRole
from ..sources.capture import SourceFile, parse_metadata, read_document, read_nonempty, read_source
from ..sources.cleaners import CLEANERS, clean, cleaner_for
from ..sources.languages import pair_problem
from .build import segment_document
from .segment import segment

DOC_ID = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")
TODO = "TODO:"
PLACEHOLDER_URL = "https://example.org/TODO"
LEVELS = {"paragraph": "paragraphs.align", "sentence": "sentences.align"}


@dataclass(frozen=True)
class NewDocument:
    doc_id: str
    written: tuple[Path, ...]
    paragraph_beads: tuple[Bead, ...]
    sentence_beads: tuple[Bead, ...]
    todo: tuple[tuple[str, int], ...]  # (dotted key, line in document.yaml) still to fill
    removed: tuple[Path, ...] = ()  # files of the document this one replaced (--force) that it does not write again
    leftovers: tuple[Path, ...] = ()  # staging folders an interrupted `bicorpus new` of the document left, removed


# ---------------------------------------------------------------------------------------
# Reading the two input files
# ---------------------------------------------------------------------------------------


def check_doc_id(doc_id: str) -> None:
    if not DOC_ID.match(doc_id):
        raise CorpusError(Problem(doc_id, None, "DOC_ID", "must be `name` or `collection/name`: lowercase letters, digits "
                                                          "and underscores"))


def read_input(path: Path) -> tuple[SourceFile, bytes]:
    """An input file as text and as the bytes to copy, refused when it is missing, binary, not
    UTF-8 or empty (`read_nonempty`)."""
    source = read_nonempty(Path(path))
    return source, source.data


def _side_kinds(cleaned: dict, beads: Sequence[Bead]) -> dict:
    """Each side's paragraph kinds, as the build takes them (from the other side through the
    paragraph beads when a cleaner cannot tell them)."""
    kinds = {language: [b.kind for b in cleaned[language].blocks] for language in cleaned}
    for language, other in ((Language.EN, Language.ZH), (Language.ZH, Language.EN)):
        if cleaned[language].header.get("kinds_known") is False:
            kinds[language] = kinds_from_other_side(kinds[other], beads, len(kinds[language]), language.value)
    return kinds


def _proposed(zh: Sequence[int], en: Sequence[int]) -> Bead:
    return Bead(tuple(zh), tuple(en), BeadStatus.PROPOSED)


def propose_sentence_beads(paragraph_beads: Sequence[Bead], zh: SegmentedSide, en: SegmentedSide) -> list[Bead]:
    """Sentence beads inside each paragraph bead: the aligner over the bead's sentences (one
    sentence a side is a 1-1 bead, a side with none leaves the other's unaligned)."""
    found = align_within(paragraph_beads, [s.paragraph_index for s in zh.sentences], [s.paragraph_index for s in en.sentences],
                         [s.text for s in zh.sentences], [s.text for s in en.sentences])
    return [_proposed([zh.sentences[k].index for k in b.zh], [en.sentences[k].index for k in b.en]) for b in found]


def propose_beads(cleaned: dict, terms: Sequence[str] = ()) -> tuple[list[Bead], list[Bead]]:
    """(paragraph beads, sentence beads) proposed by the aligner for two cleaned sides."""
    texts = {language: [b.text for b in cleaned[language].blocks] for language in cleaned}
    paragraph_beads = [_proposed(b.zh, b.en) for b in align(texts[Language.ZH], texts[Language.EN])]
    kinds = _side_kinds(cleaned, paragraph_beads)
    zh, en = (segment(language, texts[language], kinds[language], list(terms)) for language in (Language.ZH, Language.EN))
    return paragraph_beads, propose_sentence_beads(paragraph_beads, zh, en)


# ---------------------------------------------------------------------------------------
# document.yaml with placeholders
# ---------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _todo(what: str) -> str:
    return _q(f"{TODO} {what}")


def _side_yaml(language: Language, role: SideRole, cleaner: str, path: str, sha256: str) -> list[str]:
    name = "Chinese" if language is Language.ZH else "English"
    lines = [f"{language.value}:",
             f"  # original (as its author wrote it), translation (by people, published by others) or",
             f"  # project_translation (written by this project from the other side).",
             f"  role: {role.value}",
             f"  # Chosen by `bicorpus new` ({CLEANERS[cleaner][1]}); `bicorpus new --help` lists the others.",
             f"  cleaner: {cleaner}",
             f"  # The {name} file, copied verbatim; `bicorpus validate` checks its sha256.",
             f"  files:",
             f"    - path: {path}",
             f"      sha256: {sha256}",
             f"  # Optional: the public address of this side, and its publication date (YYYY-MM-DD).",
             f"  # address: https://...",
             f"  # published: YYYY-MM-DD"]
    if role is SideRole.ORIGINAL:
        lines += [f"  # The person or people who wrote this side.",
                  f"  author: {_todo('who wrote the ' + name + ' text')}"]
    else:
        lines += [f"  # The person or people who translated this side (for this project: who wrote it).",
                  f"  translator: {_todo('who translated the ' + name + ' text')}"]
    lines += [f"  # Who published this side: a site, a publisher, a project (this project for its own text).",
              f"  publisher: {_todo('who published the ' + name + ' text')}",
              f"  # The licence of this side's text: an SPDX expression (CC-BY-4.0) or a rights statement.",
              f"  licence: {_todo('licence of the ' + name + ' text')}"]
    return lines


def metadata_yaml(doc_id: str, titles: dict, original: Language, roles: dict, cleaners: dict, files: dict,
                  sha256s: dict) -> str:
    """The text of a new document.yaml: what the files tell, filled; what only a person knows,
    a `TODO:` placeholder with a comment saying what to write."""
    original_title = _q(titles[original]) if roles[original] is SideRole.ORIGINAL else _todo("title of the original work")
    lines = [
        "# Metadata and provenance of one document, written by `bicorpus new`. Replace every value",
        f"# that starts with \"{TODO}\" and the address {PLACEHOLDER_URL}: `bicorpus validate` fails while",
        "# one is left. The keys are documented in docs/document-yaml.md.",
        f"doc_id: {doc_id}",
        "# The first paragraph of each side, as its cleaner found it; correct it if that is not the title.",
        f"title_zh: {_q(titles[Language.ZH])}",
        f"title_en: {_q(titles[Language.EN])}",
        "# The language the work was first written in.",
        f"original_language: {original.value}",
        "# The author or authors of the original work, as they sign it.",
        f"original_author: {_todo('who wrote the original work')}",
        "# The title of the original work.",
        f"original_title: {original_title}",
        "# Where the original appeared: a site, a journal, a book, a project.",
        f"original_publication: {_todo('where the original appeared')}",
        "# The public address of the original work.",
        f"original_url: {PLACEHOLDER_URL}",
    ]
    for language in (Language.ZH, Language.EN):
        lines += _side_yaml(language, roles[language], cleaners[language], files[language], sha256s[language])
    lines += [
        "split: train",
        "# annotated once annotations/<doc>/ holds a gold claim annotation (claims.jsonl and its companions).",
        "claims: not_annotated",
        "# Rights in the texts (who owns them, on what terms they are redistributed), kept apart from",
        "# the licence of the annotations and the code.",
        f"rights: {_todo('rights in the texts')}",
        "# Document-specific prose for the dataset card (Markdown).",
        "# Why this document is in the corpus.",
        f"card_rationale: {_todo('why this document is in the corpus')}",
        "# How the texts were obtained and cleaned.",
        f"card_source_data: {_todo('how the texts were obtained and cleaned')}",
        "# Personal or sensitive information in the texts (names of private people, contacts), or none.",
        f"card_personal_information: {_todo('personal or sensitive information in the texts')}",
        "# Known limitations, as a Markdown list (\"- ...\" lines, under `card_limitations: |`).",
        f"card_limitations: {_todo('known limitations')}",
    ]
    return "\n".join(lines) + "\n"


def _flatten(value, prefix: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}{key}.")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _flatten(item, f"{prefix}{i}.")
    else:
        yield prefix[:-1], value


def placeholders(metadata, lines: dict) -> list[tuple[str, int]]:
    """(dotted key, line) of every metadata value still a `bicorpus new` placeholder, in file order."""
    found = [(key, lines.get(key)) for key, value in _flatten(metadata.model_dump(mode="json"))
             if isinstance(value, str) and (value.startswith(TODO) or value == PLACEHOLDER_URL)]
    return sorted(found, key=lambda item: item[1] or 0)


def placeholder_problems(sources) -> list[Problem]:
    return [Problem(sources.metadata_path, line, key, "still a placeholder of `bicorpus new`: write what it asks for")
            for key, line in placeholders(sources.metadata, sources.metadata_lines)]


def review_problems(sources, paragraph_beads: Sequence[Bead], sentence_beads: Sequence[Bead]) -> list[Problem]:
    """One problem per .align file that still has beads labelled proposed, on its first such line."""
    problems = []
    for source, beads in ((sources.paragraph_alignment, paragraph_beads), (sources.sentence_alignment, sentence_beads)):
        lines = unreviewed(beads)
        if lines:
            count = "" if len(lines) == 1 else f"; {len(lines)} beads in this file, the first on this line"
            problems.append(Problem(source.path, lines[0], "bead", f"proposed by the aligner, not reviewed yet{count} "
                                                                   "(bicorpus show / bicorpus accept)"))
    return problems


# ---------------------------------------------------------------------------------------
# bicorpus new
# ---------------------------------------------------------------------------------------


def _roles(original: Language, zh_role: Optional[str], en_role: Optional[str]) -> dict:
    default = {original: SideRole.ORIGINAL}
    roles = {}
    for language, given in ((Language.ZH, zh_role), (Language.EN, en_role)):
        roles[language] = SideRole(given) if given else default.get(language, SideRole.TRANSLATION)
    return roles


def _reviewed(path: Path) -> Optional[str]:
    """What a person did to a proposed .align file, said in a few words; None for none."""
    try:
        beads = parse_beads(read_source(path))
    except CorpusError:
        return "edited: not readable as beads"
    reviewed = len(beads) - len(unreviewed(beads))
    return f"{reviewed} reviewed bead(s)" if reviewed else None


def replaced_files(corpus_dir: Path, annotations_dir: Path, force: bool) -> list[Path]:
    """The files of an earlier document of this id that writing it again replaces (none for a
    new id): its folders are replaced whole, so that no old input stays beside the new ones.
    Refused without `force`; refused even with it while the folders hold what `bicorpus new` did
    not write or what a person reviewed since (a reviewed bead, an annotation file, another
    document's folder, a collection's files), which a replacement would destroy."""
    existing = [p for p in (corpus_dir, *(annotations_dir / name for name in LEVELS.values())) if p.exists()]
    if existing and not force:
        raise CorpusError(Problem(display_path(existing[0]), None, None, "already exists: choose another DOC_ID, or pass "
                                                                          "--force to replace the document"))
    kept = {}
    for folder in (corpus_dir, annotations_dir):
        if folder.exists() and not folder.is_dir():
            kept[folder] = ["it is a file, not a folder"]
        elif folder.is_dir():
            kept[folder] = [f"{p.name}/" for p in sorted(folder.iterdir()) if p.is_dir()]
    # a folder without a document.yaml is no document's: a collection's, say, with its recipe.yaml
    if corpus_dir.is_dir() and not (corpus_dir / "document.yaml").is_file():
        kept[corpus_dir] += [f"{p.name} (in no document: the folder has no document.yaml)" for p in sorted(corpus_dir.iterdir())
                             if p.is_file()]
    if annotations_dir.is_dir():
        kept[annotations_dir] += [p.name for p in sorted(annotations_dir.iterdir())
                                  if p.is_file() and p.name not in LEVELS.values()]
        for name in sorted(LEVELS.values()):
            work = _reviewed(annotations_dir / name) if (annotations_dir / name).is_file() else None
            if work:
                kept[annotations_dir].append(f"{name} ({work})")
    said = [f"{display_path(folder)}/: {', '.join(items)}" for folder, items in kept.items() if items]
    if said:
        raise CorpusError(Problem(display_path(corpus_dir), None, "--force" if force else "DOC_ID",
                                  "`bicorpus new` replaces only what it wrote and nobody reviewed since; here it would destroy "
                                  f"{'; '.join(said)}. Nothing was written: remove what you mean to discard yourself, or "
                                  "choose another DOC_ID"))
    return sorted(p for folder in (corpus_dir, annotations_dir) if folder.is_dir() for p in folder.iterdir())


def write_document(folders: dict[Path, dict[str, bytes]]) -> list[Path]:
    """Each folder's files written into a staging folder beside it, which then takes the folder's
    place whole: a reader sees the old document or the new one, never old inputs beside new
    ones. Returns the staging folders an interrupted run left, which are removed first."""
    leftovers = [path for folder in folders for path in remove_leftovers(folder)]
    with ExitStack() as stack:
        # entered last to first, so that the folders take their places first to last once every file
        # is written: between the two, the corpus folder is new and the proposed beads old; a run cut
        # off there is run again (every bead is still proposed, so --force is not refused)
        staged = {folder: stack.enter_context(replacing(folder)) for folder in reversed(list(folders))}
        for folder, files in folders.items():
            for name, data in files.items():
                write_atomic(staged[folder] / name, data)
    return leftovers


def new_document(corpus_root: Path, annotations_root: Path, doc_id: str, zh_path: Path, en_path: Path,
                 zh_cleaner: Optional[str] = None, en_cleaner: Optional[str] = None, original: str = "en",
                 zh_role: Optional[str] = None, en_role: Optional[str] = None, force: bool = False) -> NewDocument:
    """Start corpus/<doc>/ and annotations/<doc>/ from two files; nothing is written unless
    every check passes."""
    check_doc_id(doc_id)
    corpus_dir, annotations_dir = Path(corpus_root) / doc_id, Path(annotations_root) / doc_id
    old_files = replaced_files(corpus_dir, annotations_dir, force)
    paths = {Language.ZH: Path(zh_path), Language.EN: Path(en_path)}
    given = {Language.ZH: zh_cleaner, Language.EN: en_cleaner}
    inputs, cleaners, cleaned, names, sha256s, source_paths = {}, {}, {}, {}, {}, {}
    for language, path in paths.items():
        source, data = read_input(path)
        source_paths[language] = source.path
        cleaners[language] = given[language] or cleaner_for(path.name)
        cleaned[language] = clean([source], cleaners[language], f"--{language.value}-cleaner")
        inputs[language] = data
        names[language] = f"{language.value}{path.suffix.lower() or '.txt'}"
        sha256s[language] = hashlib.sha256(data).hexdigest()
    # judged on the cleaned text: the markup of an HTML page is Latin letters whatever its language
    sides = [(source_paths[language], "\n".join(b.text for b in cleaned[language].blocks), f"--{language.value}")
             for language in (Language.ZH, Language.EN)]
    wrong = pair_problem(*sides)
    if wrong:
        raise CorpusError(wrong)
    original_language = Language(original)
    roles = _roles(original_language, zh_role, en_role)
    titles = {language: cleaned[language].blocks[0].text for language in cleaned}
    text = metadata_yaml(doc_id, titles, original_language, roles, cleaners, names, sha256s)
    try:
        metadata, lines = parse_metadata(SourceFile(display_path(corpus_dir / "document.yaml"), text))
    except CorpusError as err:  # only the roles can make the generated metadata invalid
        raise CorpusError([Problem("--original/--zh-role/--en-role", None, None, p.message) for p in err.problems]) from None
    paragraph_beads, sentence_beads = propose_beads(cleaned)
    folders = {corpus_dir: {names[language]: inputs[language] for language in inputs},
               annotations_dir: {LEVELS["paragraph"]: format_beads(paragraph_beads).encode("utf-8"),
                                 LEVELS["sentence"]: format_beads(sentence_beads).encode("utf-8")}}
    folders[corpus_dir]["document.yaml"] = text.encode("utf-8")
    leftovers = write_document(folders)
    written = [folder / name for folder, files in folders.items() for name in files]
    return NewDocument(doc_id, tuple(written), tuple(paragraph_beads), tuple(sentence_beads),
                       tuple(placeholders(metadata, lines)), tuple(p for p in old_files if p not in written), tuple(leftovers))


# ---------------------------------------------------------------------------------------
# bicorpus show and bicorpus accept
# ---------------------------------------------------------------------------------------


def _require_document(corpus_root: Path, doc_id: str) -> None:
    check_doc_id(doc_id)
    path = Path(corpus_root) / doc_id / "document.yaml"
    if not path.is_file():
        raise CorpusError(Problem(display_path(path), None, None, f"no document {doc_id!r} here (`bicorpus new` starts one)"))


def _label(bead: Bead) -> str:
    return bead.checked_status.value


def _bead_line(number: int, bead: Bead, indent: str) -> str:
    return f"{indent}{number:>4}  {format_bead(Bead(bead.zh, bead.en))}  {bead.bead_type.value}  {_label(bead)}"


def show_document(corpus_root: Path, annotations_root: Path, doc_id: str, level: str = "paragraph",
                  package_roots: Optional[dict] = None) -> str:
    """The document bead by bead: each paragraph bead (its line in paragraphs.align, indices,
    type and label) with its numbered paragraphs, or with its sentence beads and their
    numbered sentences, as sentences.align indexes them."""
    _require_document(corpus_root, doc_id)
    sources = read_document(corpus_root, annotations_root, doc_id, package_roots)
    _, zh, en, paragraph_beads, sentence_beads = segment_document(sources)
    out = [f"# {doc_id}: {len(paragraph_beads)} paragraph beads ({len(unreviewed(paragraph_beads))} proposed), "
           f"{len(sentence_beads)} sentence beads ({len(unreviewed(sentence_beads))} proposed)",
           f"# line  [zh]:[en]  type  label   (line: the bead's line in annotations/{doc_id}/<level>.align, "
           "for bicorpus accept --beads)"]
    parents = paragraph_bead_of_sentence_beads(sentence_beads, paragraph_beads, [s.paragraph_index for s in zh.sentences],
                                               [s.paragraph_index for s in en.sentences])
    for p, bead in enumerate(paragraph_beads):
        out.append("")
        out.append(_bead_line(p + 1, bead, "paragraph "))
        if level == "paragraph":
            out += [f"    zh p{k}: {zh.paragraphs[k].text}" for k in bead.zh]
            out += [f"    en p{k}: {en.paragraphs[k].text}" for k in bead.en]
            continue
        for s, sentence_bead in enumerate(sentence_beads):
            if parents[s] != p:
                continue
            out.append(_bead_line(s + 1, sentence_bead, "  sentence "))
            out += [f"      zh s{k}: {zh.sentences[k].text}" for k in sentence_bead.zh]
            out += [f"      en s{k}: {en.sentences[k].text}" for k in sentence_bead.en]
    return "\n".join(out) + "\n"


def parse_bead_numbers(text: str) -> list[int]:
    try:
        numbers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        numbers = []
    if not numbers or any(n < 1 for n in numbers):
        raise CorpusError(Problem("--beads", None, None, f"expected bead line numbers like 1,4,5 (1-based), got {text!r}"))
    return sorted(set(numbers))


def accept_beads(corpus_root: Path, annotations_root: Path, doc_id: str, level: str,
                 numbers: Optional[Sequence[int]] = None) -> tuple[int, int]:
    """Remove the proposed label from the beads on the given lines of annotations/<doc>/<level>.align
    (every bead when `numbers` is None); (accepted, still proposed)."""
    _require_document(corpus_root, doc_id)
    path = Path(annotations_root) / doc_id / LEVELS[level]
    beads = parse_beads(read_source(path))
    chosen = range(1, len(beads) + 1) if numbers is None else numbers
    beyond = [n for n in chosen if not 1 <= n <= len(beads)]
    if beyond:
        raise CorpusError(Problem(display_path(path), None, "--beads", f"no bead on line {beyond[0]}: the file has {len(beads)}"))
    accepted = 0
    for n in chosen:
        if beads[n - 1].status is BeadStatus.PROPOSED:
            beads[n - 1] = Bead(beads[n - 1].zh, beads[n - 1].en)
            accepted += 1
    if accepted:
        write_atomic(path, format_beads(beads).encode("utf-8"))
    return accepted, len(unreviewed(beads))
