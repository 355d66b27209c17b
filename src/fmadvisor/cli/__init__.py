"""The command line: a thin door in front of the core.

Each command parses its options, calls the core, formats, and returns an exit code. Core modules
are imported inside the commands so that `fmadvisor --version` and `--help` start fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from fmadvisor import __version__


class _Group(TyperGroup):
    """The top-level group: every usage error becomes one line on stderr and exit 2, like the core's
    errors, instead of typer's multi-line box."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _usage_errors():
            return super().invoke(ctx)


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


from fmadvisor.cli import ask_cmds, catalog_cmds, estimate_cmds, gate_cmds, rules_cmds, score_cmds  # noqa: E402,F401  (register commands)


def main() -> None:
    import signal
    import sys

    # SIGTERM (CI cancelling a job) exits like Ctrl-C does: cleanup runs, so an atomic write in
    # progress removes its temporary file and the previous output stays intact.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    app()
