"""Reproduce each published measurement in tests/data/estimator_measurements.yaml with the estimator.

Used by tests/test_measurements.py and, run as a script, prints the table in docs/estimates.md:
    .venv/bin/python tests/measurements.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fmadvisor.estimate import (
    CUDA_CONTEXT,
    GB,
    STATES,
    Arch,
    compute,
    serve_memory,
    sharded_per_card,
    train_memory,
)
from fmadvisor.rules import load_rulebase
from fmadvisor.speed import decode_tokens_per_s, gpu_hours, peak_tflops, prefill_ms

DATA = Path(__file__).parent / "data"
SNAPSHOT = Path(__file__).parents[1] / "src" / "fmadvisor" / "catalog" / "snapshot.json"
GIB = 1024**3
METHOD = {"lora_memory_gb": "lora", "qlora_memory_gb": "qlora", "full_ft_memory_gb_per_gpu": "full"}


@dataclass(frozen=True)
class Result:
    id: str
    quantity: str
    published: float
    estimate: float | None
    tolerance: float
    holdout: bool
    bound: str | None
    skip: str | None
    source: str

    @property
    def error(self) -> float | None:
        if self.estimate is None:
            return None
        return self.estimate / self.published - 1

    @property
    def inside(self) -> bool:
        if self.estimate is None:
            return False
        if self.bound == "upper":
            return self.estimate <= self.published * (1 + self.tolerance)
        return abs(self.error or 0.0) <= self.tolerance


def _archs() -> dict[str, Arch]:
    archs: dict[str, Arch] = {}
    for m in json.loads(SNAPSHOT.read_text())["models"]:
        if m.get("params"):
            archs[m["id"]] = Arch(
                m["params"],
                m.get("active_params"),
                m.get("layers"),
                m.get("hidden_size"),
                m.get("attention_heads"),
                m.get("kv_heads"),
                m.get("vocab_size"),
                m.get("sliding_window"),
            )
    for model_id, a in yaml.safe_load((DATA / "model_archs.yaml").read_text())["models"].items():
        archs[model_id] = Arch(**a)
    return archs


def _published(item: dict[str, Any]) -> float:
    value = float(item["value"])
    unit = item["unit"]
    if unit == "GiB":
        return value * GIB / GB
    if unit == "s":
        return value * 1000  # prefill in ms
    return value


def _estimate(item: dict[str, Any], inp: dict[str, Any], arch: Arch, gpus: Any) -> float:
    q = item["quantity"]
    ctx = int(inp.get("context", 2048))
    batch = int(inp.get("batch", 1))
    cards = int(inp.get("cards", 1))
    gpu = gpus.gpu(inp["gpu"]) if "gpu" in inp else None
    if q == "inference_memory_gb":
        total = serve_memory(arch, inp["dtype"], ctx).total
        return (total - CUDA_CONTEXT if inp.get("no_cuda_context") else total) / GB
    if q in METHOD:
        m = train_memory(arch, METHOD[q], ctx, batch, dtype=inp.get("dtype", "bf16"))
        parts = m.components
        if inp.get("states_only"):
            parts = {k: v for k, v in parts.items() if k in STATES}
        if item.get("bound") == "upper":  # "fits on one card": what must stay on the GPU
            return m.resident / GB
        per = sharded_per_card(parts, cards) if inp.get("sharded") or cards > 1 else m.total
        return per * (cards if inp.get("total") else 1) / GB
    if q == "pretrain_gpu_hours":
        flops = compute(arch, "pretrain", float(inp["tokens"])).flops
        return gpu_hours(flops, peak_tflops(gpu), arch.hidden).expected  # type: ignore[arg-type]
    if q == "compute_optimal_tokens":
        return compute(arch, "pretrain").optimal_tokens
    if q == "decode_tokens_per_s":
        return decode_tokens_per_s(arch, inp["dtype"], gpu.memory_bandwidth_gbps, ctx, cards)
    if q == "prefill_ms":
        return prefill_ms(arch, ctx, peak_tflops(gpu), cards)  # type: ignore[arg-type]
    raise ValueError(q)


def results() -> list[Result]:
    items = yaml.safe_load((DATA / "estimator_measurements.yaml").read_text())["measurements"]
    inputs = yaml.safe_load((DATA / "measurement_inputs.yaml").read_text())["inputs"]
    archs = _archs()
    tables = load_rulebase().tables
    out = []
    for item in items:
        inp = inputs[item["id"]]
        skip = inp.get("skip")
        estimate = None
        if not skip:
            arch = (
                Arch(params=int(float(inp["params"])))
                if "params" in inp
                else archs[inp.get("model", item["model"])]
            )
            estimate = _estimate(item, inp, arch, tables)
        out.append(
            Result(
                item["id"],
                item["quantity"],
                _published(item),
                estimate,
                float(item["tolerance"]),
                bool(item.get("holdout")),
                item.get("bound"),
                skip,
                item["source"],
            )
        )
    return out


def markdown(rows: list[Result]) -> str:
    lines = [
        "| id | quantity | published | estimate | error | tolerance | inside | set |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        est = "-" if r.estimate is None else f"{r.estimate:.4g}"
        err = f"skipped: {r.skip}" if r.skip else f"{r.error:+.0%}"
        bound = f" ({r.bound})" if r.bound else ""
        lines.append(
            f"| {r.id} | {r.quantity}{bound} | {r.published:.4g} | {est} | {err} | "
            f"{r.tolerance:.0%} | {'-' if r.skip else ('yes' if r.inside else 'NO')} | "
            f"{'holdout' if r.holdout else 'calibration'} |"
        )
    return "\n".join(lines)


def summary(rows: list[Result]) -> str:
    parts = []
    for name, holdout in (("calibration", False), ("holdout", True)):
        done = [r for r in rows if r.holdout is holdout and not r.skip]
        skipped = sum(1 for r in rows if r.holdout is holdout and r.skip)
        inside = sum(1 for r in done if r.inside)
        parts.append(f"{name}: {inside}/{len(done)} inside tolerance ({skipped} skipped)")
    return "; ".join(parts)


if __name__ == "__main__":
    rows = results()
    print(markdown(rows))
    print()
    print(summary(rows))
