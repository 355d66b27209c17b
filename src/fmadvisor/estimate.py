"""Memory, compute and cost estimates for serving, fine-tuning and pre-training a model.

Sources: EleutherAI "Transformer Math 101" and the ZeRO paper (bytes per parameter, 6·N·D), the
QLoRA paper (NF4 block constants), Hoffmann et al. 2022 (~20 tokens per parameter). Constants marked
"calibrated" were fitted to the published measurements in docs/estimates.md (Qwen-7B inference,
LoRA and QLoRA at 256 and 8,192 tokens; T0-3B full fine-tuning and LoRA; Llama 2 pre-training
GPU-hours) and the tests hold the estimator to them.

Components are summed, never maxed. Every estimate lists its assumptions. Pure functions; the
`*_bytes` variants skip the breakdown for the scoring hot path.
"""

from __future__ import annotations


import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.vocab import ADAPTER_METHODS, DEFAULT_CONTEXT_TOKENS, ESTIMATE_MODES

GB = 1_000_000_000

BYTES_PER_PARAM = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "int8": 1.0, "int4": 0.5}
# bytes/param of double-quantized NF4 block constants (QLoRA paper: 0.127 bit)
NF4_CONSTANTS = 0.127 / 8
CUDA_CONTEXT = 0.5 * GB  # per-process CUDA context and allocator reserve


def serve_runtime(on_gpu: bool) -> float:
    """The per-process reserve a serving process adds: the CUDA context on a GPU, none on a CPU."""
    return CUDA_CONTEXT if on_gpu else 0.0


# allocator fragmentation and runtime buffers while serving, share of weights + KV (calibrated)
SERVE_SLACK = 0.05
# CUDA context, cuBLAS/FlashAttention workspaces during training (calibrated)
TRAIN_WORKSPACE = 2.0 * GB
# fragmentation, share of the 16-bit (dequantized) weights' memory during training (calibrated);
# a frozen 4-bit base is allocated once at load, so its slack is counted at its packed size
TRAIN_SLACK = 0.15
# Activations with gradient checkpointing (Korthikanti et al. 2022, "Reducing Activation
# Recomputation"): each layer keeps its 16-bit input (2 B per token and hidden unit) and one layer at
# a time is recomputed with all its activations, 34 B per token and hidden unit (the 5*a*s/h
# attention-score term vanishes with FlashAttention).
CHECKPOINT_BYTES = 2.0
LAYER_ACT_BYTES = 34.0
# The loss: 16-bit logits, their fp32 upcast, and the fp32 log-softmax gradient (HF causal-LM loss).
TRAIN_LOGIT_BYTES = 2.0 + 4.0 + 4.0
# QLoRA dequantizes one layer's linear weights to 16-bit at a time (bitsandbytes / GPTQ kernels)
QLORA_DEQUANT_LAYERS = 1
# adapter parameters as a share of the model (rank 16 on attention and MLP: 0.3-1%)
LORA_FRACTION = 0.005
ADAMW_BYTES = 12.0  # fp32 master copy + momentum + variance per trained parameter (ZeRO paper)
GRAD_BYTES = 2.0  # bf16 gradients
# a fully trained parameter in mixed-precision AdamW: its 16-bit weight and gradient, the fp32 master
# copy and two moments (activations aside)
FULL_TRAIN_BYTES = BYTES_PER_PARAM["bf16"] + GRAD_BYTES + ADAMW_BYTES
DEFAULT_CONTEXT = DEFAULT_CONTEXT_TOKENS
TRAIN_CONTEXT = 2048
REFERENCE_GPU = "A100-80GB"  # GPU-hours and cost when no GPU is given: what a job would rent
# Compute-optimal tokens per parameter: the geometric mean of D/N over the calibration rows of
# Hoffmann et al. 2022 Table 3 (400M: 20.0, 1B: 20.2, 67B: 22.4, 175B: 21.1, 1T: 21.2), whose
# fitted law (a = b = 0.50) keeps D/N constant.
CHINCHILLA_TOKENS_PER_PARAM = 21
MODES = ESTIMATE_MODES


