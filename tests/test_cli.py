"""The command line: exit codes, stdout vs stderr, formats, files."""

from __future__ import annotations

import csv
import re
import io
import json
import os
import subprocess
import sys

import jsonschema
import pytest

from fmadvisor.catalog import load_embedded
import yaml

from conftest import EXAMPLES, ROOT
from fmadvisor.schemas import report_schema, spec_schema

SUPPORT = str(EXAMPLES / "support-assistant.yaml")


def test_version(cli):
    code, out, err = cli("--version")
    assert code == 0 and out.startswith("fmadvisor ")


def test_score_json_is_valid_against_its_schema(cli):
    code, out, err = cli("score", SUPPORT, "-f", "json", "--as-of", "2026-11-22")
    assert code == 0, err
    doc = json.loads(out)  # stdout holds only the payload
    jsonschema.validate(doc, report_schema())
    assert doc["results"][0]["models"][0]["rank"] == 1
    assert doc["errors"] == []


def test_batch_with_an_invalid_spec_scores_the_rest_and_exits_2(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nproject: {name: x}\ntask: {type: chat}\nconstraints:\n "
        " hardware:\n    gpus:\n      - {name: L4, memory_gb: lots}\n"
    )
    code, out, err = cli("score", SUPPORT, str(bad), str(tmp_path / "missing.yaml"), "-f", "json")
    assert code == 2
    doc = json.loads(out)
    assert len(doc["results"]) == 1
    e = doc["errors"][0]
    assert (e["spec"], e["line"], e["column"], e["field"]) == (
        str(bad),
        7,
        31,
        "constraints.hardware.gpus[0].memory_gb",
    )
    assert "must be a number" in e["message"]
    assert doc["errors"][1]["message"] == "spec not found"
    assert f"{bad}:7:31: constraints.hardware.gpus[0].memory_gb: must be a number" in err


def test_folders_and_globs(cli, tmp_path):
    code, out, _ = cli("score", str(EXAMPLES), "-f", "json")
    assert code == 0 and len(json.loads(out)["results"]) == len(list(EXAMPLES.glob("*.yaml")))
    code, out, _ = cli("score", str(EXAMPLES / "c*.yaml"), "-f", "json")
    assert code == 0 and len(json.loads(out)["results"]) == len(list(EXAMPLES.glob("c*.yaml")))
    code, _, err = cli("score", str(tmp_path / "*.yaml"))
    assert code == 2 and "no file matches" in err


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_every_format_renders(cli, fmt):
    code, out, err = cli("score", SUPPORT, "-f", fmt, "--show-blocked")
    assert code == 0 and out.strip(), err
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["rank"] == "1" and {"factor_license", "blocked_by"} <= set(rows[0])
        assert any(r["eligible"] == "false" and r["blocked_by"] for r in rows)
    if fmt in ("table", "markdown"):
        assert "support-assistant" in out and "license" in out


def test_every_format_has_a_formatter():
    from fmadvisor.report import Format, formatter

    for fmt in Format:
        assert callable(formatter(fmt))


