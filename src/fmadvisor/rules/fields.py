"""The names a rule may read, and how each value is obtained.

Three namespaces:
- `spec.*`: the project spec (any field path, e.g. `spec.constraints.license.commercial_use`) and
  a few derived values (`spec.gpu.max_memory_gb`, `spec.has_gpu`, ...). Constant for one spec, so
  conditions on them are decided once per spec when rules are compiled.
- `model.*`: a Candidate's metadata and values derived from it alone (`model.license_class`).
- `fit.*`: values that need both (`fit.serve_16bit`: does it fit the spec's hardware at 16-bit).

`None` is *unknown*. Every field has a description; `fmadvisor rules fields` lists them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from fmadvisor import tasks
from fmadvisor.catalog.candidate import FIELDS as CANDIDATE_FIELDS
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import CUDA_CONTEXT, GB, Arch, serve_bytes, train_bytes
from fmadvisor.spec import Spec
from fmadvisor.strategy.option import STRATEGIES, StrategyOption

GENERATIVE_TAGS = frozenset({"text-generation", "text2text-generation", "image-text-to-text", "text-to-image",
                             "summarization", "translation", "image-to-text", "text-to-speech"})
GENERATIVE_TEXT_TASKS = frozenset({"text-generation", "text2text-generation", "summarization", "translation",
                                   "question-answering", "image-text-to-text", "visual-question-answering",
                                   "document-question-answering"})
HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class GpuType:
    name: str
    memory_gb: float
    bf16_tflops: float | None = None
    usd_per_hour: float | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LicenseInfo:
    license_class: str  # permissive | copyleft | non-commercial | use-restricted | community | other
    commercial: bool | None
    name: str = ""
    obligations: str = ""


@dataclass(frozen=True)
class Tables:
    """Reference data the derived fields read; shipped under rules/tables, extendable by rule files."""

    licenses: dict[str, LicenseInfo]
    gpus: dict[str, GpuType]  # keyed by lower-case name and aliases
    libraries: dict[str, tuple[str, ...]]  # library -> frameworks it runs on
    integrations: dict[str, dict[str, tuple[str, ...]]]  # integration -> {libraries, pipeline_tags}
    strategies: dict[str, Any] = field(default_factory=dict)  # strategy id -> plan data (schema.StrategyDoc)
    metrics: dict[str, tuple[str, ...]] = field(default_factory=dict)  # pipeline tag (or 'retrieval') -> metrics

    def gpu(self, name: str) -> GpuType | None:
        return self.gpus.get(name.strip().lower())


@dataclass(frozen=True)
class Card:
    """One kind of GPU the spec has: per-card memory and how many."""

    memory_bytes: float
    count: int
    usd_per_hour: float | None


class Env:
    """Everything about one spec that per-model fields need, computed once."""

    def __init__(self, spec: Spec, tables: Tables, as_of: dt.date,
                 lookup: Callable[[str], Candidate | None] | None = None) -> None:
        self.spec = spec
        self.tables = tables
        self.as_of = as_of
        self.lookup = lookup or (lambda model_id: None)  # the catalog, for base-model lineage
        self.context = spec.needs.context_tokens or 4096
        self.cards: list[Card] = []
        for g in spec.constraints.hardware.gpus:
            known = tables.gpu(g.name)
            mem = g.memory_gb if g.memory_gb is not None else (known.memory_gb if known else None)
            if mem is not None:
                self.cards.append(Card(mem * GB, g.count, known.usd_per_hour if known else None))
        ram = spec.constraints.hardware.cpu_ram_gb
        self.cpu_bytes = ram * GB * 0.8 if ram else None  # leave 20% for the OS and the serving process
        self.pipeline_tag = spec.task.pipeline_tag
        self.fit_table = tasks.fit_table(self.pipeline_tag)
        self.languages = tuple(spec.task.languages)
        self.frameworks = frozenset(spec.constraints.frameworks)
        self.integrations = tuple(spec.constraints.integrations)
        self.unknown_gpu_names = [g.name for g in spec.constraints.hardware.gpus
                                  if g.memory_gb is None and tables.gpu(g.name) is None]
        # Per-spec memo tables for derived values, keyed by the model facts they depend on: a catalog
        # repeats architectures, licenses and release dates, and scoring reads each many times.
        self.license_memo: dict[tuple[str | None, str | None], LicenseInfo | None] = {}
        self.age_memo: dict[str | None, float | None] = {}
        self.memory_memo: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.lineage_memo: dict[str | None, Any] = {}

    def fits(self, need: float | None) -> bool | None:
        """Does `need` bytes fit per card on some GPU type of the spec (split over its cards), or in CPU RAM?"""
        if need is None:
            return None
        if self.cards:
            return any((need - CUDA_SHARED) / c.count + CUDA_SHARED <= c.memory_bytes for c in self.cards)
        if self.cpu_bytes is not None:
            return need <= self.cpu_bytes
        return None  # no hardware stated: unknown


CUDA_SHARED = CUDA_CONTEXT  # per-card runtime overhead that does not split across cards


# ---------------------------------------------------------------------------------------------
# Field registry

Getter = Callable[[Candidate, Env], Any]


@dataclass(frozen=True)
class FieldDef:
    name: str
    kind: str  # number | bool | text | list
    description: str
    getter: Getter | None = None  # None for spec.* fields (resolved from the spec)
    unit: str = ""
    reads: tuple[str, ...] = ()  # the Candidate attributes the value depends on (and nothing else)


MODEL_FIELDS: dict[str, FieldDef] = {}
FIT_FIELDS: dict[str, FieldDef] = {}


def _kind_of(annotation: Any) -> str:
    """number | bool | text | list, from a type annotation (Optional, Literal and Annotated unwrapped)."""
    if isinstance(annotation, str):  # postponed annotations of the Candidate dataclass
        annotation = annotation_type(annotation)
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin is Annotated:
        return _kind_of(args[0])
    if origin in (Union, types.UnionType):
        return _kind_of(args[0])
    if origin is Literal:
        return _kind_of(type(args[0]))
    if origin in (list, tuple) or annotation in (list, tuple):
        return "list"
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    return "text"


def annotation_type(text: str) -> Any:
    """Resolve the simple annotation strings the Candidate dataclass uses (no code is run)."""
    simple = {"str": str, "int": int, "bool": bool, "float": float}
    parts = [p.strip() for p in text.split("|")]
    kinds = [p for p in parts if p != "None"]
    head = kinds[0]
    if head.startswith("tuple["):
        return tuple
    return simple.get(head, str)


for _name, _f in CANDIDATE_FIELDS.items():
    MODEL_FIELDS[f"model.{_name}"] = FieldDef(
        f"model.{_name}", _kind_of(_f.type), f"Candidate metadata: {_name.replace('_', ' ')}",
        (lambda get: lambda c, e: get(c))(attrgetter(_name)), reads=(_name,),
    )


def derived(name: str, kind: str, description: str, reads: tuple[str, ...], unit: str = ""
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a derived field computed as fn(env, *the candidate attributes named in `reads`).

    The function is handed those attributes only, so the value cannot depend on anything else;
    scoring relies on that to memoize on the raw attributes (see scoring.Scorer).
    """
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        get = attrgetter(*reads)
        if len(reads) == 1:
            getter: Getter = lambda c, e: fn(e, get(c))  # noqa: E731
        else:
            getter = lambda c, e: fn(e, *get(c))  # noqa: E731
        table = MODEL_FIELDS if name.startswith("model.") else FIT_FIELDS
        table[name] = FieldDef(name, kind, description, getter, unit, reads)
        return fn
    return register


