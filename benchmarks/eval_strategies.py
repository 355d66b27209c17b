"""Strategy development set from public sources: accuracy per strategy and the confusion matrix.

    python benchmarks/eval_strategies.py [--verbose]

Reads tests/strategy_scenarios.yaml (situations from papers, vendor documentation, case
studies and certification questions; the expected strategy decided from each source before any
run). A recommendation is correct when it is the expected strategy or one the scenario lists as
also acceptable. The holdout slice (never tuned on) is reported apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "strategy_scenarios.yaml"
AS_OF = dt.date(2026, 12, 1)


def evaluate() -> list[dict[str, Any]]:
    from fmadvisor.advise import advise
    from fmadvisor.catalog import load_embedded
    from fmadvisor.rules import load_rulebase
    from fmadvisor.rules.cases import merge
    from fmadvisor.spec import Spec

    doc = yaml.safe_load(SCENARIOS.read_text())
    catalog, rulebase = load_embedded(), load_rulebase()
    out = []
    for i, sc in enumerate(doc["scenarios"], start=1):
        row = {
            "n": i,
            "name": sc["name"],
            "expect": sc["expect"],
            "holdout": sc.get("slice") == "holdout",
            "accept": [sc["expect"], *(sc.get("accept") or [])],
        }
        try:
            spec = Spec.model_validate(merge(doc["base"], sc["spec"]))
            advice = advise(
                spec,
                catalog.candidates,
                rulebase,
                as_of=AS_OF,
                lookup=catalog.get,
                top=3,
                blocked_top=0,
            )
            row["got"] = advice.recommendation.recommended
        except Exception as exc:  # noqa: BLE001 (an internal error is a result the set must show)
            row["got"] = f"error: {exc!r}"
        row["ok"] = row["got"] in row["accept"]
        out.append(row)
    return out


def report(rows: list[dict[str, Any]]) -> str:
    lines = []
    for name, part in (
        ("dev", [r for r in rows if not r["holdout"]]),
        ("holdout", [r for r in rows if r["holdout"]]),
    ):
        ok = sum(r["ok"] for r in part)
        errors = sum(str(r["got"]).startswith("error") for r in part)
        lines.append(
            f"{name}: {ok}/{len(part)} correct ({100 * ok / max(1, len(part)):.0f}%), internal errors: {errors}"
        )
    per: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        per[r["expect"]].append(r["ok"])
    lines.append(
        "per expected strategy: "
        + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(per.items()))
    )
    confusion = Counter((r["expect"], r["got"]) for r in rows if not r["ok"])
    lines.append(
        "wrong (expected -> got): "
        + ", ".join(f"{e} -> {g}: {n}" for (e, g), n in confusion.most_common())
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    rows = evaluate()
    print(report(rows))
    if args.verbose:
        for r in rows:
            if not r["ok"]:
                tag = "[holdout] " if r["holdout"] else ""
                print(f"  #{r['n']} {tag}{r['name']}: expected {r['expect']}, got {r['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
