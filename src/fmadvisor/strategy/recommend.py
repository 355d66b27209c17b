"""Recommend how to customize: build each strategy option with its estimates, score the options with
the strategy rules (the same engine as models), and attach a plan.

Joint with the model ranking: fine-tuning starts from the best-ranked eligible model that can be
trained on the spec's hardware with the method; RAG recommends a generator (the best model) and an
embedding model (the best one the catalog offers for the spec's languages and constraints);
in-context learning reads the base model's context window. Pure: no I/O, no printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TYPE_CHECKING

import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules import RuleBase
from fmadvisor.rules.fields import Env
from fmadvisor.ranking import order
from fmadvisor.roles import embedding_spec
from fmadvisor.results import FIRED
from fmadvisor.scoring import PASSED, Scorer
from fmadvisor.strategy.estimates import (
    EPOCHS,
    budget_optimal_size,
    option_for,
    sized_to_budget,
)
from fmadvisor.strategy.plan import flavour, plan_for, shots
from fmadvisor.strategy.hardware import (
    tokens_per_example,
    training_arch,
    training_fit,
    training_hardware,
)
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.vocab import (
    SMALL_MODEL_METHODS,
    ROLE_TASKS,
    GENERATIVE_TEXT,
    FEASIBILITY_FACTORS,
    METHODS,
    SERIOUS,
    STRATEGIES,
    STRATEGY_KINDS,
    WITH_METHODS,
    best_method,
)

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


class StrategyEntry(msgspec.Struct):
    """One scored strategy: its option, score, confidence, reasons, findings and estimate."""

    option: StrategyOption
    score: float
    confidence: float
    reasons: list[str]
    findings: list[dict[str, str]]
    estimate: dict[str, Any]
    plan: dict[str, Any]


class Recommendation(msgspec.Struct):
    """The recommended strategy, with every strategy's entry and the RAG stack."""

    recommended: str
    fine_tuning_method: str | None
    flavour: list[str]
    shots: str | None
    ranking: list[StrategyEntry]
    stack: dict[str, str | None] | None
    assumptions: list[str] = msgspec.field(default_factory=list)
    not_applicable: list[dict[str, str]] = msgspec.field(
        default_factory=list
    )  # strategies the task rules out
    # a strategy to run before the recommended one ({"id", "reason"}), e.g. continued pre-training
    # on the corpus before fine-tuning: the models are then ranked for it (its starting checkpoint)
    first_stage: dict[str, str] | None = None


def recommend(
    spec: Spec,
    leaders: Sequence[Candidate],
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    embedding: Candidate | None = None,
) -> Recommendation:
    """Score every strategy for `spec` on the best-ranked models (`leaders`, best first; a
    Ranking's or an Ordering's `leaders`); `embedding` is the RAG stack's embedding model
    (`best_embedding`), picked once by the caller since it does not depend on the ranking."""
    env = Env(spec, rulebase.tables, as_of)
    leaders = list(leaders)
    best = leaders[0] if leaders else None
    hw = training_hardware(env, rulebase.tables)
    # The model whose window bounds a retrieval chunk: the stack's embedder, or the pick itself
    # when the project is choosing the embedder.
    chunk_model = embedding or (best if spec.task.pipeline_tag == ROLE_TASKS["embedding"] else None)
    not_applicable = _not_applicable(spec)
    skipped = {n["id"] for n in not_applicable}
    options = [
        sized_to_budget(sid, spec, env, leaders, hw, embedding)
        if STRATEGY_KINDS[sid].estimate in ("full", "pretrain")
        else option_for(sid, method, spec, env, leaders, hw, embedding)
        for sid in STRATEGIES
        if sid not in skipped
        for method in (METHODS if sid in WITH_METHODS else (None,))
    ]
    scorer = Scorer(spec, rulebase, as_of, target="strategy")
    leader = {c.id: c for c in leaders}
    scored = [
        _entry(
            scorer,
            option,
            estimate,
            plan_for(option, spec, env, rulebase, chunk_model, leader.get(option.base_model)),
        )
        for option, estimate in options
    ]
    by_id = _one_per_strategy(scored, best, rulebase)
    _add_sizing(by_id, spec, env, hw, leaders)
    ordered = sorted(by_id.values(), key=lambda e: (-e.score, e.option.cost_rank, e.option.id))
    top = ordered[0]
    ft = next((e for e in ordered if e.option.id in WITH_METHODS), None)
    return Recommendation(
        recommended=top.option.id,
        fine_tuning_method=top.option.method if top.option.method else None,
        flavour=flavour(spec, best) if top.option.trains else [],
        shots=shots(spec, best, rulebase.tables.thresholds)
        if top.option.id == "in_context_learning"
        else None,
        ranking=ordered,
        stack={
            "generator": best.id if best else None,
            "embedding": embedding.id if embedding else None,
        }
        if top.option.retrieval
        else None,
        assumptions=_assumptions(env, hw)
        + ([f"best fine-tuning method: {ft.option.method}"] if ft else []),
        not_applicable=not_applicable,
        first_stage=first_stage(top, by_id, rulebase),
    )


