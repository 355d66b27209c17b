"""The names a rule may read, and how each value is obtained.

Three namespaces:
- `spec.*`: the project spec (any field path, e.g. `spec.constraints.license.commercial_use`) and
  a few derived values (`spec.gpu.max_memory_gb`, `spec.has_gpu`, ...). Constant for one spec, so
  conditions on them are decided once per spec when rules are compiled.
- `model.*`: a Candidate's metadata and values derived from it alone (`model.license_class`).
- `fit.*`: values that need both (`fit.serve_16bit`: does it fit the spec's hardware at 16-bit).
- `strategy.*`: a strategy option's attributes (fmadvisor.rules.subjects.StrategyOption).

`None` is *unknown*. Every field has a description; `fmadvisor rules fields` lists them. The
registry lives in `registry.py`, the derived computations in `derived/`, the per-spec environment
in `env.py` and the reference tables in `tables.py`; this module assembles them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fmadvisor.estimate import BYTES_PER_PARAM, FULL_TRAIN_BYTES, GB
from fmadvisor.rules import derived as _derived  # noqa: F401  (registers the derived fields)
from fmadvisor.rules.derived.languages import one_language
from fmadvisor.rules.derived.licensing import license_info  # noqa: F401  (re-exported)
from fmadvisor.rules.env import Env, small_hardware, teaches_languages
from fmadvisor.rules.registry import FIT_FIELDS, MODEL_FIELDS, FieldDef, Getter, attribute_fields
from fmadvisor.rules.spec_words import WORD_FIELDS
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.spec_form import spec_fields
from fmadvisor.tasks import EMBEDDING_TASKS
from fmadvisor.rules.tables import GpuType, LicenseInfo, Tables  # noqa: F401  (re-exported)
from fmadvisor.vocab import DEFAULT_CONTEXT_TOKENS, EVERY_WEIGHT, GENERATIVE_TEXT, STRATEGIES

STRATEGY_FIELDS: dict[str, FieldDef] = attribute_fields(
    "strategy", StrategyOption.__annotations__, "Strategy option"
)


SPEC_DERIVED: dict[str, tuple[str, str, Callable[[Env], Any]]] = {
    **WORD_FIELDS,  # what the spec's own words ask for
    "spec.domain.specialty": (
        "text",
        "the model specialty the spec's domain calls for (tables.domains; code tasks and text-to-SQL: "
        "code); empty if none",
        lambda e: e.specialty,
    ),
    "spec.domain.no_base": (
        "bool",
        "the domain's data is not natural language (protein, DNA sequences; tables.domains): "
        "no general text model is a base",
        lambda e: bool(e.domain and e.domain.no_base),
    ),
    "spec.domain.reads_text": (
        "bool",
        "the spec's images hold text to be read: OCR, handwriting, receipts (tables.domains)",
        lambda e: bool(e.domain and e.domain.reads_text),
    ),
    "spec.domain.reasoning": (
        "bool",
        "the spec's domain needs multi-step reasoning or exactness (tables.domains)",
        lambda e: bool(e.domain and e.domain.reasoning),
    ),
    "spec.domain.shift": (
        "text",
        "how far the domain's language is from web text, from tables.domains (low | medium | high); empty if unknown",
        lambda e: e.domain.shift if e.domain else None,
    ),
    "spec.min_size_b": (
        "number",
        "the smallest sensible text-generator size for the spec, in billions (thresholds min_size_*); "
        "empty for other tasks",
        lambda e: e.min_size_b,
    ),
    "spec.min_size_reason": ("text", "what raised spec.min_size_b", lambda e: e.min_size_reason),
    "spec.min_size_floor_b": (
        "number",
        "the smallest exact size still in spec.min_size_b's nominal class: spec.min_size_b x "
        "(1 - the size_class_slack threshold); empty for other tasks",
        lambda e: _min_size_floor(e),
    ),
    "spec.far_below_size_b": (
        "number",
        "a text-generator size far below the task's need: spec.min_size_floor_b divided by the "
        "oversize_factor threshold (the need is as many times larger as ample_size_b is above it); "
        "empty for other tasks",
        lambda e: _far_below(e),
    ),
    "spec.best_floor_b": (
        "number",
        "at needs.quality best, the text-generator size below which a model leaves most of the "
        "serving GPUs unused: the largest model they hold at 16-bit (all their memory at 2 bytes a "
        "parameter), or for a plan that trains every weight (continued pre-training, pre-training) "
        "the largest the training cards train in full if smaller, divided by the "
        "best_floor_divisor threshold and at most best_floor_max_b; empty for other tasks and "
        "qualities, without a GPU, or on CPU or edge hardware",
        lambda e: _best_floor(e),
    ),
    "spec.hosted_best_floor_b": (
        "number",
        "at needs.quality best with a provider serving the model (deployment cloud_api, no GPUs "
        "stated), the text-generator size below which it forgoes the larger models the provider "
        "serves: the best_floor_max_b threshold; empty otherwise and for tasks without a size need",
        lambda e: _hosted_best_floor(e),
    ),
    "spec.ample_size_b": (
        "number",
        "a text-generator size beyond which a cost-sensitive spec pays for capacity it does not need: "
        "spec.min_size_b times the oversize_factor threshold (cheapest_oversize_factor at needs.quality "
        "cheapest), at most cpu_generator_max_b on an edge "
        "device or a CPU (or spec.min_size_b, if larger); empty for other tasks",
        lambda e: _ample_size(e),
    ),
    "spec.ample_size_ceiling_b": (
        "number",
        "the largest exact size still in spec.ample_size_b's nominal class: spec.ample_size_b x "
        "(1 + the size_class_slack threshold); empty for other tasks",
        lambda e: _ample_ceiling(e),
    ),
    "spec.far_size_b": (
        "number",
        "spec.ample_size_b times the oversize_factor threshold: a text-generator size several times "
        "beyond what a cost-sensitive spec needs; empty for other tasks",
        lambda e: _several_times(e, _ample_size(e)),
    ),
    "spec.task_model_ample_b": (
        "number",
        "a dedicated model size for the spec's task (thresholds ample_<pipeline tag>_b, e.g. "
        "ample_translation_b; for an embedding task rag_embedder_max_b) beyond which a "
        "cost-sensitive spec pays for capacity the task's "
        "dedicated models do without; empty for tasks the table does not size, and for "
        "summarization unless requests fit dedicated_summarizer_input_tokens and the spec has "
        "dedicated_summarizer_min_pairs labeled pairs",
        lambda e: _task_model_ample(e),
    ),
    "spec.task_model_far_b": (
        "number",
        "spec.task_model_ample_b times the oversize_factor threshold: several times the size of the "
        "task's dedicated models; empty for tasks the table does not size",
        lambda e: _several_times(e, _task_model_ample(e)),
    ),
    "spec.domain_gap": (
        "text",
        "how far the project's language is from general models (low | medium | high): the most of "
        "task.domain_shift, the domain's shift in tables.domains, and the in-domain corpus size",
        lambda e: e.domain_gap,
    ),
    "spec.domain_gap_reason": (
        "text",
        "the evidence behind spec.domain_gap",
        lambda e: e.domain_gap_reason,
    ),
    "spec.plan.strategy": (
        "text",
        "the strategy models are being ranked for (set on the second ranking pass); empty on the first",
        lambda e: e.planned_strategy,
    ),
    "spec.plan.teaches_languages": (
        "bool",
        "the strategy models are ranked for trains a missing language into them: continued "
        "pre-training or pre-training on a corpus, fine-tuning a voice (text-to-speech) on "
        "thresholds.voice_new_language_min_recordings or more of its own recordings, or a text "
        "recogniser (image-to-text) on thresholds.ocr_new_language_min_lines transcribed lines",
        teaches_languages,
    ),
    "spec.task.one_language": (
        "text",
        "the spec's one required language when it requires exactly one and it is not English",
        one_language,
    ),
    "spec.task.pipeline_tag": (
        "text",
        "the Hugging Face pipeline tag the spec's task resolves to",
        lambda e: e.pipeline_tag,
    ),
    "spec.task.resolved_modality": (
        "text",
        "the task's modality (stated or implied)",
        lambda e: e.spec.task.resolved_modality,
    ),
    "spec.has_gpu": (
        "bool",
        "the spec lists at least one GPU",
        lambda e: bool(e.spec.constraints.hardware.gpus),
    ),
    "spec.has_training_gpu": (
        "bool",
        "the training hardware (constraints.training_hardware, else hardware) lists a GPU",
        lambda e: bool((e.spec.constraints.training_hardware or e.spec.constraints.hardware).gpus),
    ),
    "spec.serving_hardware": (
        "text",
        "the serving hardware in words, e.g. '1 x L4' or 'CPU RAM, owned'",
        lambda e: e.serving_hardware(),
    ),
    "spec.hardware_owned": (
        "bool",
        "the serving hardware is owned (stated, or on_prem / edge deployment)",
        lambda e: e.owned,
    ),
    "spec.has_hardware": (
        "bool",
        "the spec states GPUs or CPU RAM",
        lambda e: bool(e.cards) or e.cpu_bytes is not None,
    ),
    "spec.gpu.max_memory_gb": (
        "number",
        "memory of the spec's largest GPU card",
        lambda e: max((c.memory_bytes for c in e.cards), default=0) / GB or None,
    ),
    "spec.gpu.total_memory_gb": (
        "number",
        "memory of all the spec's GPUs together",
        lambda e: _gpu_bytes(e.cards) / GB or None,
    ),
    "spec.data.has_sensitive": (
        "bool",
        "the spec names sensitive data other than 'none'",
        lambda e: e.spec.data.has_sensitive,
    ),
    "spec.context_tokens": (
        "number",
        "tokens per request assumed for memory estimates (needs.context_tokens or the default, "
        f"{DEFAULT_CONTEXT_TOKENS})",
        lambda e: e.context,
    ),
    "spec.task.has_labels": (
        "bool",
        "the spec names the classes it needs (task.labels)",
        lambda e: bool(e.spec.task.labels),
    ),
    "spec.task.label_count": (
        "number",
        "how many classes the spec names (task.labels); unknown when it names none",
        lambda e: len(e.spec.task.labels) or None,
    ),
    "spec.task.generative_text": (
        "bool",
        "the task produces text (generation, summarization, translation, question answering)",
        lambda e: e.pipeline_tag in GENERATIVE_TEXT,
    ),
    **{
        f"spec.tried.{approach}": (
            "text",
            f"how trying {approach.replace('_', ' ')} went (insufficient | promising | adequate); empty if not tried",
            (
                lambda a: (
                    lambda e: next(
                        (t.outcome for t in e.spec.history.tried if t.approach == a), None
                    )
                )
            )(approach),
        )
        for approach in STRATEGIES
    },
}


def spec_field_kinds() -> dict[str, tuple[str, str]]:
    """Every spec.* path a rule may name, with (kind, description): the spec model's fields (from
    its form, derived from the pydantic models at build time) and SPEC_DERIVED."""
    out = spec_fields()
    for name, (kind, desc, _) in SPEC_DERIVED.items():
        out[name] = (kind, desc)
    return out


SPEC_FIELDS: dict[str, tuple[str, str]] = spec_field_kinds()


PLAN_FIELDS = frozenset(
    {
        "spec.plan.strategy",
        "spec.plan.teaches_languages",
        "spec.best_floor_b",
        # training fits: corpus training is language modelling, fine-tuning may train a task head
        # (tasks.head_loss), so the loss's memory depends on the plan
        "fit.full_ft_fits",
        "fit.full_ft_overflow",
        "fit.lora_fits",
        "fit.qlora_fits",
    }
)
"""The fields that read the strategy models are ranked for (Env.planned_strategy): rules reading
none of them decide the same on both ranking passes (scoring.Scorer reuses their outcomes; a test
checks that no other spec field changes with the plan, and that a reused pass equals a fresh one)."""


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


def _min_size_floor(e: Env) -> float | None:
    if e.min_size_b is None:
        return None
    return e.min_size_b * (1 - e.tables.thresholds.get("size_class_slack", 0))


def _far_below(e: Env) -> float | None:
    floor = _min_size_floor(e)
    factor = e.tables.thresholds.get("oversize_factor")
    return None if floor is None or not factor else floor / factor


def _ample_size(e: Env) -> float | None:
    t = e.tables.thresholds
    if e.min_size_b is None or "oversize_factor" not in t:
        return None
    factor = t["oversize_factor"]
    if e.spec.needs.quality == "cheapest":
        factor = min(factor, t.get("cheapest_oversize_factor", factor))
    ample = e.min_size_b * factor
    if small_hardware(e.spec, e) and "cpu_generator_max_b" in t:
        # beyond this a device or CPU generates slower than reading speed (hardware rules agree)
        ample = max(e.min_size_b, min(ample, t["cpu_generator_max_b"]))
    return ample


def _gpu_bytes(cards: list[Any]) -> int:
    """Memory of all the cards together, in bytes (0 without GPUs)."""
    return sum(c.memory_bytes * c.count for c in cards)


def _best_floor(e: Env) -> float | None:
    if e.spec.needs.quality != "best" or e.min_size_b is None or small_hardware(e.spec, e):
        return None
    held_b = _gpu_bytes(e.cards) / BYTES_PER_PARAM["bf16"] / 1e9  # what the GPUs hold at 16-bit
    if e.planned_strategy in EVERY_WEIGHT and e.train_cards:
        # a plan that trains every weight is bounded by what the training cards can train, before
        # activations (customization.corpus-training-over-memory), not by what serving holds
        held_b = min(held_b, _gpu_bytes(e.train_cards) / FULL_TRAIN_BYTES / 1e9)
    divisor = e.tables.thresholds.get("best_floor_divisor")
    if not held_b or not divisor:
        return None
    cap = e.tables.thresholds.get("best_floor_max_b", float("inf"))
    return round(min(held_b / divisor, cap), 1)


def _hosted_best_floor(e: Env) -> float | None:
    # no card of the team's bounds what a provider serves: the floor a large cluster sets
    hosted = e.spec.constraints.deployment == "cloud_api" and not e.cards
    if e.spec.needs.quality != "best" or e.min_size_b is None or not hosted:
        return None
    return e.tables.thresholds.get("best_floor_max_b")


def _several_times(e: Env, size: float | None) -> float | None:
    """`size` times the oversize_factor threshold (None when either is missing)."""
    factor = e.tables.thresholds.get("oversize_factor")
    return None if size is None or not factor else size * factor


def _ample_ceiling(e: Env) -> float | None:
    ample = _ample_size(e)
    if ample is None:
        return None
    return ample * (1 + e.tables.thresholds.get("size_class_slack", 0))


def _task_model_ample(e: Env) -> float | None:
    """The thresholds table's ample_<pipeline tag>_b for the spec's task, if it sizes the task; for
    an embedding task rag_embedder_max_b, the embedder bound the RAG stack keeps too.
    Summarization is sized only where dedicated summarizers are made for it (_short_pairs)."""
    if e.pipeline_tag == "summarization" and not _short_pairs(e):
        return None
    if e.pipeline_tag in EMBEDDING_TASKS:
        return e.tables.thresholds.get("rag_embedder_max_b")
    return e.tables.thresholds.get(f"ample_{(e.pipeline_tag or '').replace('-', '_')}_b")


def _short_pairs(e: Env) -> bool:
    """Inputs within dedicated_summarizer_input_tokens and at least dedicated_summarizer_min_pairs
    (input, summary) pairs: what encoder-decoder summarizers (BART, PEGASUS, mT5) are fine-tuned on."""
    t = e.tables.thresholds
    most, least = (
        t.get("dedicated_summarizer_input_tokens"),
        t.get("dedicated_summarizer_min_pairs"),
    )
    return (
        most is not None
        and least is not None
        and e.context <= most
        and e.spec.data.labeled_examples >= least
    )
