"""Which hardware a strategy's training figures are for, and what one training example costs.

Training runs on `constraints.training_hardware` when the spec names it, else on the serving
hardware; with no GPUs at all a job would rent the reference GPU. Each estimate says which.
"""

from __future__ import annotations


import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import GB, Arch, train_bytes
from fmadvisor.estimate import REFERENCE_GPU
from fmadvisor.rules.env import CORPUS_TRAINING
from fmadvisor.rules.fields import Env, GpuType
from fmadvisor.rules.tables import Tables
from fmadvisor.tasks import trained_for

# Tokens (positions) one training example runs through the model, by task. Text: an assumed
# prompt + answer. Speech recognition: Whisper encodes a 30-second clip as 1,500 frames (Radford et
# al. 2022, section 2.2). Vision: a ViT-B/16 sees (224 / 16)^2 = 196 patches + a class token at
# 224 x 224 pixels (Dosovitskiy et al. 2021).
TOKENS_PER_EXAMPLE = 512
TOKENS_PER_EXAMPLE_BY_TASK = {
    "automatic-speech-recognition": 1500,
    "audio-classification": 1500,
    "image-classification": 197,
    "image-segmentation": 197,
    "object-detection": 197,
    "zero-shot-image-classification": 197,
}


class TrainingHardware(msgspec.Struct, frozen=True):
    """The hardware training figures are for: the spec's GPUs, or a reference GPU to rent."""

    gpu: GpuType | None  # the GPU type training figures are for; None: CPU or unknown
    count: int
    label: str  # "2 x L40S", "rented A100-80GB", "CPU RAM", ...
    rented: bool  # the reference GPU a job would rent: priced, fit not judged on the spec
    owned: bool = False  # owned hardware: compute has no hourly price


def tokens_per_example(pipeline_tag: str) -> int:
    return TOKENS_PER_EXAMPLE_BY_TASK.get(pipeline_tag, TOKENS_PER_EXAMPLE)


def training_hardware(env: Env, tables: Tables) -> TrainingHardware:
    """The training GPU type with the most memory in all, or the reference GPU to rent."""
    best: tuple[float, GpuType, int] | None = None
    if env.train_rented:  # an edge deployment: training runs off the device
        return _rented(tables, " (training off the edge device)")
    hardware = env.spec.constraints.training_hardware or env.spec.constraints.hardware
    for g in hardware.gpus:
        known = tables.gpu(g.name)
        memory = g.memory_gb or (known.memory_gb if known else None)
        if memory is None:
            continue
        entry = (
            msgspec.structs.replace(known, memory_gb=memory) if known else GpuType(g.name, memory)
        )
        if best is None or memory * g.count > best[0]:
            best = (memory * g.count, entry, g.count)
    prefix = "training hardware " if env.separate_training else ""
    owned = hardware.owned(env.spec.constraints.deployment)
    suffix = " (owned)" if owned else ""
    if best is not None:
        label = f"{prefix}{best[2]} x {best[1].name}{suffix}"
        return TrainingHardware(best[1], best[2], label, False, owned)
    if hardware.cpu_ram_gb is not None:
        return TrainingHardware(None, 1, f"{prefix}CPU RAM{suffix}", False, owned)
    return _rented(tables)


def _rented(tables: Tables, why: str = "") -> TrainingHardware:
    """One reference GPU to rent for training."""
    ref = tables.gpu(REFERENCE_GPU)
    return TrainingHardware(ref, 1, f"rented {ref.name if ref else REFERENCE_GPU}{why}", True)


def training_fit(
    env: Env, hw: TrainingHardware, arch: Arch, method: str
) -> tuple[float, bool | None]:
    """Per-card memory for training with `method` and whether it fits the training hardware
    (the same judgement as the fit.*_fits fields; a rented GPU is not judged)."""
    memory = train_bytes(arch, method, env.train_context, hw.count)
    if hw.rented:
        fits = None if hw.gpu is None else memory <= hw.gpu.memory_gb * GB
        return memory, fits
    if hw.gpu is not None:
        return memory, memory <= hw.gpu.memory_gb * GB
    return memory, env.train_fits(arch, method)


def training_arch(base: Candidate, env: Env, strategy: str) -> Arch | None:
    """`base`'s architecture as `strategy` trains it: with no logits over the vocabulary when it
    trains a task head (tasks.head_loss), as the fit.* fields judge it; None without a size."""
    arch = Arch.of(base)
    if arch is None:
        return None
    return trained_for(arch, env.pipeline_tag, base.pipeline_tag, strategy in CORPUS_TRAINING)
