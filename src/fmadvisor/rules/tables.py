"""Reference tables that derived fields read (licenses, GPUs, software, strategy plans, metrics,
thresholds): shipped under rules/tables, extendable by rule files."""

from __future__ import annotations

from typing import Any

import msgspec


class GpuType(msgspec.Struct, frozen=True):
    """One GPU of the GPU table: memory, peak throughput, hourly price, aliases."""

    name: str
    memory_gb: float
    bf16_tflops: float | None = None
    usd_per_hour: float | None = None
    aliases: tuple[str, ...] = ()
    fp16_tflops: float | None = None  # dense FP16 tensor peak, for cards without BF16
    memory_bandwidth_gbps: float | None = None
    price_source: str = ""  # where the hourly price comes from, with its date


class LicenseInfo(msgspec.Struct, frozen=True):
    """What the licenses table says of one license."""

    license_class: (
        str  # permissive | copyleft | non-commercial | use-restricted | community | other
    )
    commercial: bool | None
    name: str = ""
    obligations: str = ""


class Tables(msgspec.Struct, frozen=True):
    """Reference data the derived fields read; shipped under rules/tables, extendable by rule files."""

    licenses: dict[str, LicenseInfo]
    gpus: dict[str, GpuType]  # keyed by lower-case name and aliases
    libraries: dict[str, tuple[str, ...]]  # library -> frameworks it runs on
    integrations: dict[str, dict[str, tuple[str, ...]]]  # integration -> {libraries, pipeline_tags}
    strategies: dict[str, Any] = msgspec.field(
        default_factory=dict
    )  # strategy id -> plan data (schema.StrategyDoc)
    metrics: dict[str, tuple[str, ...]] = msgspec.field(
        default_factory=dict
    )  # pipeline tag (or 'retrieval') -> metrics
    # named numbers that rules and the recommender share
    thresholds: dict[str, float] = msgspec.field(default_factory=dict)
    domains: dict[str, Any] = msgspec.field(default_factory=dict)  # domain word -> schema.DomainDoc
    # pipeline tag -> words naming the benchmarks that measure that task
    task_benchmarks: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    # dataset (lower case) -> the classes a detection or audio-classification head trained on it predicts
    dataset_labels: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    # words naming benchmarks that measure named languages (lower case) -> those languages
    benchmark_languages: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    # ISO 639-1 codes of languages usually written in the Latin alphabet
    latin_script_languages: frozenset[str] = frozenset()

    def domain(self, text: str | None) -> Any:
        """What the domain words in `text` imply, merged: every matching entry counts (the most
        shift, any reasoning or no_base, the specialty (and the one it is within) of the longest word
        naming one, none when a word makes it about equipment); None when no word matches."""
        if not text:
            return None
        words = set(text.lower().replace("_", "-").replace("/", "-").replace(" ", "-").split("-"))
        words.add(text.lower())
        found = [
            self.domains[k] for k in sorted(self.domains, key=lambda k: (-len(k), k)) if k in words
        ]
        if not found:
            return None
        order = {"low": 0, "medium": 1, "high": 2}
        named = (
            None
            if any(d.about_things for d in found)
            else next((d for d in found if d.specialty), None)
        )
        return found[0].model_copy(
            update={
                "specialty": named.specialty if named else None,
                "within": named.within if named else None,
                "reasoning": any(d.reasoning for d in found),
                "no_base": any(d.no_base for d in found),
                "reads_text": any(d.reads_text for d in found),
                "shift": max((d.shift for d in found), key=order.__getitem__),
            }
        )

    def task_words(self, specialty: str | None, tag: str | None) -> tuple[str, ...]:
        """Lower-case words naming the benchmarks that measure task `tag`: the specialty's own
        (its domains entry's task_benchmarks), else the task_benchmarks table's."""
        entry = self.domains.get(specialty) if specialty else None
        words = (entry.task_benchmarks.get(tag) if entry and tag else None) or (
            self.task_benchmarks.get(tag, ()) if tag else ()
        )
        return tuple(w.lower() for w in words)

    def domain_benchmark_words(self) -> set[str]:
        """Lower-case words naming every domain's benchmarks, for all tasks or for one."""
        return {
            w.lower()
            for d in self.domains.values()
            for w in (*d.benchmarks, *(x for ws in d.task_benchmarks.values() for x in ws))
        }

    def gpu(self, name: str) -> GpuType | None:
        return self.gpus.get(name.strip().lower())


def license_entry(
    tables: Tables, license: str | None, license_name: str | None
) -> LicenseInfo | None:
    """The license table entry for a license tag (its name for 'other'); None when unrecorded."""
    if license is None:
        return None
    if license == "other" and license_name:
        return tables.licenses.get(license_name.lower()) or tables.licenses.get("other")
    return tables.licenses.get(license) or tables.licenses.get("other")
