"""The local Hub cache: candidates fetched from the Hub, with when, from which endpoint and by which
query each was fetched. One JSON file in the user's cache directory, always written atomically (an
interrupted write leaves the previous file); a file that cannot be read is reported and treated as
empty, never half-used. Tokens are never stored.
"""

from __future__ import annotations

import msgspec
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from fmadvisor.catalog import Catalog
from fmadvisor.catalog.candidate import Candidate, CandidateDataError, candidate_from_dict
from fmadvisor.errors import InputError, Location
from fmadvisor.fileio import atomic_write_text

CACHE_FILE = "hub-catalog.json"
CACHE_VERSION = 1


def cache_dir() -> Path:
    override = os.environ.get("FMADVISOR_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("fmadvisor", appauthor=False))


def _record(c: Candidate) -> dict[str, Any]:
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in msgspec.to_builtins(c).items()
        if v not in (None, (), [])
    }


class HubCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or cache_dir()) / CACHE_FILE
        self.problem: str | None = None
        self.entries: dict[str, dict[str, Any]] = {}
        self.queries: list[dict[str, Any]] = []
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
                raise ValueError("unexpected format")
            entries = data["entries"]
            for entry in entries.values():
                candidate_from_dict(entry["record"])  # validate every record before trusting any
            self.entries = entries
            self.queries = list(data.get("queries", []))
        except (OSError, ValueError, KeyError, TypeError, CandidateDataError) as exc:
            self.problem = f"cache file {self.path} is unreadable ({exc}); ignoring it"
            self.entries, self.queries = {}, []

    def put(self, candidates: list[Candidate], *, endpoint: str, query: dict[str, Any]) -> None:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        for c in candidates:
            self.entries[c.id.lower()] = {
                "record": _record(c),
                "fetched_at": now,
                "endpoint": endpoint,
                "query": query,
            }
        self.queries.append(
            {"fetched_at": now, "endpoint": endpoint, "query": query, "models": len(candidates)}
        )
        self.queries = self.queries[-50:]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot create the cache folder: {exc.strerror or exc} (set FMADVISOR_CACHE_DIR)",
                Location(str(self.path.parent)),
            ) from None
        atomic_write_text(
            self.path,
            json.dumps(
                {"version": CACHE_VERSION, "entries": self.entries, "queries": self.queries},
                indent=1,
                sort_keys=True,
            )
            + "\n",
        )

    def catalog(self) -> Catalog:
        candidates = tuple(candidate_from_dict(e["record"]) for e in self.entries.values())
        oldest = min((e["fetched_at"] for e in self.entries.values()), default=None)
        return Catalog(candidates, "cache", facts_as_of=oldest[:10] if oldest else None)

    def age(self) -> str:
        if not self.entries:
            return "empty"
        oldest = min(e["fetched_at"] for e in self.entries.values())
        newest = max(e["fetched_at"] for e in self.entries.values())
        return f"{len(self.entries)} models fetched {oldest[:10]} to {newest[:10]}"

    def info(self) -> dict[str, Any]:
        endpoints = sorted({e["endpoint"] for e in self.entries.values()})
        return {
            "path": str(self.path),
            "models": len(self.entries),
            "age": self.age(),
            "endpoints": endpoints,
            "queries": self.queries[-10:],
            "problem": self.problem,
        }

    def clear(self) -> bool:
        if self.path.exists():
            self.path.unlink()
            return True
        return False
