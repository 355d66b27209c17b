"""Memory and serving-cost fields: does the model fit the spec's hardware, and at what monthly price."""

from __future__ import annotations

import math
from typing import Any

import msgspec

from fmadvisor.estimate import (
    GB,
    SERVE_SLACK,
    Arch,
    compute,
    kv_cache_bytes,
    kv_upper_bound,
    serve_bytes,
)
from fmadvisor.rules.env import CORPUS_TRAINING, CUDA_SHARED, Env
from fmadvisor.rules.registry import derived
from fmadvisor.speed import cpu_tokens_per_s, decode_tokens_per_s, gpu_hours
from fmadvisor.tasks import trained_for
from fmadvisor.vocab import TASK_GROUPS

HOURS_PER_MONTH = 730
DECODERS = TASK_GROUPS["decoders"]  # models that generate token by token, with a KV cache


ARCH = (
    "params",
    "active_params",
    "layers",
    "hidden_size",
    "attention_heads",
    "kv_heads",
    "vocab_size",
    "sliding_window",
    "attention_layers",
    "head_dim",
)


class MemoryProfile(msgspec.Struct, frozen=True):
    """What one architecture needs on one spec's hardware (None: unknown)."""

    serve_gb_16bit: float | None = None
    serve_gb_int8: float | None = None
    serve_gb_int4: float | None = None
    serve_16bit: bool | None = None  # fits per card (or CPU RAM) at 16-bit
    serve_int8: bool | None = None
    serve_int4: bool | None = None
    full_ft_fits: bool | None = None
    full_ft_overflow: float | None = None  # training memory needed / held, on the best card type
    lora_fits: bool | None = None
    qlora_fits: bool | None = None
    monthly_serving_usd: float | None = None
    forward_ms: float | None = None  # one batch-1 forward pass on the serving hardware
    serving_price: str | None = None  # what the monthly cost is for, with the price's source


_UNKNOWN = MemoryProfile()
MEM = (*ARCH, "pipeline_tag")  # what the memory fields read: the shape, and whether it decodes


def _memory(e: Env, *facts: Any) -> MemoryProfile:
    """Computed once per architecture, task tag and spec."""
    profile = e.memory_memo.get(facts)
    if profile is None:
        arch = Arch(*facts[:-1]) if facts[0] is not None else None
        if arch is not None:  # the training fits: a task head counts no vocabulary logits
            arch = trained_for(
                arch, e.pipeline_tag, facts[-1], e.planned_strategy in CORPUS_TRAINING
            )
        profile = e.memory_memo[facts] = _memory_profile(e, arch, facts[-1] in DECODERS)
    return profile


DTYPES = ("bf16", "int8", "int4")  # serving precisions, the most faithful first


def _memory_profile(e: Env, arch: Arch | None, decodes: bool) -> MemoryProfile:
    if arch is None:
        return _UNKNOWN
    full_fits, overflow = _full_training(arch, e)
    need = [serve_bytes(arch, d, e.context, e.serve_runtime_bytes) for d in DTYPES]
    if decodes and kv_cache_bytes(arch, e.context) is None:
        # A decoder's KV cache at the spec's context is part of what it needs, and without its
        # layers and heads it cannot be sized exactly, only bounded: the weights alone are a lower
        # bound, and the largest cache a model of its size can have (kv_upper_bound) an upper one.
        # Too big at the lower bound is "does not fit"; fitting at the upper bound is "fits"
        # (reported at that bound); in between the fit is unknown, never a pass.
        upper = [n + kv_upper_bound(arch, e.context) * (1 + SERVE_SLACK) for n in need]
        fits = [
            True if e.fits(hi) else (False if e.fits(lo) is False else None)
            for lo, hi in zip(need, upper, strict=True)
        ]
        if True not in fits:
            return MemoryProfile(
                serve_16bit=fits[0],
                serve_int8=fits[1],
                serve_int4=fits[2],
                full_ft_fits=full_fits,
                full_ft_overflow=overflow,
                lora_fits=_train_fits(arch, e, "lora"),
                qlora_fits=_train_fits(arch, e, "qlora"),
                forward_ms=_forward_ms(e, arch, _serving_dtype(fits)),
            )
        need = upper
    else:
        fits = [e.fits(n) for n in need]
    cost, price_note = _monthly_cost(e, need)
    return MemoryProfile(
        serve_gb_16bit=round(need[0] / GB, 2),
        serve_gb_int8=round(need[1] / GB, 2),
        serve_gb_int4=round(need[2] / GB, 2),
        serve_16bit=fits[0],
        serve_int8=fits[1],
        serve_int4=fits[2],
        full_ft_fits=full_fits,
        full_ft_overflow=overflow,
        lora_fits=_train_fits(arch, e, "lora"),
        qlora_fits=_train_fits(arch, e, "qlora"),
        monthly_serving_usd=cost,
        serving_price=price_note,
        forward_ms=_forward_ms(e, arch, _serving_dtype(fits)),
    )


