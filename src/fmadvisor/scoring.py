"""Scoring: (spec, candidates, rule base) -> ranked, explained results. Pure: no I/O, no printing.

1. Selection: candidates whose pipeline tag can serve the spec's task, minus `candidates.exclude`
   and models over `candidates.max_params`; models in `candidates.include` always join (unknown
   ones as all-unknown Candidates).
2. Rules are compiled once for the spec (spec-only conditions decided up front); each candidate is
   then evaluated on the model-dependent rest. A requirement that fires blocks the model.
3. Factor score = clamp(1 + sum of adjustments of rules that fired or could not be decided, 0, 1);
   model score = weighted sum of factor scores. Confidence = share of applicable checks that could
   be decided. Ranking: score, then confidence (both descending), then fewer parameters, then id.
4. Reasons are rendered only for the models reported (the hot loop computes numbers only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fmadvisor.catalog.candidate import Candidate, unknown_candidate
from fmadvisor.rules import Rule, RuleBase
from fmadvisor.rules.conditions import Compiler
from fmadvisor.rules.fields import Env, model_getter, spec_value
from fmadvisor.rules.template import render
from fmadvisor.spec import Spec

FIRED, PASSED, UNKNOWN = "fired", "passed", "unknown"


@dataclass(frozen=True)
class Finding:
    rule: str
    factor: str
    severity: str
    outcome: str  # fired | passed | unknown
    message: str
    blocks: bool = False


@dataclass
class FactorResult:
    score: float
    weight: float
    confidence: float
    reasons: list[str]


@dataclass
class ModelResult:
    rank: int
    candidate: Candidate
    score: float
    confidence: float
    eligible: bool
    factors: dict[str, FactorResult]
    findings: list[Finding]


@dataclass
class BlockedModel:
    candidate: Candidate
    blocked_by: list[Finding]
    score: float


@dataclass
class Selection:
    catalog: int
    task_fit: int
    included: int
    excluded: int
    over_max_params: int


@dataclass
class Ranking:
    """Everything `score` reports for one spec."""

    models: list[ModelResult]
    blocked: list[BlockedModel]
    selection: Selection
    eligible_count: int
    notes: list[str] = field(default_factory=list)


@dataclass
class _Active:
    rule: Rule
    cond: Any  # True | None | Evaluator
    factor: int


class Scorer:
    """Rules compiled for one spec; evaluates candidates against them."""

    def __init__(self, spec: Spec, rulebase: RuleBase, as_of: dt.date) -> None:
        self.spec = spec
        self.rulebase = rulebase
        self.env = Env(spec, rulebase.tables, as_of)
        self.factors = list(rulebase.weights)
        self.weights = [rulebase.weights[f] for f in self.factors]
        index = {f: i for i, f in enumerate(self.factors)}
        compiler = Compiler(self.env)
        self.active: list[_Active] = []
        for rule in rulebase.rules:
            cond: Any = True if rule.condition is None else compiler.compile(rule.condition)
            if cond is False:
                continue  # the spec makes this rule inapplicable
            self.active.append(_Active(rule, cond, index[rule.factor]))
        self.getters = compiler.getters()
        self.slot_names = list(compiler.slots)  # the order the compiled closures index values in
        self.applicable = [0] * len(self.factors)
        for a in self.active:
            self.applicable[a.factor] += 1
        self._spec_cache: dict[str, Any] = {}

    # -- hot path ------------------------------------------------------------------------------

    def evaluate(self, c: Candidate) -> tuple[float, float, bool]:
        """(score, confidence, blocked) for one candidate."""
        env = self.env
        vals = [g(c, env) for g in self.getters]
        adj = [0.0] * len(self.factors)
        unknown = 0
        blocked = False
        for a in self.active:
            cond = a.cond
            r = cond(vals) if callable(cond) else cond
            if r is True:
                rule = a.rule
                if rule.kind == "requirement":
                    blocked = True
                else:
                    adj[a.factor] += rule.adjust
            elif r is None:
                unknown += 1
                rule = a.rule
                adj[a.factor] += rule.unknown_adjust
                if rule.kind == "requirement" and rule.on_unknown == "block":
                    blocked = True
        score = 0.0
        for w, x in zip(self.weights, adj):
            s = 1.0 + x
            score += w * (0.0 if s < 0.0 else 1.0 if s > 1.0 else s)
        total = len(self.active)
        return score, (1.0 - unknown / total) if total else 1.0, blocked

    # -- explanations (for reported models only) -----------------------------------------------

    def lookup(self, c: Candidate) -> Callable[[str], Any]:
        def get(name: str) -> Any:
            if name.startswith("spec."):
                if name not in self._spec_cache:
                    self._spec_cache[name] = spec_value(name, self.env)
                return self._spec_cache[name]
            return model_getter(name)(c, self.env)
        return get

    def explain(self, c: Candidate) -> tuple[dict[str, FactorResult], list[Finding]]:
        get = self.lookup(c)
        vals = [get(name) for name in self.slot_names]
        adj = [0.0] * len(self.factors)
        unknown = [0] * len(self.factors)
        reasons: list[list[str]] = [[] for _ in self.factors]
        findings: list[Finding] = []
        for a in self.active:
            rule = a.rule
            r = a.cond(vals) if callable(a.cond) else a.cond
            if r is True:
                outcome, text = FIRED, render(rule.message, get)
                if not rule.blocks:
                    adj[a.factor] += rule.adjust
            elif r is None:
                outcome = UNKNOWN
                unknown[a.factor] += 1
                adj[a.factor] += rule.unknown_adjust
                text = render(rule.unknown_message, get) if rule.unknown_message else self._unknown_text(rule, get)
            else:
                outcome = PASSED
                text = render(rule.pass_message, get) if rule.pass_message else ""
            if text:
                prefix = {FIRED: "", UNKNOWN: "unknown: ", PASSED: "ok: "}[outcome]
                if outcome == FIRED and rule.blocks:
                    prefix = "blocked: "
                reasons[a.factor].append(prefix + text)
            if outcome != PASSED:
                findings.append(Finding(rule.id, rule.factor, rule.severity, outcome, text,
                                        blocks=rule.blocks and (outcome == FIRED or rule.on_unknown == "block")))
        factors = {}
        for i, name in enumerate(self.factors):
            s = 1.0 + adj[i]
            n = self.applicable[i]
            factors[name] = FactorResult(
                score=round(min(1.0, max(0.0, s)), 4), weight=round(self.weights[i], 4),
                confidence=round(1.0 - unknown[i] / n, 4) if n else 1.0,
                reasons=reasons[i] or (["no rule applies to this project"] if n == 0 else ["no concerns found"]),
            )
        return factors, findings

    def _unknown_text(self, rule: Rule, get: Callable[[str], Any]) -> str:
        missing = [f for f in rule.fields if not f.startswith("spec.") and get(f) is None]
        return f"could not check {rule.id}: {', '.join(missing) or 'a field'} unknown"


def select(spec: Spec, candidates: Iterable[Candidate], scorer: Scorer, lookup: Callable[[str], Candidate | None]) -> tuple[list[Candidate], Selection]:
    """The candidate pool for a spec (see module docstring)."""
    fit = scorer.env.fit_table
    exclude = {m.lower() for m in spec.candidates.exclude}
    include = [m for m in spec.candidates.include]
    max_params = spec.candidates.max_params
    pool: list[Candidate] = []
    n = matched = excluded = too_big = 0
    seen: set[str] = set()
    for c in candidates:
        n += 1
        if c.pipeline_tag not in fit:
            continue
        matched += 1
        key = c.id.lower()
        if key in exclude:
            excluded += 1
            continue
        if max_params is not None and c.params is not None and c.params > max_params:
            too_big += 1
            continue
        pool.append(c)
        seen.add(key)
    for model_id in include:
        if model_id.lower() in seen:
            continue
        pool.append(lookup(model_id) or unknown_candidate(model_id))
        seen.add(model_id.lower())
    return pool, Selection(n, matched, len(include), excluded, too_big)


def rank(spec: Spec, candidates: Sequence[Candidate], rulebase: RuleBase, *, as_of: dt.date,
         top: int | None = 10, lookup: Callable[[str], Candidate | None] | None = None,
         explain_blocked: bool = True) -> Ranking:
    """Rank `candidates` for `spec`; explain the `top` best eligible models (all when None)."""
    scorer = Scorer(spec, rulebase, as_of)
    by_id = {c.id.lower(): c for c in candidates} if lookup is None else None
    pool, selection = select(spec, candidates, scorer, lookup or (lambda m: by_id.get(m.lower()) if by_id else None))
    eligible: list[tuple[float, float, int, str, Candidate]] = []
    blocked: list[tuple[float, Candidate]] = []
    for c in pool:
        score, confidence, is_blocked = scorer.evaluate(c)
        if is_blocked:
            blocked.append((score, c))
        else:
            eligible.append((-round(score, 9), -round(confidence, 9), c.params if c.params is not None else 1 << 62, c.id, c))
    eligible.sort(key=lambda t: t[:4])
    chosen = eligible if top is None else eligible[:top]
    models = []
    for i, (neg_score, neg_conf, _, _, c) in enumerate(chosen, start=1):
        factors, findings = scorer.explain(c)
        models.append(ModelResult(i, c, round(-neg_score, 4), round(-neg_conf, 4), True, factors, findings))
    blocked.sort(key=lambda t: (-t[0], t[1].id))
    blocked_out = []
    if explain_blocked:
        for score, c in blocked:
            _, findings = scorer.explain(c)
            blocked_out.append(BlockedModel(c, [f for f in findings if f.blocks], round(score, 4)))
    notes = []
    if scorer.env.unknown_gpu_names:
        notes.append(f"GPU(s) {', '.join(scorer.env.unknown_gpu_names)} not in the GPU table and no memory_gb given: "
                     "left out of memory checks")
    return Ranking(models, blocked_out, selection, len(eligible), notes)
