"""Every format enum has a formatter, and every JSON document fmadvisor prints names its schema version."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

SUPPORT = str(ROOT / "examples" / "support-assistant.yaml")


def test_every_score_format_has_a_formatter():
    from fmadvisor.report import Format, formatter

    assert all(callable(formatter(f)) for f in Format)


def test_score_cli_formats_are_the_report_formats_plus_auto():
    from fmadvisor.cli.score_cmds import OutFormat
    from fmadvisor.report import Format

    assert {f.value for f in OutFormat} == {"auto"} | {f.value for f in Format}


def test_every_gate_format_has_a_formatter_that_renders(cli, tmp_path):
    from fmadvisor.report.gate import GateFormat, formatter

    for fmt in GateFormat:
        assert callable(formatter(fmt))
        code, out, err = cli("check", SUPPORT, "--format", fmt.value, "--as-of", "2026-11-22")
        assert code in (0, 1) and out.strip(), (fmt, err)


def test_every_list_format_is_accepted(cli):
    from fmadvisor.cli._options import ListFormat

    for fmt in ListFormat:
        code, out, err = cli("rules", "list", "--format", fmt.value)
        assert code == 0 and out.strip(), err


@pytest.mark.parametrize(
    "args",
    [
        ("rules", "list", "--format", "json"),
        ("rules", "show", "license.non-commercial", "--format", "json"),
        ("rules", "fields", "--format", "json"),
        ("models", "list", "--format", "json"),
        ("models", "show", "Qwen/Qwen3-8B", "--format", "json"),
        ("estimate", "Qwen/Qwen3-8B", "--format", "json"),
        ("score", SUPPORT, "--format", "json"),
        ("check", SUPPORT, "--format", "json", "--as-of", "2026-11-22"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_json_outputs_carry_a_schema_version(cli, args):
    code, out, err = cli(*args)
    assert code in (0, 1), err
    assert json.loads(out)["schema_version"] == 1


def test_documents_are_built_from_the_report_types():
    """document.py, plan.py and estimates.py build the report with dict in place of the TypedDicts
    (they import the types for the type checker only): each such name is one of the report's
    types, and the modules stay off document_types at run time."""
    import ast

    from fmadvisor import document_types

    for rel in ("report/document.py", "strategy/plan.py", "strategy/estimates.py"):
        tree = ast.parse((ROOT / "src" / "fmadvisor" / rel).read_text(encoding="utf-8"))
        aliased = [
            t.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == "dict"
            for t in node.targets
            if isinstance(t, ast.Name)
        ]
        assert aliased, rel
        for name in aliased:
            assert isinstance(getattr(document_types, name, None), type), (rel, name)
            assert document_types.__dict__[name].__class__.__name__ == "_TypedDictMeta", (rel, name)
