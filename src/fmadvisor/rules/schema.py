"""The shape of a rule file (validated with pydantic; conditions checked by `conditions.parse`)."""

from __future__ import annotations

from typing import Any, Literal

from fmadvisor.vocab import Severity, StrategyId
from pydantic import BaseModel, ConfigDict, Field

RULE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)+$"
FACTOR = r"^[a-z][a-z0-9_]*$"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class RuleDoc(_Doc):
    id: str = Field(
        pattern=RULE_ID, description="Stable id, factor-prefixed: license.non-commercial."
    )
    target: Literal["model", "strategy"] = Field(
        "model", description="What the rule scores: candidate models, or customization strategies."
    )
    factor: str = Field(
        pattern=FACTOR,
        description="The factor the rule scores (a key of weights, or of strategy_weights).",
    )
    kind: Literal["requirement", "score"] = Field(
        description="requirement: firing blocks the model; score: firing adjusts the factor."
    )
    severity: Severity = Field(description="How serious a firing is (used by the CI gate).")
    applies: Any = Field(
        None,
        description=(
            "Condition under which the rule is relevant at all; when "
            "false, the rule neither fires nor passes. Omitted: always."
        ),
    )
    when: Any = Field(
        None,
        description="Condition under which the rule fires (given it applies); omitted: always.",
    )
    adjust: float | None = Field(
        None, ge=-1, le=1, description="score rules: added to the factor score when the rule fires."
    )
    unknown_adjust: float | None = Field(
        None,
        ge=-1,
        le=1,
        description=(
            "Added when the rule cannot be decided. Default: half "
            "a negative adjust (score rules), -0.3 (requirements)."
        ),
    )
    on_unknown: Literal["warn", "block"] = Field(
        "warn", description="requirements: what an undecidable check does. Default: warn."
    )
    unknown_severity: Severity | None = Field(
        None,
        description="How the CI gate reports an undecidable check. Default: the rule's severity "
        "for requirements (unknown is never a pass), info for score rules.",
    )
    message: str = Field(
        min_length=1, description="Said when the rule fires; may use {field} placeholders."
    )
    pass_message: str | None = Field(
        None, description="Said when the rule was checked and did not fire."
    )
    unknown_message: str | None = Field(
        None, description="Said when the rule cannot be decided. Default: names the unknown fields."
    )
    remediation: str = Field(min_length=1, description="What to do about it.")
    rationale: str = Field(min_length=1, description="Why the rule exists, for a reader.")
    references: list[str] = Field(
        default_factory=list, description="Where the guidance comes from."
    )
    declared_strategies: list[StrategyId] | None = Field(
        None,
        description=(
            "check only: report this model rule for a declared model only when the model is declared "
            "with one of these strategies (or with none). Omitted: whatever the strategy."
        ),
    )
    subsumes: list[str] = Field(
        default_factory=list,
        description=(
            "check only: rule ids whose findings this rule's finding replaces on the same model "
            "(a special case said once, not twice). Scores still add up."
        ),
    )


class LicenseDoc(_Doc):
    license_class: Literal[
        "permissive", "copyleft", "non-commercial", "use-restricted", "community", "other"
    ] = Field(alias="class")
    commercial: bool | None = None
    name: str = ""
    obligations: str = ""
    aliases: list[str] = Field(
        default_factory=list,
        description="Other license_name values the Hub's cards give for the same license.",
    )


class GpuDoc(_Doc):
    name: str = Field(min_length=1)
    memory_gb: float = Field(gt=0)
    bf16_tflops: float | None = Field(None, gt=0)
    fp16_tflops: float | None = Field(None, gt=0)
    memory_bandwidth_gbps: float | None = Field(None, gt=0)
    usd_per_hour: float | None = Field(None, ge=0)
    price_source: str = ""
    aliases: list[str] = Field(default_factory=list)


class IntegrationDoc(_Doc):
    libraries: list[str] = Field(default_factory=list)
    pipeline_tags: list[str] = Field(default_factory=list)


class RiskDoc(_Doc):
    risk: str = Field(min_length=1)
    mitigation: str = Field(min_length=1)
    modalities: list[str] | None = Field(
        None,
        description="Task modalities the risk concerns (text, image, audio, ...). Default: all.",
    )


class DataPlanDoc(_Doc):
    min_examples: int = Field(
        0, ge=0, description="Labeled examples below which the strategy is not worth it."
    )
    recommended: str = Field(min_length=1, description="What data to prepare.")
    splits: str = Field(min_length=1, description="How to split it.")


class _PlanTextDoc(_Doc):
    """What a strategy's plan says: shared by its own plan and its `as_is` variant."""

    summary: str = Field(min_length=1)
    data: DataPlanDoc
    risks: list[RiskDoc] = Field(min_length=1)
    monitor: list[str] = Field(min_length=1, description="What to watch after deployment.")
    refresh: str = Field(
        min_length=1, description="How often to refresh (may use {field} placeholders)."
    )
    guidance: list[str] = Field(
        min_length=1, description="Where the approach's guidance comes from."
    )


class AsIsDoc(_PlanTextDoc):
    label: str = Field(min_length=1, description="How the plan names the option here.")