def license_entry(tables: Tables, license: str | None, license_name: str | None) -> LicenseInfo | None:
    """The license table entry for a license tag (its name for 'other'); None when unrecorded."""
    if license is None:
        return None
    if license == "other" and license_name:
        return tables.licenses.get(license_name.lower()) or tables.licenses.get("other")
    return tables.licenses.get(license) or tables.licenses.get("other")


def license_info(c: Candidate, tables: Tables) -> LicenseInfo | None:
    return license_entry(tables, c.license, c.license_name)


_MISSING = object()


def _license(e: Env, license: str | None, license_name: str | None) -> LicenseInfo | None:
    key = (license, license_name)
    info = e.license_memo.get(key, _MISSING)
    if info is _MISSING:
        info = e.license_memo[key] = license_entry(e.tables, license, license_name)
    return info  # type: ignore[return-value]


LICENSE = ("license", "license_name")


@derived("model.license_class", "text", "permissive | copyleft | non-commercial | use-restricted | community | other; unknown when no license is recorded", LICENSE)
def _license_class(e: Env, license: str | None, name: str | None) -> str | None:
    info = _license(e, license, name)
    return info.license_class if info else None


@derived("model.license_commercial", "bool", "the license allows commercial use; unknown for unrecorded or unreviewed licenses", LICENSE)
def _license_commercial(e: Env, license: str | None, name: str | None) -> bool | None:
    info = _license(e, license, name)
    return info.commercial if info else None


