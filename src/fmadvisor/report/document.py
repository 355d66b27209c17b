"""The canonical score report document: JSON-ready, deterministic, built from the types in
`document_types.py` (the JSON Schema is generated from the same types)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TYPE_CHECKING

from fmadvisor import __version__
from fmadvisor.catalog import Catalog
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import InputError
from fmadvisor.rules import RuleBase
from fmadvisor.scoring import Ranking, RuleFinding
from fmadvisor.spec import LoadedSpec
from fmadvisor.strategy.recommend import Recommendation

if TYPE_CHECKING:
    from fmadvisor.document_types import (
        BlockedOut,
        BlockOut,
        CatalogOut,
        ErrorOut,
        EvidenceOut,
        FactorOut,
        FindingOut,
        ModelOut,
        ResultOut,
        RulesOut,
        ScoreReportOut,
        SelectionOut,
        StrategyOut,
        StrategyRankOut,
        ToolOut,
    )
else:
    # at run time a TypedDict call makes a plain dict: build it so, without creating the ~40 types
    # (5 ms of start-up; tests/test_formats.py checks these names are the document's types)
    BlockedOut = BlockOut = CatalogOut = ErrorOut = EvidenceOut = FactorOut = FindingOut = (
        ModelOut
    ) = ResultOut = RulesOut = ScoreReportOut = SelectionOut = StrategyOut = StrategyRankOut = (
        ToolOut
    ) = dict


def _license(c: Candidate) -> str | None:
    return c.license_name if c.license == "other" and c.license_name else c.license


MAX_EVIDENCE = 5  # results shown behind a model's capability factor (most widely compared first)


def _factor(name: str, f: Any, evidence: Any) -> FactorOut:
    out = FactorOut(
        score=f.score, weight=f.weight, confidence=f.confidence, reasons=list(f.reasons)
    )
    if name == "capability":
        shown = sorted(
            (e for e in evidence if e.percentile is not None),
            key=lambda e: (-e.peers, e.benchmark),
        )[:MAX_EVIDENCE]
        out["evidence"] = [
            EvidenceOut(
                benchmark=e.benchmark,
                metric=e.metric,
                value=e.value,
                setting=e.setting,
                source=e.source,
                date=e.date,
                percentile=e.percentile,
                peers=e.peers,
            )
            for e in shown
        ]
        out["reasons"] += [
            f"evidence: {e.benchmark} {e.metric} {e.value:g}, beats {e.percentile:.0%} of the "
            f"{e.peers} catalog models this source measured the same way ({e.source.split('@')[0]}"
            + (f", {e.date})" if e.date else ")")
            for e in shown
        ]
    return out


def _finding(f: RuleFinding) -> FindingOut:
    return FindingOut(
        rule=f.rule,
        factor=f.factor,
        severity=f.severity,  # type: ignore[typeddict-item]
        outcome=f.outcome,  # type: ignore[typeddict-item]
        message=f.message,
    )


def strategy_entry(rec: Recommendation) -> StrategyOut:
    return StrategyOut(
        recommended=rec.recommended,  # type: ignore[typeddict-item]
        fine_tuning_method=rec.fine_tuning_method,  # type: ignore[typeddict-item]
        flavour=rec.flavour,  # type: ignore[typeddict-item]
        shots=rec.shots,  # type: ignore[typeddict-item]
        ranking=[
            StrategyRankOut(
                id=e.option.id,  # type: ignore[typeddict-item]
                method=e.option.method,  # type: ignore[typeddict-item]
                score=e.score,
                confidence=e.confidence,
                reasons=e.reasons,
                estimate=e.estimate,  # type: ignore[typeddict-item]
                plan=e.plan,  # type: ignore[typeddict-item]
            )
            for e in rec.ranking
        ],
        stack=rec.stack,  # type: ignore[typeddict-item]
        assumptions=rec.assumptions,
        not_applicable=rec.not_applicable,  # type: ignore[typeddict-item]
        first_stage=rec.first_stage,  # type: ignore[typeddict-item]
    )


def result_entry(
    loaded: LoadedSpec, ranking: Ranking, rec: Recommendation | None = None
) -> ResultOut:
    spec = loaded.spec
    s = ranking.selection
    out = ResultOut(
        spec=loaded.path,
        project=spec.project.name,
        task=spec.task.pipeline_tag,
        selection=SelectionOut(
            catalog=s.catalog,
            task_fit=s.task_fit,
            included=s.included,
            excluded=s.excluded,
            over_max_params=s.over_max_params,
            eligible=ranking.eligible_count,
            blocked=ranking.blocked_count,
        ),
        models=[_model(m) for m in ranking.models],
        blocked=[
            BlockedOut(
                id=b.candidate.id,
                score=b.score,
                pipeline_tag=b.candidate.pipeline_tag,
                license=_license(b.candidate),
                params=b.candidate.params,
                source=b.candidate.source,
                blocked_by=[
                    BlockOut(rule=f.rule, severity=f.severity, message=f.message)
                    for f in b.blocked_by
                ],
            )
            for b in ranking.blocked
        ],
        notes=ranking.notes,
    )
    if rec is not None:
        out["strategy"] = strategy_entry(rec)
    return out


def _model(m: Any) -> ModelOut:
    c = m.candidate
    out = ModelOut(
        rank=m.rank,
        id=c.id,
        score=m.score,
        confidence=m.confidence,
        eligible=True,
        pipeline_tag=c.pipeline_tag,
        license=_license(c),
        params=c.params,
        source=c.source,
        factors={name: _factor(name, f, m.evidence) for name, f in m.factors.items()},
        findings=[_finding(f) for f in m.findings],
    )
    if c.params_basis is not None:
        out["params_basis"] = c.params_basis
    return out


def error_entry(spec_path: str, exc: InputError) -> ErrorOut:
    loc = exc.location
    return ErrorOut(
        spec=spec_path,
        line=loc.line if loc else 0,
        column=loc.column if loc else 0,
        field=loc.field if loc else "",
        message=exc.message,
    )


def build_score_report(
    results: list[ResultOut],
    errors: list[ErrorOut],
    *,
    catalog: Catalog,
    rulebase: RuleBase,
    as_of: dt.date,
    notes: list[str] | None = None,
) -> ScoreReportOut:
    from fmadvisor.report import SCHEMA_VERSION

    return ScoreReportOut(
        schema_version=SCHEMA_VERSION,
        tool=ToolOut(name="fmadvisor", version=__version__),
        as_of=as_of.isoformat(),
        catalog=CatalogOut(
            source=catalog.source, facts_as_of=catalog.facts_as_of, models=len(catalog)
        ),
        rules=RulesOut(
            profile=rulebase.profile, count=len(rulebase.rules), weights=rulebase.weights
        ),
        notes=notes or [],
        results=results,
        errors=errors,
    )
