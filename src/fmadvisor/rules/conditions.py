"""Conditions: data, not code.

A condition is a YAML mapping:
  {all: [c, ...]} | {any: [c, ...]} | {not: c}
  {field: NAME, OP: VALUE}          VALUE is a literal, {field: OTHER_NAME} or {threshold: NAME}
with OP one of the operators in `OPERATORS`. `parse` validates a condition against the field
registry (unknown fields, operators or value types are located errors); `fmadvisor.rules.evaluate.Compiler`
specializes it for one spec: `spec.*` comparisons become constants, and what is left is a closure
over the per-model values.

Logic is three-valued (Kleene): True, False, None = unknown. A comparison on an unknown model
value is unknown; a comparison on a spec value the user left empty is False (the rule does not
apply); `exists` is always decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fnmatch import fnmatchcase
from typing import Any

import msgspec

from fmadvisor.rules.fields import all_fields

Value = Any
Tri = bool | None
Evaluator = Callable[[Sequence[Any]], Tri]


class Op(msgspec.Struct, frozen=True):
    """A condition operator: the field kinds it accepts, the value it takes, its test."""

    name: str
    kinds: frozenset[str]  # field kinds it accepts
    value: str  # what VALUE must be: "same" (a value of the field's kind), "list", "bool", "number", "text", "scalar"
    test: Callable[[Any, Any], bool]
    doc: str


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


OPERATORS: dict[str, Op] = {
    op.name: op
    for op in [
        Op(
            "equals",
            frozenset({"number", "bool", "text"}),
            "same",
            lambda x, r: x == r,
            "field equals value",
        ),
        Op(
            "not_equals",
            frozenset({"number", "bool", "text"}),
            "same",
            lambda x, r: x != r,
            "field differs from value",
        ),
        Op(
            "in",
            frozenset({"number", "text"}),
            "list",
            lambda x, r: x in r,
            "field is one of the listed values",
        ),
        Op(
            "not_in",
            frozenset({"number", "text"}),
            "list",
            lambda x, r: x not in r,
            "field is none of the listed values",
        ),
        Op("gt", frozenset({"number"}), "number", lambda x, r: x > r, "field > value"),
        Op("gte", frozenset({"number"}), "number", lambda x, r: x >= r, "field >= value"),
        Op("lt", frozenset({"number"}), "number", lambda x, r: x < r, "field < value"),
        Op("lte", frozenset({"number"}), "number", lambda x, r: x <= r, "field <= value"),
        Op(
            "exists",
            frozenset({"number", "bool", "text", "list"}),
            "bool",
            lambda x, r: True,
            "field is known (true) or unknown (false)",
        ),
        Op(
            "contains",
            frozenset({"list"}),
            "scalar",
            lambda x, r: r in x,
            "list field contains value",
        ),
        Op(
            "intersects",
            frozenset({"list"}),
            "list",
            lambda x, r: not r.isdisjoint(x),
            "list field shares an element with the listed values",
        ),
        Op(
            "empty",
            frozenset({"list"}),
            "bool",
            lambda x, r: (len(x) == 0) == r,
            "list field is empty (true) or not (false)",
        ),
        Op(
            "glob",
            frozenset({"text"}),
            "text",
            lambda x, r: fnmatchcase(x, r),
            "text field matches a shell-style pattern (* ? [..])",
        ),
    ]
}


class ConditionError(ValueError):
    """An invalid condition; `path` is relative to the condition's own node."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


# ---- AST ------------------------------------------------------------------------------------


class All(msgspec.Struct, frozen=True):
    """all: every item holds."""

    items: tuple[Node, ...]


class AnyOf(msgspec.Struct, frozen=True):
    """any: at least one item holds."""

    items: tuple[Node, ...]


class Not(msgspec.Struct, frozen=True):
    """not: the item does not hold."""

    item: Node


class Cmp(msgspec.Struct, frozen=True):
    """A comparison of a field with a value, another field, or a threshold."""

    field: str
    op: str
    value: Value = None
    ref: str | None = None  # VALUE given as {field: OTHER}
    threshold: str | None = (
        None  # VALUE given as {threshold: NAME}: a number from the rule base's thresholds table
    )


