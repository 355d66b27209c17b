"""The CI gate end to end over fixture repositories: exit codes, findings, waivers, lockfile drift,
offline use, and every output format checked for the structure its consumers require."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT

AS_OF = "2026-11-22"
BASE = """\
version: 1
project: {name: gate-test, description: Answers from manuals.}
task: {type: text-generation, languages: [en]}
data:
  labeled_examples: 300
  knowledge: {proprietary: true, documents: 5000, update_frequency: daily}
constraints:
  hardware: {gpus: [{name: L4, count: 1}]}
  license: {commercial_use: true}
models:
"""


def repo(tmp_path, models: str, extra: str = ""):
    (tmp_path / "fmadvisor.yaml").write_text(
        BASE + textwrap.indent(textwrap.dedent(models), "  ") + extra
    )
    return tmp_path


def run(cli, tmp_path, *args):
    return cli("check", str(tmp_path / "fmadvisor.yaml"), "--as-of", AS_OF, *args)


def test_a_compliant_declaration_passes(cli, tmp_path):
    repo(tmp_path, "- {id: Qwen/Qwen2.5-7B-Instruct, role: generator, strategy: rag}\n")
    code, out, err = run(cli, tmp_path, "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["passed"] and "PASSED" in err
    assert doc["models"][0]["line"] == 11 and doc["models"][0]["rules_checked"] > 40


def test_a_non_commercial_model_fails_with_evidence_and_alternatives(cli, tmp_path):
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    code, out, _ = run(cli, tmp_path, "-f", "json")
    assert code == 1
    doc = json.loads(out)
    model = doc["models"][0]
    finding = next(f for f in model["findings"] if f["rule"] == "license.non-commercial")
    assert finding["severity"] == "high" and finding["location"] == {
        "file": str(tmp_path / "fmadvisor.yaml"),
        "line": 11,
        "column": 5,
    }
    ev = finding["evidence"]
    assert (
        ev["model.license_commercial"] is False
        and ev["revision"] == "main"
        and ev["source"] == "embedded"
        and ev["facts_as_of"]
    )
    assert finding["remediation"]
    assert (
        1 <= len(model["alternatives"]) <= 3
        and "CohereForAI/aya-expanse-8b" not in model["alternatives"]
    )


def test_fail_on_threshold(cli, tmp_path):
    repo(
        tmp_path,
        "- {id: meta-llama/Llama-3.1-8B-Instruct, role: generator, strategy: rag}\n",
        "  \nneeds: {fairness_audit: true}\n".replace("  \n", ""),
    )
    assert run(cli, tmp_path, "-f", "json")[0] == 0  # only medium and below
    assert run(cli, tmp_path, "-f", "json", "--fail-on", "low")[0] == 1
    code, _, err = run(cli, tmp_path, "--fail-on", "severe")
    assert code == 2 and "--fail-on" in err


def test_declared_strategy_is_checked(cli, tmp_path):
    repo(
        tmp_path,
        "- {id: Qwen/Qwen2.5-7B-Instruct, role: generator, strategy: in_context_learning}\n",
    )
    code, out, _ = run(cli, tmp_path, "-f", "json")
    rules = {f["rule"] for f in json.loads(out)["models"][0]["findings"]}
    assert (
        code == 1 and "strategy.changing-knowledge" in rules
    )  # knowledge changes daily; prompting cannot follow


def test_fine_tuning_weights_that_cannot_be_trained_here(cli, tmp_path):
    repo(
        tmp_path,
        "- {id: meta-llama/Llama-3.3-70B-Instruct, role: generator, strategy: fine_tuning}\n",
    )
    code, out, _ = run(cli, tmp_path, "-f", "json")
    rules = {f["rule"] for f in json.loads(out)["models"][0]["findings"]}
    assert code == 1 and "strategy.does-not-fit-hardware" in rules


def test_a_spec_without_models_is_an_error(cli, tmp_path):
    (tmp_path / "fmadvisor.yaml").write_text(BASE.replace("models:\n", ""))
    code, out, err = run(cli, tmp_path)
    assert code == 2 and "declares no models" in err and out == ""


def test_unknown_model_fails_closed_unless_allowed(cli, tmp_path):
    repo(tmp_path, "- {id: acme/private-llm, role: generator}\n")
    code, _, err = run(cli, tmp_path)
    assert code == 3 and "acme/private-llm" in err
    code, out, _ = run(cli, tmp_path, "--allow-unknown", "-f", "json")
    finding = json.loads(out)["models"][0]["findings"][0]
    assert code == 1 and finding["rule"] == "check.metadata-unavailable"


def test_another_id_of_a_moved_repository_is_checked_as_the_catalogued_one(cli, tmp_path):
    repo(
        tmp_path,
        """\
        - {id: CohereLabs/aya-expanse-8b, role: generator, strategy: rag}
        - {id: gpt2, role: generator, strategy: rag}
        - {id: openai-community/gpt2, role: generator, strategy: rag}
        """,
    )
    code, out, _ = run(cli, tmp_path, "-f", "json")
    models = json.loads(out)["models"]
    moved = [
        [f["message"] for f in m["findings"] if f["rule"] == "check.moved-repository"]
        for m in models
    ]
    assert code == 1 and moved == [
        [
            "CohereLabs/aya-expanse-8b and CohereForAI/aya-expanse-8b name one repository, which was "
            "renamed or moved (the Hub redirects between them); checked as CohereForAI/aya-expanse-8b."
        ],
        [
            "gpt2 and openai-community/gpt2 name one repository, which was renamed or moved (the Hub "
            "redirects between them); checked as openai-community/gpt2."
        ],
        [],
    ]
    # the catalogued repository's facts: the licence and size rules judge it as under its own id
    assert "license.non-commercial" in {f["rule"] for f in models[0]["findings"]}
    assert {f["rule"] for f in models[1]["findings"]} - {"check.moved-repository"} == {
        f["rule"] for f in models[2]["findings"]
    }


def test_waivers_expired_and_unused(cli, tmp_path):
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    (tmp_path / "fmadvisor-waivers.yaml").write_text(
        textwrap.dedent("""\
        version: 1
        waivers:
          - rule: license.non-commercial
            model: CohereForAI/aya-expanse-8b
            reason: research pilot only
            owner: ml@example.com
            expires: 2027-01-31
          - rule: maintenance.gated-not-allowed
            model: CohereForAI/aya-expanse-8b
            reason: access granted
            expires: 2027-01-31
          - {rule: license.denied, model: nobody/nothing, reason: stale, expires: 2027-01-31}
        """)
    )
    code, out, _ = run(cli, tmp_path, "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["counts"]["waived"] == 1
    waived = next(f for f in doc["models"][0]["findings"] if f["rule"] == "license.non-commercial")
    assert waived["waived"]["reason"] == "research pilot only"
    unused = [f for f in doc["other_findings"] if f["rule"] == "waiver.unused"]
    assert {f["evidence"]["waiver_rule"] for f in unused} == {
        "maintenance.gated-not-allowed",
        "license.denied",
    }
    # the same waiver, expired: the finding is back and names it
    code, out, _ = cli(
        "check", str(tmp_path / "fmadvisor.yaml"), "--as-of", "2027-02-15", "-f", "json"
    )
    finding = next(
        f for f in json.loads(out)["models"][0]["findings"] if f["rule"] == "license.non-commercial"
    )
    assert code == 1 and finding["waived"] is None and "expired 2027-01-31" in finding["message"]
    assert finding["expired_waiver"]["owner"] == "ml@example.com"
    # --no-waivers ignores them all
    assert run(cli, tmp_path, "--no-waivers", "-f", "json")[0] == 1


@pytest.mark.parametrize(
    "waiver, words, line",
    [
        ("- {rule: license.non-commercial, model: a/b, expires: 2027-01-31}", "reason", 3),
        ("- {rule: license.non-commercial, model: a/b, reason: x}", "expires", 3),
        ("- {rule: license.nope, model: a/b, reason: x, expires: 2027-01-31}", "unknown rule", 3),
        (
            "- {rule: license.non-commercial, model: a/b, reason: x, expires: 2099-01-31}",
            "horizon",
            3,
        ),
    ],
)
def test_invalid_waivers_are_located(cli, tmp_path, waiver, words, line):
    repo(tmp_path, "- {id: Qwen/Qwen2.5-7B-Instruct}\n")
    (tmp_path / "fmadvisor-waivers.yaml").write_text(f"version: 1\nwaivers:\n  {waiver}\n")
    code, _, err = run(cli, tmp_path)
    assert code == 2 and words in err and f"fmadvisor-waivers.yaml:{line}:" in err


def test_lockfile_drift(cli, tmp_path):
    repo(tmp_path, "- {id: org/model, role: generator, strategy: rag}\n")
    before = {
        "facts_as_of": "2026-01",
        "models": [
            {
                "id": "org/model",
                "pipeline_tag": "text-generation",
                "license": "apache-2.0",
                "gated": False,
                "params": 7000000000,
                "library": "transformers",
            }
        ],
    }
    after = json.loads(json.dumps(before))
    after["models"][0].update(
        {
            "license": "cc-by-nc-4.0",
            "gated": True,
            "params": 8000000000,
            "superseded_by": "org/model-v2",
        }
    )
    (tmp_path / "before.json").write_text(json.dumps(before))
    (tmp_path / "after.json").write_text(json.dumps(after))
    code, _, err = cli(
        "lock",
        str(tmp_path / "fmadvisor.yaml"),
        "--catalog",
        str(tmp_path / "before.json"),
        "--as-of",
        AS_OF,
    )
    assert code == 0 and (tmp_path / "fmadvisor.lock").exists()
    assert run(cli, tmp_path, "--catalog", str(tmp_path / "before.json"), "-f", "json")[0] == 0
    code, out, _ = run(cli, tmp_path, "--catalog", str(tmp_path / "after.json"), "-f", "json")
    rules = {f["rule"] for f in json.loads(out)["models"][0]["findings"]}
    assert code == 1
    assert {
        "lock.license-changed",
        "lock.became-gated",
        "lock.superseded",
        "lock.metadata-changed",
    } <= rules


def test_offline_with_and_without_a_lockfile(cli, tmp_path):
    """A model no catalog has is checked from the lockfile's recorded metadata; without one, exit 3."""
    repo(tmp_path, "- {id: org/model, role: generator, strategy: rag}\n")
    catalog = {
        "models": [
            {
                "id": "org/model",
                "pipeline_tag": "text-generation",
                "license": "apache-2.0",
                "gated": False,
                "params": 7000000000,
                "library": "transformers",
            }
        ]
    }
    (tmp_path / "c.json").write_text(json.dumps(catalog))
    assert run(cli, tmp_path, "--offline")[0] == 3
    cli(
        "lock",
        str(tmp_path / "fmadvisor.yaml"),
        "--catalog",
        str(tmp_path / "c.json"),
        "--as-of",
        AS_OF,
    )
    code, out, _ = run(cli, tmp_path, "--offline", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["models"][0]["source"] == "lockfile"


def test_tampered_lockfile_is_refused(cli, tmp_path):
    repo(tmp_path, "- {id: Qwen/Qwen2.5-7B-Instruct}\n")
    cli("lock", str(tmp_path / "fmadvisor.yaml"), "--as-of", AS_OF)
    lock = tmp_path / "fmadvisor.lock"
    lock.write_text(lock.read_text().replace('"apache-2.0"', '"mit"'))
    code, _, err = run(cli, tmp_path)
    assert code == 2 and "digest does not match" in err and "fmadvisor.lock:" in err


def _sarif(cli, tmp_path, *args):
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    out_file = tmp_path / "out.sarif"
    code, _, _ = run(cli, tmp_path, "--sarif-output", str(out_file), "-f", "text", *args)
    return code, json.loads(out_file.read_text())


def test_sarif_has_what_github_code_scanning_requires(cli, tmp_path):
    code, log = _sarif(cli, tmp_path)
    assert code == 1 and log["version"] == "2.1.0" and log["$schema"]
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "fmadvisor"
    rules = {r["id"]: r for r in driver["rules"]}
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
        assert 0.1 <= float(r["properties"]["security-severity"]) <= 10.0
    for res in run_["results"]:
        assert (
            res["ruleId"] in rules
            and res["message"]["text"]
            and res["level"] in ("note", "warning", "error")
        )
        loc = res["locations"][0]["physicalLocation"]
        assert (
            not loc["artifactLocation"]["uri"].startswith("/")
            or loc["artifactLocation"]["uri"] == "fmadvisor.yaml"
        )
        assert loc["region"]["startLine"] == 11
        assert res["partialFingerprints"]["fmadvisor/v1"]
    fingerprints = [r["partialFingerprints"]["fmadvisor/v1"] for r in run_["results"]]
    assert len(fingerprints) == len(set(fingerprints))
    _, again = _sarif(cli, tmp_path)
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in run_["results"]
    ]


