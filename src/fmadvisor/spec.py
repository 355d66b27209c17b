"""The project spec: what a team tells fmadvisor about its project.

`load_spec` reads a YAML file through `yamlsource` (safe, located) and validates it with the
pydantic models below. Validation errors become `SpecError`s naming file, line, column and field
path, in words a user understands ("must be a number", "unknown field 'gpu' (did you mean 'gpus'?)").
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from fmadvisor.vocab import DEFAULT_CONTEXT_TOKENS, StrategyId
from fmadvisor import tasks
from fmadvisor.errors import Location, SpecError
from fmadvisor.validation import located_error
from fmadvisor.spec_types import (  # noqa: F401  (MAX_COUNT, parse_count: re-exported)
    MAX_COUNT,
    Count,
    Candidates,
    DeclaredModel,
    StrictModel,
    parse_count,
    repo_id,
    revision,
)
from fmadvisor.yamlsource import SourceMap, YamlDocument, load_file, parse


class Project(StrictModel):
    name: str = Field(min_length=1, description="Short name of the project (required).")
    description: str = Field("", description="What the project does. Default: empty.")


class Task(StrictModel):
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

    @field_validator("type")
    @classmethod
    def _known_task(cls, value: str) -> str:
        if tasks.resolve(value) is None:
            close = difflib.get_close_matches(value.lower(), tasks.known_tasks(), n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            raise ValueError(
                f"unknown task '{value}'{hint}; see `fmadvisor schema spec` for the list"
            )
        return value

    @field_validator("languages")
    @classmethod
    def _lower_languages(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]

    @property
    def pipeline_tag(self) -> str:
        tag = tasks.resolve(self.type)
        assert tag is not None  # checked by the validator
        return tag

    @property
    def resolved_modality(self) -> str:
        return self.modality or tasks.default_modality(self.type)


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


class Data(StrictModel):
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

    @property
    def has_sensitive(self) -> bool:
        return any(s != "none" for s in self.sensitive)


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


class Hardware(StrictModel):
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

    @model_validator(mode="after")
    def _running_cost_is_for_owned(self) -> Hardware:
        if self.ownership == "rented" and self.owned_usd_per_month is not None:
            raise ValueError(
                "owned_usd_per_month is for owned hardware; rented hardware is priced per GPU-hour"
            )
        return self

    def owned(self, deployment: str) -> bool:
        """Whether the hardware is owned (stated, or implied by on_prem and edge deployment)."""
        if self.ownership is not None:
            return self.ownership == "owned"
        return deployment in ("on_prem", "edge")


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

    @field_validator("allow", "deny")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]


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

    @field_validator("frameworks", "integrations")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]


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

    @model_validator(mode="after")
    def _no_include_exclude_overlap(self) -> Spec:
        both = set(self.candidates.include) & set(self.candidates.exclude)
        if both:
            raise ValueError(f"candidates: {sorted(both)} both included and excluded")
        return self


class LoadedSpec:
    """A validated spec with the file it came from and where each field stands in it."""

    __slots__ = ("spec", "path", "source")

    def __init__(self, spec: Spec, path: str, source: SourceMap) -> None:
        self.spec = spec
        self.path = path
        self.source = source


def load_spec(path: Path | str) -> LoadedSpec:
    doc = load_file(Path(path), kind="spec", error=SpecError)
    return validate_spec(doc, str(path))


def parse_spec(text: str, name: str = "<spec>") -> LoadedSpec:
    return validate_spec(parse(text, name, kind="spec", error=SpecError), name)


def validate_spec(doc: YamlDocument, name: str) -> LoadedSpec:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        raise SpecError(
            f"a spec must be a mapping with version, project and task; this document is {kind}",
            Location(name, 1, 1),
        )
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        raise located_error(exc, doc.source, Spec, SpecError) from None
    return LoadedSpec(spec, name, doc.source)