def first_stage(
    top: StrategyEntry, by_id: dict[str, StrategyEntry], rulebase: RuleBase
) -> dict[str, str] | None:
    """The strategy to run before `top` (tables: strategies.<id>.first_stage_when): one of its rules
    fired against `top`, which trains, and it is feasible (no budget, compute, data, team or timeline
    rule of high or critical severity fired against it). None when no stage applies; an infeasible
    stage gives way to the next strategy that names one."""
    if not top.option.trains:
        return None
    fired = {f["rule"]: f["message"] for f in top.findings if f["outcome"] == FIRED}
    for sid, doc in rulebase.tables.strategies.items():
        stage = by_id.get(sid)
        if sid == top.option.id or stage is None:
            continue
        rule = next((rulebase.get(r) for r in doc.first_stage_when if r in fired), None)
        if rule is None:
            continue
        why = f"{fired[rule.id]} {rule.remediation}"
        if any(
            f["outcome"] == FIRED
            and f["factor"] in FEASIBILITY_FACTORS
            and f["severity"] in SERIOUS
            for f in stage.findings
        ):
            continue
        return {"id": sid, "reason": why}
    return None


def _assumptions(env: Env, hw: Any) -> list[str]:
    """What the estimates assume: the training hardware, the data per example, what cost counts."""
    return [
        f"training figures are for {hw.label}" + (" (no GPUs in the spec)" if hw.rented else ""),
        f"fine-tuning data: {tokens_per_example(env.pipeline_tag)} tokens per example, "
        f"{EPOCHS} epochs",
        "one-off cost counts compute only; people's time is in the weeks, not the dollars",
    ]


def _not_applicable(spec: Spec) -> list[dict[str, str]]:
    """Strategies the task's modality rules out (they need a model that reads and writes text)."""
    modality = spec.task.resolved_modality
    return [
        {
            "id": sid,
            "reason": f"it needs a model that reads and writes text, and this task's input is {modality}",
        }
        for sid in STRATEGIES
        if STRATEGY_KINDS[sid].modalities is not None
        and modality not in STRATEGY_KINDS[sid].modalities
    ]


def _entry(
    scorer: Scorer, option: StrategyOption, estimate: dict[str, Any], plan: dict[str, Any]
) -> StrategyEntry:
    score, confidence, _ = scorer.evaluate(option)
    factors, findings = scorer.explain(option)
    return StrategyEntry(
        option,
        round(score, 4),
        round(confidence, 4),
        _reasons(findings, factors),
        [
            {
                "rule": f.rule,
                "factor": f.factor,
                "severity": f.severity,
                "outcome": f.outcome,
                "message": f.message,
            }
            for f in findings
            if f.outcome != PASSED
        ],
        estimate,
        plan,
    )


def _one_per_strategy(
    scored: list[StrategyEntry], best: Candidate | None, rulebase: RuleBase
) -> dict[str, StrategyEntry]:
    """The best-scoring method of each strategy (vocab.best_method breaks ties, as `check` does)."""
    by_id: dict[str, StrategyEntry] = {}
    for sid in STRATEGIES:
        entries = [e for e in scored if e.option.id == sid]
        if not entries:
            continue
        chosen = best_method(
            [(e.score, e.option) for e in entries],
            best.params if best else None,
            rulebase.tables.thresholds,
        )
        by_id[sid] = next(e for e in entries if e.option is chosen)
    return by_id


def _add_sizing(
    by_id: dict[str, StrategyEntry], spec: Spec, env: Env, hw: Any, leaders: list[Candidate]
) -> None:
    """Pre-training: the compute-optimal size for the budget. Training with a method: what each
    method needs on the same base, e.g. "full ~140 GB does not fit; QLoRA ~11 GB fits"."""
    if "pre_training" in by_id:
        sized = budget_optimal_size(spec, hw)
        if sized:
            by_id["pre_training"].estimate["compute_optimal"] = sized
    for entry in by_id.values():
        base = lookup_base(entry.option.base_model, leaders)
        if entry.option.method and base is not None and base.params:
            arch = training_arch(base, env, entry.option.id)
            methods = {}
            for m in SMALL_MODEL_METHODS:  # full, then the adapters: the order reports list them in
                need, fits = training_fit(env, hw, arch, m)  # type: ignore[arg-type]
                methods[m] = {"gpu_memory_bytes": round(need), "fits_hardware": fits}
            entry.estimate["methods"] = methods


def lookup_base(model_id: str | None, leaders: list[Candidate]) -> Candidate | None:
    return next((c for c in leaders if c.id == model_id), None)


def best_embedding(
    spec: Spec,
    candidates: Iterable[Candidate],
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    lookup: Callable[[str], Candidate | None] | None = None,
) -> Candidate | None:
    """The best embedding model for a RAG stack on a generative text task (None for other tasks):
    the same rules with the task swapped, the spec's languages, a window that holds a planned chunk
    (thresholds: rag_chunk_tokens) and, served beside the generator, no larger than
    rag_embedder_max_b unless needs.quality is best."""
    if spec.task.pipeline_tag not in GENERATIVE_TEXT:
        return None
    embed_spec = embedding_spec(spec, rulebase.tables.thresholds)
    result = order(
        embed_spec, candidates, rulebase, as_of=as_of, top=1, blocked_top=0, lookup=lookup
    )
    return result.leaders[0] if result.leaders else None


def _reasons(findings: list[Any], factors: dict[str, Any]) -> list[str]:
    """For and against, most important first: what fired, what was undecided, then what spoke for it."""
    out: list[str] = []
    for f in factors.values():
        for reason in f.reasons:
            if reason in ("no concerns found", "no rule applies to this project"):
                continue
            if reason.startswith("ok: "):
                out.append("for: " + reason[4:])
            elif reason.startswith("unknown: "):
                out.append(reason)
            else:
                out.append("against: " + reason)
    order = {"against": 0, "unknown": 1, "for": 2}
    return sorted(out, key=lambda r: order[r.split(":", 1)[0]])
