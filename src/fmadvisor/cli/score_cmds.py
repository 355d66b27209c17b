"""`score`, `init` and `schema`: the main job and its companions."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from fmadvisor.cli._app import app, schema_app
from fmadvisor.cli._errors import describe, guarded, say
from fmadvisor.cli._options import (
    AsOfOpt,
    CatalogOpt,
    ProfileOpt,
    RequireLiveOpt,
    DEFAULT_TOP,
    RulesOpt,
    StrictOpt,
    TopOpt,
    WideOpt,
    as_of_date,
    checked_spec,
    expand_specs,
    load_catalog,
    load_rules,
    stdout_is_terminal,
    terminal_width,
    use_color,
)
from fmadvisor.errors import ExitCode, InputError, Location
from fmadvisor.report import Format


# The report formats plus `auto` (table on a terminal, else JSON, or by --output's suffix).
OutFormat = Enum("OutFormat", {"auto": "auto", **{f.name: f.value for f in Format}}, type=str)


_BY_SUFFIX = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".txt": "table",
}


def _pick_format(fmt: OutFormat, output: Path | None) -> str:
    if fmt is not OutFormat.auto:
        return fmt.value
    if output is not None:
        return _BY_SUFFIX.get(output.suffix.lower(), "json")
    return "table" if stdout_is_terminal() else "json"


@app.command()
@guarded
def score(
    specs: Annotated[
        list[str],
        typer.Argument(help="Spec files, folders of specs, or glob patterns.", show_default=False),
    ],
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    catalog: CatalogOpt = "embedded",
    fmt: Annotated[
        OutFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format. auto: table on a terminal, else JSON (or by --output's extension).",
        ),
    ] = OutFormat.auto,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    top: TopOpt = DEFAULT_TOP,
    detail: Annotated[
        int,
        typer.Option(
            "--detail",
            min=0,
            help="How many top models get a per-factor breakdown in table and markdown.",
        ),
    ] = 3,
    show_blocked: Annotated[
        bool,
        typer.Option(
            "--show-blocked",
            help="Report every blocked model with the rules that blocked it (default: as many as --top).",
        ),
    ] = False,
    as_of: AsOfOpt = None,
    require_live: RequireLiveOpt = False,
    strict: StrictOpt = False,
    wide: WideOpt = False,
) -> None:
    """Rank candidate models for each project spec and explain every factor."""
    from fmadvisor.advise import advise
    from fmadvisor.catalog import staleness
    from fmadvisor.report import RenderOptions, build_score_report, error_entry, render
    from fmadvisor.report.document import result_entry
    from fmadvisor.spec import load_spec

    date = as_of_date(as_of)
    rulebase = load_rules(rules, profile)
    paths = expand_specs(specs)
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    loaded_specs = []
    for path in paths:
        try:
            loaded_specs.append(checked_spec(load_spec(path), rulebase, strict))
        except InputError as exc:
            say(describe(exc))
            errors.extend(error_entry(str(path), e) for e in exc.all)
    cat = load_catalog(catalog, [ls.spec for ls in loaded_specs], require_live)
    for loaded in loaded_specs:
        advice = advise(
            loaded.spec,
            cat.candidates,
            rulebase,
            as_of=date,
            lookup=cat.get,
            top=top or None,
            blocked_top=None if show_blocked else (top or None),
        )
        results.append(result_entry(loaded, advice.ranking, advice.recommendation))
    notes = [n for n in [staleness(cat, date)] if n]
    for note in notes:
        say(f"note: {note}")
    document = build_score_report(
        results, errors, catalog=cat, rulebase=rulebase, as_of=date, notes=notes
    )
    chosen = Format(_pick_format(fmt, output))
    to_terminal = output is None and stdout_is_terminal()
    text = render(
        document,
        chosen,
        RenderOptions(
            color=to_terminal and use_color(),
            width=terminal_width() if to_terminal else 100,
            detail=detail,
            show_blocked=show_blocked,
            wide=wide,
        ),
    )
    if output is not None:
        from fmadvisor.fileio import atomic_write_text

        atomic_write_text(output, text)
        say(f"wrote {output} ({len(results)} spec(s) scored, {len(errors)} invalid)")
    else:
        typer.echo(text, nl=False)
    if errors:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


@app.command()
@guarded
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter spec.")] = Path(
        "fmadvisor.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec to edit."""
    from importlib import resources

    from fmadvisor.fileio import atomic_write_text

    if path.exists() and not force:
        raise InputError("file exists; pass --force to overwrite it", Location(str(path)))
    text = resources.files("fmadvisor.templates").joinpath("spec.yaml").read_text(encoding="utf-8")
    atomic_write_text(path, text)
    say(f"wrote {path}; edit it, then run: fmadvisor score {path}")


@schema_app.command("spec")
@guarded
def schema_spec() -> None:
    """JSON Schema of the project spec (point your editor's YAML language server at it)."""
    from fmadvisor.schemas import spec_schema

    typer.echo(json.dumps(spec_schema(), indent=2))


@schema_app.command("report")
@guarded
def schema_report() -> None:
    """JSON Schema of `score --format json` output."""
    from fmadvisor.schemas import report_schema

    typer.echo(json.dumps(report_schema(), indent=2))
