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
