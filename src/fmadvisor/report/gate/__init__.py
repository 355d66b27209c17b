"""Output formats of the CI gate (`fmadvisor check`): one module per format, one interface.

Every formatter is `(CheckReport, RuleBase, GateOptions) -> str` and reads the same report; machine
formats print only their payload. `formatter(fmt)` imports only the module a run needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fmadvisor.gate_model import CheckReport
    from fmadvisor.rules import RuleBase


class GateFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


@dataclass(frozen=True)
class GateOptions:
    """Options of the gate's formatters."""

    sarif_include_waived: bool = False  # keep waived findings in SARIF, as suppressed results


GateFormatter = Callable[["CheckReport", "RuleBase", GateOptions], str]
_MODULES = {
    GateFormat.text: "text",
    GateFormat.json: "json_format",
    GateFormat.sarif: "sarif",
    GateFormat.junit: "junit",
    GateFormat.github: "github",
    GateFormat.markdown: "markdown",
}


def formatter(fmt: GateFormat) -> GateFormatter:
    """The formatter for `fmt` (a test checks every GateFormat has one)."""
    return import_module(f"fmadvisor.report.gate.{_MODULES[fmt]}").render  # type: ignore[no-any-return]


def render(
    report: CheckReport, rulebase: RuleBase, fmt: GateFormat, options: GateOptions | None = None
) -> str:
    return formatter(fmt)(report, rulebase, options or GateOptions())


gate_formatter = formatter  # the name the CLI used before the package split
