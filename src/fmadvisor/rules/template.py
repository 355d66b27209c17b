"""Message templates: plain text with `{field.name}` placeholders, nothing else.

No format specs, no attribute access, no expressions: a placeholder names a field from the
registry and is checked when the rule file is loaded. `{{` and `}}` stand for literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) is not None]


def check(text: str, known: set[str] | dict[str, Any]) -> str | None:
    """An error message when a placeholder is not a known field, else None."""
    stray = PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        return "unbalanced '{' or '}' (write {{ or }} for a literal brace)"
    for name in placeholders(text):
        if name not in known:
            return f"unknown placeholder '{{{name}}}'"
    return None


def unresolved(text: str, lookup: Callable[[str], Any]) -> bool:
    """Whether a placeholder of `text` names a value that is unknown (would show as "unknown")."""
    return any(lookup(name) is None for name in placeholders(text))


def show(value: Any) -> str:
    """A value as a person reads it."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, (list, tuple, frozenset, set)):
        return ", ".join(show(v) for v in value) if value else "none"
    return str(value)


def render(text: str, lookup: Callable[[str], Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return show(lookup(m.group(1)))

    return PLACEHOLDER.sub(sub, text)