class Arch(msgspec.Struct, frozen=True):
    """The architecture facts the estimator reads (None: unknown)."""

    params: int
    active_params: int | None = None
    layers: int | None = None
    hidden: int | None = None
    heads: int | None = None
    kv_heads: int | None = None
    vocab: int | None = None
    sliding_window: int | None = None
    attention_layers: int | None = None  # hybrids: the layers that keep a KV cache
    head_dim: int | None = None  # when the config sets it apart from hidden / heads
    # training's loss scores the vocabulary at every position (a language-model head); False for a
    # task head (a label per text, token or box, or an embedding): a handful of logits
    # (tasks.head_loss)
    lm_loss: bool = True

    @classmethod
    def of(cls, c: Candidate, **overrides: int | None) -> Arch | None:
        """A catalog model's architecture, with given values (not None) in place of its own;
        None when the parameter count is unknown either way."""
        fields = {
            "params": c.params,
            "active_params": c.active_params,
            "layers": c.layers,
            "hidden": c.hidden_size,
            "heads": c.attention_heads,
            "kv_heads": c.kv_heads,
            "vocab": c.vocab_size,
            "sliding_window": c.sliding_window,
            "attention_layers": c.attention_layers,
            "head_dim": c.head_dim,
        }
        fields.update({k: v for k, v in overrides.items() if v is not None})
        if fields["params"] is None:
            return None
        return cls(**fields)  # type: ignore[arg-type]

    @property
    def embedding_params(self) -> int:
        """Input embeddings plus output head (not quantized); 0 when unknown."""
        if self.vocab and self.hidden:
            return min(2 * self.vocab * self.hidden, self.params // 2)
        return 0

    @property
    def compute_params(self) -> int:
        """Parameters used per token (active parameters for mixture-of-experts)."""
        return self.active_params or self.params


class Memory(msgspec.Struct):
    """A memory estimate: its components in GB, the assumptions behind them, and what may be paged."""

    components: dict[str, float] = msgspec.field(default_factory=dict)
    assumptions: list[str] = msgspec.field(default_factory=list)

    pageable: float = 0.0  # paged optimizer state: on the GPU when there is room, else in CPU RAM

    @property
    def total(self) -> float:
        """Peak GPU memory when everything stays on the GPU (components add up; never the max)."""
        return sum(self.components.values())

    @property
    def resident(self) -> float:
        """What must stay on the GPU for the job to run (the paged part can spill to CPU RAM)."""
        return self.total - self.pageable


class Compute(msgspec.Struct, frozen=True):
    """A training compute estimate: FLOPs, tokens, the compute-optimal tokens, and assumptions."""

    flops: float
    tokens: float
    optimal_tokens: float
    assumptions: tuple[str, ...]


# ---- memory -----------------------------------------------------------------------------------


def weights_bytes(arch: Arch, dtype: str) -> float:
    """Weights at `dtype`; 4- and 8-bit quantization applies to linear layers only."""
    per = BYTES_PER_PARAM[dtype]
    if dtype in ("int4", "int8"):
        emb = arch.embedding_params
        extra = NF4_CONSTANTS if dtype == "int4" else 0.0
        return (arch.params - emb) * (per + extra) + emb * 2.0
    return arch.params * per


MIN_WIDTH = 512  # narrowest hidden size of a transformer of 100M+ parameters (GPT-2 small: 768)


def kv_upper_bound(arch: Arch, context: int, batch: int = 1, bytes_per_value: float = 2.0) -> float:
    """The largest KV cache a dense transformer of `arch.params` parameters can have at `context`:
    2 (K, V) x layers x width x tokens x bytes, where layers x width^2 ~ params / 12 and width is at
    least MIN_WIDTH, so layers x width <= params / (12 x MIN_WIDTH). Grouped-query attention and
    sliding windows only make the real cache smaller."""
    return 2 * (arch.params / (12 * MIN_WIDTH)) * context * batch * bytes_per_value


def kv_cache_bytes(
    arch: Arch, context: int, batch: int = 1, bytes_per_value: float = 2.0
) -> float | None:
    """2 x layers x kv_heads x head_dim x tokens x batch x bytes; None when the architecture is
    unknown. A hybrid's state-space or linear-attention layers keep no KV cache: only its
    attention_layers count."""
    if not (arch.layers and arch.heads and (arch.head_dim or arch.hidden)):
        return None
    kv_heads = arch.kv_heads or arch.heads
    head_dim = arch.head_dim or arch.hidden / arch.heads
    tokens = min(context, arch.sliding_window) if arch.sliding_window else context
    layers = arch.attention_layers or arch.layers
    return 2 * layers * kv_heads * head_dim * tokens * batch * bytes_per_value


def serve_memory(
    arch: Arch,
    dtype: str = "bf16",
    context: int = DEFAULT_CONTEXT,
    batch: int = 1,
    runtime: float = CUDA_CONTEXT,
) -> Memory:
    """Serving memory by component; `runtime` as in `serve_bytes` (0 on a CPU host)."""
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context, batch)
    m = Memory(
        {
            "weights": w,
            "kv_cache": kv or 0.0,
            "overhead": (w + (kv or 0.0)) * SERVE_SLACK + runtime,
        }
    )
    m.assumptions.append(
        f"weights at {dtype}"
        + (
            "; quantization on linear layers only, embeddings and head at 16-bit"
            if dtype in ("int4", "int8")
            else ""
        )
    )
    if kv is None:
        m.assumptions.append("KV cache unknown (layers/heads not recorded): not counted")
    else:
        window = (
            f", capped at the {arch.sliding_window}-token sliding window"
            if arch.sliding_window
            else ""
        )
        hybrid = (
            f", in the {arch.attention_layers} of {arch.layers} layers that attend (a hybrid)"
            if arch.attention_layers
            else ""
        )
        m.assumptions.append(
            f"KV cache for {context} tokens x batch {batch} at 16-bit{window}{hybrid}"
        )
    reserve = (
        f"plus {runtime / GB:.1f} GB CUDA context" if runtime else "no CUDA context (CPU host)"
    )
    m.assumptions.append(f"runtime overhead {SERVE_SLACK:.0%} of weights + KV, {reserve}")
    return m


