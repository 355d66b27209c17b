"""Pieces the gate formats share."""

from __future__ import annotations

from fmadvisor.gate_model import CheckReport
from fmadvisor.vocab import SEVERITIES


def summary_line(report: CheckReport) -> str:
    counts = report.counts()
    parts = [f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s]]
    verdict = "PASSED" if report.passed else "FAILED"
    return (
        f"{verdict}: {len(report.models)} model(s) checked; {', '.join(parts) or 'no findings'}; "
        f"{len(report.waived)} waived; failing at {report.fail_on} or above: {len(report.failing)}"
    )
