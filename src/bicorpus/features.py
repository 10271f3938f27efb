"""Everything derived from the row dataclasses in `schema`: `datasets` features, JSON rows,
and the card's field tables. Nothing here names a field."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any, get_args, get_origin


def _resolved_hints(row_type: type) -> dict[str, Any]:
    return typing.get_type_hints(row_type)


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if get_origin(hint) is typing.Union:
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def _feature_for(hint: Any, meta: dataclasses.Field):
    import datasets

    if meta.metadata.get("feature") == "translation":
        return datasets.Translation(languages=["en", "zh"])
    hint, _ = _unwrap_optional(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return datasets.ClassLabel(names=[member.value for member in hint])
    if get_origin(hint) is tuple:
        (item, _ellipsis) = get_args(hint)
        if dataclasses.is_dataclass(item):
            return datasets.List(features_of(item))
        return datasets.List(_scalar_value(item, meta))
    return _scalar_value(hint, meta)


def _scalar_value(hint: Any, meta: dataclasses.Field):
    import datasets

    dtype = meta.metadata.get("dtype")
    if hint is str:
        return datasets.Value(dtype or "string")
    if hint is bool:
        return datasets.Value("bool")
    if hint is int:
        return datasets.Value(dtype or "int32")
    if hint is float:
        return datasets.Value(dtype or "float64")
    raise TypeError(f"no datasets feature for type {hint!r} of field {meta.name!r}")


def features_of(row_type: type):
    """The `datasets.Features` of a row dataclass, in field order."""
    import datasets

    hints = _resolved_hints(row_type)
    return datasets.Features({f.name: _feature_for(hints[f.name], f) for f in dataclasses.fields(row_type)})


def row_to_json(row) -> dict:
    """A row as JSON-ready data: enums by their label string, tuples as lists."""
    out = {}
    for f in dataclasses.fields(row):
        value = getattr(row, f.name)
        out[f.name] = _json_value(value)
    return out


def _json_value(value):
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return row_to_json(value)
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    return value




def type_label(row_type: type, f: dataclasses.Field) -> str:
    """A short human-readable type for the card's field table."""
    hint, optional = _unwrap_optional(_resolved_hints(row_type)[f.name])
    if f.metadata.get("feature") == "translation":
        label = "Translation(en, zh)"
    elif isinstance(hint, type) and issubclass(hint, Enum):
        label = "ClassLabel(" + ", ".join(m.value for m in hint) + ")"
    elif get_origin(hint) is tuple and dataclasses.is_dataclass(get_args(hint)[0]):
        item = get_args(hint)[0]
        label = f"list of {{{', '.join(g.name for g in dataclasses.fields(item))}}}"
    elif get_origin(hint) is tuple:
        label = f"list of {_scalar_name(get_args(hint)[0], f)}"
    else:
        label = _scalar_name(hint, f)
    return label + (" or null" if optional else "")


def _scalar_name(hint: Any, f: dataclasses.Field) -> str:
    return f.metadata.get("dtype") or {str: "string", int: "int32", bool: "bool", float: "float64"}[hint]


def field_table(row_type: type) -> str:
    lines = ["| field | type | description |", "|---|---|---|"]
    for f in dataclasses.fields(row_type):
        doc = f.metadata["doc"].replace("|", "\\|")
        lines.append(f"| `{f.name}` | {type_label(row_type, f)} | {doc} |")
    return "\n".join(lines)


def value_fits(value, hint) -> bool:
    """Whether a JSON value fits a field's type hint (enums by label, tuples as lists)."""
    hint, optional = _unwrap_optional(hint)
    if value is None:
        return optional
    if isinstance(hint, type) and issubclass(hint, Enum):
        return value in {m.value for m in hint}
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, list) and all(value_fits(v, item) for v in value)
    if dataclasses.is_dataclass(hint):
        hints = _resolved_hints(hint)
        names = [g.name for g in dataclasses.fields(hint)]
        return isinstance(value, dict) and list(value) == names and all(value_fits(value[n], hints[n]) for n in names)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is dict:
        return isinstance(value, dict) and set(value) == {"en", "zh"} and all(isinstance(v, str) for v in value.values())
    return isinstance(value, hint)
