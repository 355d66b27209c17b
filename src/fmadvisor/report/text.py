"""Small text helpers shared by the human-readable formatters."""

from __future__ import annotations

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, width: int = 10, ascii_only: bool = False) -> str:
    """A horizontal bar for a value in [0, 1]."""
    value = min(1.0, max(0.0, value))
    if ascii_only:
        n = round(value * width)
        return "#" * n + "." * (width - n)
    eighths = round(value * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


def size(params: int | None, inferred: bool = False) -> str:
    """A parameter count for a table cell; "~" marks one inferred at load time (params_basis)."""
    if params is None:
        return "?"
    mark = "~" if inferred else ""
    if params >= 1e9:
        return f"{mark}{params / 1e9:.1f}B"
    return f"{mark}{params / 1e6:.0f}M"


def join_sentences(parts: list[str]) -> str:
    """Reasons in one line: 'a.; b' reads badly, so a part ending a sentence is followed by a space."""
    out = ""
    for part in parts:
        if out:
            out += " " if out.endswith((".", "!", "?")) else "; "
        out += part
    return out
