"""`check`, `lock` and `bom`: the CI gate on the models a repository declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from typing import Annotated

import typer

from fmadvisor.cli._app import app
from fmadvisor.cli._errors import guarded, say
from fmadvisor.cli._options import (
    AsOfOpt,
    CatalogOpt,
    ProfileOpt,
    RequireLiveOpt,
    RulesOpt,
    StrictOpt,
    checked_spec,
    as_of_date,
    load_catalog,
    load_rules,
    stdout_is_terminal,
)
from fmadvisor.errors import ExitCode, InputError, Location

SpecArg = Annotated[
    Path, typer.Argument(help="The spec declaring the models (its `models:` section).")
]
LockOpt = Annotated[
    Path | None,
    typer.Option(
        "--lockfile",
        help="Lockfile path (default: fmadvisor.lock beside the spec).",
        show_default=False,
    ),
]


def _spec(path: Path, *, fast: bool = True):  # noqa: ANN202
    from fmadvisor.spec import load_spec

    return load_spec(path, fast=fast)


def _default_beside(spec: Path, name: str) -> Path:
    return spec.parent / name


@app.command()
@guarded
def check(
    spec: SpecArg = Path("fmadvisor.yaml"),
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Fail on findings at or above: info, low, medium, high, critical."
        ),
    ] = "high",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, sarif, junit, github or markdown (default: text on a terminal, json otherwise).",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        Path | None,
        typer.Option(
            "--json-output",
            help="Also write the JSON report here (atomically).",
            show_default=False,
        ),
    ] = None,
    sarif_output: Annotated[
        Path | None,
        typer.Option("--sarif-output", help="Also write SARIF 2.1.0 here.", show_default=False),
    ] = None,
    junit_output: Annotated[
        Path | None,
        typer.Option("--junit-output", help="Also write JUnit XML here.", show_default=False),
    ] = None,
    markdown_output: Annotated[
        Path | None,
        typer.Option(
            "--markdown-output",
            help="Also write a markdown summary here (e.g. $GITHUB_STEP_SUMMARY).",
            show_default=False,
        ),
    ] = None,
    sarif_include_waived: Annotated[
        bool,
        typer.Option(
            "--sarif-include-waived", help="Keep waived findings in SARIF (as suppressed results)."
        ),
    ] = False,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            help="Waivers file (default: fmadvisor-waivers.yaml beside the spec, if present).",
            show_default=False,
        ),
    ] = None,
    no_waivers: Annotated[bool, typer.Option("--no-waivers", help="Ignore all waivers.")] = False,
    lockfile: LockOpt = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Use no network: the embedded or given catalog and the lockfile's recorded metadata only.",
        ),
    ] = False,
    allow_unknown: Annotated[
        bool,
        typer.Option(
            "--allow-unknown",
            help="Report models without metadata as findings instead of exiting 3.",
        ),
    ] = False,
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    catalog: CatalogOpt = "embedded",
    as_of: AsOfOpt = None,
    require_live: RequireLiveOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Gate the models a spec declares: rules, hardware and strategy fit, lockfile drift, waivers."""
    from fmadvisor.check import RANK, check_spec
    from fmadvisor.fileio import atomic_write_text
    from fmadvisor.report.gate import GateFormat, GateOptions, gate_formatter

    if fail_on not in RANK:
        raise InputError(f"--fail-on must be one of {', '.join(RANK)}, got {fail_on!r}")
    chosen = fmt or ("text" if stdout_is_terminal() else "json")
    try:
        out_format = GateFormat(chosen)
    except ValueError:
        raise InputError(
            f"--format must be one of {', '.join(f.value for f in GateFormat)}, got {chosen!r}"
        ) from None
    date = as_of_date(as_of)
    rulebase = load_rules(rules, profile)
    loaded = checked_spec(_spec(spec), rulebase, strict)
    if offline and catalog in ("hub",):
        raise InputError(
            "--offline and --catalog hub contradict each other; use --catalog cache or embedded"
        )
    cat = load_catalog(catalog, [loaded.spec], require_live)
    lock, waiver_list = _lock_and_waivers(spec, lockfile, waivers, no_waivers, rulebase, date)
    report = check_spec(
        loaded,
        cat,
        rulebase,
        as_of=date,
        fail_on=fail_on,
        lock=lock,
        waivers=waiver_list,
        allow_unknown=allow_unknown,
    )
    for note in report.notes:
        say(f"note: {note}")
    options = GateOptions(sarif_include_waived=sarif_include_waived)
    for path, kind in (
        (json_output, GateFormat.json),
        (sarif_output, GateFormat.sarif),
        (junit_output, GateFormat.junit),
        (markdown_output, GateFormat.markdown),
    ):
        if path is not None:
            atomic_write_text(path, gate_formatter(kind)(report, rulebase, options))
    typer.echo(gate_formatter(out_format)(report, rulebase, options), nl=False)
    if out_format is not GateFormat.text:
        from fmadvisor.report.gate.common import summary_line as _summary_line

        say(_summary_line(report))
    if not report.passed:
        raise typer.Exit(int(ExitCode.FINDINGS))


