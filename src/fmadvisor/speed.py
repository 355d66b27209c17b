"""How fast: GPU-hours for training runs, decode tokens/s and prefill time for serving.

Training time is FLOPs over achieved FLOPs; achieved utilization is fitted to published runs (see
docs/estimates.md). Decoding one token at batch 1 reads every weight and the KV cache once, so it is
memory-bandwidth bound; prefill is compute bound. Pure functions over the GPU table's entries.
"""

from __future__ import annotations


import msgspec

from fmadvisor.estimate import GB, Arch, kv_cache_bytes, weights_bytes

# Model FLOPs utilization of pre-training runs: MFU_MAX x (A100 / peak)^PEAK_EXP, divided by
# 1 + SIZE_K x (peak / A100)^2 / hidden. Faster cards lose a larger share of each step to
# communication and memory-bound work, and the more so the less matmul work a layer has (smaller
# hidden size). Fitted to the calibration runs in docs/estimates.md (LLaMA 1 and 2, BLOOM,
# TinyLlama on A100; Llama 3 and 3.1 8B and 405B on H100).
MFU_MAX = 0.45
MFU_PEAK_EXP = 0.2
MFU_SIZE_K = 512.0
A100_TFLOPS = 312.0
# The published calibration runs fall between 0.71x and 1.37x the expected GPU-hours.
HOURS_BAND = (0.70, 1.40)
MFU_UNKNOWN_HIDDEN = 4096  # hidden size assumed when the architecture is not recorded
# Decode: share of the card's memory bandwidth a batch-1 decode loop achieves (calibrated).
DECODE_BANDWIDTH_SHARE = 0.6
# Tensor-parallel decode over several cards: share of the ideal n-fold speed-up kept (calibrated).
TP_DECODE_SHARE = 0.9
# Tensor parallelism splits each layer's matmuls over the cards of one server's NVLink domain (HGX and
# DGX servers hold 8); more cards hold a larger model across servers (pipeline stages), which
# passes each token through the stages in turn and does not make one request faster.
TP_MAX_CARDS = 8
# Prefill: share of the dense 16-bit peak a batch-1 prompt pass achieves (calibrated).
PREFILL_UTILIZATION = 0.6
# CPU serving: dual-channel DDR5-4800 moves 2 channels x 8 bytes x 4.8 GT/s = 76.8 GB/s (JEDEC
# DDR5 transfer rate x bus width); a laptop or desktop CPU without a GPU reads weights at that rate.
CPU_BANDWIDTH_GBPS = 76.8


class Hours(msgspec.Struct, frozen=True):
    """Training time in GPU hours: low, expected and high, at a utilization."""

    low: float
    expected: float
    high: float
    utilization: float


def peak_tflops(gpu: object) -> float | None:
    """Dense 16-bit tensor peak: BF16, else FP16 (cards without BF16, e.g. T4 and V100)."""
    return getattr(gpu, "bf16_tflops", None) or getattr(gpu, "fp16_tflops", None)


def utilization(peak: float, hidden: int | None) -> float:
    """Expected model FLOPs utilization; cards slower than an A100 get the A100's scale (the fit
    has no run below it, so it is not extrapolated there)."""
    h = hidden or MFU_UNKNOWN_HIDDEN
    scale = (A100_TFLOPS / max(peak, A100_TFLOPS)) ** MFU_PEAK_EXP
    return MFU_MAX * scale / (1 + MFU_SIZE_K * (peak / A100_TFLOPS) ** 2 / h)


def gpu_hours(flops: float, peak: float, hidden: int | None = None) -> Hours:
    """GPU-hours over the utilization band (expected, and the band the published runs fall in)."""
    mfu = utilization(peak, hidden)
    expected = flops / (peak * 1e12 * 3600 * mfu)
    return Hours(expected * HOURS_BAND[0], expected, expected * HOURS_BAND[1], mfu)


def decode_bytes(arch: Arch, dtype: str, context: int) -> float:
    """Bytes read per generated token at batch 1: every weight once, plus the KV cache so far."""
    kv = kv_cache_bytes(arch, context) or 0.0
    if arch.active_params:  # mixture-of-experts: only the active experts' weights are read
        share = arch.active_params / arch.params
        return weights_bytes(arch, dtype) * share + kv
    return weights_bytes(arch, dtype) + kv


def decode_tokens_per_s(
    arch: Arch, dtype: str, bandwidth_gbps: float, context: int = 0, cards: int = 1
) -> float:
    """Batch-1 decode speed on `cards` cards of `bandwidth_gbps` each (tensor parallel)."""
    per_card = bandwidth_gbps * GB * DECODE_BANDWIDTH_SHARE
    speedup = 1 + (min(cards, TP_MAX_CARDS) - 1) * TP_DECODE_SHARE
    return per_card * speedup / decode_bytes(arch, dtype, context)


def cpu_tokens_per_s(arch: Arch, dtype: str, context: int = 0) -> float:
    return CPU_BANDWIDTH_GBPS * GB * DECODE_BANDWIDTH_SHARE / decode_bytes(arch, dtype, context)


def prefill_ms(arch: Arch, tokens: int, peak: float, cards: int = 1) -> float:
    """Time to the first token: 2 x active parameters x prompt tokens over achieved FLOPS."""
    flops = 2.0 * arch.compute_params * tokens
    return flops / (peak * 1e12 * PREFILL_UTILIZATION * min(cards, TP_MAX_CARDS)) * 1000
