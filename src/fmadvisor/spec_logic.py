"""What the spec's sections compute and check, in plain Python (no pydantic).

The pydantic models in `spec_model` are the single definition of the spec; the methods and
validators they use live here, so that the fast path (`spec_form`), which builds its own plain
objects from a form derived from those models, calls the very same code: counts written the way
people write them, Hub ids and revisions as the Hub accepts them, lower-cased lists, and the
cross-field checks.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from fmadvisor import tasks

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


def repo_ids(value: list[str]) -> list[str]:
    return [repo_id(v) for v in value]


def revision(value: str) -> str:
    """A git revision (branch, tag or commit) as the Hub accepts it."""
    if not REVISION_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a git revision (a branch, tag or commit, without spaces or control characters)"
        )
    return value


def lowered(value: list[str]) -> list[str]:
    """Language codes, license tags, framework names: compared lower-case."""
    return [v.strip().lower() for v in value]


def known_task(value: str) -> str:
    if tasks.resolve(value) is None:
        close = difflib.get_close_matches(value.lower(), tasks.known_tasks(), n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise ValueError(f"unknown task '{value}'{hint}; see `fmadvisor schema spec` for the list")
    return value


# Cross-field checks (model validators: they take the section and return it).


def running_cost_is_for_owned(hardware: Any) -> Any:
    if hardware.ownership == "rented" and hardware.owned_usd_per_month is not None:
        raise ValueError(
            "owned_usd_per_month is for owned hardware; rented hardware is priced per GPU-hour"
        )
    return hardware


def first_stage_precedes_a_strategy(model: Any) -> Any:
    if model.first_stage is not None and model.strategy is None:
        raise ValueError("first_stage is the stage before `strategy`; declare the strategy too")
    if model.first_stage is not None and model.first_stage == model.strategy:
        raise ValueError(f"first_stage and strategy are both {model.strategy}")
    return model


def outside_languages(targets: Any, languages: Any) -> list[str]:
    """The target languages a spec (or an interview) names that are not among its languages."""
    return [code for code in targets if code not in languages]


def targets_among_languages(task: Any) -> Any:
    missing = outside_languages(task.target_languages, task.languages)
    if missing:
        raise ValueError(f"target_languages {missing} are not among task.languages")
    return task


def no_include_exclude_overlap(spec: Any) -> Any:
    both = set(spec.candidates.include) & set(spec.candidates.exclude)
    if both:
        raise ValueError(f"candidates: {sorted(both)} both included and excluded")
    return spec


# What sections compute (mixed into the pydantic models and the fast path's objects alike; no
# annotations here, which pydantic would read as fields).


class TaskLogic:
    @property
    def pipeline_tag(self) -> str:
        tag = tasks.resolve(self.type)
        assert tag is not None  # checked by known_task
        return tag

    @property
    def resolved_modality(self) -> str:
        return self.modality or tasks.default_modality(self.type)


class DataLogic:
    @property
    def has_sensitive(self) -> bool:
        return any(s != "none" for s in self.sensitive)


class HardwareLogic:
    def owned(self, deployment: str) -> bool:
        """Whether the hardware is owned (stated, or implied by on_prem and edge deployment)."""
        if self.ownership is not None:
            return self.ownership == "owned"
        return deployment in ("on_prem", "edge")
