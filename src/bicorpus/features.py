"""Everything derived from the row dataclasses in `schema`: `datasets` features, JSON rows,
and the card's field tables. Nothing here names a field."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from functools import lru_cache
from typing import Any, Callable, get_args, get_origin


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


@lru_cache(maxsize=None)
def _field_names(row_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(row_type))


_PLAIN = (str, int, float, bool, type(None))  # exact types: an Enum member is a str too, but by its label


def row_to_json(row) -> dict:
    """A row as JSON-ready data: enums by their label string, tuples as lists."""
    return {name: _json_value(getattr(row, name)) for name in _field_names(type(row))}


def _json_value(value):
    if type(value) in _PLAIN:
        return value
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
    return _checker(hint)(value)


@lru_cache(maxsize=None)
def _checker(hint) -> Callable[[Any], bool]:
    """`value_fits` for one hint, worked out once: the loader checks call it for every value."""
    inner, optional = _unwrap_optional(hint)
    check = _inner_checker(inner)
    if optional:
        return lambda value: value is None or check(value)
    return lambda value: value is not None and check(value)


def _inner_checker(hint) -> Callable[[Any], bool]:
    if isinstance(hint, type) and issubclass(hint, Enum):
        labels = frozenset(m.value for m in hint)
        return lambda value: isinstance(value, str) and value in labels
    if typing.get_origin(hint) is tuple:
        item = _checker(typing.get_args(hint)[0])
        return lambda value: isinstance(value, list) and all(map(item, value))
    if dataclasses.is_dataclass(hint):
        hints = _resolved_hints(hint)
        names = list(_field_names(hint))
        checks = [(n, _checker(hints[n])) for n in names]
        return lambda value: isinstance(value, dict) and list(value) == names and all(c(value[n]) for n, c in checks)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is dict:
        return lambda value: (isinstance(value, dict) and set(value) == {"en", "zh"}
                              and all(isinstance(v, str) for v in value.values()))
    return lambda value: isinstance(value, hint)
