"""JSON: the document itself (json.dumps, never through a terminal library)."""

from __future__ import annotations

import json
from typing import Any

from fmadvisor.report import RenderOptions


def render_json(document: dict[str, Any], options: RenderOptions) -> str:
    return (
        json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )  # NaN is not JSON
