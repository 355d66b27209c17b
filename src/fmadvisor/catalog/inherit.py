"""Sizes inherited along lineage: a fine-tune whose own count is not recorded has its base's size.

Fine-tuning a text model changes its weights, not their number, apart from a task head (a few
thousand to a few million parameters beside hundreds of millions). So when a catalog records no
size for a text model but names its base model, and the base's size is known, scoring uses the
base's count and says so: `Candidate.params_basis` names the base, and the rule
`hardware.size-from-base` reports it and costs a little. The catalog's own records keep the field
empty (its facts stay what sources state); this happens when a catalog is loaded.

Not inherited: across modalities (an adapter or ControlNet beside an image model is not its base's
size), across architectures (`model_type` differs), or for mixture-of-experts bases (active
parameters would be guessed too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.tasks import PIPELINE_MODALITY

MAX_DEPTH = 4  # fine-tune of a fine-tune of ...; also stops a cycle in bad data


def _inheritable(model: Candidate, base: Candidate) -> bool:
    if PIPELINE_MODALITY.get(model.pipeline_tag or "") != "text":
        return False
    if PIPELINE_MODALITY.get(base.pipeline_tag or "") != "text":
        return False
    if model.model_type and base.model_type and model.model_type != base.model_type:
        return False
    return base.active_params is None


def _base_size(
    model: Candidate, lookup: Callable[[str], Candidate | None], depth: int = 0
) -> tuple[int, str] | None:
    """(parameters, id of the model they were counted on) along `model`'s base models."""
    if depth >= MAX_DEPTH or not model.base_model:
        return None
    base = lookup(model.base_model)
    if base is None or base.id.lower() == model.id.lower() or not _inheritable(model, base):
        return None
    if base.params is not None and base.params_basis is None:
        return base.params, base.id
    return _base_size(base, lookup, depth + 1)


def inherit_sizes(
    candidates: Iterable[Candidate], lookup: Callable[[str], Candidate | None]
) -> tuple[Candidate, ...]:
    """`candidates`, each text model without a size taking its base's (see the module's doc)."""
    out = []
    for c in candidates:
        found = _base_size(c, lookup) if c.params is None else None
        if found is not None:
            c = msgspec.structs.replace(c, params=found[0], params_basis=found[1])
        out.append(c)
    return tuple(out)
