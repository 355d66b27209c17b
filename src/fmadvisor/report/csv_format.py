"""CSV: one row per (spec, model), ranked models first, then blocked ones; factor scores as columns."""

from __future__ import annotations

import csv
import io
from typing import Any

from fmadvisor.report import RenderOptions


def render_csv(document: dict[str, Any], options: RenderOptions) -> str:
    factors = list(document["rules"]["weights"])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "spec",
            "project",
            "rank",
            "model",
            "score",
            "confidence",
            "eligible",
            "license",
            "params",
            *[f"factor_{f}" for f in factors],
            "blocked_by",
            "recommended_strategy",
            "first_stage",
        ]
    )
    for r in document["results"]:
        for m in r["models"]:
            w.writerow(
                [
                    r["spec"],
                    r["project"],
                    m["rank"],
                    m["id"],
                    m["score"],
                    m["confidence"],
                    "true",
                    m["license"] or "",
                    m["params"] if m["params"] is not None else "",
                    *[m["factors"][f]["score"] for f in factors],
                    "",
                    _strategy(r),
                    _first_stage(r),
                ]
            )
        for b in r["blocked"]:
            w.writerow(
                [
                    r["spec"],
                    r["project"],
                    "",
                    b["id"],
                    b["score"],
                    "",
                    "false",
                    b["license"] or "",
                    b["params"] if b["params"] is not None else "",
                    *[""] * len(factors),
                    ";".join(x["rule"] for x in b["blocked_by"]),
                    _strategy(r),
                    _first_stage(r),
                ]
            )
    return out.getvalue()


def _strategy(result: dict[str, Any]) -> str:
    s = result.get("strategy")
    if not s:
        return ""
    return s["recommended"] + (f":{s['fine_tuning_method']}" if s["fine_tuning_method"] else "")


def _first_stage(result: dict[str, Any]) -> str:
    first = (result.get("strategy") or {}).get("first_stage")
    return first["id"] if first else ""