def _serving_dtype(fits: list[bool | None]) -> str:
    """The most faithful precision not known to overflow the hardware (4-bit when none fits)."""
    return next((d for d, f in zip(DTYPES, fits, strict=True) if f is not False), DTYPES[-1])


def _forward_ms(e: Env, arch: Arch, dtype: str) -> float | None:
    """Milliseconds to read every weight once (a batch-1 forward pass or one generated token is
    memory-bandwidth bound): on the fastest of the spec's GPU types, else on the CPU."""
    if e.cards:
        speeds = [
            decode_tokens_per_s(arch, dtype, c.bandwidth_gbps, 0, c.count)
            for c in e.cards
            if c.bandwidth_gbps
        ]
        return round(1000 / max(speeds), 1) if speeds else None
    if e.cpu_bytes is not None:
        return round(1000 / cpu_tokens_per_s(arch, dtype), 1)
    return None


@derived(
    "fit.forward_ms",
    "number",
    "milliseconds for one batch-1 forward pass (or one generated token) on the serving hardware: "
    "weights read once at the card's memory bandwidth (CPU: dual-channel DDR5); prefill and "
    "longer outputs add to it",
    MEM,
    "ms",
)
def _forward(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).forward_ms


@derived(
    "fit.serve_gb_16bit",
    "number",
    "memory to serve at 16-bit with the spec's context (weights x1.2 + KV cache + runtime)",
    MEM,
    "GB",
)
def _serve_gb_16(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).serve_gb_16bit


@derived(
    "fit.serve_gb_int8",
    "number",
    "memory to serve with 8-bit weights (linear layers only; INT8 or FP8)",
    MEM,
    "GB",
)
def _serve_gb_8(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).serve_gb_int8


@derived(
    "fit.serve_gb_int4",
    "number",
    "memory to serve with 4-bit weights (linear layers only)",
    MEM,
    "GB",
)
def _serve_gb_4(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).serve_gb_int4


@derived(
    "fit.serve_16bit",
    "bool",
    "fits the spec's GPUs per card (or CPU RAM) at 16-bit; unknown without size or hardware",
    MEM,
)
def _serve_16(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).serve_16bit


@derived(
    "fit.serve_int8", "bool", "fits the spec's GPUs per card (or CPU RAM) with 8-bit weights", MEM
)
def _serve_8(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).serve_int8


PRECISION_LABELS = dict(zip(DTYPES, ("16-bit", "8-bit", "4-bit"), strict=True))


@derived(
    "fit.serve_precision",
    "text",
    "the most faithful weight precision at which it fits the serving hardware: 16-bit, 8-bit or "
    "4-bit, or none; unknown while a more faithful one is undecided",
    MEM,
)
def _serve_precision(e: Env, *arch: Any) -> str | None:
    p = _memory(e, *arch)
    for dtype, fits in zip(DTYPES, (p.serve_16bit, p.serve_int8, p.serve_int4), strict=True):
        if fits is None:
            return None
        if fits:
            return PRECISION_LABELS[dtype]
    return "none"


@derived(
    "fit.serve_int4", "bool", "fits the spec's GPUs per card (or CPU RAM) with 4-bit weights", MEM
)
def _serve_4(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).serve_int4


def _train_fits(arch: Arch, e: Env, method: str) -> bool | None:
    return e.train_fits(arch, method)


def _full_training(arch: Arch, e: Env) -> tuple[bool | None, float | None]:
    """(does training every weight fit, and how many times a training card's memory it needs,
    rounded), from one estimate (Env.train_overflow); the overflow is None without training GPUs."""
    overflow = e.train_overflow(arch, "full")
    return e.train_fits(arch, "full", overflow), None if overflow is None else round(overflow, 2)


@derived(
    "fit.full_ft_fits",
    "bool",
    "full fine-tuning (mixed-precision AdamW) fits the training hardware (sharded over its "
    "cards; the spec's context)",
    MEM,
)
def _full_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).full_ft_fits


