"""Every rule's own pass/fail cases (rules/cases/*.yaml), discovered automatically."""

from __future__ import annotations


import pytest

from conftest import ROOT
from fmadvisor.errors import RuleError
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.cases import case_files, run_file

CASES = ROOT / "rules" / "cases"
STRICT = load_rulebase(profile="strict")  # a superset of default: every shipped rule
RESULTS = [r for f in case_files(CASES) for r in run_file(f, STRICT)]


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: f"{r.rule}: {r.name}")
def test_case(result):
    assert result.got == result.expect, f"{result.file}:{result.line}"


def test_every_rule_has_a_firing_and_a_passing_case():
    fires = {r.rule for r in RESULTS if r.expect == "fires"}
    passes = {r.rule for r in RESULTS if r.expect in ("passes", "inapplicable")}
    for rule in STRICT.rules:
        assert rule.id in fires, f"{rule.id} has no case where it fires"
        assert rule.id in passes, f"{rule.id} has no case where it does not fire"


def test_a_wrong_expectation_is_reported(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text(
        "version: 1\ncases:\n  - {rule: license.unrecorded, name: wrong, model: {license: mit}, expect: fires}\n"
    )
    [result] = run_file(p, STRICT)
    assert not result.ok and result.got == "passes" and result.line == 3


def test_case_files_are_validated(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("version: 1\ncases:\n  - {rule: no.such, name: x, expect: fires}\n")
    with pytest.raises(RuleError, match="unknown rule"):
        run_file(p, STRICT)
    p.write_text(
        "version: 1\ncases:\n  - {rule: license.unrecorded, name: x, spec: {task: {type: 3}}, expect: fires}\n"
    )
    with pytest.raises(RuleError) as info:
        run_file(p, STRICT)
    assert info.value.location.line == 3
