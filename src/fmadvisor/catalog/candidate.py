"""`Candidate`: normalized metadata of one model, whatever source it came from.

Every catalog source (the embedded snapshot, later the Hub, the cache and local model folders)
produces Candidates. `None` always means *unknown*: the rule engine treats it explicitly (a rule
that needs it cannot be decided, which lowers confidence and is said in the reasons); it is never
read as a pass. An empty list means known to be empty.

A frozen msgspec Struct rather than a pydantic model: scoring reads these fields millions of
times, and sources validate their own input with `candidate_from_dict`. (The scoring path's value
types are Structs, not dataclasses: they are defined and built in C, which keeps the CLI's start
fast; see pyproject.toml.)
"""

from __future__ import annotations

from typing import Any

import msgspec


class Evidence(msgspec.Struct, frozen=True, cache_hash=True):
    """One published result: `value` of `metric` on `benchmark`, in `setting`, stated by `source`."""

    benchmark: str
    metric: str
    value: float
    source: str  # owner/repo:path or https address
    setting: str = ""
    date: str = ""  # when the source stated it (YYYY, YYYY-MM or YYYY-MM-DD)
    percentile: float | None = (
        None  # share of comparable peers it beats (same benchmark, metric, source)
    )
    peers: int = 0  # how many catalog models that comparison covers


class Sibling(msgspec.Struct, frozen=True, cache_hash=True):
    """A related catalog model with its published results (catalog/family.py): a larger model of
    the same family and generation, which bounds the capability of a model without results of its
    own, or the checkpoint a model was fine-tuned from."""

    id: str
    evidence: tuple[Evidence, ...]


class Candidate(msgspec.Struct, frozen=True):
    """One model's catalog facts; None is unknown (never a pass)."""

    id: str
    pipeline_tag: str | None = None
    library: str | None = None
    license: str | None = None  # Hub license tag, lower case: apache-2.0, llama3.1, other, ...
    license_name: str | None = None  # for license "other": the card's license_name
    gated: bool | None = None
    params: int | None = None  # total parameters
    active_params: int | None = None  # parameters active per token (mixture-of-experts)
    dtype: str | None = None  # stored weights dtype: float32, bfloat16, float16
    weights_format: str | None = None  # safetensors | pickle | gguf
    # total size of the weight files in one format as the Hub lists them, in GB (1e9 bytes)
    weights_gb: float | None = None
    architecture: str | None = None  # e.g. LlamaForCausalLM
    model_type: str | None = None  # config.json model_type, e.g. llama
    layers: int | None = None
    hidden_size: int | None = None
    attention_heads: int | None = None
    kv_heads: int | None = None
    # config.json head_dim, where the model sets it apart from hidden_size / attention_heads
    # (Qwen3-4B: 2560 / 32 = 80, head_dim 128); absent, the quotient is the head dimension
    head_dim: int | None = None
    # hybrids (attention beside state-space or linear-attention layers): how many of `layers` keep
    # a KV cache; absent, every layer does
    attention_layers: int | None = None
    vocab_size: int | None = None
    context_length: int | None = None
    # the length sentence-transformers truncates inputs to (sentence_bert_config.json
    # max_seq_length), when shorter than the config's window: what an embedder actually reads
    max_seq_length: int | None = None
    sliding_window: int | None = None
    languages: tuple[str, ...] | None = None
    # a translation model that writes only some of its languages: the ones it translates into
    # (absent: it writes every language it lists, as a many-to-many translator does)
    target_languages: tuple[str, ...] | None = None
    base_model: str | None = None
    released: str | None = None  # ISO date, YYYY-MM-DD or YYYY-MM
    variant: str | None = None  # base | instruct
    specialties: tuple[str, ...] = ()  # code, medical, legal, finance, ...
    datasets: tuple[str, ...] | None = None  # training data named on the card
    card_bias_section: bool | None = None  # the card documents bias, risks and limitations
    card_eval_results: bool | None = None  # the card reports evaluation results
    custom_code: bool | None = None  # loading needs trust_remote_code
    superseded_by: str | None = None
    # other Hub ids of the same repository, which the Hub redirects between (a rename or transfer:
    # `gpt2` is now `openai-community/gpt2`); a catalog looks the model up by them too
    aliases: tuple[str, ...] = ()
    extended_context_length: int | None = (
        None  # a longer context the card documents with rope scaling
    )
    labels: tuple[str, ...] | None = (
        None  # a classifier's output labels (config id2label or the card)
    )
    # billions of multiply-accumulates per forward pass at the model's stated input size (vision
    # papers' "FLOPs" counted by fvcore or ptflops are multiply-adds: the same unit)
    compute_gmacs: float | None = None
    evidence: tuple[Evidence, ...] = ()  # published capability results (catalog/FORMAT.md)
    downloads: int | None = None
    last_modified: str | None = None  # ISO date of the repository's last commit (live sources)
    source: str = "embedded"
    fetched: str | None = None  # when the source recorded these facts (ISO date)
    # set when `params` is not this repository's own count but inferred (catalog.inherit)
    params_basis: str | None = None
    # set when `pipeline_tag` is not the Hub's but inferred from the record (catalog.inherit)
    pipeline_tag_basis: str | None = None
    # larger siblings of the same family and generation that have published results, set when a
    # catalog is loaded (catalog.family): the family prior for a model without results of its own
    larger_siblings: tuple[Sibling, ...] = ()
    # its base_model with that model's published results, set when a catalog is loaded for a model
    # without comparable results of its own whose base has some (catalog.family): the lineage prior
    base_results: Sibling | None = None

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0] if "/" in self.id else ""


