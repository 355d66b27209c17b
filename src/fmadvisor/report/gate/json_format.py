"""`check --format json`: the gate report as a versioned JSON document."""

from __future__ import annotations

import json
from typing import Any

from fmadvisor import __version__
from fmadvisor.gate_model import CheckReport, GateFinding
from fmadvisor.report.gate import GateOptions
from fmadvisor.rules import RuleBase

SCHEMA_VERSION = 1


def _finding(f: GateFinding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "model": f.model,
        "revision": f.revision,
        "outcome": f.outcome,
        "message": f.message,
        "remediation": f.remediation,
        "evidence": f.evidence,
        "location": {"file": f.file, "line": f.line, "column": f.column},
        "fingerprint": f.fingerprint,
        "waived": None
        if f.waived_by is None
        else {
            "reason": f.waived_by.reason,
            "owner": f.waived_by.owner,
            "expires": f.waived_by.expires.isoformat(),
        },
        "expired_waiver": None
        if f.expired_waiver is None
        else {"owner": f.expired_waiver.owner, "expires": f.expired_waiver.expires.isoformat()},
    }


def document(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "fmadvisor", "version": __version__},
        "spec": report.spec,
        "as_of": report.as_of.isoformat(),
        "fail_on": report.fail_on,
        "passed": report.passed,
        "catalog": {"source": report.catalog, "facts_as_of": report.facts_as_of},
        "notes": report.notes,
        "lockfile": report.lockfile,
        "waivers_file": report.waivers_file,
        "counts": {
            "by_severity": report.counts(),
            "failing": len(report.failing),
            "waived": len(report.waived),
        },
        "models": [
            {
                "id": m.id,
                "revision": m.revision,
                "role": m.role,
                "strategy": m.strategy,
                "first_stage": m.first_stage,
                "line": m.line,
                "source": m.source,
                "rules_checked": len(m.rules_checked),
                "alternatives": m.alternatives,
                "findings": [_finding(f) for f in m.findings],
            }
            for m in report.models
        ],
        "other_findings": [_finding(f) for f in report.other_findings],
    }


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    return json.dumps(document(report, rulebase, options), indent=2, allow_nan=False) + "\n"
