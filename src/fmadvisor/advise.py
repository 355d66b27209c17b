"""The main job, once: spec -> ranked candidates -> recommended strategy.

`score`, `ask` and `check` all call `advise`; the CLI only parses, calls, formats and exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules import RuleBase
from fmadvisor.ranking import rank
from fmadvisor.scoring import Ranking
from fmadvisor.spec import Spec
from fmadvisor.strategy.recommend import Recommendation, recommend
from fmadvisor.vocab import FROM_BASE, strategy_name


@dataclass(frozen=True)
class Advice:
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

    When the strategy starts from a base checkpoint (continued pre-training, pre-training), the
    models are ranked again for it (rules read `spec.plan.strategy`), and that ranking is kept when
    the recommendation stands on it. `candidates` must be re-iterable (the RAG stack's embedding
    model is picked from it too).
    """
    ranking = rank(
        spec, candidates, rulebase, as_of=as_of, top=top, blocked_top=blocked_top, lookup=lookup
    )
    rec = recommend(spec, ranking, rulebase, as_of=as_of, candidates=candidates, lookup=lookup)
    if rec.recommended in FROM_BASE:
        planned = rank(
            spec,
            candidates,
            rulebase,
            as_of=as_of,
            top=top,
            blocked_top=blocked_top,
            lookup=lookup,
            planned_strategy=rec.recommended,
        )
        again = recommend(
            spec, planned, rulebase, as_of=as_of, candidates=candidates, lookup=lookup
        )
        if again.recommended == rec.recommended:
            planned.notes.append(
                f"models ranked for {strategy_name(rec.recommended)}: base checkpoints first"
            )
            ranking, rec = planned, again
    return Advice(ranking, rec)