@derived("model.license_label", "text", "the license tag, or its name for 'other'", LICENSE)
def _license_label(e: Env, license: str | None, name: str | None) -> str | None:
    return name if license == "other" and name else license


@derived("model.license_obligations", "text", "what the license asks of users, from the license table", LICENSE)
def _license_obligations(e: Env, license: str | None, name: str | None) -> str | None:
    info = _license(e, license, name)
    return (info.obligations or None) if info else None


MAX_LINEAGE = 6


def _ancestor_license(e: Env, base_model: str | None) -> tuple[str | None, str | None] | None:
    """(license, license_name) of the nearest ancestor with a recorded license; None when unknown;
    ("", None) when there is no base model (nothing inherited)."""
    if base_model is None:
        return ("", None)
    seen = set()
    current: str | None = base_model
    while current and current.lower() not in seen and len(seen) < MAX_LINEAGE:
        seen.add(current.lower())
        ancestor = e.lookup(current)
        if ancestor is None:
            return None
        if ancestor.license is not None:
            return (ancestor.license, ancestor.license_name)
        current = ancestor.base_model
    return None


def _base_license_info(e: Env, base_model: str | None) -> tuple[bool, LicenseInfo | None, str | None]:
    """(has a base, its license entry, its label)."""
    found = e.lineage_memo.get(base_model, _MISSING)
    if found is _MISSING:
        found = e.lineage_memo[base_model] = _ancestor_license(e, base_model)
    if found is None:
        return True, None, None
    license, name = found  # type: ignore[misc]
    if license == "":
        return False, None, None
    label = name if license == "other" and name else license
    return True, _license(e, license, name), label


@derived("model.base_license", "text", "license of the base model (followed through the catalog's base_model lineage); empty without a base", ("base_model",))
def _base_license(e: Env, base_model: str | None) -> str | None:
    has_base, _, label = _base_license_info(e, base_model)
    return label if has_base else ""


@derived("model.base_license_class", "text", "license class of the base model", ("base_model",))
def _base_license_class(e: Env, base_model: str | None) -> str | None:
    has_base, info, _ = _base_license_info(e, base_model)
    return (info.license_class if info else None) if has_base else ""


@derived("model.base_license_commercial", "bool", "the base model's license allows commercial use", ("base_model",))
def _base_license_commercial(e: Env, base_model: str | None) -> bool | None:
    has_base, info, _ = _base_license_info(e, base_model)
    return (info.commercial if info else None) if has_base else True


@derived("model.age_months", "number", "months since release, at the run's as-of date", ("released",), "months")
def _age_months(e: Env, released: str | None) -> float | None:
    age = e.age_memo.get(released, _MISSING)
    if age is _MISSING:
        age = e.age_memo[released] = _age(released, e.as_of)
    return age  # type: ignore[return-value]


def _age(released: str | None, as_of: dt.date) -> float | None:
    if not released:
        return None
    try:
        parts = [int(p) for p in released.split("-")]
        date = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None
    return round((as_of - date).days / 30.44, 1)


@derived("model.size_b", "number", "parameters in billions", ("params",), "B")
def _size_b(e: Env, params: int | None) -> float | None:
    return None if params is None else params / 1e9


@derived("model.compute_size_b", "number", "parameters used per token in billions (active parameters for MoE)",
         ("active_params", "params"), "B")
def _compute_size_b(e: Env, active: int | None, params: int | None) -> float | None:
    n = active or params
    return None if n is None else n / 1e9


@derived("model.generative", "bool", "the model generates open-ended output (text, images, speech)", ("pipeline_tag",))
def _generative(e: Env, tag: str | None) -> bool | None:
    return None if tag is None else tag in GENERATIVE_TAGS


@derived("fit.task", "text", "how the model serves the spec's task: primary | adaptable | promptable; unknown when it cannot", ("pipeline_tag",))
def _fit_task(e: Env, tag: str | None) -> str | None:
    return e.fit_table.get(tag) if tag else None


@derived("fit.language_coverage", "number", "share of the spec's languages the model's card names (1 when the spec names none)", ("languages",))
def _language_coverage(e: Env, languages: tuple[str, ...] | None) -> float | None:
    if not e.languages:
        return 1.0
    if languages is None:
        return None
    covered = sum(1 for lang in e.languages if lang in languages)
    if covered < len(e.languages) and "*" in languages:
        return None  # the card names more languages than recorded: cannot tell
    return covered / len(e.languages)


