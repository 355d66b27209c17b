"""JSON Schemas for the spec (editors) and for the score report (consumers of JSON output).

The report models here exist for the schema and for validating output in tests; the report itself
is built as plain dicts (`report.document`) to keep the command fast.
"""

from __future__ import annotations

from typing import Any, Literal

from fmadvisor.vocab import MethodId, Severity, StrategyId
from pydantic import BaseModel, ConfigDict, Field

from fmadvisor import tasks
from fmadvisor.spec import Spec

SPEC_SCHEMA_ID = "https://fmadvisor.invalid/schema/spec-v1.json"


def spec_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SPEC_SCHEMA_ID
    task = schema["$defs"]["Task"]["properties"]["type"]
    task["enum"] = tasks.known_tasks()
    return schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvidenceOut(_Strict):
    benchmark: str
    metric: str
    value: float
    setting: str
    source: str = Field(
        description="owner/repo:path of the file, or the https address, that states it"
    )
    date: str
    percentile: float = Field(ge=0, le=1, description="share of comparable catalog models it beats")
    peers: int = Field(ge=1, description="catalog models that source measured the same way")


class FactorOut(_Strict):
    score: float = Field(ge=0, le=1)
    weight: float = Field(ge=0, le=1)
    confidence: float = Field(ge=0, le=1)
    reasons: list[str]
    evidence: list[EvidenceOut] | None = Field(
        None, description="capability only: the published results behind the score"
    )


class FindingOut(_Strict):
    rule: str
    factor: str
    severity: Severity
    outcome: Literal["fired", "unknown"]
    message: str


class ModelOut(_Strict):
    rank: int = Field(ge=1)
    id: str
    score: float = Field(ge=0, le=1)
    confidence: float = Field(ge=0, le=1)
    eligible: Literal[True]
    pipeline_tag: str | None
    license: str | None
    params: int | None
    source: str
    factors: dict[str, FactorOut]
    findings: list[FindingOut]


class BlockOut(_Strict):
    rule: str
    severity: str
    message: str


class BlockedOut(_Strict):
    id: str
    score: float
    pipeline_tag: str | None
    license: str | None
    params: int | None
    source: str
    blocked_by: list[BlockOut] = Field(min_length=1)


class SelectionOut(_Strict):
    catalog: int
    task_fit: int
    included: int
    excluded: int
    over_max_params: int
    eligible: int
    blocked: int


class RangeOut(_Strict):
    low: float | None
    high: float | None


class HoursOut(_Strict):
    low: float
    expected: float
    high: float


class MethodOut(_Strict):
    gpu_memory_bytes: int | None
    fits_hardware: bool | None


class ComputeOptimalOut(_Strict):
    params: int
    tokens: int
    gpu_hours: int
    basis: str


class StrategyEstimateOut(_Strict):
    methods: dict[MethodId, MethodOut] | None = None
    cost_usd: RangeOut
    weeks: RangeOut
    gpu_memory_bytes: int | None
    fits_hardware: bool | None
    hardware: str | None = None  # which hardware the memory, fit and GPU-hours are for
    gpu_hours: HoursOut | None
    tokens: float | None
    base_model: str | None
    compute_optimal: ComputeOptimalOut | None = Field(
        None,
        description="pre-training: what the compute budget buys (compute-optimal size and tokens)",
    )


class RiskOut(_Strict):
    risk: str
    mitigation: str


class DataPlanOut(_Strict):
    min_examples: int
    recommended: str
    splits: str
    chunking: str | None = Field(
        description="Retrieval strategies: the chunk size the chosen embedder allows; else null."
    )


class LifecycleOut(_Strict):
    monitor: list[str]
    refresh: str


class PlanOut(_Strict):
    label: str
    summary: str
    data: DataPlanOut
    risks: list[RiskOut]
    metrics: list[str]
    lifecycle: LifecycleOut
    guidance: list[str]


class StrategyRankOut(_Strict):
    id: StrategyId
    method: MethodId | None
    score: float = Field(ge=0, le=1)
    confidence: float = Field(ge=0, le=1)
    reasons: list[str]
    estimate: StrategyEstimateOut
    plan: PlanOut


class StackOut(_Strict):
    generator: str | None
    embedding: str | None


class NotApplicableOut(_Strict):
    id: StrategyId
    reason: str


class StrategyOut(_Strict):
    recommended: StrategyId
    fine_tuning_method: MethodId | None
    flavour: list[Literal["instruction", "multi-task", "domain-specific"]]
    shots: Literal["zero-shot", "few-shot", "many-shot"] | None
    ranking: list[StrategyRankOut] = Field(min_length=1)
    stack: StackOut | None
    assumptions: list[str]
    not_applicable: list[NotApplicableOut] = Field(
        default_factory=list, description="strategies the task rules out (not ranked), with why"
    )


class ResultOut(_Strict):
    spec: str
    project: str
    task: str
    selection: SelectionOut
    models: list[ModelOut]
    blocked: list[BlockedOut]
    notes: list[str]
    strategy: StrategyOut | None = None


class ErrorOut(_Strict):
    spec: str
    line: int
    column: int
    field: str
    message: str


class ToolOut(_Strict):
    name: Literal["fmadvisor"]
    version: str


class CatalogOut(_Strict):
    source: str
    facts_as_of: str | None
    models: int


class RulesOut(_Strict):
    profile: str
    count: int
    weights: dict[str, float]


class ScoreReportOut(_Strict):
    """`fmadvisor score --format json` output."""

    schema_version: Literal[1]
    tool: ToolOut
    as_of: str
    catalog: CatalogOut
    rules: RulesOut
    notes: list[str]  # about the whole run, e.g. a catalog older than six months
    results: list[ResultOut]
    errors: list[ErrorOut]


def report_schema() -> dict[str, Any]:
    schema = ScoreReportOut.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
