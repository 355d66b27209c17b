"""Strategy development set from public sources: accuracy per strategy and the confusion matrix.

    python benchmarks/eval_strategies.py [--verbose]

Reads tests/strategy_scenarios.yaml (situations from papers, vendor documentation, case
studies and certification questions; the expected strategy decided from each source before any
run). A recommendation is correct when it is the expected strategy or one the scenario lists as
also acceptable. Slices are reported apart: dev (tuned on), holdout (every third scenario of the first
set, fixed before any run; its failures have been listed) and fresh (a later batch written by separate
writers who never ran the tool; `-v` lists its failures only with `--show-held-out`, so it stays unseen).
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
SLICES = ("dev", "holdout", "fresh")


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
            "slice": sc.get("slice", "dev"),
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


def report(rows: list[dict[str, Any]], show_held_out: bool = False) -> str:
    """Each slice's accuracy; the per-strategy counts and the confusion of the slices whose
    failures may be read (all of them with show_held_out)."""
    lines = []
    for name in SLICES:
        part = [r for r in rows if r["slice"] == name]
        if not part:
            continue
        ok = sum(r["ok"] for r in part)
        errors = sum(str(r["got"]).startswith("error") for r in part)
        lines.append(
            f"{name}: {ok}/{len(part)} correct ({100 * ok / max(1, len(part)):.0f}%), internal errors: {errors}"
        )
    readable = [r for r in rows if show_held_out or r["slice"] != "fresh"]
    per: dict[str, list[bool]] = defaultdict(list)
    for r in readable:
        per[r["expect"]].append(r["ok"])
    lines.append(
        "per expected strategy: "
        + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(per.items()))
    )
    confusion = Counter((r["expect"], r["got"]) for r in readable if not r["ok"])
    lines.append(
        "wrong (expected -> got): "
        + ", ".join(f"{e} -> {g}: {n}" for (e, g), n in confusion.most_common())
    )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--show-held-out", action="store_true", help="with -v, list the fresh slice's failures too"
    )
    args = ap.parse_args()
    rows = evaluate()
    print(report(rows, args.show_held_out))
    if args.verbose:
        for r in rows:
            if not r["ok"] and (r["slice"] != "fresh" or args.show_held_out):
                tag = "" if r["slice"] == "dev" else f"[{r['slice']}] "
                print(f"  #{r['n']} {tag}{r['name']}: expected {r['expect']}, got {r['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
