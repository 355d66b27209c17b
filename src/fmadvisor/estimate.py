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

from dataclasses import dataclass, field

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.vocab import ADAPTER_METHODS, DEFAULT_CONTEXT_TOKENS, ESTIMATE_MODES

GB = 1_000_000_000

BYTES_PER_PARAM = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "int8": 1.0, "int4": 0.5}
NF4_CONSTANTS = (
    0.127 / 8
)  # bytes/param of double-quantized NF4 block constants (QLoRA paper: 0.127 bit)
CUDA_CONTEXT = 0.5 * GB  # per-process CUDA context and allocator reserve
SERVE_SLACK = 0.05  # allocator fragmentation and runtime buffers while serving, share of weights + KV (calibrated)
TRAIN_WORKSPACE = (
    2.0 * GB
)  # CUDA context, cuBLAS/FlashAttention workspaces during training (calibrated)
TRAIN_SLACK = 0.15  # fragmentation, share of the weights' memory during training (calibrated)
ACT_BYTES_PER_TOKEN_LAYER_HIDDEN = (
    12.0  # activations kept per token x layer x hidden unit, gradient checkpointing (calibrated)
)
QLORA_DEQUANT_LAYERS = (
    2  # bf16 copies of a layer's weights held while dequantizing (plus 1 GB paging reserve)
)
LORA_FRACTION = (
    0.005  # adapter parameters as a share of the model (rank 16 on attention and MLP: 0.3-1%)
)
ADAMW_BYTES = 12.0  # fp32 master copy + momentum + variance per trained parameter (ZeRO paper)
GRAD_BYTES = 2.0  # bf16 gradients
DEFAULT_CONTEXT = DEFAULT_CONTEXT_TOKENS
TRAIN_CONTEXT = 2048
CHINCHILLA_TOKENS_PER_PARAM = 20
MFU_BAND = (
    0.30,
    0.40,
    0.50,
)  # model FLOPs utilization: pessimistic, expected, optimistic (Llama 2: 0.35-0.43)
MODES = ESTIMATE_MODES


@dataclass(frozen=True, slots=True)
class Arch:
    params: int
    active_params: int | None = None
    layers: int | None = None
    hidden: int | None = None
    heads: int | None = None
    kv_heads: int | None = None
    vocab: int | None = None
    sliding_window: int | None = None

    @classmethod
    def of(cls, c: Candidate) -> Arch | None:
        if c.params is None:
            return None
        return cls(
            c.params,
            c.active_params,
            c.layers,
            c.hidden_size,
            c.attention_heads,
            c.kv_heads,
            c.vocab_size,
            c.sliding_window,
        )

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


@dataclass
class Memory:
    components: dict[str, float] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(
            self.components.values()
        )  # components add up; the largest alone would under-count


@dataclass(frozen=True)
class Compute:
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


def kv_cache_bytes(
    arch: Arch, context: int, batch: int = 1, bytes_per_value: float = 2.0
) -> float | None:
    """2 x layers x kv_heads x head_dim x tokens x batch x bytes; None when the architecture is unknown."""
    if not (arch.layers and arch.hidden and arch.heads):
        return None
    kv_heads = arch.kv_heads or arch.heads
    head_dim = arch.hidden / arch.heads
    tokens = min(context, arch.sliding_window) if arch.sliding_window else context
    return 2 * arch.layers * kv_heads * head_dim * tokens * batch * bytes_per_value


