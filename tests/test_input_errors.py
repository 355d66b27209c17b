"""Bad input is a located error with exit 2, never an exception; every error of a file is shown."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import spec_text
from fmadvisor.errors import InputError, SpecError
from fmadvisor.spec import parse_spec


def _error(text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_spec(text, "s.yaml")
    return info.value


@pytest.mark.parametrize(
    "section, field, words",
    [
        ("data: {labeled_examples: 1e400}", "data.labeled_examples", "must be at most"),
        ("data: {labeled_examples: '1e400'}", "data.labeled_examples", "must be at most"),
        ("data: {unlabeled_tokens: 1e30}", "data.unlabeled_tokens", "must be at most"),
        ("constraints: {timeline_weeks: 1e308}", "constraints.timeline_weeks", "at most 1,040"),
        ("constraints: {budget_usd: 1e400}", "constraints.budget_usd", "finite number"),
        ("constraints: {budget_usd: -1}", "constraints.budget_usd", "at least 0"),
        ("constraints: {max_model_age_months: 99999}", "constraints.max_model_age_months", "1,200"),
        ("needs: {max_latency_ms: 0}", "needs.max_latency_ms", "at least 1"),
        (
            "constraints: {hardware: {gpus: [{name: L4, count: 10000000}]}}",
            "constraints.hardware.gpus[0].count",
            "at most 100,000",
        ),
    ],
)
def test_out_of_range_numbers_are_located_errors(section, field, words):
    err = _error(spec_text(extra=section))
    assert err.location.field == field and err.location.line == 4
    assert words in err.message


def test_yaml_1_2_exponents_are_numbers():
    spec = parse_spec(spec_text(c="constraints: {budget_usd: 2e4, timeline_weeks: 1.5e1}")).spec
    assert spec.constraints.budget_usd == 20000.0 and spec.constraints.timeline_weeks == 15.0
    assert (
        parse_spec(spec_text(d="data: {labeled_examples: 3e3}")).spec.data.labeled_examples == 3000
    )


def test_overflow_through_the_cli_is_exit_2(cli, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(spec_text(d="data: {labeled_examples: 1e400}"))
    code, out, err = cli("score", str(p), "-f", "json")
    assert code == 2 and "internal error" not in err
    assert "s.yaml:4:26: data.labeled_examples: must be at most" in err


def test_every_error_of_a_file_is_reported_located(cli, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(
        spec_text(
            c="constraints:\n  budget_usd: lots\n  timeline_weeks: soon\n  deployment: cloud",
            d="data: {labeled_examples: -3}",
        )
    )
    err = _error(p.read_text())
    assert [e.location.line for e in err.all] == [5, 6, 7, 8]
    assert err.total == 4 and "more error" not in str(err)
    code, out, stderr = cli("score", str(p), "-f", "json")
    assert code == 2
    lines = stderr.splitlines()
    assert sum(line.startswith("error: ") for line in lines) == 4
    assert lines[-1] == "(4 errors)"
    import json

    assert len(json.loads(out)["errors"]) == 4


def test_errors_are_capped_with_a_count():
    body = "\n".join(f"      - {{name: L4, count: {-i - 1}}}" for i in range(30))
    err = _error(spec_text(c=f"constraints:\n  hardware:\n    gpus:\n{body}"))
    assert len(err.all) == 20 and err.total == 30
    assert "30 errors; the first 20 are shown" in str(err)


def test_literal_choices_offer_a_did_you_mean():
    err = _error(spec_text(d="data: {sensitive: [helth]}"))
    assert "did you mean 'health'?" in err.message


def test_quoted_iso_dates_are_dates(tmp_path):
    from fmadvisor import waivers

    p = tmp_path / "w.yaml"
    p.write_text(
        "version: 1\nwaivers:\n  - {rule: r.x, model: a/b, reason: ok, expires: '2026-12-31'}\n"
    )
    [w] = waivers.load(p, as_of=dt.date(2026, 6, 1), known_rules={"r.x"})
    assert w.expires == dt.date(2026, 12, 31)
    p.write_text("version: 1\nwaivers:\n  - {rule: r.x, model: a/b, reason: ok, expires: soon}\n")
    with pytest.raises(InputError) as info:
        waivers.load(p, as_of=dt.date(2026, 6, 1), known_rules={"r.x"})
    assert "YYYY-MM-DD" in info.value.message and info.value.location.line == 3


def test_rule_case_counts_read_like_spec_counts(tmp_path):
    from fmadvisor.rules import load_rulebase
    from fmadvisor.rules.cases import run_file

    p = tmp_path / "c.yaml"
    p.write_text(
        "version: 1\ncases:\n  - rule: license.unrecorded\n    name: x\n"
        "    model: {license: mit, params: 7e9}\n    expect: passes\n"
        "  - rule: license.unrecorded\n    name: y\n"
        "    model: {license: mit, params: 7B}\n    expect: passes\n"
    )
    assert all(r.ok for r in run_file(p, load_rulebase()))


def test_the_spec_schema_states_the_ranges():
    from fmadvisor.schemas import spec_schema
    from fmadvisor.spec import MAX_COUNT

    schema = spec_schema()
    text = str(schema)
    assert f"'maximum': {MAX_COUNT}" in text and "'maximum': 1040" in text


def test_text_that_yaml_reads_as_a_number_says_to_quote_it():
    err = _error(spec_text(m="models:\n  - {id: org/model, revision: 1234e56}"))
    assert err.location.field == "models[0].revision" and "write the text in quotes" in err.message
    spec = parse_spec(spec_text(m="models:\n  - {id: org/model, revision: '1234e56'}")).spec
    assert spec.models[0].revision == "1234e56"
