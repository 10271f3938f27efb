"""Croissant (MLCommons) metadata for a loader folder, derived from the schema with
mlcroissant: one FileObject per data file (with its sha256) and one RecordSet per config,
whose fields follow the row dataclass (lists as repeated fields, nested spans and the
Translation pair as sub-fields)."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import get_args, get_origin

from ..features import _resolved_hints, _unwrap_optional

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _data_type(hint, mlc, dtype=None):
    hint, _ = _unwrap_optional(hint)
    if dtype == "date32":  # written as ISO 8601 text, read as a date (schema.described)
        return mlc.DataType.DATE
    if isinstance(hint, type) and issubclass(hint, Enum) or hint is str:
        return mlc.DataType.TEXT
    return {int: mlc.DataType.INTEGER, float: mlc.DataType.FLOAT, bool: mlc.DataType.BOOL}[hint]


def _fields(row_type: type, record_set: str, file_id: str, mlc, column=None, prefix="", file_set=False):
    """Croissant fields of a row dataclass; inside a list of structs, `column` names the
    JSON key of the list and each sub-field reads `[*].<name>`."""
    hints = _resolved_hints(row_type)
    out = []
    for f in dataclasses.fields(row_type):
        hint, _ = _unwrap_optional(hints[f.name])
        field_id = f"{record_set}/{prefix}{f.name}"
        description = f.metadata.get("doc", "")

        def source(col, path=None):
            transforms = [mlc.Transform(json_path=path)] if path else []
            if file_set:
                return mlc.Source(file_set=file_id, extract=mlc.Extract(column=col), transforms=transforms)
            return mlc.Source(file_object=file_id, extract=mlc.Extract(column=col), transforms=transforms)

        if column is not None:  # a sub-field of a list of structs
            out.append(mlc.Field(id=field_id, name=f.name, description=description,
                                 data_types=[_data_type(hint, mlc, f.metadata.get("dtype"))], source=source(column, f"[*].{f.name}")))
        elif f.metadata.get("feature") == "translation":
            subs = [mlc.Field(id=f"{field_id}/{lang}", name=lang, data_types=[mlc.DataType.TEXT], source=source(f.name, lang))
                    for lang in ("en", "zh")]
            out.append(mlc.Field(id=field_id, name=f.name, description=description, sub_fields=subs))
        elif get_origin(hint) is tuple and dataclasses.is_dataclass(get_args(hint)[0]):
            subs = _fields(get_args(hint)[0], record_set, file_id, mlc, column=f.name, prefix=f"{f.name}/", file_set=file_set)
            out.append(mlc.Field(id=field_id, name=f.name, description=description, repeated=True, sub_fields=subs))
        elif get_origin(hint) is tuple:
            out.append(mlc.Field(id=field_id, name=f.name, description=description, repeated=True,
                                 data_types=[_data_type(get_args(hint)[0], mlc)], source=source(f.name)))
        else:
            out.append(mlc.Field(id=field_id, name=f.name, description=description,
                                 data_types=[_data_type(hint, mlc, f.metadata.get("dtype"))], source=source(f.name)))
    return out


def quiet_mlcroissant():
    """mlcroissant reports through absl logging; keep its recommendations out of build output."""
    import mlcroissant as mlc
    from absl import logging as absl_logging

    absl_logging.set_verbosity(absl_logging.ERROR)
    return mlc


def croissant_json(collection, checksums: dict[str, str], paths: dict, configs: dict[str, tuple[type, str]], version: str,
                   cite_as: str) -> str:
    mlc = quiet_mlcroissant()

    files, record_sets = [], []
    for name, (row_type, description) in configs.items():
        split_paths = list(paths[name].values())
        for path in split_paths:
            files.append(mlc.FileObject(id=path, name=path, content_url=path, encoding_formats=["application/jsonlines"],
                                        sha256=checksums[path]))
        if len(split_paths) == 1:
            source_id = split_paths[0]
        else:  # one record set over the config's split files
            source_id = f"data/{name}"
            files.append(mlc.FileSet(id=source_id, name=source_id, encoding_formats=["application/jsonlines"],
                                     includes=[f"data/{name}/*.jsonl"]))
        key = f"{name}/id" if "id" in {f.name for f in dataclasses.fields(row_type)} else None
        record_sets.append(mlc.RecordSet(id=name, name=name, description=description, key=key,
                                         fields=_fields(row_type, name, source_id, mlc, file_set=len(split_paths) > 1)))
    documents = "; ".join(
        f"{b.doc_id}: {b.metadata.title_zh} / {b.metadata.title_en} (zh {b.metadata.zh.role.value}, "
        f"licence {b.metadata.zh.licence}; en {b.metadata.en.role.value}, licence {b.metadata.en.licence})"
        for b in collection.documents)
    metadata = mlc.Metadata(
        name=f"bicorpus-{collection.name}",
        description=(f"{collection.title}: Chinese-English document pairs aligned by paragraph and sentence, with gold "
                     f"claim annotation where present. Documents, with what each side is and its licence: {documents}. "
                     "Rights: " + " ".join(b.metadata.rights.strip() for b in collection.documents)),
        # CC BY covers only what the project wrote; the texts keep their owners' rights and licences
        license=[f"{CC_BY} (annotations, alignments, metadata and any translation written by the project only; the "
                 "texts of others keep their own licences: see the description)"],
        cite_as=cite_as,
        version=version,
        distribution=files,
        record_sets=record_sets,
    )
    return json.dumps(metadata.to_json(), ensure_ascii=False, indent=2) + "\n"
