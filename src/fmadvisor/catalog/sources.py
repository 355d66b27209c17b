"""Choosing where candidates come from: `--catalog embedded | cache | hub | hf-cache | PATH`.

`hub` fetches what the specs need (their tasks, included and declared models) and caches it; when
the Hub cannot be reached it falls back to the cache, then to the embedded snapshot, with a warning
saying which data were used and how old they are (`--require-live` makes that an error, exit 3).
Lookups of models outside the candidate list (base-model lineage, included models) fall through
to the cache and the embedded snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable, Iterable
from pathlib import Path

from fmadvisor import tasks
from fmadvisor.catalog import Catalog, load_embedded, load_file
from fmadvisor.errors import DataUnavailableError, InputError, Location

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec

Warn = Callable[[str], None]


def resolve(
    name: str,
    *,
    specs: Iterable[Spec] = (),
    require_live: bool = False,
    warn: Warn = lambda m: None,
    limit: int = 100,
    hub_factory: Callable[[], object] | None = None,
) -> Catalog:
    if name == "embedded":
        return load_embedded()
    if name == "cache":
        from fmadvisor.catalog.cache import HubCache

        cache = HubCache()
        if cache.problem:
            warn(cache.problem)
        if not cache.entries:
            raise DataUnavailableError(
                "the Hub cache is empty: run `fmadvisor catalog refresh` (or use --catalog hub)"
            )
        return _with_fallback(cache.catalog(), load_embedded())
    if name == "hub":
        return _hub(list(specs), require_live, warn, limit, hub_factory)
    if name == "hf-cache":
        return _hf_cache(None)
    path = Path(name)
    if path.is_dir():
        if (path / "config.json").exists():
            from fmadvisor.catalog.local import load_local

            candidate, _ = load_local(path)
            return _with_fallback(Catalog((candidate,), f"local:{path}"), load_embedded())
        if any(path.glob("models--*")):
            return _hf_cache(path)
        raise InputError(
            "folder is neither a model folder (config.json) nor a Hugging Face cache (models--*)",
            Location(name),
        )
    return load_file(path)


def _with_fallback(primary: Catalog, *others: Catalog) -> Catalog:
    def lookup(model_id: str):  # noqa: ANN202
        for other in others:
            found = other.get(model_id)
            if found is not None:
                return found
        return None

    return Catalog(
        primary.candidates, primary.source, primary.facts_as_of, primary.compiled, fallback=lookup
    )


def _hub(
    specs: list[Spec],
    require_live: bool,
    warn: Warn,
    limit: int,
    hub_factory: Callable[[], object] | None,
) -> Catalog:
    from fmadvisor.catalog.cache import HubCache
    from fmadvisor.catalog.hub import HubModelError, HubSource, HubUnavailable, Query

    tags = sorted({tag for s in specs for tag in tasks.fit_table(s.task.pipeline_tag)})
    wanted = sorted({m for s in specs for m in [*s.candidates.include, *(d.id for d in s.models)]})
    cache = HubCache()
    try:
        hub = hub_factory() if hub_factory else HubSource()
        query = Query(tasks=tuple(tags), limit=limit)
        found = hub.list(query)  # type: ignore[attr-defined]
        known = {c.id.lower() for c in found}
        for model_id in wanted:
            if model_id.lower() in known:
                continue
            try:
                candidate, _ = hub.model(model_id)  # type: ignore[attr-defined]
                found.append(candidate)
            except HubModelError as exc:
                warn(f"{exc}")
        try:  # live data in hand: a cache that cannot be written costs the next offline run, not this one
            cache.put(
                found,
                endpoint=hub.endpoint,
                query=query.describe() | ({"models": wanted} if wanted else {}),
            )  # type: ignore[attr-defined]
        except InputError as exc:
            warn(f"the Hub cache was not updated: {exc}")
        return _with_fallback(
            Catalog(tuple(found), f"hub:{hub.endpoint}"), cache.catalog(), load_embedded()
        )  # type: ignore[attr-defined]
    except HubUnavailable as exc:
        if require_live:
            raise DataUnavailableError(
                f"live Hub data required (--require-live), but: {exc}"
            ) from None
        if cache.entries:
            warn(f"Hub unavailable ({exc}); using the local cache ({cache.age()})")
            return _with_fallback(cache.catalog(), load_embedded())
        snapshot = load_embedded()
        warn(
            f"Hub unavailable ({exc}) and no local cache; using the "
            f"embedded snapshot (facts as of {snapshot.facts_as_of})"
        )
        return snapshot


def _hf_cache(directory: Path | None) -> Catalog:
    """Models in a local Hugging Face cache (snapshots' config.json, cards and safetensors headers)."""
    import msgspec

    from fmadvisor.catalog.hub import local_snapshots
    from fmadvisor.catalog.local import load_local

    out = []
    for repo_id, snapshot in local_snapshots(directory):
        candidate, _ = load_local(snapshot)
        out.append(msgspec.structs.replace(candidate, id=repo_id, source="hf-cache"))
    return _with_fallback(Catalog(tuple(out), "hf-cache"), load_embedded())
