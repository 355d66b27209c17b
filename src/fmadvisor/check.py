"""The CI gate: the models a repository declares (`models:` in its spec) against the rule base, its
hardware and intended strategy, its lockfile, and its waivers. Pure: returns a report, never exits.

Findings come from:
- model rules: a rule that fires is a finding at its severity; a requirement that cannot be decided
  is a finding at its severity too (fail closed); an undecidable score rule is an `info` finding;
- strategy rules evaluated for the declared strategy on the declared model (severity medium and up);
- built-in checks (`BUILTIN`): lockfile drift and metadata availability.
Waivers turn matching findings into waived ones (counted apart, never failing the run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fmadvisor.vocab import FEASIBILITY_FACTORS, METHODS, WITH_METHODS, best_method
from fmadvisor.catalog import Catalog, staleness
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import DataUnavailableError
from fmadvisor.lockfile import Lock, drift, locked_metadata
from fmadvisor.rules import Rule, RuleBase
from fmadvisor.ranking import rank
from fmadvisor.roles import role_spec
from fmadvisor.scoring import FIRED, UNKNOWN, Scorer
from fmadvisor.spec import LoadedSpec
from fmadvisor.waivers import Waiver
from fmadvisor.gate_model import (  # noqa: F401  (re-exported: the formats import them from here)
    BUILTIN,
    RANK,
    STRATEGY_MIN_SEVERITY,
    BuiltinCheck,
    CheckReport,
    GateFinding,
    ModelCheck,
    apply_waivers,
    rule_info,
)


def check_spec(
    loaded: LoadedSpec,
    catalog: Catalog,
    rulebase: RuleBase,
    *,
    as_of: dt.date,
    fail_on: str = "high",
    lock: Lock | None = None,
    waivers: list[Waiver] | None = None,
    allow_unknown: bool = False,
    alternatives: int = 3,
) -> CheckReport:
    spec = loaded.spec
    if not spec.models:
        from fmadvisor.errors import Location, SpecError

        raise SpecError(
            "the spec declares no models (`models:`), so there is nothing to check; "
            "a gate that checks nothing must not pass",
            Location(loaded.path, 1, 1, "models"),
        )
    lookup = _lookup(catalog, lock)
    missing = [m.id for m in spec.models if lookup(m.id) is None]
    if missing and not allow_unknown:
        raise DataUnavailableError(
            f"no metadata for declared model(s) {', '.join(missing)} in the {catalog.source} catalog"
            + (" or the lockfile" if lock else "")
            + "; use --allow-unknown to report them as findings instead"
        )
    gate = _Gate(
        loaded,
        catalog,
        rulebase,
        as_of,
        lock,
        lookup,
        Scorer(spec, rulebase, as_of, "strategy", lookup=lookup),
    )
    models = [gate.check_model(i) for i in range(len(spec.models))]
    other = apply_waivers(models, waivers or [], as_of, loaded.path)
    report = CheckReport(
        loaded.path,
        fail_on,
        models,
        other,
        as_of,
        catalog.source,
        catalog.facts_as_of,
        lock.path if lock else None,
        waivers[0].file if waivers else None,
        [n for n in [staleness(catalog, as_of)] if n],
    )
    if alternatives:
        _suggest(report, loaded, catalog, rulebase, gate.scorer_for, as_of, alternatives)
    return report


@dataclass
class _Gate:
    """What judging one declared model needs: the spec, the catalog (and lock) to look models up,
    and one scorer per role the models are judged as."""

    loaded: LoadedSpec
    catalog: Catalog
    rulebase: RuleBase
    as_of: dt.date
    lock: Lock | None
    lookup: Callable[[str], Candidate | None]
    strategy_scorer: Scorer
    role_scorers: dict[str, Scorer] = field(default_factory=dict)

    def scorer_for(self, role: str | None, planned: str | None = None) -> Scorer:
        """A model is judged as its role (an embedding model in a RAG stack as a retrieval encoder),
        and the generator for the strategy it is declared with (`planned`: its first stage when it
        has one, whose checkpoint the plan starts from), as `score` ranks for the recommended one."""
        judged = role_spec(self.loaded.spec, role, self.rulebase.tables.thresholds)
        if judged is not self.loaded.spec:
            planned = None  # plan-reading rules are about the generator
        key = (judged.task.pipeline_tag, planned)
        if key not in self.role_scorers:
            self.role_scorers[key] = Scorer(
                judged,
                self.rulebase,
                self.as_of,
                "model",
                lookup=self.lookup,
                planned_strategy=planned,
            )
        return self.role_scorers[key]

    def check_model(self, index: int) -> ModelCheck:
        declared = self.loaded.spec.models[index]
        loc = self.loaded.source.locate(("models", index))
        candidate = self.lookup(declared.id)
        mc = ModelCheck(
            declared.id,
            declared.revision,
            declared.role,
            declared.strategy,
            loc.line,
            candidate.source if candidate else "none",
            first_stage=declared.first_stage,
        )

        def add(rule: str, severity: str, message: str, remediation: str, outcome: str, ev: Any):
            mc.findings.append(
                GateFinding(
                    rule,
                    severity,
                    mc.id,
                    declared.revision,
                    message,
                    remediation,
                    outcome,
                    ev,
                    self.loaded.path,
                    loc.line,
                    loc.column,
                )
            )

        if candidate is None:
            b = BUILTIN["check.metadata-unavailable"]
            message = f"No metadata for {declared.id}: nothing about it could be checked."
            add(b.id, b.severity, message, b.help, "unavailable", {})
            mc.rules_checked.append(b.id)
            return mc
        base = {
            "revision": declared.revision,
            "source": candidate.source,
            "facts_as_of": candidate.fetched or self.catalog.facts_as_of,
        }
        if candidate.id.lower() != declared.id.lower():  # found by an alias (a moved repository)
            b = BUILTIN["check.moved-repository"]
            message = (
                f"{declared.id} and {candidate.id} name one repository, which was renamed or moved "
                f"(the Hub redirects between them); checked as {candidate.id}."
            )
            add(b.id, b.severity, message, b.help, "moved", {**base, "current_id": candidate.id})
        mc.rules_checked.append("check.moved-repository")
        for rule, severity, message, outcome, values in self._rule_findings(mc, candidate):
            add(rule.id, severity, message, rule.remediation, outcome, {**base, **values})
        _drop_subsumed(mc, self.rulebase)
        if self.lock is not None:
            entry = self.lock.entries.get(declared.id.lower())
            for rule_id, message, evidence in drift(
                declared.id, declared.revision, candidate, entry
            ):
                b = BUILTIN[rule_id]
                add(rule_id, b.severity, message, b.help, "drift", {**base, **evidence})
            mc.rules_checked += [k for k in BUILTIN if k.startswith("lock.")]
        return mc

    def _rule_findings(
        self, mc: ModelCheck, candidate: Candidate
    ) -> list[tuple[Rule, str, str, str, dict[str, Any]]]:
        """The model rules for the model's role and, when it is the generator of a declared
        strategy, the strategy rules for that strategy on it; records what was checked."""
        scorer = self.scorer_for(mc.role, mc.first_stage or mc.strategy)
        mc.rules_checked += [a.rule.id for a in scorer.active]
        out = self._model_findings(scorer, candidate, (mc.strategy, mc.first_stage))
        if mc.strategy and scorer.spec is self.loaded.spec:  # judged on the generator
            met: frozenset[str] = frozenset()
            if mc.first_stage:
                # what the first stage is for is met by it; of the stage itself, whether it can
                # be carried out (its budget, compute, timeline, data and team rules)
                met = frozenset(self.rulebase.tables.strategies[mc.first_stage].first_stage_when)
                for message, rule, values in self._strategy_findings(mc.first_stage, candidate):
                    if rule.factor in FEASIBILITY_FACTORS:
                        out.append((rule, rule.severity, message, FIRED, values))
            for message, rule, values in self._strategy_findings(mc.strategy, candidate):
                if rule.id not in met:
                    out.append((rule, rule.severity, message, FIRED, values))
            mc.rules_checked += [a.rule.id for a in self.strategy_scorer.active]
        return out

    def _strategy_findings(
        self, strategy: str, candidate: Candidate
    ) -> list[tuple[str, Rule, dict[str, Any]]]:
        return _strategy_findings(
            strategy, candidate, self.loaded, self.rulebase, self.strategy_scorer, self.lookup
        )

    def _model_findings(
        self, scorer: Scorer, candidate: Candidate, strategies: tuple[str | None, str | None]
    ) -> list[tuple[Rule, str, str, str, dict[str, Any]]]:
        """The model rules that fired or could not be decided, with the severity the gate gives
        them (an undecided rule counts as its `unknown_severity`, or info unless it blocks)."""
        get = scorer.lookup(candidate)
        _, found = scorer.explain(candidate)
        out = []
        for f in found:
            rule = self.rulebase.get(f.rule)
            assert rule is not None
            if not _about(rule, strategies):
                continue
            if f.outcome == FIRED:
                severity = rule.severity
            elif f.outcome == UNKNOWN:
                severity = rule.unknown_severity or (rule.severity if rule.blocks else "info")
            else:
                continue
            out.append((rule, severity, f.message, f.outcome, _fields(rule, get)))
        return out


def _about(rule: Rule, strategies: tuple[str | None, str | None]) -> bool:
    """Whether a model rule concerns a model declared with (strategy, first stage): rules about
    training say which strategies they concern (a model served by RAG is not trained)."""
    strategy, first = strategies
    return (
        strategy is None
        or rule.declared_strategies is None
        or strategy in rule.declared_strategies
        or first in rule.declared_strategies
    )


def _drop_subsumed(mc: ModelCheck, rulebase: RuleBase) -> None:
    """A special case said once: a finding whose rule another finding's rule subsumes goes."""
    fired = {f.rule for f in mc.findings if f.outcome == FIRED}
    gone = {
        other
        for rule_id in fired
        for other in (rulebase.get(rule_id).subsumes if rulebase.get(rule_id) else ())
    }
    mc.findings[:] = [f for f in mc.findings if f.rule not in gone]


