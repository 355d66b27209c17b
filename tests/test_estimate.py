"""Estimator components (issue 2 uses serving and training memory for fit checks)."""

from __future__ import annotations

import pytest

from fmadvisor.estimate import GB, Arch, kv_cache_bytes, serve_bytes, serve_memory, train_bytes, train_memory, weights_bytes

LLAMA_8B = Arch(params=8_030_261_248, layers=32, hidden=4096, heads=32, kv_heads=8, vocab=128256)
QWEN_7B = Arch(params=7_720_000_000, layers=32, hidden=4096, heads=32, kv_heads=32, vocab=151936)


def test_weights_per_dtype():
    assert weights_bytes(QWEN_7B, "bf16") == pytest.approx(15.44 * GB, rel=0.02)
    assert weights_bytes(QWEN_7B, "fp32") == pytest.approx(30.88 * GB, rel=0.02)


def test_quantization_leaves_embeddings_at_16_bit():
    emb = 2 * 151936 * 4096
    q = weights_bytes(QWEN_7B, "int4")
    naive = QWEN_7B.params * 0.5
    assert q > naive + emb  # embeddings and head stay 2 bytes per parameter
    assert q == pytest.approx((QWEN_7B.params - emb) * (0.5 + 0.127 / 8) + emb * 2)


def test_kv_cache_uses_kv_heads_and_sliding_window():
    # 2 x layers x kv_heads x head_dim x tokens x 2 bytes
    assert kv_cache_bytes(LLAMA_8B, 8192) == 2 * 32 * 8 * 128 * 8192 * 2
    assert kv_cache_bytes(QWEN_7B, 8192) == 4 * kv_cache_bytes(LLAMA_8B, 8192)  # MHA: 4x the GQA cache
    windowed = Arch(8_000_000_000, None, 32, 4096, 32, 8, 32000, sliding_window=4096)
    assert kv_cache_bytes(windowed, 32768) == kv_cache_bytes(windowed, 4096)
    assert kv_cache_bytes(Arch(params=1), 4096) is None


@pytest.mark.parametrize("arch", [LLAMA_8B, QWEN_7B, Arch(params=3_000_000_000)])
@pytest.mark.parametrize("method", ["full", "lora", "qlora"])
def test_fast_totals_equal_the_breakdowns(arch, method):
    assert train_bytes(arch, method) == pytest.approx(train_memory(arch, method).total)
    assert serve_bytes(arch, "bf16", 4096) == pytest.approx(serve_memory(arch, "bf16", 4096).total)


def test_components_are_summed_not_maxed():
    m = train_memory(LLAMA_8B, "full")
    assert m.total == pytest.approx(sum(m.components.values()))
    assert m.components["optimizer"] == LLAMA_8B.params * 12
    assert m.assumptions
    assert train_bytes(LLAMA_8B, "full") > train_bytes(LLAMA_8B, "lora") > train_bytes(LLAMA_8B, "qlora")
