"""The README's sample outputs come from real runs: each sample block is generated here and must
match the README (as the docs test does for commands). After an intended output change:

    UPDATE_README=1 .venv/bin/python -m pytest tests/test_readme_samples.py

and review the README diff. A sample is marked in README.md by an HTML comment naming the command
and the output lines shown (1-based ranges; '...' stands for the lines left out):

    <!-- sample: score examples/support-assistant.yaml --as-of 2026-11-22 | lines 1-9,40-44 -->
    ```text
    $ fmadvisor score ...
    ```
"""

from __future__ import annotations

import json
import os
import re
import shlex

from conftest import ROOT

README = ROOT / "README.md"
SAMPLE = re.compile(
    r"<!-- sample: (?P<args>[^|]+?)(?: \| lines (?P<lines>[0-9,\- ]+))? -->\n"
    r"```(?P<lang>\w+)\n(?P<body>.*?)```\n",
    re.S,
)
STRATEGY = re.compile(r"<!-- sample-json: (?P<args>[^>]+?) -->\n```json\n(?P<body>.*?)```\n", re.S)


def _run(args: list[str]) -> str:
    from typer.testing import CliRunner

    from fmadvisor.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=False, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _select(lines: list[str], spec: str | None) -> list[str]:
    if not spec:
        return lines
    out: list[str] = []
    last = 0
    for part in spec.replace(" ", "").split(","):
        first, _, end = part.partition("-")
        a, b = int(first), int(end or first)
        if a > last + 1:
            out.append("...")
        out += lines[a - 1 : b]
        last = b
    if last < len(lines):
        out.append("...")
    return out


def _text_sample(m: re.Match[str]) -> str:
    args = shlex.split(m["args"])
    shown = _select(_run(args).rstrip("\n").split("\n"), m["lines"])
    body = "\n".join([f"$ fmadvisor {m['args'].strip()}", *shown]) + "\n"
    return m.group(0).replace(m["body"], body, 1) if m["body"] else m.group(0)


def _strategy_excerpt(args: list[str]) -> str:
    """The `strategy` section of a JSON report, its first option shown, the rest elided."""
    s = json.loads(_run(args))["results"][0]["strategy"]
    top = s["ranking"][0]
    head = {k: s[k] for k in ("recommended", "fine_tuning_method", "flavour", "shots")}
    option = {k: top[k] for k in ("id", "method", "score", "confidence")}
    estimate = {k: top["estimate"][k] for k in ("cost_usd", "weeks", "gpu_memory_bytes")}
    estimate["fits_hardware"] = top["estimate"]["fits_hardware"]
    lines = [
        '"strategy": ' + json.dumps(head)[:-1] + ",",
        '  "ranking": [' + json.dumps(option)[:-1] + ",",
        '               "reasons": ' + json.dumps([top["reasons"][0], "..."]) + ",",
        '               "estimate": ' + json.dumps({**estimate, "...": "..."}) + ",",
        '               "plan": {"data": {"...": "..."}, "risks": ["..."], "metrics": ["..."], '
        '"lifecycle": {"...": "..."}}}, "..."],',
        '  "stack": ' + json.dumps(s["stack"]) + ",",
        '  "first_stage": ' + json.dumps(s["first_stage"]) + "}",
    ]
    return "\n".join(lines) + "\n"


def _generated(text: str) -> str:
    text = SAMPLE.sub(lambda m: _text_sample(m), text)
    return STRATEGY.sub(
        lambda m: m.group(0).replace(m["body"], _strategy_excerpt(shlex.split(m["args"])), 1),
        text,
    )


def test_readme_samples_come_from_real_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = README.read_text()
    assert len(SAMPLE.findall(text)) >= 2 and len(STRATEGY.findall(text)) == 1
    generated = _generated(text)
    if os.environ.get("UPDATE_README"):
        README.write_text(generated)
    assert generated == text, "README samples drifted: run with UPDATE_README=1 and review"
