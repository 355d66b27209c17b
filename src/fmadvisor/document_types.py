"""The types of the `score` JSON report, one definition: the report is built from them
(`report/document.py`, the strategy estimates and plans) and its JSON Schema is generated from them
(`schemas.report_schema`, `fmadvisor schema report`).

They are TypedDicts: building a report makes plain dicts (no validation cost on the command's path),
while pydantic reads the same classes, with their constraints and descriptions, to write the schema.
Every key a document holds is declared here; `NotRequired` marks keys only some documents carry.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, with_config
from typing_extensions import NotRequired, TypedDict

from fmadvisor.vocab import MethodId, Severity, StrategyId

Share = Annotated[float, Field(ge=0, le=1)]
_STRICT = ConfigDict(extra="forbid")


@with_config(_STRICT)
class EvidenceOut(TypedDict):
    benchmark: str
    metric: str
    value: float
    setting: str
    source: Annotated[
        str, Field(description="owner/repo:path of the file, or the https address, that states it")
    ]
    date: str
    percentile: Annotated[
        float, Field(ge=0, le=1, description="share of comparable catalog models it beats")
    ]
    peers: Annotated[
        int, Field(ge=1, description="catalog models that source measured the same way")
    ]


@with_config(_STRICT)
class FactorOut(TypedDict):
    score: Share
    weight: Share
    confidence: Share
    reasons: list[str]
    evidence: NotRequired[
        Annotated[
            list[EvidenceOut],
            Field(description="capability only: the published results behind the score"),
        ]
    ]


@with_config(_STRICT)
class FindingOut(TypedDict):
    rule: str
    factor: str
    severity: Severity
    outcome: Literal["fired", "unknown"]
    message: str


@with_config(_STRICT)
class ModelOut(TypedDict):
    rank: Annotated[int, Field(ge=1)]
    id: str
    score: Share
    confidence: Share
    eligible: Literal[True]
    pipeline_tag: str | None
    license: str | None
    params: int | None
    source: str
    factors: dict[str, FactorOut]
    findings: list[FindingOut]


@with_config(_STRICT)
class BlockOut(TypedDict):
    rule: str
    severity: str
    message: str


@with_config(_STRICT)
class BlockedOut(TypedDict):
    id: str
    score: float
    pipeline_tag: str | None
    license: str | None
    params: int | None
    source: str
    blocked_by: Annotated[list[BlockOut], Field(min_length=1)]


@with_config(_STRICT)
class SelectionOut(TypedDict):
    catalog: int
    task_fit: int
    included: int
    excluded: int
    over_max_params: int
    eligible: int
    blocked: int


@with_config(_STRICT)
class RangeOut(TypedDict):
    low: float | None
    high: float | None


@with_config(_STRICT)
class HoursOut(TypedDict):
    low: float
    expected: float
    high: float


@with_config(_STRICT)
class MethodOut(TypedDict):
    gpu_memory_bytes: int | None
    fits_hardware: bool | None


@with_config(_STRICT)
class ComputeOptimalOut(TypedDict):
    params: int
    tokens: int
    gpu_hours: int
    basis: str


@with_config(_STRICT)
class StrategyEstimateOut(TypedDict):
    cost_usd: RangeOut
    weeks: RangeOut
    gpu_memory_bytes: int | None
    fits_hardware: bool | None
    hardware: Annotated[
        str | None, Field(description="which hardware the memory, fit and GPU-hours are for")
    ]
    gpu_hours: HoursOut | None
    tokens: float | None
    base_model: str | None
    methods: NotRequired[
        Annotated[
            dict[MethodId, MethodOut],
            Field(description="training options: what each fine-tuning method needs on the base"),
        ]
    ]
    compute_optimal: NotRequired[
        Annotated[
            ComputeOptimalOut,
            Field(description="pre-training: what the compute budget buys (size and tokens)"),
        ]
    ]


@with_config(_STRICT)
class RiskOut(TypedDict):
    risk: str
    mitigation: str


@with_config(_STRICT)
class DataPlanOut(TypedDict):
    min_examples: int
    recommended: str
    splits: str
    chunking: Annotated[
        str | None,
        Field(
            description="Retrieval strategies: the chunk size the chosen embedder allows; else null."
        ),
    ]


@with_config(_STRICT)
class LifecycleOut(TypedDict):
    monitor: list[str]
    refresh: str


@with_config(_STRICT)
class PlanOut(TypedDict):
    label: str
    summary: str
    data: DataPlanOut
    risks: list[RiskOut]
    metrics: list[str]
    lifecycle: LifecycleOut
    guidance: list[str]


@with_config(_STRICT)
class StrategyRankOut(TypedDict):
    id: StrategyId
    method: MethodId | None
    score: Share
    confidence: Share
    reasons: list[str]
    estimate: StrategyEstimateOut
    plan: PlanOut


@with_config(_STRICT)
class StackOut(TypedDict):
    generator: str | None
    embedding: str | None


@with_config(_STRICT)
class NotApplicableOut(TypedDict):
    id: StrategyId
    reason: str


@with_config(_STRICT)
class StrategyOut(TypedDict):
    recommended: StrategyId
    fine_tuning_method: MethodId | None
    flavour: list[Literal["instruction", "multi-task", "domain-specific"]]
    shots: Literal["zero-shot", "few-shot", "many-shot"] | None
    ranking: Annotated[list[StrategyRankOut], Field(min_length=1)]
    stack: StackOut | None
    assumptions: list[str]
    not_applicable: Annotated[
        list[NotApplicableOut],
        Field(description="strategies the task rules out (not ranked), with why"),
    ]


@with_config(_STRICT)
class ResultOut(TypedDict):
    spec: str
    project: str
    task: str
    selection: SelectionOut
    models: list[ModelOut]
    blocked: list[BlockedOut]
    notes: list[str]
    strategy: NotRequired[StrategyOut]


@with_config(_STRICT)
class ErrorOut(TypedDict):
    spec: str
    line: int
    column: int
    field: str
    message: str


@with_config(_STRICT)
class ToolOut(TypedDict):
    name: Literal["fmadvisor"]
    version: str


@with_config(_STRICT)
class CatalogOut(TypedDict):
    source: str
    facts_as_of: str | None
    models: int


@with_config(_STRICT)
class RulesOut(TypedDict):
    profile: str
    count: int
    weights: dict[str, float]


@with_config(ConfigDict(extra="forbid", title="ScoreReportOut"))
class ScoreReportOut(TypedDict):
    """`fmadvisor score --format json` output."""

    schema_version: Literal[1]
    tool: ToolOut
    as_of: str
    catalog: CatalogOut
    rules: RulesOut
    notes: Annotated[
        list[str], Field(description="about the whole run, e.g. a catalog older than six months")
    ]
    results: list[ResultOut]
    errors: list[ErrorOut]
