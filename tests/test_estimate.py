"""Estimator components (issue 2 uses serving and training memory for fit checks)."""

from __future__ import annotations

import pytest

from fmadvisor.estimate import (
    GB,
    Arch,
    compute,
    kv_cache_bytes,
    serve_bytes,
    serve_memory,
    train_bytes,
    train_memory,
    weights_bytes,
)
from fmadvisor.speed import gpu_hours

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
    assert kv_cache_bytes(QWEN_7B, 8192) == 4 * kv_cache_bytes(
        LLAMA_8B, 8192
    )  # MHA: 4x the GQA cache
    windowed = Arch(8_000_000_000, None, 32, 4096, 32, 8, 32000, sliding_window=4096)
    assert kv_cache_bytes(windowed, 32768) == kv_cache_bytes(windowed, 4096)
    assert kv_cache_bytes(Arch(params=1), 4096) is None


def test_a_hybrids_state_space_layers_keep_no_kv_cache():
    # Granite 4.0 H Micro's card: 4 attention / 36 Mamba2 layers, hidden 2048, 32 heads, 8 KV heads
    hybrid = Arch(3_191_396_096, layers=40, hidden=2048, heads=32, kv_heads=8, attention_layers=4)
    assert kv_cache_bytes(hybrid, 131072) == 2 * 4 * 8 * 64 * 131072 * 2
    dense = Arch(3_191_396_096, layers=40, hidden=2048, heads=32, kv_heads=8)
    assert kv_cache_bytes(dense, 131072) == 10 * kv_cache_bytes(hybrid, 131072)


def test_kv_cache_reads_a_head_dim_set_apart_from_hidden_over_heads():
    # Qwen3-4B's config: hidden 2560, 32 heads, 8 KV heads, 36 layers, head_dim 128 (not 2560 / 32 = 80)
    quotient = Arch(4_022_468_096, layers=36, hidden=2560, heads=32, kv_heads=8)
    stated = Arch(4_022_468_096, layers=36, hidden=2560, heads=32, kv_heads=8, head_dim=128)
    assert kv_cache_bytes(stated, 32768) == 2 * 36 * 8 * 128 * 32768 * 2
    assert kv_cache_bytes(stated, 32768) == kv_cache_bytes(quotient, 32768) * 128 / 80
    # the head dimension alone sizes the cache when hidden_size is not recorded (Falcon3-10B's card:
    # 40 blocks, 12 query and 4 key-value heads, "Wider head dimension: 256")
    no_hidden = Arch(10_306_000_000, layers=40, heads=12, kv_heads=4, head_dim=256)
    assert kv_cache_bytes(no_hidden, 8192) == 2 * 40 * 4 * 256 * 8192 * 2
    assert kv_cache_bytes(Arch(10_306_000_000, layers=40, heads=12, kv_heads=4), 8192) is None


def test_head_dim_read_from_config_and_text_config():
    from fmadvisor.catalog.local import arch_from_config

    assert arch_from_config({"hidden_size": 2560, "head_dim": 128})["head_dim"] == 128
    vlm = {
        "text_config": {"num_hidden_layers": 62, "head_dim": 128},
        "vision_config": {"head_dim": 72},
    }
    assert arch_from_config(vlm)["head_dim"] == 128
    assert "head_dim" not in arch_from_config({"hidden_size": 4096, "num_attention_heads": 32})


def test_hybrid_attention_layers_read_from_config_layer_types():
    from fmadvisor.catalog.local import arch_from_config

    granite = {"num_hidden_layers": 4, "layer_types": ["mamba", "mamba", "attention", "mamba"]}
    assert arch_from_config(granite)["attention_layers"] == 1
    qwen_next = {"layer_types": ["linear_attention"] * 3 + ["full_attention"]}
    assert arch_from_config(qwen_next)["attention_layers"] == 1
    # sliding and full attention both keep a cache: a plain transformer records none
    gemma = {"layer_types": ["sliding_attention"] * 5 + ["full_attention"]}
    assert "attention_layers" not in arch_from_config(gemma)
    assert "attention_layers" not in arch_from_config({"num_hidden_layers": 32})


@pytest.mark.parametrize("arch", [LLAMA_8B, QWEN_7B, Arch(params=3_000_000_000)])
@pytest.mark.parametrize("method", ["full", "lora", "qlora"])
def test_fast_totals_equal_the_breakdowns(arch, method):
    assert train_bytes(arch, method) == pytest.approx(train_memory(arch, method).resident)
    assert serve_bytes(arch, "bf16", 4096) == pytest.approx(serve_memory(arch, "bf16", 4096).total)


