"""The rule base: rules, factor weights and reference tables, loaded from YAML.

`load_rulebase()` returns the shipped default profile; `load_rulebase([user.yaml])` layers user
files on top (add rules, disable rules by id, change weights, extend tables, or start from another
profile with `extends:`). Every problem is a located `RuleError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fmadvisor.rules.conditions import Node
from fmadvisor.rules.fields import Tables


@dataclass(frozen=True)
class Rule:
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
    declared_strategies: tuple[str, ...] | None = None  # check: only for models declared so
    subsumes: tuple[str, ...] = ()  # check: findings of these rules are replaced by this one's

    @property
    def blocks(self) -> bool:
        return self.kind == "requirement"


@dataclass(frozen=True)
class RuleBase:
    rules: tuple[Rule, ...]
    weights: dict[str, float]  # model factors, normalized, sums to 1
    tables: Tables
    sources: tuple[str, ...] = field(default=())
    profile: str = "default"
    strategy_weights: dict[str, float] = field(default_factory=dict)  # strategy factors, normalized

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def for_target(self, target: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.target == target)

    def weights_for(self, target: str) -> dict[str, float]:
        return self.weights if target == "model" else self.strategy_weights

    @property
    def factors(self) -> list[str]:
        return list(self.weights)


from fmadvisor.rules.loader import load_rulebase, profiles  # noqa: E402  (re-export)

__all__ = ["Rule", "RuleBase", "load_rulebase", "profiles"]
