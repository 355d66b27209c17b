"""The project spec's model: what a team tells fmadvisor about its project, defined once.

These pydantic models are the single source of truth for the spec's fields, types, ranges and
defaults; `fmadvisor schema spec` writes their JSON Schema, and `spec_form` derives the fast path's
form from them at build time. Their methods and validators are plain functions of `spec_logic`.
Loading a file goes through `fmadvisor.spec` (`load_spec`, `parse_spec`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from fmadvisor import spec_logic as logic
from fmadvisor.spec_logic import DataLogic, HardwareLogic, TaskLogic
from fmadvisor.spec_types import Candidates, Count, DeclaredModel, StrictModel
from fmadvisor.vocab import DEFAULT_CONTEXT_TOKENS, StrategyId


class Project(StrictModel):
    name: str = Field(min_length=1, description="Short name of the project (required).")
    description: str = Field("", description="What the project does. Default: empty.")


class Task(StrictModel, TaskLogic):
    type: str = Field(
        description="A Hugging Face pipeline tag (text-generation, text-classification, ...) or an alias "
        "(chatbot, classification, ner, embeddings, asr, code, ...). Required."
    )
    modality: Literal["text", "image", "audio", "video", "multimodal", "code", "tabular"] | None = (
        Field(
            None,
            description="Input modality. Default: implied by the task (code aliases imply code).",
        )
    )
    languages: list[str] = Field(
        default_factory=list,
        description="ISO 639-1 codes of the languages the model must handle. Default: none required.",
    )
    domain: str | None = Field(
        None, description="Domain, e.g. customer-support, clinical, legal. Default: none."
    )
    scope: Literal["narrow", "broad"] = Field(
        "narrow", description="narrow: one well-defined job; broad: open-ended. Default: narrow."
    )
    domain_shift: Literal["low", "medium", "high"] = Field(
        "low", description="How far the domain's language is from general web text. Default: low."
    )
    subtasks: int = Field(
        1, ge=1, le=1000, description="Distinct tasks one model must serve. Default: 1."
    )
    labels: list[str] = Field(
        default_factory=list,
        description="The classes a classifier must output (an off-the-shelf head fits only if its "
        "labels are these). Default: none stated.",
    )
    target_languages: list[str] = Field(
        default_factory=list,
        description="For translation: the languages translations go into, among task.languages "
        "(a one-direction translator fits only if it writes them). Default: not stated (any of "
        "task.languages may be one).",
    )

    _known_task = field_validator("type")(logic.known_task)
    _lower_languages = field_validator("languages", "target_languages")(logic.lowered)
    _targets_among_languages = model_validator(mode="after")(logic.targets_among_languages)


UpdateFrequency = Literal["never", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime"]


class Knowledge(StrictModel):
    proprietary: bool = Field(
        False,
        description="The model must use private knowledge (documents it has not seen). Default: false.",
    )
    documents: Count = Field(
        0, description="Number of documents in that knowledge base. Default: 0."
    )
    update_frequency: UpdateFrequency = Field(
        "never", description="How often that knowledge changes. Default: never."
    )


class Data(StrictModel, DataLogic):
    labeled_examples: Count = Field(
        0, description="Input/output pairs usable for fine-tuning. Default: 0."
    )
    unlabeled_tokens: Count = Field(
        0, description="Tokens of unlabeled in-domain text (accepts 2e9 or 2B). Default: 0."
    )
    knowledge: Knowledge = Field(
        default_factory=Knowledge, description="Private knowledge the model must use."
    )
    sensitive: list[Literal["pii", "health", "financial", "biometric", "children", "none"]] = Field(
        default_factory=list,
        description="Kinds of sensitive data the system handles. Default: none.",
    )
    provenance: Literal["any", "documented", "licensed_only"] = Field(
        "any",
        description="What the model's training data must be: any, documented, or licensed only. Default: any.",
    )


class Needs(StrictModel):
    behaviour_change: bool = Field(
        False,
        description="The model must learn a style, tone, output format/schema or many edge cases. Default: false.",
    )
    citations: bool = Field(False, description="Answers must cite their sources. Default: false.")
    explainability: Literal["none", "explainable", "interpretable"] = Field(
        "none",
        description=(
            "explainable: post-hoc explanations suffice; interpretable: "
            "the model itself must be understandable. Default: none."
        ),
    )
    fairness_audit: bool = Field(
        False, description="A bias/fairness audit is required. Default: false."
    )
    max_latency_ms: int | None = Field(
        None,
        ge=1,
        le=3_600_000,
        description="Latency budget per request in milliseconds. Default: none.",
    )
    reduce_inference_cost: bool = Field(
        False, description="Serving cost matters more than peak quality. Default: false."
    )
    context_tokens: Count | None = Field(
        None,
        description="Tokens per request (prompt + output) the model must handle. Default: "
        f"{DEFAULT_CONTEXT_TOKENS} is assumed for memory estimates.",
    )
    quality: Literal["best", "balanced", "cheapest"] = Field(
        "balanced",
        description="Which way to lean when constraints leave models close: best (published "
        "capability and size first), balanced, or cheapest (smaller first). Default: balanced.",
    )


class Gpu(StrictModel):
    name: str = Field(description="GPU model, e.g. L4, A100-80GB, H100.")
    memory_gb: float | None = Field(
        None,
        gt=0,
        le=10_000,
        description="Memory per card in GB. Default: taken from the GPU table when the name is known.",
    )
    count: int = Field(1, ge=1, le=100_000, description="Number of cards. Default: 1.")


class Hardware(StrictModel, HardwareLogic):
    gpus: list[Gpu] = Field(
        default_factory=list,
        description="GPUs available for serving (and for training unless "
        "constraints.training_hardware names others). Default: none (CPU only).",
    )
    cpu_ram_gb: float | None = Field(
        None, gt=0, le=1e6, description="CPU memory in GB. Default: unknown."
    )
    ownership: Literal["owned", "rented"] | None = Field(
        None,
        description="owned: bought or already paid for, no hourly price in the serving cost; "
        "rented: priced per GPU-hour from the GPU table. Default: owned for on_prem and edge "
        "deployment, rented otherwise.",
    )
    owned_usd_per_month: float | None = Field(
        None,
        ge=0,
        le=1e9,
        description="For owned hardware: monthly running cost to count (power, amortization). "
        "Default: not counted.",
    )

    _running_cost_is_for_owned = model_validator(mode="after")(logic.running_cost_is_for_owned)


class Team(StrictModel):
    ml_engineers: int = Field(
        1, ge=0, le=100_000, description="ML engineers on the project. Default: 1."
    )
    experience: Literal["low", "medium", "high"] = Field(
        "medium", description="The team's ML experience. Default: medium."
    )


class LicensePolicy(StrictModel):
    commercial_use: bool = Field(
        True, description="The model will be used commercially. Default: true."
    )
    allow: list[str] = Field(
        default_factory=list,
        description="License tags always acceptable (overrides class rules). Default: none.",
    )
    deny: list[str] = Field(
        default_factory=list, description="License tags never acceptable. Default: none."
    )

    _lower = field_validator("allow", "deny")(logic.lowered)


class Constraints(StrictModel):
    budget_usd: float | None = Field(
        None, ge=0, le=1e12, description="One-off customization budget in USD. Default: unknown."
    )
    monthly_budget_usd: float | None = Field(
        None, ge=0, le=1e12, description="Monthly serving budget in USD. Default: unknown."
    )
    timeline_weeks: float | None = Field(
        None, gt=0, le=1040, description="Weeks until the system must be in use. Default: unknown."
    )
    compute_gpu_hours: float | None = Field(
        None,
        ge=0,
        le=1e9,
        description="Training compute available, in GPU-hours. Default: unknown.",
    )
    team: Team = Field(default_factory=Team, description="The team that builds and runs it.")
    hardware: Hardware = Field(
        default_factory=Hardware,
        description="Hardware for serving, and for training unless training_hardware is given.",
    )
    training_hardware: Hardware | None = Field(
        None,
        description="Hardware for training when it differs from serving, e.g. 8 x H100 rented for "
        "a week while serving on one L4. Default: the serving hardware.",
    )
    deployment: Literal["self_hosted", "on_prem", "cloud_api", "edge"] = Field(
        "self_hosted", description="Where the model runs. Default: self_hosted."
    )
    data_residency: str | None = Field(
        None, description="Region data must stay in, e.g. eu. Default: none."
    )
    license: LicensePolicy = Field(default_factory=LicensePolicy, description="License policy.")
    frameworks: list[str] = Field(
        default_factory=list,
        description="Frameworks the team uses (pytorch, tensorflow, jax, onnx, ...). Default: any.",
    )
    integrations: list[str] = Field(
        default_factory=list,
        description="Serving/orchestration tools (vllm, tgi, llama.cpp, langchain, ...). Default: none.",
    )
    max_model_age_months: int | None = Field(
        None,
        ge=1,
        le=1200,
        description="Oldest acceptable model release, in months. Default: no limit.",
    )
    allow_gated: bool = Field(
        True, description="Gated models (access on request) are acceptable. Default: true."
    )

    _lower = field_validator("frameworks", "integrations")(logic.lowered)


Approach = StrategyId


class Attempt(StrictModel):
    approach: Approach = Field(description="What was tried.")
    outcome: Literal["insufficient", "promising", "adequate"] = Field(description="How it went.")


class History(StrictModel):
    tried: list[Attempt] = Field(
        default_factory=list, description="Approaches already tried. Default: none."
    )


class Spec(StrictModel):
    """A project spec. Only `version`, `project.name` and `task.type` are required."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        allow_inf_nan=False,
        title="fmadvisor project spec",
    )

    version: Literal[1] = Field(description="Spec format version. Must be 1.")
    project: Project
    task: Task
    data: Data = Field(default_factory=Data)
    needs: Needs = Field(default_factory=Needs)
    constraints: Constraints = Field(default_factory=Constraints)
    history: History = Field(default_factory=History)
    candidates: Candidates = Field(default_factory=Candidates)
    models: list[DeclaredModel] = Field(
        default_factory=list, description="Models this repository has chosen (read by the CI gate)."
    )

    _no_include_exclude_overlap = model_validator(mode="after")(logic.no_include_exclude_overlap)
