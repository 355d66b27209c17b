"""One strategy option with its estimates: the base model it starts from, the memory it needs on
the spec's hardware, the compute, GPU-hours, cost and calendar weeks, and (pre-training) what the
compute budget buys. `recommend.py` builds one option per strategy and method with these and scores
them; `check` builds the option a repository declared. Pure: no I/O, no printing.
"""

from __future__ import annotations

from typing import Any, TYPE_CHECKING

import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import CHINCHILLA_TOKENS_PER_PARAM, GB, Arch, compute, per_card, serve_bytes
from fmadvisor.rules import RuleBase
from fmadvisor.rules.fields import Env, model_getter
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.speed import Hours, gpu_hours, peak_tflops, utilization
from fmadvisor.strategy.hardware import (
    TrainingHardware,
    tokens_per_example,
    training_arch,
    training_fit,
    training_hardware,
)
from fmadvisor.vocab import STRATEGY_KINDS

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec
    from fmadvisor.document_types import (
        HoursOut,
        RangeOut,
        StrategyEstimateOut,
    )
else:
    # at run time a TypedDict call makes a plain dict: build it so, without creating the ~40 types
    # (5 ms of start-up; tests/test_formats.py checks these names are the document's types)
    HoursOut = RangeOut = StrategyEstimateOut = dict

EPOCHS = 3
TOKENS_PER_DOCUMENT = 1000  # assumed length of one document, for indexing cost
RAG_CONTEXT = 8192  # prompt room for retrieved passages
SIZING_CANDIDATES = 20  # leading models tried as the base of a corpus-scale training run


class _Need(msgspec.Struct, frozen=True):
    """What an option needs: memory per card, whether it fits, on what, and its training tokens."""

    memory: float | None
    fits: bool | None
    label: str
    tokens: float


def build_option(
    sid: str, method: str | None, spec: Spec, env: Env, leaders: list[Candidate], rulebase: RuleBase
) -> tuple[StrategyOption, dict[str, Any]]:
    """One strategy option on the given models (the first is the base), on the spec's hardware."""
    return option_for(
        sid, method, spec, env, leaders, training_hardware(env, rulebase.tables), None
    )


def sized_to_budget(
    sid: str, spec: Spec, env: Env, leaders: list[Candidate], hw: Any, embedding: Candidate | None
) -> tuple[StrategyOption, dict[str, Any]]:
    """Continued pre-training and pre-training run over the whole corpus, so their cost grows with
    the base model's size. The base is, in this order:
    1. the best-ranked leading model whose high estimate fits the budget, the timeline and the
       GPU-hours (`_within`);
    2. when the training GPU has no price, the best-ranked one the hardware holds within the
       timeline and GPU-hours (its cost unknown, not over);
    3. else the best-ranked one within the budget (when no size meets the timeline, a smaller base
       would not either: the plan's weeks dominate), or, its cost unknown, within the GPU-hours;
    4. else the one with the lowest estimate.
    From step 3 on, a base the training hardware cannot hold comes last. Both strategies start from
    a base checkpoint (the vocabulary's starts_from): in steps 1 and 2 the base leaders are tried
    before the others. The estimate rules say what is over."""
    estimated: dict[str, tuple[StrategyOption, dict[str, Any]]] = {}

    def on(c: Candidate) -> tuple[StrategyOption, dict[str, Any]]:  # each base estimated once
        if c.id not in estimated:
            estimated[c.id] = option_for(sid, None, spec, env, [c], hw, embedding)
        return estimated[c.id]

    bases = _bases(sid, leaders)[:SIZING_CANDIDATES]
    sized = [c for c in leaders if c.params][:SIZING_CANDIDATES] or leaders[:1]
    for unpriced in (False, True):
        for c in (*bases, *sized):
            option, estimate = on(c)
            if _within(option, spec, unpriced) and (
                not unpriced or option.fits_hardware is not False
            ):
                return option, estimate
    tried = [on(c) for c in sized]
    if not tried:
        return option_for(sid, None, spec, env, leaders, hw, embedding)
    budget = spec.constraints.budget_usd
    # a base the training hardware cannot hold comes last whatever its cost or weeks (a sparse
    # mixture of experts computes little per token but holds all its experts)
    tried.sort(key=lambda t: t[0].fits_hardware is False)
    in_budget = [
        t
        for t in tried
        if budget is None or (t[0].cost_usd_high is not None and t[0].cost_usd_high <= budget)
    ]
    if in_budget:
        return in_budget[0]
    # its cost unknown and no size meeting the timeline: the best-ranked one the hardware holds
    # within the GPU-hours, not the smallest (the plan's weeks dominate the timeline)
    held = [t for t in tried if t[0].fits_hardware is not False and _hours_ok(t[0], spec)]
    if held:
        return held[0]
    return min(
        tried,
        key=lambda t: (
            t[0].fits_hardware is False,
            t[0].cost_usd_high if t[0].cost_usd_high is not None else float("inf"),
            t[0].weeks_high or float("inf"),
        ),
    )


