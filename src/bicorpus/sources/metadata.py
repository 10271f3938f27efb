"""The schema of `corpus/<doc>/document.yaml`: what a document is, where each language side
came from, who wrote, translated and published it, and under which licence.

Declared once here with pydantic; reading and checking the file (`parse_metadata`), the
documentation table (`metadata_table`, in docs/document-yaml.md) and the provenance columns
of the `documents` config are all derived from these models.
"""

from __future__ import annotations

import datetime
import enum
from typing import Literal, Optional, get_args

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from ..schema import Language, SideRole

SHA256 = r"^[0-9a-f]{64}$"
_HTTP_URL = TypeAdapter(AnyHttpUrl)


def http_address(value: Optional[str]) -> Optional[str]:
    """An http(s) address, parsed by pydantic (a host is required); kept as written."""
    if value is None:
        return None
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise ValueError("an http(s) address with a host") from None
    if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise ValueError("an http(s) address, written out whole (http:// or https://, no spaces)")
    return value


class SideFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="The file: relative to corpus/<doc>/ when it is in the repository, or its path inside the package.")
    sha256: Optional[str] = Field(default=None, pattern=SHA256, description="sha256 of the file's bytes, checked before anything is derived from it; required unless the side is this project's own translation, which is edited by hand.")


class Side(BaseModel):
    """One language side of a document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: SideRole = Field(description="`original` (as its author wrote it), `translation` (by people, published by others) or `project_translation` (written by this project from the other side).")
    cleaner: str = Field(description="Cleaner that turns the files into paragraphs (`bicorpus new --help` lists them).")
    files: tuple[SideFile, ...] = Field(min_length=1, description="The side's source files, in reading order.")
    package: Optional[str] = Field(default=None, description="Name of the collection recipe's package the files come from; absent when the files are in the repository.")
    text_sha256: Optional[str] = Field(default=None, pattern=SHA256, description="sha256 of the cleaned text (paragraphs joined by a blank line); required for package files, whose text is not committed: the stand-off layers are tied to it.")
    address: Optional[str] = Field(default=None, description="Public address where this side is published.")
    author: Optional[str] = Field(default=None, description="Who wrote this side (for an original).")
    translator: Optional[str] = Field(default=None, description="Who translated this side (required unless the role is `original`).")
    publisher: str = Field(description="Who published this side.")
    published: Optional[datetime.date] = Field(default=None, description="Publication date (YYYY-MM-DD), where known.")
    licence: str = Field(min_length=1, description="Licence of this side's text (an SPDX expression where there is one), or a rights statement.")

    @field_validator("address")
    @classmethod
    def _address(cls, value):
        return http_address(value)

    @model_validator(mode="after")
    def _provenance(self):
        if self.role is not SideRole.ORIGINAL and not self.translator:
            raise ValueError("translator: required for a translation")
        if self.role is not SideRole.PROJECT_TRANSLATION and any(f.sha256 is None for f in self.files):
            raise ValueError("files: a text that is not ours must stay verbatim: give the sha256 of every file")
        if self.package and not self.text_sha256:
            raise ValueError("text_sha256: required for files from a package (their text is not committed)")
        return self


class DocumentMetadata(BaseModel):
    """A document: two language sides of one work, and what the dataset card says about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)?$", description="The folder path under corpus/ (and annotations/): `name` or `collection/name`.")
    title_zh: str = Field(min_length=1, description="Chinese title.")
    title_en: str = Field(min_length=1, description="English title.")
    original_language: Language = Field(description="Language the work was first written in.")
    original_author: str = Field(min_length=1, description="Author(s) of the original work.")
    original_title: str = Field(min_length=1, description="Title of the original work.")
    original_publication: str = Field(min_length=1, description="Where the original appeared.")
    original_url: str = Field(description="Address of the original work.")
    zh: Side = Field(description="The Chinese side.")
    en: Side = Field(description="The English side.")
    split: Literal["train", "test"] = Field(default="train", description="The split of this document in its loader; splits are by document.")
    claims: Literal["annotated", "not_annotated"] = Field(default="not_annotated", description="Whether annotations/<doc>/ holds a gold claim annotation (claims.jsonl and its companions).")
    zh_word_count: Optional[int] = Field(default=None, ge=1, description="Character count the Chinese page header prints (checked against the capture).")
    zh_reading_minutes: Optional[int] = Field(default=None, ge=1, description="Reading time the Chinese page header prints, in minutes (checked against the capture).")
    rights: str = Field(min_length=1, description="Rights in the texts, kept apart from the licence of the annotations and code.")
    card_rationale: str = Field(min_length=1, description="Dataset card: why this document is in the corpus (Markdown).")
    card_source_data: str = Field(min_length=1, description="Dataset card: how the texts were obtained and cleaned (Markdown).")
    card_personal_information: str = Field(min_length=1, description="Dataset card: personal or sensitive information in the texts.")
    card_limitations: str = Field(min_length=1, description="Dataset card: known limitations, as a Markdown list.")

    @field_validator("original_url")
    @classmethod
    def _url(cls, value):
        return http_address(value)

    @model_validator(mode="after")
    def _roles(self):
        original = self.zh if self.original_language is Language.ZH else self.en
        if original.role is SideRole.TRANSLATION:
            raise ValueError(f"{self.original_language.value}.role: the side in the original language cannot be a translation")
        if SideRole.ORIGINAL in (self.zh.role, self.en.role) and original.role is not SideRole.ORIGINAL:
            raise ValueError("only the side in original_language can be the original")
        return self

    def side(self, language: Language) -> Side:
        return self.zh if language is Language.ZH else self.en


def _type_name(annotation) -> str:
    """A short, readable name of a field's type for the documentation table."""
    from typing import get_args, get_origin

    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if get_origin(annotation) is tuple:
        return f"list of {_type_name(args[0])}"
    if args and len(args) < len(get_args(annotation)):  # Optional[...]
        return _type_name(args[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(f"`{m.value}`" for m in annotation)
    if annotation is datetime.date:
        return "date"
    return getattr(annotation, "__name__", str(annotation))


def _describe(model: type[BaseModel], prefix: str = "") -> list[list[str]]:
    rows = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        nested = next((t for t in (Side, SideFile) if annotation is t or t in get_args(annotation)), None)
        required = "required" if info.is_required() else ("optional" if info.default is None else f"default `{info.default}`")
        rows.append([f"`{prefix}{name}`", _type_name(annotation), required, (info.description or "").replace("|", "\\|")])
        if nested is not None:
            rows += _describe(nested, f"{prefix}{name}{'[]' if nested is SideFile else ''}.")
    return rows


DOC_HEADER = """# `corpus/<doc>/document.yaml`

<!-- Generated from bicorpus.sources.metadata by `python scripts/write_docs.py`; a test checks it. -->

The metadata and provenance of one document: what the document is, where each language side
came from (files in the repository or in a pinned package, each with its sha256), who wrote,
translated and published each side, and under which licence. `bicorpus validate` checks every
key; `bicorpus new` writes a first version with `TODO:` where only a person knows the answer.
Examples: `corpus/gpt4_article/document.yaml` (a captured page and this project's translation),
`corpus/debian_handbook/*/document.yaml` (a real original and its translation, from a package).

"""


def metadata_table() -> str:
    """The fields of document.yaml as a Markdown table, from the models."""
    lines = ["| key | type | | meaning |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in _describe(DocumentMetadata)]
    return "\n".join(lines) + "\n"


def metadata_doc() -> str:
    """docs/document-yaml.md."""
    return DOC_HEADER + metadata_table()
