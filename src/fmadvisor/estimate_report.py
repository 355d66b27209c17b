"""The `estimate` document: memory, speed, compute and cost of one model and mode, as JSON-ready data.

Every figure names the hardware it is for; an unknown peak or price leaves GPU-hours or cost
unknown (never another GPU's figure).
"""

from __future__ import annotations

from typing import Any

from fmadvisor.estimate import (
    DEFAULT_CONTEXT,
    GB,
    MODES,
    TRAIN_CONTEXT,
    Arch,
    Memory,
    compute,
    per_card,
    serve_memory,
    serve_runtime,
    sharded_per_card,
    train_memory,
)
from fmadvisor.speed import (
    CPU_BANDWIDTH_GBPS,
    cpu_tokens_per_s,
    decode_tokens_per_s,
    gpu_hours,
    peak_tflops,
    prefill_ms,
)

COMPONENTS = (
    "weights",
    "kv_cache",
    "activations",
    "gradients",
    "optimizer",
    "adapters",
    "overhead",
)


def _memory(arch: Arch, mode: str, dtype: str, ctx: int, batch: int, on_gpu: bool) -> Memory:
    if mode == "inference":
        # Without a GPU the model is served on the CPU (as `_speed` times it): no CUDA context.
        return serve_memory(arch, dtype, ctx, batch, runtime=serve_runtime(on_gpu))
    method = "full" if mode == "pretrain" else mode
    return train_memory(arch, method, ctx, batch, dtype=dtype if mode != "qlora" else "bf16")


def _fit(
    mem: Memory, mode: str, gpu: Any, gpus: int, assumptions: list[str]
) -> tuple[float, bool | None, float | None]:
    """Per-card memory and fit: serving splits the model (tensor parallel); training shards
    weights, gradients and optimizer state (ZeRO-3 / FSDP) and keeps activations per card."""
    need = mem.resident
    if mode == "inference":
        per_gpu = per_card(need, gpus)
        layout = "split evenly over {n} GPUs (tensor parallel)"
    else:
        parts = dict(mem.components)
        parts["optimizer"] = parts.get("optimizer", 0.0) - mem.pageable
        per_gpu = sharded_per_card(parts, gpus)
        layout = (
            "sharded data parallel over {n} GPUs (ZeRO-3 / FSDP): weights, gradients and "
            "optimizer state split, activations and workspace on every card"
        )
    if gpu is None:
        return per_gpu, None, None
    if gpus > 1:
        assumptions.append(layout.format(n=gpus) + f"; fit judged per {gpu.name} card")
    card = float(gpu.memory_gb) * GB
    return per_gpu, per_gpu <= card, card - per_gpu


def _speed(arch: Arch, dtype: str, ctx: int, gpu: Any, gpus: int, notes: list[str]) -> dict:
    bandwidth = getattr(gpu, "memory_bandwidth_gbps", None) if gpu else None
    peak = peak_tflops(gpu) if gpu else None
    on = f"{gpus} x {gpu.name}" if gpu else "CPU"
    out: dict[str, Any] = {"hardware": on, "decode_tokens_per_s": None, "prefill_ms": None}
    if gpu is None:
        out["decode_tokens_per_s"] = round(cpu_tokens_per_s(arch, dtype, ctx), 1)
        notes.append(
            f"decode speed on CPU at {CPU_BANDWIDTH_GBPS} GB/s memory bandwidth (dual-channel "
            "DDR5-4800); prefill on CPU not estimated"
        )
        return out
    if bandwidth:
        out["decode_tokens_per_s"] = round(
            decode_tokens_per_s(arch, dtype, bandwidth, ctx, gpus), 1
        )
    if peak:
        out["prefill_ms"] = round(prefill_ms(arch, ctx, peak, gpus), 1)
    notes.append(
        f"speed on {on}: decode at batch 1 reads every weight and the KV cache per token "
        f"({bandwidth or 'unknown'} GB/s per card); prefill of {ctx} tokens at "
        f"{peak or 'unknown'} dense 16-bit TFLOPS"
    )
    return out


def _hours_and_cost(flops: float, arch: Arch, timed_on: Any, notes: list[str]) -> tuple[Any, Any]:
    peak = peak_tflops(timed_on) if timed_on is not None else None
    if not flops:
        notes.append("no compute estimate: give --tokens (tokens to train on or to process)")
        return None, None
    if not peak:
        notes.append(f"GPU-hours unknown: no dense 16-bit peak recorded for {timed_on.name}")
        return None, None
    h = gpu_hours(flops, peak, arch.hidden)
    hours = {"low": round(h.low, 1), "expected": round(h.expected, 1), "high": round(h.high, 1)}
    notes.append(
        f"GPU-hours on {timed_on.name} at {peak} dense 16-bit TFLOPS and {h.utilization:.0%} "
        "expected model FLOPs utilization (published runs fall within 0.7x-1.4x)"
    )
    price = timed_on.usd_per_hour
    if price is None:
        notes.append(f"cost unknown: no hourly price recorded for {timed_on.name}")
        return hours, None
    source = getattr(timed_on, "price_source", "") or "the GPU table"
    notes.append(
        f"cost at ${price}/GPU-hour for {timed_on.name} ({source}); set yours in a rules file"
    )
    return hours, {"low": round(h.low * price), "high": round(h.high * price)}


def estimate_document(
    arch: Arch,
    mode: str,
    *,
    model: dict[str, object],
    dtype: str = "bf16",
    context: int | None = None,
    batch: int = 1,
    tokens: float | None = None,
    gpu: Any | None = None,
    gpus: int = 1,
    reference: Any | None = None,
    notes: list[str] | None = None,
) -> dict[str, object]:
    """Memory, speed, compute and cost for one model and mode (`gpu`, `reference`: GPU table
    entries; GPU-hours and cost are for `gpu`, or for the reference GPU a job would rent)."""
    if mode not in MODES:
        raise ValueError(mode)
    assumptions = list(notes or [])
    ctx = context or (DEFAULT_CONTEXT if mode == "inference" else TRAIN_CONTEXT)
    mem = _memory(arch, mode, dtype, ctx, batch, gpu is not None)
    assumptions += mem.assumptions
    per_gpu, fits, headroom = _fit(mem, mode, gpu, gpus, assumptions)
    speed = _speed(arch, dtype, ctx, gpu, gpus, assumptions) if mode == "inference" else None
    comp = compute(arch, mode, tokens)
    assumptions += comp.assumptions
    timed_on = gpu if gpu is not None else reference
    hours, cost = _hours_and_cost(comp.flops, arch, timed_on, assumptions)
    return {
        "schema_version": 1,
        "mode": mode,
        "model": model,
        "dtype": "nf4" if mode == "qlora" else dtype,
        "context": ctx,
        "batch": batch,
        "gpu": None
        if gpu is None
        else {"name": gpu.name, "memory_gb": gpu.memory_gb, "count": gpus},
        "memory": {
            "total_bytes": round(mem.total),
            "pageable_bytes": round(mem.pageable),
            "per_gpu_bytes": round(per_gpu),
            "fits": fits,
            "headroom_bytes": None if headroom is None else round(headroom),
            "components": {k: round(mem.components.get(k, 0.0)) for k in COMPONENTS},
        },
        "speed": speed,
        "compute": {
            "flops": comp.flops,
            "tokens": comp.tokens,
            "optimal_tokens": comp.optimal_tokens,
            "timed_on": None if timed_on is None or not hours else timed_on.name,
            "gpu_hours": hours,
            "cost_usd": cost,
        },
        "assumptions": assumptions,
    }