def _bases(sid: str, leaders: list[Candidate]) -> list[Candidate]:
    """The sized base checkpoints among `leaders`, in rank order, for a strategy that trains from
    one (continued pre-training keeps pre-training: an instruct checkpoint would lose its tuning to
    it); none for the others."""
    if STRATEGY_KINDS[sid].starts_from != "base":
        return []
    return [c for c in leaders if c.variant == "base" and c.params]


def _hours_ok(option: StrategyOption, spec: Spec) -> bool:
    hours = spec.constraints.compute_gpu_hours
    return hours is None or (option.gpu_hours_high is not None and option.gpu_hours_high <= hours)


def _within(option: StrategyOption, spec: Spec, unpriced: bool = False) -> bool:
    """The option's high estimates fit the budget, the timeline and the GPU-hours the spec has (on
    owned hardware the money is not counted; the GPU-hours still are); `unpriced`: an unknown cost
    (a training GPU without a price) is not held against it."""
    c = spec.constraints
    budget, weeks = c.budget_usd, c.timeline_weeks
    cost = option.cost_usd_high
    cost_ok = budget is None or (cost is None and unpriced) or (cost is not None and cost <= budget)
    time_ok = weeks is None or (option.weeks_high is not None and option.weeks_high <= weeks)
    return cost_ok and time_ok and _hours_ok(option, spec)


def _pick_base(leaders: list[Candidate], env: Env, method: str | None) -> Candidate | None:
    if not leaders:
        return None
    if method is None:
        return leaders[0]
    fits = model_getter(f"fit.{'full_ft' if method == 'full' else method}_fits")
    return next((c for c in leaders if fits(c, env) is True), leaders[0])


def option_for(
    sid: str,
    method: str | None,
    spec: Spec,
    env: Env,
    leaders: list[Candidate],
    hw: TrainingHardware,
    embedding: Candidate | None,
) -> tuple[StrategyOption, dict[str, Any]]:
    """The option `sid` (with `method` when it trains with one) on the best-fitting leader."""
    kind = STRATEGY_KINDS[sid]
    base = _pick_base(leaders, env, method if kind.methods else None)
    arch = training_arch(base, env, sid) if base else None
    mode = (
        method
        if kind.estimate == "method"
        else (None if kind.estimate == "none" else kind.estimate)
    )
    need = _need(sid, mode, spec, env, arch, hw, embedding)
    flops = _flops(sid, mode, spec, arch, embedding, need.tokens)
    peak = peak_tflops(hw.gpu) if hw.gpu is not None else None
    hours = gpu_hours(flops, peak, arch.hidden if arch else None) if flops and peak else None
    cost = _cost(flops, hours, hw)
    weeks_low, weeks_high = env.tables.strategies[sid].weeks
    scale = _team_scale(spec)
    compute_weeks = (hours.expected / max(1, hw.count) / (24 * 7)) if hours else 0.0
    option = StrategyOption(
        id=sid,
        method=method,
        trains=kind.trains,
        retrieval=kind.retrieval,
        cost_rank=kind.cost_rank,
        cost_usd_low=cost[0],
        cost_usd_high=cost[1],
        weeks_low=round(weeks_low * scale + compute_weeks, 1),
        weeks_high=round(weeks_high * scale + compute_weeks * 2, 1),
        gpu_memory_gb=None if need.memory is None else round(need.memory / GB, 1),
        fits_hardware=need.fits,
        hardware=need.label if need.memory is not None else None,
        gpu_hours_high=None if hours is None else round(hours.high, 1),
        base_model=base.id if base else None,
        base_size_b=None if base is None or base.params is None else base.params / 1e9,
        context_length=base.context_length if base else None,
        base_data_documented=None if base is None or base.datasets is None else bool(base.datasets),
        base_specialist=bool(env.specialty)
        and base is not None
        and not env.serving_specialties.isdisjoint(base.specialties),
    )
    return option, _estimate(option, need, hours)


