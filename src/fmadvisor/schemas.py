"""JSON Schemas for the spec (editors, from the pydantic spec model) and for the score report
(consumers of JSON output, from the report's own types in `document_types.py`)."""

from __future__ import annotations

from typing import Any


from fmadvisor import tasks
from fmadvisor.spec_model import Spec

SPEC_SCHEMA_ID = "https://fmadvisor.invalid/schema/spec-v1.json"


def spec_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SPEC_SCHEMA_ID
    task = schema["$defs"]["Task"]["properties"]["type"]
    task["enum"] = tasks.known_tasks()
    return schema


def report_schema() -> dict[str, Any]:
    """The score report's JSON Schema, generated from the types the report is built from."""
    from pydantic import TypeAdapter

    from fmadvisor.document_types import ScoreReportOut

    schema = TypeAdapter(ScoreReportOut).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
