"""Browsing a catalog, the core behind `models list|show` and `catalog audit`: filter models, the
facts of one model with the factors each fact feeds, and the records an audit reads. The CLI
parses options, calls these and formats what they return (`report/catalog_view.py`).
"""

from __future__ import annotations

import msgspec
import json
from pathlib import Path
from typing import Any

from fmadvisor.errors import DataUnavailableError, InputError, Location

PROVENANCE_SUFFIX = ".sources.json"  # snapshot.json -> snapshot.sources.json

Row = tuple[Any, str | None]  # a catalog Candidate and its license class (None: unknown)


def model_facts(c: Any, license_class: str | None) -> dict[str, Any]:
    """A candidate as plain JSON-ready values, with its license class."""
    d = {k: (list(v) if isinstance(v, tuple) else v) for k, v in msgspec.to_builtins(c).items()}
    d["license_class"] = license_class
    return d


def license_class(c: Any, tables: Any) -> str | None:
    from fmadvisor.rules.fields import license_info

    info = license_info(c, tables)
    return info.license_class if info else None


def select(
    catalog: Any,
    tables: Any,
    *,
    task: str | None = None,
    license_class_: str | None = None,
    max_params: str | None = None,
    library: str | None = None,
) -> list[Row]:
    """The catalog's models that pass every given filter, in catalog order."""
    from fmadvisor import tasks
    from fmadvisor.spec import parse_count

    fit = None
    if task is not None:
        tag = tasks.resolve(task)
        if tag is None:
            raise InputError(f"unknown task '{task}'")
        fit = tasks.fit_table(tag)
    limit = None
    if max_params is not None:
        limit = parse_count(max_params)
        if not isinstance(limit, int):
            raise InputError(f"--max-params must be a count like 8B or 350M, got {max_params!r}")
    rows = []
    for c in catalog:
        cls = license_class(c, tables)
        if fit is not None and c.pipeline_tag not in fit:
            continue
        if license_class_ is not None and (cls or "unknown") != license_class_:
            continue
        if limit is not None and (c.params is None or c.params > limit):
            continue
        if library is not None and c.library != library:
            continue
        rows.append((c, cls))
    return rows


def find(catalog: Any, model_id: str) -> Any:
    """One model of the catalog; a missing one is an error naming the closest ids."""
    c = catalog.get(model_id)
    if c is None:
        import difflib

        close = difflib.get_close_matches(model_id, [m.id for m in catalog], n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DataUnavailableError(f"{model_id} is not in the {catalog.source} catalog{hint}")
    return c


def feeds(rulebase: Any) -> dict[str, list[str]]:
    """Which factors each catalog field feeds, from the fields the model rules read."""
    from fmadvisor.rules.fields import field_def

    out: dict[str, list[str]] = {}
    for rule in rulebase.for_target("model"):
        for name in rule.fields:
            if name.startswith(("model.", "fit.")):
                for attr in field_def(name).reads:
                    out.setdefault(attr, [])
                    if rule.factor not in out[attr]:
                        out[attr].append(rule.factor)
    return out


def audit_records(
    target: str | None,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None, str]:
    """The records `catalog audit` checks, their provenance (None for a live Hub cache, whose
    every field is the Hub's own) and a name for the report."""
    from importlib import resources

    from fmadvisor.catalog.facts import build_snapshot, load_facts

    if target is None:
        base = resources.files("fmadvisor.catalog")
        snap = json.loads(base.joinpath("snapshot.json").read_text(encoding="utf-8"))
        prov = json.loads(base.joinpath("snapshot" + PROVENANCE_SUFFIX).read_text(encoding="utf-8"))
        return snap["models"], prov["models"], "embedded snapshot"
    if target == "cache":
        from fmadvisor.catalog.cache import HubCache

        cache = HubCache()
        records = [
            {k: v for k, v in model_facts(c, None).items() if v not in (None, (), [])}
            for c in cache.catalog()
        ]
        return (
            [{k: v for k, v in r.items() if k != "license_class"} for r in records],
            None,
            str(cache.path),
        )
    path = Path(target)
    if path.is_dir() or path.suffix in (".yaml", ".yml"):
        snapshot, prov = build_snapshot(load_facts([path]), facts_as_of="", compiled="", notes="")
        return snapshot["models"], prov["models"], target
    try:
        snap = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("catalog file not found", Location(target)) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read catalog file: {exc}", Location(target)) from None
    side = path.with_name(path.name.removesuffix(".json") + PROVENANCE_SUFFIX)
    prov = json.loads(side.read_text(encoding="utf-8"))["models"] if side.exists() else {}
    if not isinstance(snap, dict) or not isinstance(snap.get("models"), list):
        raise InputError(
            "a catalog file is a JSON object with a 'models' list", Location(target, 1, 1)
        )
    return snap["models"], prov, target


def write_snapshot(facts: list[Path], output: Path, facts_as_of: str, compiled: str) -> int:
    """Compile sourced facts into a snapshot JSON and its provenance beside it, each written
    atomically; returns the number of models."""
    from fmadvisor.catalog.facts import DATE, build_snapshot, load_facts
    from fmadvisor.fileio import atomic_write_text

    if not DATE.match(facts_as_of or ""):
        raise InputError(
            "--facts-as-of is required, as YYYY-MM (the month the facts are current to)"
        )
    models = load_facts(facts)
    notes = (
        "Sourced facts about public Hugging Face models (catalog/FORMAT.md defines every field). "
        "A missing field is unknown, never assumed. Each field's source is in the provenance file beside "
        "this one; `fmadvisor catalog audit` checks them."
    )
    snapshot, provenance = build_snapshot(
        models, facts_as_of=facts_as_of, compiled=compiled, notes=notes
    )
    atomic_write_text(
        output, json.dumps(snapshot, indent=0, ensure_ascii=False, allow_nan=False) + "\n"
    )
    atomic_write_text(
        provenance_path(output),
        json.dumps(provenance, indent=0, ensure_ascii=False, allow_nan=False) + "\n",
    )
    return len(snapshot["models"])


def provenance_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name.removesuffix(".json") + PROVENANCE_SUFFIX)


def hub_query(
    task_names: list[str],
    search: str | None,
    author: str | None,
    library: str | None,
    limit: int,
    min_downloads: int,
) -> tuple[Any, Any]:
    """The Hub client and listing query for `catalog refresh`; an unknown task or an unreachable
    Hub fails here, before anything is fetched."""
    from fmadvisor import tasks
    from fmadvisor.catalog.hub import HubSource, Query
    from fmadvisor.reach import unreachable

    tags = []
    for t in task_names:
        tag = tasks.resolve(t)
        if tag is None:
            raise InputError(f"unknown task '{t}'")
        tags.append(tag)
    query = Query(tuple(tags), search, author, library, limit, min_downloads)
    hub = HubSource()
    problem = unreachable(hub.endpoint)
    if problem:  # fail fast: the client's retries cannot heal this
        raise DataUnavailableError(
            f"cannot reach {hub.endpoint}: {problem}; nothing was fetched. Without the Hub, use "
            "--catalog embedded (the shipped snapshot) or --catalog cache (what was fetched before)"
        )
    return hub, query


def refresh_cache(hub: Any, query: Any, progress: Any = None) -> tuple[int, Path]:
    """List models from the Hub into the local cache, replaced only when the listing succeeds:
    (models cached, cache path)."""
    from fmadvisor.catalog.cache import HubCache

    found = hub.list(query, progress=progress)
    cache = HubCache()
    cache.put(found, endpoint=hub.endpoint, query=query.describe())
    return len(found), cache.path
