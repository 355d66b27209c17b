"""The canonical score report document (plain dicts, JSON-ready, deterministic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fmadvisor import __version__
from fmadvisor.catalog import Catalog
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import InputError
from fmadvisor.rules import RuleBase
from fmadvisor.scoring import Ranking, RuleFinding
from fmadvisor.spec import LoadedSpec
from fmadvisor.strategy.recommend import Recommendation


def _model_facts(c: Candidate) -> dict[str, Any]:
    return {
        "pipeline_tag": c.pipeline_tag,
        "license": c.license_name if c.license == "other" and c.license_name else c.license,
        "params": c.params,
        "source": c.source,
    }


MAX_EVIDENCE = 5  # results shown behind a model's capability factor (most widely compared first)


def _factor(name: str, f: Any, evidence: Any) -> dict[str, Any]:
    out = {
        "score": f.score,
        "weight": f.weight,
        "confidence": f.confidence,
        "reasons": list(f.reasons),
    }
    if name == "capability":
        shown = sorted(
            (e for e in evidence if e.percentile is not None),
            key=lambda e: (-e.peers, e.benchmark),
        )[:MAX_EVIDENCE]
        out["evidence"] = [
            {
                "benchmark": e.benchmark,
                "metric": e.metric,
                "value": e.value,
                "setting": e.setting,
                "source": e.source,
                "date": e.date,
                "percentile": e.percentile,
                "peers": e.peers,
            }
            for e in shown
        ]
        out["reasons"] += [
            f"evidence: {e.benchmark} {e.metric} {e.value:g}, beats {e.percentile:.0%} of the "
            f"{e.peers} catalog models this source measured the same way ({e.source.split('@')[0]}"
            + (f", {e.date})" if e.date else ")")
            for e in shown
        ]
    return out


def _finding(f: RuleFinding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "factor": f.factor,
        "severity": f.severity,
        "outcome": f.outcome,
        "message": f.message,
    }


def strategy_entry(rec: Recommendation) -> dict[str, Any]:
    return {
        "recommended": rec.recommended,
        "fine_tuning_method": rec.fine_tuning_method,
        "flavour": rec.flavour,
        "shots": rec.shots,
        "ranking": [
            {
                "id": e.option.id,
                "method": e.option.method,
                "score": e.score,
                "confidence": e.confidence,
                "reasons": e.reasons,
                "estimate": e.estimate,
                "plan": e.plan,
            }
            for e in rec.ranking
        ],
        "stack": rec.stack,
        "assumptions": rec.assumptions,
        "not_applicable": rec.not_applicable,
    }


def result_entry(
    loaded: LoadedSpec, ranking: Ranking, rec: Recommendation | None = None
) -> dict[str, Any]:
    spec = loaded.spec
    s = ranking.selection
    return {
        "spec": loaded.path,
        "project": spec.project.name,
        "task": spec.task.pipeline_tag,
        "selection": {
            "catalog": s.catalog,
            "task_fit": s.task_fit,
            "included": s.included,
            "excluded": s.excluded,
            "over_max_params": s.over_max_params,
            "eligible": ranking.eligible_count,
            "blocked": ranking.blocked_count,
        },
        "models": [
            {
                "rank": m.rank,
                "id": m.candidate.id,
                "score": m.score,
                "confidence": m.confidence,
                "eligible": True,
                **_model_facts(m.candidate),
                "factors": {name: _factor(name, f, m.evidence) for name, f in m.factors.items()},
                "findings": [_finding(f) for f in m.findings],
            }
            for m in ranking.models
        ],
        "blocked": [
            {
                "id": b.candidate.id,
                "score": b.score,
                **_model_facts(b.candidate),
                "blocked_by": [
                    {"rule": f.rule, "severity": f.severity, "message": f.message}
                    for f in b.blocked_by
                ],
            }
            for b in ranking.blocked
        ],
        "notes": ranking.notes,
        **({"strategy": strategy_entry(rec)} if rec is not None else {}),
    }


def error_entry(spec_path: str, exc: InputError) -> dict[str, Any]:
    loc = exc.location
    return {
        "spec": spec_path,
        "line": loc.line if loc else 0,
        "column": loc.column if loc else 0,
        "field": loc.field if loc else "",
        "message": exc.message,
    }


def build_score_report(
    results: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    *,
    catalog: Catalog,
    rulebase: RuleBase,
    as_of: dt.date,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    from fmadvisor.report import SCHEMA_VERSION

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "fmadvisor", "version": __version__},
        "as_of": as_of.isoformat(),
        "catalog": {
            "source": catalog.source,
            "facts_as_of": catalog.facts_as_of,
            "models": len(catalog),
        },
        "rules": {
            "profile": rulebase.profile,
            "count": len(rulebase.rules),
            "weights": rulebase.weights,
        },
        "notes": notes or [],
        "results": results,
        "errors": errors,
    }
