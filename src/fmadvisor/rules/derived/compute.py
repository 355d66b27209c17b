"""Derived fields for the arithmetic one request costs: what a model reads per request, and how
long that takes on the spec's CPU or GPU."""

from __future__ import annotations

from typing import Any

from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived

# Embedders, whose request on the latency path is a query: documents are embedded ahead of time.
_QUERY_ENCODERS = frozenset({"feature-extraction", "sentence-similarity"})
# Re-rankers (cross-encoders), whose request reads every candidate passage with the query.
_PAIR_ENCODERS = frozenset({"text-ranking"})
# Encoders that label a text (or its tokens): a request reads the whole text once.
_TEXT_CLASSIFIERS = frozenset({"text-classification", "token-classification", "fill-mask"})
# Tasks that label a text: a prompted text generator doing one reads the whole text as well.
_LABELLING_TASKS = frozenset(
    {"text-classification", "token-classification", "zero-shot-classification"}
)
_TEXT_GENERATORS = frozenset({"text-generation", "text2text-generation"})
# Models that read the whole text when the task labels it (an embedder under a classifier head too).
_READERS = _QUERY_ENCODERS | _TEXT_CLASSIFIERS | _TEXT_GENERATORS


def _request_tokens(e: Env, tag: str | None) -> float | None:
    """Tokens one request runs through a model. When the task labels a text: a typical text (the
    classify_tokens threshold, or needs.context_tokens, the longest input, when shorter) for any
    model that reads it (an encoder under a head, an embedder under a classifier, a prompted
    generator). When the task re-ranks: every candidate pair, for a re-ranker and for a cross-encoder
    tagged as a classifier (BGE's re-rankers). Otherwise an embedder's query, a classifier's text, or
    a zero-shot classifier's premise-hypothesis pairs (one per task label; unknown without)."""
    thresholds = e.tables.thresholds
    query = thresholds.get("query_tokens")
    typical, longest = thresholds.get("classify_tokens"), e.spec.needs.context_tokens
    text = min(typical, longest) if typical and longest else typical
    pairs, chunk = thresholds.get("rerank_candidates"), thresholds.get("rag_chunk_tokens")
    candidates = pairs * (query + chunk) if query and pairs and chunk else None
    if e.pipeline_tag in _LABELLING_TASKS and tag in _READERS:
        return text or None
    if tag in _PAIR_ENCODERS or (e.pipeline_tag in _PAIR_ENCODERS and tag in _TEXT_CLASSIFIERS):
        return (
            candidates  # a re-ranking task's cross-encoder, whatever its Hub tag, scores every pair
        )
    if tag in _QUERY_ENCODERS:
        return query or None
    if tag in _TEXT_CLASSIFIERS:
        return text or None
    if tag == "zero-shot-classification" and text and e.spec.task.labels:
        return text * len(e.spec.task.labels)
    return None


@derived(
    "fit.input_gmacs",
    "number",
    "billions of multiply-accumulates for one request: the recorded compute per input "
    "(model.compute_gmacs), else for an embedder the query_tokens threshold times its arithmetic "
    "per token, for a re-ranker rerank_candidates pairs of query_tokens plus rag_chunk_tokens, for "
    "a model reading a text to label (a classifier, an encoder under a head, an embedder under a "
    "classifier, a prompted generator) classify_tokens (or needs.context_tokens when shorter), for a "
    "zero-shot classifier that once per task label: "
    "12 x layers x width^2 per token when both are recorded (a transformer layer's projections "
    "and feed-forward; ALBERT's shared layers count each time they run), else its parameters "
    "outside the token embeddings",
    ("compute_gmacs", "params", "vocab_size", "hidden_size", "pipeline_tag", "layers"),
    "GMACs",
)
def _input_gmacs(
    e: Env,
    gmacs: float | None,
    params: int | None,
    vocab: int | None,
    hidden: int | None,
    tag: str | None,
    layers: int | None,
) -> float | None:
    if gmacs is not None:
        return gmacs
    tokens = _request_tokens(e, tag)
    per_token, _ = _per_token_macs(params, vocab, hidden, layers)
    if not tokens or per_token is None:
        return None
    return round(per_token * tokens / 1e9, 2)


