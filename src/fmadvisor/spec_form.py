"""The fast path of spec validation: the spec's form, derived from the pydantic models at build time.

Building the pydantic models of `spec_model` (and importing pydantic's internals) costs more than
scoring a spec. `build_form` walks those models once, at build time, into a plain description
(`spec_form.json`: each section's fields in order, their types, bounds, defaults, the validators
and methods they use from `spec_logic`, and the kind and description the rule base reads), which
ships in the package. `validate` reads a document by that form into records (`fmadvisor.record`)
that answer like the models do (attributes, the same `spec_logic` methods, `model_copy`,
`model_dump`).

The form is no second definition: nothing in it is written by hand, `python -m fmadvisor.spec_form`
rebuilds it, it is used only while the files it was derived from still have the digest it records,
and tests/test_spec_form.py fails when it is stale and checks, on every shipped spec and on
generated documents, that whatever the fast path accepts the models accept with the same values.
The fast path decides only what it is sure of: a document it cannot read exactly (a value pydantic
would reject, or change, like a string with surrounding spaces) returns None, and the caller
validates with pydantic, which words any error.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any
from collections.abc import Callable

from fmadvisor import spec_logic
from fmadvisor.package_files import checksum, package_dir
from fmadvisor.record import Record, new, record_class

FORMAT = 1
FORM_FILE = "spec_form.json"
# What the form is derived from: the models, their building blocks, and the vocabulary their
# Literal types are made of.
_SOURCES = (
    ("fmadvisor", "spec_model.py"),
    ("fmadvisor", "spec_types.py"),
    ("fmadvisor", "vocab.py"),
    ("fmadvisor.rulebase", "tables/vocabulary.yaml"),
)


def source_digest() -> str:
    """A checksum of the files the form is derived from (names and bytes)."""
    return checksum(
        [
            (f"{package}/{name}", (package_dir(package) / name).read_bytes())
            for package, name in _SOURCES
        ]
    )


class Decline(Exception):
    """The fast path does not decide this document; pydantic will."""


class Form:
    """The shipped form, read: section classes and the validators they call, by section name."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.root: str = doc["root"]
        self.models: dict[str, dict[str, Any]] = doc["models"]
        self.classes: dict[str, type[Record]] = {}
        self.checks: dict[str, list[Callable[[Any], Any]]] = {}
        for name, model in self.models.items():
            mixin = (getattr(spec_logic, model["logic"]),) if model["logic"] else ()
            self.classes[name] = record_class(name, mixin)
            self.checks[name] = [getattr(spec_logic, f) for f in model["checks"]]
        self.field_checks = {
            (name, field["name"]): [getattr(spec_logic, f) for f in field["validators"]]
            for name, model in self.models.items()
            for field in model["fields"]
        }
        self.befores = {
            fn: getattr(spec_logic, fn) for model in self.models.values() for fn in _befores(model)
        }

    def section(self, name: str, data: Any) -> Record:
        if type(data) is not dict:
            raise Decline
        model = self.models[name]
        names = model["names"]
        if any(type(key) is not str or key not in names for key in data):
            raise Decline  # unknown field: pydantic says which, with a suggestion
        values: dict[str, Any] = {}
        for field in model["fields"]:
            fname = field["name"]
            if fname in data:
                value = self.value(field["type"], data[fname])
                for check in self.field_checks[name, fname]:
                    value = check(value)
            elif field["required"]:
                raise Decline
            elif field["factory"] == "list":
                value = []
            elif field["factory"]:
                value = self.section(field["factory"], {})
            else:
                value = field["default"]
            values[fname] = value
        obj = new(self.classes[name], values)
        for check in self.checks[name]:
            obj = check(obj)
        return obj

    def value(self, form: dict[str, Any], value: Any) -> Any:
        for fn in form.get("before", ()):
            value = self.befores[fn](value)
        kind = form["kind"]
        if kind == "union":
            return self._union(form["of"], value)
        if kind == "model":
            return self.section(form["model"], value)
        if kind == "list":
            if type(value) is not list:
                raise Decline
            value = [self.value(form["item"], v) for v in value]
        elif kind == "literal":
            if not any(type(value) is type(v) and value == v for v in form["values"]):
                raise Decline
        elif not _scalar_ok(kind, value):
            raise Decline
        elif kind == "float":
            value = float(value)
        _bounds(form, value)
        return value

    def _union(self, members: list[dict[str, Any]], value: Any) -> Any:
        if value is None:
            if any(m["kind"] == "none" for m in members):
                return None
            raise Decline
        accepted = []
        for member in members:
            if member["kind"] == "none":
                continue
            try:
                accepted.append(self.value(member, value))
            except Decline:
                continue
        if len(accepted) != 1:
            raise Decline  # none, or more than one reading: pydantic's smart union decides
        return accepted[0]


