"""Fields derived from a model's own facts and the spec's task: age, size, task fit (languages.py: languages)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fmadvisor.catalog.capability import capability, scoped
from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived
from fmadvisor.tasks import model_fit
from fmadvisor.vocab import GENERATIVE_OUTPUT

_MISSING = object()


@derived(
    "model.age_months",
    "number",
    "months since release, at the run's as-of date",
    ("released",),
    "months",
)
def _age_months(e: Env, released: str | None) -> float | None:
    age = e.age_memo.get(released, _MISSING)
    if age is _MISSING:
        age = e.age_memo[released] = _age(released, e.as_of)
    return age  # type: ignore[return-value]


def _age(released: str | None, as_of: dt.date) -> float | None:
    if not released:
        return None
    try:
        parts = [int(p) for p in released.split("-")]
        date = dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None
    return round((as_of - date).days / 30.44, 1)


@derived("model.size_b", "number", "parameters in billions", ("params",), "B")
def _size_b(e: Env, params: int | None) -> float | None:
    return None if params is None else params / 1e9


@derived(
    "model.input_window",
    "number",
    "tokens of input the model reads: sentence-transformers' max_seq_length when recorded (an "
    "embedder truncates there), else the context length",
    ("max_seq_length", "context_length"),
    "tokens",
)
def _input_window(e: Env, max_seq: int | None, context: int | None) -> int | None:
    return max_seq or context


@derived(
    "fit.window_share",
    "number",
    "the model's input window as a share of the tokens the spec needs (spec.needs.context_tokens); "
    "unknown when either is",
    ("max_seq_length", "context_length"),
)
def _window_share(e: Env, max_seq: int | None, context: int | None) -> float | None:
    need, window = e.spec.needs.context_tokens, _input_window(e, max_seq, context)
    return None if not need or window is None else round(window / need, 3)


@derived(
    "model.compute_size_b",
    "number",
    "parameters used per token in billions (active parameters for MoE)",
    ("active_params", "params"),
    "B",
)
def _compute_size_b(e: Env, active: int | None, params: int | None) -> float | None:
    n = active or params
    return None if n is None else n / 1e9


@derived(
    "model.generative",
    "bool",
    "the model generates open-ended output (text, images, speech)",
    ("pipeline_tag",),
)
def _generative(e: Env, tag: str | None) -> bool | None:
    return None if tag is None else tag in GENERATIVE_OUTPUT


@derived(
    "fit.task",
    "text",
    "how the model serves the spec's task: primary | adaptable | promptable; unknown when it "
    "cannot (a text-classification head with a single output label is a pair scorer: primary for "
    "re-ranking; a speech encoder without a task head, known by its model type or architecture, is "
    "adaptable for audio classification and speech recognition when the spec names the languages "
    "spoken, and serves no text task; an untagged backbone of a library that trains task heads, "
    "TerraTorch, is adaptable for the tasks it trains; for embeddings of sounds, task.modality "
    "audio, a CLAP audio-text encoder is primary, a speech encoder adaptable, and a text embedder "
    "does not serve; for embeddings of pictures or video, task.modality image, video or "
    "multimodal, an image-text encoder (CLIP, SigLIP) is primary, an image encoder primary for "
    "images and adaptable otherwise, X-CLIP primary and a video classifier's backbone adaptable "
    "for video only, and a text embedder does not serve; a CLAP model serves no task on text; a "
    "model of a translation architecture, M2M-100 or Marian, is primary for translation whatever "
    "its tag and serves no other task)",
    ("pipeline_tag", "architecture", "model_type", "labels", "library"),
)
def _fit_task(
    e: Env,
    tag: str | None,
    architecture: str | None,
    model_type: str | None,
    labels: tuple[str, ...] | None,
    library: str | None,
) -> str | None:
    spoken, modality = bool(e.languages), e.spec.task.resolved_modality
    return model_fit(
        e.pipeline_tag,
        e.fit_table,
        tag,
        architecture,
        model_type,
        labels,
        spoken,
        library,
        modality,
    )


@derived(
    "model.capability",
    "number",
    "percent of comparable catalog models its published results beat (mean over benchmarks measured "
    "the same way by one source; only the domain's benchmarks when tables.domains names them; 0 "
    "worst, 100 best); unknown without comparable results",
    ("evidence",),
)
def _capability(e: Env, evidence: tuple[Any, ...]) -> float | None:
    return capability(scoped(evidence, e.capability_words, e.foreign_words))


@derived(
    "model.capability_prior",
    "number",
    "the family prior, for a model without comparable results of its own: the lowest capability "
    "(as model.capability) of its larger siblings of the same family and generation that have "
    "some, which it is taken not to exceed (catalog/family.py); unknown otherwise",
    ("evidence", "larger_siblings"),
)
def _capability_prior(e: Env, evidence: tuple[Any, ...], siblings: tuple[Any, ...]) -> float | None:
    found = _prior(e, evidence, siblings)
    return None if found is None else found[0]


@derived(
    "model.capability_prior_from",
    "text",
    "the larger sibling whose results set model.capability_prior",
    ("evidence", "larger_siblings"),
)
def _capability_prior_from(
    e: Env, evidence: tuple[Any, ...], siblings: tuple[Any, ...]
) -> str | None:
    found = _prior(e, evidence, siblings)
    return None if found is None else found[1]


def _prior(
    e: Env, evidence: tuple[Any, ...], siblings: tuple[Any, ...]
) -> tuple[float, str] | None:
    if not siblings or _capability(e, evidence) is not None:
        return None
    bounds = [(_capability(e, s.evidence), s.id) for s in siblings]
    known = [(value, sid) for value, sid in bounds if value is not None]
    return min(known) if known else None


# classification heads: trained again on the spec's labels, what they bring is their encoder
_HEADS = frozenset(
    {"text-classification", "token-classification", "audio-classification", "image-classification"}
)


@derived(
    "model.capability_from_base",
    "number",
    "the lineage prior, for a classification head without comparable results of its own whose "
    "labels are not known to be the spec's (it is trained again, so it brings its encoder): the "
    "capability (as model.capability) of the checkpoint it was fine-tuned from; unknown otherwise",
    ("evidence", "base_results", "labels", "datasets", "pipeline_tag"),
)
def _capability_from_base(e: Env, *facts: Any) -> float | None:
    found = _lineage(e, *facts)
    return None if found is None else found[0]


@derived(
    "model.capability_from_base_id",
    "text",
    "the checkpoint whose results set model.capability_from_base",
    ("evidence", "base_results", "labels", "datasets", "pipeline_tag"),
)
def _capability_from_base_id(e: Env, *facts: Any) -> str | None:
    found = _lineage(e, *facts)
    return None if found is None else found[1]


def _lineage(
    e: Env, evidence: tuple[Any, ...], base: Any, labels: Any, datasets: Any, tag: str | None
) -> tuple[float, str] | None:
    if base is None or tag not in _HEADS or _capability(e, evidence) is not None:
        return None
    if _head_labels_match(e, labels, datasets, tag):
        return None  # used as it is: its own training, not its base, decides
    value = _capability(e, base.evidence)
    return None if value is None else (value, base.id)


@derived(
    "model.capability_results",
    "number",
    "how many of its published results are comparable with other catalog models",
    ("evidence",),
)
def _capability_results(e: Env, evidence: tuple[Any, ...]) -> int:
    return sum(
        1 for x in scoped(evidence, e.capability_words, e.foreign_words) if x.percentile is not None
    )


@derived(
    "fit.specialty_match",
    "bool",
    "the model is specialized for the spec's domain (spec.domain.specialty, or the broader "
    "specialty tables.domains says it is within); unknown when the spec names no specialty domain",
    ("specialties",),
)
def _specialty_match(e: Env, specialties: tuple[str, ...]) -> bool | None:
    if not e.specialty:
        return None
    return not e.serving_specialties.isdisjoint(specialties)


# heads whose classes follow from their training dataset (a COCO detector predicts COCO's classes)
_DATASET_HEADS = frozenset({"object-detection", "audio-classification"})


@derived(
    "fit.head_labels",
    "list",
    "an off-the-shelf head's output classes: its recorded labels, else, for a detector or audio "
    "classifier trained on one dataset tables.dataset_labels knows, that dataset's classes",
    ("labels", "datasets", "pipeline_tag"),
)
def _head_labels(
    e: Env, labels: tuple[str, ...] | None, datasets: tuple[str, ...] | None, tag: str | None
) -> tuple[str, ...] | None:
    if labels is not None:
        return labels
    if tag not in _DATASET_HEADS or not datasets or len(datasets) != 1:
        return None
    return e.tables.dataset_labels.get(datasets[0].lower())


@derived(
    "fit.head_labels_match",
    "bool",
    "an off-the-shelf classifier's labels (fit.head_labels) include every label the spec needs "
    "(unknown when either side names none)",
    ("labels", "datasets", "pipeline_tag"),
)
def _head_labels_match(
    e: Env, labels: tuple[str, ...] | None, datasets: tuple[str, ...] | None, tag: str | None
) -> bool | None:
    known = _head_labels(e, labels, datasets, tag)
    if known is None or not e.spec.task.labels:
        return None
    name = _entity_type if tag == "token-classification" else _label
    return {name(x) for x in e.spec.task.labels} <= {name(x) for x in known}


# class names are spelled with spaces, hyphens or underscores by different datasets and configs
# (DocLayNet's "Section-header", a spec's "section_header"): one class whatever the separator
_SEPARATORS = re.compile(r"[\s_-]+")


def _label(label: str) -> str:
    return _SEPARATORS.sub(" ", label.strip().lower())


# A tagger's labels mark where an entity begins and continues (B-PER, I-PER: the BIO, BIOES and BILOU
# schemes), and CoNLL-2003's four types have short and long names (PER or person); "O" is no entity.
_SPAN_PREFIX = re.compile(r"^[bieslu]-")
_ENTITY_NAMES = {
    "person": "per",
    "organization": "org",
    "organisation": "org",
    "location": "loc",
    "miscellaneous": "misc",
}


def _entity_type(label: str) -> str:
    """The entity type a token-classification label names, whatever its span scheme or spelling."""
    kind = _label(_SPAN_PREFIX.sub("", label.strip().lower()))
    return _ENTITY_NAMES.get(kind, kind)


@derived(
    "fit.other_domain_specialist",
    "bool",
    "the model is specialized for a domain (a specialty tables.domains knows: code, medical, "
    "legal, ...) other than the spec's or its domain's",
    ("specialties",),
)
def _other_domain_specialist(e: Env, specialties: tuple[str, ...] | None) -> bool | None:
    if specialties is None:
        return None
    theirs = set(specialties) & e.domain_specialties
    return bool(theirs) and e.on_domain_specialties.isdisjoint(specialties)
