"""Turning pydantic validation errors into located, worded input errors."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ValidationError

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
    "finite_number": "must be a finite number",
    "date_type": "must be a date, YYYY-MM-DD (e.g. 2026-12-31)",
    "date_parsing": "must be a date, YYYY-MM-DD (e.g. 2026-12-31)",
    "date_from_datetime_parsing": "must be a date, YYYY-MM-DD (e.g. 2026-12-31)",
}
_BOUND_WORDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}
MAX_ERRORS = 20
"""Most errors of one file reported; the rest are counted."""


def _iso_date(value: Any) -> Any:
    """An ISO date written in quotes ('2026-12-31') is the date it spells."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value  # pydantic words the error
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date field: a YAML date, or an ISO date string (YAML reads quoted dates as text)."""


def _number(value: Any) -> str:
    """1000000 -> '1,000,000'; 1e+308 and 0.5 as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e16):
        return f"{value:g}"
    return f"{int(value):,}"


def _message(err: Any, root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str, bool]:
    """(the error in words, whether it is about a key rather than a value)."""
    etype = err["type"]
    if etype == "extra_forbidden":
        name = str(loc[-1])
        close = difflib.get_close_matches(name, _siblings(root, tuple(err["loc"])), n=1)
        return f"unknown field '{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""), True
    ctx = err.get("ctx", {})
    if etype in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        message = f"must be one of {expected}".replace("'", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        given = err.get("input")
        close = difflib.get_close_matches(str(given).lower(), choices, n=1) if given else []
        if close:
            return f"{message} (got {given!r}; did you mean '{close[0]}'?)", False
    elif etype in _BOUND_WORDS:
        key, words = _BOUND_WORDS[etype]
        message = f"must be {words} {_number(ctx.get(key))}"
    elif etype in _TYPE_WORDS:
        message = _TYPE_WORDS[etype]
    elif etype == "value_error":
        return str(ctx.get("error", err["msg"])), False
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
    if etype != "missing" and "input" in err and not isinstance(err["input"], (dict, list)):
        given = err["input"]
        message += f" (got {_number(given) if isinstance(given, float) else repr(given)})"
        if etype == "string_type" and isinstance(given, (int, float)):
            message += "; YAML read a number: write the text in quotes"  # a revision like 1234e56
    return message, False


def located_error(
    exc: ValidationError,
    source: SourceMap,
    root: type[BaseModel],
    error: type[InputError],
    prefix: tuple[str | int, ...] = (),
) -> InputError:
    """Every validation error (up to MAX_ERRORS), each in words at its location: the first is the
    error raised, the others ride along in its `also`, as a linter lists every problem of a file."""
    found: list[InputError] = []
    for err in exc.errors(include_url=False):
        loc = (*prefix, *err["loc"])
        message, about_key = _message(err, root, loc)
        where = source.locate(loc, prefer_key=about_key)
        found.append(
            error(message, Location(where.file, where.line, where.column, format_path(loc)))
        )
    found.sort(
        key=lambda e: e.location.line if e.location else 0
    )  # stable: same line, schema order
    first = found[0]
    first.also = tuple(found[1:MAX_ERRORS])
    first.total = len(found)
    return first