def serve_memory(
    arch: Arch, dtype: str = "bf16", context: int = DEFAULT_CONTEXT, batch: int = 1
) -> Memory:
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context, batch)
    m = Memory(
        {
            "weights": w,
            "kv_cache": kv or 0.0,
            "overhead": (w + (kv or 0.0)) * SERVE_SLACK + CUDA_CONTEXT,
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
        m.assumptions.append(f"KV cache for {context} tokens x batch {batch} at 16-bit{window}")
    m.assumptions.append(
        f"runtime overhead {SERVE_SLACK:.0%} of weights + KV, plus {CUDA_CONTEXT / GB:.1f} GB CUDA context"
    )
    return m


def serve_bytes(arch: Arch, dtype: str, context: int) -> float:
    """Total of `serve_memory`, without building the breakdown (hot path)."""
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context) or 0.0
    return (w + kv) * (1 + SERVE_SLACK) + CUDA_CONTEXT


def activation_bytes(arch: Arch, context: int, batch: int = 1) -> float:
    """Activations kept for the backward pass with gradient checkpointing."""
    if not (arch.layers and arch.hidden):
        # Without architecture facts, scale with size: ~3% of the 16-bit weights per 2k tokens.
        return arch.params * 2 * 0.03 * context * batch / TRAIN_CONTEXT
    return arch.layers * context * batch * arch.hidden * ACT_BYTES_PER_TOKEN_LAYER_HIDDEN


def _logits_bytes(arch: Arch, context: int, batch: int) -> float:
    return (arch.vocab or 0) * context * batch * 2.0


def train_memory(
    arch: Arch, method: str, context: int = TRAIN_CONTEXT, batch: int = 1, dtype: str = "bf16"
) -> Memory:
    """Peak GPU memory for fine-tuning with `method` in full | lora | qlora (| pretrain, as full).

    `dtype` is the precision of the (frozen or trained) weights: bf16 by default, fp32 for pure
    fp32 training.
    """
    act = activation_bytes(arch, context, batch)
    logits = _logits_bytes(arch, context, batch)
    if method in ("full", "pretrain"):
        w = arch.params * BYTES_PER_PARAM[dtype]
        grads = arch.params * (GRAD_BYTES if dtype != "fp32" else 4.0)
        opt = arch.params * (ADAMW_BYTES if dtype != "fp32" else 8.0)
        m = Memory(
            {
                "weights": w,
                "gradients": grads,
                "optimizer": opt,
                "adapters": 0.0,
                "activations": act + logits,
                "overhead": TRAIN_WORKSPACE + w * TRAIN_SLACK,
            }
        )
        m.assumptions.append(
            "full training with AdamW: "
            + (
                "fp32 weights, gradients and two moments (16 B/param)"
                if dtype == "fp32"
                else (
                    "bf16 weights and gradients, fp32 master copy and two moments (16 "
                    "B/param; DeepSpeed's accounting with fp32 gradients gives 18)"
                )
            )
        )
    else:
        adapters = arch.params * LORA_FRACTION
        base_dtype = "int4" if method == "qlora" else dtype
        w = weights_bytes(arch, base_dtype)
        overhead = TRAIN_WORKSPACE + w * TRAIN_SLACK
        if method == "qlora" and arch.layers:
            per_layer = (arch.params - arch.embedding_params) / arch.layers * 2.0
            overhead += QLORA_DEQUANT_LAYERS * per_layer + 1.0 * GB
        elif method == "qlora":
            overhead += 1.0 * GB
        m = Memory(
            {
                "weights": w,
                "adapters": adapters * 2.0,
                "gradients": adapters * GRAD_BYTES,
                "optimizer": adapters * ADAMW_BYTES,
                "activations": act + logits,
                "overhead": overhead,
            }
        )
        m.assumptions.append(
            f"{method}: frozen base at {'NF4 (4-bit, linear layers)' if method == 'qlora' else base_dtype}; "
            f"adapters {LORA_FRACTION:.1%} of parameters, trained with AdamW"
        )
    m.assumptions.append(
        f"gradient checkpointing, {context} tokens x batch {batch}; activations "
        f"{ACT_BYTES_PER_TOKEN_LAYER_HIDDEN:g} B per token, layer and hidden unit, plus 16-bit logits"
    )
    m.assumptions.append(
        f"{TRAIN_WORKSPACE / GB:.0f} GB CUDA workspace + {TRAIN_SLACK:.0%} of weights for fragmentation"
    )
    return m


def train_bytes(arch: Arch, method: str, context: int = TRAIN_CONTEXT) -> float:
    """Total of `train_memory` at bf16 and batch 1, without building the breakdown (scoring hot path;
    a test keeps the two equal)."""
    act = activation_bytes(arch, context) + _logits_bytes(arch, context, 1)
    if method in ("full", "pretrain"):
        w = arch.params * 2.0
        return (
            w + arch.params * (GRAD_BYTES + ADAMW_BYTES) + act + TRAIN_WORKSPACE + w * TRAIN_SLACK
        )
    adapters = arch.params * LORA_FRACTION
    w = weights_bytes(arch, "int4" if method == "qlora" else "bf16")
    extra = 0.0
    if method == "qlora":
        extra = 1.0 * GB + (
            QLORA_DEQUANT_LAYERS * (arch.params - arch.embedding_params) / arch.layers * 2.0
            if arch.layers
            else 0.0
        )
    return (
        w
        + adapters * (2.0 + GRAD_BYTES + ADAMW_BYTES)
        + act
        + TRAIN_WORKSPACE
        + w * TRAIN_SLACK
        + extra
    )


# ---- compute and cost -------------------------------------------------------------------------


def compute(arch: Arch, mode: str, tokens: float | None = None) -> Compute:
    """FLOPs of a mode over `tokens` (pre-training defaults to compute-optimal tokens)."""
    n = arch.compute_params
    optimal = CHINCHILLA_TOKENS_PER_PARAM * arch.params
    notes = []
    if mode == "pretrain":
        d = tokens if tokens is not None else optimal
        flops = 6.0 * n * d
        notes.append(
            "training FLOPs = 6 x parameters x tokens"
            + (" (active parameters)" if arch.active_params else "")
        )
        if tokens is None:
            notes.append(
                f"tokens: compute-optimal {CHINCHILLA_TOKENS_PER_PARAM} per parameter (Chinchilla)"
            )
    elif mode == "full":
        d = tokens or 0.0
        flops = 6.0 * n * d
        notes.append("training FLOPs = 6 x parameters x tokens")
    elif mode in ADAPTER_METHODS:
        d = tokens or 0.0
        flops = 4.0 * n * d
        notes.append(
            "adapter training FLOPs = 4 x parameters x tokens (no weight gradients for the frozen base)"
        )
    else:
        d = tokens or 0.0
        flops = 2.0 * n * d
        notes.append("inference FLOPs = 2 x parameters per token")
    return Compute(flops, d, optimal, tuple(notes))


def gpu_hours(flops: float, peak_tflops: float) -> tuple[float, float, float]:
    """(low, expected, high) GPU-hours over the model-FLOPs-utilization band."""
    low_mfu, mid_mfu, high_mfu = MFU_BAND
    per_hour = peak_tflops * 1e12 * 3600
    return flops / (per_hour * high_mfu), flops / (per_hour * mid_mfu), flops / (per_hour * low_mfu)


def per_card(total: float, cards: int) -> float:
    """Memory per card when the model is split evenly over `cards` (the CUDA context does not split)."""
    if cards <= 1:
        return total
    return (total - CUDA_CONTEXT) / cards + CUDA_CONTEXT


# ---- the `estimate` document ----------------------------------------------------------------

REFERENCE_GPU = "A100-80GB"  # used for GPU-hours when no GPU (or none with a known peak) is given


def estimate_document(
    arch: Arch,
    mode: str,
    *,
    model: dict[str, object],
    dtype: str = "bf16",
    context: int | None = None,
    batch: int = 1,
    tokens: float | None = None,
    gpu: object | None = None,
    gpus: int = 1,
    reference: object | None = None,
    notes: list[str] | None = None,
) -> dict[str, object]:
    """Memory, compute and cost for one model and mode, as a JSON-ready document.

    `gpu` and `reference` are GPU table entries (name, memory_gb, bf16_tflops, usd_per_hour).
    """
    if mode not in MODES:
        raise ValueError(mode)
    assumptions = list(notes or [])
    if mode == "inference":
        ctx = context or DEFAULT_CONTEXT
        mem = serve_memory(arch, dtype, ctx, batch)
    else:
        ctx = context or TRAIN_CONTEXT
        mem = train_memory(
            arch,
            "full" if mode == "pretrain" else mode,
            ctx,
            batch,
            dtype=dtype if mode != "qlora" else "bf16",
        )
    assumptions += mem.assumptions
    components = {
        k: round(mem.components.get(k, 0.0))
        for k in (
            "weights",
            "kv_cache",
            "activations",
            "gradients",
            "optimizer",
            "adapters",
            "overhead",
        )
    }
    total = round(mem.total)
    per_gpu = round(per_card(mem.total, gpus))
    fits = headroom = None
    if gpu is not None:
        card = float(gpu.memory_gb) * GB  # type: ignore[attr-defined]
        fits = per_gpu <= card
        headroom = round(card - per_gpu)
        if gpus > 1:
            assumptions.append(
                f"split evenly over {gpus} GPUs (tensor parallel); fit judged per card"
            )
    comp = compute(arch, mode, tokens)
    assumptions += comp.assumptions
    peak_gpu = gpu if gpu is not None and getattr(gpu, "bf16_tflops", None) else reference
    hours: dict[str, float] | None = None
    cost: dict[str, float] | None = None
    if comp.flops and peak_gpu is not None and getattr(peak_gpu, "bf16_tflops", None):
        lo, mid, hi = gpu_hours(comp.flops, float(peak_gpu.bf16_tflops))  # type: ignore[attr-defined]
        hours = {"low": round(lo, 1), "expected": round(mid, 1), "high": round(hi, 1)}
        assumptions.append(
            f"GPU-hours on {peak_gpu.name} at {peak_gpu.bf16_tflops} dense BF16 TFLOPS, model FLOPs "  # type: ignore[attr-defined]
            f"utilization {MFU_BAND[2]:.0%} (low) to {MFU_BAND[0]:.0%} (high), {MFU_BAND[1]:.0%} expected"
        )
        price = getattr(peak_gpu, "usd_per_hour", None)
        if price:
            cost = {"low": round(lo * price), "high": round(hi * price)}
            assumptions.append(
                f"cost at ${price}/GPU-hour ({peak_gpu.name}, from the GPU table; set your own price in a rules file)"
            )  # type: ignore[attr-defined]
    elif not comp.flops:
        assumptions.append("no compute estimate: give --tokens (tokens to train on or to process)")
    return {
        "schema_version": 1,
        "mode": mode,
        "model": model,
        "dtype": "nf4" if mode == "qlora" else dtype,
        "context": ctx,
        "batch": batch,
        "gpu": None
        if gpu is None
        else {"name": gpu.name, "memory_gb": gpu.memory_gb, "count": gpus},  # type: ignore[attr-defined]
        "memory": {
            "total_bytes": total,
            "per_gpu_bytes": per_gpu,
            "fits": fits,
            "headroom_bytes": headroom,
            "components": components,
        },
        "compute": {
            "flops": comp.flops,
            "tokens": comp.tokens,
            "optimal_tokens": comp.optimal_tokens,
            "gpu_hours": hours,
            "cost_usd": cost,
        },
        "assumptions": assumptions,
    }