FIELDS: dict[str, str] = dict(Candidate.__annotations__)
"""Candidate's fields in order, each with its annotation (text: annotations are postponed)."""
# not plain facts: rules read them through derived fields
STRUCTURED = frozenset({"evidence", "larger_siblings", "base_results"})
# Facts whose absence is itself the value: a dense model has no active_params, most models no
# sliding window, successor or rope-scaled length, a plain transformer no attention_layers (every
# layer attends), an embedder without max_seq_length reads its whole window, and a translator
# without target_languages writes every language it lists (many-to-many). A rule left
# undecided is never undecided for want of one of these alone.
ABSENT_IS_A_VALUE = frozenset(
    {
        "active_params",
        "sliding_window",
        "attention_layers",
        "superseded_by",
        "aliases",
        "extended_context_length",
        "max_seq_length",
        "params_basis",
        "pipeline_tag_basis",
        "target_languages",
    }
)
_TUPLES = {"languages", "target_languages", "specialties", "datasets", "labels", "aliases"}
_INTS = {
    "extended_context_length",
    "params",
    "active_params",
    "layers",
    "hidden_size",
    "attention_heads",
    "kv_heads",
    "head_dim",
    "attention_layers",
    "vocab_size",
    "context_length",
    "max_seq_length",
    "sliding_window",
    "downloads",
}
_BOOLS = {"gated", "card_bias_section", "card_eval_results", "custom_code"}
_FLOATS = {"compute_gmacs", "weights_gb"}


class CandidateDataError(ValueError):
    """A source record that does not describe a Candidate."""


def candidate_from_dict(record: dict[str, Any]) -> Candidate:
    """Build a Candidate from a plain record, checking names and types (no coercion of nonsense)."""
    unknown = set(record) - set(FIELDS)
    if unknown:
        raise CandidateDataError(f"unknown field(s) {sorted(unknown)}")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise CandidateDataError("'id' must be a non-empty string")
    values: dict[str, Any] = {}
    for name, value in record.items():
        if value is None:
            continue
        if name == "evidence":
            value = _evidence(value)
        elif name == "larger_siblings":
            value = _siblings(value, "'larger_siblings' must be a list of {id, evidence}")
        elif name == "base_results":
            value = _siblings([value], "'base_results' must be {id, evidence}")[0]
        elif name in _TUPLES:
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise CandidateDataError(f"'{name}' must be a list of strings")
            value = tuple(value)
        elif name in _INTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CandidateDataError(f"'{name}' must be a non-negative integer")
        elif name in _BOOLS:
            if not isinstance(value, bool):
                raise CandidateDataError(f"'{name}' must be true or false")
        elif name in _FLOATS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise CandidateDataError(f"'{name}' must be a positive number")
            value = float(value)
        elif not isinstance(value, str):
            raise CandidateDataError(f"'{name}' must be a string")
        values[name] = value
    return Candidate(**values)


_EVIDENCE_KEYS = set(Evidence.__struct_fields__)


def _siblings(value: Any, problem: str) -> tuple[Sibling, ...]:
    """Related models as a record gives them (a rule case's model): [{id, evidence}, ...]."""
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(s, dict) and set(s) == {"id", "evidence"} and isinstance(s["id"], str)
        for s in value
    ):
        raise CandidateDataError(problem)
    return tuple(Sibling(s["id"], _evidence(s["evidence"])) for s in value)


def _evidence(value: Any) -> tuple[Evidence, ...]:
    if not isinstance(value, (list, tuple)):
        raise CandidateDataError("'evidence' must be a list of results")
    out = []
    for item in value:
        if isinstance(item, Evidence):
            out.append(item)
            continue
        if not isinstance(item, dict) or not {"benchmark", "metric", "value", "source"} <= set(
            item
        ):
            raise CandidateDataError("an evidence item needs benchmark, metric, value and source")
        if set(item) - _EVIDENCE_KEYS:
            raise CandidateDataError(
                f"evidence: unknown field(s) {sorted(set(item) - _EVIDENCE_KEYS)}"
            )
        v = item["value"]
        if (
            isinstance(v, bool)
            or not isinstance(v, (int, float))
            or v != v
            or v in (float("inf"), float("-inf"))
        ):
            raise CandidateDataError("evidence: 'value' must be a finite number")
        pct = item.get("percentile")
        if pct is not None and (
            isinstance(pct, bool) or not isinstance(pct, (int, float)) or not 0 <= pct <= 1
        ):
            raise CandidateDataError("evidence: 'percentile' must be a number from 0 to 1")
        if isinstance(item.get("peers", 0), bool) or not isinstance(item.get("peers", 0), int):
            raise CandidateDataError("evidence: 'peers' must be an integer")
        if not all(
            isinstance(item.get(k, ""), str)
            for k in ("benchmark", "metric", "source", "setting", "date")
        ):
            raise CandidateDataError(
                "evidence: benchmark, metric, source, setting and date are text"
            )
        out.append(Evidence(**{**item, "value": float(v)}))
    return tuple(out)


def unknown_candidate(model_id: str) -> Candidate:
    """A model no catalog knows: every fact unknown (scored on what is known, unknowns said)."""
    return Candidate(id=model_id, source="none")
