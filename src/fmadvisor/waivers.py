"""Waivers: accepted findings, each with a reason, an owner and an expiry.

    version: 1
    max_days: 365            # optional: how far ahead an expiry may be (default 365)
    waivers:
      - rule: license.community-terms
        model: meta-llama/Llama-3.1-8B-Instruct
        revision: main       # optional
        reason: Legal approved the Llama 3.1 terms (LEGAL-123)
        owner: ml-platform@example.com
        expires: 2027-03-31

A waived finding is reported and counted apart and does not fail the run; an expired waiver no longer
applies and its finding names it; a waiver that matches nothing is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fmadvisor.errors import InputError
from fmadvisor.yamlsource import load_file

WAIVERS_FILE = "fmadvisor-waivers.yaml"


@dataclass(frozen=True)
class Waiver:
    """An accepted finding: rule, model, reason, owner and expiry."""

    rule: str
    model: str
    revision: str | None
    reason: str
    owner: str | None
    expires: dt.date
    file: str
    line: int
    column: int


def load(path: Path, *, as_of: dt.date, known_rules: set[str]) -> list[Waiver]:
    doc = load_file(path, kind="waivers file")
    from pydantic import ValidationError

    from fmadvisor.gate_files import WaiversFileDoc
    from fmadvisor.validation import located_error

    try:
        parsed = WaiversFileDoc.model_validate(doc.data)
    except ValidationError as exc:
        raise located_error(exc, doc.source, WaiversFileDoc, InputError) from None
    horizon = as_of + dt.timedelta(days=parsed.max_days)
    out = []
    for i, w in enumerate(parsed.waivers):
        loc = doc.source.locate(("waivers", i))
        if w.rule not in known_rules:
            raise InputError(
                f"waives unknown rule '{w.rule}'", doc.source.locate(("waivers", i, "rule"))
            )
        if w.expires > horizon:
            raise InputError(
                f"expires {w.expires.isoformat()}, beyond the {parsed.max_days}-day horizon ({horizon.isoformat()}); "
                "waivers must be renewed, not granted forever",
                doc.source.locate(("waivers", i, "expires")),
            )
        out.append(
            Waiver(
                w.rule,
                w.model,
                w.revision,
                w.reason,
                w.owner,
                w.expires,
                str(path),
                loc.line,
                loc.column,
            )
        )
    return out
