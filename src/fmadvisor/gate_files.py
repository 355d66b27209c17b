"""The shapes of the gate's own files, `fmadvisor.lock` and `fmadvisor-waivers.yaml`, validated with
pydantic when a file is read. Imported only then: a `check` without those files builds no model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fmadvisor.validation import IsoDate

DEFAULT_WAIVER_DAYS = 365


class LockEntryDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    revision: str
    resolved_revision: str | None = None
    source: str
    facts_as_of: str | None = None
    locked_at: IsoDate
    metadata: dict[str, Any]
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")


class LockfileDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lockfile_version: int = Field(ge=1, le=1)
    generated_by: str = ""
    models: dict[str, LockEntryDoc]


class WaiverDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)
    rule: str = Field(min_length=1)
    model: str = Field(min_length=1)
    revision: str | None = None
    reason: str = Field(min_length=1)
    owner: str | None = None
    expires: IsoDate


class WaiversFileDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    version: int = Field(ge=1, le=1)
    max_days: int = Field(DEFAULT_WAIVER_DAYS, ge=1, le=3650)
    waivers: list[WaiverDoc] = Field(default_factory=list)