def test_sarif_validates_against_the_oasis_schema(cli, tmp_path):
    schema_path = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip(
            "the OASIS SARIF schema is read from ../shared (present in CI and the developers' checkout)"
        )
    _, log = _sarif(cli, tmp_path, "--sarif-include-waived")
    jsonschema.validate(log, json.loads(schema_path.read_text()))


def test_waived_findings_leave_sarif_unless_asked(cli, tmp_path):
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    (tmp_path / "fmadvisor-waivers.yaml").write_text(
        "version: 1\nwaivers:\n  - "
        "{rule: license.non-commercial, model: CohereForAI/aya-expanse-8b, reason: pilot, expires: 2027-01-31}\n"
    )
    out_file = tmp_path / "w.sarif"
    run(cli, tmp_path, "--sarif-output", str(out_file))
    ids = {r["ruleId"] for r in json.loads(out_file.read_text())["runs"][0]["results"]}
    assert "license.non-commercial" not in ids
    run(cli, tmp_path, "--sarif-output", str(out_file), "--sarif-include-waived")
    suppressed = [
        r for r in json.loads(out_file.read_text())["runs"][0]["results"] if r.get("suppressions")
    ]
    assert suppressed and suppressed[0]["ruleId"] == "license.non-commercial"


def test_junit_one_testcase_per_model_and_rule(cli, tmp_path):
    repo(
        tmp_path,
        "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n- "
        "{id: Qwen/Qwen2.5-7B-Instruct, strategy: rag}\n",
    )
    code, out, _ = run(cli, tmp_path, "-f", "junit")
    root = ET.fromstring(out)
    assert code == 1 and root.tag == "testsuites" and len(root.findall("testsuite")) == 2
    cases = root.findall(".//testcase")
    pairs = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(pairs) == len(set(pairs)) == int(root.get("tests"))
    failures = root.findall(".//testcase/failure")
    assert failures and int(root.get("failures")) == len(failures)
    failing = next(c for c in cases if c.find("failure") is not None)
    assert failing.get("classname") == "CohereForAI/aya-expanse-8b" and failing.get("line") == "11"


