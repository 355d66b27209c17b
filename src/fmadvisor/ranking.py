"""Ranking: stream a catalog through a `Scorer` and keep the best, explained (see scoring's docstring
for selection, scores, confidence and the order). Memory does not grow with the catalog."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TYPE_CHECKING

import msgspec

from fmadvisor.catalog.candidate import Candidate, unknown_candidate
from fmadvisor.catalog.capability import capability, scoped
from fmadvisor.rules import RuleBase
from fmadvisor.scoring import LEADERS, BlockedModel, ModelResult, Ranking, Scorer, Selection
from fmadvisor.tasks import embeds_audio, embeds_images, model_fit, translation_model

if TYPE_CHECKING:
    from fmadvisor.rules.env import Env
    from fmadvisor.spec_model import Spec


def select(
    spec: Spec,
    candidates: Iterable[Candidate],
    scorer: Scorer,
    lookup: Callable[[str], Candidate | None],
    selection: Selection,
) -> Iterator[Candidate]:
    """Stream the candidate pool for a spec (see module docstring), counting into `selection`."""
    task, fit, spoken = scorer.env.pipeline_tag, scorer.env.fit_table, bool(scorer.env.languages)
    modality = spec.task.resolved_modality
    # embeddings of sounds or pictures: model_fit decides each candidate (text embedders serve none)
    sensory = embeds_audio(task, modality) or embeds_images(task, modality)
    exclude = {m.lower() for m in spec.candidates.exclude}
    include = {m.lower(): m for m in spec.candidates.include}
    max_params = spec.candidates.max_params
    named = bool(exclude or include)  # whether a candidate's names (id and aliases) are read
    seen: set[str] = set()
    n = matched = excluded = too_big = 0
    for c in candidates:
        n += 1
        tag = c.pipeline_tag
        # a tag the task's table takes serves it, except feature-extraction (a speech encoder shares
        # it with text embedders), any model when the spec embeds sounds or pictures and a
        # translation architecture's model (M2M-100 tagged text2text-generation); model_fit decides
        # those and the tags the table does not take
        if (
            tag not in fit
            or tag == "feature-extraction"
            or sensory
            or translation_model(c.architecture, c.model_type)
        ) and not model_fit(
            task, fit, tag, c.architecture, c.model_type, c.labels, spoken, c.library, modality
        ):
            continue
        matched += 1
        # a spec may name a model by another id of its repository (`gpt2`: Candidate.aliases)
        names = (c.id.lower(), *(a.lower() for a in c.aliases)) if named else ()
        if exclude and not exclude.isdisjoint(names):
            excluded += 1
            continue
        if max_params is not None and c.params is not None and c.params > max_params:
            too_big += 1
            continue
        if include:
            seen.update(include.keys() & names)
        yield c
    selection.catalog, selection.task_fit, selection.excluded, selection.over_max_params = (
        n,
        matched,
        excluded,
        too_big,
    )
    selection.included = len(include)
    for key, model_id in include.items():
        if key not in seen:
            c = lookup(model_id) or unknown_candidate(model_id)
            if c.id.lower() not in seen:  # two names of one repository yield it once
                seen.update((key, c.id.lower()))
                yield c


class _Worst:
    """Heap entry ordered in reverse, so a bounded heap keeps the best (smallest) keys."""

    __slots__ = ("key", "item")

    def __init__(self, key: tuple[Any, ...], item: Any) -> None:
        self.key = key
        self.item = item

    def __lt__(self, other: _Worst) -> bool:
        return self.key > other.key


def _keep(heap: list[_Worst], limit: int | None, key: tuple[Any, ...], item: Any) -> None:
    """Keep the `limit` smallest keys seen so far (all when limit is None) in O(limit) memory."""
    if limit is None or len(heap) < limit:
        heapq.heappush(heap, _Worst(key, item))
    elif heap and key < heap[0].key:
        heapq.heapreplace(heap, _Worst(key, item))


class Ordering(msgspec.Struct):
    """A ranking before its explanations: the scorer, the best eligible and blocked candidates in
    order, and the counts. `explain` turns it into the reported `Ranking`."""

    scorer: Scorer
    eligible: list[tuple[float, float, Candidate]]  # (score, confidence, model), best first
    blocked: list[tuple[float, Candidate]]  # (score, model), best first
    selection: Selection
    eligible_count: int
    blocked_count: int

    @property
    def leaders(self) -> list[Candidate]:
        return [c for _, _, c in self.eligible[:LEADERS]]


def rank(
    spec: Spec,
    candidates: Iterable[Candidate],
    rulebase: RuleBase,
    *,
    top: int | None = 10,
    **options: Any,
) -> Ranking:
    """Rank `candidates` for `spec`; explain the `top` best eligible models and the `blocked_top`
    best-scoring blocked ones (None: all). Counts always cover every candidate. `options` are
    `order`'s (as_of, blocked_top, lookup, planned_strategy)."""
    return explain(order(spec, candidates, rulebase, top=top, **options), top)


