"""`models list|show` and `catalog refresh|info|clear|build|audit`: parse options, call the
catalog core (`catalog/browse.py`), print its answer (`report/catalog_view.py`)."""

from __future__ import annotations

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


def _facts(c: Any, license_class: str | None) -> dict[str, Any]:
    import msgspec

    d = {k: (list(v) if isinstance(v, tuple) else v) for k, v in msgspec.to_builtins(c).items()}
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
    from fmadvisor.catalog.browse import model_facts, select

    cat = load_catalog(catalog, require_live=require_live)
    tables = load_rules(rules, profile).tables
    rows = select(
        cat,
        tables,
        task=task,
        license_class_=license_class,
        max_params=max_params,
        library=library,
    )
    if fmt is ListFormat.json:
        echo_json(
            {
                "catalog": cat.source,
                "facts_as_of": cat.facts_as_of,
                "models": [model_facts(c, cls) for c, cls in rows],
            }
        )
        return
    from rich.console import Console

    from fmadvisor.report.catalog_view import models_table
    from fmadvisor.report.table import fitted_table, table_width

    console = Console(no_color=not use_color(), highlight=False)
    t = fitted_table(*models_table(rows), console.width, wide=wide)
    if wide:
        console.width = max(console.width, table_width(t))
    console.print(t)
    console.print(
        f"{len(rows)} of {len(cat)} models ({cat.source}, facts as of {cat.facts_as_of})",
        style="dim",
    )


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
    from fmadvisor.catalog.browse import feeds, find, license_class, model_facts

    rulebase = load_rules(None, None)
    extra: dict[str, Any] = {}
    if live:
        from fmadvisor.catalog.hub import HubSource

        c, extra = HubSource().model(model_id, security=True)
    else:
        c = find(load_catalog(catalog), model_id)
    facts = model_facts(c, license_class(c, rulebase.tables))
    fed = feeds(rulebase)
    if fmt is ListFormat.json:
        echo_json({**facts, **({"live": extra} if live else {}), "feeds": fed})
        return
    from fmadvisor.report.catalog_view import model_lines

    typer.echo("\n".join(model_lines(facts, fed, extra if live else None)))


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
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from fmadvisor.catalog.browse import hub_query, refresh_cache

    hub, query = hub_query(task or [], search, author, library, limit, min_downloads)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        listing = bar.add_task("listing models", total=None)
        found, path = refresh_cache(
            hub, query, progress=lambda n: bar.update(listing, description=f"{n} models")
        )
    say(f"cached {found} models from {hub.endpoint} in {hub.requests} requests ({path})")


@catalog_app.command("info")
@guarded
def catalog_info(fmt: ListFormatOpt = ListFormat.table) -> None:
    """Show what the local Hub cache holds, from where, and how old it is."""
    from fmadvisor.catalog.cache import HubCache

    info = HubCache().info()
    if fmt is ListFormat.json:
        echo_json(info)
        return
    from fmadvisor.report.catalog_view import cache_lines

    typer.echo("\n".join(cache_lines(info)))


@catalog_app.command("clear")
@guarded
def catalog_clear() -> None:
    """Delete the local Hub cache."""
    from fmadvisor.catalog.cache import HubCache

    cache = HubCache()
    say(f"removed {cache.path}" if cache.clear() else "the cache was already empty")


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

    from fmadvisor.catalog.browse import provenance_path, write_snapshot

    count = write_snapshot(
        facts or [Path("catalog/models")],
        output,
        facts_as_of,
        compiled or dt.date.today().isoformat(),
    )
    say(f"wrote {output} ({count} models) and {provenance_path(output)}")


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
    from fmadvisor.catalog.browse import audit_records
    from fmadvisor.errors import ExitCode

    records, provenance, name = audit_records(target)
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
        from fmadvisor.report.catalog_view import audit_lines

        typer.echo("\n".join(audit_lines(name, len(records), issues)))
    if errors or (strict and warnings):
        raise typer.Exit(int(ExitCode.FINDINGS))
