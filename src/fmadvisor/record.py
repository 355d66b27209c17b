"""Plain read-only records that answer like frozen pydantic models, without building any.

A command's success path reads validated data (a spec, the rule base's plan and domain tables)
many times and validates it once; after validation, the data lives in records: attributes in field
order, equality by value, `model_copy(update=...)` and `model_dump()`. Building pydantic's model
classes costs more than a whole `score` run, so the fast spec path (`spec_form`) and the compiled
rule base (`rules.compiled`) hold records, not models.
"""

from __future__ import annotations

from typing import Any

_CLASSES: dict[tuple[str, tuple[type, ...]], type[Record]] = {}


class Record:
    """A validated section: read-only attributes in the model's field order."""

    __slots__ = ("__dict__",)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:  # like a frozen pydantic model: fails on list fields
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:  # classes are made at run time: pickle by name
        return make, (type(self).__name__, dict(self.__dict__), type(self).__bases__[:-1])

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A shallow copy with `update` applied, unvalidated (as pydantic's model_copy)."""
        return new(type(self), {**self.__dict__, **(update or {})})

    def model_dump(self) -> dict[str, Any]:
        return {k: _dump(v) for k, v in self.__dict__.items()}


def record_class(name: str, bases: tuple[type, ...] = ()) -> type[Record]:
    """The record class called `name`, with `bases` mixed in (their methods), made once."""
    key = (name, bases)
    if key not in _CLASSES:
        _CLASSES[key] = type(name, (*bases, Record), {"__slots__": ()})
    return _CLASSES[key]


def make(name: str, values: dict[str, Any], bases: tuple[type, ...] = ()) -> Any:
    return new(record_class(name, bases), values)


def new(cls: type[Record], values: dict[str, Any]) -> Any:
    """An instance of the record class `cls` holding `values` (in field order), unvalidated."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def from_model(value: Any) -> Any:
    """A validated pydantic model (and the models it holds) as records; other values as they are."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return make(type(value).__name__, {k: from_model(getattr(value, k)) for k in fields})
    if isinstance(value, list):
        return [from_model(v) for v in value]
    if isinstance(value, tuple):
        return tuple(from_model(v) for v in value)
    if isinstance(value, dict):
        return {k: from_model(v) for k, v in value.items()}
    return value


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value
