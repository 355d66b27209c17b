"""Text views of catalog browsing (`models list|show`, `catalog audit|info`): what the CLI prints
when the format is not JSON."""

from __future__ import annotations

import json
from typing import Any


def models_table(rows: list[Any]) -> tuple[list[Any], list[list[str]]]:
    """The `models list` table's columns (with how each shrinks or drops on narrow terminals) and
    cells, one row per model."""
    from fmadvisor.report.table import Column
    from fmadvisor.report.text import size

    columns = [
        Column("model", shrink=32),
        Column("task", drop=3, shrink=16),
        Column("size", justify="right"),
        Column("license", shrink=12),
        Column("class", drop=4),
        Column("library", drop=5),
        Column("released", drop=6),
    ]
    cells = [
        [
            c.id,
            c.pipeline_tag or "?",
            size(c.params, c.params_basis is not None),
            c.license_name or c.license or "unknown",
            cls or "unknown",
            c.library or "?",
            c.released or "?",
        ]
        for c, cls in rows
    ]
    return columns, cells


def model_lines(
    facts: dict[str, Any], feeds: dict[str, list[str]], live: dict[str, Any] | None
) -> list[str]:
    """`models show`: one line per fact with the factors it feeds; revision and scan when live."""
    from fmadvisor.rules.template import show

    width = max(len(k) for k in facts)
    lines = []
    for key, value in facts.items():
        factors = f"   -> {', '.join(feeds[key])}" if key in feeds else ""
        lines.append(f"{key.ljust(width)}  {show(value)}{factors}")
    if live is not None:
        lines.append(f"{'revision'.ljust(width)}  {live.get('sha') or 'unknown'}")
        scan = live.get("security")
        shown = json.dumps(scan, default=str) if scan else "not reported"
        lines.append(f"{'security scan'.ljust(width)}  {shown}")
    return lines


def audit_lines(name: str, models: int, issues: list[Any]) -> list[str]:
    """`catalog audit`: one line per issue, then the totals."""
    errors = sum(1 for i in issues if i.level == "error")
    lines = [f"{i.level}: {i.model}: {i.field}: {i.message}" for i in issues]
    lines.append(f"{name}: {models} models; {errors} error(s), {len(issues) - errors} warning(s)")
    return lines


def cache_lines(info: dict[str, Any]) -> list[str]:
    """`catalog info`: what the local Hub cache holds."""
    lines = [
        f"cache:     {info['path']}",
        f"contents:  {info['age']}",
        f"endpoints: {', '.join(info['endpoints']) or 'none'}",
    ]
    for q in info["queries"]:
        lines.append(
            f"  {q['fetched_at']}  {q['endpoint']}  {json.dumps(q['query'])}  ({q['models']} models)"
        )
    if info["problem"]:
        lines.append(f"problem:   {info['problem']}")
    return lines
