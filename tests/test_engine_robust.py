"""The engine cannot crash on what a rule did not declare.

- Every shipped rule disabled in turn (as a user's `disable:` would), every example still scores.
- Random valid specs, over every task the spec accepts, score without an internal error.
- Rule cases run through the `Scorer` that `score` uses (see rules/cases.py), so what they test is
  what users get.
"""

from __future__ import annotations

import msgspec
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmadvisor import tasks
from fmadvisor.advise import advise
from fmadvisor.catalog import load_embedded
from fmadvisor.rules import load_rulebase
from fmadvisor.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AS_OF = dt.date(2026, 11, 22)
RULEBASE = load_rulebase()
CATALOG = load_embedded()


def _advise(spec: Spec, rulebase=RULEBASE):
    return advise(
        spec, CATALOG.candidates, rulebase, as_of=AS_OF, lookup=CATALOG.get, top=3, blocked_top=1
    )


@pytest.mark.parametrize("rule_id", [r.id for r in RULEBASE.rules])
def test_every_example_scores_with_any_one_rule_disabled(rule_id):
    rulebase = msgspec.structs.replace(
        RULEBASE, rules=tuple(r for r in RULEBASE.rules if r.id != rule_id)
    )
    for path in EXAMPLES:
        advice = _advise(load_spec(path).spec, rulebase)
        assert advice.recommendation is not None, path.name


def test_question_answering_with_a_knowledge_base_scores():
    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "qa"},
            "task": {"type": "question-answering", "languages": ["en"]},
            "data": {
                "knowledge": {"proprietary": True, "documents": 5000, "update_frequency": "weekly"}
            },
            "needs": {"citations": True},
        }
    )
    assert _advise(spec).ranking.models


_GPUS = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["L4", "A100-80GB", "H100", "T4", "A10G", "RTX 4090"]),
            "count": st.integers(1, 8),
        }
    ),
    max_size=2,
)
_SPECS = st.fixed_dictionaries(
    {
        "version": st.just(1),
        "project": st.just({"name": "generated"}),
        "task": st.fixed_dictionaries(
            {
                "type": st.sampled_from(tasks.known_tasks()),
                "languages": st.lists(
                    st.sampled_from(["en", "de", "zh", "sw", "ja"]), max_size=3, unique=True
                ),
                "scope": st.sampled_from(["narrow", "broad"]),
                "domain_shift": st.sampled_from(["low", "medium", "high"]),
            }
        ),
        "data": st.fixed_dictionaries(
            {
                "labeled_examples": st.integers(0, 10**7),
                "unlabeled_tokens": st.integers(0, 10**12),
                "knowledge": st.fixed_dictionaries(
                    {
                        "proprietary": st.booleans(),
                        "documents": st.integers(0, 10**6),
                        "update_frequency": st.sampled_from(["never", "monthly", "daily"]),
                    }
                ),
                "sensitive": st.lists(
                    st.sampled_from(["pii", "health", "financial"]), max_size=2, unique=True
                ),
                "provenance": st.sampled_from(["any", "documented", "licensed_only"]),
            }
        ),
        "needs": st.fixed_dictionaries(
            {
                "behaviour_change": st.booleans(),
                "citations": st.booleans(),
                "explainability": st.sampled_from(["none", "explainable", "interpretable"]),
                "context_tokens": st.sampled_from([512, 8192, 128000]),
            }
        ),
        "constraints": st.fixed_dictionaries(
            {
                "budget_usd": st.sampled_from([0, 500, 50000, 5_000_000]),
                "timeline_weeks": st.sampled_from([1, 8, 52]),
                "compute_gpu_hours": st.sampled_from([0, 100, 1_000_000]),
                "hardware": st.fixed_dictionaries({"gpus": _GPUS}),
                "deployment": st.sampled_from(["self_hosted", "on_prem", "cloud_api", "edge"]),
                "license": st.fixed_dictionaries({"commercial_use": st.booleans()}),
            }
        ),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SPECS)
def test_random_valid_specs_never_raise(doc):
    _advise(Spec.model_validate(doc))
