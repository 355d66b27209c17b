"""`rules list|show|validate|fields`: inspect and check rule bases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from fmadvisor.cli._app import rules_app
from fmadvisor.cli._errors import guarded, say
from fmadvisor.cli._options import (
    echo_json,
    ListFormat,
    ListFormatOpt,
    WideOpt,
    ProfileOpt,
    RulesOpt,
    load_rules,
    use_color,
)
from fmadvisor.errors import InputError, Location


def _rule_dict(r: Any) -> dict[str, Any]:
    from fmadvisor.rules.conditions import describe, fields_of, when_of

    return {
        "id": r.id,
        "factor": r.factor,
        "kind": r.kind,
        "severity": r.severity,
        "applies": describe(r.applies) if r.applies is not None else None,
        "when": describe(when_of(r.condition, r.applies)),
        "adjust": r.adjust,
        "unknown_adjust": r.unknown_adjust,
        "on_unknown": r.on_unknown,
        "message": r.message,
        "pass_message": r.pass_message,
        "unknown_message": r.unknown_message,
        "remediation": r.remediation,
        "rationale": r.rationale,
        "references": list(r.references),
        "fields": fields_of(r.condition) if r.condition else [],
        "file": r.file,
        "line": r.line,
    }


@rules_app.command("list")
@guarded
def rules_list(
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    factor: Annotated[
        str | None, typer.Option("--factor", help="Only rules of this factor.", show_default=False)
    ] = None,
    fmt: ListFormatOpt = ListFormat.table,
    wide: WideOpt = False,
) -> None:
    """List the rules of a rule base, with factor weights."""
    rb = load_rules(rules, profile)
    chosen = [r for r in rb.rules if factor is None or r.factor == factor]
    if fmt is ListFormat.json:
        echo_json(
            {
                "profile": rb.profile,
                "weights": rb.weights,
                "sources": list(rb.sources),
                "rules": [_rule_dict(r) for r in chosen],
            }
        )
        return
    from rich.console import Console

    from fmadvisor.report.table import Column, fitted_table, table_width

    columns = [
        Column("id", shrink=30),
        Column("factor", drop=1),
        Column("kind", drop=2),  # adjust says "blocks" for requirements
        Column("severity"),
        Column("adjust", justify="right"),
    ]
    cells = [
        [r.id, r.factor, r.kind, r.severity, "blocks" if r.blocks else f"{r.adjust:+.2f}"]
        for r in chosen
    ]
    console = Console(no_color=not use_color(), highlight=False)
    t = fitted_table(columns, cells, console.width, wide=wide)
    if wide:
        console.width = max(console.width, table_width(t))
    console.print(t)
    weights = ", ".join(f"{k} {v:.2f}" for k, v in rb.weights.items())
    console.print(f"{len(chosen)} rule(s); profile {rb.profile}; weights: {weights}", style="dim")


@rules_app.command("show")
@guarded
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. license.non-commercial.")],
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Show one rule: condition fields, messages, remediation, rationale, where it is defined."""
    rb = load_rules(rules, profile)
    rule = rb.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in rb.rules], n=3)
        raise InputError(
            f"no rule '{rule_id}'" + (f"; did you mean {', '.join(close)}?" if close else "")
        )
    d = _rule_dict(rule)
    if fmt is ListFormat.json:
        echo_json(d)
        return
    for key, value in d.items():
        if value in (None, [], ""):
            continue
        typer.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")


@rules_app.command("validate")
@guarded
def rules_validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Rule files to check, layered on the base (none: the base itself).",
            show_default=False,
        ),
    ] = None,
    profile: ProfileOpt = None,
) -> None:
    """Check rule files: YAML, schema, conditions, templates, weights. Exit 2 with a located error."""
    rb = load_rules(files, profile)
    say(
        f"ok: {len(rb.rules)} rules, {len(rb.weights)} factors (profile {rb.profile}; {len(rb.sources)} file(s) read)"
    )


@rules_app.command("fields")
@guarded
def rules_fields(
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """List every field a rule condition or message may name."""
    from fmadvisor.rules.conditions import OPERATORS
    from fmadvisor.rules.fields import all_fields

    fields = all_fields()
    if fmt is ListFormat.json:
        echo_json(
            {
                "fields": [
                    {"name": k, "kind": v[0], "description": v[1]} for k, v in fields.items()
                ],
                "operators": {
                    k: {"applies_to": sorted(o.kinds), "doc": o.doc} for k, o in OPERATORS.items()
                },
            }
        )
        return
    width = max(len(k) for k in fields)
    for name, (kind, desc) in fields.items():
        typer.echo(f"{name.ljust(width)}  {kind:<6}  {desc}")
    typer.echo("")
    typer.echo("operators: " + ", ".join(OPERATORS))


@rules_app.command("test")
@guarded
def rules_test(
    path: Annotated[Path, typer.Argument(help="A case file or a folder of case files.")],
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Run rule test cases (fires / passes / unknown / inapplicable); exit 1 when any case fails."""
    from fmadvisor.errors import ExitCode
    from fmadvisor.rules.cases import case_files, run_file

    loaded: dict[str | None, Any] = {}

    def rulebase_for(declared: str | None) -> Any:  # each case file runs with its own profile
        name = declared or profile
        if name not in loaded:
            loaded[name] = load_rules(rules, name)
        return loaded[name]

    results = [r for f in case_files(path) for r in run_file(f, rulebase_for)]
    if not results:  # a run that tested nothing must not look like a pass in CI
        raise InputError(
            "no rule test cases found (case files are .yaml files with a 'cases' list)",
            Location(str(path)),
        )
    failed = [r for r in results if not r.ok]
    for r in failed:
        typer.echo(f"FAIL {r.file}:{r.line}: {r.rule}: {r.name}: expected {r.expect}, got {r.got}")
    say(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(int(ExitCode.FINDINGS))
