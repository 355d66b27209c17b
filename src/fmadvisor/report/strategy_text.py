"""Strategy section lines shared by the table and markdown formatters (plain text, no markup)."""

from __future__ import annotations

from typing import Any

from fmadvisor.vocab import METHOD_LABELS, strategy_name


def name(entry_or_id: dict[str, Any] | str, method: str | None = None) -> str:
    if isinstance(entry_or_id, dict):
        renamed = plan_name(entry_or_id)
        if renamed:
            return renamed
        sid, method = entry_or_id["id"], entry_or_id["method"]
    else:
        sid = entry_or_id
    return strategy_name(sid, method)


def money(r: dict[str, Any]) -> str:
    low, high = r["low"], r["high"]
    if low is None:
        return "not priced"
    if high is not None and high < 1:
        return "under $1 of compute"
    return f"${low:,.0f} - ${high:,.0f} of compute"


def plan_name(entry: dict[str, Any]) -> str | None:
    """The name the entry's plan gives the option when it differs from the strategy's own (in-context
    learning is zero-shot use of the pre-trained model where that model reads no prompt: image,
    audio and video tasks, a summarizer, a translator, an embedder), else None."""
    label = (entry.get("plan") or {}).get("label")
    if not label or label == strategy_name(entry["id"], entry["method"], long=True):
        return None
    return label[0].lower() + label[1:]


def headline(strategy: dict[str, Any]) -> str:
    top = strategy["ranking"][0]
    renamed = plan_name(top)
    extras = []
    if strategy["flavour"]:
        extras.append(", ".join(strategy["flavour"]))
    if strategy["shots"] and not renamed:
        extras.append(strategy["shots"])
    if strategy["stack"]:
        extras.append(
            f"generator {strategy['stack']['generator']}, embedding {strategy['stack']['embedding']}"
        )
    first = strategy.get("first_stage")
    stage = f"{strategy_name(first['id'])}, then " if first else ""
    return f"{stage}{name(top)}  {top['score']:.3f}" + (
        f"  ({'; '.join(extras)})" if extras else ""
    )


def first_stage_line(strategy: dict[str, Any]) -> str | None:
    """The first stage in one line: why, and its estimate (None when the plan has one stage)."""
    first = strategy.get("first_stage")
    if not first:
        return None
    entry = next((e for e in strategy["ranking"] if e["id"] == first["id"]), None)
    estimate = f" Estimate: {estimate_line(entry)}." if entry else ""
    return f"first stage, {strategy_name(first['id'])}: {first['reason']}{estimate}"


def estimate_line(entry: dict[str, Any]) -> str:
    e = entry["estimate"]
    parts = [money(e["cost_usd"]), f"{e['weeks']['low']:g}-{e['weeks']['high']:g} weeks"]
    if e["gpu_memory_bytes"]:
        where = e.get("hardware")
        yours = "it" if where and where.startswith("rented") else "your hardware"
        fit = {
            True: f"fits {yours}",
            False: f"does not fit {yours}",
            None: "hardware not stated",
        }[e["fits_hardware"]]
        if where and "CPU RAM" in where:
            place = f"in {where}"
        else:
            place = "per GPU" + (f" on {where}" if where else "")
        parts.append(f"~{e['gpu_memory_bytes'] / 1e9:.1f} GB {place}, {fit}")
    if e.get("compute_optimal"):
        c = e["compute_optimal"]
        parts.append(
            f"the compute budget ({c['basis']}) trains ~{c['params'] / 1e9:.1f}B parameters on "
            f"~{c['tokens'] / 1e9:.0f}B tokens, compute-optimal"
        )
    if e["base_model"]:
        parts.append(f"from {e['base_model']}")
    if e.get("methods"):
        parts.append(
            ", ".join(
                f"{METHOD_LABELS[m]} ~{v['gpu_memory_bytes'] / 1e9:.0f} GB "
                + {True: "fits", False: "does not fit", None: "fit unknown"}[v["fits_hardware"]]
                for m, v in e["methods"].items()
                if v["gpu_memory_bytes"]
            )
        )
    return "; ".join(parts)


def plan_lines(entry: dict[str, Any]) -> list[str]:
    p = entry["plan"]
    lines = [p["summary"], f"data: {p['data']['recommended']}; splits: {p['data']['splits']}"]
    if p["data"].get("chunking"):
        lines.append(f"chunking: {p['data']['chunking']}")
    lines += [f"risk: {r['risk']} -> {r['mitigation']}" for r in p["risks"]]
    lines.append("evaluate with: " + ", ".join(p["metrics"]))
    lines.append(
        "after launch: monitor "
        + "; ".join(p["lifecycle"]["monitor"])
        + f"; refresh: {p['lifecycle']['refresh']}"
    )
    return lines