@derived(
    "fit.full_ft_overflow",
    "number",
    "training every weight (mixed-precision AdamW, sharded over the cards) needs this many times "
    "each training card's memory, on the card type that comes nearest: above 1 it does not fit "
    "(fit.full_ft_fits); unknown without training GPUs",
    MEM,
    "x",
)
def _full_overflow_field(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).full_ft_overflow


@derived(
    "fit.corpus_gpu_hours",
    "number",
    "GPU-hours, high estimate, to train the model once over the spec's unlabeled corpus (continued "
    "pre-training: 6 x parameters x tokens, active parameters for mixture-of-experts) on the "
    "training hardware's GPU type, as the strategy estimates count them",
    ARCH,
    "GPU-hours",
)
def _corpus_gpu_hours(e: Env, *arch: Any) -> float | None:
    tokens = e.spec.data.unlabeled_tokens
    if arch[0] is None or not tokens or not e.train_cards:
        return None
    # the type training runs on, chosen as strategy.hardware.training_hardware chooses it (the most
    # memory in all); its peak unknown leaves the GPU-hours unknown, as the strategy's estimate says
    card = max(e.train_cards, key=lambda c: c.memory_bytes * c.count)
    if not card.peak_tflops:
        return None
    a = Arch(*arch)
    return round(
        gpu_hours(compute(a, "full", float(tokens)).flops, card.peak_tflops, a.hidden).high
    )


@derived("fit.lora_fits", "bool", "LoRA on 16-bit weights fits the training hardware", MEM)
def _lora_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).lora_fits


@derived("fit.qlora_fits", "bool", "QLoRA on 4-bit weights fits the training hardware", MEM)
def _qlora_fits(e: Env, *arch: Any) -> bool | None:
    return _memory(e, *arch).qlora_fits


@derived(
    "fit.monthly_serving_usd",
    "number",
    "one replica serving around the clock on the cheapest of the spec's GPU "
    "types that holds it (16-bit, else 4-bit), at the GPU table's hourly price; on owned "
    "hardware the stated owned_usd_per_month (0 when not stated)",
    MEM,
    "USD",
)
def _monthly_serving(e: Env, *arch: Any) -> float | None:
    return _memory(e, *arch).monthly_serving_usd


@derived(
    "fit.serving_price",
    "text",
    "what fit.monthly_serving_usd is for: the cards, hourly price and its source and date (or owned)",
    MEM,
)
def _serving_price(e: Env, *arch: Any) -> str | None:
    return _memory(e, *arch).serving_price


def _monthly_cost(e: Env, needs: list[float]) -> tuple[float | None, str]:
    """Monthly cost of one replica at the most faithful precision (DTYPES order) some priced GPU
    type holds, and what it is for ("2 x L4 at $0.805/h, <source>")."""
    if e.owned:  # no hourly price: what the owner says running it costs, else nothing counted
        stated = e.spec.constraints.hardware.owned_usd_per_month
        note = "its stated running cost" if stated else "no running cost stated"
        return stated or 0.0, f"owned hardware, no hourly price; {note}"
    if not e.cards:
        return None, "no GPUs to price"
    for need in needs:
        best: tuple[float, str] | None = None
        for card in e.cards:
            if card.usd_per_hour is None:
                continue
            n = max(1, math.ceil((need - CUDA_SHARED) / (card.memory_bytes - CUDA_SHARED)))
            if n > card.count:
                continue
            cost = n * card.usd_per_hour * HOURS_PER_MONTH
            note = (
                f"{n} x {card.name} at ${card.usd_per_hour}/h, {card.price_source or 'GPU table'}"
            )
            if best is None or cost < best[0]:
                best = (cost, note)
        if best is not None:
            return round(best[0], 0), best[1]
    return None, "no price recorded for the spec's GPUs"


@derived(
    "fit.memory_unknown_reason",
    "text",
    "why the memory fit cannot be decided (empty when it can): no size, no hardware, or a "
    "decoder's KV cache that its missing layers and heads leave unsized",
    MEM,
)
def _memory_unknown_reason(e: Env, *facts: Any) -> str:
    if facts[0] is None:
        return "the model's size is not recorded"
    if not e.cards and e.cpu_bytes is None:
        return "the spec states no GPUs or CPU memory"
    arch = Arch(*facts[:-1])
    if facts[-1] in DECODERS and kv_cache_bytes(arch, e.context) is None:
        return (
            f"its layers and attention heads are not recorded, so its KV cache at "
            f"{e.context:,} tokens cannot be sized"
        )
    return ""
