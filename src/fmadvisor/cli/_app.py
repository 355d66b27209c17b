"""The typer applications and the root options; command modules register on these."""

from __future__ import annotations

from typing import Annotated

import typer

from fmadvisor import __version__

app = typer.Typer(
    name="fmadvisor",
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
