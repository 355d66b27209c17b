"""The main job, once: spec -> ranked candidates -> recommended strategy.

`score` and `ask` call `advise`; the CLI only parses, calls, formats and exits. (`check` judges the
models a repository declares with `check.check_spec`; its alternatives come from the same `rank`.)
"""

from __future__ import annotations

from typing import Any, TYPE_CHECKING

import datetime as dt
from collections.abc import Callable, Iterable

import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules import RuleBase
from fmadvisor.ranking import explain, order
from fmadvisor.results import RuleFinding
from fmadvisor.scoring import Ranking
from fmadvisor.strategy.recommend import Recommendation, best_embedding, recommend
from fmadvisor.vocab import SERIOUS, STRATEGY_KINDS, strategy_name

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


class Advice(msgspec.Struct, frozen=True):
    """What `advise` returns for one spec: the ranked models and the recommended strategy."""

    ranking: Ranking
    recommendation: Recommendation


def advise(
    spec: Spec,
    candidates: Iterable[Candidate],
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    lookup: Callable[[str], Candidate | None] | None = None,
    top: int | None = 10,
    blocked_top: int | None = 10,
) -> Advice:
    """Rank `candidates` for `spec` (the `top` best explained; None: all) and recommend a strategy.

    When the strategy starts from a particular checkpoint (base for continued pre-training and
    pre-training, instruct for prompting and RAG), the models are ranked again for it (rules read
    `spec.plan.strategy`), and that ranking is kept when the recommendation stands on it. A plan
    with a first stage (continued pre-training before fine-tuning) starts from the first stage's
    checkpoint, so the models are ranked for that stage.
    `candidates` must be re-iterable (the RAG stack's embedding model is picked from it too).
    """
    kw: dict[str, Any] = dict(as_of=as_of, top=top, blocked_top=blocked_top, lookup=lookup)
    first = order(spec, candidates, rulebase, keep_rows=True, **kw)
    embedding = best_embedding(spec, candidates, rulebase, as_of=as_of, lookup=lookup)
    rec = recommend(spec, first.leaders, rulebase, as_of=as_of, embedding=embedding)
    chosen, notes = first, []
    ranked_for = rec.first_stage["id"] if rec.first_stage else rec.recommended
    checkpoint = STRATEGY_KINDS[ranked_for].starts_from != "any"
    if checkpoint or ranked_for in rulebase.plan_strategies:
        planned = order(spec, candidates, rulebase, planned_strategy=ranked_for, reuse=first, **kw)
        # recommend depends on the models only through the leaders: the same leaders, the same advice
        same = planned.leaders == first.leaders
        again = (
            rec
            if same
            else recommend(spec, planned.leaders, rulebase, as_of=as_of, embedding=embedding)
        )
        # a strategy with no checkpoint of its own (fine-tuning) is said only when a rule moved a model
        moved = checkpoint or planned.eligible != first.eligible
        if again.recommended == rec.recommended and again.first_stage == rec.first_stage and moved:
            stage = (
                f", the first stage before {strategy_name(rec.recommended)}"
                if rec.first_stage
                else ""
            )
            notes.append(
                f"models ranked for {strategy_name(ranked_for)}{stage}: checkpoints suited to it"
                " first (rules reading spec.plan.strategy, e.g. instruct for prompting, base for"
                " continued pre-training and code completion)"
            )
            chosen, rec = planned, again
    ranking = explain(chosen, top)
    ranking.notes.extend(notes)
    unmet = unmet_needs(ranking, rec, rulebase)
    if unmet:
        _discount_unmet(ranking, rec, rulebase.tables.thresholds.get("unmet_need_confidence", 1.0))
    ranking.notes[:0] = unmet
    return Advice(ranking, rec)


def _discount_unmet(ranking: Ranking, rec: Recommendation, factor: float) -> None:
    """A pick that leaves a need unmet is less certain advice, whatever its checks decided: the
    confidence reported for each model that leaves the top model's unmet need unmet too (not the
    first alone: two models tied on score and confidence stay tied in the report), and for the
    recommended strategy."""
    if ranking.models:
        unmet = {f.rule for f in ranking.models[0].findings if _serious_fired(f)}
        for m in ranking.models:
            if unmet & {f.rule for f in m.findings if _serious_fired(f)}:
                m.confidence = round(m.confidence * factor, 4)
    if rec.ranking:
        rec.ranking[0].confidence = round(rec.ranking[0].confidence * factor, 4)


def _serious_fired(f: RuleFinding) -> bool:
    return f.outcome == "fired" and f.severity in SERIOUS


def unmet_needs(ranking: Ranking, rec: Recommendation, rulebase: RuleBase) -> list[str]:
    """Needs that even the best pick does not meet, said first, with what to do instead: a
    high-severity rule that fires on the top model (models ranked below it mostly leave it unmet
    too; `_discount_unmet` checks each) or on the recommended strategy."""
    notes = []
    if ranking.models:
        top = ranking.models[0]
        for f in top.findings:
            rule = rulebase.get(f.rule)
            if _serious_fired(f) and rule is not None:
                notes.append(f"unmet need: {f.message} Best available: {rule.remediation}")
    elif ranking.blocked:
        reasons = sorted({f.message for b in ranking.blocked[:3] for f in b.blocked_by})
        notes.append("unmet need: no candidate is eligible: " + " / ".join(reasons[:3]))
    if rec.ranking:
        best = rec.ranking[0]
        for f in best.findings:
            rule = rulebase.get(f["rule"])
            if f["outcome"] == "fired" and rule is not None and rule.severity in SERIOUS:
                notes.append(
                    f"unmet need ({strategy_name(best.option.id)}): {f['message']} {rule.remediation}"
                )
    return notes
