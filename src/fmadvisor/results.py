"""What scoring returns: rule findings, factor results, ranked and blocked models, and the ranking
of one spec. Plain records, read by the strategy recommender, the gate and every report format."""

from __future__ import annotations

from typing import Any

import msgspec

from fmadvisor.catalog.candidate import Candidate

FIRED, PASSED, UNKNOWN = "fired", "passed", "unknown"
LEADERS = 50  # eligible models kept in order for the strategy recommender to pick base models from


class RuleFinding(msgspec.Struct, frozen=True):
    """One rule's outcome on one model, with the reason it earned."""

    rule: str
    factor: str
    severity: str
    outcome: str  # fired | passed | unknown
    message: str
    blocks: bool = False


class FactorResult(msgspec.Struct):
    """One factor of one model: its score, weight, confidence and reasons."""

    score: float
    weight: float
    confidence: float
    reasons: list[str]


class ModelResult(msgspec.Struct):
    """One reported model: rank, score, confidence, factors, findings and capability evidence."""

    rank: int
    candidate: Candidate
    score: float
    confidence: float
    eligible: bool
    factors: dict[str, FactorResult]
    findings: list[RuleFinding]
    evidence: tuple[Any, ...] = ()  # the published results its capability was read from


class BlockedModel(msgspec.Struct):
    """A model a requirement blocks, with the findings that block it."""

    candidate: Candidate
    blocked_by: list[RuleFinding]
    score: float


class Selection(msgspec.Struct):
    """How the candidate pool was selected: counts filled in while the candidates stream by."""

    catalog: int
    task_fit: int
    included: int
    excluded: int
    over_max_params: int


class Ranking(msgspec.Struct):
    """Everything `score` reports for one spec."""

    models: list[ModelResult]
    blocked: list[BlockedModel]
    selection: Selection
    eligible_count: int
    blocked_count: int
    notes: list[str] = msgspec.field(default_factory=list)
    leaders: list[Candidate] = msgspec.field(
        default_factory=list
    )  # the best eligible models, in rank order (up to LEADERS)