def _per_token_macs(
    params: int | None, vocab: int | None, hidden: int | None, layers: int | None
) -> tuple[int | None, bool]:
    """Multiply-accumulates per token, and whether they leave the token embeddings out (from the
    shape, or the parameters less vocabulary x width) rather than count every parameter."""
    if layers and hidden:
        return 12 * layers * hidden * hidden, True
    if params is None:
        return None, False
    if vocab and hidden and vocab * hidden < params:
        return params - vocab * hidden, True
    return params, False


@derived(
    "fit.cpu_compute_ms",
    "number",
    "milliseconds of arithmetic for one request on the spec's CPU (no GPU stated): 2 FLOPs per "
    "multiply-accumulate (fit.input_gmacs) at the cpu_sustained_gflops threshold; empty with a "
    "GPU, without hardware, or when the compute is not known",
    ("compute_gmacs", "params", "vocab_size", "hidden_size", "pipeline_tag", "layers"),
    "ms",
)
def _cpu_compute_ms(e: Env, *facts: Any) -> float | None:
    gflops = e.tables.thresholds.get("cpu_sustained_gflops")
    if e.cards or e.cpu_bytes is None or not gflops:
        return None
    macs = _input_gmacs(e, *facts)
    return None if macs is None else _arithmetic_ms(macs, gflops * 1e9)


# Token embeddings are a lookup, not arithmetic, and can be most of a base encoder's parameters
# (XLM-R base: 192M of 278M): counted from the parameters alone (no recorded shape), the arithmetic
# is an upper bound of which only this share is sure.
SURE_SHARE_WITHOUT_SHAPE = 0.3


@derived(
    "fit.cpu_compute_exceeds_budget",
    "bool",
    "fit.cpu_compute_ms is over needs.max_latency_ms: true when it surely is (counted from a "
    f"recorded compute or shape, or still over when only {SURE_SHARE_WITHOUT_SHAPE:.0%} of a "
    "parameter count, which includes the token embeddings, is arithmetic), false when within, "
    "unknown in between or without either",
    ("compute_gmacs", "params", "vocab_size", "hidden_size", "pipeline_tag", "layers"),
)
def _cpu_compute_exceeds_budget(e: Env, *facts: Any) -> bool | None:
    budget = e.spec.needs.max_latency_ms
    ms = _cpu_compute_ms(e, *facts)
    if ms is None or not budget:
        return None
    if ms <= budget:
        return False
    gmacs, params, vocab, hidden, _, layers = facts
    exact = gmacs is not None or _per_token_macs(params, vocab, hidden, layers)[1]
    return True if exact or ms * SURE_SHARE_WITHOUT_SHAPE > budget else None


@derived(
    "fit.cpu_compute_over_budget",
    "number",
    "fit.cpu_compute_ms as a multiple of needs.max_latency_ms (2: twice the budget); empty when "
    "either is unknown",
    ("compute_gmacs", "params", "vocab_size", "hidden_size", "pipeline_tag", "layers"),
    "x",
)
def _cpu_compute_over_budget(e: Env, *facts: Any) -> float | None:
    budget = e.spec.needs.max_latency_ms
    ms = _cpu_compute_ms(e, *facts)
    return None if ms is None or not budget else round(ms / budget, 2)


@derived(
    "fit.gpu_compute_ms",
    "number",
    "milliseconds of arithmetic for one forward pass on the spec's fastest serving GPU: 2 FLOPs per "
    "multiply-accumulate (model.compute_gmacs) at its 16-bit peak times the "
    "vision_gpu_efficiency threshold; empty without a GPU of known peak or without the compute",
    ("compute_gmacs",),
    "ms",
)
def _gpu_compute_ms(e: Env, gmacs: float | None) -> float | None:
    efficiency = e.tables.thresholds.get("vision_gpu_efficiency")
    peaks = [c.peak_tflops for c in e.cards if c.peak_tflops]
    if gmacs is None or not peaks or not efficiency:
        return None
    return _arithmetic_ms(gmacs, max(peaks) * 1e12 * efficiency)


def _arithmetic_ms(gmacs: float, flops_per_s: float) -> float:
    """Milliseconds that `gmacs` billion multiply-accumulates (2 FLOPs each) take at `flops_per_s`."""
    return round(2 * gmacs * 1e9 / flops_per_s * 1000, 1)
