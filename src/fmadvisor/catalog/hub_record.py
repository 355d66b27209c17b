"""A Hugging Face ModelInfo (listing or full info, plus an optional config.json) as a catalog
Candidate: the one mapping from the Hub's record to our fields, used by the live source and the
cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fmadvisor.catalog.candidate import Candidate, Evidence
from fmadvisor.catalog.local import arch_from_config


def _license(info: Any, card: dict[str, Any]) -> tuple[str | None, str | None]:
    value = card.get("license")
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        tags = [t for t in (info.tags or []) if isinstance(t, str) and t.startswith("license:")]
        value = tags[0].split(":", 1)[1] if tags else None
    name = card.get("license_name") if isinstance(card.get("license_name"), str) else None
    return (value.lower() if value else None), name


def _weights_format(info: Any) -> str | None:
    siblings = getattr(info, "siblings", None)
    if not siblings:
        return None
    names = [s.rfilename for s in siblings if getattr(s, "rfilename", None)]
    if any(n.endswith(".safetensors") for n in names):
        return "safetensors"
    if any(n.endswith(".gguf") for n in names):
        return "gguf"
    if any(n.endswith((".bin", ".pt", ".pth", ".ckpt", ".pkl")) for n in names):
        return "pickle"
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return None


_DTYPES = {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}


def candidate_from_info(info: Any, config: dict[str, Any] | None) -> Candidate:
    """A Candidate from a huggingface_hub ModelInfo (listing or full info) and an optional config.json."""
    card_obj = getattr(info, "card_data", None)
    card: dict[str, Any] = (
        card_obj.to_dict()
        if card_obj is not None and hasattr(card_obj, "to_dict")
        else (card_obj or {})
    )
    license_tag, license_name = _license(info, card)
    st = getattr(info, "safetensors", None)
    params = getattr(st, "total", None) if st is not None else None
    dtype = None
    if st is not None and getattr(st, "parameters", None):
        dtype = _DTYPES.get(max(st.parameters, key=lambda k: st.parameters[k]))
    languages = card.get("language")
    if isinstance(languages, str):
        languages = [languages]
    base = card.get("base_model")
    if isinstance(base, list):
        base = base[0] if base else None
    datasets = card.get("datasets")
    if isinstance(datasets, str):
        datasets = [datasets]
    arch = arch_from_config(config) if config else {}
    tags = [t for t in (info.tags or []) if isinstance(t, str)]
    return Candidate(
        id=info.id,
        pipeline_tag=info.pipeline_tag,
        library=getattr(info, "library_name", None),
        license=license_tag,
        license_name=license_name,
        gated=None if getattr(info, "gated", None) is None else bool(info.gated),
        params=params if isinstance(params, int) else None,
        dtype=dtype
        or (
            config.get("torch_dtype")
            if config and isinstance(config.get("torch_dtype"), str)
            else None
        ),
        weights_format=_weights_format(info),
        languages=tuple(x.lower() for x in languages if isinstance(x, str))
        if isinstance(languages, list)
        else None,
        base_model=base if isinstance(base, str) else None,
        released=_date(getattr(info, "created_at", None)),
        datasets=tuple(d for d in datasets if isinstance(d, str))
        if isinstance(datasets, list)
        else None,
        card_eval_results=True if card.get("model-index") or card.get("eval_results") else None,
        evidence=card_results(card_obj, info.id, _date(getattr(info, "last_modified", None))),
        custom_code="custom_code" in tags,
        superseded_by=card.get("new_version") if isinstance(card.get("new_version"), str) else None,
        downloads=getattr(info, "downloads", None),
        source="hub",
        fetched=dt.date.today().isoformat(),
        last_modified=_date(getattr(info, "last_modified", None)),
        **arch,
    )


MAX_CARD_RESULTS = 30  # a card may list hundreds (per-language WERs): the first ones are kept


def card_results(card_obj: Any, model_id: str, date: str | None) -> tuple[Evidence, ...]:
    """The evaluation results a card's `model-index` states, as evidence: self-reported by the
    model's authors, so they are shown as such and never compared with other models' results
    (each card is its own source)."""
    out = []
    for r in (getattr(card_obj, "eval_results", None) or [])[:MAX_CARD_RESULTS]:
        value = getattr(r, "metric_value", None)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            continue
        name = r.dataset_name or r.dataset_type
        if not name:
            continue
        parts = [p for p in (r.dataset_config, r.dataset_split) if p]
        setting = "self-reported in the card's model-index"
        if r.task_type:
            setting += f", task {r.task_type}"
        if r.verified:
            setting += ", verified by the Hub"
        out.append(
            Evidence(
                benchmark=f"{name} ({', '.join(parts)})" if parts else str(name),
                metric=str(r.metric_name or r.metric_type),
                value=float(value),
                source=f"https://huggingface.co/{model_id}",
                setting=setting,
                date=date or "",
            )
        )
    return tuple(out)
