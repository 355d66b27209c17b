"""The fast spec path (spec_form) against the pydantic models it is derived from.

Contract: the form is rebuilt from the models (never edited by hand); whatever the fast path
accepts, the models accept with the same values and the same behaviour; whatever the models
reject, the fast path declines (returns None), so pydantic words the error. Checked on every spec
the project ships or tests with, and on documents generated around them.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import ROOT
from fmadvisor import spec_form
from fmadvisor.record import Record
from fmadvisor.rules.cases import BASE_SPEC, merge
from fmadvisor.spec import parse_spec
from fmadvisor.spec_model import Spec


def _shipped_specs() -> list[tuple[str, Any]]:
    out = []
    for path in sorted(
        [*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/fmadvisor/templates/*.yaml")]
    ):
        out.append((path.name, yaml.safe_load(path.read_text())))
    picks = yaml.safe_load((ROOT / "tests/model_pick_scenarios.yaml").read_text())
    out += [(f"pick:{s['name']}", s["spec"]) for s in picks["scenarios"]]
    strategies = yaml.safe_load((ROOT / "tests/strategy_scenarios.yaml").read_text())
    out += [
        (f"strategy:{s['name']}", merge(strategies["base"], s.get("spec") or {}))
        for s in strategies["scenarios"]
    ]
    for case_file in sorted((ROOT / "rules/cases").glob("*.yaml")):
        doc = yaml.safe_load(case_file.read_text())
        out += [
            (f"{case_file.name}:{i}", merge(BASE_SPEC, c.get("spec") or {}))
            for i, c in enumerate(doc.get("cases") or [])
        ]
    return out


SHIPPED = _shipped_specs()


def _models_verdict(data: Any) -> Spec | None:
    try:
        return Spec.model_validate(data)
    except (ValidationError, ValueError, TypeError):
        return None


def _assert_same(fast: Any, full: Spec) -> None:
    assert fast.model_dump() == full.model_dump()
    assert fast.task.pipeline_tag == full.task.pipeline_tag
    assert fast.task.resolved_modality == full.task.resolved_modality
    assert fast.data.has_sensitive == full.data.has_sensitive
    for deployment in ("edge", "cloud_api"):
        assert fast.constraints.hardware.owned(deployment) == full.constraints.hardware.owned(
            deployment
        )


def test_the_form_is_built_from_the_models_and_current():
    """Fails when spec_model/spec_types/vocabulary changed without `python -m fmadvisor.spec_form`."""
    assert spec_form.read_form_doc() == spec_form.build_form(), (
        "spec_form.json is stale: run python -m fmadvisor.spec_form"
    )
    assert spec_form.shipped_form() is not None


def test_a_stale_form_is_not_used(monkeypatch):
    monkeypatch.setattr(spec_form, "_FORM", [])
    monkeypatch.setattr(spec_form, "source_digest", lambda: "changed")
    assert spec_form.validate(SHIPPED[0][1]) is None
    loaded = parse_spec(yaml.safe_dump(SHIPPED[0][1]))  # still loads, through the models
    assert isinstance(loaded.spec, Spec)


def test_every_shipped_spec_takes_the_fast_path_with_the_models_values():
    assert len(SHIPPED) > 300
    declined = []
    for name, data in SHIPPED:
        full = _models_verdict(data)
        fast = spec_form.validate(data)
        if full is None:
            assert fast is None, name
            continue
        if fast is None:
            declined.append(name)
            continue
        _assert_same(fast, full)
    assert not declined, f"the fast path declined valid shipped specs: {declined[:5]}"


# Values that probe each kind of field: types, bounds, whitespace, counts, None, wrong shapes.
PROBES = [
    None, True, False, 0, 1, -1, 2, 7, 1.5, 0.0, -0.5, 1e308, math.inf, math.nan, 10**16, 10**400,
    "", " ", "x", " x ", "EN", "en", "7B", "1e3", "300k", "7.5", "text-generation", "chatbot",
    "narrow", "broad", "owned", "rented", "edge", "rag", "fine_tuning", "high", "best", "pii",
    "Qwen/Qwen2.5-7B-Instruct", "a..b", "main", "bad rev", "L4",
    [], ["en"], [" en "], ["EN", "de"], [1], ["pii", "none"], [{"name": "L4"}], [{"name": "L4", "count": 0}],
    {}, {"name": "L4"}, {"unknown": 1}, {"approach": "rag", "outcome": "promising"},
]  # fmt: skip


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    return out


def _field_paths() -> list[tuple]:
    doc = spec_form.read_form_doc()
    out: list[tuple] = []

    def walk(model: str, prefix: tuple) -> None:
        for field in doc["models"][model]["fields"]:
            path = (*prefix, field["name"])
            out.append(path)
            target = field["section"] or field["factory"]
            if target and target != "list":
                walk(target, path)

    walk(doc["root"], ())
    return out


FIELD_PATHS = _field_paths()


def _set(data: dict, path: tuple, value: Any) -> dict:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[path[-1]] = value
    return out


def _agrees(data, context) -> bool:
    """The fast path and the models agree on `data`: both refuse it, or the fast path declines it,
    or both accept it with the same values. True when the fast path decided it (accepted)."""
    full = _models_verdict(data)
    fast = spec_form.validate(data)
    if full is None:
        assert fast is None, context
        return False
    if fast is None:
        return False
    _assert_same(fast, full)
    return True


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    base=st.sampled_from([d for _, d in SHIPPED[:60]]),
    edits=st.lists(
        st.tuples(
            st.sampled_from(FIELD_PATHS + [("task", "nonsense"), ("extra",)]),
            st.sampled_from(PROBES),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_generated_documents_fast_path_agrees_with_the_models(base, edits):
    data = base
    for path, value in edits:
        data = _set(data, path, value)
    _agrees(data, (data,))


def test_records_are_read_only_and_copy_like_models():
    fast = spec_form.validate(SHIPPED[0][1])
    assert isinstance(fast, Record)
    with pytest.raises(AttributeError):
        fast.task.type = "other"  # type: ignore[misc]
    copied = fast.model_copy(update={"version": 1})
    assert copied == fast and copied is not fast
    narrowed = fast.task.model_copy(update={"scope": "narrow"})
    assert narrowed.scope == "narrow" and narrowed.pipeline_tag == fast.task.pipeline_tag


def test_invalid_spec_errors_still_come_from_the_models(tmp_path: Path):
    from fmadvisor.errors import SpecError
    from fmadvisor.spec import load_spec

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nproject: {name: x}\ntask: {type: text-generation}\nneeds: {quality: top}\n"
    )
    with pytest.raises(SpecError) as info:
        load_spec(bad)
    assert info.value.location.line == 4 and "quality" in str(info.value)


def test_every_single_edit_of_a_spec_agrees_with_the_models():
    """Each probe value in each field of a full spec: exhaustive for one edit at a time."""
    base = next(d for name, d in SHIPPED if name == "support-assistant.yaml")
    accepted = 0
    for path in [*FIELD_PATHS, ("task", "nonsense"), ("extra",)]:
        for value in PROBES:
            accepted += _agrees(_set(base, path, value), (path, value))
    assert accepted > 250  # the fast path decides most valid documents, not a handful


@pytest.mark.parametrize(
    "edits",
    [
        {("constraints", "hardware", "ownership"): "rented",
         ("constraints", "hardware", "owned_usd_per_month"): 100.0},
        {("candidates", "include"): ["org/m"], ("candidates", "exclude"): ["org/m"]},
        {("constraints", "training_hardware"): {"ownership": "rented", "owned_usd_per_month": 5}},
    ],
)  # fmt: skip
def test_cross_field_checks_run_on_the_fast_path(edits):
    data = SHIPPED[0][1]
    for path, value in edits.items():
        data = _set(data, path, value)
    assert _models_verdict(data) is None
    assert spec_form.validate(data) is None
