"""Building blocks of the spec model: its strict base class, counts written the way people write
them ("7B", "300k", 7e9), and the two sections that name Hub models (`candidates`, `models`).
Validators are plain functions of `spec_logic`, which the fast path (`spec_form`) calls too."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from fmadvisor import spec_logic as logic
from fmadvisor.spec_logic import MAX_COUNT, parse_count
from fmadvisor.vocab import StrategyId

COUNT_JSON_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?([eE][0-9]+)?\s*[kKmMbBgGtT]?\s*$"},
    ]
}
Count = Annotated[
    int,
    BeforeValidator(parse_count),
    Field(ge=0, le=MAX_COUNT),
    WithJsonSchema(COUNT_JSON_SCHEMA),
]


class StrictModel(BaseModel):
    """Every spec section: unknown keys are errors, values are not coerced, no inf/nan."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, strict=True, allow_inf_nan=False
    )


class Candidates(StrictModel):
    include: list[str] = Field(
        default_factory=list,
        description="Models always ranked, even when no catalog knows them. Default: none.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Models never considered. Default: none."
    )
    max_params: Count | None = Field(
        None, description="Largest model to consider (accepts 13B). Default: no limit."
    )

    _ids = field_validator("include", "exclude")(logic.repo_ids)


class DeclaredModel(StrictModel):
    id: str = Field(min_length=1, description="Hugging Face model id, org/name.")
    revision: str = Field(
        "main", description="Git revision (branch, tag or commit). Default: main."
    )
    role: str | None = Field(
        None, description="What it does here: generator, embedding, classifier, ... Default: none."
    )
    strategy: StrategyId | None = Field(None, description="How it is customized. Default: none.")
    first_stage: StrategyId | None = Field(
        None,
        description="A strategy run before `strategy` on this model, e.g. continued_pre_training "
        "before fine-tuning, as `score` recommends when the domain's language is far from the base "
        "model's (its first_stage). Default: none.",
    )

    _id = field_validator("id")(logic.repo_id)
    _revision = field_validator("revision")(logic.revision)
    _first_stage = model_validator(mode="after")(logic.first_stage_precedes_a_strategy)