def _befores(model: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    stack = [f["type"] for f in model["fields"]]
    while stack:
        form = stack.pop()
        out.update(form.get("before", ()))
        stack.extend(form.get("of", ()))
        if "item" in form:
            stack.append(form["item"])
    return out


def _scalar_ok(kind: str, value: Any) -> bool:
    if kind == "str":  # strict, and pydantic strips surrounding whitespace: leave that to it
        return type(value) is str and value == value.strip()
    if kind == "int":
        return type(value) is int
    if kind == "float":
        return type(value) in (int, float) and math.isfinite(value)
    if kind == "bool":
        return type(value) is bool
    if kind == "none":
        return value is None
    return False


def _bounds(form: dict[str, Any], value: Any) -> None:
    size = len(value) if isinstance(value, (str, list)) else None
    for key, ok in (
        ("ge", lambda b: value >= b),
        ("gt", lambda b: value > b),
        ("le", lambda b: value <= b),
        ("lt", lambda b: value < b),
        ("min_length", lambda b: size is not None and size >= b),
        ("max_length", lambda b: size is not None and size <= b),
    ):
        if key in form and not ok(form[key]):
            raise Decline


_FORM: list[Form | None] = []


def shipped_form() -> Form | None:
    """The shipped form, or None when it is missing or stale (then every spec goes to pydantic)."""
    if not _FORM:
        form = None
        try:
            doc = read_form_doc()
            if doc.get("format") == FORMAT and doc.get("digest") == source_digest():
                form = Form(doc)
        except (OSError, ValueError, KeyError, AttributeError):
            form = None
        _FORM.append(form)
    return _FORM[0]


def validate(data: Any) -> Any | None:
    """The spec `data` as records, or None: pydantic must decide it."""
    form = shipped_form()
    if form is None:
        return None
    try:
        return form.section(form.root, data)
    except (Decline, ValueError, TypeError, ArithmeticError, AssertionError):
        return None


def spec_fields() -> dict[str, tuple[str, str]]:
    """Every spec.* path a rule may name, with (kind, description), in field order."""
    doc = read_form_doc()
    out: dict[str, tuple[str, str]] = {}

    def walk(name: str, prefix: str) -> None:
        for field in doc["models"][name]["fields"]:
            path = f"{prefix}.{field['name']}"
            if field["section"]:
                walk(field["section"], path)
            else:
                out[path] = (field["rule_kind"], field["description"])

    walk(doc["root"], "spec")
    return out


@functools.cache
def read_form_doc() -> dict[str, Any]:
    """The shipped form as written (whether or not it is fresh), read once per process: the rule
    registry and the fast path both use it. Not to be modified."""
    return json.loads((package_dir("fmadvisor") / FORM_FILE).read_text("utf-8"))


# Build time: the form from the pydantic models.


def build_form() -> dict[str, Any]:
    """The form of `spec_model.Spec`, from its models' fields, metadata and validators."""
    from fmadvisor.spec_model import Spec

    models: dict[str, dict[str, Any]] = {}
    _describe(Spec, models)
    return {"format": FORMAT, "digest": source_digest(), "root": Spec.__name__, "models": models}


def _logic_name(fn: Any) -> str:
    fn = getattr(fn, "__func__", fn)
    if getattr(fn, "__module__", None) != spec_logic.__name__ or not hasattr(
        spec_logic, fn.__name__
    ):
        raise TypeError(f"{fn!r}: spec validators must be functions of fmadvisor.spec_logic")
    return fn.__name__


def _describe(model: Any, models: dict[str, dict[str, Any]]) -> None:
    from pydantic import BaseModel

    from fmadvisor.rules.registry import _kind_of

    if model.__name__ in models:
        return
    decorators = model.__pydantic_decorators__
    logic = [b.__name__ for b in model.__mro__ if b.__module__ == spec_logic.__name__]
    entry: dict[str, Any] = {"logic": logic[0] if logic else None, "checks": [], "fields": []}
    models[model.__name__] = entry
    for dec in decorators.model_validators.values():
        if dec.info.mode != "after":
            raise TypeError(f"{model.__name__}: only 'after' model validators have a fast path")
        entry["checks"].append(_logic_name(dec.func))
    for name, info in model.model_fields.items():
        if info.alias or info.validation_alias:
            raise TypeError(f"{model.__name__}.{name}: aliases have no fast path")
        checks = []
        for dec in decorators.field_validators.values():
            if name in dec.info.fields:
                if dec.info.mode != "after":
                    raise TypeError(f"{model.__name__}.{name}: only 'after' field validators")
                checks.append(_logic_name(dec.func))
        ann = info.annotation
        section = next(
            (
                a
                for a in (ann, *getattr(ann, "__args__", ()))
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
        factory = info.default_factory
        entry["fields"].append(
            {
                "name": name,
                "type": _type_form(ann, info.metadata, models),
                "required": info.is_required(),
                "default": None if info.is_required() or factory else info.default,
                "factory": "list" if factory is list else (factory.__name__ if factory else None),
                "validators": checks,
                "section": section.__name__
                if section is not None and "list" not in str(ann)
                else None,
                "rule_kind": _kind_of(ann),
                "description": info.description or "",
            }
        )
        if factory not in (None, list):
            _describe(factory, models)
    entry["names"] = [f["name"] for f in entry["fields"]]


def _type_form(ann: Any, metadata: Any, models: dict[str, dict[str, Any]]) -> dict[str, Any]:
    import types
    import typing

    import annotated_types as at
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo
    from pydantic.functional_validators import BeforeValidator
    from pydantic.json_schema import WithJsonSchema

    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        return _type_form(args[0], [*ann.__metadata__, *metadata], models)
    form: dict[str, Any]
    if ann is type(None):
        form = {"kind": "none"}
    elif origin in (typing.Union, types.UnionType):
        form = {"kind": "union", "of": [_type_form(a, (), models) for a in args]}
    elif origin is typing.Literal:
        form = {"kind": "literal", "values": list(args)}
    elif origin is list:
        form = {"kind": "list", "item": _type_form(args[0], (), models)}
    elif ann in (str, int, float, bool):
        form = {"kind": ann.__name__}
    elif isinstance(ann, type) and issubclass(ann, BaseModel):
        _describe(ann, models)
        form = {"kind": "model", "model": ann.__name__}
    else:
        raise TypeError(f"{ann!r}: no fast path for this type")
    bounds = {at.Ge: "ge", at.Gt: "gt", at.Le: "le", at.Lt: "lt"}
    flat = []
    for meta in metadata:  # Field(ge=...) inside Annotated holds its constraints as metadata
        flat.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
    for meta in flat:
        if type(meta) in bounds:
            form[bounds[type(meta)]] = getattr(meta, bounds[type(meta)])
        elif isinstance(meta, at.MinLen):
            form["min_length"] = meta.min_length
        elif isinstance(meta, at.MaxLen):
            form["max_length"] = meta.max_length
        elif isinstance(meta, BeforeValidator):
            form.setdefault("before", []).append(_logic_name(meta.func))
        elif not isinstance(meta, WithJsonSchema):  # documentation only
            raise TypeError(f"{meta!r}: no fast path for this constraint")
    if form["kind"] == "union":  # as pydantic does, bounds apply to the value, not to None
        limits = {k: form.pop(k) for k in BOUNDS if k in form}
        for member in form["of"]:
            if member["kind"] != "none":
                member.update(limits)
    return form


BOUNDS = ("ge", "gt", "le", "lt", "min_length", "max_length")


def write_form(path: Path | None = None) -> Path:
    """Build the form and write it beside this module (or to `path`)."""
    target = path or Path(__file__).with_name(FORM_FILE)
    text = json.dumps(build_form(), indent=1, sort_keys=False) + "\n"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


if __name__ == "__main__":
    import sys

    sys.stdout.write(f"{write_form()}\n")
