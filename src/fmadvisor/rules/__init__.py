"""The rule base: rules, factor weights and reference tables, loaded from YAML.

`load_rulebase()` returns the shipped default profile; `load_rulebase([user.yaml])` layers user
files on top (add rules, disable rules by id, change weights, extend tables, or start from another
profile with `extends:`). Every problem is a located `RuleError`.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from fmadvisor.rules.conditions import Node
from fmadvisor.rules.fields import Tables


class Rule(msgspec.Struct, frozen=True):
    """One rule of the rule base, compiled from its YAML."""

    id: str
    target: str  # model | strategy
    factor: str
    kind: str  # requirement | score
    severity: str
    condition: Node | None  # when it fires (applies and when combined); None: always
    applies: Node | None  # when it is relevant; None: always
    adjust: float
    unknown_adjust: float
    on_unknown: str
    message: str
    pass_message: str | None
    unknown_message: str | None
    remediation: str
    rationale: str
    references: tuple[str, ...]
    fields: tuple[str, ...]  # fields the condition reads
    file: str
    line: int
    unknown_severity: str | None = (
        None  # how the CI gate reports an undecidable check (None: see check.py)
    )
    declared_strategies: tuple[str, ...] | None = None  # check: only for models declared so
    subsumes: tuple[str, ...] = ()  # check: findings of these rules are replaced by this one's

    @property
    def blocks(self) -> bool:
        return self.kind == "requirement"


class RuleBase(msgspec.Struct, frozen=True):
    """The rules, normalized factor weights and reference tables of one profile."""

    rules: tuple[Rule, ...]
    weights: dict[str, float]  # model factors, normalized, sums to 1
    tables: Tables
    sources: tuple[str, ...] = ()
    profile: str = "default"
    strategy_weights: dict[str, float] = msgspec.field(
        default_factory=dict
    )  # strategy factors, normalized
    floors: dict[str, float] = msgspec.field(
        default_factory=dict
    )  # model factors whose score may fall below 0 (to this), see rules/default.yaml
    # the strategies some model rule names in a condition on spec.plan.strategy: ranking for one of
    # them can differ from the ranking made before the strategy is known (advise ranks again)
    plan_strategies: frozenset[str] = frozenset()

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_target(self, target: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.target == target)

    def weights_for(self, target: str) -> dict[str, float]:
        return self.weights if target == "model" else self.strategy_weights

    def floors_for(self, target: str) -> list[float]:
        """Each factor's lowest score, in weights_for(target)'s order (0 unless a floor is set)."""
        floors = self.floors if target == "model" else {}
        return [floors.get(f, 0.0) for f in self.weights_for(target)]

    @property
    def factors(self) -> list[str]:
        return list(self.weights)


def load_rulebase(paths: list[Path] | None = None, *, profile: str | None = None) -> RuleBase:
    """The shipped profile (default: 'default', or what the user files' `extends` names) plus user
    files. A shipped profile alone comes from its compiled build when that is current
    (fmadvisor.rules.compiled); everything else loads from YAML (fmadvisor.rules.loader)."""
    if not paths and (profile or "default") != "none":
        from fmadvisor.rules import compiled

        built = compiled.load(profile or "default")
        if built is not None:
            return built  # type: ignore[no-any-return]
    from fmadvisor.rules.loader import load_rulebase_from_yaml

    return load_rulebase_from_yaml(paths, profile=profile)


def profiles() -> list[str]:
    """Names of the shipped profiles."""
    from fmadvisor.rules.loader import profiles as shipped

    return shipped()


__all__ = ["Rule", "RuleBase", "load_rulebase", "profiles"]
