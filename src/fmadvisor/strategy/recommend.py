"""Recommend how to customize: build each strategy option with its estimates, score the options with
the strategy rules (the same engine as models), and attach a plan.

Joint with the model ranking: fine-tuning starts from the best-ranked eligible model that can be
trained on the spec's hardware with the method; RAG recommends a generator (the best model) and an
embedding model (the best one the catalog offers for the spec's languages and constraints);
in-context learning reads the base model's context window. Pure: no I/O, no printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import GB, Arch, compute, per_card, serve_bytes
from fmadvisor.rules import RuleBase
from fmadvisor.rules.fields import Env, model_getter
from fmadvisor.ranking import rank
from fmadvisor.roles import embedding_spec
from fmadvisor.scoring import PASSED, Ranking, Scorer
from fmadvisor.spec import Spec
from fmadvisor.estimate import CHINCHILLA_TOKENS_PER_PARAM
from fmadvisor.speed import gpu_hours, peak_tflops, utilization
from fmadvisor.strategy.plan import flavour, plan_for, shots
from fmadvisor.strategy.hardware import (
    TrainingHardware,
    tokens_per_example,
    training_fit,
    training_hardware,
)
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.vocab import (
    SMALL_MODEL_METHODS,
    ROLE_TASKS,
    GENERATIVE_TEXT,
    METHODS,
    STRATEGIES,
    STRATEGY_KINDS,
    WITH_METHODS,
    best_method,
)

EPOCHS = 3
TOKENS_PER_DOCUMENT = 1000  # assumed length of one document, for indexing cost
RAG_CONTEXT = 8192  # prompt room for retrieved passages


@dataclass
class StrategyEntry:
    option: StrategyOption
    score: float
    confidence: float
    reasons: list[str]
    findings: list[dict[str, str]]
    estimate: dict[str, Any]
    plan: dict[str, Any]


@dataclass
class Recommendation:
    recommended: str
    fine_tuning_method: str | None
    flavour: list[str]
    shots: str | None
    ranking: list[StrategyEntry]
    stack: dict[str, str | None] | None
    assumptions: list[str] = field(default_factory=list)
    not_applicable: list[dict[str, str]] = field(
        default_factory=list
    )  # strategies the task rules out


def recommend(
    spec: Spec,
    ranking: Ranking,
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    embedding: Candidate | None = None,
) -> Recommendation:
    """Score every strategy for `spec` on the ranked models; `embedding` is the RAG stack's
    embedding model (`best_embedding`), picked once by the caller since it does not depend on
    the ranking."""
    env = Env(spec, rulebase.tables, as_of)
    leaders = ranking.leaders
    best = leaders[0] if leaders else None
    hw = training_hardware(env, rulebase.tables)
    assumptions = [
        f"training figures are for {hw.label}" + (" (no GPUs in the spec)" if hw.rented else ""),
        f"fine-tuning data: {tokens_per_example(env.pipeline_tag)} tokens per example, "
        f"{EPOCHS} epochs",
        "one-off cost counts compute only; people's time is in the weeks, not the dollars",
    ]
    # The model whose window bounds a retrieval chunk: the stack's embedder, or the pick itself
    # when the project is choosing the embedder.
    chunk_model = embedding or (best if spec.task.pipeline_tag == ROLE_TASKS["embedding"] else None)
    not_applicable = _not_applicable(spec)
    skipped = {n["id"] for n in not_applicable}
    options = [
        _sized_to_budget(sid, spec, env, leaders, hw, embedding)
        if STRATEGY_KINDS[sid].estimate in ("full", "pretrain")
        else _option(sid, method, spec, env, leaders, hw, embedding)
        for sid in STRATEGIES
        if sid not in skipped
        for method in (METHODS if sid in WITH_METHODS else (None,))
    ]
    scorer = Scorer(spec, rulebase, as_of, target="strategy")
    scored = [
        _entry(scorer, option, estimate, plan_for(option, spec, env, rulebase, chunk_model))
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
        assumptions=assumptions + ([f"best fine-tuning method: {ft.option.method}"] if ft else []),
        not_applicable=not_applicable,
    )


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
            {"rule": f.rule, "factor": f.factor, "outcome": f.outcome, "message": f.message}
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
            arch = Arch.of(base)
            methods = {}
            for m in SMALL_MODEL_METHODS:  # full, then the adapters: the order reports list them in
                need, fits = training_fit(env, hw, arch, m)  # type: ignore[arg-type]
                methods[m] = {"gpu_memory_bytes": round(need), "fits_hardware": fits}
            entry.estimate["methods"] = methods


def build_option(
    sid: str, method: str | None, spec: Spec, env: Env, leaders: list[Candidate], rulebase: RuleBase
) -> tuple[StrategyOption, dict[str, Any]]:
    """One strategy option on the given models (the first is the base), on the spec's hardware."""
    return _option(sid, method, spec, env, leaders, training_hardware(env, rulebase.tables), None)


