"""`check --format junit`: one test case per model and rule checked."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from fmadvisor.gate_model import RANK, CheckReport, GateFinding
from fmadvisor.report.gate import GateOptions
from fmadvisor.rules import RuleBase


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    suites = ET.Element("testsuites", name="fmadvisor check")
    total = failures = skipped = 0
    for m in report.models:
        suite = ET.SubElement(suites, "testsuite", name=f"{report.spec} :: {m.id}")
        by_rule: dict[str, list[GateFinding]] = {}
        for f in m.findings:
            by_rule.setdefault(f.rule, []).append(f)
        t = fl = sk = 0
        for rule_id in dict.fromkeys(m.rules_checked):
            t += 1
            case = ET.SubElement(
                suite, "testcase", classname=m.id, name=rule_id, file=report.spec, line=str(m.line)
            )
            found = by_rule.get(rule_id, [])
            failing = [
                f for f in found if f.waived_by is None and RANK[f.severity] >= RANK[report.fail_on]
            ]
            waived = [f for f in found if f.waived_by is not None]
            if failing:
                fl += 1
                f = failing[0]
                el = ET.SubElement(case, "failure", type=f.severity, message=f.message)
                el.text = (
                    f"{f.message}\nremediation: {f.remediation}\nevidence: {json.dumps(f.evidence)}"
                )
            elif waived:
                sk += 1
                ET.SubElement(case, "skipped", message=f"waived: {waived[0].waived_by.reason}")  # type: ignore[union-attr]
            elif found:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"[{f.severity}] {f.message}" for f in found)
        suite.set("tests", str(t))
        suite.set("failures", str(fl))
        suite.set("errors", "0")
        suite.set("skipped", str(sk))
        total, failures, skipped = total + t, failures + fl, skipped + sk
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    suites.set("skipped", str(skipped))
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
