"""Specs for the parts of a stack: the same project seen from one model's role.

A RAG stack has a generator and an embedding model; the embedding model is chosen (by `score`)
and judged (by `check`) as what it is, a retrieval encoder, with the spec's languages and hardware
and a window that holds a planned chunk, not as a chat model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmadvisor.vocab import ROLE_TASKS

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


def embedding_spec(spec: Spec, thresholds: dict[str, float]) -> Spec:
    """The spec an embedding model for retrieval is chosen by: the task swapped, the spec's
    languages, a window of `rag_chunk_tokens`, and (served beside the generator) no larger than
    `rag_embedder_max_b` unless needs.quality is best."""
    task = spec.task.model_copy(
        update={
            "type": "feature-extraction",
            # what is retrieved keeps the project's modality: a code assistant retrieves code
            "modality": spec.task.resolved_modality,
            "scope": "narrow",
            "domain": None,
            "labels": [],
        }
    )
    needs = spec.needs.model_copy(
        update={"context_tokens": int(thresholds["rag_chunk_tokens"]), "citations": False}
    )
    limit = None if spec.needs.quality == "best" else int(thresholds["rag_embedder_max_b"] * 1e9)
    picks = spec.candidates.model_copy(update={"include": [], "max_params": limit})
    return spec.model_copy(update={"task": task, "needs": needs, "candidates": picks})


def role_spec(spec: Spec, role: str | None, thresholds: dict[str, float]) -> Spec:
    """The spec a declared model is judged by: its role's task when that differs from the spec's."""
    task = ROLE_TASKS.get((role or "").strip().lower())
    if task is None or task == spec.task.pipeline_tag:
        return spec
    if task == "feature-extraction":
        return embedding_spec(spec, thresholds).model_copy(
            update={"candidates": spec.candidates.model_copy(update={"include": []})}
        )
    narrowed = spec.task.model_copy(update={"type": task, "scope": "narrow", "domain": None})
    return spec.model_copy(update={"task": narrowed})
