"""`Env`: everything about one spec that per-model fields need, computed once per spec."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TYPE_CHECKING

import msgspec

from fmadvisor import tasks
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.estimate import (
    CUDA_CONTEXT,
    GB,
    REFERENCE_GPU,
    TRAIN_CONTEXT,
    Arch,
    serve_runtime,
    train_bytes,
    widest_vocab,
)
from fmadvisor.rules.spec_words import PREDICTION_WORDS, code_completion, spec_says, writes_code
from fmadvisor.rules.tables import LicenseInfo, Tables
from fmadvisor.vocab import DEFAULT_CONTEXT_TOKENS, GENERATIVE_TEXT, TRAINING, WITH_METHODS

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


class Card(msgspec.Struct, frozen=True):
    """One kind of GPU the spec has: per-card memory and how many (with the table's facts)."""

    memory_bytes: float
    count: int
    usd_per_hour: float | None
    name: str = ""
    bandwidth_gbps: float | None = None
    peak_tflops: float | None = None
    price_source: str = ""


def _rented(tables: Tables) -> list[Card]:
    """One reference GPU to rent for training, as a card."""
    ref = tables.gpu(REFERENCE_GPU)
    if ref is None:
        return []
    return [
        Card(
            ref.memory_gb * GB,
            1,
            ref.usd_per_hour,
            ref.name,
            ref.memory_bandwidth_gbps,
            ref.bf16_tflops or ref.fp16_tflops,
            ref.price_source,
        )
    ]


def _cards(hardware: Any, tables: Tables) -> list[Card]:
    cards = []
    for g in hardware.gpus:
        known = tables.gpu(g.name)
        mem = g.memory_gb if g.memory_gb is not None else (known.memory_gb if known else None)
        if mem is None:
            continue
        cards.append(
            Card(
                mem * GB,
                g.count,
                known.usd_per_hour if known else None,
                known.name if known else g.name,
                known.memory_bandwidth_gbps if known else None,
                (known.bf16_tflops or known.fp16_tflops) if known else None,
                known.price_source if known else "",
            )
        )
    return cards


class Env:
    """Everything about one spec that per-model fields need, computed once."""

    def __init__(
        self,
        spec: Spec,
        tables: Tables,
        as_of: dt.date,
        lookup: Callable[[str], Candidate | None] | None = None,
        planned_strategy: str | None = None,
    ) -> None:
        self.spec = spec
        self.planned_strategy = planned_strategy  # the strategy models are ranked for (second pass)
        self.tables = tables
        self.as_of = as_of
        self.lookup = lookup or (lambda model_id: None)  # the catalog, for base-model lineage
        self.context = spec.needs.context_tokens or DEFAULT_CONTEXT_TOKENS
        hardware = spec.constraints.hardware
        self.cards = _cards(hardware, tables)  # serving hardware
        self._training(spec, tables)
        self.owned = hardware.owned(spec.constraints.deployment)
        # tokens per training sequence: the spec's context when stated, up to what one training
        # example holds (train_sequence_max_tokens): a 100k-token serving window is not the
        # length the behaviour is taught at
        self.train_context = spec.needs.context_tokens or TRAIN_CONTEXT
        if "train_sequence_max_tokens" in tables.thresholds:
            self.train_context = min(
                self.train_context, int(tables.thresholds["train_sequence_max_tokens"])
            )
        # CPU RAM less 20% for the OS and the serving process; the per-process reserve serving
        # adds: a CUDA context on GPUs, none on a CPU-only host
        self.cpu_bytes = hardware.cpu_ram_gb * GB * 0.8 if hardware.cpu_ram_gb else None
        self.serve_runtime_bytes = serve_runtime(bool(self.cards))
        self.pipeline_tag = spec.task.pipeline_tag
        self.fit_table = tasks.fit_table(self.pipeline_tag)
        self.languages = tuple(spec.task.languages)
        self.frameworks = frozenset(spec.constraints.frameworks)
        self.integrations = tuple(spec.constraints.integrations)
        self.unknown_gpu_names = [
            g.name
            for g in spec.constraints.hardware.gpus
            if g.memory_gb is None and tables.gpu(g.name) is None
        ]
        # Per-spec memo tables for derived values, keyed by the model facts they depend on: a catalog
        # repeats architectures, licenses and release dates, and scoring reads each many times.
        self.license_memo: dict[tuple[str | None, str | None], LicenseInfo | None] = {}
        self.age_memo: dict[str | None, float | None] = {}
        self.memory_memo: dict[
            tuple[Any, ...], Any
        ] = {}  # architecture -> derived.memory.MemoryProfile
        self.lineage_memo: dict[str | None, Any] = {}
        self.domain = tables.domain(spec.task.domain)
        self.specialty = _specialty(spec, self.domain)
        # the domains table's entry for the specialty (code), for a spec whose domain words name none
        self.specialty_domain = tables.domains.get(self.specialty) if self.specialty else None
        self.capability_words, self.foreign_words = _capability_scope(self, tables)
        self.domain_specialties, self.serving_specialties, self.on_domain_specialties = (
            _specialty_sets(self, tables)
        )
        self.min_size_b, self.min_size_reason = _min_size(spec, tables.thresholds, self)
        self.domain_gap, self.domain_gap_reason = _domain_gap(spec, tables.thresholds, self)

    @property
    def code_completion_reason(self) -> str | None:
        """Why the spec asks for code completion (spec.code_completion); None when it does not."""
        return code_completion(self.spec)

    @property
    def text_prediction_reason(self) -> str | None:
        """Why the spec asks a language model to predict what is typed next (spec.text_prediction)."""
        prose = self.pipeline_tag == "text-generation" and not self.code_completion_reason
        return spec_says(self.spec, PREDICTION_WORDS) if prose else None

    def fits(self, need: float | None) -> bool | None:
        """Does `need` bytes fit per card on some GPU type of the spec (split over its cards), or in CPU RAM?"""
        if need is None:
            return None
        if self.cards:
            return any(
                (need - CUDA_SHARED) / c.count + CUDA_SHARED <= c.memory_bytes for c in self.cards
            )
        if self.cpu_bytes is not None:
            return need <= self.cpu_bytes
        return None  # no hardware stated: unknown

    def serving_place(self) -> str:
        """Where the model is served, in words: '1 x L4', 'CPU RAM' or 'no hardware stated'."""
        where = ", ".join(f"{c.count} x {c.name}" for c in self.cards)
        return where or ("CPU RAM" if self.cpu_bytes is not None else "no hardware stated")

    def serving_hardware(self) -> str:
        """The serving hardware in words with its ownership, e.g. '1 x L4, owned' or 'CPU RAM'."""
        where = self.serving_place()
        return where + (", owned" if self.owned and where != "no hardware stated" else "")

    def _training(self, spec: Spec, tables: Tables) -> None:
        """The training hardware. An edge device serves the model; unless the spec names training
        hardware, training runs elsewhere, on the GPU a team would rent (REFERENCE_GPU), not on the
        phone or board."""
        self.train_rented = (
            spec.constraints.training_hardware is None and spec.constraints.deployment == "edge"
        )
        if self.train_rented:
            self.train_cards = _rented(tables)
            self.train_cpu_bytes: float | None = None
        else:
            training = spec.constraints.training_hardware or spec.constraints.hardware
            self.train_cards = _cards(training, tables)
            self.train_cpu_bytes = training.cpu_ram_gb * GB * 0.8 if training.cpu_ram_gb else None
        self.separate_training = spec.constraints.training_hardware is not None or self.train_rented

    def train_overflow(self, arch: Arch, method: str) -> float | None:
        """Per card, training with `method` needs this many times the card's memory, on the
        training GPU type that comes nearest (sharded over its cards, ZeRO-3 / FSDP); None without
        training GPUs."""
        return self._overflow(arch, method) if self.train_cards else None

    def train_fits(self, arch: Arch, method: str, overflow: float | None = None) -> bool | None:
        """Does training with `method` fit the training hardware: per card, sharded over the cards
        of one GPU type (train_overflow at most 1, or `overflow` when the caller has it); without
        GPUs, in CPU RAM for models small enough to train on a CPU at all (cpu_trainable_b). With the
        vocabulary unknown (the loss's memory), a fit only if the largest would fit too, else unknown."""
        if not self.train_cards:
            if self.train_cpu_bytes is None:
                return None
            if arch.params > self.tables.thresholds.get("cpu_trainable_b", 0.0) * 1e9:
                return False
        if (self._overflow(arch, method) if overflow is None else overflow) > 1:
            return False
        if arch.vocab is not None or not arch.lm_loss:
            return True
        return self._overflow(widest_vocab(arch), method) <= 1 or None

    def _overflow(self, arch: Arch, method: str) -> float:
        """train_overflow, or without training GPUs the share of CPU RAM training needs."""
        if self.train_cards:
            return min(
                train_bytes(arch, method, self.train_context, c.count) / c.memory_bytes
                for c in self.train_cards
            )
        return train_bytes(arch, method, self.train_context) / (self.train_cpu_bytes or 1)

    def training_hardware(self) -> str | None:
        """Which hardware training figures are for, in words."""
        cards = ", ".join(f"{c.count} x {c.name}" for c in self.train_cards)
        where = cards or ("CPU RAM" if self.train_cpu_bytes is not None else None)
        if where and self.separate_training:
            return f"training hardware {where}"
        return where


CUDA_SHARED = CUDA_CONTEXT  # per-card runtime overhead that does not split across cards


def _specialty_sets(env: Env, tables: Tables) -> tuple[frozenset[str], ...]:
    """(specialties that serve some domain, those that serve the spec's, those on its domain).

    A model built for a specialty of tables.domains serves that one, and a model of the specialty
    the spec's is within (a medical model for pathology) too; a model of the domain's own specialty
    is on the domain even where the spec's words are prose about it (duplicate questions on a
    programming site): not preferred, not off-domain."""
    every = frozenset(d.specialty for d in tables.domains.values() if d.specialty)
    domain = env.domain
    within = domain.within if domain and env.specialty == domain.specialty else None
    serving = frozenset(x for x in (env.specialty, within) if x)
    own = domain.specialty if domain else None
    return every, serving, serving | ({own} if own else frozenset())


def _capability_scope(env: Env, tables: Tables) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the benchmarks that measure the spec's domain, or else its task, other domains'
    benchmarks), as lower-case words from tables.domains and tables.task_benchmarks: capability is
    read from the first when given, and never from the second (HumanEval says little about a
    support chatbot; GLUE says little about an encoder's embeddings for retrieval)."""
    scope = env.domain
    if scope and scope.specialty != env.specialty:
        # the domain's specialty does not apply to this spec (a software domain, text), or its words
        # name none while the spec's task does (text-to-SQL over "scanned documents": code)
        scope = None
    scope = scope or env.specialty_domain
    words = tuple(w.lower() for w in (scope.benchmarks if scope else ()))
    if not words:  # a specialty's own benchmark for the task, else the task's
        words = tables.task_words(scope.specialty if scope else None, env.spec.task.pipeline_tag)
    every = tables.domain_benchmark_words()
    # results measured in languages the spec does not require (tables.benchmark_languages) are
    # as foreign as another domain's: Whisper's English WER says little about Swedish speech
    wanted = set(env.languages)
    if wanted and "*" not in wanted:
        every |= {
            w for w, langs in tables.benchmark_languages.items() if not wanted.intersection(langs)
        }
    return words, tuple(sorted(every - set(words)))


def small_hardware(spec: Spec, env: Env) -> bool:
    """An edge device, or CPU memory and no GPU: where generators are capped in size."""
    return spec.constraints.deployment == "edge" or bool(
        not spec.constraints.hardware.gpus and env.cpu_bytes
    )


# Tasks whose output is prose, whatever the domain: a software company's translation or summary is
# of documentation and messages, not of code.
_PROSE_TASKS = frozenset({"translation", "summarization"})


def _specialty(spec: Spec, domain: Any) -> str | None:
    """The model specialty the spec calls for: its domain's (tables.domains), else code for a code
    task or for text-to-SQL."""
    if spec.task.modality == "code":
        # the model reads code whatever the domain is about (a security domain's vulnerable PHP
        # functions, its shell commands): code models serve it, a security text model does not
        specialty: str | None = "code"
    else:
        specialty = (domain.specialty if domain else None) or (
            "code" if spec.task.resolved_modality == "code" else None
        )
    if specialty == "code" and (
        spec.task.modality not in (None, "code") or spec.task.pipeline_tag in _PROSE_TASKS
    ):
        # a software domain whose model reads and writes prose (questions over a product's
        # documentation, the localization of its strings and manuals): the spec says so, or its
        # task does, and code models do not serve it better
        specialty = None
    if writes_code(spec):
        # text-to-SQL or a generated script: the output is code, whatever the data's subject (a pharma
        # SQL assistant writes SQL, which code models are trained on and medical ones not)
        specialty = "code"
    return specialty


def _min_size(spec: Spec, t: dict[str, float], env: Env) -> tuple[float | None, str]:
    """The smallest sensible text-generator size for the spec, in billions, and why (thresholds
    table: min_size_*). None for tasks that are not text generation."""
    if env.pipeline_tag not in GENERATIVE_TEXT or not t:
        return None, ""
    predicts = env.text_prediction_reason is not None  # it predicts text: nothing is instructed
    size, why = t["min_size_prediction_b" if predicts else "min_size_narrow_b"], []
    domain = env.domain or env.specialty_domain  # a code modality with no domain word: code
    demands = [
        (spec.task.scope == "broad", t["min_size_broad_b"], "open-ended scope"),
        (
            bool(domain and domain.reasoning),
            t["min_size_broad_b"],
            f"a reasoning domain ({spec.task.domain or env.specialty})",
        ),
        (
            env.context > t["long_context_tokens"],
            t["min_size_broad_b"],
            f"{env.context:,}-token requests",
        ),
        (spec.needs.citations, t["min_size_grounded_b"], "answers with citations"),
        (spec.task.subtasks > 1, t["min_size_grounded_b"], f"{spec.task.subtasks} subtasks"),
    ]
    # demands on what one answer must do add up; languages are coverage, so they raise the size
    # but do not add to that load
    load = sum(1 for applies, _, _ in demands if applies)
    demands.append(
        (
            len(spec.task.languages) >= 3,
            t["min_size_grounded_b"],
            f"{len(spec.task.languages)} languages",
        )
    )
    # with no labeled example the job is done from instructions alone (nothing to fine-tune on or to
    # show in a prompt): an open-ended job's size, a need that adds no load either
    no_labels = spec.data.labeled_examples == 0 and not predicts
    demands.append((no_labels, t["min_size_broad_b"], "no labeled examples"))
    for applies, need, reason in demands:
        if applies:
            size = max(size, need)
            why.append(reason)
    compound = t.get("min_size_compound_demands")
    if compound and load >= compound and "min_size_compound_b" in t:
        size = max(size, t["min_size_compound_b"])
        why.append(f"{load} of these at once")
    elif load >= 2 and "min_size_paired_b" in t and t["min_size_paired_b"] > size:
        size = t["min_size_paired_b"]
        why.append(f"{load} of these at once")
    # needs.quality best does not make the task need a larger model: it lifts the cost brakes
    # above the sensible size (the oversize and size-large rules) and breaks ties larger first
    small_hw = small_hardware(spec, env)
    if small_hw and size > t["min_size_small_hardware_b"]:
        size, why = t["min_size_small_hardware_b"], [*why, "capped for CPU or edge hardware"]
    if spec.needs.quality == "cheapest":
        # after the hardware cap: the cheapest sensible model on a small device is smaller still
        size, why = size / 2, [*why, "needs.quality: cheapest"]
    return size, ", ".join(why) or ("next-word prediction" if predicts else "a narrow task")


SHIFT_ORDER = {"low": 0, "medium": 1, "high": 2}


def _domain_gap(spec: Spec, t: dict[str, float], env: Env) -> tuple[str, str]:
    """How far the project's language is from what general models know (low | medium | high), and
    the evidence: the stated task.domain_shift, the domain's entry in tables.domains, and an
    in-domain corpus large enough to be a language of its own (thresholds domain_corpus_*)."""
    level, why = spec.task.domain_shift, []
    if spec.task.domain_shift != "low":
        why.append(f"task.domain_shift={spec.task.domain_shift}")
    if env.domain is not None and SHIFT_ORDER[env.domain.shift] > SHIFT_ORDER[level]:
        level = env.domain.shift
        why.append(f"task.domain={spec.task.domain} ({env.domain.shift} shift in tables.domains)")
    tokens = spec.data.unlabeled_tokens
    corpus = (
        "high"
        if tokens >= t.get("domain_corpus_tokens_high", float("inf"))
        else ("medium" if tokens >= t.get("domain_corpus_tokens_medium", float("inf")) else "low")
    )
    if SHIFT_ORDER[corpus] > SHIFT_ORDER[level]:
        level = corpus
        why.append(f"data.unlabeled_tokens={tokens:,} of in-domain text")
    return level, ", ".join(why) or "no evidence of a domain gap"


# strategies that train on a corpus (continued pre-training, pre-training): training without the
# fine-tuning methods, which adapt to labeled pairs
CORPUS_TRAINING = TRAINING.difference(WITH_METHODS)


def teaches_languages(e: Env) -> bool:
    """Does the planned strategy teach the model languages it lacks (spec.plan.teaches_languages)?"""
    if e.planned_strategy in CORPUS_TRAINING:
        return True
    if e.planned_strategy not in WITH_METHODS:
        return False
    # a voice learns a language from its own recordings, a text recogniser from transcribed lines
    key = {
        "text-to-speech": "voice_new_language_min_recordings",
        "image-to-text": "ocr_new_language_min_lines",
    }.get(e.pipeline_tag)
    least = e.tables.thresholds.get(key) if key else None
    if least is None or e.spec.data.labeled_examples < least:
        return False
    if e.pipeline_tag != "image-to-text":
        return True
    # a recogniser reads letters: lines in another script need a new tokenizer and decoder
    langs = set(e.spec.task.languages or ())
    return bool(langs) and langs <= e.tables.latin_script_languages