def test_github_annotations_escape_what_github_requires(cli, tmp_path):
    from fmadvisor.report.gate.github import escape_data, escape_property

    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    code, out, _ = run(cli, tmp_path, "-f", "github")
    lines = out.strip().splitlines()
    assert code == 1 and lines
    for line in lines:
        assert line.startswith(("::error file=", "::warning file=", "::notice file="))
        head, _, message = line[2:].partition("::")
        assert "\n" not in message and ",line=11," in head
    assert any("license.non-commercial (high)" in line for line in lines)


def test_several_outputs_at_once_and_markdown(cli, tmp_path):
    repo(tmp_path, "- {id: CohereForAI/aya-expanse-8b, role: generator, strategy: rag}\n")
    paths = {k: tmp_path / f"out.{k}" for k in ("json", "sarif", "xml", "md")}
    code, out, _ = run(
        cli,
        tmp_path,
        "-f",
        "text",
        "--json-output",
        str(paths["json"]),
        "--sarif-output",
        str(paths["sarif"]),
        "--junit-output",
        str(paths["xml"]),
        "--markdown-output",
        str(paths["md"]),
    )
    assert code == 1 and "FAILED" in out
    assert json.loads(paths["json"].read_text())["passed"] is False
    assert json.loads(paths["sarif"].read_text())["version"] == "2.1.0"
    ET.fromstring(paths["xml"].read_text())
    md = paths["md"].read_text()
    assert md.startswith("## fmadvisor check: failed") and "| high |" in md


