"""The pre-commit hooks and the GitHub Action call real commands with real options."""

from __future__ import annotations

import shlex

import typer
import yaml

from conftest import ROOT
from fmadvisor.cli import app


def _options(command: str) -> set[str]:
    root = typer.main.get_command(app)
    cmd = root
    for part in command.split():
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    return {opt for p in cmd.params for opt in getattr(p, "opts", [])}


def test_pre_commit_hooks():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"fmadvisor-check", "fmadvisor-rules-validate"}
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "fmadvisor" and hook["language"] == "python"
        command = "rules validate" if words[1] == "rules" else words[1]
        flags = {w for w in words if w.startswith("--")}
        assert flags <= _options(command), flags - _options(command)


def test_github_action_is_composite_and_uses_real_options():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    run = action["runs"]["steps"][-1]["run"]
    flags = {w for w in shlex.split(run.replace("$ARGS", "")) if w.startswith("--")}
    assert flags <= _options("check"), flags - _options("check")
    assert {"spec", "fail-on", "sarif-file"} <= set(action["inputs"])
