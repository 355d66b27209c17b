"""Turning pydantic validation errors into located, worded input errors."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from fmadvisor.errors import InputError, Location
from fmadvisor.yamlsource import SourceMap, format_path


def _siblings(root: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """Field names allowed next to `path` (for 'did you mean' hints)."""
    model: Any = root
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return []
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        candidates = [ann, *args]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


_TYPE_WORDS = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "missing": "is required",
}


def located_error(
    exc: ValidationError,
    source: SourceMap,
    root: type[BaseModel],
    error: type[InputError],
    prefix: tuple[str | int, ...] = (),
) -> InputError:
    """The first validation error, in words, at its location; the rest counted."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = (*prefix, *first["loc"])
    etype = first["type"]
    if etype == "extra_forbidden":
        name = str(loc[-1])
        close = difflib.get_close_matches(name, _siblings(root, tuple(first["loc"])), n=1)
        message = f"unknown field '{name}'" + (f" (did you mean '{close[0]}'?)" if close else "")
        location = source.locate(loc, prefer_key=True)
    else:
        if etype in ("literal_error", "enum"):
            expected = first.get("ctx", {}).get("expected", "")
            message = f"must be one of {expected}".replace("'", "")
        elif etype in _TYPE_WORDS:
            message = _TYPE_WORDS[etype]
        elif etype == "value_error":
            message = str(first.get("ctx", {}).get("error", first["msg"]))
        else:
            message = first["msg"][0].lower() + first["msg"][1:]
        if (
            etype not in ("missing", "value_error")
            and "input" in first
            and not isinstance(first["input"], (dict, list))
        ):
            message += f" (got {first['input']!r})"
        location = source.locate(loc)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
    return error(message, Location(location.file, location.line, location.column, format_path(loc)))
