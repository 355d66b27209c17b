"""Catalogs of candidate models.

A `Catalog` is a list of `Candidate`s plus where they came from and how old the facts are. The
embedded snapshot ships in the package; the Hub, a local cache and local model folders are further
sources that produce the same Candidates.
"""

from __future__ import annotations

import datetime as dt

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from fmadvisor.catalog.candidate import (
    Candidate,
    CandidateDataError,
    candidate_from_dict,
    unknown_candidate,
)
from fmadvisor.catalog.family import with_family_prior
from fmadvisor.catalog.inherit import infer_facts
from fmadvisor.catalog.iso639 import with_iso639_1
from fmadvisor.errors import DataUnavailableError, InputError, Location
from fmadvisor.package_files import package_dir

__all__ = [
    "Candidate",
    "Catalog",
    "load_embedded",
    "load_file",
    "catalog_from_records",
    "unknown_candidate",
]


@dataclass(frozen=True)
class Catalog:
    """Candidate models from one source, with the date their facts are from; looked up by id."""

    candidates: tuple[Candidate, ...]
    source: str  # "embedded", "hub", "cache", a path ...
    facts_as_of: str | None = None
    compiled: str | None = None
    fallback: Callable[[str], Candidate | None] | None = field(
        default=None, repr=False, compare=False
    )
    _by_id: dict[str, Candidate] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index()
        # every source gets the same treatment of language codes (catalog/iso639.py), of
        # unrecorded sizes and tasks (catalog/inherit.py) and the family prior (catalog/family.py)
        sized = with_family_prior(infer_facts(with_iso639_1(self.candidates), self.get))
        if sized != self.candidates:
            object.__setattr__(self, "candidates", sized)
            self._index()

    def _index(self) -> None:
        """By id, then by the aliases the Hub redirects (a catalogued id always wins)."""
        self._by_id.clear()
        self._by_id.update({c.id.lower(): c for c in self.candidates})
        for c in self.candidates:
            for alias in c.aliases:
                self._by_id.setdefault(alias.lower(), c)

    def get(self, model_id: str) -> Candidate | None:
        """Look a model up by id or alias, case-insensitively (Hub ids are case-insensitive), then in
        the fallback; the Candidate found keeps its own id (`gpt2` finds openai-community/gpt2)."""
        found = self._by_id.get(model_id.lower())
        if found is None and self.fallback is not None:
            found = self.fallback(model_id)
        return found

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)


def catalog_from_records(
    records: Iterable[dict[str, Any]],
    *,
    source: str,
    facts_as_of: str | None = None,
    compiled: str | None = None,
) -> Catalog:
    out = []
    for i, record in enumerate(records):
        try:
            out.append(candidate_from_dict(record))
        except CandidateDataError as exc:
            name = record.get("id", f"#{i}") if isinstance(record, dict) else f"#{i}"
            raise DataUnavailableError(f"catalog {source}: model {name}: {exc}") from None
    return Catalog(tuple(out), source, facts_as_of, compiled)


_EMBEDDED: Catalog | None = None


class _Snapshot(msgspec.Struct):
    """The parts of the shipped snapshot file a run reads (its notes and schema version are for
    people and the build)."""

    models: tuple[Candidate, ...]
    facts_as_of: str | None = None
    compiled: str | None = None


def load_embedded() -> Catalog:
    """The snapshot shipped in the package (read once per process), decoded straight into
    Candidates and checked against their field types by msgspec; tests/test_catalog.py checks that
    every record also passes `candidate_from_dict`, the checks other sources get."""
    global _EMBEDDED
    if _EMBEDDED is None:
        raw = (package_dir("fmadvisor.catalog") / "snapshot.json").read_bytes()
        snapshot = msgspec.json.decode(raw, type=_Snapshot)
        _EMBEDDED = Catalog(snapshot.models, "embedded", snapshot.facts_as_of, snapshot.compiled)
    return _EMBEDDED


class _NonFinite(ValueError):
    pass


def _not_json(constant: str) -> None:
    """Python's json accepts NaN and Infinity; JSON does not, and no model fact is either."""
    raise _NonFinite(constant)


def load_file(path: Path) -> Catalog:
    """A catalog JSON file in the snapshot's format: {"facts_as_of": ..., "models": [{...}, ...]}."""
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    except FileNotFoundError:
        raise InputError("catalog file not found", Location(name)) from None
    except _NonFinite as exc:
        raise InputError(
            f"{exc.args[0]} is not JSON (numbers must be finite)", Location(name)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read catalog file: {exc}", Location(name)) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", Location(name, exc.lineno, exc.colno)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise InputError(
            "a catalog file is a JSON object with a 'models' list", Location(name, 1, 1)
        )
    try:
        return catalog_from_records(
            data["models"],
            source=name,
            facts_as_of=data.get("facts_as_of"),
            compiled=data.get("compiled"),
        )
    except DataUnavailableError as exc:
        raise InputError(str(exc).removeprefix(f"catalog {name}: "), Location(name)) from None


STALE_AFTER_MONTHS = 6


def staleness(catalog: Catalog, as_of: dt.date) -> str | None:
    """A note when the catalog's facts are more than six months older than the run's date."""
    stamp = catalog.facts_as_of
    if not stamp:
        return None
    try:
        year, month = int(stamp[:4]), int(stamp[5:7]) if len(stamp) >= 7 else 1
    except ValueError:
        return None
    months = (as_of.year - year) * 12 + (as_of.month - month)
    if months <= STALE_AFTER_MONTHS:
        return None
    return (
        f"the {catalog.source} catalog's facts are {months} months old (as of {stamp}): models released "
        "since are missing; run `fmadvisor catalog refresh` and score with --catalog cache for current ones"
    )