def order(
    spec: Spec,
    candidates: Iterable[Candidate],
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    top: int | None = 10,
    blocked_top: int | None = 10,
    lookup: Callable[[str], Candidate | None] | None = None,
    planned_strategy: str | None = None,
    reuse: Ordering | None = None,
    keep_rows: bool = False,
) -> Ordering:
    """Order `candidates` for `spec`, keeping the best `top` eligible (at least LEADERS) and the
    best `blocked_top` blocked ones (None: all); `reuse`: an ordering of the same spec and
    candidates for another planned strategy, whose outcomes are reused where no rule reads the plan;
    `keep_rows`: keep the candidates' value rows for such a later ordering.

    Streams: candidates are filtered and evaluated as they are read, and only the best ones are kept,
    so memory does not grow with the catalog (pass an iterator and a `lookup` to benefit).
    """
    if lookup is None:
        candidates = list(candidates)
        by_id = {c.id.lower(): c for c in candidates}
        lookup = lambda m: by_id.get(m.lower())  # noqa: E731
    scorer = Scorer(
        spec,
        rulebase,
        as_of,
        lookup=lookup,
        planned_strategy=planned_strategy,
        reuse=None if reuse is None else reuse.scorer,
        keep_rows=keep_rows,
    )
    tie_break = _tie_break(
        tie_mode(spec, scorer.env), scorer.env.capability_words, scorer.env.foreign_words
    )
    selection = Selection(0, 0, 0, 0, 0)
    stream = select(spec, candidates, scorer, lookup, selection)
    keep_eligible = None if top is None else max(top, LEADERS)
    eligible, blocked, counts = _keep_best(scorer, stream, tie_break, keep_eligible, blocked_top)
    return Ordering(scorer, eligible, blocked, selection, *counts)


def _keep_best(
    scorer: Scorer,
    stream: Iterable[Candidate],
    tie_break: Callable[[Candidate], tuple[float, ...]],
    keep_eligible: int | None,
    keep_blocked: int | None,
) -> tuple[list[Any], list[Any], tuple[int, int]]:
    """Evaluate every candidate of `stream`; the best eligible and blocked ones (in order, as many
    as asked; None: all) and how many of each there were."""
    eligible: list[_Worst] = []
    blocked: list[_Worst] = []
    eligible_count = blocked_count = 0
    evaluate = scorer.evaluate

    def full(heap: list[_Worst]) -> bool:
        return keep_eligible is not None and len(heap) >= keep_eligible

    for c in stream:
        score, confidence, is_blocked = evaluate(c)
        if is_blocked:
            blocked_count += 1
            _keep(blocked, keep_blocked, (-round(score, 9), c.id), (score, c))
        else:
            eligible_count += 1
            # Score rounded so that float noise cannot reorder ties (confidence is an exact fraction
            # of the same denominator); then the stated tie-break (see _tie_break), then by id.
            head = (-round(score, 9), -confidence)
            if full(eligible) and head > eligible[0].key[:2]:
                continue  # worse than every kept model whatever its tie-break: skip computing it
            _keep(eligible, keep_eligible, (*head, *tie_break(c), c.id), (score, confidence, c))
    best, worst = (sorted(heap, key=lambda w: w.key) for heap in (eligible, blocked))
    return [w.item for w in best], [w.item for w in worst], (eligible_count, blocked_count)


