"""Rule test cases: named pass/fail examples that every rule carries with it.

A case file:
    version: 1
    cases:
      - rule: license.non-commercial
        name: cc-by-nc blocks commercial use
        spec: {constraints: {license: {commercial_use: true}}}   # merged into a minimal spec
        model: {license: cc-by-nc-4.0}                           # a Candidate record (id optional)
        expect: fires          # fires | passes | unknown | inapplicable

`inapplicable` means the spec alone rules the rule out. The shipped rule base keeps its cases in
rules/cases/; `fmadvisor rules test PATH` runs a team's own.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fmadvisor.catalog.candidate import FIELDS, CandidateDataError, candidate_from_dict
from fmadvisor.errors import Location, RuleError
from fmadvisor.rules import RuleBase
from fmadvisor import spec_form
from fmadvisor.spec_logic import parse_count
from fmadvisor.spec_model import Spec
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.validation import IsoDate, located_error
from fmadvisor.vocab import StrategyId
from fmadvisor.yamlsource import load_file

BASE_SPEC: dict[str, Any] = {
    "version": 1,
    "project": {"name": "case"},
    "task": {"type": "text-generation"},
}
DEFAULT_AS_OF = dt.date(2026, 1, 1)
Expect = Literal["fires", "passes", "unknown", "inapplicable"]


class CaseDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    name: str = Field(min_length=1)
    spec: dict[str, Any] = Field(default_factory=dict)
    model: dict[str, Any] = Field(default_factory=dict)
    strategy: dict[str, Any] | None = (
        None  # for strategy rules: a StrategyOption record (id required)
    )
    catalog: list[dict[str, Any]] = Field(
        default_factory=list
    )  # other models the case can refer to (base models)
    expect: Expect
    as_of: IsoDate = DEFAULT_AS_OF
    planned_strategy: StrategyId | None = (
        None  # the strategy models are ranked for (spec.plan.strategy)
    )


class CaseFileDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    profile: str | None = None  # the shipped profile the cases are run with (default: the caller's)
    cases: list[CaseDoc] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    """One rule case's expected and actual outcome."""

    file: str
    line: int
    rule: str
    name: str
    expect: str
    got: str

    @property
    def ok(self) -> bool:
        return self.expect == self.got


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in `extra` replace those in `base`."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def outcome(
    rulebase: RuleBase,
    rule_id: str,
    spec: Spec,
    subject: dict[str, Any],
    as_of: dt.date,
    catalog: list[dict[str, Any]] | None = None,
    planned_strategy: str | None = None,
) -> str:
    """fires | passes | unknown | inapplicable for one rule, spec and model (or strategy) record.

    `inapplicable`: the spec alone, or the rule's `applies` condition, rules it out.
    """
    from fmadvisor.scoring import (
        Scorer,
    )  # the scorer `score` uses (imported here: scoring imports rules)

    rule = rulebase.get(rule_id)
    if rule is None:
        raise KeyError(rule_id)
    target = _subject(rule.target, subject)
    known = {r["id"].lower(): candidate_from_dict(r) for r in (catalog or [])}
    scorer = Scorer(
        spec,
        rulebase,
        as_of,
        target=rule.target,
        lookup=lambda model_id: known.get(model_id.lower()),
        planned_strategy=planned_strategy,
    )
    return scorer.rule_outcome(rule_id, target)


def _counts(record: dict[str, Any]) -> dict[str, Any]:
    """Counts as a spec writes them (7e9, "7B") in a case's model record."""
    out = dict(record)
    for name, value in record.items():
        annotation = FIELDS.get(name)
        if annotation is not None and "int" in annotation and not isinstance(value, bool):
            try:
                out[name] = parse_count(value)
            except ValueError as exc:
                raise CandidateDataError(f"'{name}' {exc}") from None
    return out


def _subject(target: str, record: dict[str, Any]) -> Any:
    if target == "model":
        return candidate_from_dict({"id": "case/model", **_counts(record)})
    try:
        return StrategyOption(**record)
    except TypeError as exc:
        raise CandidateDataError(f"strategy: {exc}") from None


def run_file(path: Path, rulebase: RuleBase | Callable[[str | None], RuleBase]) -> list[CaseResult]:
    """Run a case file. `rulebase` may be a function of the profile the file declares (None when
    it declares none), so each file runs with its own profile."""
    doc = load_file(path, kind="rule case file", error=RuleError)
    try:
        parsed = CaseFileDoc.model_validate(doc.data)
    except ValidationError as exc:
        raise located_error(exc, doc.source, CaseFileDoc, RuleError) from None
    if callable(rulebase):
        rulebase = rulebase(parsed.profile)
    elif parsed.profile is not None and parsed.profile != rulebase.profile:
        raise RuleError(
            f"the cases are for profile '{parsed.profile}', the rule base is '{rulebase.profile}'",
            doc.source.locate(("profile",)),
        )
    results = []
    for i, case in enumerate(parsed.cases):
        loc = doc.source.locate(("cases", i))
        if rulebase.get(case.rule) is None:
            raise RuleError(
                f"case names unknown rule '{case.rule}'", doc.source.locate(("cases", i, "rule"))
            )
        data = merge(BASE_SPEC, case.spec)
        try:  # as `score` reads a spec: the fast path where it decides, else the models
            spec = spec_form.validate(data) or Spec.model_validate(data)
        except ValidationError as exc:
            raise located_error(
                exc, doc.source, Spec, RuleError, prefix=("cases", i, "spec")
            ) from None
        rule = rulebase.get(case.rule)
        assert rule is not None
        if rule.target == "strategy" and case.strategy is None:
            raise RuleError(
                "a case for a strategy rule needs 'strategy:' (at least its id)",
                doc.source.locate(("cases", i)),
            )
        key = "strategy" if rule.target == "strategy" else "model"
        try:
            got = outcome(
                rulebase,
                case.rule,
                spec,
                case.strategy if rule.target == "strategy" else case.model,  # type: ignore[arg-type]
                case.as_of,
                case.catalog,
                case.planned_strategy,
            )
        except CandidateDataError as exc:
            raise RuleError(str(exc), doc.source.locate(("cases", i, key))) from None
        results.append(CaseResult(str(path), loc.line, case.rule, case.name, case.expect, got))
    return results


def case_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
    if not path.exists():
        raise RuleError("case file or folder not found", Location(str(path)))
    return [path]
