"""Errors are translated once, here: one sentence on stderr and a documented exit code.

Set FMADVISOR_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import functools
import os
import re
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


# typer bundles its own click and exports only BadParameter: its base is click's UsageError, the
# class of every command-line mistake (bad value, unknown option or command, missing argument).
UsageError: type[Exception] = typer.BadParameter.__mro__[1]
_WORDS = (
    ("Input should be", "must be"),
    ("greater than or equal to", "at least"),
    ("less than or equal to", "at most"),
    ("a valid integer, unable to parse string as an integer", "a whole number"),
    ("a valid number, unable to parse string as a number", "a number"),
)
_NOT_ONE_OF = re.compile(r"^'(?P<got>.*)' is not one of (?P<choices>.*?)\.?$")
# click's own wording (typer 0.28 leaves range and number checks to click)
_OUT_OF_RANGE = re.compile(r"^(?P<got>.*?) is not in the range (?P<range>.*?)\.?$")
_NOT_A_NUMBER = re.compile(
    r"^'(?P<got>.*)' is not a valid (?P<kind>int|integer|float)( range)?\.?$"
)
_BOUNDS = (
    (re.compile(r"^x>=(?P<a>\S+)$"), "at least {a}"),
    (re.compile(r"^x<=(?P<a>\S+)$"), "at most {a}"),
    (re.compile(r"^(?P<a>\S+)<=x<=(?P<b>\S+)$"), "between {a} and {b}"),
)


def _click_wording(message: str) -> str | None:
    """click's range and number messages in the words of the rest: 'must be at least 0, got -1'."""
    m = _NOT_A_NUMBER.match(message)
    if m:
        kind = "a whole number" if m["kind"].startswith("int") else "a number"
        return f"must be {kind}, got '{m['got']}'"
    m = _OUT_OF_RANGE.match(message)
    if m is None:
        return None
    for pattern, words in _BOUNDS:
        bound = pattern.match(m["range"])
        if bound:
            return f"must be {words.format(**bound.groupdict())}, got {m['got']}"
    return f"must be in the range {m['range']}, got {m['got']}"


def usage_line(exc: Exception) -> str:
    """A usage error as one line, like the core's errors: the option, what it must be, the choices."""
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", exc)).removeprefix("Value error, ")
    if param is not None and type(exc).__name__ == "BadParameter":
        opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
        name = opts[0] if opts else param.human_readable_name
        m = _NOT_ONE_OF.match(message)
        if m:
            message = f"must be one of {m['choices'].replace(chr(39), '')}, got '{m['got']}'"
        elif (click_words := _click_wording(message)) is not None:
            message = click_words
        else:
            for before, after in _WORDS:
                message = message.replace(before, after)
        return f"error: {name} {message}"
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} -h')" if ctx is not None else ""
    text = exc.format_message() if hasattr(exc, "format_message") else message
    return f"error: {text[:1].lower()}{text[1:].rstrip('.')}{hint}"
