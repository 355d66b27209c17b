"""Reasons are true: every spec value a reason cites ("data.knowledge.proprietary=true: ...") is the
spec's own value, for every example and every public strategy scenario (issue 12: a rule's pass
message was printed for specs that said the opposite)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import ROOT
from fmadvisor.advise import advise
from fmadvisor.catalog import load_embedded
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.cases import merge
from fmadvisor.spec import Spec, load_spec

CITED = re.compile(
    r"\b((?:task|data|needs|constraints|history)(?:\.[a-z_]+)+)=([^\s:;,)]+(?:,\d{3})*)"
)
CATALOG, RULEBASE = load_embedded(), load_rulebase()


def _specs():
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        yield path.stem, load_spec(path).spec
    doc = yaml.safe_load((ROOT / "tests" / "strategy_scenarios.yaml").read_text())
    for i, sc in enumerate(doc["scenarios"], start=1):
        yield f"public-{i}", Spec.model_validate(merge(doc["base"], sc["spec"]))


def _value(spec: Spec, path: str):
    obj = spec
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _same(cited: str, actual) -> bool:
    if isinstance(actual, bool):
        return cited == str(actual).lower()
    if isinstance(actual, (int, float)):
        return float(cited.replace(",", "")) == float(actual)
    return cited == str(actual)


@pytest.mark.parametrize(
    "name, spec", list(_specs()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_cited_spec_value_is_the_specs(name, spec):
    advice = advise(
        spec, CATALOG.candidates, RULEBASE, as_of=dt.date(2026, 12, 1), lookup=CATALOG.get, top=3
    )
    reasons = [r for e in advice.recommendation.ranking for r in e.reasons]
    reasons += [r for m in advice.ranking.models for f in m.factors.values() for r in f.reasons]
    wrong = []
    for reason in reasons:
        for path, cited in CITED.findall(reason):
            try:
                actual = _value(spec, path)
            except AttributeError:
                continue  # a derived name, not a spec field
            if not isinstance(actual, (bool, int, float, str)) or not _same(cited, actual):
                if isinstance(actual, (bool, int, float, str)):
                    wrong.append(f"{path}={cited} but the spec says {actual!r}: {reason[:120]}")
    assert wrong == []
