"""Owned or rented hardware, and training hardware apart from serving hardware."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import EXAMPLES
from fmadvisor.rules import load_rulebase
from fmadvisor.rules.cases import merge
from fmadvisor.rules.env import Env
from fmadvisor.spec import Spec, load_spec

BASE = {
    "version": 1,
    "project": {"name": "t", "description": "x"},
    "task": {"type": "summarization"},
}


def env(**constraints):
    spec = Spec.model_validate(merge(BASE, {"constraints": constraints}))
    return Env(spec, load_rulebase().tables, dt.date(2026, 11, 22))


def test_examples_still_load():
    for path in EXAMPLES.glob("*.yaml"):
        load_spec(path)


def test_ownership_defaults_follow_deployment_and_can_be_stated():
    assert env(deployment="on_prem").owned is True
    assert env(deployment="edge").owned is True
    assert env(deployment="self_hosted").owned is False
    assert env(deployment="on_prem", hardware={"ownership": "rented"}).owned is False
    assert env(hardware={"ownership": "owned"}).owned is True


def test_training_hardware_is_judged_apart_from_serving():
    from fmadvisor.estimate import Arch

    e = env(
        hardware={"gpus": [{"name": "L4"}]},
        training_hardware={"gpus": [{"name": "H100", "count": 8}]},
    )
    llama_8b = Arch(8_030_261_248, None, 32, 4096, 32, 8, 128256)
    assert e.train_fits(llama_8b, "full") is True  # sharded over 8 x H100
    assert env(hardware={"gpus": [{"name": "L4"}]}).train_fits(llama_8b, "full") is False
    assert e.training_hardware() == "training hardware 8 x H100"


def test_unknown_vocabulary_is_a_fit_only_when_the_largest_would_fit():
    """The loss's memory grows with the vocabulary: without it a training fit is unknown unless
    the largest vocabulary (estimate.LARGEST_VOCAB) would fit too; too big without it stays no."""
    from fmadvisor.estimate import Arch

    laptop = env(hardware={"gpus": [{"name": "RTX 4070 Laptop", "memory_gb": 8}]})
    model_3b = Arch(3_191_396_096, None, 40, 2048, 32, 8, None)
    assert laptop.train_fits(model_3b, "qlora") is None  # fits with a 49k vocabulary, not with 262k
    assert laptop.train_fits(Arch(3_191_396_096, None, 40, 2048, 32, 8, 49_160), "qlora") is True
    l4 = env(hardware={"gpus": [{"name": "L4"}]})
    assert l4.train_fits(Arch(500_000_000, None, 24, 1024, 16, 4, None), "qlora") is True
    assert laptop.train_fits(model_3b, "full") is False
    cpu = env(hardware={"cpu_ram_gb": 16})
    assert cpu.train_fits(Arch(100_000_000, None, 12, 768, 12, 12, None), "lora") is True


def test_largest_vocabulary_is_the_catalogs_largest_for_a_generator():
    """estimate.LARGEST_VOCAB bounds an unknown vocabulary: no generator the catalog records has a
    larger one (a larger one added to the catalog fails this test until the bound follows)."""
    from fmadvisor.catalog import load_embedded
    from fmadvisor.estimate import LARGEST_VOCAB
    from fmadvisor.vocab import GENERATIVE_TEXT

    candidates = load_embedded().candidates
    generators = [
        c.vocab_size for c in candidates if c.vocab_size and c.pipeline_tag in GENERATIVE_TEXT
    ]
    assert max(generators) == LARGEST_VOCAB


def test_training_overflow_agrees_with_the_fit_and_grows_with_size():
    """fit.full_ft_overflow is over 1 exactly when full training does not fit, and a base ten times
    larger overflows about ten times as much (the far-over-memory rule reads it)."""
    from fmadvisor.estimate import Arch
    from fmadvisor.rules.derived.memory import _full_training

    def _full_overflow(arch, e):
        return _full_training(arch, e)[1]

    two_a100 = env(hardware={"gpus": [{"name": "A100-80GB", "count": 2}]})
    qwen_7b = Arch(7_615_616_512, None, 28, 3584, 28, 4, 152064)
    qwen_72b = Arch(72_706_203_648, None, 80, 8192, 64, 8, 152064)
    for arch in (qwen_7b, qwen_72b):
        assert (_full_overflow(arch, two_a100) > 1) is (two_a100.train_fits(arch, "full") is False)
    assert _full_overflow(qwen_72b, two_a100) > 3 * _full_overflow(qwen_7b, two_a100)
    assert _full_overflow(qwen_7b, env(hardware={"cpu_ram_gb": 64})) is None  # no training GPUs


def test_bad_ownership_is_a_located_error(tmp_path):
    from fmadvisor.errors import InputError

    path = tmp_path / "spec.yaml"
    path.write_text(
        "version: 1\nproject: {name: t, description: x}\ntask: {type: summarization}\n"
        "constraints:\n  hardware:\n    ownership: leased\n"
    )
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert "ownership" in str(err.value) and ":6" in str(err.value)


def test_running_cost_on_rented_hardware_is_an_error(tmp_path):
    from fmadvisor.errors import InputError

    path = tmp_path / "spec.yaml"
    path.write_text(
        "version: 1\nproject: {name: t, description: x}\ntask: {type: summarization}\n"
        "constraints:\n  hardware:\n    ownership: rented\n    owned_usd_per_month: 300\n"
    )
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert "owned_usd_per_month is for owned hardware" in str(err.value)
    assert "constraints.hardware" in str(err.value)


def test_a_task_head_trains_without_the_vocabularys_logits():
    """Fine-tuning an encoder to classify, tag or embed scores a few labels per text or token, not
    every vocabulary entry at every position: its training memory counts no logits, so an unknown
    vocabulary leaves its fit known. A generator keeps its vocabulary head whatever it learns, and
    continued pre-training is language modelling."""
    import msgspec

    from fmadvisor.estimate import Arch, train_bytes
    from fmadvisor.tasks import head_loss

    assert head_loss("text-classification", "fill-mask", corpus=False)
    assert head_loss("image-classification", "image-classification", corpus=False)
    assert not head_loss("text-classification", "text-generation", corpus=False)
    assert not head_loss("text-classification", "fill-mask", corpus=True)
    assert not head_loss("automatic-speech-recognition", "automatic-speech-recognition", False)
    assert not head_loss("fill-mask", "fill-mask", corpus=False)
    assert not head_loss("text-classification", None, corpus=False)  # unknown: maybe a generator

    # mmBERT-base's shape: 22 layers, hidden size 768, a 256,000-entry vocabulary, at 8,192 tokens
    lm = Arch(307_000_000, None, 22, 768, 12, 12, 256_000)
    head = msgspec.structs.replace(lm, lm_loss=False)
    logits = 256_000 * 8192 * (2 + 4 + 4)  # 16-bit logits, their fp32 upcast and gradient
    assert train_bytes(lm, "lora", 8192) - train_bytes(head, "lora", 8192) == pytest.approx(logits)
    laptop = env(hardware={"gpus": [{"name": "RTX 4070 Laptop", "memory_gb": 8}]})
    unknown_vocab = Arch(3_191_396_096, None, 40, 2048, 32, 8, None, lm_loss=False)
    assert laptop.train_fits(unknown_vocab, "qlora") is True  # no logits: the vocabulary is moot
