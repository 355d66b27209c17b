"""The field registry: every `model.*` and `fit.*` name a rule may read, its kind, description and
getter. Derived fields register themselves with `@derived` (modules in fmadvisor.rules.derived);
`fmadvisor.rules.fields` assembles the full registry with the spec and strategy namespaces."""

from __future__ import annotations

import types
from collections.abc import Callable
from operator import attrgetter
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from fmadvisor.catalog.candidate import FIELDS as CANDIDATE_FIELDS
from fmadvisor.catalog.candidate import STRUCTURED
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules.env import Env

Getter = Callable[[Candidate, Env], Any]


class FieldDef(msgspec.Struct, frozen=True):
    """A field rules may read: its kind, description, getter and the attributes it reads."""

    name: str
    kind: str  # number | bool | text | list
    description: str
    getter: Getter | None = None  # None for spec.* fields (resolved from the spec)
    unit: str = ""
    reads: tuple[str, ...] = ()  # the Candidate attributes the value depends on (and nothing else)


MODEL_FIELDS: dict[str, FieldDef] = {}
FIT_FIELDS: dict[str, FieldDef] = {}


def _kind_of(annotation: Any) -> str:
    """number | bool | text | list, from a type annotation (Optional, Literal and Annotated unwrapped)."""
    if isinstance(annotation, str):  # postponed annotations of the Candidate Struct
        annotation = annotation_type(annotation)
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin is Annotated:
        return _kind_of(args[0])
    if origin in (Union, types.UnionType):
        return _kind_of(args[0])
    if origin is Literal:
        return _kind_of(type(args[0]))
    if origin in (list, tuple) or annotation in (list, tuple):
        return "list"
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    return "text"


def annotation_type(text: str) -> Any:
    """Resolve the simple annotation strings the Candidate Struct uses (no code is run)."""
    simple = {"str": str, "int": int, "bool": bool, "float": float}
    parts = [p.strip() for p in text.split("|")]
    kinds = [p for p in parts if p != "None"]
    head = kinds[0]
    if head.startswith("tuple["):
        return tuple
    return simple.get(head, str)


def attribute_fields(prefix: str, annotations: dict[str, Any], label: str) -> dict[str, FieldDef]:
    """One field per attribute of a subject type, read as it is: `prefix.attribute`, its kind from
    the annotation, described as `label: attribute`."""
    out = {}
    for name, annotation in annotations.items():
        out[f"{prefix}.{name}"] = FieldDef(
            f"{prefix}.{name}",
            _kind_of(annotation),
            f"{label}: {name.replace('_', ' ')}",
            (lambda get: lambda c, e: get(c))(attrgetter(name)),
            reads=(name,),
        )
    return out


MODEL_FIELDS.update(
    attribute_fields(
        "model",
        {n: a for n, a in CANDIDATE_FIELDS.items() if n not in STRUCTURED},
        "Candidate metadata",
    )
)


def derived(
    name: str, kind: str, description: str, reads: tuple[str, ...], unit: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a derived field computed as fn(env, *the candidate attributes named in `reads`).

    The function is handed those attributes only, so the value cannot depend on anything else;
    scoring relies on that to memoize on the raw attributes (see scoring.Scorer).
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        get = attrgetter(*reads)
        if len(reads) == 1:
            getter: Getter = lambda c, e: fn(e, get(c))  # noqa: E731
        else:
            getter = lambda c, e: fn(e, *get(c))  # noqa: E731
        table = MODEL_FIELDS if name.startswith("model.") else FIT_FIELDS
        table[name] = FieldDef(name, kind, description, getter, unit, reads)
        return fn

    return register
