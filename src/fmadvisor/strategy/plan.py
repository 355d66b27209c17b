"""The plan that goes with a strategy: what data to prepare (and, for retrieval, how large a chunk
the embedder allows), the risks for the task's modality, how to evaluate, what to watch after
launch; and the flavour of training and the number of shots for prompting. Pure: no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING


from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules import RuleBase
from fmadvisor.rules.fields import Env, spec_value
from fmadvisor.rules.subjects import StrategyOption
from fmadvisor.rules.template import render
from fmadvisor.vocab import strategy_name

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec
    from fmadvisor.document_types import (
        DataPlanOut,
        LifecycleOut,
        PlanOut,
        RiskOut,
    )
else:
    # at run time a TypedDict call makes a plain dict: build it so, without creating the ~40 types
    # (5 ms of start-up; tests/test_formats.py checks these names are the document's types)
    DataPlanOut = LifecycleOut = PlanOut = RiskOut = dict


def plan_for(
    option: StrategyOption,
    spec: Spec,
    env: Env,
    rulebase: RuleBase,
    embedding: Candidate | None = None,
    base: Candidate | None = None,
) -> PlanOut:
    """The plan of `option` for `spec`; `base` is the model it starts from (its plan without
    training is zero-shot use when that model takes no prompt)."""
    info = rulebase.tables.strategies[option.id]
    as_is = info.as_is if takes_no_prompt(spec, base) else None
    text = as_is or info
    metrics = list(rulebase.tables.metrics.get(spec.task.pipeline_tag, ()))
    if option.retrieval:
        metrics += [m for m in rulebase.tables.metrics.get("retrieval", ()) if m not in metrics]
    lookup = lambda name: spec_value(name, env)  # noqa: E731
    return PlanOut(
        label=as_is.label if as_is else strategy_name(option.id, option.method, long=True),
        summary=text.summary,
        data=DataPlanOut(
            min_examples=text.data.min_examples,
            recommended=text.data.recommended,
            splits=text.data.splits,
            chunking=(
                chunking(embedding, rulebase.tables.thresholds) if option.retrieval else None
            ),
        ),
        risks=[
            RiskOut(risk=r.risk, mitigation=r.mitigation)
            for r in text.risks
            if r.modalities is None or modality_of(spec) in r.modalities
        ],
        metrics=metrics,
        lifecycle=LifecycleOut(monitor=list(text.monitor), refresh=render(text.refresh, lookup)),
        guidance=list(text.guidance),
    )


def chunking(embedding: Candidate | None, thresholds: dict[str, float]) -> str:
    """How large the retrieval chunks should be: no longer than the chosen embedder reads (it
    truncates the rest silently), and no longer than rag_chunk_max_tokens even when it reads more
    (a long chunk blurs its embedding)."""
    most = int(thresholds["rag_chunk_max_tokens"])
    if embedding is None:
        return f"chunks no longer than the window of the embedding model you pick (at most {most} tokens)"
    window = embedding.max_seq_length or embedding.context_length
    if window is None:
        return (
            f"unknown: {embedding.id}'s input window is not recorded; read max_seq_length in its "
            "sentence_bert_config.json (or max_position_embeddings) before chunking, since text "
            "past the window is silently cut off"
        )
    size = min(window, most)
    why = (
        f"{embedding.id} reads at most {window} tokens and cuts off the rest"
        if window <= most
        else f"{embedding.id} reads up to {window} tokens, but a longer chunk blurs its embedding"
    )
    return f"chunks of at most {size} tokens, overlapping by about a tenth: {why}"


def flavour(spec: Spec, best: Candidate | None) -> list[str]:
    out = []
    if spec.task.pipeline_tag == "text-generation" and (
        spec.needs.behaviour_change or (best and best.variant == "base")
    ):
        out.append("instruction")
    if spec.task.subtasks > 1:
        out.append("multi-task")
    if spec.task.domain_shift in ("medium", "high") or spec.task.domain:
        out.append("domain-specific")
    return out


def shots(spec: Spec, best: Candidate | None, thresholds: dict[str, float]) -> str:
    n = spec.data.labeled_examples
    if n == 0:
        return "zero-shot"
    if (
        n >= thresholds["many_shot_examples"]
        and best is not None
        and (best.context_length or 0) >= thresholds["many_shot_context_tokens"]
    ):
        return "many-shot"
    return "few-shot"


# A strategy's `as_is` plan (if any) applies where the model reads no prompt: tasks of these
# modalities (a time-series or tabular model reads numbers, not instructions), or a base model without
# one of the prompt-taking tags (a news summarizer, a translator, an encoder) whatever the task.
AS_IS_MODALITIES = frozenset({"image", "audio", "video", "tabular"})
PROMPTED_TAGS = frozenset(
    {
        "text-generation",
        "text2text-generation",
        "image-text-to-text",
        "audio-text-to-text",
        "video-text-to-text",
        "visual-question-answering",
        "any-to-any",
    }
)


def takes_no_prompt(spec: Spec, base: Candidate | None) -> bool:
    if base is not None and base.pipeline_tag is not None:
        return base.pipeline_tag not in PROMPTED_TAGS
    return modality_of(spec) in AS_IS_MODALITIES


def modality_of(spec: Spec) -> str:
    """text for language and code tasks (code is text to a model); otherwise the task's modality."""
    m = spec.task.resolved_modality
    return "text" if m in ("text", "code") else m
