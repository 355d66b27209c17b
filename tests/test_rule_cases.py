"""Every rule's own pass/fail cases (rules/cases/*.yaml), discovered automatically."""

from __future__ import annotations


import pytest

from conftest import ROOT
from fmadvisor.errors import RuleError
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.cases import case_files, run_file

CASES = ROOT / "rules" / "cases"
STRICT = load_rulebase(profile="strict")  # a superset of default: every shipped rule
DEFAULT = load_rulebase()
RESULTS = [  # each case file runs with the profile it declares, as `fmadvisor rules test` does
    r
    for f in case_files(CASES)
    for r in run_file(f, lambda p: STRICT if p == "strict" else DEFAULT)
]


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


def test_rules_test_runs_each_file_with_its_profile(cli):
    code, out, err = cli("rules", "test", str(CASES))
    assert code == 0, out + err
    assert "0 failed" in err


def test_a_case_file_for_another_profile_is_refused_with_a_fixed_rulebase():
    with pytest.raises(RuleError, match="for profile 'strict'"):
        run_file(CASES / "strict.yaml", DEFAULT)


def test_rules_show_states_the_condition(cli):
    code, out, _ = cli("rules", "show", "customization.lora-needs-qlora")
    assert code == 0
    assert (
        "when: (spec.data.labeled_examples gte 100 or spec.needs.behaviour_change equals true)"
        in out
    )
    rule = next(r for r in DEFAULT.rules if r.applies is not None)
    code, out, _ = cli("rules", "show", rule.id)
    assert "\napplies: " in out and "\nwhen: " in out
