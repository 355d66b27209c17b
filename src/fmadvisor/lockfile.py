"""fmadvisor.lock: what the declared models' metadata was when the team last reviewed it.

JSON, written atomically and deterministically (sorted keys), so it diffs cleanly in review. Each
entry keeps the metadata the rules read and a digest of it; `check` reports drift field by field.
Read through the located YAML loader (JSON is YAML), so a broken lockfile gets a line number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmadvisor import __version__
from fmadvisor.catalog import Catalog
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import DataUnavailableError, InputError, Location
from fmadvisor.spec import LoadedSpec
from fmadvisor.yamlsource import load_file

LOCKFILE = "fmadvisor.lock"
LOCKED_FIELDS = (
    "license",
    "license_name",
    "gated",
    "params",
    "active_params",
    "weights_format",
    "released",
    "last_modified",
    "superseded_by",
    "base_model",
    "pipeline_tag",
    "library",
)


def metadata_of(c: Candidate) -> dict[str, Any]:
    """The facts a lock pins: the source's own, so a size inferred at load time (params_basis) is
    locked as unknown, and a later real count is not reported as a change of the model."""
    out = {k: getattr(c, k) for k in LOCKED_FIELDS}
    if c.params_basis is not None:
        out["params"] = None
    if c.pipeline_tag_basis is not None:
        out["pipeline_tag"] = None
    return out


def digest(metadata: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(json.dumps(metadata, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class LockEntry:
    """One locked model: its revision and the metadata recorded when it was locked."""

    id: str
    revision: str
    resolved_revision: str | None
    source: str
    locked_at: dt.date
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Lock:
    """A lockfile, read: its entries by lower-case model id."""

    path: str
    entries: dict[str, LockEntry]  # keyed by lower-case model id


def locked_metadata(entry: LockEntry) -> Candidate:
    """A Candidate from the lockfile's record (for offline checks of models no catalog has)."""
    known = {
        k: (tuple(v) if isinstance(v, list) else v)
        for k, v in entry.metadata.items()
        if k in LOCKED_FIELDS
    }
    return Candidate(id=entry.id, source="lockfile", fetched=entry.locked_at.isoformat(), **known)


def build(loaded: LoadedSpec, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    models = {}
    missing = []
    for m in loaded.spec.models:
        c = catalog.get(m.id)
        if c is None:
            missing.append(m.id)
            continue
        meta = metadata_of(c)
        models[c.id] = {
            "revision": m.revision,
            "resolved_revision": None,
            "source": c.source,
            "facts_as_of": c.fetched or catalog.facts_as_of,
            "locked_at": as_of.isoformat(),
            "metadata": meta,
            "digest": digest(meta),
        }
    if missing:
        raise DataUnavailableError(
            f"cannot lock {', '.join(missing)}: not in the {catalog.source} catalog"
        )
    if not models:
        raise InputError(
            "the spec declares no models (`models:`) to lock", Location(loaded.path, 1, 1, "models")
        )
    return {"lockfile_version": 1, "generated_by": f"fmadvisor {__version__}", "models": models}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def load(path: Path) -> Lock:
    doc = load_file(path, kind="lockfile")
    from pydantic import ValidationError

    from fmadvisor.gate_files import LockfileDoc
    from fmadvisor.validation import located_error

    try:
        parsed = LockfileDoc.model_validate(doc.data)
    except ValidationError as exc:
        raise located_error(exc, doc.source, LockfileDoc, InputError) from None
    entries = {}
    for model_id, e in parsed.models.items():
        if digest(e.metadata) != e.digest:
            raise InputError(
                "digest does not match the recorded metadata (edited by hand?); re-run `fmadvisor lock`",
                doc.source.locate(("models", model_id, "digest")),
            )
        entries[model_id.lower()] = LockEntry(
            model_id, e.revision, e.resolved_revision, e.source, e.locked_at, e.metadata
        )
    return Lock(str(path), entries)


def drift(
    model_id: str, revision: str, candidate: Candidate, entry: LockEntry | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """What changed since the lockfile recorded a model: (built-in check id, message, evidence)."""
    if entry is None:
        return [("lock.model-not-locked", f"{model_id} is not in the lockfile.", {})]
    now = metadata_of(candidate)
    before = entry.metadata
    out = []

    def changed(key: str) -> bool:
        return now.get(key) != before.get(key)

    if changed("license") or changed("license_name"):
        out.append(
            (
                "lock.license-changed",
                f"License changed from {before.get('license_name') or before.get('license')} "
                f"to {now.get('license_name') or now.get('license')} since {entry.locked_at}.",
                {"locked": before.get("license"), "current": now.get("license")},
            )
        )
    if now.get("gated") is True and before.get("gated") is not True:
        out.append(
            (
                "lock.became-gated",
                f"{model_id} became gated since {entry.locked_at}.",
                {"locked": before.get("gated"), "current": True},
            )
        )
    if entry.revision != revision:
        out.append(
            (
                "lock.revision-moved",
                f"Revision {entry.revision} (locked) is now {revision}.",
                {"locked": entry.revision, "current": revision},
            )
        )
    if now.get("superseded_by") and not before.get("superseded_by"):
        out.append(
            (
                "lock.superseded",
                f"Superseded by {now['superseded_by']} since {entry.locked_at}.",
                {"current": now["superseded_by"]},
            )
        )
    rest = [k for k in ("params", "weights_format", "base_model", "released") if changed(k)]
    if rest:
        out.append(
            (
                "lock.metadata-changed",
                f"Changed since {entry.locked_at}: "
                + ", ".join(f"{k} {before.get(k)} -> {now.get(k)}" for k in rest)
                + ".",
                {k: {"locked": before.get(k), "current": now.get(k)} for k in rest},
            )
        )
    return out
