"""Docs that cannot drift: every command and option has help text and is in the README."""

from __future__ import annotations

import re

import typer

from conftest import ROOT
from fmadvisor.cli import app

README = (ROOT / "README.md").read_text()


def commands():
    root = typer.main.get_command(app)

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), cmd

    yield from walk(root, ["fmadvisor"])


def test_every_command_has_help_and_is_in_the_readme():
    found = list(commands())
    assert len(found) >= 10
    for path, cmd in found:
        assert (cmd.help or "").strip(), f"{path} has no help text"
        assert f"`{path}" in README, f"{path} is not documented in README.md"
        for param in cmd.params:
            if param.name == "help":
                continue
            assert (getattr(param, "help", None) or "").strip(), (
                f"{path}: {param.name} has no help text"
            )
            if isinstance(param, typer.core.TyperOption) or param.param_type_name == "option":
                assert any(o in README for o in param.opts if o.startswith("--")), (
                    f"{path} {param.opts} not in README"
                )


def test_readme_starts_with_the_two_commands():
    lines = [line for line in README.splitlines() if line.strip()]
    head = "\n".join(lines[:12])
    assert "fmadvisor score examples/" in head
    assert "pytest" in head


def test_readme_exit_codes_match_the_code():
    from fmadvisor.errors import ExitCode

    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, re.M), (
            f"exit code {int(code)} missing from README"
        )


def test_readme_lists_every_rule_factor(rulebase):
    for factor in rulebase.weights:
        assert f"`{factor}`" in README, factor
