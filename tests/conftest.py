from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def rulebase():
    from fmadvisor.rules import load_rulebase

    return load_rulebase()


@pytest.fixture(scope="session")
def catalog():
    from fmadvisor.catalog import load_embedded

    return load_embedded()


@pytest.fixture
def cli():
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from fmadvisor.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


def spec_text(**sections: str) -> str:
    """A minimal valid spec with extra YAML sections appended verbatim."""
    text = "version: 1\nproject: {name: t}\ntask: {type: text-generation}\n"
    return text + "".join(f"{v}\n" for v in sections.values())
