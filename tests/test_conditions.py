"""The condition language: operators, three-valued logic, partial evaluation, validation."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import spec_text
from fmadvisor.catalog.candidate import candidate_from_dict
from fmadvisor.rules.conditions import ConditionError, parse
from fmadvisor.rules.evaluate import Compiler
from fmadvisor.rules.fields import Env
from fmadvisor.spec import parse_spec


def evaluate(cond, model, rulebase, spec_extra=""):
    spec = parse_spec(spec_text(x=spec_extra)).spec
    compiler = Compiler(Env(spec, rulebase.tables, dt.date(2026, 1, 1)))
    compiled = compiler.compile(parse(cond))
    if not callable(compiled):
        return compiled
    c = candidate_from_dict({"id": "a/b", **model})
    return compiled([g(c, compiler.env) for g in compiler.getters()])


@pytest.mark.parametrize(
    "cond, model, expected",
    [
        ({"field": "model.params", "gt": 1e9}, {"params": 2_000_000_000}, True),
        ({"field": "model.params", "gt": 1e9}, {"params": 1}, False),
        ({"field": "model.params", "gt": 1e9}, {}, None),
        ({"field": "model.params", "lte": 5}, {"params": 5}, True),
        ({"field": "model.license", "in": ["mit", "apache-2.0"]}, {"license": "mit"}, True),
        ({"field": "model.license", "not_in": ["mit"]}, {"license": "mit"}, False),
        ({"field": "model.license", "equals": "mit"}, {}, None),
        ({"field": "model.license", "exists": False}, {}, True),
        ({"field": "model.license", "exists": True}, {}, False),
        ({"field": "model.languages", "contains": "de"}, {"languages": ["en", "de"]}, True),
        ({"field": "model.languages", "intersects": ["fr", "de"]}, {"languages": ["en"]}, False),
        ({"field": "model.datasets", "empty": True}, {"datasets": []}, True),
        ({"field": "model.id", "glob": "meta-llama/*"}, {}, False),
        (
            {"field": "model.architecture", "glob": "*ForCausalLM"},
            {"architecture": "LlamaForCausalLM"},
            True,
        ),
    ],
)
def test_operators(cond, model, expected, rulebase):
    assert evaluate(cond, model, rulebase) is expected


U = {"field": "model.params", "gt": 0}  # unknown for a model without params
T = {"field": "model.id", "exists": True}
F = {"field": "model.id", "exists": False}


@pytest.mark.parametrize(
    "cond, expected",
    [
        ({"all": [T, U]}, None),
        ({"all": [F, U]}, False),
        ({"all": [T, T]}, True),
        ({"any": [T, U]}, True),
        ({"any": [F, U]}, None),
        ({"any": [F, F]}, False),
        ({"not": U}, None),
        ({"not": T}, False),
    ],
)
def test_kleene_logic(cond, expected, rulebase):
    assert evaluate(cond, {}, rulebase) is expected


def test_spec_side_is_decided_at_compile_time(rulebase):
    cond = {
        "all": [
            {"field": "spec.needs.citations", "equals": True},
            {"field": "model.params", "gt": 1},
        ]
    }
    assert evaluate(cond, {}, rulebase) is False  # citations not asked: decided without the model
    assert evaluate(cond, {}, rulebase, "needs: {citations: true}") is None


def test_empty_spec_value_makes_a_comparison_inapplicable(rulebase):
    cond = {"field": "model.age_months", "gt": {"field": "spec.constraints.max_model_age_months"}}
    assert evaluate(cond, {"released": "2000-01"}, rulebase) is False
    assert (
        evaluate(cond, {"released": "2000-01"}, rulebase, "constraints: {max_model_age_months: 12}")
        is True
    )


@pytest.mark.parametrize(
    "cond, words",
    [
        (
            {"field": "model.parms", "gt": 1},
            "unknown field 'model.parms' (did you mean 'model.params'?)",
        ),
        ({"field": "model.params", "bigger": 1}, "unknown operator 'bigger'"),
        ({"field": "model.params", "gt": "7B"}, "needs a number value"),
        ({"field": "model.license", "gt": 1}, "does not apply to text field"),
        ({"field": "model.params", "gt": 1, "lt": 5}, "exactly one operator"),
        ({"all": []}, "non-empty list"),
        ({"all": [T], "any": [T]}, "must stand alone"),
        ({"field": "model.license", "in": {"field": "spec.project.name"}}, "needs a list value"),
        ("model.params > 7", "must be a mapping"),
    ],
)
def test_invalid_conditions(cond, words):
    with pytest.raises(ConditionError) as info:
        parse(cond)
    assert words in str(info.value)
