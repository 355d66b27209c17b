"""Conditions specialized for one spec (see `fmadvisor.rules.conditions` for their shape and logic):
`spec.*` comparisons become constants, and what is left is a closure over a per-candidate row of
model values. Common comparisons on one slot get fast closures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fmadvisor.rules.conditions import (
    OPERATORS,
    All,
    Cmp,
    Evaluator,
    Node,
    Not,
    Tri,
)
from fmadvisor.rules.fields import Env, model_getter, spec_value


class Compiler:
    """Compiles conditions for one spec. Model-side fields get slots in a per-candidate value row."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.slots: dict[str, int] = {}
        self._spec_cache: dict[str, Any] = {}

    def slot(self, name: str) -> int:
        if name not in self.slots:
            self.slots[name] = len(self.slots)
        return self.slots[name]

    def getters(self) -> list[Callable[..., Any]]:
        return [model_getter(name) for name in self.slots]

    def spec(self, name: str) -> Any:
        if name not in self._spec_cache:
            self._spec_cache[name] = spec_value(name, self.env)
        return self._spec_cache[name]

    def compile(self, node: Node) -> Tri | Evaluator:
        if isinstance(node, Cmp):
            return self._cmp(node)
        if isinstance(node, Not):
            inner = self.compile(node.item)
            if not callable(inner):
                return None if inner is None else not inner
            return lambda v, g=inner: None if (r := g(v)) is None else not r
        parts = [self.compile(item) for item in node.items]
        stop = not isinstance(
            node, All
        )  # the value that decides the whole: False for all, True for any
        if any(p is stop for p in parts if not callable(p)):
            return stop
        unknown = any(p is None for p in parts)
        fns = [p for p in parts if callable(p)]
        if not fns:
            return None if unknown else (not stop)
        if len(fns) == 1 and not unknown:
            return fns[0]
        if len(fns) == 2 and not unknown:
            return _pair(fns[0], fns[1], stop)

        def combined(
            v: Sequence[Any], fns: list[Evaluator] = fns, unknown: bool = unknown, stop: bool = stop
        ) -> Tri:
            u = unknown
            for g in fns:
                r = g(v)
                if r is stop:
                    return stop
                if r is None:
                    u = True
            return None if u else (not stop)

        return combined

    def _cmp(self, node: Cmp) -> Tri | Evaluator:
        op = OPERATORS[node.op]
        test = op.test
        left_spec = node.field.startswith("spec.")
        right: Any = (
            node.value if node.threshold is None else self.env.tables.thresholds[node.threshold]
        )
        right_slot: int | None = None
        if node.ref is not None:
            if node.ref.startswith("spec."):
                right = self.spec(node.ref)
                if right is None:
                    return False  # compared with something the user left empty: does not apply
                if op.value == "list" or node.op in ("intersects",):
                    right = frozenset(right)
            else:
                right_slot = self.slot(node.ref)
        if node.op == "exists":
            want = bool(right)
            if left_spec:
                return (self.spec(node.field) is not None) == want
            i = self.slot(node.field)
            return lambda v: (v[i] is not None) == want
        if left_spec:
            x = self.spec(node.field)
            if x is None:
                return False
            if right_slot is None:
                return bool(test(x, right))
            j = right_slot
            return lambda v: None if (r := v[j]) is None else bool(test(x, r))
        i = self.slot(node.field)
        if right_slot is None:
            fast = _FAST.get(node.op)
            if fast is not None:
                return fast(i, right)
            return lambda v: None if (x := v[i]) is None else bool(test(x, right))
        j = right_slot
        return lambda v: None if (x := v[i]) is None or (r := v[j]) is None else bool(test(x, r))


# ---- specialized closures for the hot path (same semantics as the generic ones above) ----------


def _fast_equals(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x == r


def _fast_not_equals(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x != r


def _fast_in(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x in r


def _fast_gt(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x > r


def _fast_lt(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x < r


def _fast_gte(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x >= r


def _fast_lte(i: int, r: Any) -> Evaluator:
    return lambda v: None if (x := v[i]) is None else x <= r


_FAST: dict[str, Callable[[int, Any], Evaluator]] = {
    "equals": _fast_equals,
    "not_equals": _fast_not_equals,
    "in": _fast_in,
    "gt": _fast_gt,
    "lt": _fast_lt,
    "gte": _fast_gte,
    "lte": _fast_lte,
}


def _pair(f: Evaluator, g: Evaluator, stop: bool) -> Evaluator:
    """Two evaluators joined without the general loop: `stop` is the value that decides the whole
    (False for all, True for any); otherwise unknown if either is unknown."""
    rest = not stop

    def joined(v: Sequence[Any]) -> Tri:
        a = f(v)
        if a is stop:
            return stop
        b = g(v)
        if b is stop:
            return stop
        return None if a is None or b is None else rest

    return joined