def serve_bytes(arch: Arch, dtype: str, context: int, runtime: float = CUDA_CONTEXT) -> float:
    """Total of `serve_memory`, without building the breakdown (hot path). `runtime` is the
    per-process reserve: the CUDA context on a GPU, nothing on a CPU (no CUDA process there)."""
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context) or 0.0
    return (w + kv) * (1 + SERVE_SLACK) + runtime


def activation_bytes(arch: Arch, context: int, batch: int = 1) -> float:
    """Activations kept for the backward pass with gradient checkpointing (see LAYER_ACT_BYTES)."""
    if not (arch.layers and arch.hidden):
        # Without architecture facts, scale with size: ~3% of the 16-bit weights per 2k tokens.
        return arch.params * 2 * 0.03 * context * batch / TRAIN_CONTEXT
    per_token = arch.hidden * (CHECKPOINT_BYTES * arch.layers + LAYER_ACT_BYTES)
    return per_token * context * batch


# The largest vocabulary the catalog records for a generator (Gemma 4 E2B and E4B, MedGemma 27B text,
# Sarvam 30B: 262,144; tests/test_spec_hardware.py keeps it the largest): a model whose vocabulary is
# unknown fits for training only if it would fit with this many logits per token (Env.train_fits);
# otherwise its fit is unknown, never assumed.
LARGEST_VOCAB = 262_144


def widest_vocab(arch: Arch) -> Arch:
    """`arch` with the largest vocabulary in place of an unknown one (the loss's worst case)."""
    return arch if arch.vocab is not None else msgspec.structs.replace(arch, vocab=LARGEST_VOCAB)


def _logits_bytes(arch: Arch, context: int, batch: int) -> float:
    if not arch.lm_loss:
        return 0.0
    return (arch.vocab or 0) * context * batch * TRAIN_LOGIT_BYTES


STATES = ("weights", "gradients", "optimizer", "adapters")  # what ZeRO-3 / FSDP shard


def _train_components(
    arch: Arch, method: str, context: int, batch: int, dtype: str
) -> dict[str, float]:
    act = activation_bytes(arch, context, batch) + _logits_bytes(arch, context, batch)
    if method in ("full", "pretrain"):
        w = arch.params * BYTES_PER_PARAM[dtype]
        grads = arch.params * (GRAD_BYTES if dtype != "fp32" else 4.0)
        opt = arch.params * (ADAMW_BYTES if dtype != "fp32" else 8.0)
        return {
            "weights": w,
            "gradients": grads,
            "optimizer": opt,
            "adapters": 0.0,
            "activations": act,
            "overhead": TRAIN_WORKSPACE + w * TRAIN_SLACK,
        }
    adapters = arch.params * LORA_FRACTION
    w = weights_bytes(arch, "int4" if method == "qlora" else dtype)
    overhead = TRAIN_WORKSPACE + w * TRAIN_SLACK
    if method == "qlora" and arch.layers:
        per_layer = (arch.params - arch.embedding_params) / arch.layers * 2.0
        overhead += QLORA_DEQUANT_LAYERS * per_layer
    return {
        "weights": w,
        "gradients": adapters * GRAD_BYTES,
        "optimizer": adapters * ADAMW_BYTES,
        "adapters": adapters * 2.0,
        "activations": act,
        "overhead": overhead,
    }


