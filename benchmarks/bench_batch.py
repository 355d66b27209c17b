"""Batch scoring: many specs against the embedded catalog, as `fmadvisor score` does per spec
(rank + strategy recommendation). Reports specs per second and how time grows with the number of
specs and with the catalog size (both should be linear).

    python benchmarks/bench_batch.py [--specs 1000]
"""

from __future__ import annotations

import argparse
import msgspec
import datetime as dt
import random
import time
from pathlib import Path

import yaml

from fmadvisor.catalog import Catalog, load_embedded
from fmadvisor.rules import load_rulebase
from fmadvisor.ranking import rank
from fmadvisor.spec import Spec
from fmadvisor.strategy.recommend import best_embedding, recommend

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)


def specs(n: int, seed: int = 11) -> list[Spec]:
    """`n` specs: the examples with their data, needs and budgets varied."""
    rng = random.Random(seed)
    bases = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    out = []
    for i in range(n):
        doc = yaml.safe_load(yaml.safe_dump(rng.choice(bases)))
        doc["project"]["name"] = f"spec-{i}"
        doc.setdefault("data", {})["labeled_examples"] = rng.choice([0, 40, 300, 2000, 25000])
        doc.setdefault("needs", {})["behaviour_change"] = rng.random() < 0.3
        doc.setdefault("constraints", {})["budget_usd"] = rng.choice([500, 5000, 50000])
        out.append(Spec.model_validate(doc))
    return out


def catalog_times(k: int) -> Catalog:
    """The embedded catalog repeated k times under new ids (same facts, k x the candidates)."""
    base = load_embedded()
    copies = tuple(msgspec.structs.replace(c, id=f"{c.id}-copy{j}") for j in range(k) for c in base)
    return Catalog(copies, f"embedded x{k}", base.facts_as_of)


def run(batch: list[Spec], catalog: Catalog, rulebase) -> float:  # noqa: ANN001
    start = time.perf_counter()
    for spec in batch:
        ranking = rank(spec, catalog.candidates, rulebase, as_of=AS_OF, lookup=catalog.get)
        embedding = best_embedding(
            spec, catalog.candidates, rulebase, as_of=AS_OF, lookup=catalog.get
        )
        recommend(spec, ranking.leaders, rulebase, as_of=AS_OF, embedding=embedding)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--specs", type=int, default=1000)
    args = ap.parse_args()
    rulebase = load_rulebase()
    batch = specs(args.specs)
    embedded = load_embedded()
    total = run(batch, embedded, rulebase)
    print(
        f"{args.specs} specs x {len(embedded)} candidates: {total:.1f} s, {args.specs / total:.1f} specs/s"
    )
    print("growth with specs (embedded catalog):")
    for n in (args.specs // 4, args.specs // 2, args.specs):
        t = run(batch[:n], embedded, rulebase)
        print(f"  {n:5d} specs: {t:6.2f} s  ({t / n * 1000:.1f} ms per spec)")
    print("growth with candidates (100 specs):")
    for k in (1, 2, 4):
        cat = catalog_times(k)
        t = run(batch[:100], cat, rulebase)
        print(f"  {len(cat):5d} candidates: {t:6.2f} s  ({t / 100 * 1000:.1f} ms per spec)")


if __name__ == "__main__":
    main()