def test_components_are_summed_not_maxed():
    m = train_memory(LLAMA_8B, "full")
    assert m.total == pytest.approx(sum(m.components.values()))
    assert m.components["optimizer"] == LLAMA_8B.params * 12
    assert m.assumptions
    assert (
        train_bytes(LLAMA_8B, "full")
        > train_bytes(LLAMA_8B, "lora")
        > train_bytes(LLAMA_8B, "qlora")
    )


# ---- accuracy against published measurements (shared/reference/estimator-ground-truth.md) --------

T0_3B = Arch(params=2_850_000_000, layers=24, hidden=2048, heads=32, vocab=32128)


def within(estimate_bytes, published_gb, tolerance):
    return abs(estimate_bytes / GB - published_gb) / published_gb <= tolerance


@pytest.mark.parametrize("dtype, published", [("bf16", 16.99), ("int8", 11.20), ("int4", 8.21)])
def test_inference_peak_within_10_percent(dtype, published):
    """Qwen-7B generating 2048 tokens (QwenLM README, 'Profiling of Memory and Speed')."""
    assert within(serve_memory(QWEN_7B, dtype, 2048).total, published, 0.10)


@pytest.mark.parametrize(
    "method, context, published",
    [
        ("lora", 256, 20.1),
        ("qlora", 256, 11.5),
        ("lora", 8192, 36.6),
        ("qlora", 8192, 23.5),
        ("full", 256, 139.2),
    ],
)
def test_qwen_fine_tuning_peak_within_15_percent(method, context, published):
    assert within(train_memory(QWEN_7B, method, context).total, published, 0.15)


@pytest.mark.parametrize("method, published", [("full", 47.14), ("lora", 14.4)])
def test_t0_fine_tuning_peak_within_15_percent(method, published):
    """PEFT README, A100-80GB, fp32 weights."""
    estimate = train_memory(T0_3B, method, 256, dtype="fp32").total
    assert within(estimate, published, 0.15)


def test_weights_within_2_percent():
    assert within(weights_bytes(QWEN_7B, "bf16"), 7.72 * 2, 0.02)


def test_chinchilla_flops_and_tokens_within_5_percent():
    """Hoffmann et al. 2022 Table 3: 1B parameters, 1.21e20 FLOPs, 20.2B tokens."""
    c = compute(Arch(params=1_000_000_000), "pretrain")
    assert abs(c.flops - 1.21e20) / 1.21e20 <= 0.05
    assert abs(c.tokens - 20.2e9) / 20.2e9 <= 0.05


@pytest.mark.parametrize(
    "params, published_hours",
    [
        (6_738_415_616, 184_320),
        (13_015_864_320, 368_640),
        (33_743_970_304, 1_038_336),
        (68_976_648_192, 1_720_320),
    ],
)
def test_llama2_pretraining_gpu_hours_inside_the_range(params, published_hours):
    hidden = {6_738_415_616: 4096, 13_015_864_320: 5120}.get(params, 8192)
    c = compute(Arch(params=params), "pretrain", tokens=2.0e12)
    h = gpu_hours(c.flops, 312, hidden)  # A100 dense BF16
    assert h.low <= published_hours <= h.high
    assert abs(h.expected / published_hours - 1) <= 0.25


def test_moe_compute_uses_active_parameters():
    dense = compute(Arch(params=46_700_000_000), "pretrain", tokens=1e9).flops
    moe = compute(
        Arch(params=46_700_000_000, active_params=12_900_000_000), "pretrain", tokens=1e9
    ).flops
    assert moe == pytest.approx(dense * 12.9 / 46.7)


def test_tensor_parallel_speed_stays_within_one_server():
    """Tensor parallelism splits a layer over one server's NVLink cards (8); 64 cards hold a larger
    model in pipeline stages but do not make one request 64 times faster."""
    from fmadvisor.speed import decode_tokens_per_s, prefill_ms

    one = decode_tokens_per_s(LLAMA_8B, "bf16", 3350, 0, 1)
    eight = decode_tokens_per_s(LLAMA_8B, "bf16", 3350, 0, 8)
    assert eight == pytest.approx(one * (1 + 7 * 0.9))
    assert decode_tokens_per_s(LLAMA_8B, "bf16", 3350, 0, 64) == eight
    assert prefill_ms(LLAMA_8B, 2048, 989, 64) == prefill_ms(LLAMA_8B, 2048, 989, 8)
    assert prefill_ms(LLAMA_8B, 2048, 989, 4) == pytest.approx(
        prefill_ms(LLAMA_8B, 2048, 989, 8) * 2
    )


