"""`Env`: everything about one spec that per-model fields need, computed once per spec."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fmadvisor import tasks
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import CUDA_CONTEXT, GB
from fmadvisor.rules.tables import LicenseInfo, Tables
from fmadvisor.spec import Spec
from fmadvisor.vocab import DEFAULT_CONTEXT_TOKENS, GENERATIVE_TEXT


@dataclass(frozen=True)
class Card:
    """One kind of GPU the spec has: per-card memory and how many."""

    memory_bytes: float
    count: int
    usd_per_hour: float | None


class Env:
    """Everything about one spec that per-model fields need, computed once."""

    def __init__(
        self,
        spec: Spec,
        tables: Tables,
        as_of: dt.date,
        lookup: Callable[[str], Candidate | None] | None = None,
        planned_strategy: str | None = None,
    ) -> None:
        self.spec = spec
        self.planned_strategy = planned_strategy  # the strategy models are ranked for (second pass)
        self.tables = tables
        self.as_of = as_of
        self.lookup = lookup or (lambda model_id: None)  # the catalog, for base-model lineage
        self.context = spec.needs.context_tokens or DEFAULT_CONTEXT_TOKENS
        self.cards: list[Card] = []
        for g in spec.constraints.hardware.gpus:
            known = tables.gpu(g.name)
            mem = g.memory_gb if g.memory_gb is not None else (known.memory_gb if known else None)
            if mem is not None:
                self.cards.append(Card(mem * GB, g.count, known.usd_per_hour if known else None))
        ram = spec.constraints.hardware.cpu_ram_gb
        self.cpu_bytes = (
            ram * GB * 0.8 if ram else None
        )  # leave 20% for the OS and the serving process
        self.pipeline_tag = spec.task.pipeline_tag
        self.fit_table = tasks.fit_table(self.pipeline_tag)
        self.languages = tuple(spec.task.languages)
        self.frameworks = frozenset(spec.constraints.frameworks)
        self.integrations = tuple(spec.constraints.integrations)
        self.unknown_gpu_names = [
            g.name
            for g in spec.constraints.hardware.gpus
            if g.memory_gb is None and tables.gpu(g.name) is None
        ]
        # Per-spec memo tables for derived values, keyed by the model facts they depend on: a catalog
        # repeats architectures, licenses and release dates, and scoring reads each many times.
        self.license_memo: dict[tuple[str | None, str | None], LicenseInfo | None] = {}
        self.age_memo: dict[str | None, float | None] = {}
        self.memory_memo: dict[
            tuple[Any, ...], Any
        ] = {}  # architecture -> derived.memory.MemoryProfile
        self.lineage_memo: dict[str | None, Any] = {}
        self.domain = tables.domain(spec.task.domain)
        self.specialty: str | None = (self.domain.specialty if self.domain else None) or (
            "code" if spec.task.resolved_modality == "code" else None
        )
        self.min_size_b, self.min_size_reason = _min_size(spec, tables.thresholds, self)

    def fits(self, need: float | None) -> bool | None:
        """Does `need` bytes fit per card on some GPU type of the spec (split over its cards), or in CPU RAM?"""
        if need is None:
            return None
        if self.cards:
            return any(
                (need - CUDA_SHARED) / c.count + CUDA_SHARED <= c.memory_bytes for c in self.cards
            )
        if self.cpu_bytes is not None:
            return need <= self.cpu_bytes
        return None  # no hardware stated: unknown


CUDA_SHARED = CUDA_CONTEXT  # per-card runtime overhead that does not split across cards


def _min_size(spec: Spec, t: dict[str, float], env: Env) -> tuple[float | None, str]:
    """The smallest sensible text-generator size for the spec, in billions, and why (thresholds
    table: min_size_*). None for tasks that are not text generation."""
    if env.pipeline_tag not in GENERATIVE_TEXT or not t:
        return None, ""
    size, why = t["min_size_narrow_b"], []
    demands = [
        (spec.task.scope == "broad", t["min_size_broad_b"], "open-ended scope"),
        (
            bool(env.domain and env.domain.reasoning),
            t["min_size_broad_b"],
            f"a reasoning domain ({spec.task.domain})",
        ),
        (
            env.context > t["long_context_tokens"],
            t["min_size_broad_b"],
            f"{env.context:,}-token requests",
        ),
        (spec.needs.citations, t["min_size_grounded_b"], "answers with citations"),
        (spec.task.subtasks > 1, t["min_size_grounded_b"], f"{spec.task.subtasks} subtasks"),
        (
            len(spec.task.languages) >= 3,
            t["min_size_grounded_b"],
            f"{len(spec.task.languages)} languages",
        ),
    ]
    for applies, need, reason in demands:
        if applies:
            size = max(size, need)
            why.append(reason)
    if spec.needs.quality == "best":
        size, why = size * 2, [*why, "needs.quality: best"]
    elif spec.needs.quality == "cheapest":
        size, why = size / 2, [*why, "needs.quality: cheapest"]
    small_hw = spec.constraints.deployment == "edge" or (
        not spec.constraints.hardware.gpus and env.cpu_bytes
    )
    if small_hw and size > t["min_size_small_hardware_b"]:
        size, why = t["min_size_small_hardware_b"], [*why, "capped for CPU or edge hardware"]
    return size, ", ".join(why) or "a narrow task"