@derived("fit.missing_languages", "list", "the spec's languages the model's card does not name", ("languages",))
def _missing_languages(e: Env, languages: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if languages is None:
        return None
    return tuple(lang for lang in e.languages if lang not in languages)


ARCH = ("params", "active_params", "layers", "hidden_size", "attention_heads", "kv_heads", "vocab_size", "sliding_window")


def _memory(e: Env, *arch: Any) -> tuple[Any, ...]:
    """(serve GB 16-bit, serve GB 4-bit, fits 16-bit, fits 4-bit, full FT fits, LoRA fits, QLoRA fits,
    monthly serving USD), computed once per architecture and spec."""
    profile = e.memory_memo.get(arch)
    if profile is None:
        profile = e.memory_memo[arch] = _memory_profile(e, Arch(*arch) if arch[0] is not None else None)
    return profile


def _memory_profile(e: Env, arch: Arch | None) -> tuple[Any, ...]:
    if arch is None:
        return (None,) * 8
    s16 = serve_bytes(arch, "bf16", e.context)
    s4 = serve_bytes(arch, "int4", e.context)
    return (round(s16 / GB, 2), round(s4 / GB, 2), e.fits(s16), e.fits(s4),
            _train_fits(arch, e, "full"), _train_fits(arch, e, "lora"), _train_fits(arch, e, "qlora"),
            _monthly_cost(e, s16, s4))


@derived("fit.serve_gb_16bit", "number", "memory to serve at 16-bit with the spec's context (weights x1.2 + KV cache + runtime)", ARCH, "GB")
def _serve_gb_16(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch)[0]


@derived("fit.serve_gb_int4", "number", "memory to serve with 4-bit weights (linear layers only)", ARCH, "GB")
def _serve_gb_4(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch)[1]


@derived("fit.serve_16bit", "bool", "fits the spec's GPUs per card (or CPU RAM) at 16-bit; unknown without size or hardware", ARCH)
def _serve_16(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch)[2]


@derived("fit.serve_int4", "bool", "fits the spec's GPUs per card (or CPU RAM) with 4-bit weights", ARCH)
def _serve_4(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch)[3]


def _train_fits(arch: Arch, e: Env, method: str) -> bool | None:
    if not e.cards:
        return False if e.cpu_bytes is not None else None  # training on CPU alone is not an option
    return e.fits(train_bytes(arch, method))


@derived("fit.full_ft_fits", "bool", "full fine-tuning (mixed-precision AdamW) fits the spec's GPUs", ARCH)
def _full_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch)[4]


@derived("fit.lora_fits", "bool", "LoRA fine-tuning on 16-bit weights fits the spec's GPUs", ARCH)
def _lora_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch)[5]


@derived("fit.qlora_fits", "bool", "QLoRA fine-tuning on 4-bit weights fits the spec's GPUs", ARCH)
def _qlora_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch)[6]


@derived("fit.monthly_serving_usd", "number", "one replica serving around the clock on the cheapest of the spec's GPU types that holds it (16-bit, else 4-bit), at the GPU table's hourly price", ARCH, "USD")
def _monthly_serving(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch)[7]


def _monthly_cost(e: Env, serve_16bit: float, serve_4bit: float) -> float | None:
    if not e.cards:
        return None
    for need in (serve_16bit, serve_4bit):
        best: float | None = None
        for card in e.cards:
            if card.usd_per_hour is None:
                continue
            n = max(1, math.ceil((need - CUDA_SHARED) / (card.memory_bytes - CUDA_SHARED)))
            if n > card.count:
                continue
            cost = n * card.usd_per_hour * HOURS_PER_MONTH
            best = cost if best is None else min(best, cost)
        if best is not None:
            return round(best, 0)
    return None


@derived("fit.framework_ok", "bool", "the model's library runs on one of the spec's frameworks (true when the spec names none)", ("library",))
def _framework_ok(e: Env, library: str | None) -> bool | None:
    if not e.frameworks:
        return True
    if library is None:
        return None
    runs_on = e.tables.libraries.get(library)
    if runs_on is None:
        return None
    return library in e.frameworks or bool(e.frameworks.intersection(runs_on))


@derived("fit.unsupported_integrations", "list", "the spec's integrations that cannot serve this model (by library and pipeline tag)", ("library", "pipeline_tag"))
def _unsupported(e: Env, library: str | None, tag: str | None) -> tuple[str, ...] | None:
    out = []
    for name in e.integrations:
        need = e.tables.integrations.get(name)
        if need is None:
            continue  # an integration we know nothing about constrains nothing
        libs, tags = need.get("libraries", ()), need.get("pipeline_tags", ())
        if (libs and library is None) or (tags and tag is None):
            return None
        if (libs and library not in libs) or (tags and tag not in tags):
            out.append(name)
    return tuple(out)