def explain(ordering: Ordering, top: int | None = 10) -> Ranking:
    """The reported ranking: the `top` best models explained (None: all kept), the blocked ones
    with the rules that blocked them, and the notes on ties."""
    scorer = ordering.scorer
    chosen = ordering.eligible if top is None else ordering.eligible[:top]
    models = [_explained(scorer, i, *item) for i, item in enumerate(chosen, start=1)]
    blocked_out = []
    for score, c in ordering.blocked:
        _, findings = scorer.explain(c)
        blocked_out.append(BlockedModel(c, [f for f in findings if f.blocks], round(score, 4)))
    notes = _tie_notes(models, scorer.spec.needs.quality, tie_mode(scorer.spec, scorer.env))
    if scorer.env.unknown_gpu_names:
        notes.append(
            f"GPU(s) {', '.join(scorer.env.unknown_gpu_names)} not in the GPU table and no memory_gb given: "
            "left out of memory checks"
        )
    return Ranking(
        models,
        blocked_out,
        ordering.selection,
        ordering.eligible_count,
        ordering.blocked_count,
        notes,
        ordering.leaders,
    )


def _explained(
    scorer: Scorer, rank_: int, score: float, confidence: float, c: Candidate
) -> ModelResult:
    """A reported model: its factors and findings, and the results its capability was read from."""
    factors, findings = scorer.explain(c)
    env = scorer.env
    evidence = scoped(c.evidence, env.capability_words, env.foreign_words)
    return ModelResult(
        rank_, c, round(score, 4), round(confidence, 4), True, factors, findings, evidence
    )


_NO_SIZE = 1 << 62
TIE_BREAK = {
    "best": "published capability, then larger first",
    "balanced": "published capability, then larger first (within a family, larger does better)",
    "balanced-latency": "published capability, then smaller first (a latency need on CPU or edge "
    "hardware: time per request grows with size)",
    "cheapest": "smaller first, then published capability",
}


def tie_mode(spec: Spec, env: Env) -> str:
    """Which TIE_BREAK orders equals: needs.quality, except that at balanced a latency need on
    CPU or edge hardware (where time per request follows size) puts the smaller first."""
    # the rules' environment is not on the CLI's hot paths (tests/test_cli_startup.py)
    from fmadvisor.rules.env import small_hardware

    quality = spec.needs.quality
    if quality == "balanced" and spec.needs.max_latency_ms and small_hardware(spec, env):
        return "balanced-latency"
    return quality


def _tie_break(
    quality: str, words: tuple[str, ...] = (), foreign: tuple[str, ...] = ()
) -> Callable[[Candidate], tuple[float, ...]]:
    """Order of models the rules leave at the same score and confidence (needs.quality decides)."""

    def key(c: Candidate) -> tuple[float, ...]:
        cap = capability(scoped(c.evidence, words, foreign))
        cap_key = -cap if cap is not None else 1.0  # known capability first, higher first
        size = c.params if c.params is not None else _NO_SIZE
        if quality == "best":
            return (cap_key, -size if c.params is not None else 0)
        if quality == "cheapest":
            return (size, cap_key)
        if quality == "balanced-latency":
            return (cap_key, size)
        # balanced: among models the rules and the published results leave equal, the larger
        # sibling first (the family prior: within a family and generation, larger does better)
        return (cap_key, -size if c.params is not None else 0)

    return key


def _tie_notes(models: list[ModelResult], quality: str, mode: str) -> list[str]:
    """Say where reported models tie, and how the tie was broken: nothing is ordered silently."""
    notes = []
    i = 0
    while i < len(models):
        j = i
        while j + 1 < len(models) and (models[j + 1].score, models[j + 1].confidence) == (
            models[i].score,
            models[i].confidence,
        ):
            j += 1
        if j > i:
            notes.append(
                f"ranks {models[i].rank}-{models[j].rank} tie at {models[i].score:.3f} with the same "
                f"confidence: ordered by {TIE_BREAK[mode]} (needs.quality: {quality})"
            )
        i = j + 1
    return notes
