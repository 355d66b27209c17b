"""`StrategyOption`: one way to customize a model for a spec, with the estimates rules read.

Strategy rules read these attributes as `strategy.<name>` (see rules/fields.py). `None` is unknown.
"""

from __future__ import annotations


import msgspec

from fmadvisor.vocab import METHOD_LABELS as METHOD_NAMES  # noqa: F401  (re-exported)
from fmadvisor.vocab import RETRIEVAL, STRATEGIES, TRAINING  # noqa: F401  (re-exported)


class StrategyOption(msgspec.Struct, frozen=True):
    """One customization strategy (and method) as the strategy rules see it."""

    id: str  # one of STRATEGIES
    method: str | None = None  # full | lora | qlora for fine-tuning strategies
    trains: bool = False  # changes model weights
    retrieval: bool = False  # retrieves from a document index at inference time
    cost_rank: int = 1  # the guidance's cost order: 1 prompting ... 5 pre-training
    cost_usd_low: float | None = None  # one-off compute cost
    cost_usd_high: float | None = None
    weeks_low: float | None = None
    weeks_high: float | None = None
    gpu_memory_gb: float | None = None  # peak per GPU for the training (or serving) step
    fits_hardware: bool | None = None  # fits the hardware it is for (None: not stated)
    hardware: str | None = None  # which hardware memory, fit and GPU-hours are for, in words
    gpu_hours_high: float | None = None
    base_model: str | None = None  # the model it starts from
    base_size_b: float | None = None
    context_length: int | None = None  # of the base model (in-context learning wants long windows)
    base_data_documented: bool | None = None  # the base model's card names its training data
    # it starts from a model built for the spec's domain specialty (false when the spec names none)
    base_specialist: bool | None = None