SIZING_CANDIDATES = 20  # leading models tried as the base of a corpus-scale training run


def _sized_to_budget(
    sid: str, spec: Spec, env: Env, leaders: list[Candidate], hw: Any, embedding: Candidate | None
) -> tuple[StrategyOption, dict[str, Any]]:
    """Continued pre-training and pre-training run over the whole corpus, so their cost grows with
    the base model's size: the base is the best-ranked leading model whose high estimate fits the
    budget and the timeline, else the one with the lowest estimate (said by the estimate rules)."""
    tried = []
    for c in [c for c in leaders if c.params][:SIZING_CANDIDATES] or leaders[:1]:
        option, estimate = _option(sid, None, spec, env, [c], hw, embedding)
        if _within(option, spec):
            return option, estimate
        tried.append(
            (
                option.cost_usd_high if option.cost_usd_high is not None else float("inf"),
                option.weeks_high or float("inf"),
                option,
                estimate,
            )
        )
    if not tried:
        return _option(sid, None, spec, env, leaders, hw, embedding)
    _, _, option, estimate = min(tried, key=lambda t: (t[0], t[1]))
    return option, estimate


def _within(option: StrategyOption, spec: Spec) -> bool:
    budget, weeks = spec.constraints.budget_usd, spec.constraints.timeline_weeks
    cost_ok = budget is None or (
        option.cost_usd_high is not None and option.cost_usd_high <= budget
    )
    time_ok = weeks is None or (option.weeks_high is not None and option.weeks_high <= weeks)
    return cost_ok and time_ok


def _pick_base(leaders: list[Candidate], env: Env, method: str | None) -> Candidate | None:
    if not leaders:
        return None
    if method is None:
        return leaders[0]
    fits = model_getter(f"fit.{'full_ft' if method == 'full' else method}_fits")
    return next((c for c in leaders if fits(c, env) is True), leaders[0])


def _option(
    sid: str,
    method: str | None,
    spec: Spec,
    env: Env,
    leaders: list[Candidate],
    hw: TrainingHardware,
    embedding: Candidate | None,
) -> tuple[StrategyOption, dict[str, Any]]:
    plan = env.tables.strategies[sid]
    kind = STRATEGY_KINDS[sid]
    base = _pick_base(leaders, env, method if kind.methods else None)
    arch = Arch.of(base) if base else None
    trains = kind.trains
    retrieval = kind.retrieval
    mode = (
        method
        if kind.estimate == "method"
        else (None if kind.estimate == "none" else kind.estimate)
    )
    memory: float | None = None
    fits: bool | None = None
    tokens = 0.0
    label = hw.label
    if arch is not None and trains:
        memory, fits = training_fit(env, hw, arch, "full" if mode == "pretrain" else str(mode))
        tokens = _training_tokens(kind.estimate, spec, env, arch)
    elif arch is not None:
        context = RAG_CONTEXT if retrieval else env.context
        total = serve_bytes(arch, "bf16", context)
        if retrieval and embedding is not None and embedding.params:
            total += serve_bytes(Arch(params=embedding.params), "bf16", 512)
        memory = per_card(total, max((c.count for c in env.cards), default=1))
        fits = env.fits(total)
        label = ", ".join(f"{c.count} x {c.name}" for c in env.cards) or (
            "CPU RAM" if env.cpu_bytes is not None else "no hardware stated"
        )
    flops = compute(arch, str(mode), tokens).flops if arch is not None and tokens else 0.0
    if retrieval and embedding is not None and embedding.params:
        flops += 2.0 * embedding.params * spec.data.knowledge.documents * TOKENS_PER_DOCUMENT
    peak = peak_tflops(hw.gpu) if hw.gpu is not None else None
    hours = gpu_hours(flops, peak, arch.hidden if arch else None) if flops and peak else None
    price = 0.0 if hw.owned else (hw.gpu.usd_per_hour if hw.gpu is not None else None)
    cost = (float("nan"), float("nan"))  # unknown unless the hours and a price are known
    if not flops:
        cost = (0.0, 0.0)
    elif hours and price is not None:
        cost = (hours.low * price, hours.high * price)
    elif hw.owned:  # owned hardware has no hourly price, whatever the run takes
        cost = (0.0, 0.0)
    weeks_low, weeks_high = plan.weeks
    scale = _team_scale(spec)
    compute_weeks = (hours.expected / max(1, hw.count) / (24 * 7)) if hours else 0.0
    option = StrategyOption(
        id=sid,
        method=method,
        trains=trains,
        retrieval=retrieval,
        cost_rank=kind.cost_rank,
        cost_usd_low=None if cost[0] != cost[0] else round(cost[0]),
        cost_usd_high=None if cost[1] != cost[1] else round(cost[1]),
        weeks_low=round(weeks_low * scale + compute_weeks, 1),
        weeks_high=round(weeks_high * scale + compute_weeks * 2, 1),
        gpu_memory_gb=None if memory is None else round(memory / GB, 1),
        fits_hardware=fits,
        hardware=label if memory is not None else None,
        gpu_hours_high=None if hours is None else round(hours.high, 1),
        base_model=base.id if base else None,
        base_size_b=None if base is None or base.params is None else base.params / 1e9,
        context_length=base.context_length if base else None,
        base_data_documented=None if base is None or base.datasets is None else bool(base.datasets),
    )
    estimate = {
        "cost_usd": {"low": option.cost_usd_low, "high": option.cost_usd_high},
        "weeks": {"low": option.weeks_low, "high": option.weeks_high},
        "gpu_memory_bytes": None if memory is None else round(memory),
        "fits_hardware": fits,
        "hardware": option.hardware,
        "gpu_hours": None
        if hours is None
        else {
            "low": round(hours.low, 1),
            "expected": round(hours.expected, 1),
            "high": round(hours.high, 1),
        },
        "tokens": tokens or None,
        "base_model": option.base_model,
    }
    return option, estimate


