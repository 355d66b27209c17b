"""The questions of `fmadvisor ask`, as data: in the order of the selection factors, each with a
"why this matters" line, a default, choices where they are finite, a parser that either returns a
value or says what is wrong (BadAnswer), and when it is skipped. `interview.py` walks them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel

from fmadvisor import tasks
from fmadvisor.spec import Constraints, Data, Gpu, Hardware, Team, parse_count
from fmadvisor.vocab import GENERATIVE_TEXT

Answers = dict[str, Any]


class BadAnswer(ValueError):
    """An answer that does not parse; the message says what is expected."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    why: str
    parse: Callable[[str], Any]
    default: Any = None
    choices: tuple[str, ...] = ()
    skip: Callable[[Answers], bool] = lambda a: False
    show: Callable[[Any], str] = lambda v: plain(v)

    @property
    def kind(self) -> str:
        """What the answer is, for `ask --list-questions` and answers files."""
        if self.parse.__name__ in _KINDS:
            return _KINDS[self.parse.__name__]
        return "one of: " + ", ".join(self.choices) if self.choices else "text"


def plain(value: Any) -> str:
    """A value as a person types it: 10000 not 10000.0, 'en, de' not "['en', 'de']"."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "none"
    return str(value)


# ---- parsers ----------------------------------------------------------------------------------


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower().replace(" ", "_").replace("-", "_")
        for option in options:
            if value == option.lower().replace("-", "_"):
                return option
        matches = (
            [o for o in options if o.lower().replace("-", "_").startswith(value)] if value else []
        )
        if len(matches) == 1:
            return matches[0]
        raise BadAnswer(f"choose one of: {', '.join(options)}")

    return parse


def _yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("y", "yes", "true", "1"):
        return True
    if value in ("n", "no", "false", "0"):
        return False
    raise BadAnswer("answer yes or no")


def _most(model: type[BaseModel], name: str) -> float:
    """The largest value the spec accepts in a field (its `le`), so an answer fails where it is
    typed rather than when the spec is built at the end."""
    return next((m.le for m in model.model_fields[name].metadata if hasattr(m, "le")), math.inf)


def _at_most(value: float, most: float, words: str) -> float:
    if not math.isfinite(value) or value > most:
        raise BadAnswer(f"{words} of at most {most:,g}")
    return value


def _count(raw: str) -> int:
    try:
        value = parse_count(raw.strip().replace(",", "").replace("_", ""))
    except ValueError as exc:  # too large to be a count
        raise BadAnswer(f"a whole number, e.g. 300, 25k, 2B; {exc}") from None
    if not isinstance(value, int) or value < 0:
        raise BadAnswer("a whole number, e.g. 300, 25k, 2B")
    return value


def _positive_int(raw: str) -> int:
    value = _count(raw)
    if value < 1:
        raise BadAnswer("a whole number of at least 1")
    return int(_at_most(value, _most(Team, "ml_engineers"), "a whole number"))


def _amount(raw: str) -> float | None:
    """A number of 0 or more, or None for 'none' (no limit)."""
    value = raw.strip().replace("$", "").replace(",", "").replace("_", "")
    if value.lower() in ("", "none", "unknown", "-"):
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadAnswer("an amount like 20000, or 'none' if there is no limit") from None
    if number < 0:
        raise BadAnswer("an amount of 0 or more")
    return number


def _money(raw: str) -> float | None:
    value = _amount(raw)
    return (
        value if value is None else _at_most(value, _most(Constraints, "budget_usd"), "an amount")
    )


def _weeks(raw: str) -> float | None:
    value = _amount(raw.replace("weeks", "").replace("week", ""))
    if value is not None and value <= 0:
        raise BadAnswer("more than 0 weeks, or 'none'")
    most = _most(Constraints, "timeline_weeks")
    return value if value is None else _at_most(value, most, "a number of weeks")


def _task(raw: str) -> str:
    value = raw.strip()
    if tasks.resolve(value) is None:
        # a unique prefix, as for every other choice: first among the offered tasks, then all
        for pool in (BY_ID["task"].choices, tuple(tasks.known_tasks())):
            matches = [t for t in pool if t.startswith(value.lower())] if value else []
            if len(matches) == 1:
                return matches[0]
        raise BadAnswer(
            "a task such as chatbot, classification, ner, summarization, translation, embeddings, asr, "
            "image-classification, or any Hugging Face pipeline tag"
        )
    return value


def _languages(raw: str) -> list[str]:
    from fmadvisor.speccheck import language_hint, languages

    items = [x.strip().lower() for x in raw.replace(";", ",").split(",") if x.strip()]
    for item in items:
        if item not in languages():
            raise BadAnswer(
                f"unknown language '{item}'{language_hint(item)}; "
                "ISO 639-1 codes separated by commas, e.g. en, de, fr"
            )
    return items


def _words(raw: str) -> list[str]:
    return [
        x.strip().lower()
        for x in raw.replace(";", ",").split(",")
        if x.strip() and x.strip().lower() != "none"
    ]


SENSITIVE = tuple(
    kind
    for kind in get_args(get_args(Data.model_fields["sensitive"].annotation)[0])
    if kind != "none"
)  # the spec's kinds: one definition


def _sensitive(raw: str) -> list[str]:
    items = _words(raw)
    bad = [x for x in items if x not in SENSITIVE]
    if bad:
        raise BadAnswer(f"any of {', '.join(SENSITIVE)}, separated by commas, or 'none'")
    return items


def _text(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise BadAnswer("a name is needed")
    return value


def _optional_text(raw: str) -> str | None:
    value = raw.strip()
    return None if value.lower() in ("", "none", "-") else value


def _gigabytes(raw: str) -> float:
    value = _amount(raw.lower().replace("gb", ""))
    if value is None or value <= 0:
        raise BadAnswer("memory in GB, e.g. 24")
    return value


def _ram(raw: str) -> float | None:
    if raw.strip().lower() in ("", "none", "unknown", "-"):
        return None
    return _at_most(_gigabytes(raw), _most(Hardware, "cpu_ram_gb"), "GB")


def _memory(raw: str) -> float:
    return _at_most(_gigabytes(raw), _most(Gpu, "memory_gb"), "GB")


def _list(v: Any) -> str:
    return ", ".join(v) if v else "none"


def _generative(a: Answers) -> bool:
    tag = tasks.resolve(str(a.get("task", "")))
    return tag in GENERATIVE_TEXT


# ---- the questions, in the order of the selection factors --------------------------------------

QUESTIONS: tuple[Question, ...] = (
    Question("name", "Project name", "Names the spec and the report.", _text, "my-project"),
    Question(
        "task",
        "What should the model do?",
        "Task fit decides which models are candidates at all.",
        _task,
        "chatbot",
        choices=(
            "chatbot",
            "classification",
            "ner",
            "summarization",
            "translation",
            "embeddings",
            "asr",
            "image-classification",
            "code",
        ),
    ),
    Question(
        "languages",
        "Languages it must handle (ISO codes)",
        "Quality drops in languages a model saw little of.",
        _languages,
        ["en"],
        show=_list,
    ),
    Question(
        "scope",
        "Is the job narrow (one well-defined task) or broad (open-ended)?",
        "Broad tasks need larger models; narrow ones do well with small, specialized ones.",
        _choice(("narrow", "broad")),
        "narrow",
        choices=("narrow", "broad"),
    ),
    Question(
        "domain_shift",
        "How far is your domain's language from general web text?",
        "Far-off language (clinical notes, chip design) may call for continued pre-training.",
        _choice(("low", "medium", "high")),
        "low",
        choices=("low", "medium", "high"),
    ),
    Question(
        "labeled_examples",
        "How many labeled input/output examples do you have?",
        "Fine-tuning needs about 100 or more; prompting needs a handful.",
        _count,
        0,
    ),
    Question(
        "unlabeled_tokens",
        "How large is your unlabeled in-domain text (tokens, e.g. 2B)?",
        "Hundreds of millions of tokens make continued pre-training possible.",
        _count,
        0,
    ),
    Question(
        "proprietary",
        "Must answers use private documents the model has never seen?",
        "Missing knowledge is best served by retrieval (RAG).",
        _yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "documents",
        "About how many documents?",
        "Sizes the retrieval index.",
        _count,
        1000,
        skip=lambda a: not a.get("proprietary"),
    ),
    Question(
        "update_frequency",
        "How often does that knowledge change?",
        "Knowledge that changes weekly or faster belongs in an index, not in model weights.",
        _choice(("never", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime")),
        "monthly",
        choices=("never", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime"),
        skip=lambda a: not a.get("proprietary"),
    ),
    Question(
        "sensitive",
        "Sensitive data involved (pii, health, financial, biometric, children, or none)?",
        "Sensitive data argues for self-hosting and against sending it to hosted APIs.",
        _sensitive,
        [],
        show=_list,
    ),
    Question(
        "behaviour_change",
        "Must the model learn a style, tone, output format or many edge cases?",
        "Behaviour is learned by fine-tuning; knowledge by retrieval.",
        _yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "citations",
        "Must answers cite their sources?",
        "Citations come from retrieved passages.",
        _yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
        skip=lambda a: not _generative(a),
    ),
    Question(
        "explainability",
        "Explanations needed: none, explainable (post-hoc) or interpretable (the model itself)?",
        "No deep model is intrinsically interpretable; explainable favours small encoders.",
        _choice(("none", "explainable", "interpretable")),
        "none",
        choices=("none", "explainable", "interpretable"),
    ),
    Question(
        "fairness_audit",
        "Is a bias/fairness audit required?",
        "Favours models whose cards document bias and evaluation.",
        _yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "budget_usd",
        "One-off customization budget in USD ('none' if no limit)",
        "Rules out costly training.",
        _money,
        10000.0,
    ),
    Question(
        "monthly_budget_usd",
        "Monthly serving budget in USD ('none' if no limit)",
        "Rules out models too costly to serve.",
        _money,
        1000.0,
    ),
    Question(
        "timeline_weeks",
        "Weeks until it must be in use ('none' if no deadline)",
        "Rules out slow approaches.",
        _weeks,
        8.0,
    ),
    Question(
        "ml_engineers",
        "ML engineers on the project",
        "Scales how long each approach takes.",
        _positive_int,
        2,
    ),
    Question(
        "experience",
        "The team's ML experience: low, medium or high?",
        "Large training runs need experience.",
        _choice(("low", "medium", "high")),
        "medium",
        choices=("low", "medium", "high"),
    ),
    Question(
        "hardware",
        "Hardware for serving and training: gpu or cpu (CPU only)?",
        "Memory per card decides what fits.",
        _choice(("gpu", "cpu")),
        "gpu",
        choices=("gpu", "cpu"),
    ),
    Question(
        "gpu_name",
        "Which GPU (e.g. L4, A100-80GB, H100, RTX-4090)?",
        "Known GPUs bring their memory and price.",
        _text,
        "L4",
        skip=lambda a: a.get("hardware") == "cpu",
    ),
    Question(
        "gpu_memory_gb",
        "Memory per card in GB",
        "Needed for GPUs not in the GPU table.",
        _memory,
        24.0,
        skip=lambda a: a.get("hardware") == "cpu" or a.get("_gpu_known", False),
    ),
    Question(
        "gpu_count",
        "How many of them?",
        "Models can be split over cards.",
        _positive_int,
        1,
        skip=lambda a: a.get("hardware") == "cpu",
    ),
    Question(
        "cpu_ram_gb",
        "CPU memory in GB ('none' if unknown)",
        "CPU-only serving must fit in RAM.",
        _ram,
        64.0,
    ),
    Question(
        "deployment",
        "Where will it run: self_hosted, on_prem, cloud_api or edge?",
        "On-prem and edge hardware is fixed; a model that does not fit is ruled out.",
        _choice(("self_hosted", "on_prem", "cloud_api", "edge")),
        "self_hosted",
        choices=("self_hosted", "on_prem", "cloud_api", "edge"),
    ),
    Question(
        "data_residency",
        "Region data must stay in (e.g. eu; 'none')",
        "Hosted APIs must serve from that region.",
        _optional_text,
        None,
    ),
    Question(
        "commercial_use",
        "Will the model be used commercially?",
        "Rules out non-commercial licenses.",
        _yes_no,
        True,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "license_deny",
        "License tags never acceptable (comma-separated, or 'none')",
        "e.g. agpl-3.0, cc-by-nc-4.0",
        _words,
        [],
        show=_list,
    ),
    Question(
        "frameworks",
        "Frameworks the team uses (comma-separated)",
        "Models in other frameworks need conversion.",
        _words,
        ["pytorch"],
        show=_list,
    ),
)
BY_ID = {q.id: q for q in QUESTIONS}
_KINDS = {
    "_text": "text",
    "_optional_text": "text, or none",
    "_task": "a task: pipeline tag or alias (chatbot, classification, ner, embeddings, ...)",
    "_languages": "list of ISO 639-1 codes (en, de)",
    "_count": "count (300, 25k, 2B)",
    "_positive_int": "whole number, at least 1",
    "_yes_no": "yes or no",
    "_money": "amount in USD, or none",
    "_weeks": "number of weeks, or none",
    "_memory": "GB per card",
    "_ram": "GB, or none",
    "_sensitive": "list of: " + ", ".join(SENSITIVE) + "; or none",
    "_words": "list (comma-separated), or none",
}
