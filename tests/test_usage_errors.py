"""Every usage error looks like the core's errors: one line on stderr, the valid choices, exit 2."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES

SPEC = str(EXAMPLES / "support-assistant.yaml")


@pytest.mark.parametrize(
    "args, line",
    [
        (["score", SPEC, "--format", "xml"], "error: --format must be one of auto, table, json, "),
        (["score", SPEC, "--top", "-1"], "error: --top must be at least 0"),
        (["score", SPEC, "--detail", "x"], "error: --detail must be a whole number"),
        (["estimate", "Qwen/Qwen3-4B", "--dtype", "fp8"], "error: --dtype must be one of fp32, "),
        (["check", SPEC, "--format", "pdf"], "error: --format must be one of text, json, "),
        (
            ["models", "list", "--format", "x"],
            "error: --format must be one of table, json, got 'x'",
        ),
        (["score", SPEC, "--bogus"], "error: no such option: --bogus (see 'fmadvisor score -h')"),
        (["scor"], "error: no such command 'scor'. Did you mean 'score'?"),
        (["--bogus"], "error: no such option: --bogus"),
        (["score"], "error: missing argument 'specs'"),
    ],
)
def test_usage_errors_are_one_clean_line(cli, args, line):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith(line) and err.count("\n") == 1, err
    assert "Value error" not in err and "╭" not in err


def _commands(app_group):
    yield []
    for name, sub in getattr(app_group, "commands", {}).items():
        for rest in _commands(sub):
            yield [name, *rest]


def test_help_shows_plain_metavars_everywhere(cli):
    import typer

    from fmadvisor.cli import app

    for path in _commands(typer.main.get_command(app)):
        code, out, err = cli(*path, "--help")
        assert code == 0, path
        for typer_style in ("<bool>", "<list[", "<str>", "<int", "<path>", "<float"):
            assert typer_style not in out, (path, typer_style)


def test_help_lists_the_main_job_first(cli):
    code, out, _ = cli("--help")
    commands = [
        line.split()[1] for line in out.splitlines() if line.startswith("│ ") and line[2] != " "
    ]
    commands = [c for c in commands if not c.startswith("-")]
    assert commands[:3] == ["score", "ask", "init"], commands
