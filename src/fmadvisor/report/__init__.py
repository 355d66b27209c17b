"""Reports: one document shape, many formats.

`build_score_report` turns rankings into the canonical JSON-shaped document (its JSON Schema is
`fmadvisor schema report`); every formatter reads that same document, so formats cannot disagree.
Formatters are registered per `Format` and must not print: they return text.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import msgspec

SCHEMA_VERSION = 1


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


class RenderOptions(msgspec.Struct, frozen=True):
    """How a score report is rendered (color, width, detail, blocked models, wide tables)."""

    color: bool = False
    width: int = 100
    detail: int = 3  # how many top models get a per-factor breakdown (table, markdown)
    show_blocked: bool = False
    wide: bool = False  # tables: every column, nothing cut (lines as long as they need)


Formatter = Callable[[dict[str, Any], RenderOptions], str]


def formatter(fmt: Format) -> Formatter:
    """The formatter for `fmt` (imported lazily: rich loads only for tables)."""
    if fmt is Format.json:
        from fmadvisor.report.json_format import render_json

        return render_json
    if fmt is Format.csv:
        from fmadvisor.report.csv_format import render_csv

        return render_csv
    if fmt is Format.markdown:
        from fmadvisor.report.markdown import render_markdown

        return render_markdown
    if fmt is Format.table:
        from fmadvisor.report.table import render_table

        return render_table
    raise ValueError(f"no formatter for {fmt}")  # a test checks every Format has one


def render(document: dict[str, Any], fmt: Format, options: RenderOptions | None = None) -> str:
    return formatter(fmt)(document, options or RenderOptions())


def __getattr__(name: str) -> Any:
    """The document builders, imported on first use (they pull in the rule engine)."""
    if name in ("build_score_report", "error_entry"):
        from fmadvisor.report import document

        return getattr(document, name)
    raise AttributeError(name)


__all__ = [
    "Format",
    "RenderOptions",
    "render",
    "formatter",
    "build_score_report",
    "error_entry",
    "SCHEMA_VERSION",
]
