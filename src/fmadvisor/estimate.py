"""Memory estimates for serving and training a model (bytes), from its architecture.

Sources (see docs/estimates.md): EleutherAI "Transformer Math 101" and the ZeRO paper for
per-parameter costs; the QLoRA paper for NF4 block constants; the KV-cache formula with
grouped-query heads. Every estimate carries the assumptions it made, so a reader can see why.

Pure functions; the rule engine calls `serve_bytes` and `train_bytes` millions of times, so they
avoid allocation on the hot path (`assumptions=False`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fmadvisor.catalog.candidate import Candidate

GB = 1_000_000_000

BYTES_PER_PARAM = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "int8": 1.0, "int4": 0.5}
NF4_CONSTANTS = 0.127 / 8  # bytes/param of double-quantized NF4 block constants (QLoRA paper: 0.127 bit)
SERVE_OVERHEAD = 0.20  # runtime buffers and activations while serving: ~1.2 x weights (Transformer Math 101)
CUDA_CONTEXT = 0.5 * GB  # per-process CUDA context and allocator reserve (rule of thumb)
LORA_FRACTION = 0.005  # adapter parameters as a share of the model (rank 16 on attention+MLP: 0.3-1%)
ADAMW_BYTES = 12.0  # fp32 master copy + momentum + variance per trained parameter (ZeRO paper)
DEFAULT_CONTEXT = 4096
TRAIN_CONTEXT = 2048


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
        return cls(c.params, c.active_params, c.layers, c.hidden_size, c.attention_heads,
                   c.kv_heads, c.vocab_size, c.sliding_window)

    @property
    def embedding_params(self) -> int:
        """Input embeddings plus output head (not quantized); 0 when unknown."""
        if self.vocab and self.hidden:
            return min(2 * self.vocab * self.hidden, self.params // 2)
        return 0


@dataclass
class Memory:
    components: dict[str, float] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.components.values())  # components add up; the largest alone would under-count


def weights_bytes(arch: Arch, dtype: str) -> float:
    """Weights at `dtype`; 4- and 8-bit quantization applies to linear layers only."""
    per = BYTES_PER_PARAM[dtype]
    if dtype in ("int4", "int8"):
        emb = arch.embedding_params
        extra = NF4_CONSTANTS if dtype == "int4" else 0.0
        return (arch.params - emb) * (per + extra) + emb * 2.0
    return arch.params * per


def kv_cache_bytes(arch: Arch, context: int, batch: int = 1, bytes_per_value: float = 2.0) -> float | None:
    """2 x layers x kv_heads x head_dim x tokens x batch x bytes; None when the architecture is unknown."""
    if not (arch.layers and arch.hidden and arch.heads):
        return None
    kv_heads = arch.kv_heads or arch.heads
    head_dim = arch.hidden / arch.heads
    tokens = min(context, arch.sliding_window) if arch.sliding_window else context
    return 2 * arch.layers * kv_heads * head_dim * tokens * batch * bytes_per_value


def serve_memory(arch: Arch, dtype: str = "bf16", context: int = DEFAULT_CONTEXT, batch: int = 1) -> Memory:
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context, batch)
    m = Memory({"weights": w, "kv_cache": kv or 0.0, "overhead": w * SERVE_OVERHEAD + CUDA_CONTEXT})
    m.assumptions.append(f"weights at {dtype}; runtime overhead {SERVE_OVERHEAD:.0%} of weights + {CUDA_CONTEXT / GB:.1f} GB")
    if kv is None:
        m.assumptions.append("KV cache unknown (layers/heads not recorded): not counted")
    else:
        m.assumptions.append(f"KV cache for {context} tokens x batch {batch} at 16-bit")
    return m


def serve_bytes(arch: Arch, dtype: str, context: int) -> float:
    """Total of `serve_memory`, without building the breakdown (hot path)."""
    w = weights_bytes(arch, dtype)
    kv = kv_cache_bytes(arch, context) or 0.0
    return w * (1 + SERVE_OVERHEAD) + kv + CUDA_CONTEXT


def activation_bytes(arch: Arch, context: int, batch: int = 1) -> float:
    """Activations with gradient checkpointing: one hidden state per layer plus one layer's working set."""
    if not (arch.layers and arch.hidden):
        # Without architecture facts, scale with size: ~5% of the 16-bit weights at 2k tokens.
        return arch.params * 2 * 0.05 * context / TRAIN_CONTEXT
    per_layer_checkpoint = context * batch * arch.hidden * 2
    working = context * batch * arch.hidden * 2 * 16  # attention + MLP intermediates of one layer
    return arch.layers * per_layer_checkpoint + working


def train_memory(arch: Arch, method: str, context: int = TRAIN_CONTEXT, batch: int = 1) -> Memory:
    """Peak GPU memory for fine-tuning with `method` in full | lora | qlora."""
    act = activation_bytes(arch, context, batch)
    if method == "full":
        m = Memory({"weights": arch.params * 2.0, "gradients": arch.params * 2.0,
                    "optimizer": arch.params * ADAMW_BYTES, "activations": act, "overhead": CUDA_CONTEXT})
        m.assumptions.append("mixed precision AdamW: bf16 weights + bf16 gradients + 12 B/param fp32 state (16 B/param)")
    else:
        adapters = arch.params * LORA_FRACTION
        base = weights_bytes(arch, "int4" if method == "qlora" else "bf16")
        m = Memory({"weights": base, "adapters": adapters * 2.0, "gradients": adapters * 2.0,
                    "optimizer": adapters * ADAMW_BYTES, "activations": act, "overhead": CUDA_CONTEXT})
        m.assumptions.append(f"{method}: frozen base at {'NF4' if method == 'qlora' else 'bf16'}, "
                             f"adapters {LORA_FRACTION:.1%} of parameters trained with AdamW")
    m.assumptions.append(f"gradient checkpointing, {context} tokens x batch {batch}")
    return m


def train_bytes(arch: Arch, method: str) -> float:
    """Total of `train_memory`, without building the breakdown (hot path; a test keeps them equal)."""
    act = activation_bytes(arch, TRAIN_CONTEXT)
    if method == "full":
        return arch.params * (2.0 + 2.0 + ADAMW_BYTES) + act + CUDA_CONTEXT
    adapters = arch.params * LORA_FRACTION
    base = weights_bytes(arch, "int4" if method == "qlora" else "bf16")
    return base + adapters * (2.0 + 2.0 + ADAMW_BYTES) + act + CUDA_CONTEXT
