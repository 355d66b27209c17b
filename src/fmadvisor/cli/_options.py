"""Options and input handling shared by several commands."""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from fmadvisor.errors import InputError, Location

if TYPE_CHECKING:
    from fmadvisor.catalog import Catalog
    from fmadvisor.rules import RuleBase
    from fmadvisor.spec import LoadedSpec

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        "-r",
        help="Extra rule file layered on the rule base (repeatable).",
        show_default=False,
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile", help="Shipped rule profile to start from: default, strict.", show_default=False
    ),
]
CatalogOpt = Annotated[
    str,
    typer.Option(
        "--catalog",
        help="Where candidate models come from: embedded (the shipped snapshot), cache, hub, hf-cache (your local "
        "Hugging Face cache), a model folder, or a catalog JSON file.",
    ),
]
RequireLiveOpt = Annotated[
    bool,
    typer.Option(
        "--require-live",
        help="With --catalog hub: exit 3 instead of falling back to cached or embedded data.",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables: every column and whole ids, on lines as long as they need (default: fit "
        "the terminal, dropping columns and cutting ids with '…').",
    ),
]
DEFAULT_TOP = 10
TopOpt = Annotated[
    int,
    typer.Option("--top", "-n", min=0, help="How many ranked models to report; 0 for all."),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Unknown languages, frameworks, integrations and GPU names in a spec are errors, not "
        "warnings (always so under --profile strict).",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date the evaluation is made at, YYYY-MM-DD (model ages). Default: today.",
        show_default=False,
    ),
]


class ListFormat(str, Enum):
    table = "table"
    json = "json"


ListFormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help="table or json.")]


def as_of_date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-01-31, got {value!r}") from None


def load_rules(rules: list[Path] | None, profile: str | None) -> RuleBase:
    from fmadvisor.rules import load_rulebase

    return load_rulebase(list(rules or []), profile=profile)


def checked_spec(loaded: LoadedSpec, rulebase: RuleBase, strict: bool) -> LoadedSpec:
    """The spec after its vocabulary check: warnings on stderr, or under strict mode one error
    listing every unknown word (exit 2)."""
    from fmadvisor.speccheck import as_error, vocabulary_problems

    problems = vocabulary_problems(loaded, rulebase.tables)
    if problems and (strict or rulebase.profile == "strict"):
        raise as_error(problems)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return loaded


def load_catalog(name: str, specs: Any = (), require_live: bool = False) -> Catalog:
    """The catalog `--catalog` names; warnings about fallbacks go to stderr."""
    if name == "embedded":
        from fmadvisor.catalog import load_embedded

        return load_embedded()
    from fmadvisor.catalog.sources import resolve

    return resolve(
        name,
        specs=specs,
        require_live=require_live,
        warn=lambda m: print(f"warning: {m}", file=sys.stderr),
    )


def expand_specs(args: list[str]) -> list[Path]:
    """Files as given; directories: their *.yaml / *.yml files (recursively, sorted); globs expanded."""
    out: list[Path] = []
    for arg in args:
        if any(ch in arg for ch in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", Location(arg))
            out.extend(Path(m) for m in matches if Path(m).is_file())
            continue
        p = Path(arg)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
            if not found:
                raise InputError("folder holds no .yaml spec", Location(arg))
            out.extend(found)
        else:
            out.append(p)  # a missing file is reported per spec, and the others still run
    seen: set[Path] = set()
    return [p for p in out if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns if stdout_is_terminal() else 100


def use_color() -> bool:
    return (
        stdout_is_terminal() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    )


JSON_SCHEMA_VERSION = 1  # of every JSON document a listing command prints (reports carry their own)


def echo_json(document: dict[str, Any]) -> None:
    """Print a JSON document with its schema_version first, so consumers can tell formats apart."""
    import json

    typer.echo(
        json.dumps(
            {"schema_version": JSON_SCHEMA_VERSION, **document},
            indent=2,
            default=str,
            allow_nan=False,
        )
    )
