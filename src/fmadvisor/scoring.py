"""Scoring: rules compiled for one spec, evaluated on candidates (or strategy options), with the
result types. Pure: no I/O, no printing. `fmadvisor.ranking` streams a catalog through it.

1. Selection: candidates whose pipeline tag can serve the spec's task, minus `candidates.exclude`
   and models over `candidates.max_params`; models in `candidates.include` always join (unknown
   ones as all-unknown Candidates).
2. Rules are compiled once for the spec (spec-only conditions decided up front); each candidate is
   then evaluated on the model-dependent rest. A requirement that fires blocks the model.
3. Factor score = clamp(1 + sum of adjustments of rules that fired or could not be decided, floor,
   1), the floor 0 unless the rule base sets one (task fit: -1, so that a model failing its task
   several times over cannot be made up for by other factors; cost: -0.5); model score = weighted
   sum of factor scores. Confidence = share of the checks that apply to the model (the spec's, less
   those whose `applies` rules the model out) that could be decided. Ranking
   (`fmadvisor.ranking`): score, then confidence (both descending), then the tie-break
   `needs.quality` states (published capability, size), then id.
4. Reasons are rendered only for the models reported (the hot loop computes numbers only;
   `scoring_explain.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, TYPE_CHECKING

import msgspec

from fmadvisor.catalog.candidate import FIELDS as CANDIDATE_FIELDS
from fmadvisor.catalog.candidate import ABSENT_IS_A_VALUE
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules import Rule, RuleBase
from fmadvisor.rules.evaluate import Compiler
from fmadvisor.rules.fields import PLAN_FIELDS, Env, field_def, model_getter
from fmadvisor.scoring_explain import Explanations
from fmadvisor.scoring_memo import LazyRow, clamp, evaluate_parts, plain_getter, shares_key

from fmadvisor.results import (  # noqa: F401  (re-exported: the result types of scoring)
    FIRED,
    LEADERS,
    PASSED,
    UNKNOWN,
    BlockedModel,
    FactorResult,
    ModelResult,
    Ranking,
    RuleFinding,
    Selection,
)

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


class _Active(msgspec.Struct):
    """A rule the spec leaves active, with its condition compiled for the spec."""

    rule: Rule
    cond: Any  # True | None | Evaluator
    factor: int


class Scorer(Explanations):
    """Rules compiled for one spec; evaluates candidates against them."""

    def __init__(
        self,
        spec: Spec,
        rulebase: RuleBase,
        as_of: dt.date,
        target: str = "model",
        lookup: Callable[[str], Candidate | None] | None = None,
        planned_strategy: str | None = None,
        reuse: Scorer | None = None,
        keep_rows: bool = False,
    ) -> None:
        """Compile `target`'s rules (model | strategy) for one spec; `lookup` resolves base models.

        `reuse`: a scorer of the same spec and date ranking for another planned strategy (advise's
        second pass): the factors whose rules do not read the plan take its memoized outcomes, and
        the value rows it computed are reused (see `_reuse`). `keep_rows`: keep every value row
        computed, for such a later scorer (memory then grows with the candidates)."""
        self.spec = spec
        self.rulebase = rulebase
        self.target = target
        self.env = Env(spec, rulebase.tables, as_of, lookup, planned_strategy)
        weights = rulebase.weights_for(target)
        rules = rulebase.for_target(target)
        self.factors = list(weights)
        self.weights = [weights[f] for f in self.factors]
        self.floors = rulebase.floors_for(target)
        index = {f: i for i, f in enumerate(self.factors)}

        reads = self._plan_slots(rules)
        dynamic, base = self._compile_rules(rules, index, reads)
        self._groups = self._memo_groups(dynamic)
        self._base = base
        # every factor's clamped score before the model-dependent rules: evaluate adds, per memo
        # group, how its factors' undecided rules move their weighted scores
        self._base_score = sum(
            w * clamp(1.0 + x, lo)
            for w, x, lo in zip(self.weights, base[0], self.floors, strict=True)
        )
        self._total = len(self.active)
        self._spec_cache: dict[str, Any] = {}
        self._rows: dict[str, Sequence[Any]] = {}  # candidate id -> value row (for a later pass)
        self._keep_rows = keep_rows
        # the row a memo miss evaluates: computed slot by slot as its rules read it, unless whole
        # rows are kept for a later pass (or taken from an earlier one, _reuse)
        self._row_of: Callable[[Candidate], Sequence[Any]] = (
            self.values if keep_rows else self._lazy_row
        )
        if reuse is not None:
            self._reuse(reuse)

    def _plan_slots(self, rules: tuple[Rule, ...]) -> dict[str, list[str]]:
        """Give every model-side field a rule reads a slot in the per-candidate value row.

        Pass 1 probes each rule's `applies` and combined condition: which fields do the parts that
        stay undecided for this spec read? Pass 2 orders the slots: plain Candidate attributes first
        (fetched with one attrgetter), derived values after. Returns the fields each rule reads.
        """
        used: list[str] = []
        reads: dict[str, list[str]] = {}
        for rule in rules:
            names: list[str] = []
            for node in (rule.applies, rule.condition):
                if node is None:
                    continue
                probe = Compiler(self.env)
                if callable(probe.compile(node)):
                    names.extend(n for n in probe.slots if n not in names)
            reads[rule.id] = names
            used.extend(n for n in names if n not in used)
        self._plain_names = [
            n
            for n in used
            if self.target == "model" and n.startswith("model.") and n[6:] in CANDIDATE_FIELDS
        ]
        self._compiler = Compiler(self.env)
        for name in self._plain_names + [n for n in used if n not in self._plain_names]:
            self._compiler.slot(name)
        return reads

    def _compile_rules(
        self, rules: tuple[Rule, ...], index: dict[str, int], reads: dict[str, list[str]]
    ) -> tuple[list[tuple[Any, ...]], tuple[list[float], int, bool]]:
        """Compile every rule for this spec: decided ones fold into a per-spec base outcome, the rest
        (model-dependent) are returned for the hot path. Fills `active`, `applicable`, `_applies`."""
        compiler = self._compiler
        self.active: list[_Active] = []
        self.applicable = [0] * len(self.factors)
        self._applies: dict[str, Any] = {}
        base_adj = [0.0] * len(self.factors)
        base_unknown = 0
        base_blocked = False
        dynamic = []
        self._missing_of: dict[str, tuple[str, ...]] = {}  # rule id -> raw attributes it reads
        for rule in rules:
            applies: Any = True if rule.applies is None else compiler.compile(rule.applies)
            cond: Any = True if rule.condition is None else compiler.compile(rule.condition)
            if applies is False or (cond is False and rule.applies is None):
                continue  # the spec makes this rule inapplicable
            # With `applies` still open, a spec-decided `when` = False means the rule passes (and may say so).
            fi = index[rule.factor]
            self.active.append(_Active(rule, cond, fi))
            if rule.applies is not None:
                self._applies[rule.id] = applies
            self.applicable[fi] += 1
            is_req = rule.kind == "requirement"
            block_unknown = is_req and rule.on_unknown == "block"
            if cond is False:  # passes for every subject of this spec: contributes nothing
                continue
            if cond is True:  # fires for every model of this spec
                base_blocked |= is_req
                base_adj[fi] += 0.0 if is_req else rule.adjust
            elif cond is None:  # undecidable for every model
                base_unknown += 1
                base_adj[fi] += rule.unknown_adjust
                base_blocked |= block_unknown
            else:
                # the raw attributes its values derive from: the memo key, and (models only) what
                # an undecided outcome is grouped by
                raw = tuple(sorted({a for n in reads[rule.id] for a in field_def(n).reads}))
                self._missing_of[rule.id] = raw if self.target == "model" else ()
                dynamic.append(
                    (
                        cond,
                        fi,
                        0.0 if is_req else rule.adjust,
                        rule.unknown_adjust,
                        is_req,
                        block_unknown,
                        raw,
                        rule.id,
                        applies if callable(applies) else None,  # decided per model
                    )
                )
        self._value_row()
        return dynamic, (base_adj, base_unknown, base_blocked)

    def _value_row(self) -> None:
        """What `values` fetches: every slot the compiler handed out, so no compiled closure can read
        past the row (a part compiled away by the spec may still have registered a field)."""
        self.slot_names = list(self._compiler.slots)
        plain = self._plain_names
        self._plain = attrgetter(*(n[6:] for n in plain)) if plain else None
        self._single_plain = len(plain) == 1
        self._derived = [model_getter(n) for n in self.slot_names[len(plain) :]]
        self._slot_getters = [plain_getter(n[6:]) for n in plain] + self._derived

    def _memo_groups(self, dynamic: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Memo groups: (key getter, memo, parts, key is one attribute), each part a factor index
        and its undecided rules.

        A factor's outcome (adjustment, undecided checks, block) depends only on the values its
        undecided rules read, and each of those values only on the Candidate attributes it declares
        (derived fields are handed nothing else). So the outcome is memoized on those raw attributes:
        a catalog repeats licenses, formats and architectures, and a hit costs one attrgetter and one
        dict lookup instead of computing values and evaluating rules. Factors that read (nearly) the
        same attributes share one memo (hardware, cost and customization all key on the
        architecture): one lookup answers all of them.
        """
        per_factor: list[tuple[int, list[tuple[Any, ...]], set[str]]] = []
        self._group_rules: dict[int, tuple[str, ...]] = {}  # factor -> its undecided rules' ids
        for fi in range(len(self.factors)):
            mine = [d for d in dynamic if d[1] == fi]
            if mine:
                per_factor.append((fi, mine, {a for d in mine for a in d[6]}))
                self._group_rules[fi] = tuple(d[7] for d in mine)
        merged: list[tuple[set[str], list[tuple[int, list[tuple[Any, ...]]]]]] = []
        for fi, mine, raw in sorted(per_factor, key=lambda p: (-len(p[2]), p[0])):
            home = next((m for m in merged if shares_key(raw, m[0])), None)
            if home is None:
                merged.append((set(raw), [(fi, mine)]))
            else:
                home[0].update(raw)
                home[1].append((fi, mine))
        groups = []
        for raw_set, members in merged:
            raw = sorted(raw_set)
            # each rule: its first six parts, where its groupable attributes stand in the key, and
            # its model-dependent `applies` (None when the spec decided it)
            parts = tuple(
                (
                    fi,
                    [
                        (
                            *d[:6],
                            tuple(
                                raw.index(a)
                                for a in self._missing_of[d[7]]
                                if a not in ABSENT_IS_A_VALUE
                            ),
                            d[8],
                        )
                        for d in mine
                    ],
                )
                for fi, mine in sorted(members, key=lambda m: m[0])
            )
            key_of = attrgetter(*raw) if raw else (lambda c: ())
            groups.append((key_of, {}, parts, len(raw) == 1))
        return groups

    def _reuse(self, other: Scorer) -> None:
        """Take over `other`'s work where it is the same: the memo of every factor whose undecided
        rules are the same rules and read no field of the plan (their outcomes cannot differ), and
        the value rows it computed (re-indexed by field name; the model fields of the plan, the
        training fits, computed afresh). Only for a scorer of the same spec, date and rule base."""
        if other.spec is not self.spec or other.rulebase is not self.rulebase:
            return
        if other.env.as_of != self.env.as_of or other.target != self.target:
            return
        by_rule = {r.id: r for r in self.rulebase.rules}

        def composition(scorer: Scorer, parts: tuple[Any, ...]) -> tuple[Any, ...]:
            # a memo holds score changes against the factors' spec-decided adjustments: those too
            # must be the same
            return tuple((fi, scorer._group_rules[fi], scorer._base[0][fi]) for fi, _ in parts)

        theirs = {composition(other, parts): memo for _, memo, parts, _ in other._groups}
        groups = []
        for key_of, memo, parts, single in self._groups:
            mine = composition(self, parts)
            ids = [i for _, rule_ids, _ in mine for i in rule_ids]
            if mine in theirs and not any(f in PLAN_FIELDS for i in ids for f in by_rule[i].fields):
                memo = theirs[mine]
            groups.append((key_of, memo, parts, single))
        self._groups = groups
        index = {n: i for i, n in enumerate(other.slot_names)}
        if other._rows and all(n in index for n in self.slot_names):
            rows, compute, env = other._rows, self.values, self.env
            pick = [index[n] for n in self.slot_names]
            identity = pick == list(range(len(other.slot_names)))
            fresh = [
                (i, self._slot_getters[i])
                for i, n in enumerate(self.slot_names)
                if n in PLAN_FIELDS
            ]

            def values(c: Candidate) -> Sequence[Any]:
                row = rows.get(c.id)
                if row is None:
                    return compute(c)
                if not fresh:
                    return row if identity else tuple(row[i] for i in pick)
                out = [row[i] for i in pick]
                for i, get in fresh:
                    out[i] = get(c, env)
                return out

            self.values = values  # type: ignore[method-assign]
            self._row_of = values

    # -- hot path ------------------------------------------------------------------------------

    def values(self, c: Candidate) -> Sequence[Any]:
        env = self.env
        if self._plain is None:
            head: tuple[Any, ...] = ()
        elif self._single_plain:
            head = (self._plain(c),)
        else:
            head = self._plain(c)
        row = (*head, *[g(c, env) for g in self._derived])
        if self._keep_rows:
            self._rows[c.id] = row
        return row

    def _lazy_row(self, c: Candidate) -> Sequence[Any]:
        return LazyRow(c, self.env, self._slot_getters)

    def evaluate(self, c: Candidate) -> tuple[float, float, bool]:
        """(score, confidence, blocked) for one candidate. Each factor belongs to one memo group,
        whose memoized outcome carries the change its undecided rules make to the weighted score."""
        _, unknown, blocked = self._base
        score = self._base_score
        total = self._total  # less the checks whose `applies` rules this model out
        vals = None
        for key_of, memo, parts, single in self._groups:
            key = key_of(c)
            outcome = memo.get(key)
            if outcome is None:
                if vals is None:
                    vals = self._row_of(c)
                outcome = memo[key] = self._group_outcome(parts, vals, (key,) if single else key)
            score += outcome[0]
            unknown += outcome[1]
            if outcome[2]:
                blocked = True
            total -= outcome[3]
        return score, (1.0 - unknown / total) if total else 1.0, blocked

    def _group_outcome(
        self, parts: tuple[Any, ...], vals: Sequence[Any], key: tuple[Any, ...]
    ) -> tuple[float, int, bool, int]:
        """(change to the weighted score, undecided checks, blocked, checks that do not apply to
        the model) of one memo group's factors."""
        deltas, unknown, blocked, inapplicable = evaluate_parts(parts, vals, key)
        base = self._base[0]
        change = 0.0
        for fi, d in deltas:
            w, x, lo = self.weights[fi], base[fi], self.floors[fi]
            change += w * (clamp(1.0 + x + d, lo) - clamp(1.0 + x, lo))
        return change, unknown, blocked, inapplicable