def test_per_card_split_keeps_context_per_card():
    from fmadvisor.estimate import CUDA_CONTEXT, per_card

    assert per_card(80 * GB, 1) == 80 * GB
    assert per_card(80 * GB, 4) == pytest.approx((80 * GB - CUDA_CONTEXT) / 4 + CUDA_CONTEXT)


# ---- local models and the CLI ------------------------------------------------------------------


def _safetensors(path, tensors):
    import json
    import struct

    header = {
        name: {"dtype": dtype, "shape": shape, "data_offsets": [0, 0]}
        for name, (dtype, shape) in tensors.items()
    }
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw)


@pytest.fixture
def local_model(tmp_path):
    import json

    d = tmp_path / "my-model"
    d.mkdir()
    (d / "config.json").write_text(
        json.dumps(
            {
                "architectures": ["LlamaForCausalLM"],
                "model_type": "llama",
                "num_hidden_layers": 2,
                "hidden_size": 64,
                "num_attention_heads": 4,
                "num_key_value_heads": 2,
                "vocab_size": 1000,
                "max_position_embeddings": 2048,
                "intermediate_size": 128,
                "torch_dtype": "bfloat16",
            }
        )
    )
    _safetensors(
        d / "model-00001-of-00002.safetensors",
        {"embed.weight": ("BF16", [1000, 64]), "l0.q": ("BF16", [64, 64])},
    )
    _safetensors(d / "model-00002-of-00002.safetensors", {"lm_head.weight": ("BF16", [1000, 64])})
    (d / "README.md").write_text(
        "---\nlicense: apache-2.0\nlanguage: [en, de]\nbase_model: org/base\n---\n# card\n"
    )
    return d


def test_local_model_folder(local_model):
    from fmadvisor.catalog.local import load_local

    c, notes = load_local(local_model)
    assert c.params == 1000 * 64 * 2 + 64 * 64  # counted from the headers, exactly
    assert (c.layers, c.kv_heads, c.license, c.languages, c.base_model) == (
        2,
        2,
        "apache-2.0",
        ("en", "de"),
        "org/base",
    )
    assert c.weights_format == "safetensors" and c.dtype == "bfloat16"
    assert any("safetensors header" in n for n in notes)


def test_config_only_estimates_parameters(tmp_path):
    import json

    from fmadvisor.catalog.local import load_local, params_from_config

    cfg = {
        "model_type": "llama",
        "num_hidden_layers": 32,
        "hidden_size": 4096,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "vocab_size": 128256,
        "intermediate_size": 14336,
    }
    assert params_from_config(cfg) == pytest.approx(8_030_261_248, rel=0.01)  # Llama 3.1 8B
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    c, notes = load_local(tmp_path / "config.json")
    assert c.params and any("estimated from config.json" in n for n in notes)


def test_broken_local_inputs_are_located(tmp_path):
    from fmadvisor.catalog.local import load_local
    from fmadvisor.errors import InputError

    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        load_local(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "x.safetensors").write_bytes(b"\xff" * 8 + b"junk")
    with pytest.raises(InputError, match="implausible"):
        load_local(tmp_path)


def test_estimate_cli_head_dim_sizes_the_kv_cache(cli):
    import json

    shape = [
        "--params",
        "4B",
        "--layers",
        "36",
        "--hidden",
        "2560",
        "--heads",
        "32",
        "--kv-heads",
        "8",
    ]
    runs = {}
    for extra in ([], ["--head-dim", "128"]):
        code, out, err = cli("estimate", *shape, *extra, "--context", "32768", "-f", "json")
        assert code == 0, err
        runs[bool(extra)] = json.loads(out)["memory"]["components"]["kv_cache"]
    assert runs[False] == 2 * 36 * 8 * 80 * 32768 * 2
    assert runs[True] == 2 * 36 * 8 * 128 * 32768 * 2