def train_memory(
    arch: Arch, method: str, context: int = TRAIN_CONTEXT, batch: int = 1, dtype: str = "bf16"
) -> Memory:
    """Peak GPU memory for fine-tuning with `method` in full | lora | qlora (| pretrain, as full).

    `dtype` is the precision of the (frozen or trained) weights: bf16 by default, fp32 for pure
    fp32 training.
    """
    m = Memory(_train_components(arch, method, context, batch, dtype))
    if method == "qlora":
        m.pageable = m.components["optimizer"]
    if method in ("full", "pretrain"):
        m.assumptions.append(
            "full training with AdamW: "
            + (
                "fp32 weights, gradients and two moments (16 B/param)"
                if dtype == "fp32"
                else "bf16 weights and gradients, fp32 master copy and two moments (16 B/param; "
                "DeepSpeed's accounting with fp32 gradients gives 18)"
            )
        )
    else:
        base = "NF4 (4-bit, linear layers)" if method == "qlora" else dtype
        m.assumptions.append(
            f"{method}: frozen base at {base}; adapters {LORA_FRACTION:.1%} of parameters, "
            "trained with AdamW"
        )
        if method == "qlora":
            m.assumptions.append(
                "one layer dequantized to 16-bit at a time; paged AdamW (QLoRA paper): the "
                "optimizer state spills to CPU RAM when the GPU is full, so fit is judged without it"
            )
    loss = (
        f"logits {TRAIN_LOGIT_BYTES:g} B per token and vocabulary entry (16-bit, fp32 upcast for "
        "the loss, fp32 gradient)"
        if arch.lm_loss
        else "a task head's few outputs per text or token, no logits over the vocabulary"
    )
    m.assumptions.append(
        f"gradient checkpointing, {context} tokens x batch {batch}: {CHECKPOINT_BYTES:g} B per "
        f"token, layer and hidden unit, plus {LAYER_ACT_BYTES:g} B for the layer being recomputed; "
        + loss
    )
    m.assumptions.append(
        f"{TRAIN_WORKSPACE / GB:.0f} GB CUDA workspace + {TRAIN_SLACK:.0%} of weights for "
        "fragmentation"
    )
    return m


def train_bytes(arch: Arch, method: str, context: int = TRAIN_CONTEXT, cards: int = 1) -> float:
    """Per card, what must stay on the GPU (`train_memory(...).resident` at bf16 and batch 1,
    sharded over `cards`): the scoring path, without the breakdown; a test keeps the two equal."""
    parts = _train_components(arch, method, context, 1, "bf16")
    if method == "qlora":
        parts["optimizer"] = 0.0  # paged
    return sharded_per_card(parts, cards)


def sharded_per_card(components: dict[str, float], cards: int) -> float:
    """Per-card memory under sharded data parallelism (ZeRO-3 / FSDP full sharding): weights,
    gradients and optimizer state split over the cards; each card keeps its own activations and
    workspace (ZeRO paper, Rajbhandari et al. 2020, section 5)."""
    states = sum(components.get(k, 0.0) for k in STATES)
    rest = sum(v for k, v in components.items() if k not in STATES)
    return states / max(1, cards) + rest


# ---- compute --------------------------------------------------------------------------------


def compute(arch: Arch, mode: str, tokens: float | None = None) -> Compute:
    """FLOPs of a mode over `tokens` (pre-training defaults to compute-optimal tokens)."""
    n = arch.compute_params
    optimal = CHINCHILLA_TOKENS_PER_PARAM * arch.params
    notes = []
    moe = " (active parameters)" if arch.active_params else ""
    if mode == "pretrain":
        d = tokens if tokens is not None else optimal
        flops = 6.0 * n * d
        notes.append("training FLOPs = 6 x parameters x tokens" + moe)
        if tokens is None:
            notes.append(
                f"tokens: compute-optimal, {CHINCHILLA_TOKENS_PER_PARAM} per parameter "
                "(Hoffmann et al. 2022, Table 3)"
            )
    elif mode == "full":
        d = tokens or 0.0
        flops = 6.0 * n * d
        notes.append("training FLOPs = 6 x parameters x tokens" + moe)
    elif mode in ADAPTER_METHODS:
        d = tokens or 0.0
        flops = 4.0 * n * d
        notes.append(
            "adapter training FLOPs = 4 x parameters x tokens (no weight gradients for the "
            "frozen base)"
        )
    else:
        d = tokens or 0.0
        flops = 2.0 * n * d
        notes.append("inference FLOPs = 2 x parameters per token")
    return Compute(flops, d, optimal, tuple(notes))


def per_card(total: float, cards: int) -> float:
    """Memory per card when the model is split evenly over `cards` (tensor or pipeline parallel
    serving; the CUDA context does not split)."""
    if cards <= 1:
        return total
    return (total - CUDA_CONTEXT) / cards + CUDA_CONTEXT
