"""Building blocks of the spec model: its strict base class, counts written the way people write
them ("7B", "300k", 7e9), Hugging Face repo ids and revisions as the Hub accepts them, and the two
sections that name Hub models (`candidates`, `models`)."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

from fmadvisor.vocab import StrategyId

MAX_COUNT = 10**15
"""Largest count a spec may state (tokens, examples, parameters): far above any real project."""
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_COUNT_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)\s*([kmbgt]?)\s*$", re.IGNORECASE)


def parse_count(value: Any) -> Any:
    """Accept 7000000000, 7e9, "7e9", "7B", "7.2 B", "300k" for a count; leave the rest to pydantic."""
    if isinstance(value, bool):
        raise ValueError(
            f"must be a whole number, not {str(value).lower()}"
        )  # lax int mode would take true as 1
    rounded = False
    if isinstance(value, str):
        m = _COUNT_RE.match(value)
        if not m:
            return value
        value, rounded = float(m.group(1)) * _SUFFIX.get(m.group(2).lower(), 1), True
    if isinstance(value, float):
        if not math.isfinite(value) or value > MAX_COUNT:
            raise ValueError(f"must be at most {MAX_COUNT:.0e} (got {value:g})")
        return int(round(value)) if rounded or value.is_integer() else value
    return value


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


REPO_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")
REVISION_RE = re.compile(r"[^\s\x00-\x1f\x7f~^:?*\[\\]{1,255}")


def repo_id(value: str) -> str:
    """A Hub model id as the Hub accepts it (org/name, letters, digits, '-', '_', '.'); anything else
    is a typo, or text trying to pass for an id in CI output."""
    if (
        not REPO_ID_RE.fullmatch(value)
        or ".." in value
        or "--" in value
        or any(len(p) > 96 for p in value.split("/"))
    ):
        raise ValueError(
            f"{value!r} is not a Hugging Face model id (org/name: letters, digits, '-', '_', '.'; "
            "no '..' or '--'; at most 96 characters per part)"
        )
    return value


def revision(value: str) -> str:
    """A git revision (branch, tag or commit) as the Hub accepts it."""
    if not REVISION_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a git revision (a branch, tag or commit, without spaces or control characters)"
        )
    return value


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

    @field_validator("include", "exclude")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        return [repo_id(v) for v in value]


class DeclaredModel(StrictModel):
    id: str = Field(min_length=1, description="Hugging Face model id, org/name.")
    revision: str = Field(
        "main", description="Git revision (branch, tag or commit). Default: main."
    )
    role: str | None = Field(
        None, description="What it does here: generator, embedding, classifier, ... Default: none."
    )
    strategy: StrategyId | None = Field(None, description="How it is customized. Default: none.")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return repo_id(value)

    @field_validator("revision")
    @classmethod
    def _revision(cls, value: str) -> str:
        return revision(value)
