"""Facts inferred when a catalog records none, each said as such: sizes and a language model's task.

1. A repository whose weight files are listed (`weights_gb`, one format's files as the Hub lists
   them) and whose stored dtype is recorded holds about weights_gb / bytes-per-parameter
   parameters: the file headers are a few kilobytes, so the error is the listing's rounding
   (about 1% at the three significant figures the Hub prints; `catalog audit` fails a recorded
   count more than 10% off its files). This one is the repository's own and comes first.
2. A fine-tune has its base's size. Fine-tuning a text model changes its weights, not their
   number, apart from a task head (a few thousand to a few million parameters beside hundreds of
   millions). So when a text model's own count is not recorded but its base model is named and
   sized, scoring uses the base's count. Likewise an image or speech encoder trained further for
   its base's own task (an image backbone on a domain's images, a recognizer on a language's
   speech). Not across modalities or tasks otherwise (an adapter or ControlNet beside an image
   model is not its base's size), nor across architectures (`model_type` differs), nor from
   mixture-of-experts bases (active parameters would be guessed too).
3. A BERT-family encoder (model_type bert, roberta, xlm-roberta, camembert, electra) with its shape
   recorded has 12·L·h² + V·h parameters (attention and a 4h MLP per layer, and the embeddings):
   within 3% of the published (often rounded) totals of the catalog's BERT, RoBERTa, XLM-R,
   CamemBERT and BGE models (tests/test_catalog.py checks this on every sized one).

Whichever way, `Candidate.params_basis` says where the figure came from, and the rule
`hardware.size-inferred` reports it and costs a little.

4. A model whose record says it is a base or an instruct checkpoint (a language model: `variant` is
   recorded for generative models only) but whose Hub page shows no task (several Mistral repos
   served with vLLM, OLMo-2, Llama 4 Maverick base) is a text generator: without it, such models
   are never selected for a task. `Candidate.pipeline_tag_basis` says so; `task.tag-inferred`
   reports it and costs a little.

The catalog's own records keep these fields empty (their facts stay what sources state): this
happens when a catalog is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.tasks import PIPELINE_MODALITY

MAX_DEPTH = 4  # fine-tune of a fine-tune of ...; also stops a cycle in bad data
BERT_SHAPED = frozenset({"bert", "roberta", "xlm-roberta", "camembert", "electra"})


# Encoders whose fine-tunes keep the base's task: an image or speech backbone trained further on a
# domain's data (RAD-DINO is DINOv2-base trained on chest X-rays) has its base's weights in number.
SAME_TASK_ENCODERS = frozenset(
    {"image-feature-extraction", "image-classification", "automatic-speech-recognition"}
)


def _inheritable(model: Candidate, base: Candidate) -> bool:
    same_task_encoder = (
        model.pipeline_tag in SAME_TASK_ENCODERS and model.pipeline_tag == base.pipeline_tag
    )
    if not same_task_encoder and PIPELINE_MODALITY.get(model.pipeline_tag or "") != "text":
        return False
    if not same_task_encoder and PIPELINE_MODALITY.get(base.pipeline_tag or "") != "text":
        return False
    if model.model_type and base.model_type and model.model_type != base.model_type:
        return False
    return base.active_params is None


def _base_size(
    model: Candidate, lookup: Callable[[str], Candidate | None], depth: int = 0
) -> tuple[int, str] | None:
    """(parameters, where they come from) along `model`'s base models."""
    if depth >= MAX_DEPTH or not model.base_model:
        return None
    base = lookup(model.base_model)
    if base is None or base.id.lower() == model.id.lower() or not _inheritable(model, base):
        return None
    if base.params is not None and base.params_basis is None:
        return base.params, f"its base model, {base.id}"
    return _base_size(base, lookup, depth + 1)


# bytes a parameter takes in each stored dtype (config torch_dtype names)
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}


def params_from_files(weights_gb: float | None, dtype: str | None) -> int | None:
    """The parameters that `weights_gb` of weight files stored as `dtype` hold, if both are known."""
    per = DTYPE_BYTES.get(dtype or "")
    return None if not weights_gb or per is None else round(weights_gb * 1e9 / per)


def files_size(c: Candidate) -> tuple[int, str] | None:
    """A repository's size from its listed weight files and stored dtype (see the module's doc)."""
    n = params_from_files(c.weights_gb, c.dtype)
    if n is None:
        return None
    per = DTYPE_BYTES[c.dtype or ""]
    return n, f"its weight files ({c.weights_gb:g} GB of {c.dtype}, {per} bytes a parameter)"


def shape_size(c: Candidate) -> int | None:
    """A BERT-family encoder's size from its recorded shape (see the module's doc), else None."""
    if c.model_type not in BERT_SHAPED or c.custom_code:
        return None
    if not (c.layers and c.hidden_size and c.vocab_size):
        return None
    return 12 * c.layers * c.hidden_size**2 + c.vocab_size * c.hidden_size


TAG_BASIS = "its record names a base or instruct language model; the Hub shows no task"


def infer_facts(
    candidates: Iterable[Candidate], lookup: Callable[[str], Candidate | None]
) -> tuple[Candidate, ...]:
    """`candidates`, each one without a size given the size inferred for it, if any, and each
    language model without a task tagged text-generation (see the module's doc)."""
    out = []
    for c in candidates:
        if c.pipeline_tag is None and c.variant in ("base", "instruct"):
            c = msgspec.structs.replace(
                c, pipeline_tag="text-generation", pipeline_tag_basis=TAG_BASIS
            )
        if c.params is None:
            found = files_size(c) or _base_size(c, lookup)
            if found is None and (n := shape_size(c)) is not None:
                found = (
                    n,
                    f"its recorded shape ({c.layers} layers, hidden size {c.hidden_size}, "
                    f"vocabulary {c.vocab_size:,}) by the BERT-family count 12·L·h² + V·h",
                )
            if found is not None:
                c = msgspec.structs.replace(c, params=found[0], params_basis=found[1])
        out.append(c)
    return tuple(out)