def _lookup(catalog: Catalog, lock: Lock | None) -> Callable[[str], Candidate | None]:
    """The catalog first; models only the lockfile knows come from its recorded metadata."""

    def get(model_id: str) -> Candidate | None:
        c = catalog.get(model_id)
        if c is None and lock is not None:
            entry = lock.entries.get(model_id.lower())
            if entry is not None:
                return locked_metadata(entry)
        return c

    return get


def _fields(rule: Rule, get: Callable[[str], Any]) -> dict[str, Any]:
    out = {}
    for name in rule.fields:
        value = get(name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _strategy_findings(
    strategy: str,
    candidate: Candidate,
    loaded: LoadedSpec,
    rulebase: RuleBase,
    scorer: Scorer,
    lookup: Callable[[str], Candidate | None],
) -> list[tuple[str, Rule, dict[str, Any]]]:
    """Strategy rules that fire for the declared strategy on the declared model (the best-fitting method)."""
    from fmadvisor.strategy.estimates import build_option

    env = scorer.env
    methods = METHODS if strategy in WITH_METHODS else (None,)
    scored = []
    for method in methods:
        option, _ = build_option(strategy, method, loaded.spec, env, [candidate], rulebase)
        scored.append((scorer.evaluate(option)[0], option))
    option = best_method(
        scored, candidate.params, rulebase.tables.thresholds
    )  # the tie-break `score` uses
    _, found = scorer.explain(option)
    get = scorer.lookup(option)
    out = []
    for f in found:
        rule = rulebase.get(f.rule)
        if (
            rule is not None
            and f.outcome == FIRED
            and RANK[rule.severity] >= RANK[STRATEGY_MIN_SEVERITY]
        ):
            out.append((f"strategy {strategy}: {f.message}", rule, _fields(rule, get)))
    return out


def _suggest(
    report: CheckReport,
    loaded: LoadedSpec,
    catalog: Catalog,
    rulebase: RuleBase,
    scorer_for: Callable[[str | None], Scorer],
    as_of: dt.date,
    limit: int,
) -> None:
    """Up to `limit` compliant alternatives for each failing model, of the same role, from the
    recommender's ranking for that role."""
    failing_models = {f.model.lower() for f in report.failing}
    by_role: dict[str | None, list[str]] = {}
    for mc in report.models:
        if mc.id.lower() not in failing_models:
            continue
        if mc.role not in by_role:
            scorer = scorer_for(mc.role)
            ranking = rank(
                scorer.spec,
                catalog.candidates,
                rulebase,
                as_of=as_of,
                top=limit,
                blocked_top=0,
                lookup=catalog.get,
            )
            compliant = []
            for c in ranking.leaders:
                if c.id.lower() in failing_models:
                    continue
                _, found = scorer.explain(c)
                worst = [
                    f for f in found if f.outcome == FIRED or (f.outcome == UNKNOWN and f.blocks)
                ]
                rules = [rulebase.get(f.rule) for f in worst]
                if all(r is None or RANK[r.severity] < RANK[report.fail_on] for r in rules):
                    compliant.append(c.id)
                if len(compliant) == limit:
                    break
            by_role[mc.role] = compliant
        mc.alternatives = by_role[mc.role]
