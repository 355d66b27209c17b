"""`check --format text`: findings per model, then the verdict."""

from __future__ import annotations

from fmadvisor.gate_model import RANK, CheckReport
from fmadvisor.report.gate import GateOptions
from fmadvisor.report.gate.common import summary_line
from fmadvisor.rules import RuleBase


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    lines = []
    for m in report.models:
        plan = m.strategy or "no strategy"
        if m.first_stage:
            plan = f"{m.first_stage} then {plan}"
        lines.append(
            f"{m.id} @ {m.revision}  ({report.spec}:{m.line}; {m.role or 'no role'}, {plan})"
        )
        for f in sorted(m.findings, key=lambda f: -RANK[f.severity]):
            mark = (
                "waived"
                if f.waived_by
                else ("FAIL" if RANK[f.severity] >= RANK[report.fail_on] else "warn")
            )
            lines.append(f"  {mark:<6} {f.severity:<8} {f.rule}: {f.message}")
            if f.waived_by is None and mark == "FAIL":
                lines.append(f"         fix: {f.remediation}")
        if m.alternatives:
            lines.append(f"  compliant alternatives: {', '.join(m.alternatives)}")
    for f in report.other_findings:
        lines.append(f"{f.file}:{f.line}: {f.severity} {f.rule}: {f.message}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
