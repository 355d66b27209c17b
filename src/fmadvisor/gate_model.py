"""The CI gate's vocabulary: its findings, per-model results and report, the built-in checks that are
not rule-base rules (lockfile drift, metadata availability, unused waivers), and how waivers apply.
`fmadvisor.check` computes a report; the formats in `fmadvisor.report.gate` read these types."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from fmadvisor.rules import RuleBase
from fmadvisor.vocab import SEVERITIES, SEVERITY_RANK
from fmadvisor.waivers import Waiver

RANK = SEVERITY_RANK
STRATEGY_MIN_SEVERITY = "medium"


@dataclass(frozen=True)
class BuiltinCheck:
    """A check of the CI gate that is code, not a rule (lockfile, waivers, declared models)."""

    id: str
    severity: str
    title: str
    help: str


BUILTIN: dict[str, BuiltinCheck] = {
    c.id: c
    for c in [
        BuiltinCheck(
            "check.metadata-unavailable",
            "high",
            "Metadata for a declared model is unavailable",
            "No catalog (nor the lockfile) has this model, so nothing about it could be checked. Fix the id, "
            "add it to a catalog file (--catalog), or run `fmadvisor lock` where metadata is available.",
        ),
        BuiltinCheck(
            "check.moved-repository",
            "info",
            "Declared model id is another name of a renamed or moved repository",
            "The Hub redirects between this id and the catalogued one, whose facts were checked. Declare the "
            "id the Hub shows today, so the spec, the lockfile and the Hub agree on what is used.",
        ),
        BuiltinCheck(
            "lock.model-not-locked",
            "medium",
            "Declared model is missing from the lockfile",
            "Run `fmadvisor lock` and commit fmadvisor.lock so later changes to the model show up as drift.",
        ),
        BuiltinCheck(
            "lock.license-changed",
            "high",
            "License changed since the lockfile",
            "Review the new license terms, then re-lock with `fmadvisor lock`.",
        ),
        BuiltinCheck(
            "lock.became-gated",
            "high",
            "Model became gated since the lockfile",
            "Make sure every developer and CI account has access, then re-lock.",
        ),
        BuiltinCheck(
            "lock.revision-moved",
            "medium",
            "Resolved revision moved since the lockfile",
            "Pin `revision:` to a commit, or review the new revision and re-lock.",
        ),
        BuiltinCheck(
            "lock.superseded",
            "medium",
            "Model superseded by a newer version since the lockfile",
            "Evaluate the new version; re-lock to acknowledge.",
        ),
        BuiltinCheck(
            "lock.metadata-changed",
            "low",
            "Model metadata changed since the lockfile",
            "Review what changed (size, weights format, base model), then re-lock.",
        ),
        BuiltinCheck(
            "waiver.unused",
            "info",
            "A waiver matches no finding",
            "Remove the waiver, or fix its rule, model or revision.",
        ),
    ]
}


@dataclass
class GateFinding:
    """One finding of the CI gate on one declared model."""

    rule: str
    severity: str
    model: str
    revision: str
    message: str
    remediation: str
    outcome: str  # fired | unknown | drift | unavailable | unused | moved
    evidence: dict[str, Any]
    file: str
    line: int
    column: int
    waived_by: Waiver | None = None
    expired_waiver: Waiver | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: the rule, the model and the spec file."""
        return hashlib.sha256(f"{self.rule}|{self.model.lower()}|{self.file}".encode()).hexdigest()[
            :32
        ]


@dataclass
class ModelCheck:
    """One model a repository declares, where it is declared, and what the gate found on it."""

    id: str
    revision: str
    role: str | None
    strategy: str | None
    line: int
    source: str
    findings: list[GateFinding] = field(default_factory=list)
    rules_checked: list[str] = field(default_factory=list)  # every rule evaluated (for JUnit)
    alternatives: list[str] = field(default_factory=list)
    first_stage: str | None = None  # a strategy run before `strategy` (models[].first_stage)


@dataclass
class CheckReport:
    """Everything `check` reports for one spec: its models, their findings, the threshold."""

    spec: str
    fail_on: str
    models: list[ModelCheck]
    other_findings: list[GateFinding]  # not tied to one model (unused waivers, stale lock entries)
    as_of: dt.date
    catalog: str
    facts_as_of: str | None
    lockfile: str | None
    waivers_file: str | None
    notes: list[str] = field(default_factory=list)  # about the whole run (e.g. a stale catalog)

    @property
    def findings(self) -> list[GateFinding]:
        return [f for m in self.models for f in m.findings] + self.other_findings

    @property
    def failing(self) -> list[GateFinding]:
        return [
            f
            for f in self.findings
            if f.waived_by is None and RANK[f.severity] >= RANK[self.fail_on]
        ]

    @property
    def waived(self) -> list[GateFinding]:
        return [f for f in self.findings if f.waived_by is not None]

    @property
    def passed(self) -> bool:
        return not self.failing

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            if f.waived_by is None:
                out[f.severity] += 1
        return out


def rule_info(rulebase: RuleBase, rule_id: str) -> tuple[str, str, str]:
    """(title, help, default severity) of a rule-base rule or a built-in check."""
    if rule_id in BUILTIN:
        b = BUILTIN[rule_id]
        return b.title, b.help, b.severity
    r = rulebase.get(rule_id)
    if r is None:
        return rule_id, "", "info"
    return r.rationale, f"{r.remediation} ({r.rationale})", r.severity


def apply_waivers(
    models: list[ModelCheck], waivers: list[Waiver], as_of: dt.date, spec_path: str
) -> list[GateFinding]:
    """Mark the findings each waiver covers (waived, or kept with a note when it expired); a waiver
    that matches nothing is itself a finding, so stale waivers do not pile up."""
    used: set[int] = set()
    for mc in models:
        for f in mc.findings:
            for i, w in enumerate(waivers):
                if (
                    w.rule != f.rule
                    or w.model.lower() != f.model.lower()
                    or (w.revision and w.revision != f.revision)
                ):
                    continue
                used.add(i)
                if w.expires < as_of:
                    f.expired_waiver = w
                    f.message += (
                        f" (waiver by {w.owner or 'unknown owner'} expired {w.expires.isoformat()})"
                    )
                else:
                    f.waived_by = w
                break
    unused = []
    b = BUILTIN["waiver.unused"]
    for i, w in enumerate(waivers):
        if i not in used:
            unused.append(
                GateFinding(
                    b.id,
                    b.severity,
                    w.model,
                    w.revision or "",
                    f"Waiver for {w.rule} on {w.model} matches no finding.",
                    b.help,
                    "unused",
                    {"waiver_rule": w.rule},
                    w.file,
                    w.line,
                    w.column,
                )
            )
    return unused
