"""`models list|show`: browse the catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from fmadvisor.cli._app import catalog_app, models_app
from fmadvisor.cli._errors import guarded, say
from fmadvisor.cli._options import (
    echo_json,
    CatalogOpt,
    ListFormat,
    ListFormatOpt,
    WideOpt,
    ProfileOpt,
    RequireLiveOpt,
    RulesOpt,
    load_catalog,
    load_rules,
    use_color,
)
from fmadvisor.errors import DataUnavailableError, InputError, Location


def _facts(c: Any, license_class: str | None) -> dict[str, Any]:
    import dataclasses

    d = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(c).items()}
    d["license_class"] = license_class
    return d


@models_app.command("list")
@guarded
def models_list(
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            "-t",
            help="Only models that can serve this task (tag or alias).",
            show_default=False,
        ),
    ] = None,
    license_class: Annotated[
        str | None,
        typer.Option(
            "--license-class",
            help="permissive, copyleft, non-commercial, use-restricted, community, other or unknown.",
            show_default=False,
        ),
    ] = None,
    max_params: Annotated[
        str | None,
        typer.Option("--max-params", help="Largest size, e.g. 8B or 350M.", show_default=False),
    ] = None,
    library: Annotated[
        str | None,
        typer.Option(
            "--library",
            help="Only this library (transformers, sentence-transformers, diffusers, timm, ...).",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOpt = "embedded",
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
    require_live: RequireLiveOpt = False,
    wide: WideOpt = False,
) -> None:
    """List catalog models, filtered."""
    from fmadvisor import tasks
    from fmadvisor.spec import parse_count

    cat = load_catalog(catalog, require_live=require_live)
    tables = load_rules(rules, profile).tables
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
    for c in cat:
        cls = _license_class(c, tables)
        if fit is not None and c.pipeline_tag not in fit:
            continue
        if license_class is not None and (cls or "unknown") != license_class:
            continue
        if limit is not None and (c.params is None or c.params > limit):
            continue
        if library is not None and c.library != library:
            continue
        rows.append((c, cls))
    if fmt is ListFormat.json:
        typer.echo(
            json.dumps(
                {
                    "schema_version": 1,
                    "catalog": cat.source,
                    "facts_as_of": cat.facts_as_of,
                    "models": [_facts(c, cls) for c, cls in rows],
                },
                indent=2,
            )
        )
        return
    from rich.console import Console

    from fmadvisor.report.table import Column, fitted_table, table_width
    from fmadvisor.report.text import size

    columns = [
        Column("model", shrink=32),
        Column("task", drop=3, shrink=16),
        Column("size", justify="right"),
        Column("license", shrink=12),
        Column("class", drop=4),
        Column("library", drop=5),
        Column("released", drop=6),
    ]
    cells = [
        [
            c.id,
            c.pipeline_tag or "?",
            size(c.params),
            c.license_name or c.license or "unknown",
            cls or "unknown",
            c.library or "?",
            c.released or "?",
        ]
        for c, cls in rows
    ]
    console = Console(no_color=not use_color(), highlight=False)
    t = fitted_table(columns, cells, console.width, wide=wide)
    if wide:
        console.width = max(console.width, table_width(t))
    console.print(t)
    console.print(
        f"{len(rows)} of {len(cat)} models ({cat.source}, facts as of {cat.facts_as_of})",
        style="dim",
    )


def _license_class(c: Any, tables: Any) -> str | None:
    from fmadvisor.rules.fields import license_info

    info = license_info(c, tables)
    return info.license_class if info else None


@models_app.command("show")
@guarded
def models_show(
    model_id: Annotated[
        str, typer.Argument(help="A model id, e.g. meta-llama/Llama-3.1-8B-Instruct.")
    ],
    catalog: CatalogOpt = "embedded",
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Fetch the model's current full info from the Hub, with its security scan status.",
        ),
    ] = False,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Show everything known about one model (unknown fields say so), and which factors each fact feeds."""
    rulebase = load_rules(None, None)
    extra: dict[str, Any] = {}
    if live:
        from fmadvisor.catalog.hub import HubSource

        c, extra = HubSource().model(model_id, security=True)
    else:
        cat = load_catalog(catalog)
        c = cat.get(model_id)
        if c is None:
            import difflib

            close = difflib.get_close_matches(model_id, [m.id for m in cat], n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise DataUnavailableError(f"{model_id} is not in the {cat.source} catalog{hint}")
    facts = _facts(c, _license_class(c, rulebase.tables))
    feeds: dict[str, list[str]] = {}
    for rule in rulebase.for_target("model"):
        for name in rule.fields:
            if name.startswith(("model.", "fit.")):
                for attr in _reads(name):
                    feeds.setdefault(attr, [])
                    if rule.factor not in feeds[attr]:
                        feeds[attr].append(rule.factor)
    if fmt is ListFormat.json:
        echo_json({**facts, **({"live": extra} if live else {}), "feeds": feeds})
        return
    from fmadvisor.rules.template import show

    width = max(len(k) for k in facts)
    for key, value in facts.items():
        factors = f"   -> {', '.join(feeds[key])}" if key in feeds else ""
        typer.echo(f"{key.ljust(width)}  {show(value)}{factors}")
    if live:
        typer.echo(f"{'revision'.ljust(width)}  {extra.get('sha') or 'unknown'}")
        scan = extra.get("security")
        shown = json.dumps(scan, default=str) if scan else "not reported"
        typer.echo(f"{'security scan'.ljust(width)}  {shown}")


def _reads(field_name: str) -> tuple[str, ...]:
    from fmadvisor.rules.fields import field_def

    return field_def(field_name).reads


@catalog_app.command("refresh")
@guarded
def catalog_refresh(
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task", "-t", help="Pipeline tag or alias to list (repeatable).", show_default=False
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Text the model id must contain.", show_default=False),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Only this organization or user.", show_default=False),
    ] = None,
    library: Annotated[
        str | None,
        typer.Option(
            "--library",
            help="Only this library (transformers, sentence-transformers, ...).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Most models per task (by downloads).")
    ] = 100,
    min_downloads: Annotated[
        int,
        typer.Option(
            "--min-downloads", min=0, help="Skip models with fewer downloads (last 30 days)."
        ),
    ] = 0,
) -> None:
    """Fetch current model metadata from the Hub into the local cache (one paginated listing per task)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from fmadvisor import tasks as task_names
    from fmadvisor.catalog.cache import HubCache
    from fmadvisor.catalog.hub import HubSource, Query
    from fmadvisor.reach import unreachable

    tags = []
    for t in task or []:
        tag = task_names.resolve(t)
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
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=__import__("rich.console", fromlist=["Console"]).Console(stderr=True),
    ) as progress:
        bar = progress.add_task("listing models", total=None)
        found = hub.list(query, progress=lambda n: progress.update(bar, description=f"{n} models"))
    cache = HubCache()
    cache.put(found, endpoint=hub.endpoint, query=query.describe())
    say(f"cached {len(found)} models from {hub.endpoint} in {hub.requests} requests ({cache.path})")


@catalog_app.command("info")
@guarded
def catalog_info(fmt: ListFormatOpt = ListFormat.table) -> None:
    """Show what the local Hub cache holds, from where, and how old it is."""
    from fmadvisor.catalog.cache import HubCache

    info = HubCache().info()
    if fmt is ListFormat.json:
        echo_json(info)
        return
    typer.echo(f"cache:     {info['path']}")
    typer.echo(f"contents:  {info['age']}")
    typer.echo(f"endpoints: {', '.join(info['endpoints']) or 'none'}")
    for q in info["queries"]:
        typer.echo(
            f"  {q['fetched_at']}  {q['endpoint']}  {json.dumps(q['query'])}  ({q['models']} models)"
        )
    if info["problem"]:
        typer.echo(f"problem:   {info['problem']}")


@catalog_app.command("clear")
@guarded
def catalog_clear() -> None:
    """Delete the local Hub cache."""
    from fmadvisor.catalog.cache import HubCache

    cache = HubCache()
    say(f"removed {cache.path}" if cache.clear() else "the cache was already empty")


PROVENANCE_SUFFIX = ".sources.json"  # snapshot.json -> snapshot.sources.json


@catalog_app.command("build")
@guarded
def catalog_build(
    facts: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Sourced facts: YAML files or folders (default: catalog/models).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Snapshot JSON to write (its provenance goes beside it)."
        ),
    ] = Path("src/fmadvisor/catalog/snapshot.json"),
    facts_as_of: Annotated[
        str, typer.Option("--facts-as-of", help="Month the facts are current to (YYYY-MM).")
    ] = "",
    compiled: Annotated[
        str | None,
        typer.Option("--compiled", help="Build date (default: today).", show_default=False),
    ] = None,
) -> None:
    """Compile sourced catalog facts (catalog/FORMAT.md) into a snapshot JSON and its provenance."""
    import datetime as dt

    from fmadvisor.catalog.facts import DATE, build_snapshot, load_facts
    from fmadvisor.fileio import atomic_write_text

    if not DATE.match(facts_as_of or ""):
        raise InputError(
            "--facts-as-of is required, as YYYY-MM (the month the facts are current to)"
        )
    models = load_facts(facts or [Path("catalog/models")])
    notes = (
        "Sourced facts about public Hugging Face models (catalog/FORMAT.md defines every field). "
        "A missing field is unknown, never assumed. Each field's source is in the provenance file beside "
        "this one; `fmadvisor catalog audit` checks them."
    )
    snapshot, provenance = build_snapshot(
        models,
        facts_as_of=facts_as_of,
        compiled=compiled or dt.date.today().isoformat(),
        notes=notes,
    )
    atomic_write_text(
        output, json.dumps(snapshot, indent=0, ensure_ascii=False, allow_nan=False) + "\n"
    )
    side = output.with_name(output.name.removesuffix(".json") + PROVENANCE_SUFFIX)
    atomic_write_text(
        side, json.dumps(provenance, indent=0, ensure_ascii=False, allow_nan=False) + "\n"
    )
    say(f"wrote {output} ({len(snapshot['models'])} models) and {side}")


@catalog_app.command("audit")
@guarded
def catalog_audit(
    target: Annotated[
        str | None,
        typer.Argument(
            help="A snapshot JSON (provenance read from beside it), a facts folder or YAML file, "
            "or 'cache' (the local Hub cache). Default: the embedded snapshot.",
            show_default=False,
        ),
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check a catalog's facts: sources for every field, definitions, shapes against sizes."""
    from fmadvisor.catalog.audit import audit
    from fmadvisor.errors import ExitCode

    records, provenance, name = _audit_input(target)
    issues = audit(records, provenance)
    errors = [i for i in issues if i.level == "error"]
    warnings = [i for i in issues if i.level == "warning"]
    if fmt is ListFormat.json:
        echo_json(
            {
                "catalog": name,
                "models": len(records),
                "errors": len(errors),
                "warnings": len(warnings),
                "issues": [i.__dict__ for i in issues],
            }
        )
    else:
        for i in issues:
            typer.echo(f"{i.level}: {i.model}: {i.field}: {i.message}")
        typer.echo(
            f"{name}: {len(records)} models; {len(errors)} error(s), {len(warnings)} warning(s)"
        )
    if errors or (strict and warnings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def _audit_input(target: str | None) -> tuple[list[dict[str, Any]], dict[str, Any] | None, str]:
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
            {k: v for k, v in _facts(c, None).items() if v not in (None, (), [])}
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