def _need(
    sid: str,
    mode: str | None,
    spec: Spec,
    env: Env,
    arch: Arch | None,
    hw: TrainingHardware,
    embedding: Candidate | None,
) -> _Need:
    kind = STRATEGY_KINDS[sid]
    if arch is None:
        return _Need(None, None, hw.label, 0.0)
    if kind.trains:
        memory, fits = training_fit(env, hw, arch, "full" if mode == "pretrain" else str(mode))
        return _Need(memory, fits, hw.label, _training_tokens(kind.estimate, spec, env, arch))
    context = RAG_CONTEXT if kind.retrieval else env.context
    total = serve_bytes(arch, "bf16", context, env.serve_runtime_bytes)
    if kind.retrieval and embedding is not None and embedding.params:
        # the embedder runs in the same process: no second runtime reserve
        total += serve_bytes(Arch(params=embedding.params), "bf16", 512, 0.0)
    memory = per_card(total, max((c.count for c in env.cards), default=1))
    return _Need(memory, env.fits(total), env.serving_place(), 0.0)


def _flops(
    sid: str,
    mode: str | None,
    spec: Spec,
    arch: Arch | None,
    embedding: Candidate | None,
    tokens: float,
) -> float:
    """Training on `tokens` plus, for retrieval, embedding the documents once."""
    flops = compute(arch, str(mode), tokens).flops if arch is not None and tokens else 0.0
    if STRATEGY_KINDS[sid].retrieval and embedding is not None and embedding.params:
        flops += 2.0 * embedding.params * spec.data.knowledge.documents * TOKENS_PER_DOCUMENT
    return flops


def _cost(flops: float, hours: Hours | None, hw: TrainingHardware) -> tuple[int | None, int | None]:
    """(low, high) USD: 0 when nothing is computed or the hardware is owned, None when unknown."""
    if not flops or hw.owned:
        return (0, 0)
    price = hw.gpu.usd_per_hour if hw.gpu is not None else None
    if hours and price is not None:
        return (round(hours.low * price), round(hours.high * price))
    return (None, None)


def _estimate(option: StrategyOption, need: _Need, hours: Hours | None) -> StrategyEstimateOut:
    return StrategyEstimateOut(
        cost_usd=RangeOut(low=option.cost_usd_low, high=option.cost_usd_high),
        weeks=RangeOut(low=option.weeks_low, high=option.weeks_high),
        gpu_memory_bytes=None if need.memory is None else round(need.memory),
        fits_hardware=need.fits,
        hardware=option.hardware,
        gpu_hours=None
        if hours is None
        else HoursOut(
            low=round(hours.low, 1), expected=round(hours.expected, 1), high=round(hours.high, 1)
        ),
        tokens=need.tokens or None,
        base_model=option.base_model,
    )


def _training_tokens(estimate: str, spec: Spec, env: Env, arch: Arch) -> float:
    if estimate == "method":  # trains on the labeled examples
        return spec.data.labeled_examples * tokens_per_example(env.pipeline_tag) * EPOCHS
    if estimate == "full":  # continued pre-training on the corpus
        return float(spec.data.unlabeled_tokens)
    # pre-training: the corpus, or compute-optimal tokens if more
    return max(float(spec.data.unlabeled_tokens), compute(arch, "pretrain").optimal_tokens)


def _team_scale(spec: Spec) -> float:
    """Calendar time relative to two engineers of medium experience."""
    team = spec.constraints.team
    scale = {"low": 1.5, "medium": 1.0, "high": 0.8}[team.experience]
    if team.ml_engineers <= 1:
        scale *= 1.3
    elif team.ml_engineers >= 4:
        scale *= 0.8
    return scale


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
