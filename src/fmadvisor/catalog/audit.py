"""`catalog audit`: checks a catalog's facts against the definitions in catalog/FORMAT.md.

Errors (the audit fails on them):
- a recorded field that names no source;
- `languages` that are not ISO 639 codes (or '*': the card says there are more than it names);
- `extended_context_length` not longer than `context_length`;
- a parameter count that the architecture contradicts (decoder or encoder text models whose
  layers, width and vocabulary are known, dense only): outside 0.5x-2.5x of 12·L·h² + V·h;
- a parameter count that the listed weight files contradict (`weights_gb` at the stored `dtype`'s
  bytes a parameter, when all three are recorded): off by more than 10%;
- `attention_layers` not fewer than `layers`;
- evidence without a source or date.
Warnings (said, not failing):
- a value that one source gives to three or more models of the same family (a copy across a
  family is how wrong values got in before: check each member's own card);
- no pipeline tag (the model is never selected for a task, only by id), unless its config says it
  is a speech encoder or its library trains task heads on it (tasks.model_fit selects those);
- a hybrid architecture (attention beside state-space or linear-attention layers, by its config
  `model_type`) with `layers` but no `attention_layers`: the count alone overstates its KV cache;
- a context length or release date taken from MTEB's model metadata (`max_tokens`, the length
  the benchmark encoded with; `release_date`, at times a private repository's creation) rather
  than the repo's own config or release (one warning per field, listing them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fmadvisor.catalog.inherit import params_from_files
from fmadvisor.tasks import BACKBONE_LIBRARIES, audio_encoder

FAMILY_SHARED_FIELDS = ("languages", "released", "license", "context_length", "params")
# model metadata a benchmark project keeps, and what its values are instead of the field's definition
BENCHMARK_METADATA = "embeddings-benchmark/mteb:"
BENCHMARK_METADATA_FIELDS = {
    "context_length": "max_tokens (the length the benchmark encoded with), not the config's "
    "max_position_embeddings",
    "released": "release_date (at times the repository's creation, before it was public), not "
    "the first public release",
}
TEXT_TAGS = frozenset(
    {
        "text-generation",
        "text2text-generation",
        "fill-mask",
        "feature-extraction",
        "sentence-similarity",
        "text-classification",
        "token-classification",
        "question-answering",
        "zero-shot-classification",
        "summarization",
        "translation",
        "text-ranking",
    }
)
PARAMS_BAND = (0.5, 2.5)  # Gemma 2's MLP is 8x its width: 27B is 2.1x the 12·L·h² estimate
# model types whose shape does not give their size: mixtures of experts, and ALBERT (shared layers)
MOE_WORDS = (
    "moe",
    "mixtral",
    "deepseek_v2",
    "deepseek_v3",
    "deepseekv3",
    "gpt_oss",
    "gptoss",
    "llama4",
    "qwen3_next",
    "dbrx",
    "jamba",
    "albert",
)
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class Issue:
    """One audit finding on one field of one model (error or warning)."""

    level: str  # error | warning
    model: str
    field: str
    message: str


def _mixture(record: dict[str, Any]) -> bool:
    """A mixture-of-experts model (its experts multiply the MLP): the dense shape law does not hold."""
    names = f"{record.get('model_type') or ''} {record.get('architecture') or ''}".lower()
    return any(w in names for w in MOE_WORDS) or record.get("active_params") is not None


def expected_params(record: dict[str, Any]) -> float | None:
    """A dense transformer's size from its shape: 12·L·h² (attention and MLP) + V·h (embeddings)."""
    layers, hidden, vocab = (
        record.get("layers"),
        record.get("hidden_size"),
        record.get("vocab_size"),
    )
    if not (layers and hidden and vocab) or _mixture(record):
        return None
    if record.get("pipeline_tag") not in TEXT_TAGS:
        return None
    return 12.0 * layers * hidden * hidden + vocab * hidden


def audit(
    models: list[dict[str, Any]], provenance: dict[str, list[dict[str, Any]]] | None
) -> list[Issue]:
    """Issues found in a catalog's records; `provenance` maps id -> sources (None: a live Hub
    cache, whose every field comes from the Hub's own record)."""
    issues: list[Issue] = []
    shared: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    from_metadata: dict[str, list[str]] = defaultdict(list)
    for record in models:
        model_id = record["id"]
        facts = [
            k
            for k in record
            if k not in ("id", "evidence", "source", "fetched", "downloads", "last_modified")
        ]
        if provenance is not None:
            sources = provenance.get(model_id, [])
            sourced: dict[str, dict[str, Any]] = {}
            for s in sources:  # the first source of a field is its source (catalog/facts.py)
                for f in s.get("fields", []):
                    sourced.setdefault(f, s)
            for f in facts:
                if f not in sourced:
                    issues.append(Issue("error", model_id, f, "recorded without a source"))
                elif f in FAMILY_SHARED_FIELDS:
                    org = model_id.split("/")[0]
                    key = (org, f, repr(record[f]), sourced[f]["ref"])
                    shared[key].append(model_id)
            for f in BENCHMARK_METADATA_FIELDS:
                if f in sourced and sourced[f]["ref"].startswith(BENCHMARK_METADATA):
                    from_metadata[f].append(model_id)
        issues.extend(_definitions(record))
    for f, ids in from_metadata.items():
        issues.append(
            Issue(
                "warning",
                ", ".join(ids),
                f,
                f"{len(ids)} models take it from MTEB's model metadata, "
                f"{BENCHMARK_METADATA_FIELDS[f]}: check each repo's own",
            )
        )
    for (org, f, value, ref), ids in sorted(shared.items()):
        if len(ids) >= 3:
            issues.append(
                Issue(
                    "warning",
                    ", ".join(ids),
                    f,
                    f"{len(ids)} {org} models take {f}={value} from one source ({ref}); check each member's own card",
                )
            )
    return issues


