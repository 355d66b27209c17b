"""The typer applications, the root options and the top-level group (the main job first in --help,
plain metavars, usage errors as one line); command modules register on these."""

from __future__ import annotations

import contextlib
import copy
import functools
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup

from fmadvisor import __version__


MAIN_ORDER = ("score", "ask", "init", "check", "lock", "bom", "estimate")
"""The main job first in --help; the groups (models, rules, catalog, schema) after."""
_TYPE_WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "path": "PATH"}
_TYPER_029 = hasattr(TyperArgument, "display_type")
"""typer 0.29 describes a parameter's type itself; 0.28 leaves it to the click type."""


class _Group(TyperGroup):
    """The top-level group: the main job first in --help, plain metavars (TEXT, PATH, a|b) rather
    than typer's `<bool>` and `<list[Path]>`, and every usage error as one line on stderr with exit
    2, like the core's errors, instead of typer's multi-line box."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return [n for n in MAIN_ORDER if n in names] + [n for n in names if n not in MAIN_ORDER]

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        _plain_metavars(self)
        with _usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _usage_errors():
            return super().invoke(ctx)


def _plain_metavars(command: Any) -> None:
    """Give every parameter of `command` and its subcommands the plain metavar, on the typer
    releases the package allows: 0.29 asks `display_type_rich`; 0.28 asks an option's
    `make_metavar` and an argument's type's `get_metavar` (which the usage line also reads, so an
    argument keeps its own usage form)."""
    if "get_help_option" in vars(command):
        return  # done already
    for param in command.params:
        word = functools.partial(_metavar, param)
        param.display_type_rich = word
        if _TYPER_029:
            continue
        if param.param_type_name == "argument":
            param.type = copy.copy(param.type)  # click's types are shared singletons
            param.type.get_metavar = lambda param, ctx, _w=word: _w(ctx)
            param.make_metavar = functools.partial(_argument_usage, param)
        else:
            param.make_metavar = lambda ctx=None, _w=word, **_: _w(ctx) or ""
    help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = help_option(ctx)
        if option is not None:
            option.display_type_rich = functools.partial(_metavar, option)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


def _metavar(param: Any, ctx: Any = None) -> str | None:
    """TEXT, INTEGER, NUMBER, PATH or the choices a|b, with `...` when the value repeats."""
    if getattr(param, "is_flag", False):
        return None  # a flag takes no value
    if getattr(param, "metavar", None):
        return str(param.metavar)
    if _TYPER_029:
        label = type(param).display_type(param, ctx).strip("<>")
    else:
        choices = getattr(param.type, "choices", None)
        label = "|".join(str(c) for c in choices) if choices else param.type.name
    label = label.removesuffix(" range")
    repeated = label.startswith("list[")
    label = label.removeprefix("list[").removesuffix("]") if repeated else label
    word = _TYPE_WORDS.get(label, label)
    repeated = repeated or getattr(param, "multiple", False) or getattr(param, "nargs", 1) != 1
    return word + ("..." if repeated else "")


def _argument_usage(param: Any, ctx: Any = None, *, usage: bool = False) -> str:
    """An argument in the usage line: {name} when required, [name] when not, `...` when repeated."""
    name = param.metavar or param.name or ""
    if usage:
        name = f"{{{name}}}" if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


@contextlib.contextmanager
def _usage_errors() -> Iterator[None]:
    from fmadvisor.cli._errors import UsageError, say, usage_line

    try:
        yield
    except UsageError as exc:
        say(usage_line(exc))
        raise typer.Exit(2) from None


app = typer.Typer(
    name="fmadvisor",
    cls=_Group,
    help="Pick a pre-trained foundation model and the way to customize it, from a YAML project spec.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
models_app = typer.Typer(help="Browse the model catalog.", no_args_is_help=True)
rules_app = typer.Typer(help="Inspect and validate rule bases.", no_args_is_help=True)
schema_app = typer.Typer(
    help="Print JSON Schemas (for editors and for validating output).", no_args_is_help=True
)
catalog_app = typer.Typer(
    help="The local cache of live Hugging Face Hub metadata.", no_args_is_help=True
)
app.add_typer(models_app, name="models")
app.add_typer(rules_app, name="rules")
app.add_typer(schema_app, name="schema")
app.add_typer(catalog_app, name="catalog")


def _version(value: bool) -> None:
    if value:
        print(f"fmadvisor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Pick a pre-trained foundation model and the way to customize it, from a YAML project spec."""
