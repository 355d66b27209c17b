"""Sourced catalog facts: the YAML files the embedded snapshot is compiled from.

Format (catalog/FORMAT.md): each file is a list of models; each model has its facts, `sources`
(each a `ref` with the `fields` it gave) and optional capability `evidence`. Every recorded fact
names exactly one source; a value no source gives is left out, so it is unknown. Entries for one
model may be split over files (a later pass fills fields an earlier one could not source); the
same field given twice is an error.

`load_facts` reads and checks the files (located errors, exit 2 like every bad input);
`build_snapshot` turns them into the embedded snapshot's two JSON documents: the facts the engine
reads, and the per-field provenance that `catalog audit` and `models show` read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fmadvisor.catalog.candidate import (
    FIELDS,
    STRUCTURED,
    CandidateDataError,
    candidate_from_dict,
)
from fmadvisor.catalog.capability import add_percentiles
from fmadvisor.errors import InputError, Location
from fmadvisor.yamlsource import SourceMap, load_file

SNAPSHOT_SCHEMA_VERSION = 2
# Facts a source may give (what the Hub or a card says); the rest of Candidate is run-time state.
RUNTIME = frozenset(
    {
        "id",
        "downloads",
        "last_modified",
        "source",
        "fetched",
        "params_basis",
        "pipeline_tag_basis",
        "larger_siblings",
        "base_results",
    }
)
FACT_FIELDS = frozenset(FIELDS) - RUNTIME - STRUCTURED
HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
# an alias may be a legacy id without an owner, which the Hub redirects (`gpt2`)
ALIAS_ID = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$")
REF = re.compile(r"^(https://\S+|[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*:\S.*)$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


MAX_REPORTED = 50


class FactsError(InputError):
    """A catalog facts file that breaks the format."""


@dataclass
class Source:
    """Where a model's facts come from (an address or repo/path) and which fields it gave."""

    ref: str
    about: str
    fields: tuple[str, ...]
    file: str
    line: int


@dataclass
class ModelFacts:
    """One model's facts as its fact file records them, each with the source that gave it."""

    id: str
    facts: dict[str, Any] = field(default_factory=dict)
    field_source: dict[str, Source] = field(default_factory=dict)  # fact -> the source that gave it
    sources: list[Source] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)  # where its entries start