def _definitions(record: dict[str, Any]) -> list[Issue]:
    model_id = record["id"]
    out = _languages(record)
    ctx, ext = record.get("context_length"), record.get("extended_context_length")
    if ext is not None and ctx is not None and ext <= ctx:
        out.append(
            Issue(
                "error",
                model_id,
                "extended_context_length",
                f"{ext} must exceed context_length ({ctx}): it is the rope-scaled length beyond the config's",
            )
        )
    elif ext is not None and ctx is None:
        out.append(
            Issue(
                "warning",
                model_id,
                "context_length",
                f"unknown while a rope-scaled {ext} is recorded: the config's length is missing",
            )
        )
    out += _hybrid_layers(record)
    expected = expected_params(record)
    if expected and record.get("params"):
        ratio = record["params"] / expected
        if not PARAMS_BAND[0] <= ratio <= PARAMS_BAND[1]:
            out.append(
                Issue(
                    "error",
                    model_id,
                    "params",
                    f"{record['params']:,} is {ratio:.2f}x what its shape implies (~{expected:,.0f}): "
                    "one of params, layers, hidden_size or vocab_size is wrong",
                )
            )
    out += _weight_files(record)
    for i, e in enumerate(record.get("evidence") or []):
        if not e.get("source") or not e.get("date"):
            out.append(
                Issue("error", model_id, f"evidence[{i}]", "evidence needs a source and a date")
            )
    if not record.get("pipeline_tag") and not _selected_untagged(record):
        out.append(
            Issue(
                "warning",
                model_id,
                "pipeline_tag",
                "no pipeline tag: never selected for a task, only by id",
            )
        )
    return out


def _languages(record: dict[str, Any]) -> list[Issue]:
    model_id, langs = record["id"], record.get("languages")
    out = []
    bad = [code for code in langs or () if code != "*" and not _LANG.match(code)]
    if langs is not None and (bad or len(set(langs)) != len(langs)):
        out.append(
            Issue("error", model_id, "languages", f"{langs}: ISO 639 codes (or '*'), each once")
        )
    targets = record.get("target_languages")
    if targets is not None and langs is not None and "*" not in langs:
        unread = [code for code in targets if code not in langs]
        if unread or not targets:
            why = f"{unread} are not among its languages" if unread else "none named"
            out.append(
                Issue(
                    "error",
                    model_id,
                    "target_languages",
                    f"{targets}: the languages it translates into, among its languages ({why})",
                )
            )
    return out


FILES_BAND = (0.9, 1.1)  # a listing's three significant figures and file headers are well inside it


def _weight_files(record: dict[str, Any]) -> list[Issue]:
    """Listed weight files that contradict the parameter count (see the module's doc)."""
    gb, params = record.get("weights_gb"), record.get("params")
    held = params_from_files(gb, record.get("dtype"))
    if not (held and params):
        return []
    ratio = params / held
    if FILES_BAND[0] <= ratio <= FILES_BAND[1]:
        return []
    return [
        Issue(
            "error",
            record["id"],
            "weights_gb",
            f"{gb:g} GB of {record['dtype']} holds ~{held:,} parameters, not {params:,} "
            f"({ratio:.2f}x): one of params, dtype or weights_gb is wrong (or two formats' files "
            "were added)",
        )
    ]


# config model_types that only hybrid models use (not Falcon-H1, which runs attention in every block,
# nor GraniteMoeHybrid, which Granite 4.0's dense 1B and Micro share with attention in every layer)
HYBRID_MODEL_TYPES = frozenset({"qwen3_next", "nemotron_h", "jamba", "zamba2", "bamba", "lfm2"})


def _hybrid_layers(record: dict[str, Any]) -> list[Issue]:
    """A hybrid's layer count needs its attention layers beside it (catalog/FORMAT.md)."""
    model_id, layers, attending = record["id"], record.get("layers"), record.get("attention_layers")
    if attending is not None and layers is not None and attending >= layers:
        return [
            Issue(
                "error",
                model_id,
                "attention_layers",
                f"{attending} is not fewer than layers ({layers}): record it for hybrids only",
            )
        ]
    if record.get("model_type") in HYBRID_MODEL_TYPES and layers and attending is None:
        return [
            Issue(
                "warning",
                model_id,
                "layers",
                f"a hybrid ({record['model_type']}) with layers but no attention_layers: the layer "
                "count alone overstates its KV cache",
            )
        ]
    return []


def _selected_untagged(record: dict[str, Any]) -> bool:
    """An untagged model the selection still takes: a speech encoder (config model type or
    architecture) or a backbone of a library that trains task heads (TerraTorch)."""
    return record.get("library") in BACKBONE_LIBRARIES or audio_encoder(
        None, record.get("architecture"), record.get("model_type")
    )
