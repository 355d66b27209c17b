"""`check --format markdown`: a pull-request comment or job summary."""

from __future__ import annotations

from typing import Any

from fmadvisor.gate_model import RANK, CheckReport
from fmadvisor.report.gate import GateOptions
from fmadvisor.report.gate.common import summary_line
from fmadvisor.rules import RuleBase


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    def cell(t: Any) -> str:
        return str(t).replace("|", "\\|").replace("\n", " ")

    lines = [
        f"## fmadvisor check: {'passed' if report.passed else 'failed'}",
        "",
        summary_line(report),
        "",
    ]
    rows = [f for f in report.findings]
    if rows:
        lines += ["| severity | model | rule | finding | status |", "|---|---|---|---|---|"]
        for f in sorted(rows, key=lambda f: (-RANK[f.severity], f.model, f.rule)):
            status = (
                "waived"
                if f.waived_by
                else ("**failing**" if RANK[f.severity] >= RANK[report.fail_on] else "reported")
            )
            lines.append(
                f"| {f.severity} | `{cell(f.model)}` | `{f.rule}` | {cell(f.message)} | {status} |"
            )
        lines.append("")
    for m in report.models:
        if m.alternatives:
            lines.append(
                f"Compliant alternatives to `{m.id}`: "
                + ", ".join(f"`{a}`" for a in m.alternatives)
            )
    lines.append("")
    lines.append(
        f"_Spec `{report.spec}`; catalog {report.catalog} (facts as of "
        f"{report.facts_as_of}); as of {report.as_of.isoformat()}._"
    )
    return "\n".join(lines) + "\n"
