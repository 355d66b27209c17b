"""The closed vocabularies (strategies, fine-tuning methods, severities, task groups), read once from
the rule base's `tables/vocabulary.yaml`. Everything else in Python derives from these names: do not
write the sets out again (tests/test_vocab.py fails when a module does)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from fmadvisor.yamlsource import load_shipped


class StrategyKind(msgspec.Struct, frozen=True):
    """One strategy of the vocabulary: its labels, cost order and what it does."""

    id: str
    label: str  # as a heading: "Retrieval-augmented generation"
    short_label: str  # in a sentence: "RAG"
    cost_rank: int  # the guidance's cost order: 1 prompting ... 5 pre-training
    trains: bool
    retrieval: bool
    methods: bool  # comes in fine-tuning methods (full, LoRA, QLoRA)
    estimate: str  # the estimator's training mode: none | method | full | pretrain
    starts_from: str  # the checkpoint it starts from: base | instruct | any
    modalities: tuple[str, ...] | None = None  # task modalities it applies to (None: all)


_RAW: dict[str, Any] = load_shipped("tables/vocabulary.yaml")["vocabulary"]

STRATEGY_KINDS: dict[str, StrategyKind] = {
    sid: StrategyKind(
        id=sid, **{**doc, "modalities": tuple(doc["modalities"]) if "modalities" in doc else None}
    )
    for sid, doc in _RAW["strategies"].items()
}
STRATEGIES: tuple[str, ...] = tuple(STRATEGY_KINDS)
TRAINING = frozenset(s for s, k in STRATEGY_KINDS.items() if k.trains)
RETRIEVAL = frozenset(s for s, k in STRATEGY_KINDS.items() if k.retrieval)
WITH_METHODS = tuple(s for s, k in STRATEGY_KINDS.items() if k.methods)
FROM_BASE = frozenset(s for s, k in STRATEGY_KINDS.items() if k.starts_from == "base")
EVERY_WEIGHT = frozenset(s for s, k in STRATEGY_KINDS.items() if k.estimate in ("full", "pretrain"))

METHOD_LABELS: dict[str, str] = {m: doc["label"] for m, doc in _RAW["fine_tuning_methods"].items()}
METHODS: tuple[str, ...] = tuple(
    METHOD_LABELS
)  # tie-break order for models at or above the small size
ESTIMATE_MODES: tuple[str, ...] = ("inference", *METHODS, "pretrain")  # what `estimate` computes
ADAPTER_METHODS = frozenset(m for m, doc in _RAW["fine_tuning_methods"].items() if doc["adapter"])
SMALL_MODEL_METHODS: tuple[str, ...] = (
    "full",
    *(m for m in METHODS if m != "full"),
)  # full first below it

SEVERITIES: tuple[str, ...] = tuple(_RAW["severities"])
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
SERIOUS = frozenset(s for s in SEVERITIES if SEVERITY_RANK[s] >= SEVERITY_RANK["high"])
SARIF_LEVEL: dict[str, str] = {s: doc["sarif_level"] for s, doc in _RAW["severities"].items()}
SECURITY_SEVERITY: dict[str, str] = {
    s: doc["security_severity"] for s, doc in _RAW["severities"].items()
}

TASK_GROUPS: dict[str, frozenset[str]] = {
    g: frozenset(tags) for g, tags in _RAW["task_groups"].items()
}
GENERATIVE_TEXT = TASK_GROUPS["generative_text"]
GENERATIVE_OUTPUT = TASK_GROUPS["generative_output"]

# strategy-rule factors that say whether a strategy can be carried out (a first stage is judged by them)
FEASIBILITY_FACTORS = frozenset(_RAW["feasibility_factors"])
DEFAULT_CONTEXT_TOKENS: int = int(_RAW["default_context_tokens"])
ROLE_TASKS: dict[str, str] = dict(
    _RAW["role_tasks"]
)  # a declared model's role -> the task it serves

# Types for pydantic models and schemas, built from the names above.
StrategyId = Literal[STRATEGIES]  # type: ignore[valid-type]
MethodId = Literal[METHODS]  # type: ignore[valid-type]
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]


def strategy_name(sid: str, method: str | None = None, *, long: bool = False) -> str:
    """'RAG + fine-tuning (LoRA)', or with long=True 'RAG plus fine-tuning (LoRA)'."""
    kind = STRATEGY_KINDS[sid]
    return (kind.label if long else kind.short_label) + (
        f" ({METHOD_LABELS[method]})" if method else ""
    )


def best_method(
    scored: list[tuple[float, Any]], base_params: int | None, thresholds: dict[str, float]
) -> Any:
    """The best of one strategy's options [(score, option with .method)]: highest score; ties go to
    the first method in METHODS order, or full fine-tuning first when the base model is smaller than
    the `small_model_b` threshold (there it is cheap and usual). `score` and `check` both use this."""
    small = base_params is not None and base_params < thresholds["small_model_b"] * 1e9
    order = SMALL_MODEL_METHODS if small else METHODS
    return max(
        scored, key=lambda so: (so[0], -order.index(so[1].method) if so[1].method in order else 0)
    )[1]