Node = All | AnyOf | Not | Cmp


def describe(node: Node | None) -> str:
    """A condition as a person reads it: 'model.license_class equals non-commercial and not (...)'."""
    if node is None:
        return "always"
    if isinstance(node, Cmp):
        if node.ref is not None:
            value = node.ref
        elif node.threshold is not None:
            value = f"threshold {node.threshold}"
        elif isinstance(node, Cmp) and isinstance(node.value, (list, tuple)):
            value = "[" + ", ".join(map(str, node.value)) + "]"
        else:
            value = str(node.value).lower() if isinstance(node.value, bool) else str(node.value)
        return f"{node.field} {node.op} {value}"
    if isinstance(node, Not):
        return f"not ({describe(node.item)})"
    joiner = " and " if isinstance(node, All) else " or "
    parts = [describe(i) if isinstance(i, Cmp) else f"({describe(i)})" for i in node.items]
    return joiner.join(parts)


def when_of(condition: Node | None, applies: Node | None) -> Node | None:
    """A rule's own `when` (its condition is `applies and when` when it has both)."""
    if applies is None:
        return condition
    if isinstance(condition, All) and len(condition.items) == 2 and condition.items[0] is applies:
        return condition.items[1]
    return None if condition is applies else condition


_FIELDS_CACHE: dict[str, tuple[str, str]] = {}


def _fields() -> dict[str, tuple[str, str]]:
    if not _FIELDS_CACHE:
        _FIELDS_CACHE.update(all_fields())
    return _FIELDS_CACHE


def _suggest(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(_fields()), n=1)
    return f" (did you mean '{close[0]}'?)" if close else "; `fmadvisor rules fields` lists them"


def parse(raw: Any, path: tuple[str | int, ...] = ()) -> Node:
    """Validate a condition document and build its AST."""
    if not isinstance(raw, dict):
        raise ConditionError(
            "a condition must be a mapping: {all: [...]}, {any: [...]}, {not: ...} or {field: ..., <operator>: ...}",
            path,
        )
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        if len(raw) != 1:
            raise ConditionError(f"'{key}' must stand alone in its mapping", path)
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{key}' takes a non-empty list of conditions", (*path, key))
        nodes = tuple(parse(item, (*path, key, i)) for i, item in enumerate(items))
        return All(nodes) if key == "all" else AnyOf(nodes)
    if "not" in raw:
        if len(raw) != 1:
            raise ConditionError("'not' must stand alone in its mapping", path)
        return Not(parse(raw["not"], (*path, "not")))
    return _comparison(raw, path)


def _comparison(raw: dict[str, Any], path: tuple[str | int, ...]) -> Cmp:
    """{field: NAME, <operator>: value}: a known field, one operator that applies to its kind, and
    a literal, a {threshold: NAME} or a {field: NAME} value."""
    if "field" not in raw:
        raise ConditionError(
            "a comparison needs 'field' and one operator: " + ", ".join(OPERATORS), path
        )
    name = raw["field"]
    fields = _fields()
    if not isinstance(name, str) or name not in fields:
        raise ConditionError(f"unknown field '{name}'{_suggest(str(name))}", (*path, "field"))
    ops = [k for k in raw if k != "field"]
    if len(ops) != 1:
        raise ConditionError(
            f"a comparison takes exactly one operator ({', '.join(OPERATORS)}); found {ops or 'none'}",
            path,
        )
    op_name = ops[0]
    op = OPERATORS.get(op_name)
    if op is None:
        raise ConditionError(
            f"unknown operator '{op_name}'; operators: {', '.join(OPERATORS)}", (*path, op_name)
        )
    kind = fields[name][0]
    if kind not in op.kinds:
        raise ConditionError(
            f"operator '{op_name}' does not apply to {kind} field '{name}'", (*path, op_name)
        )
    value = raw[op_name]
    where = (*path, op_name)
    if isinstance(value, dict) and "threshold" in value:
        return _threshold_cmp(name, kind, op_name, op, value, where)
    if isinstance(value, dict):
        return _field_cmp(name, kind, op_name, op, value, where, fields)
    _check_literal(op, kind, value, where)
    if op.value == "list":
        value = frozenset(value)
    return Cmp(name, op_name, value)


