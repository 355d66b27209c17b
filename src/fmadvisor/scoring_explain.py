"""Explanations of a `Scorer`'s outcomes, for the reported models only: every rule's outcome on one
model with the reason it earned, the factor scores and confidences, and field values for message
templates. The hot loop (`Scorer.evaluate`) computes numbers only; this reads the same compiled
rules and value rows, so an explanation cannot disagree with the score."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fmadvisor.catalog.candidate import ABSENT_IS_A_VALUE, Candidate
from fmadvisor.results import FIRED, PASSED, UNKNOWN, FactorResult, RuleFinding
from fmadvisor.rules import Rule
from fmadvisor.rules.fields import model_getter, spec_value
from fmadvisor.rules.template import render, unresolved


class Explanations:
    """Mixed into `Scorer`: reads its compiled rules (`active`, `_applies`, `_missing_of`), its
    factors and weights, its compiler's slots and `values`."""

    # set by Scorer.__init__
    active: list[Any]
    factors: list[str]
    weights: list[float]
    applicable: list[int]
    env: Any
    _compiler: Any
    _applies: dict[str, Any]
    _missing_of: dict[str, tuple[str, ...]]
    _spec_cache: dict[str, Any]

    def values(self, c: Candidate) -> Sequence[Any]:  # Scorer defines it
        raise NotImplementedError

    def lookup(self, c: Candidate, vals: Sequence[Any] | None = None) -> Callable[[str], Any]:
        """Field values for message templates: the value row when the field has a slot in it (one
        memo for conditions and messages), computed on demand otherwise."""
        slots = self._compiler.slots

        def get(name: str) -> Any:
            if name.startswith("spec."):
                if name not in self._spec_cache:
                    self._spec_cache[name] = spec_value(name, self.env)
                return self._spec_cache[name]
            if vals is not None and name in slots:
                return vals[slots[name]]
            return model_getter(name)(c, self.env)

        return get

    def rule_outcome(self, rule_id: str, subject: Any) -> str:
        """fires | passes | unknown | inapplicable: one rule on one subject, as `evaluate` and
        `explain` decide it (rule cases run through here, so they test the scorer `score` uses)."""
        active = next((a for a in self.active if a.rule.id == rule_id), None)
        if active is None:
            return "inapplicable"  # the spec alone rules it out
        vals = self.values(subject)
        applies = self._applies.get(rule_id, True)
        if (applies(vals) if callable(applies) else applies) is False:
            return "inapplicable"
        r = active.cond(vals) if callable(active.cond) else active.cond
        return {True: "fires", False: "passes", None: "unknown"}[r]

    def explain(self, c: Candidate) -> tuple[dict[str, FactorResult], list[RuleFinding]]:
        vals = self.values(c)
        get = self.lookup(c, vals)
        adj = [0.0] * len(self.factors)
        unknown = [0] * len(self.factors)
        reasons: list[list[str]] = [[] for _ in self.factors]
        findings: list[RuleFinding] = []
        worst: dict[tuple[int, tuple[str, ...]], float] = {}  # as in scoring_memo.evaluate_group
        off = [0] * len(self.factors)  # checks whose `applies` rules this model out
        for a in self.active:
            rule = a.rule
            r = a.cond(vals) if callable(a.cond) else a.cond
            in_force = None  # whether `applies` holds: read only where the rule passed
            if r is False:
                applies = self._applies.get(rule.id, True)
                in_force = applies(vals) if callable(applies) else applies
                # counted as the hot path counts them (scoring_memo.evaluate_group): rules whose
                # condition depends on the model
                if in_force is False and callable(a.cond) and callable(applies):
                    off[a.factor] += 1
            outcome, text = self._outcome(a, r, in_force, get)
            if outcome == FIRED and not rule.blocks:
                adj[a.factor] += rule.adjust
            elif outcome == UNKNOWN:
                unknown[a.factor] += 1
                missing = tuple(
                    x
                    for x in self._missing_of.get(rule.id, ())
                    if x not in ABSENT_IS_A_VALUE and getattr(c, x) is None
                )
                if missing and callable(a.cond):
                    cause = (a.factor, missing)
                    worst[cause] = min(worst.get(cause, 0.0), rule.unknown_adjust)
                else:
                    adj[a.factor] += rule.unknown_adjust
            if text:
                prefix = {FIRED: "", UNKNOWN: "unknown: ", PASSED: "ok: "}[outcome]
                if outcome == FIRED and rule.blocks:
                    prefix = "blocked: "
                reasons[a.factor].append(prefix + text)
            if outcome != PASSED:
                findings.append(
                    RuleFinding(
                        rule.id,
                        rule.factor,
                        rule.severity,
                        outcome,
                        text,
                        blocks=rule.blocks and (outcome == FIRED or rule.on_unknown == "block"),
                    )
                )
        for (fi, _), penalty in worst.items():
            adj[fi] += penalty
        factors = {}
        for i, name in enumerate(self.factors):
            s = 1.0 + adj[i]
            n = self.applicable[i] - off[i]
            factors[name] = FactorResult(
                score=round(min(1.0, max(self.floors[i], s)), 4),
                weight=round(self.weights[i], 4),
                confidence=round(1.0 - unknown[i] / n, 4) if n else 1.0,
                reasons=reasons[i]
                or (["no rule applies to this project"] if n == 0 else ["no concerns found"]),
            )
        return factors, findings

    def _outcome(self, a: Any, r: bool | None, in_force: bool | None, get: Any) -> tuple[str, str]:
        """A rule's outcome for one model and the reason it earned (empty when none);
        `in_force`: whether its `applies` holds for the model (read where it passed)."""
        rule = a.rule
        if r is True:
            return FIRED, render(rule.message, get)
        if r is None:
            if rule.unknown_message:
                return UNKNOWN, render(rule.unknown_message, get)
            return UNKNOWN, self._unknown_text(rule, get)
        # A pass message is earned only where the rule was at stake: it applies, and the spec
        # did not settle its condition by itself (a pass message about a spec value the spec
        # does not have would be a false reason), and every value it names is known (a pass can
        # be settled by one condition while the message names another: "Library unknown runs on
        # the spec's frameworks" is no reason).
        msg = rule.pass_message
        relevant = a.cond is not False and in_force is True
        return PASSED, render(msg, get) if msg and relevant and not unresolved(msg, get) else ""

    def _unknown_text(self, rule: Rule, get: Callable[[str], Any]) -> str:
        missing = [f for f in rule.fields if not f.startswith("spec.") and get(f) is None]
        return f"could not check {rule.id}: {', '.join(missing) or 'a field'} unknown"
