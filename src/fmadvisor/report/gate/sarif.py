"""`check --format sarif`: SARIF 2.1.0 for code scanning (validated against the OASIS schema in the tests)."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from fmadvisor import __version__
from fmadvisor.gate_model import CheckReport, rule_info
from fmadvisor.report.gate import GateOptions
from fmadvisor.rules import RuleBase
from fmadvisor.vocab import SARIF_LEVEL as LEVEL
from fmadvisor.vocab import SECURITY_SEVERITY

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    """Repository-relative, forward slashes (GitHub resolves SARIF locations against the checkout)."""
    p = PurePath(path)
    return p.as_posix().removeprefix("./") if not p.is_absolute() else p.name


def render(report: CheckReport, rulebase: RuleBase, options: GateOptions) -> str:
    include_waived = options.sarif_include_waived
    shown = [f for f in report.findings if include_waived or f.waived_by is None]
    rule_ids = sorted({f.rule for f in shown} | {f.rule for f in report.findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fmadvisor",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/fmadvisor/",
                        "rules": [_rule(rulebase, rid) for rid in rule_ids],
                    }
                },
                "results": [_result(f, index[f.rule]) for f in shown],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, allow_nan=False) + "\n"


def _rule(rulebase: RuleBase, rid: str) -> dict[str, Any]:
    """A reportingDescriptor: the rule's texts, default level and severity for code scanning."""
    title, help_text, severity = rule_info(rulebase, rid)
    r = rulebase.get(rid)
    return {
        "id": rid,
        "name": rid.replace(".", "_").replace("-", "_"),
        "shortDescription": {"text": (r.message.split(":")[0] if r else title)[:120] or rid},
        "fullDescription": {"text": title or rid},
        "help": {
            "text": help_text or title or rid,
            "markdown": f"**{rid}** ({severity})\n\n{help_text or title}",
        },
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {
            "tags": ["ml-model", rid.split(".")[0]],
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": "high",
        },
    }


def _result(f: Any, rule_index: int) -> dict[str, Any]:
    """A result: the finding at its place in the spec, fingerprinted, suppressed when waived."""
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f"{f.model}: {f.message}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.file)},
                    "region": {"startLine": max(1, f.line), "startColumn": max(1, f.column)},
                }
            }
        ],
        "partialFingerprints": {"fmadvisor/v1": f.fingerprint},
        "properties": {
            "severity": f.severity,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "model": f.model,
            "revision": f.revision,
            "outcome": f.outcome,
            "remediation": f.remediation,
        },
    }
    if f.waived_by is not None:
        result["suppressions"] = [{"kind": "external", "justification": f.waived_by.reason}]
    return result