STRATEGY_FIELDS: dict[str, FieldDef] = {}
for _f in dataclasses.fields(StrategyOption):
    STRATEGY_FIELDS[f"strategy.{_f.name}"] = FieldDef(
        f"strategy.{_f.name}", _kind_of(_f.type), f"Strategy option: {_f.name.replace('_', ' ')}",
        (lambda get: lambda c, e: get(c))(attrgetter(_f.name)), reads=(_f.name,),
    )


SPEC_DERIVED: dict[str, tuple[str, str, Callable[[Env], Any]]] = {
    "spec.task.pipeline_tag": ("text", "the Hugging Face pipeline tag the spec's task resolves to", lambda e: e.pipeline_tag),
    "spec.task.resolved_modality": ("text", "the task's modality (stated or implied)", lambda e: e.spec.task.resolved_modality),
    "spec.has_gpu": ("bool", "the spec lists at least one GPU", lambda e: bool(e.spec.constraints.hardware.gpus)),
    "spec.has_hardware": ("bool", "the spec states GPUs or CPU RAM", lambda e: bool(e.cards) or e.cpu_bytes is not None),
    "spec.gpu.max_memory_gb": ("number", "memory of the spec's largest GPU card",
                               lambda e: max((c.memory_bytes for c in e.cards), default=0) / GB or None),
    "spec.gpu.total_memory_gb": ("number", "memory of all the spec's GPUs together",
                                 lambda e: sum(c.memory_bytes * c.count for c in e.cards) / GB or None),
    "spec.data.has_sensitive": ("bool", "the spec names sensitive data other than 'none'", lambda e: e.spec.data.has_sensitive),
    "spec.context_tokens": ("number", "tokens per request assumed for memory estimates (needs.context_tokens or 4096)", lambda e: e.context),
    "spec.task.generative_text": ("bool", "the task produces text (generation, summarization, translation, question answering)",
                                  lambda e: e.pipeline_tag in GENERATIVE_TEXT_TASKS),
    **{f"spec.tried.{approach}": ("text", f"how trying {approach.replace('_', ' ')} went (insufficient | promising | adequate); empty if not tried",
                                  (lambda a: lambda e: next((t.outcome for t in e.spec.history.tried if t.approach == a), None))(approach))
       for approach in STRATEGIES},
}


def spec_field_kinds() -> dict[str, tuple[str, str]]:
    """Every spec.* path a rule may name, with (kind, description), from the pydantic model and SPEC_DERIVED."""
    out: dict[str, tuple[str, str]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}.{name}"
            ann = info.annotation
            sub = next((a for a in (ann, *getattr(ann, "__args__", ())) if isinstance(a, type) and issubclass(a, BaseModel)), None)
            if sub is not None and "list" not in str(ann):
                walk(sub, path)
            else:
                out[path] = (_kind_of(ann), info.description or "")

    walk(Spec, "spec")
    for name, (kind, desc, _) in SPEC_DERIVED.items():
        out[name] = (kind, desc)
    return out


SPEC_FIELDS: dict[str, tuple[str, str]] = spec_field_kinds()


def all_fields() -> dict[str, tuple[str, str]]:
    """name -> (kind, description) for every field, sorted by name."""
    out = dict(SPEC_FIELDS)
    out.update({k: (f.kind, f.description) for k, f in MODEL_FIELDS.items()})
    out.update({k: (f.kind, f.description) for k, f in FIT_FIELDS.items()})
    out.update({k: (f.kind, f.description) for k, f in STRATEGY_FIELDS.items()})
    return dict(sorted(out.items()))


def spec_value(name: str, env: Env) -> Any:
    """Resolve a spec.* field for one spec (lists become tuples)."""
    if name in SPEC_DERIVED:
        return SPEC_DERIVED[name][2](env)
    obj: Any = env.spec
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    return tuple(obj) if isinstance(obj, list) else obj


def field_def(name: str) -> FieldDef:
    """The registry entry of a model.*, fit.* or strategy.* field."""
    if name.startswith("strategy."):
        return STRATEGY_FIELDS[name]
    return (MODEL_FIELDS if name.startswith("model.") else FIT_FIELDS)[name]


def model_getter(name: str) -> Getter:
    getter = field_def(name).getter
    assert getter is not None
    return getter