def test_bom_is_a_valid_cyclonedx_ml_bom(cli, tmp_path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    repo(
        tmp_path,
        "- {id: deepseek-ai/DeepSeek-R1-Distill-Llama-8B, role: generator, strategy: rag}\n"
        "- {id: Qwen/Qwen3-Embedding-0.6B, role: embedding}\n",
    )
    code, out, _ = cli("bom", str(tmp_path / "fmadvisor.yaml"), "--as-of", AS_OF)
    assert code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out) is None
    bom = json.loads(out)
    first = bom["components"][0]
    assert first["type"] == "machine-learning-model" and first["licenses"] == [
        {"license": {"id": "MIT"}}
    ]
    assert first["pedigree"]["ancestors"][0]["purl"] == "pkg:huggingface/meta-llama/Llama-3.1-8B"
    assert first["modelCard"]["modelParameters"]["task"] == "text-generation"
    code2, out2, _ = cli("bom", str(tmp_path / "fmadvisor.yaml"), "--as-of", AS_OF)
    assert out2 == out  # deterministic


def test_an_undecidable_requirement_fails_closed(cli, tmp_path):
    """No license recorded: commercial use cannot be confirmed, so the gate fails rather than passes."""
    repo(tmp_path, "- {id: org/no-license, role: generator, strategy: rag}\n")
    (tmp_path / "c.json").write_text(
        json.dumps(
            {
                "models": [
                    {
                        "id": "org/no-license",
                        "pipeline_tag": "text-generation",
                        "params": 7000000000,
                        "library": "transformers",
                    }
                ]
            }
        )
    )
    code, out, _ = run(cli, tmp_path, "--catalog", str(tmp_path / "c.json"), "-f", "json")
    finding = next(
        f for f in json.loads(out)["models"][0]["findings"] if f["rule"] == "license.non-commercial"
    )
    assert code == 1 and finding["outcome"] == "unknown" and finding["severity"] == "high"


