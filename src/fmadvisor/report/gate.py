"""Output formats of the CI gate (`fmadvisor check`), behind one interface like the score formats.

Every formatter reads the same `CheckReport`. Machine formats print only their payload.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from enum import Enum
from pathlib import PurePath
from typing import Any

from fmadvisor import __version__
from fmadvisor.check import RANK, SEVERITIES, CheckReport, Finding, rule_info
from fmadvisor.rules import RuleBase

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


class GateFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


GateFormatter = Callable[[CheckReport, RuleBase, dict[str, Any]], str]


def gate_formatter(fmt: GateFormat) -> GateFormatter:
    return {GateFormat.text: render_text, GateFormat.json: render_json, GateFormat.sarif: render_sarif,
            GateFormat.junit: render_junit, GateFormat.github: render_github, GateFormat.markdown: render_markdown}[fmt]


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": f.severity, "model": f.model, "revision": f.revision, "outcome": f.outcome,
        "message": f.message, "remediation": f.remediation, "evidence": f.evidence,
        "location": {"file": f.file, "line": f.line, "column": f.column}, "fingerprint": f.fingerprint,
        "waived": None if f.waived_by is None else {"reason": f.waived_by.reason, "owner": f.waived_by.owner,
                                                     "expires": f.waived_by.expires.isoformat()},
        "expired_waiver": None if f.expired_waiver is None else {"owner": f.expired_waiver.owner,
                                                                  "expires": f.expired_waiver.expires.isoformat()},
    }


def document(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "fmadvisor", "version": __version__},
        "spec": report.spec,
        "as_of": report.as_of.isoformat(),
        "fail_on": report.fail_on,
        "passed": report.passed,
        "catalog": {"source": report.catalog, "facts_as_of": report.facts_as_of},
        "lockfile": report.lockfile,
        "waivers_file": report.waivers_file,
        "counts": {"by_severity": report.counts(), "failing": len(report.failing), "waived": len(report.waived)},
        "models": [{"id": m.id, "revision": m.revision, "role": m.role, "strategy": m.strategy, "line": m.line,
                    "source": m.source, "rules_checked": len(m.rules_checked), "alternatives": m.alternatives,
                    "findings": [_finding(f) for f in m.findings]} for m in report.models],
        "other_findings": [_finding(f) for f in report.other_findings],
    }


def render_json(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    return json.dumps(document(report, rulebase, options), indent=2, allow_nan=False) + "\n"


def _uri(path: str) -> str:
    """Repository-relative, forward slashes (GitHub resolves SARIF locations against the checkout)."""
    p = PurePath(path)
    return p.as_posix().removeprefix("./") if not p.is_absolute() else p.name


def render_sarif(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    include_waived = bool(options.get("sarif_include_waived"))
    shown = [f for f in report.findings if include_waived or f.waived_by is None]
    rule_ids = sorted({f.rule for f in shown} | {f.rule for f in report.findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    rules = []
    for rid in rule_ids:
        title, help_text, severity = rule_info(rulebase, rid)
        r = rulebase.get(rid)
        rules.append({
            "id": rid,
            "name": rid.replace(".", "_").replace("-", "_"),
            "shortDescription": {"text": (r.message.split(":")[0] if r else title)[:120] or rid},
            "fullDescription": {"text": title or rid},
            "help": {"text": help_text or title or rid,
                     "markdown": f"**{rid}** ({severity})\n\n{help_text or title}"},
            "defaultConfiguration": {"level": LEVEL[severity]},
            "properties": {"tags": ["ml-model", rid.split(".")[0]], "security-severity": SECURITY_SEVERITY[severity],
                           "precision": "high"},
        })
    results = []
    for f in shown:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity],
            "message": {"text": f"{f.model}: {f.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.file)},
                                                "region": {"startLine": max(1, f.line), "startColumn": max(1, f.column)}}}],
            "partialFingerprints": {"fmadvisor/v1": f.fingerprint},
            "properties": {"severity": f.severity, "security-severity": SECURITY_SEVERITY[f.severity], "model": f.model,
                           "revision": f.revision, "outcome": f.outcome, "remediation": f.remediation},
        }
        if f.waived_by is not None:
            result["suppressions"] = [{"kind": "external", "justification": f.waived_by.reason}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "fmadvisor", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/fmadvisor/", "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, indent=2, allow_nan=False) + "\n"


def render_junit(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    suites = ET.Element("testsuites", name="fmadvisor check")
    total = failures = skipped = 0
    for m in report.models:
        suite = ET.SubElement(suites, "testsuite", name=f"{report.spec} :: {m.id}")
        by_rule: dict[str, list[Finding]] = {}
        for f in m.findings:
            by_rule.setdefault(f.rule, []).append(f)
        t = fl = sk = 0
        for rule_id in dict.fromkeys(m.rules_checked):
            t += 1
            case = ET.SubElement(suite, "testcase", classname=m.id, name=rule_id, file=report.spec, line=str(m.line))
            found = by_rule.get(rule_id, [])
            failing = [f for f in found if f.waived_by is None and RANK[f.severity] >= RANK[report.fail_on]]
            waived = [f for f in found if f.waived_by is not None]
            if failing:
                fl += 1
                f = failing[0]
                el = ET.SubElement(case, "failure", type=f.severity, message=f.message)
                el.text = f"{f.message}\nremediation: {f.remediation}\nevidence: {json.dumps(f.evidence)}"
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
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    lines = []
    for f in report.findings:
        if f.waived_by is not None:
            continue
        command = "error" if RANK[f.severity] >= RANK[report.fail_on] else "warning" if f.severity in ("medium", "high", "critical") else "notice"
        props = f"file={escape_property(f.file)},line={max(1, f.line)},title={escape_property(f'{f.rule} ({f.severity})')}"
        lines.append(f"::{command} {props}::{escape_data(f'{f.model}: {f.message} Fix: {f.remediation}')}")
    return "\n".join(lines) + ("\n" if lines else "")


def _summary_line(report: CheckReport) -> str:
    counts = report.counts()
    parts = [f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s]]
    verdict = "PASSED" if report.passed else "FAILED"
    return (f"{verdict}: {len(report.models)} model(s) checked; {', '.join(parts) or 'no findings'}; "
            f"{len(report.waived)} waived; failing at {report.fail_on} or above: {len(report.failing)}")


def render_text(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    lines = []
    for m in report.models:
        lines.append(f"{m.id} @ {m.revision}  ({report.spec}:{m.line}; {m.role or 'no role'}, {m.strategy or 'no strategy'})")
        for f in sorted(m.findings, key=lambda f: -RANK[f.severity]):
            mark = "waived" if f.waived_by else ("FAIL" if RANK[f.severity] >= RANK[report.fail_on] else "warn")
            lines.append(f"  {mark:<6} {f.severity:<8} {f.rule}: {f.message}")
            if f.waived_by is None and mark == "FAIL":
                lines.append(f"         fix: {f.remediation}")
        if m.alternatives:
            lines.append(f"  compliant alternatives: {', '.join(m.alternatives)}")
    for f in report.other_findings:
        lines.append(f"{f.file}:{f.line}: {f.severity} {f.rule}: {f.message}")
    lines.append(_summary_line(report))
    return "\n".join(lines) + "\n"


def render_markdown(report: CheckReport, rulebase: RuleBase, options: dict[str, Any]) -> str:
    def cell(t: Any) -> str:
        return str(t).replace("|", "\\|").replace("\n", " ")

    lines = [f"## fmadvisor check: {'passed' if report.passed else 'failed'}", "", _summary_line(report), ""]
    rows = [f for f in report.findings]
    if rows:
        lines += ["| severity | model | rule | finding | status |", "|---|---|---|---|---|"]
        for f in sorted(rows, key=lambda f: (-RANK[f.severity], f.model, f.rule)):
            status = "waived" if f.waived_by else ("**failing**" if RANK[f.severity] >= RANK[report.fail_on] else "reported")
            lines.append(f"| {f.severity} | `{cell(f.model)}` | `{f.rule}` | {cell(f.message)} | {status} |")
        lines.append("")
    for m in report.models:
        if m.alternatives:
            lines.append(f"Compliant alternatives to `{m.id}`: " + ", ".join(f"`{a}`" for a in m.alternatives))
    lines.append("")
    lines.append(f"_Spec `{report.spec}`; catalog {report.catalog} (facts as of {report.facts_as_of}); as of {report.as_of.isoformat()}._")
    return "\n".join(lines) + "\n"