def _text(value: Any) -> Any:
    """YAML reads 2025-08-01 as a date; facts keep ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def load_facts(paths: list[Path]) -> dict[str, ModelFacts]:
    """Every model in `paths` (files or folders of *.yaml), merged by id and checked."""
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    if not files:
        raise FactsError("no catalog facts files found", Location(", ".join(map(str, paths))))
    models: dict[str, ModelFacts] = {}
    problems: list[FactsError] = []
    for path in files:
        doc = load_file(path, kind="catalog facts file", error=FactsError)
        if not isinstance(doc.data, list):
            raise FactsError("a catalog facts file is a list of models", Location(str(path), 1, 1))
        for i, entry in enumerate(doc.data):
            try:
                _add(models, entry, doc.source, i)
            except FactsError as exc:
                problems.append(exc)
    for m in models.values():
        try:
            _check_complete(m)
        except FactsError as exc:
            problems.append(exc)
    problems += _alias_clashes(models)
    if problems:  # every problem at once, as linters do
        first = problems[0]
        rest = "".join(f"\n  {p}" for p in problems[1:MAX_REPORTED])
        more = (
            f"\n  ... and {len(problems) - MAX_REPORTED} more"
            if len(problems) > MAX_REPORTED
            else ""
        )
        raise FactsError(f"{first.args[0]}{rest}{more}", first.location)
    return models


def _add(models: dict[str, ModelFacts], entry: Any, smap: SourceMap, i: int) -> None:
    where = smap.locate((i,))
    if not isinstance(entry, dict):
        raise FactsError("a model entry is a mapping with 'id' and 'sources'", where)
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not HUB_ID.match(model_id):
        raise FactsError(
            f"'id' must be a Hub id (owner/name), got {model_id!r}", smap.locate((i, "id"))
        )
    m = models.setdefault(model_id, ModelFacts(model_id))
    m.locations.append(where)
    repeated = set()
    for key, value in entry.items():
        if key in ("id", "sources", "evidence"):
            continue
        if key not in FACT_FIELDS:
            raise FactsError(
                f"unknown field '{key}' (catalog/FORMAT.md lists them)",
                smap.locate((i, key), prefer_key=True),
            )
        value = _text(value)
        if key in m.facts:
            if m.facts[key] != value:
                first = m.field_source.get(key)
                raise FactsError(
                    f"{model_id}: '{key}' is {value!r} here but {m.facts[key]!r} in an earlier entry"
                    + (f" ({first.file}:{first.line}, {first.ref})" if first else ""),
                    smap.locate((i, key)),
                )
            repeated.add(key)  # the same value from a second source: the first source stands
            continue
        m.facts[key] = value
    try:  # the types of every fact, as the engine will read them
        candidate_from_dict({"id": model_id, **{k: v for k, v in m.facts.items()}})
    except CandidateDataError as exc:
        raise FactsError(f"{model_id}: {exc}", where) from None
    sources = entry.get("sources")
    has_facts = any(k not in ("id", "sources", "evidence") for k in entry)
    if not isinstance(sources, list) or (has_facts and not sources):
        raise FactsError(
            f"{model_id}: 'sources' must list where each field was read",
            smap.locate((i, "sources")),
        )
    for j, raw in enumerate(sources):
        m.sources.append(_source(raw, model_id, entry, m, smap, (i, "sources", j), repeated))
    for j, item in enumerate(entry.get("evidence") or []):
        m.evidence.append(_evidence(item, model_id, smap, (i, "evidence", j)))


def _source(
    raw: Any,
    model_id: str,
    entry: dict[str, Any],
    m: ModelFacts,
    smap: SourceMap,
    path: tuple[str | int, ...],
    repeated: set[str],
) -> Source:
    loc = smap.locate(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("ref"), str):
        raise FactsError(f"{model_id}: a source is a mapping with 'ref', 'about' and 'fields'", loc)
    ref = raw["ref"].strip()
    if not REF.match(ref):
        raise FactsError(
            f"{model_id}: ref '{ref}' is neither an https address nor owner/repo:path",
            smap.locate((*path, "ref")),
        )
    fields = raw.get("fields") or []
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise FactsError(
            f"{model_id}: a source's 'fields' is a list of field names",
            smap.locate((*path, "fields")),
        )
    src = Source(ref, str(raw.get("about") or ""), tuple(fields), smap.file, loc.line)
    for name in fields:
        if name not in entry or name in ("id", "sources", "evidence"):
            raise FactsError(
                f"{model_id}: source names '{name}', which this entry does not record",
                smap.locate((*path, "fields")),
            )
        if name in repeated:
            continue
        if name in m.field_source:
            raise FactsError(
                f"{model_id}: '{name}' is sourced twice; one source per field",
                smap.locate((*path, "fields")),
            )
        m.field_source[name] = src
    return src


def _evidence(
    item: Any, model_id: str, smap: SourceMap, path: tuple[str | int, ...]
) -> dict[str, Any]:
    loc = smap.locate(path)
    if not isinstance(item, dict):
        raise FactsError(f"{model_id}: an evidence item is a mapping", loc)
    out = {k: _text(v) for k, v in item.items()}
    if isinstance(out.get("date"), int):
        out["date"] = str(out["date"])
    out.setdefault("setting", "")
    out.setdefault("date", "")
    try:
        candidate_from_dict({"id": model_id, "evidence": [out]})
    except CandidateDataError as exc:
        raise FactsError(f"{model_id}: {exc}", loc) from None
    if not REF.match(out["source"].strip()):
        raise FactsError(
            f"{model_id}: evidence source '{out['source']}' is neither an https address nor owner/repo:path",
            loc,
        )
    if out["date"] and not DATE.match(out["date"]):
        raise FactsError(
            f"{model_id}: evidence date '{out['date']}' is not YYYY, YYYY-MM or YYYY-MM-DD", loc
        )
    return out


def _check_complete(m: ModelFacts) -> None:
    unsourced = sorted(set(m.facts) - set(m.field_source))
    if unsourced:
        raise FactsError(f"{m.id}: field(s) {', '.join(unsourced)} name no source", m.locations[0])
    if "license_name" in m.facts and "license" not in m.facts:
        # The Hub names a custom license only under `license: other`; the source of the name is
        # the source of that tag too.
        m.facts["license"] = "other"
        src = m.field_source["license_name"]
        src.fields = (*src.fields, "license")
        m.field_source["license"] = src


def _alias_clashes(models: dict[str, ModelFacts]) -> list[FactsError]:
    """An alias names one repository: never a catalogued id, nor two models' alias, and it is an id
    the Hub could hold (legacy ids such as `gpt2` have no owner)."""
    owner: dict[str, str] = {model_id.lower(): model_id for model_id in models}
    out = []
    for m in models.values():
        for alias in m.facts.get("aliases") or ():
            where = m.field_source.get("aliases")
            loc = Location(where.file, where.line) if where else m.locations[0]
            if not ALIAS_ID.match(alias):
                out.append(FactsError(f"{m.id}: alias {alias!r} is not a Hub id", loc))
            elif alias.lower() in owner:
                taken = owner[alias.lower()]
                out.append(FactsError(f"{m.id}: alias {alias!r} already names {taken}", loc))
            else:
                owner[alias.lower()] = m.id
    return out


def build_snapshot(
    models: dict[str, ModelFacts], *, facts_as_of: str, compiled: str, notes: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(snapshot document, provenance document), models in id order, fields in a fixed order."""
    order = [f for f in FIELDS if f in FACT_FIELDS]
    records = []
    provenance = {}
    for model_id in sorted(models, key=str.lower):
        m = models[model_id]
        record: dict[str, Any] = {"id": model_id}
        record.update({k: m.facts[k] for k in order if k in m.facts})
        if m.evidence:
            record["evidence"] = [dict(e) for e in m.evidence]
        records.append(record)
        provenance[model_id] = [
            {"ref": s.ref, "about": s.about, "fields": list(s.fields)} for s in m.sources
        ]
    add_percentiles(records)
    snapshot = {
        "schema_version": SNAPSHOT_SCHEMA_VERSION,
        "compiled": compiled,
        "facts_as_of": facts_as_of,
        "notes": notes,
        "models": records,
    }
    return snapshot, {"schema_version": SNAPSHOT_SCHEMA_VERSION, "models": provenance}
