"""`estimate`: memory, compute and cost of serving or training one model."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from fmadvisor.cli._app import app
from fmadvisor.cli._errors import guarded
from fmadvisor.cli._options import (
    CatalogOpt,
    ListFormat,
    ListFormatOpt,
    ProfileOpt,
    RulesOpt,
    load_catalog,
    load_rules,
)
from fmadvisor.errors import DataUnavailableError, InputError
from fmadvisor.vocab import ESTIMATE_MODES


# The estimator's modes (fine-tuning methods from the vocabulary).
Mode = Enum("Mode", {m: m for m in ESTIMATE_MODES}, type=str)


class Dtype(str, Enum):
    fp32 = "fp32"
    bf16 = "bf16"
    fp16 = "fp16"
    int8 = "int8"
    int4 = "int4"


def _count(value: str | None, flag: str) -> int | None:
    from fmadvisor.spec import parse_count

    if value is None:
        return None
    try:
        n = parse_count(value)
    except ValueError:
        n = None
    if not isinstance(n, int) or n <= 0:
        raise InputError(
            f"{flag} must be a positive count like 7e9, 7B or 7000000000, got {value!r}"
        )
    return n


@app.command()
@guarded
def estimate(
    model: Annotated[
        str | None,
        typer.Argument(
            help="A catalog id, a config.json, or a model folder; omit to describe the model with --params etc.",
            show_default=False,
        ),
    ] = None,
    mode: Annotated[Mode, typer.Option("--mode", "-m", help="What to estimate.")] = Mode.inference,
    dtype: Annotated[
        Dtype,
        typer.Option(
            "--dtype",
            help="Weights precision: serving (fp32..int4), or the base for lora/full (fp32, bf16, fp16).",
        ),
    ] = Dtype.bf16,
    context: Annotated[
        str | None,
        typer.Option(
            "--context",
            help="Tokens per sequence, e.g. 8k or 8192 (default 4096 serving, 2048 training).",
            show_default=False,
        ),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Sequences per step.")] = 1,
    tokens: Annotated[
        str | None,
        typer.Option(
            "--tokens",
            help="Tokens to train on or process, e.g. 2T or 5e8 (pretrain default: 20 per parameter).",
            show_default=False,
        ),
    ] = None,
    gpu: Annotated[
        str | None,
        typer.Option(
            "--gpu",
            help="GPU name from the GPU table (e.g. L4, A100-80GB, H100) to check fit and cost against.",
            show_default=False,
        ),
    ] = None,
    gpu_memory: Annotated[
        str | None,
        typer.Option(
            "--gpu-memory",
            help="Memory per card of a GPU not in the table, e.g. 24GB (fit only: no speed or cost).",
            show_default=False,
        ),
    ] = None,
    gpus: Annotated[
        int, typer.Option("--gpus", min=1, help="Number of GPUs the model is split over.")
    ] = 1,
    params: Annotated[
        str | None, typer.Option("--params", help="Total parameters (7e9, 7B).", show_default=False)
    ] = None,
    active_params: Annotated[
        str | None,
        typer.Option(
            "--active-params",
            help="Parameters active per token (mixture-of-experts).",
            show_default=False,
        ),
    ] = None,
    layers: Annotated[
        int | None, typer.Option("--layers", min=1, help="Transformer layers.", show_default=False)
    ] = None,
    hidden: Annotated[
        int | None, typer.Option("--hidden", min=1, help="Hidden size.", show_default=False)
    ] = None,
    heads: Annotated[
        int | None, typer.Option("--heads", min=1, help="Attention heads.", show_default=False)
    ] = None,
    kv_heads: Annotated[
        int | None,
        typer.Option(
            "--kv-heads",
            min=1,
            help="Key/value heads (grouped-query attention).",
            show_default=False,
        ),
    ] = None,
    head_dim: Annotated[
        int | None,
        typer.Option(
            "--head-dim",
            min=1,
            help="Attention head dimension, where the config sets it apart from hidden / heads.",
            show_default=False,
        ),
    ] = None,
    vocab: Annotated[
        int | None, typer.Option("--vocab", min=1, help="Vocabulary size.", show_default=False)
    ] = None,
    attention_layers: Annotated[
        int | None,
        typer.Option(
            "--attention-layers",
            min=1,
            help="Hybrids: the layers that keep a KV cache (the others are state-space).",
            show_default=False,
        ),
    ] = None,
    task: Annotated[
        str | None,
        typer.Option(
            "--task",
            help="The task training teaches (a pipeline tag or alias): a task head on a model that "
            "does not generate (text-classification on an encoder) counts no vocabulary logits.",
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOpt = "embedded",
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Estimate memory (per component, per GPU), compute, GPU-hours and cost for one model and mode."""
    from fmadvisor.catalog.candidate import Candidate
    from fmadvisor.estimate import Arch
    from fmadvisor.estimate import REFERENCE_GPU
    from fmadvisor.estimate_report import estimate_document

    if mode in (Mode.lora, Mode.full, Mode.pretrain) and dtype in (Dtype.int8, Dtype.int4):
        raise InputError(
            f"--dtype {dtype.value} is for serving; for training on a 4-bit base use --mode qlora"
        )
    tables = load_rules(rules, profile).tables
    notes: list[str] = []
    source: dict[str, Any] = {}
    base = None
    if model is not None:
        base, notes, source = _model(model, catalog)
    arch = Arch.of(
        base or Candidate(id=""),
        params=_count(params, "--params"),
        active_params=_count(active_params, "--active-params"),
        layers=layers,
        hidden=hidden,
        heads=heads,
        kv_heads=kv_heads,
        head_dim=head_dim,
        vocab=vocab,
        attention_layers=attention_layers,
    )
    if arch is None:
        raise InputError(
            "the parameter count is unknown: give a model whose size is known, or --params"
        )
    if task is not None:
        arch = _with_task(
            arch, task, base.pipeline_tag if base else None, mode is Mode.pretrain, notes
        )
    source.update({"params": arch.params, "active_params": arch.active_params})
    chosen = _gpu(tables, gpu, gpu_memory)
    ctx = _count(context, "--context")
    if base and base.context_length and ctx and ctx > base.context_length:
        notes.append(f"context {ctx} exceeds the model's {base.context_length}-token window")
    doc = estimate_document(
        arch,
        mode.value,
        model=source,
        dtype=dtype.value,
        context=ctx,
        batch=batch,
        tokens=_count(tokens, "--tokens"),
        gpu=chosen,
        gpus=gpus,
        reference=tables.gpu(REFERENCE_GPU),
        notes=notes,
    )
    if fmt is ListFormat.json:
        typer.echo(json.dumps(doc, indent=2))
        return
    from fmadvisor.report.estimate_text import estimate_text

    typer.echo(estimate_text(doc))


