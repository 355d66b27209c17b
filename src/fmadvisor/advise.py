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

    `candidates` must be re-iterable (the embedding model of a RAG stack is picked from it too).
    """
    ranking = rank(
        spec, candidates, rulebase, as_of=as_of, top=top, blocked_top=blocked_top, lookup=lookup
    )
    rec = recommend(spec, ranking, rulebase, as_of=as_of, candidates=candidates, lookup=lookup)
    return Advice(ranking, rec)
