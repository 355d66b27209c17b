"""No dead spec fields (issue 12): every field of the spec is read by a rule, or the vocabulary's
`spec_fields_read_elsewhere` names the module that reads it (whose source mentions it) or says
why it is informational."""

from __future__ import annotations

import re

from conftest import ROOT
from fmadvisor import vocab
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.fields import SPEC_DERIVED, SPEC_FIELDS

ELSEWHERE = vocab._RAW["spec_fields_read_elsewhere"]
SRC = ROOT / "src" / "fmadvisor"


def _read_by_rules() -> set[str]:
    used: set[str] = set()
    for r in load_rulebase().rules:
        used.update(r.fields)
        texts = r.message + (r.pass_message or "") + (r.unknown_message or "")
        used.update(re.findall(r"\{(spec\.[a-z_.]+)\}", texts))
    return used


def test_every_spec_field_is_read_or_accounted_for():
    used = _read_by_rules()
    leaves = [k for k in SPEC_FIELDS if k not in SPEC_DERIVED]
    dead = [k for k in leaves if k not in used and k.removeprefix("spec.") not in ELSEWHERE]
    assert dead == []


def test_the_named_readers_do_read_them():
    for field, entry in ELSEWHERE.items():
        if entry["reader"] == "informational":
            assert entry["why"]
            continue
        source = (SRC / entry["reader"]).read_text()
        assert field.split(".")[-1] in source, f"{entry['reader']} does not mention {field}"


def test_the_list_names_only_fields_that_exist():
    leaves = {k.removeprefix("spec.") for k in SPEC_FIELDS}
    assert set(ELSEWHERE) <= leaves