def _lock_and_waivers(
    spec: Path,
    lockfile: Path | None,
    waivers: Path | None,
    no_waivers: bool,
    rulebase: Any,
    date: Any,
) -> tuple[Any, list[Any]]:
    """The lockfile and waivers a check reads: given ones must exist; by default the files beside
    the spec, when they are there."""
    from fmadvisor import lockfile as lockmod
    from fmadvisor import waivers as waivermod

    lock_path = lockfile or _default_beside(spec, lockmod.LOCKFILE)
    lock = lockmod.load(lock_path) if lock_path.exists() else None
    if lockfile is not None and lock is None:
        raise InputError("lockfile not found", Location(str(lockfile)))
    if no_waivers:
        return lock, []
    waiver_path = waivers or _default_beside(spec, waivermod.WAIVERS_FILE)
    if waiver_path.exists():
        from fmadvisor.check import BUILTIN

        known = {r.id for r in rulebase.rules} | set(BUILTIN)
        return lock, waivermod.load(waiver_path, as_of=date, known_rules=known)
    if waivers is not None:
        raise InputError("waivers file not found", Location(str(waivers)))
    return lock, []


@app.command()
@guarded
def lock(
    spec: SpecArg = Path("fmadvisor.yaml"),
    lockfile: LockOpt = None,
    catalog: CatalogOpt = "embedded",
    as_of: AsOfOpt = None,
    require_live: RequireLiveOpt = False,
) -> None:
    """Record the declared models' metadata in fmadvisor.lock, so `check` reports drift."""
    from fmadvisor import lockfile as lockmod
    from fmadvisor.fileio import atomic_write_text

    loaded = _spec(spec)
    document = lockmod.build(
        loaded, load_catalog(catalog, [loaded.spec], require_live), as_of_date(as_of)
    )
    path = lockfile or _default_beside(spec, lockmod.LOCKFILE)
    atomic_write_text(path, lockmod.render(document))
    say(f"wrote {path} ({len(document['models'])} model(s))")


@app.command()
@guarded
def bom(
    spec: SpecArg = Path("fmadvisor.yaml"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the BOM here (atomically) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOpt = "embedded",
    as_of: AsOfOpt = None,
) -> None:
    """Export the declared models as a CycloneDX 1.6 ML-BOM (JSON)."""
    import json

    from fmadvisor.bom import build

    loaded = _spec(spec, fast=False)  # the BOM's serial number hashes the spec as pydantic dumps it
    document = (
        json.dumps(build(loaded, load_catalog(catalog, [loaded.spec]), as_of_date(as_of)), indent=2)
        + "\n"
    )
    if output is not None:
        from fmadvisor.fileio import atomic_write_text

        atomic_write_text(output, document)
        say(f"wrote {output}")
    else:
        typer.echo(document, nl=False)