class StrategyDoc(_PlanTextDoc):
    weeks: tuple[float, float] = Field(
        description="Typical calendar weeks, low and high, for a team of two with medium experience."
    )
    first_stage_when: list[str] = Field(
        default_factory=list,
        description="Strategy rules (ids) that, fired against a recommended strategy that trains, "
        "make this strategy the plan's first stage when it is feasible (its own budget, compute, "
        "timeline, data and team rules of high severity pass): e.g. continued pre-training on the "
        "corpus before fine-tuning, when the domain's language is far from the base model's.",
    )
    as_is: AsIsDoc | None = Field(
        None,
        description="The plan where the task's model reads no prompt (image, audio or video input, "
        "or a base model that is not a generator): the same option means using the pre-trained "
        "model as it is, zero-shot.",
    )


class DomainDoc(_Doc):
    no_base: bool = Field(
        False, description="Its data is not natural language (sequences): no text model is a base."
    )
    specialty: str | None = Field(
        None, description="Model specialty that serves the domain (catalog `specialties`)."
    )
    within: str | None = Field(
        None,
        description="A broader specialty this one is part of (pathology within medical): models "
        "of the broader one serve the domain too, while a model of this one serves only it.",
    )
    reasoning: bool = Field(
        False,
        description="Answers need reasoning or exactness (raises the sensible size).",
    )
    shift: Literal["low", "medium", "high"] = Field(
        "low", description="How far its language is from general web text."
    )
    benchmarks: list[str] = Field(
        default_factory=list,
        description="Words naming the benchmarks that measure the domain (e.g. humaneval): when "
        "given, a model's capability is read from those results alone.",
    )
    task_benchmarks: dict[str, list[str]] = Field(
        default_factory=dict,
        description="On a specialty's entry: words naming the benchmarks that measure one of its "
        "tasks (pipeline tag -> words), read for the specialty's specs instead of the table "
        "task_benchmarks (BLURB for biomedical classification and tagging).",
    )
    reads_text: bool = Field(
        False,
        description="The images hold text to be read (OCR, handwriting, receipts): a captioning "
        "model, which says what a picture shows, does not read it.",
    )
    about_things: bool = Field(
        False,
        description="The word makes the domain about equipment (device, equipment): no subject "
        "specialty applies (a clinical model does not serve medical-device maintenance).",
    )


class TablesDoc(_Doc):
    strategies: dict[StrategyId, StrategyDoc] = Field(default_factory=dict)
    metrics: dict[str, list[str]] = Field(
        default_factory=dict, description="Evaluation metrics per pipeline tag (and 'retrieval')."
    )
    task_benchmarks: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Words naming the benchmarks that measure a task (pipeline tag): a model's "
        "capability for that task is read from those results alone, unless the domain names its own.",
    )
    benchmark_languages: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Words naming benchmarks that measure named languages (matched, lower case, "
        "inside a result's benchmark name) -> those languages (ISO 639-1): such a result counts "
        "towards capability only for a spec that requires one of them or names no language "
        "(an English leaderboard says little about Swedish speech). A key holding `{language}` "
        "names one benchmark per listed language: it stands for each, with that language alone "
        "(`'fleurs, {language}': [de, fr]` is `'fleurs, de': [de]` and `'fleurs, fr': [fr]`).",
    )
    latin_script_languages: list[str] = Field(
        default_factory=list,
        description="ISO 639-1 codes of languages usually written in the Latin alphabet: a text "
        "recogniser trained on English reads their letters, so fine-tuning it on their transcribed "
        "lines teaches it the language (spec.plan.teaches_languages).",
    )
    dataset_labels: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The classes a detection or audio-classification head trained on a dataset "
        "predicts (a catalog `datasets` entry, lower case): its labels when the catalog records none.",
    )
    thresholds: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Named numbers rules compare with ({threshold: NAME}) "
            "and the recommender reads, so each lives in one place."
        ),
    )
    licenses: dict[str, LicenseDoc] = Field(default_factory=dict)
    domains: dict[str, DomainDoc] = Field(
        default_factory=dict,
        description="Domain words (matched in task.domain) and what they imply; extend with your own.",
    )
    gpus: list[GpuDoc] = Field(default_factory=list)
    libraries: dict[str, list[str]] = Field(default_factory=dict)
    integrations: dict[str, IntegrationDoc] = Field(default_factory=dict)


class RuleFileDoc(_Doc):
    version: Literal[1]
    name: str | None = Field(
        None, description="A profile's name (shipped profiles: default, strict)."
    )
    description: str = ""
    extends: str | None = Field(
        None, description="Start from a shipped profile ('default', 'strict') or 'none'."
    )
    include: list[str] = Field(
        default_factory=list,
        description="Further rule files, relative to this one, inside its folder.",
    )
    weights: dict[str, float] = Field(
        default_factory=dict, description="Model factor weights (normalized to sum 1)."
    )
    strategy_weights: dict[str, float] = Field(
        default_factory=dict, description="Strategy factor weights (normalized to sum 1)."
    )
    floors: dict[str, float] = Field(
        default_factory=dict,
        description="Lowest score a model factor can reach, from -1 to 0 (default 0). Below 0, a "
        "factor failed several times over keeps costing, so that the other factors cannot make "
        "up for it.",
    )
    disable: list[str] = Field(default_factory=list, description="Rule ids to switch off.")
    rules: list[RuleDoc] = Field(default_factory=list)
    tables: TablesDoc | None = None
