"""Errors are translated once, here: one sentence on stderr and a documented exit code.

Set FMADVISOR_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from fmadvisor.errors import DataUnavailableError, ExitCode, FmadvisorError, InputError

F = TypeVar("F", bound=Callable[..., Any])
INTERNAL_ERROR = 4


def say(message: str) -> None:
    """A line for the user on stderr (stdout belongs to the payload)."""
    print(message, file=sys.stderr)


def describe(exc: FmadvisorError) -> str:
    if isinstance(exc, InputError):
        lines = [f"error: {e.line()}" for e in exc.all]
        return "\n".join(lines + ([f"({exc.summary()})"] if exc.summary() else []))
    if isinstance(exc, DataUnavailableError):
        return f"error: data unavailable: {exc}"
    return f"error: {exc}"


def guarded(fn: F) -> F:
    """Run a command; turn domain errors into a message and their exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except FmadvisorError as exc:
            say(describe(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # stdout closed early (e.g. `| head`): not an error worth a message
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            finally:
                raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("FMADVISOR_DEBUG"):
                raise
            say(
                f"internal error: {type(exc).__name__}: {exc} (set "
                "FMADVISOR_DEBUG=1 for the traceback; please report it)"
            )
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]