def test_output_file_is_written_atomically_and_format_follows_suffix(cli, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("previous")
    code, out, err = cli("score", SUPPORT, "-o", str(target))
    assert code == 0 and out == "" and "wrote" in err
    assert target.read_text().startswith("## support-assistant")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left behind
    code, _, err = cli("score", SUPPORT, "-o", str(tmp_path / "nodir" / "r.json"))
    assert code == 2 and "output folder does not exist" in err


def test_bad_rules_and_catalog_exit_2(cli, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("version: 1\nrules:\n  - {id: x.y, factor: cost}\n")
    code, out, err = cli("score", SUPPORT, "--rules", str(rules))
    assert code == 2 and out == "" and f"{rules}:3" in err
    code, _, err = cli("score", SUPPORT, "--catalog", str(tmp_path / "none.json"))
    assert code == 2 and "catalog file not found" in err
    code, _, err = cli("score", SUPPORT, "--as-of", "yesterday")
    assert code == 2 and "--as-of" in err


def test_user_rules_change_the_result(cli, tmp_path):
    rules = tmp_path / "no-qwen.yaml"
    rules.write_text(
        "version: 1\nrules:\n  - id: policy.no-qwen\n    factor: license\n    kind: requirement\n    severity: high\n"
        "    when: {field: model.id, glob: 'Qwen/*'}\n    message: 'Qwen models are not approved here'\n"
        "    remediation: use an approved model\n    rationale: internal policy\n"
    )
    code, out, _ = cli("score", SUPPORT, "-f", "json", "--rules", str(rules), "--top", "0")
    doc = json.loads(out)
    assert code == 0
    assert not any(m["id"].startswith("Qwen/") for m in doc["results"][0]["models"])
    assert any(b["blocked_by"][0]["rule"] == "policy.no-qwen" for b in doc["results"][0]["blocked"])


def test_models_commands(cli):
    code, out, _ = cli(
        "models",
        "list",
        "--task",
        "asr",
        "--license-class",
        "permissive",
        "--max-params",
        "300M",
        "-f",
        "json",
    )
    models = json.loads(out)["models"]
    assert code == 0 and models
    assert all(
        m["pipeline_tag"] == "automatic-speech-recognition" and m["params"] <= 300_000_000
        for m in models
    )
    code, out, _ = cli("models", "list", "--library", "timm", "-f", "json")
    assert code == 0 and {m["library"] for m in json.loads(out)["models"]} == {"timm"}
    timm = sum(1 for m in load_embedded() if m.library == "timm")
    code, out, _ = cli("models", "list", "--library", "timm")
    assert code == 0 and re.search(rf"{timm} of \d+ models", out)
    code, out, _ = cli("models", "show", "openai/clip-vit-base-patch32")
    assert code == 0 and "license " in out and "unknown" in out
    code, _, err = cli("models", "show", "google-bert/bert-base-uncasd")
    assert code == 3 and "did you mean google-bert/bert-base-uncased" in err


def test_rules_commands(cli, tmp_path):
    code, out, _ = cli("rules", "list", "-f", "json")
    assert code == 0 and len(json.loads(out)["rules"]) > 40
    code, out, _ = cli("rules", "show", "license.non-commercial")
    assert code == 0 and "rationale:" in out and "remediation:" in out
    code, _, err = cli("rules", "show", "license.non-comercial")
    assert code == 2 and "did you mean license.non-commercial" in err
    code, _, err = cli("rules", "validate")
    assert code == 0 and err.startswith("ok:")
    code, out, _ = cli("rules", "fields")
    assert code == 0 and "fit.serve_16bit" in out
    code, _, err = cli("rules", "test", str(ROOT / "rules" / "cases"), "--profile", "strict")
    assert code == 0 and " 0 failed" in err
    wrong = tmp_path / "c.yaml"
    wrong.write_text(
        "version: 1\ncases:\n  - {rule: license.unrecorded, name: wrong, model: {license: mit}, expect: fires}\n"
    )
    code, out, _ = cli("rules", "test", str(wrong))
    assert code == 1 and "expected fires, got passes" in out


def test_schema_spec_validates_every_example(cli):
    code, out, _ = cli("schema", "spec")
    schema = json.loads(out)
    assert code == 0 and "chatbot" in schema["$defs"]["Task"]["properties"]["type"]["enum"]
    for path in EXAMPLES.glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"version": 1, "project": {"name": "x"}, "task": {"type": "chat"}, "extra": 1}, schema
        )
    assert spec_schema() == schema


def test_init_writes_a_spec_that_scores_and_never_overwrites(cli, tmp_path):
    target = tmp_path / "fmadvisor.yaml"
    code, _, err = cli("init", str(target))
    assert code == 0 and target.exists()
    code, out, _ = cli("score", str(target), "-f", "json")
    assert code == 0 and json.loads(out)["results"][0]["project"] == "my-project"
    target.write_text("mine")
    code, _, err = cli("init", str(target))
    assert code == 2 and "exists" in err and target.read_text() == "mine"


def test_python_dash_m_and_no_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "b.yaml"
    bad.write_bytes(b"\xff\xfe garbage")
    env = {**os.environ, "NO_COLOR": "1"}
    p = subprocess.run(
        [sys.executable, "-m", "fmadvisor", "score", str(bad)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "not UTF-8" in p.stderr
    assert json.loads(p.stdout)["errors"][0]["message"].startswith(
        "not UTF-8"
    )  # not a terminal: JSON


def test_embedded_path_does_not_import_huggingface_hub():
    code = (
        f"import sys; from fmadvisor.cli import run; run(['score',{SUPPORT!r},'-f','json'])\n"
        "print('HUB' if any(m.startswith('huggingface_hub') for m in sys.modules) else 'NOHUB', file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stderr.strip().endswith("NOHUB")


def test_rules_test_on_a_folder_without_cases_fails_instead_of_passing(cli, tmp_path):
    code, out, err = cli("rules", "test", str(tmp_path))
    assert code == 2 and "no rule test cases found" in err and str(tmp_path) in err
