"""The family prior: a model without published results of its own does no better than a larger
sibling of the same family and generation.

Issue 13 asks for "a transparent prior (a larger or newer sibling of the same family and
generation ranks above a smaller or older one), said as such, with lower confidence" where no
comparable score exists. Within one family and generation the smaller models are the larger ones
scaled down (Whisper tiny to large, T5 small to XXL, Qwen2.5 0.5B to 72B): their published results
fall with size. So the capability of an unmeasured model is bounded above by that of every larger
sibling with results, and the rules may use the lowest such bound (rules/factors/capability.yaml,
`model.capability_prior`): a Whisper tiny is not treated as possibly better than the Whisper large
that beats fewer than half of the catalog's recognisers.

A family and generation is an owner and a repo name that agree once the size words are taken out
("whisper-tiny" and "whisper-large"; "gemma-3-1b-it" and "gemma-3-27b-it"); version, variant and
specialty words stay in the name, so "whisper-large-v3" is another generation and
"Qwen2.5-Coder-7B" another family than "Qwen2.5-7B". Siblings must share the pipeline tag and,
when both are recorded, the variant; a sibling is larger when both sizes are known and its is
larger.

The lineage prior: a model fine-tuned from a catalog model (its `base_model`) and without results of
its own is given that base with its results (`base_results`). The rules use it only where what the
model brings to the spec's task is the base's encoder: a classification head that will be trained
again on the spec's labels (rules/factors/capability.yaml, `model.capability_from_base`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import msgspec

from fmadvisor.catalog.candidate import Candidate, Sibling
from fmadvisor.catalog.capability import capability

# Size words in a repo name: parameter counts (7B, 135M, 1.5B; Gemma 3n's effective E2B, a
# mixture's active A3B) and the named sizes of encoder, T5, Whisper and detector families.
_SIZE = re.compile(
    r"(?<![a-z0-9])(?:\d+(?:\.\d+)?[bmk]|e\d+b|a\d+(?:\.\d+)?b"
    r"|x{0,2}(?:small|large)|tiny|mini|small|base|medium|large|huge|giant|nano|micro|xl|xxl)"
    r"(?![a-z0-9])"
)
_SEPARATORS = re.compile(r"[-_.]{2,}")


def family_key(model_id: str) -> str | None:
    """Owner and name with the size words taken out, lower case; None when the name has no size
    word (nothing says which models are its sizes)."""
    if "/" not in model_id:
        return None
    owner, name = model_id.lower().split("/", 1)
    stripped = _SIZE.sub("", name)
    if stripped == name:
        return None
    return f"{owner}/{_SEPARATORS.sub('-', stripped).strip('-_.')}"


def with_family_prior(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """`candidates`, each given the larger siblings with comparable results it is bounded by, and
    its base with that base's results when it has none of its own."""
    items = _with_base_results(tuple(candidates))
    # only sized models can be smaller or larger than another: the others need no key
    keys = [family_key(c.id) if c.params is not None else None for c in items]
    families: dict[tuple[str, str | None], list[Candidate]] = defaultdict(list)
    for c, key in zip(items, keys, strict=True):
        if key is not None and capability(c.evidence) is not None:  # comparable results
            families[(key, c.pipeline_tag)].append(c)
    if not families and not any(c.larger_siblings for c in items):
        return items
    out = []
    for c, key in zip(items, keys, strict=True):
        peers = families.get((key, c.pipeline_tag), ()) if key is not None else ()
        larger = tuple(
            Sibling(p.id, p.evidence)
            for p in peers
            if p.params > c.params  # type: ignore[operator]  # both sized: they have keys
            and (c.variant is None or p.variant is None or c.variant == p.variant)
        )
        # computed here for every source: a record's own value is never kept
        changed = larger or c.larger_siblings
        out.append(msgspec.structs.replace(c, larger_siblings=larger) if changed else c)
    return tuple(out)


def _with_base_results(items: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    unmeasured = [capability(c.evidence) is None for c in items]
    measured = {c.id.lower(): c for c, none in zip(items, unmeasured, strict=True) if not none}
    out = []
    for c, none in zip(items, unmeasured, strict=True):
        base = measured.get((c.base_model or "").lower()) if none else None
        found = Sibling(base.id, base.evidence) if base is not None else None
        # computed here for every source, as larger_siblings: a record's own value is never kept
        out.append(c if found == c.base_results else msgspec.structs.replace(c, base_results=found))
    return tuple(out)
