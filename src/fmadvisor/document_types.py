"""The types of the `score` JSON report, one definition: the report is built from them
(`report/document.py`, the strategy estimates and plans) and its JSON Schema is generated from them
(`schemas.report_schema`, `fmadvisor schema report`).

They are TypedDicts: building a report makes plain dicts (no validation cost on the command's path,
and no pydantic import), while pydantic reads the same classes to write the schema: constraints as
`_Limits` metadata, descriptions as the docstring under a key.
Every key a document holds is declared here; `NotRequired` marks keys only some documents carry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from typing_extensions import NotRequired, TypedDict

from fmadvisor.vocab import MethodId, Severity, StrategyId

T = TypeVar("T")


class _Limits:
    """Bounds pydantic puts in the schema it writes (as annotated_types' Ge/Le/MinLen would), kept
    as plain data: the report's path imports neither pydantic nor annotated_types."""

    def __init__(self, **limits: int) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update(self.limits)  # numbers: ge, le; lists: min_length
        return schema


def Interval(ge: int, le: int) -> _Limits:  # noqa: N802 (reads like the annotated_types marker)
    return _Limits(ge=ge, le=le)


def Ge(ge: int) -> _Limits:  # noqa: N802
    return _Limits(ge=ge)


def MinLen(min_length: int) -> _Limits:  # noqa: N802
    return _Limits(min_length=min_length)


Share = Annotated[float, Interval(ge=0, le=1)]
# A factor's score runs from its floor to 1: the floor is 0 unless the rule base's `floors` lowers it
# (the default rule base lets task fit fall to -1), so a model's weighted score can dip below 0 too.
Score = Annotated[float, Interval(ge=-1, le=1)]


def _config(**config: Any) -> Callable[[type[T]], type[T]]:
    """pydantic's `with_config`, without importing pydantic: building a report must not (its cost
    is the command's start-up); pydantic reads `__pydantic_config__` when it writes the schema."""

    def apply(cls: type[T]) -> type[T]:
        cls.__pydantic_config__ = {**config, "use_attribute_docstrings": True}  # type: ignore[attr-defined]
        return cls

    return apply


_STRICT = {"extra": "forbid"}


@_config(**_STRICT)
class EvidenceOut(TypedDict):
    benchmark: str
    metric: str
    value: float
    setting: str
    source: str
    """owner/repo:path of the file, or the https address, that states it"""
    date: str
    percentile: Annotated[float, Interval(ge=0, le=1)]
    """share of comparable catalog models it beats"""
    peers: Annotated[int, Ge(1)]
    """catalog models that source measured the same way"""


@_config(**_STRICT)
class FactorOut(TypedDict):
    score: Score
    weight: Share
    confidence: Share
    reasons: list[str]
    evidence: NotRequired[list[EvidenceOut]]
    """capability only: the published results behind the score"""


@_config(**_STRICT)
class FindingOut(TypedDict):
    rule: str
    factor: str
    severity: Severity
    outcome: Literal["fired", "unknown"]
    message: str


@_config(**_STRICT)
class ModelOut(TypedDict):
    rank: Annotated[int, Ge(1)]
    id: str
    score: Score
    confidence: Share
    eligible: Literal[True]
    pipeline_tag: str | None
    license: str | None
    params: int | None
    params_basis: NotRequired[str]
    """present when `params` is inferred, not recorded: where the figure comes from"""
    source: str
    factors: dict[str, FactorOut]
    findings: list[FindingOut]


@_config(**_STRICT)
class BlockOut(TypedDict):
    rule: str
    severity: str
    message: str


@_config(**_STRICT)
class BlockedOut(TypedDict):
    id: str
    score: float
    pipeline_tag: str | None
    license: str | None
    params: int | None
    source: str
    blocked_by: Annotated[list[BlockOut], MinLen(1)]


@_config(**_STRICT)
class SelectionOut(TypedDict):
    catalog: int
    task_fit: int
    included: int
    excluded: int
    over_max_params: int
    eligible: int
    blocked: int


@_config(**_STRICT)
class RangeOut(TypedDict):
    low: float | None
    high: float | None


@_config(**_STRICT)
class HoursOut(TypedDict):
    low: float
    expected: float
    high: float


@_config(**_STRICT)
class MethodOut(TypedDict):
    gpu_memory_bytes: int | None
    fits_hardware: bool | None


@_config(**_STRICT)
class ComputeOptimalOut(TypedDict):
    params: int
    tokens: int
    gpu_hours: int
    basis: str


@_config(**_STRICT)
class StrategyEstimateOut(TypedDict):
    cost_usd: RangeOut
    weeks: RangeOut
    gpu_memory_bytes: int | None
    fits_hardware: bool | None
    hardware: str | None
    """which hardware the memory, fit and GPU-hours are for"""
    gpu_hours: HoursOut | None
    tokens: float | None
    base_model: str | None
    methods: NotRequired[dict[MethodId, MethodOut]]
    """training options: what each fine-tuning method needs on the base"""
    compute_optimal: NotRequired[ComputeOptimalOut]
    """pre-training: what the compute budget buys (size and tokens)"""


@_config(**_STRICT)
class RiskOut(TypedDict):
    risk: str
    mitigation: str


@_config(**_STRICT)
class DataPlanOut(TypedDict):
    min_examples: int
    recommended: str
    splits: str
    chunking: str | None
    """Retrieval strategies: the chunk size the chosen embedder allows; else null."""


@_config(**_STRICT)
class LifecycleOut(TypedDict):
    monitor: list[str]
    refresh: str


@_config(**_STRICT)
class PlanOut(TypedDict):
    label: str
    summary: str
    data: DataPlanOut
    risks: list[RiskOut]
    metrics: list[str]
    lifecycle: LifecycleOut
    guidance: list[str]


@_config(**_STRICT)
class StrategyRankOut(TypedDict):
    id: StrategyId
    method: MethodId | None
    score: Share
    confidence: Share
    reasons: list[str]
    estimate: StrategyEstimateOut
    plan: PlanOut


@_config(**_STRICT)
class StackOut(TypedDict):
    generator: str | None
    embedding: str | None


@_config(**_STRICT)
class NotApplicableOut(TypedDict):
    id: StrategyId
    reason: str


@_config(**_STRICT)
class FirstStageOut(TypedDict):
    id: StrategyId
    reason: str
    """the rule message that calls for it (e.g. a domain gap with a corpus to learn it from)"""


@_config(**_STRICT)
class StrategyOut(TypedDict):
    recommended: StrategyId
    fine_tuning_method: MethodId | None
    flavour: list[Literal["instruction", "multi-task", "domain-specific"]]
    shots: Literal["zero-shot", "few-shot", "many-shot"] | None
    ranking: Annotated[list[StrategyRankOut], MinLen(1)]
    stack: StackOut | None
    assumptions: list[str]
    not_applicable: list[NotApplicableOut]
    """strategies the task rules out (not ranked), with why"""
    first_stage: FirstStageOut | None
    """a strategy to run before the recommended one (continued pre-training before fine-tuning);
    the models are ranked for it, as it decides the starting checkpoint"""


@_config(**_STRICT)
class ResultOut(TypedDict):
    spec: str
    project: str
    task: str
    selection: SelectionOut
    models: list[ModelOut]
    blocked: list[BlockedOut]
    notes: list[str]
    strategy: NotRequired[StrategyOut]


@_config(**_STRICT)
class ErrorOut(TypedDict):
    spec: str
    line: int
    column: int
    field: str
    message: str


@_config(**_STRICT)
class ToolOut(TypedDict):
    name: Literal["fmadvisor"]
    version: str


@_config(**_STRICT)
class CatalogOut(TypedDict):
    source: str
    facts_as_of: str | None
    models: int


@_config(**_STRICT)
class RulesOut(TypedDict):
    profile: str
    count: int
    weights: dict[str, float]


@_config(extra="forbid", title="ScoreReportOut")
class ScoreReportOut(TypedDict):
    """`fmadvisor score --format json` output."""

    schema_version: Literal[1]
    tool: ToolOut
    as_of: str
    catalog: CatalogOut
    rules: RulesOut
    notes: list[str]
    """about the whole run, e.g. a catalog older than six months"""
    results: list[ResultOut]
    errors: list[ErrorOut]