def _with_task(arch: Any, task: str, model_tag: str | None, corpus: bool, notes: list[str]) -> Any:
    """`arch` as training for `task` trains it: without vocabulary logits for a task head (a note
    says so when the model's own task is unknown and the logits stay)."""
    from fmadvisor.tasks import resolve, trained_for

    tag = resolve(task)
    if tag is None:
        raise InputError(f"--task: unknown task '{task}'; see `fmadvisor schema spec` for the list")
    if model_tag is None:
        notes.append(
            "--task: the model's own task is unknown, so it may generate: its vocabulary's logits "
            "are counted"
        )
    return trained_for(arch, tag, model_tag, corpus)


def _model(model: str, catalog: str) -> tuple[Any, list[str], dict[str, Any]]:
    """The model to estimate: a local folder (config.json) or a catalog id; with notes on what a
    local folder lacks and the `model` block of the estimate."""
    path = Path(model)
    notes: list[str] = []
    if path.exists():
        from fmadvisor.catalog.local import load_local

        base, notes = load_local(path)
    else:
        base = load_catalog(catalog).get(model)
        if base is None:
            raise DataUnavailableError(
                f"{model} is not in the {catalog} catalog and is not a local path"
            )
    # a folder given as '.' has no name of its own: name it as the user sees it
    return base, notes, {"id": base.id or path.resolve().name or str(path), "source": base.source}


def _gpu(tables: Any, name: str | None, memory: str | None) -> Any:
    """A GPU table entry, or an ad-hoc card known only by its memory (`--gpu-memory 24GB`)."""
    from fmadvisor.rules.tables import GpuType

    if memory is not None:
        m = _GB_RE.match(memory)
        if m is None or float(m.group(1)) <= 0:
            raise InputError(f"--gpu-memory must be a size like 24GB or 24, got {memory!r}")
        known = tables.gpu(name) if name else None
        if known is not None:
            raise InputError(
                f"give --gpu {name} or --gpu-memory, not both ({name} is in the table)"
            )
        return GpuType(name or f"{m.group(1)} GB GPU", float(m.group(1)))
    if name is None:
        return None
    chosen = tables.gpu(name)
    if chosen is None:
        raise InputError(
            f"GPU '{name}' is not in the GPU table (give its memory with --gpu-memory); known: "
            f"{', '.join(sorted({g.name for g in tables.gpus.values()}))}"
        )
    return chosen


_GB_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:GB)?\s*$", re.IGNORECASE)
