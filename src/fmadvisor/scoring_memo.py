"""The hot path's building blocks: how factors share memo groups, how a group's undecided rules
are evaluated on a value row, and the row a memo miss computes lazily. `Scorer` composes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, TYPE_CHECKING

if TYPE_CHECKING:
    from fmadvisor.catalog.candidate import Candidate
    from fmadvisor.rules.fields import Env


def clamp(s: float, lo: float) -> float:
    """A factor score: 1 + its adjustments, at most 1 and at least its floor."""
    return lo if s < lo else 1.0 if s > 1.0 else s


_UNSET = object()


class LazyRow:
    """A candidate's value row, each slot computed when a rule first reads it: a memo miss in one
    factor computes the few fields that factor's rules read, not every derived field."""

    __slots__ = ("_c", "_env", "_getters", "_cache")

    def __init__(self, c: Candidate, env: Env, getters: list[Callable[..., Any]]) -> None:
        self._c = c
        self._env = env
        self._getters = getters
        self._cache = [_UNSET] * len(getters)

    def __getitem__(self, i: int) -> Any:
        v = self._cache[i]
        if v is _UNSET:
            v = self._cache[i] = self._getters[i](self._c, self._env)
        return v


def plain_getter(name: str) -> Callable[[Candidate, Env], Any]:
    get = attrgetter(name)
    return lambda c, _env: get(c)


def shares_key(raw: set[str], other: set[str]) -> bool:
    """Whether a factor reading attributes `raw` is memoized with a group keyed on `other`: when
    one holds the other, or they differ in at most a quarter of their union (a larger key splits
    the memo into more entries; a shared one saves a lookup per candidate)."""
    if raw <= other or other <= raw:
        return True
    return len(raw ^ other) * 4 <= len(raw | other)


def evaluate_parts(
    parts: tuple[tuple[int, list[tuple[Any, ...]]], ...], vals: Sequence[Any], key: tuple[Any, ...]
) -> tuple[tuple[tuple[int, float], ...], int, bool, int]:
    """(each factor's non-zero adjustment, undecided checks, blocked, checks that do not apply to
    the model) of one memo group."""
    deltas = []
    unknown = 0
    inapplicable = 0
    blocked = False
    for fi, rules in parts:
        adj, n, b, off = evaluate_group(rules, vals, key)
        if adj:
            deltas.append((fi, adj))
        unknown += n
        inapplicable += off
        blocked = blocked or b
    return tuple(deltas), unknown, blocked, inapplicable


def evaluate_group(
    rules: list[tuple[Any, ...]], vals: Sequence[Any], key: tuple[Any, ...]
) -> tuple[float, int, bool, int]:
    """(adjustment, undecided checks, blocked, checks that do not apply) of one factor's undecided
    rules for one value row.

    Rules left undecided by the same missing catalog facts (the same raw attributes unknown, e.g.
    `params`) ask one question: their penalty counts once, the largest of them. Each still counts
    as an undecided check for confidence. A rule whose `applies` rules the model out is no check
    of it: confidence is the share of the checks that apply which could be decided."""
    adj = 0.0
    unknown = 0
    inapplicable = 0
    blocked = False
    worst: dict[tuple[int, ...], float] = {}
    for cond, _fi, adjust, unknown_adjust, is_req, block_unknown, positions, applies in rules:
        r = cond(vals)
        if r is False:
            if applies is not None and applies(vals) is False:
                inapplicable += 1
        elif r is True:
            if is_req:
                blocked = True
            else:
                adj += adjust
        elif r is None:
            unknown += 1
            missing = tuple(p for p in positions if key[p] is None)
            if missing:
                worst[missing] = min(worst.get(missing, 0.0), unknown_adjust)
            else:
                adj += unknown_adjust
            if block_unknown:
                blocked = True
    return adj + sum(worst.values()), unknown, blocked, inapplicable
