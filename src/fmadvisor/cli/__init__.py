"""The command line: a thin door in front of the core.

Each command parses its options, calls the core, formats, and returns an exit code. Core modules
are imported inside the commands, and `main` imports only the module of the command being run
(all of them for --help or an unknown command), so that every command starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

# command (first word) -> the module that defines it; tests/test_cli_startup.py checks it is complete
COMMAND_MODULES = {
    "score": "score_cmds",
    "init": "score_cmds",
    "schema": "score_cmds",
    "ask": "ask_cmds",
    "models": "catalog_cmds",
    "catalog": "catalog_cmds",
    "rules": "rules_cmds",
    "estimate": "estimate_cmds",
    "check": "gate_cmds",
    "lock": "gate_cmds",
    "bom": "gate_cmds",
}


def load_commands(names: list[str] | None = None) -> Any:
    """Register the command modules `names` (default: all) and return the typer app."""
    from fmadvisor.cli._app import app

    wanted = list(dict.fromkeys(COMMAND_MODULES.values())) if names is None else names
    for module in wanted:  # in COMMAND_MODULES order, which is the order --help lists them in
        importlib.import_module(f"fmadvisor.cli.{module}")
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # `from fmadvisor.cli import app`: the whole CLI (tests, embedding)
        return load_commands()
    raise AttributeError(name)


def _modules_for(argv: list[str]) -> list[str] | None:
    """The module the command line names, or None (all) for --help, --version or an unknown command."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None or argv.index(first) != 0:  # root options first (--help, --version): load all
        return None
    module = COMMAND_MODULES.get(first)
    return None if module is None else [module]


def run(argv: list[str]) -> int:
    """Run one command line; the exit code. Imports only what that command needs."""
    import signal
    import sys

    # SIGTERM (CI cancelling a job) exits like Ctrl-C does: cleanup runs, so an atomic write in
    # progress removes its temporary file and the previous output stays intact.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    app = load_commands(_modules_for(argv))
    try:
        app(args=argv, prog_name="fmadvisor")
    except SystemExit as exc:
        if isinstance(exc.code, int):
            return exc.code
        if exc.code is not None:
            print(exc.code, file=sys.stderr)
            return 1
    return 0


def main() -> None:
    import os
    import sys

    code = run(sys.argv[1:])
    # Every output file is closed by now (atomic writes rename before returning); skip the
    # interpreter's teardown of every module object, which costs more than the work of a run.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
