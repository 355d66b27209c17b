"""`check --format github`: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from fmadvisor.gate_model import RANK, CheckReport
from fmadvisor.report.gate import GateOptions
from fmadvisor.rules import RuleBase
from fmadvisor.vocab import SARIF_LEVEL


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    lines = []
    for f in report.findings:
        if f.waived_by is not None:
            continue
        command = (
            "error"
            if RANK[f.severity] >= RANK[report.fail_on]
            else "warning"
            if SARIF_LEVEL[f.severity] != "note"
            else "notice"
        )
        title = escape_property(f"{f.rule} ({f.severity})")
        props = f"file={escape_property(f.file)},line={max(1, f.line)},title={title}"
        lines.append(
            f"::{command} {props}::{escape_data(f'{f.model}: {f.message} Fix: {f.remediation}')}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