def _training_tokens(estimate: str, spec: Spec, env: Env, arch: Arch) -> float:
    if estimate == "method":  # trains on the labeled examples
        return spec.data.labeled_examples * tokens_per_example(env.pipeline_tag) * EPOCHS
    if estimate == "full":  # continued pre-training on the corpus
        return float(spec.data.unlabeled_tokens)
    # pre-training: the corpus, or compute-optimal tokens if more
    return max(float(spec.data.unlabeled_tokens), compute(arch, "pretrain").optimal_tokens)


def lookup_base(model_id: str | None, leaders: list[Candidate]) -> Candidate | None:
    return next((c for c in leaders if c.id == model_id), None)


def _team_scale(spec: Spec) -> float:
    """Calendar time relative to two engineers of medium experience."""
    team = spec.constraints.team
    scale = {"low": 1.5, "medium": 1.0, "high": 0.8}[team.experience]
    if team.ml_engineers <= 1:
        scale *= 1.3
    elif team.ml_engineers >= 4:
        scale *= 0.8
    return scale


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
    result = rank(
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


def budget_optimal_size(spec: Spec, hw: Any) -> dict[str, Any] | None:
    """What the compute budget buys when pre-training: the compute-optimal size and tokens
    (Hoffmann et al.: C = 6 N D with D = CHINCHILLA_TOKENS_PER_PARAM x N) for the GPU-hours the spec
    states, or its budget at the training GPU's price; None when neither is known."""
    peak = peak_tflops(hw.gpu) if hw.gpu is not None else None
    hours = spec.constraints.compute_gpu_hours
    basis = f"constraints.compute_gpu_hours={hours:,.0f}" if hours else ""
    price = getattr(hw.gpu, "usd_per_hour", None) if hw.gpu is not None else None
    if not hours and spec.constraints.budget_usd and price and not hw.owned:
        hours = spec.constraints.budget_usd / price
        basis = f"constraints.budget_usd={spec.constraints.budget_usd:,.0f} at ${price}/h"
    if not hours or not peak:
        return None
    flops = hours * peak * 1e12 * 3600 * utilization(peak, None)
    params = (flops / (6 * CHINCHILLA_TOKENS_PER_PARAM)) ** 0.5
    return {
        "params": round(params),
        "tokens": round(CHINCHILLA_TOKENS_PER_PARAM * params),
        "gpu_hours": round(hours),
        "basis": f"{basis} on {hw.label}",
    }