def test_estimate_cli(cli, local_model):
    import json

    code, out, err = cli(
        "estimate", "Qwen/Qwen2.5-7B-Instruct", "--mode", "qlora", "--gpu", "L4", "-f", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1 and doc["mode"] == "qlora" and doc["memory"]["fits"] is True
    assert set(doc["memory"]["components"]) == {
        "weights",
        "kv_cache",
        "activations",
        "gradients",
        "optimizer",
        "adapters",
        "overhead",
    }
    # components are rounded to whole bytes one by one, so their sum may differ from the total by a few bytes
    assert abs(doc["memory"]["total_bytes"] - sum(doc["memory"]["components"].values())) <= 7
    code, out, _ = cli(
        "estimate", "Qwen/Qwen2.5-7B-Instruct", "--mode", "full", "--gpu", "L4", "-f", "json"
    )
    assert json.loads(out)["memory"]["fits"] is False
    code, out, _ = cli(
        "estimate", "--params", "7B", "--mode", "pretrain", "--tokens", "2T", "-f", "json"
    )
    c = json.loads(out)["compute"]
    assert (
        c["flops"] == pytest.approx(6 * 7e9 * 2e12)
        and c["gpu_hours"]["low"] < c["gpu_hours"]["high"]
        and c["cost_usd"]
    )
    code, out, _ = cli("estimate", str(local_model), "-f", "json")
    assert code == 0 and json.loads(out)["model"]["params"] == 132096
    code, out, _ = cli(
        "estimate", str(local_model / "config.json"), "--mode", "lora", "--gpus", "2", "--gpu", "T4"
    )
    assert code == 0 and "per GPU on 2 x T4" in out
    code, _, err = cli("estimate", "org/nothing")
    assert code == 3 and "not in the embedded catalog" in err
    code, _, err = cli("estimate", "--params", "lots")
    assert code == 2 and "--params" in err
    code, _, err = cli("estimate", "--params", "7B", "--gpu", "TPU")
    assert code == 2 and "not in the GPU table" in err
    code, _, err = cli("estimate", "--params", "7B", "--mode", "lora", "--dtype", "int4")
    assert code == 2 and "qlora" in err
    code, _, err = cli("estimate")
    assert code == 2 and "--params" in err


def test_estimate_cli_task_head_counts_no_vocabulary_logits(cli):
    """--task: an encoder fine-tuned to classify trains a head, not its 256k-entry vocabulary's
    logits at every position; as masked-language modelling (no --task) it does, and a generator
    keeps them whatever task it learns."""
    import json

    def total(*args):
        code, out, err = cli("estimate", *args, "--context", "8192", "-f", "json")
        assert code == 0, err
        return json.loads(out)["memory"]["total_bytes"]

    mlm = total("jhu-clsp/mmBERT-base", "--mode", "lora")
    head = total("jhu-clsp/mmBERT-base", "--mode", "lora", "--task", "text-classification")
    assert mlm - head == pytest.approx(256_000 * 8192 * 10, rel=0.01)
    qwen = ("Qwen/Qwen2.5-0.5B-Instruct", "--mode", "lora")
    assert total(*qwen, "--task", "text-classification") == total(*qwen)
    assert total(
        "jhu-clsp/mmBERT-base", "--mode", "pretrain", "--task", "text-classification"
    ) == total("jhu-clsp/mmBERT-base", "--mode", "pretrain")
    shape = ("--params", "307M", "--layers", "22", "--hidden", "768", "--vocab", "256000")
    assert total(*shape, "--mode", "lora", "--task", "text-classification") == total(
        *shape, "--mode", "lora"
    )  # a model described by its shape has no task of its own: it may generate
    code, _, err = cli("estimate", "jhu-clsp/mmBERT-base", "--task", "nonsense")
    assert code == 2 and "unknown task 'nonsense'" in err


def test_estimate_serving_without_a_gpu_has_no_cuda_context(cli):
    """Without --gpu a model is served (and timed) on the CPU: no CUDA context, as the rules judge it."""
    import json

    from fmadvisor.estimate import CUDA_CONTEXT

    args = ("estimate", "Qwen/Qwen2.5-7B-Instruct", "--context", "4k", "-f", "json")
    cpu = json.loads(cli(*args)[1])
    gpu = json.loads(cli(*args, "--gpu", "L4")[1])
    overhead = cpu["memory"]["components"]["overhead"], gpu["memory"]["components"]["overhead"]
    assert overhead[1] - overhead[0] == pytest.approx(CUDA_CONTEXT, abs=2)
    assert cpu["speed"]["hardware"] == "CPU"
    assert any("no CUDA context (CPU host)" in a for a in cpu["assumptions"])
    assert any("GB CUDA context" in a for a in gpu["assumptions"])


def test_estimate_cli_quantities_gpu_memory_and_labels(cli):
    import json

    code, out, err = cli(
        "estimate", "meta-llama/Llama-3.1-8B", "--context", "8k", "--gpu", "L4", "-f", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["context"] == 8000 and doc["speed"]["hardware"] == "1 x L4"
    assert doc["speed"]["decode_tokens_per_s"] > 0 and doc["speed"]["prefill_ms"] > 0
    code, out, err = cli(
        "estimate",
        "meta-llama/Llama-3.1-8B",
        "--mode",
        "qlora",
        "--gpu-memory",
        "24GB",
        "-f",
        "json",
    )
    doc = json.loads(out)
    assert code == 0 and doc["gpu"]["memory_gb"] == 24 and doc["memory"]["fits"] is True
    code, out, _ = cli("estimate", "--params", "7B", "--mode", "pretrain")
    assert "compute-optimal tokens: 1.47e+11" in out and "GPU-hours on A100-80GB" in out
    code, _, err = cli("estimate", "--params", "7B", "--gpu-memory", "lots")
    assert code == 2 and "--gpu-memory" in err
    code, _, err = cli("estimate", "--params", "7B", "--context", "long")
    assert code == 2 and "--context" in err


def test_unpriced_or_unpeaked_gpu_leaves_cost_unknown(cli):
    import json

    for gpu, hours in (("L40S", True), ("A10G", False)):
        code, out, _ = cli(
            "estimate",
            "--params",
            "7B",
            "--mode",
            "lora",
            "--tokens",
            "1B",
            "--gpu",
            gpu,
            "-f",
            "json",
        )
        c = json.loads(out)["compute"]
        assert code == 0 and c["cost_usd"] is None and (c["gpu_hours"] is not None) is hours
    code, out, _ = cli(
        "estimate",
        "--params",
        "7B",
        "--mode",
        "lora",
        "--tokens",
        "1B",
        "--gpu",
        "T4",
        "-f",
        "json",
    )
    c = json.loads(out)["compute"]
    assert c["timed_on"] == "T4" and c["cost_usd"]["low"] > 0  # T4 speed and T4 price


def test_multi_gpu_training_is_sharded_not_tensor_parallel(cli):
    import json

    code, out, _ = cli(
        "estimate",
        "meta-llama/Llama-3.1-8B",
        "--mode",
        "full",
        "--gpu",
        "H100",
        "--gpus",
        "8",
        "-f",
        "json",
    )
    doc = json.loads(out)
    parts = doc["memory"]["components"]
    states = parts["weights"] + parts["gradients"] + parts["optimizer"]
    expected = states / 8 + parts["activations"] + parts["overhead"]
    assert doc["memory"]["per_gpu_bytes"] == pytest.approx(expected, rel=1e-6)
    assert any("ZeRO-3" in a for a in doc["assumptions"])
    assert not any("tensor parallel" in a for a in doc["assumptions"])


def test_lora_fit_uses_the_specs_context():
    from fmadvisor.catalog import load_embedded

    phi4 = Arch.of(load_embedded().get("microsoft/phi-4"))
    assert train_bytes(phi4, "lora", 8192) > train_bytes(phi4, "lora", 2048) + 8 * GB


def test_qlora_65b_fits_a_48_gb_card():
    """QLoRA paper: LLaMA 65B fine-tuned on a single 48 GB GPU (512 tokens, batch 1)."""
    llama_65b = Arch(params=65_285_660_672, layers=80, hidden=8192, heads=64, vocab=32000)
    assert train_memory(llama_65b, "qlora", 512).resident <= 48 * GB


def test_a_folder_given_as_dot_is_named_and_optimal_tokens_have_a_unit(cli, tmp_path, monkeypatch):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text(
        '{"model_type": "llama", "hidden_size": 2048, "num_hidden_layers": 16, '
        '"num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256}'
    )
    monkeypatch.chdir(folder)
    code, out, err = cli("estimate", ".", "--params", "1.2B", "--mode", "pretrain")
    assert code == 0, err
    assert out.startswith("my-model (1,200,000,000 parameters)")
    assert "compute-optimal tokens: 2.52e+10" in out
