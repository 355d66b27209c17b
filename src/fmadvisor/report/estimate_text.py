"""`fmadvisor estimate` as text: memory by component and per GPU, speed, compute, GPU-hours, cost
and the assumptions behind them (the JSON document is `estimate_report.estimate_document`)."""

from __future__ import annotations

from typing import Any


def estimate_text(doc: dict[str, Any]) -> str:
    def gb(n: float | None) -> str:
        return "?" if n is None else f"{n / 1e9:,.1f} GB"

    m = doc["memory"]
    lines = [
        f"{doc['model'].get('id', 'model')} ({doc['model']['params']:,} parameters): {doc['mode']}, "
        f"{doc['dtype']}, {doc['context']} tokens x batch {doc['batch']}"
    ]
    lines.append(
        f"memory: {gb(m['total_bytes'])} total"
        + (
            f", {gb(m['per_gpu_bytes'])} per GPU on {doc['gpu']['count']} x {doc['gpu']['name']}: "
            + ("fits" if m["fits"] else "does NOT fit")
            + f" (headroom {gb(m['headroom_bytes'])})"
            if doc["gpu"]
            else ""
        )
    )
    for name, value in m["components"].items():
        if value:
            lines.append(f"  {name:<12} {gb(value):>12}")
    if m.get("pageable_bytes"):
        lines.append(
            f"  (of which {gb(m['pageable_bytes'])} paged optimizer state may spill to CPU)"
        )
    sp = doc.get("speed")
    if sp:
        decode = sp["decode_tokens_per_s"]
        prefill = sp["prefill_ms"]
        lines.append(
            f"speed on {sp['hardware']}: decode "
            + ("?" if decode is None else f"{decode:,.1f}")
            + " tokens/s at batch 1; prefill "
            + ("?" if prefill is None else f"{prefill:,.0f} ms")
            + f" for {doc['context']} tokens"
        )
    c = doc["compute"]
    if c["flops"]:
        lines.append(f"compute: {c['flops']:.3g} FLOPs over {c['tokens']:.3g} tokens")
    if doc["mode"] == "pretrain":
        lines.append(f"  compute-optimal tokens: {c['optimal_tokens']:.3g}")
    if c["gpu_hours"]:
        h = c["gpu_hours"]
        lines.append(
            f"  GPU-hours on {c['timed_on']}: {h['low']:,.0f} - {h['high']:,.0f} "
            f"(expected {h['expected']:,.0f})"
        )
        lines.append(
            "  cost: unknown (no price for this GPU)"
            if not c["cost_usd"]
            else f"  cost on {c['timed_on']}: ${c['cost_usd']['low']:,.0f} - "
            f"${c['cost_usd']['high']:,.0f}"
        )
    lines.append("assumptions:")
    lines += [f"  - {a}" for a in doc["assumptions"]]
    return "\n".join(lines)