def test_training_rules_concern_only_models_declared_for_training(cli, tmp_path):
    repo(
        tmp_path,
        "- {id: Qwen/Qwen2.5-14B-Instruct, strategy: rag}\n"
        "- {id: Qwen/Qwen2.5-14B-Instruct, strategy: fine_tuning}\n",
    )
    code, out, _ = run(cli, tmp_path, "-f", "json", "--fail-on", "critical")
    rag, tuned = ({f["rule"] for f in m["findings"]} for m in json.loads(out)["models"])
    assert "customization.lora-needs-qlora" not in rag
    assert "customization.lora-needs-qlora" in tuned


def test_a_special_case_is_said_once(cli, tmp_path):
    (tmp_path / "fmadvisor.yaml").write_text(
        BASE.replace("labeled_examples: 300", "labeled_examples: 5")
        + "  - {id: Qwen/Qwen2.5-7B-Instruct, strategy: fine_tuning}\n"
    )
    code, out, _ = run(cli, tmp_path, "-f", "json", "--fail-on", "critical")
    rules = [f["rule"] for f in json.loads(out)["models"][0]["findings"]]
    assert "strategy.below-minimum-examples" in rules
    assert "strategy.too-few-examples" not in rules


def test_subsumes_names_known_rules(tmp_path):
    from fmadvisor.errors import RuleError
    from fmadvisor.rules import load_rulebase

    p = tmp_path / "r.yaml"
    p.write_text(
        "version: 1\nrules:\n  - id: license.x\n    factor: license\n    kind: score\n"
        "    severity: low\n    adjust: -0.1\n    subsumes: [license.nope]\n    message: m\n    remediation: r\n"
        "    rationale: r\n"
    )
    with pytest.raises(RuleError, match="subsumes unknown rule 'license.nope'"):
        load_rulebase([p])
