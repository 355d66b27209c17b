"""Candidates from a local model folder or config.json (private and local models matter to users).

Reads config.json (architecture), the JSON headers of *.safetensors files (exact parameter counts
and dtypes, without loading any tensor), and the model card's YAML front matter (license,
languages, base model), all offline. Parameters are estimated from the config only when no
safetensors header is there, and the result says so.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import InputError, Location
from fmadvisor.yamlsource import parse

MAX_HEADER = 100 * 1024 * 1024  # a safetensors JSON header is far smaller; refuse absurd lengths
_DTYPES = {"F32": "float32", "BF16": "bfloat16", "F16": "float16", "F64": "float64"}
_GATED_MLP = {
    "llama",
    "mistral",
    "mixtral",
    "qwen2",
    "qwen2_moe",
    "qwen3",
    "qwen3_moe",
    "gemma",
    "gemma2",
    "gemma3_text",
    "phi3",
    "olmo2",
    "granite",
    "cohere",
    "starcoder2",
    "deepseek_v3",
    "phimoe",
}


def _first(cfg: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if isinstance(cfg.get(k), int) and not isinstance(cfg.get(k), bool):
            return cfg[k]
    return None


def read_safetensors_header(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        raw = fh.read(8)
        if len(raw) != 8:
            raise InputError("not a safetensors file (too short)", Location(str(path)))
        (length,) = struct.unpack("<Q", raw)
        if length > MAX_HEADER:
            raise InputError(
                f"safetensors header of {length:,} bytes is implausible", Location(str(path))
            )
        header = fh.read(length)
    try:
        data = json.loads(header)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError("safetensors header is not valid JSON", Location(str(path))) from None
    if not isinstance(data, dict):
        raise InputError("safetensors header is not a JSON object", Location(str(path)))
    return data


def count_safetensors(paths: list[Path]) -> tuple[int, str | None]:
    """(total elements, dominant dtype) over the tensors described by the headers."""
    total = 0
    by_dtype: dict[str, int] = {}
    for p in paths:
        for name, info in read_safetensors_header(p).items():
            if name == "__metadata__" or not isinstance(info, dict):
                continue
            n = 1
            for dim in info.get("shape", []):
                n *= int(dim)
            total += n
            by_dtype[info.get("dtype", "?")] = by_dtype.get(info.get("dtype", "?"), 0) + n
    dominant = max(by_dtype, key=lambda k: by_dtype[k]) if by_dtype else None
    return total, _DTYPES.get(dominant or "", None)


def params_from_config(cfg: dict[str, Any]) -> int | None:
    """Parameter count implied by a decoder config (an estimate: biases and norms ignored)."""
    layers = _first(cfg, "num_hidden_layers", "n_layer", "num_layers")
    hidden = _first(cfg, "hidden_size", "n_embd", "d_model")
    heads = _first(cfg, "num_attention_heads", "n_head")
    vocab = _first(cfg, "vocab_size")
    if not (layers and hidden and heads and vocab):
        return None
    kv = _first(cfg, "num_key_value_heads") or heads
    head_dim = _first(cfg, "head_dim") or hidden // heads
    inter = _first(cfg, "intermediate_size", "n_inner") or 4 * hidden
    attn = hidden * heads * head_dim + 2 * hidden * kv * head_dim + heads * head_dim * hidden
    mlp = (3 if cfg.get("model_type") in _GATED_MLP else 2) * hidden * inter
    experts = _first(cfg, "num_local_experts", "num_experts", "n_routed_experts") or 1
    emb = vocab * hidden * (1 if cfg.get("tie_word_embeddings", False) else 2)
    return layers * (attn + mlp * experts) + emb


def arch_from_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """Architecture facts from a config.json (nested text_config for multimodal models)."""
    text_cfg = cfg.get("text_config") if isinstance(cfg.get("text_config"), dict) else cfg
    architectures = cfg.get("architectures")
    out = {
        "architecture": architectures[0]
        if isinstance(architectures, list) and architectures and isinstance(architectures[0], str)
        else None,
        "model_type": cfg.get("model_type") if isinstance(cfg.get("model_type"), str) else None,
        "layers": _first(text_cfg, "num_hidden_layers", "n_layer", "num_layers"),
        "hidden_size": _first(text_cfg, "hidden_size", "n_embd", "d_model"),
        "attention_heads": _first(text_cfg, "num_attention_heads", "n_head"),
        "kv_heads": _first(text_cfg, "num_key_value_heads"),
        "head_dim": _first(text_cfg, "head_dim"),
        "vocab_size": _first(text_cfg, "vocab_size"),
        "context_length": _first(
            text_cfg, "max_position_embeddings", "n_positions", "max_sequence_length"
        ),
        "sliding_window": _first(text_cfg, "sliding_window"),
        "attention_layers": _attention_layers(text_cfg),
    }
    return {k: v for k, v in out.items() if v is not None}


def _attention_layers(cfg: dict[str, Any]) -> int | None:
    """A hybrid's layers that keep a KV cache, from its config's `layer_types` list (Granite 4.0 H:
    "mamba" / "attention"; Qwen3-Next: "linear_attention" / "full_attention"): None when the
    config has no such list or every layer attends (a plain transformer)."""
    types = cfg.get("layer_types")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        return None
    attending = sum(1 for t in types if "attention" in t and "linear" not in t)
    return attending if attending < len(types) else None


def load_local(path: Path) -> tuple[Candidate, list[str]]:
    """A Candidate from a model folder or a config.json, with notes on how facts were obtained."""
    folder = path if path.is_dir() else path.parent
    config_path = path / "config.json" if path.is_dir() else path
    if not config_path.is_file():
        raise InputError("no config.json here", Location(str(path)))
    try:
        cfg = json.loads(config_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"config.json is not valid JSON: {exc}", Location(str(config_path))
        ) from None
    if not isinstance(cfg, dict):
        raise InputError("config.json is not a JSON object", Location(str(config_path)))
    text_cfg = cfg.get("text_config") if isinstance(cfg.get("text_config"), dict) else cfg
    notes = [f"architecture from {config_path}"]
    shards = sorted(folder.glob("*.safetensors"))
    params, dtype = count_safetensors(shards) if shards else (None, None)
    if params:
        notes.append(f"parameters counted from {len(shards)} safetensors header(s)")
    else:
        params = params_from_config(text_cfg)
        if params:
            notes.append("parameters estimated from config.json (no safetensors weights found)")
    pickle = any(folder.glob("*.bin")) or any(folder.glob("*.pt")) or any(folder.glob("*.ckpt"))
    card = _card(folder / "README.md")
    experts = _first(text_cfg, "num_local_experts", "num_experts", "n_routed_experts")
    if params and experts and experts > 1:
        notes.append(
            "mixture-of-experts: active parameters are not derived from config; give --active-params"
        )
    license_value = card.get("license")
    return Candidate(
        id=folder.name,
        pipeline_tag=card.get("pipeline_tag")
        if isinstance(card.get("pipeline_tag"), str)
        else None,
        library=card.get("library_name") or ("transformers" if cfg.get("architectures") else None),
        license=str(license_value).lower() if isinstance(license_value, str) else None,
        license_name=card.get("license_name")
        if isinstance(card.get("license_name"), str)
        else None,
        params=params or None,
        dtype=dtype
        or (cfg.get("torch_dtype") if isinstance(cfg.get("torch_dtype"), str) else None),
        weights_format="safetensors" if shards else ("pickle" if pickle else None),
        languages=_languages(card.get("language")),
        base_model=card.get("base_model") if isinstance(card.get("base_model"), str) else None,
        custom_code=bool(cfg.get("auto_map")),
        source=f"local:{folder}",
        **arch_from_config(cfg),
    ), notes


def _card(readme: Path) -> dict[str, Any]:
    """The YAML front matter of a model card, or {} (read with the safe loader)."""
    if not readme.is_file():
        return {}
    text = readme.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = parse(text[3:end], str(readme), kind="model card").data
    except InputError:
        return {}
    return data if isinstance(data, dict) else {}


def _languages(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value.lower(),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.lower() for v in value)
    return None