def _threshold_cmp(
    name: str, kind: str, op_name: str, op: Op, value: dict[str, Any], where: tuple[str | int, ...]
) -> Cmp:
    name_t = value.get("threshold")
    if set(value) != {"threshold"} or not isinstance(name_t, str) or not name_t:
        raise ConditionError(
            "a threshold value is {threshold: NAME}, NAME from the 'thresholds' table", where
        )
    if op.value not in ("number", "same") or kind != "number":
        raise ConditionError(
            f"'{op_name}' on field '{name}' cannot take a threshold (thresholds are numbers)", where
        )
    return Cmp(name, op_name, None, None, name_t)


def _field_cmp(
    name: str,
    kind: str,
    op_name: str,
    op: Op,
    value: dict[str, Any],
    where: tuple[str | int, ...],
    fields: Any,
) -> Cmp:
    ref = value.get("field")
    if set(value) != {"field"} or not isinstance(ref, str) or ref not in fields:
        raise ConditionError(
            f"a value may be a literal or {{field: NAME}} with a known field{_suggest(str(ref))}",
            where,
        )
    ref_kind = fields[ref][0]
    wanted = {
        "same": kind,
        "list": "list",
        "number": "number",
        "text": "text",
        "bool": "bool",
        "scalar": None,
    }[op.value]
    if wanted is not None and ref_kind != wanted:
        raise ConditionError(
            f"'{op_name}' needs a {wanted} value; field '{ref}' is {ref_kind}", where
        )
    return Cmp(name, op_name, None, ref)


def _check_literal(op: Op, kind: str, value: Any, path: tuple[str | int, ...]) -> None:
    def ok_scalar(v: Any, k: str) -> bool:
        return {"number": _num(v), "bool": isinstance(v, bool), "text": isinstance(v, str)}.get(
            k, False
        )

    if op.value == "same" and not ok_scalar(value, kind):
        raise ConditionError(
            f"'{op.name}' on a {kind} field needs a {kind} value, got {value!r}", path
        )
    if op.value == "list":
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{op.name}' needs a non-empty list, got {value!r}", path)
        if kind in ("number", "text") and not all(ok_scalar(v, kind) for v in value):
            raise ConditionError(
                f"'{op.name}' on a {kind} field needs a list of {kind} values", path
            )
    if op.value in ("number", "bool", "text") and not ok_scalar(value, op.value):
        raise ConditionError(f"'{op.name}' needs a {op.value} value, got {value!r}", path)
    if op.value == "scalar" and not (isinstance(value, (str, bool)) or _num(value)):
        raise ConditionError(f"'{op.name}' needs a single value, got {value!r}", path)


def fields_of(node: Node) -> list[str]:
    """Every field a condition names, in order, without repeats."""
    out: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, (All, AnyOf)):
            for item in n.items:
                walk(item)
        elif isinstance(n, Not):
            walk(n.item)
        else:
            for name in (n.field, n.ref):
                if name and name not in out:
                    out.append(name)

    walk(node)
    return out


def values_named(node: Node, field: str) -> set[Any]:
    """Every literal a condition compares `field` with (`equals`, `not_equals`, `in`, ...)."""
    if isinstance(node, (All, AnyOf)):
        return {v for item in node.items for v in values_named(item, field)}
    if isinstance(node, Not):
        return values_named(node.item, field)
    if node.field != field or node.value is None:
        return set()
    return (
        set(node.value) if isinstance(node.value, (list, tuple, set, frozenset)) else {node.value}
    )


def thresholds_of(node: Node) -> list[str]:
    """Every threshold name a condition uses."""
    if isinstance(node, (All, AnyOf)):
        return [t for item in node.items for t in thresholds_of(item)]
    if isinstance(node, Not):
        return thresholds_of(node.item)
    return [node.threshold] if node.threshold else []
