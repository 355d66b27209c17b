"""Domain errors and exit codes.

The core raises these; only the CLI turns them into a sentence and an exit code (see
`fmadvisor.cli._errors`). Every input error carries where it happened, so a user who mistypes a
field sees the file, line, column and field path rather than a stack trace.
"""

from __future__ import annotations

from enum import IntEnum

import msgspec


class ExitCode(IntEnum):
    """Exit codes, documented in the README. They are part of the CLI's contract."""

    OK = 0
    FINDINGS = 1  # reserved for the CI gate: findings at or above --fail-on
    INVALID_INPUT = 2  # a spec, rule file or argument is invalid
    DATA_UNAVAILABLE = 3  # data the run needs (a model's metadata, a catalog) cannot be had


class FmadvisorError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT


class Location(msgspec.Struct, frozen=True):
    """A place in an input file. `line` and `column` are 1-based; 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0
    field: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.field}" if self.field else where


class InputError(FmadvisorError):
    """Invalid user input (spec, rules, arguments), with its location when known."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.also: tuple[InputError, ...] = ()  # further errors found in the same input
        self.total = 1  # errors found in all (more than 1 + len(also) when capped)

    @property
    def all(self) -> list[InputError]:
        """This error and the others found in the same input, each located."""
        return [self, *self.also]

    def line(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def summary(self) -> str:
        """'' for one error; the count when there are several (and how many are not shown)."""
        shown = 1 + len(self.also)
        if self.total > shown:
            return f"{self.total} errors; the first {shown} are shown"
        return f"{shown} errors" if shown > 1 else ""

    def __str__(self) -> str:
        return "\n".join(
            [e.line() for e in self.all] + ([self.summary()] if self.summary() else [])
        )


class SpecError(InputError):
    """A project spec that cannot be read or is invalid."""


class RuleError(InputError):
    """A rule file that cannot be read or is invalid."""


class DataUnavailableError(FmadvisorError):
    """Data the run needs cannot be had (catalog missing, metadata for a model unavailable)."""

    exit_code = ExitCode.DATA_UNAVAILABLE
