"""`models list|show`: browse the catalog."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from fmadvisor.cli import models_app
from fmadvisor.cli._errors import guarded
from fmadvisor.cli._options import CatalogOpt, ListFormat, ListFormatOpt, ProfileOpt, RulesOpt, load_catalog, load_rules, use_color
from fmadvisor.errors import DataUnavailableError, InputError


def _facts(c: Any, license_class: str | None) -> dict[str, Any]:
    import dataclasses

    d = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(c).items()}
    d["license_class"] = license_class
    return d


@models_app.command("list")
@guarded
def models_list(
    task: Annotated[str | None, typer.Option("--task", "-t", help="Only models that can serve this task (tag or alias).", show_default=False)] = None,
    license_class: Annotated[str | None, typer.Option("--license-class", help="permissive, copyleft, non-commercial, use-restricted, community, other or unknown.", show_default=False)] = None,
    max_params: Annotated[str | None, typer.Option("--max-params", help="Largest size, e.g. 8B or 350M.", show_default=False)] = None,
    library: Annotated[str | None, typer.Option("--library", help="Only this library (transformers, sentence-transformers, diffusers, timm, ...).", show_default=False)] = None,
    catalog: CatalogOpt = "embedded",
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List catalog models, filtered."""
    from fmadvisor import tasks
    from fmadvisor.spec import parse_count

    cat = load_catalog(catalog)
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
        typer.echo(json.dumps({"schema_version": 1, "catalog": cat.source, "facts_as_of": cat.facts_as_of,
                               "models": [_facts(c, cls) for c, cls in rows]}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from fmadvisor.report.text import size

    t = Table(show_edge=False, pad_edge=False)
    for col in ("model", "task", "size", "license", "class", "library", "released"):
        t.add_column(col, overflow="fold")
    for c, cls in rows:
        t.add_row(c.id, c.pipeline_tag or "?", size(c.params), c.license_name or c.license or "unknown",
                  cls or "unknown", c.library or "?", c.released or "?")
    console = Console(no_color=not use_color(), highlight=False)
    console.print(t)
    console.print(f"{len(rows)} of {len(cat)} models ({cat.source}, facts as of {cat.facts_as_of})", style="dim")


def _license_class(c: Any, tables: Any) -> str | None:
    from fmadvisor.rules.fields import license_info

    info = license_info(c, tables)
    return info.license_class if info else None


@models_app.command("show")
@guarded
def models_show(
    model_id: Annotated[str, typer.Argument(help="A model id, e.g. meta-llama/Llama-3.1-8B-Instruct.")],
    catalog: CatalogOpt = "embedded",
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Show everything the catalog knows about one model (unknown fields say so)."""
    cat = load_catalog(catalog)
    c = cat.get(model_id)
    if c is None:
        import difflib

        close = difflib.get_close_matches(model_id, [m.id for m in cat], n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DataUnavailableError(f"{model_id} is not in the {cat.source} catalog{hint}")
    tables = load_rules(None, None).tables
    facts = _facts(c, _license_class(c, tables))
    if fmt is ListFormat.json:
        typer.echo(json.dumps(facts, indent=2))
        return
    from fmadvisor.rules.template import show

    width = max(len(k) for k in facts)
    for key, value in facts.items():
        typer.echo(f"{key.ljust(width)}  {show(value)}")
