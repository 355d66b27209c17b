"""The questions of `fmadvisor ask`, as data: in the order of the selection factors, each with a
"why this matters" line, a default, choices where they are finite, a parser (`answers.py`) that
either returns a value or says what is wrong (BadAnswer), and when it is skipped. `interview.py`
walks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fmadvisor import tasks
from fmadvisor.answers import (
    KINDS,
    BadAnswer,
    choice,
    parse_languages,
    parse_memory,
    parse_money,
    parse_optional_text,
    parse_positive_int,
    parse_ram,
    parse_sensitive,
    parse_count_answer,
    parse_text,
    parse_weeks,
    parse_words,
    parse_yes_no,
    plain,
    show_list,
)
from fmadvisor.spec_logic import outside_languages
from fmadvisor.vocab import GENERATIVE_TEXT

Answers = dict[str, Any]


@dataclass(frozen=True)
class Question:
    """One question of the interview: its text, why it is asked, how its answer is read."""

    id: str
    text: str
    why: str
    parse: Callable[[str], Any]
    default: Any = None
    choices: tuple[str, ...] = ()
    skip: Callable[[Answers], bool] = lambda a: False
    show: Callable[[Any], str] = lambda v: plain(v)
    # checks a parsed answer against earlier ones; raises BadAnswer
    check: Callable[[Answers, Any], None] = lambda a, v: None

    @property
    def kind(self) -> str:
        """What the answer is, for `ask --list-questions` and answers files."""
        if self.parse.__name__ == "_task":
            return "a task: pipeline tag or alias (chatbot, classification, ner, embeddings, ...)"
        if self.parse.__name__ in KINDS:
            return KINDS[self.parse.__name__]
        return "one of: " + ", ".join(self.choices) if self.choices else "text"


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


def _among_languages(a: Answers, targets: list[str]) -> None:
    outside = outside_languages(targets, a.get("languages", []))
    if outside:
        raise BadAnswer(
            f"{', '.join(outside)} not among the languages given before "
            f"({', '.join(a.get('languages', [])) or 'none'}); add them to the languages first"
        )


def _generative(a: Answers) -> bool:
    tag = tasks.resolve(str(a.get("task", "")))
    return tag in GENERATIVE_TEXT


# ---- the questions, in the order of the selection factors --------------------------------------

QUESTIONS: tuple[Question, ...] = (
    Question("name", "Project name", "Names the spec and the report.", parse_text, "my-project"),
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
        parse_languages,
        ["en"],
        show=show_list,
    ),
    Question(
        "target_languages",
        "Which of them do translations go into? (Enter: any of them)",
        "A one-direction translator (opus-mt-de-en writes only English) serves only the pairs that "
        "end in its languages.",
        parse_languages,
        [],
        skip=lambda a: tasks.resolve(str(a.get("task", ""))) != "translation",
        show=show_list,
        check=_among_languages,
    ),
    Question(
        "scope",
        "Is the job narrow (one well-defined task) or broad (open-ended)?",
        "Broad tasks need larger models; narrow ones do well with small, specialized ones.",
        choice(("narrow", "broad")),
        "narrow",
        choices=("narrow", "broad"),
    ),
    Question(
        "domain_shift",
        "How far is your domain's language from general web text?",
        "Far-off language (clinical notes, chip design) may call for continued pre-training.",
        choice(("low", "medium", "high")),
        "low",
        choices=("low", "medium", "high"),
    ),
    Question(
        "labeled_examples",
        "How many labeled input/output examples do you have?",
        "Fine-tuning needs about 100 or more; prompting needs a handful.",
        parse_count_answer,
        0,
    ),
    Question(
        "unlabeled_tokens",
        "How large is your unlabeled in-domain text (tokens, e.g. 2B)?",
        "Hundreds of millions of tokens make continued pre-training possible.",
        parse_count_answer,
        0,
    ),
    Question(
        "proprietary",
        "Must answers use private documents the model has never seen?",
        "Missing knowledge is best served by retrieval (RAG).",
        parse_yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "documents",
        "About how many documents?",
        "Sizes the retrieval index.",
        parse_count_answer,
        1000,
        skip=lambda a: not a.get("proprietary"),
    ),
    Question(
        "update_frequency",
        "How often does that knowledge change?",
        "Knowledge that changes weekly or faster belongs in an index, not in model weights.",
        choice(("never", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime")),
        "monthly",
        choices=("never", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime"),
        skip=lambda a: not a.get("proprietary"),
    ),
    Question(
        "sensitive",
        "Sensitive data involved (pii, health, financial, biometric, children, or none)?",
        "Sensitive data argues for self-hosting and against sending it to hosted APIs.",
        parse_sensitive,
        [],
        show=show_list,
    ),
    Question(
        "behaviour_change",
        "Must the model learn a style, tone, output format or many edge cases?",
        "Behaviour is learned by fine-tuning; knowledge by retrieval.",
        parse_yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "citations",
        "Must answers cite their sources?",
        "Citations come from retrieved passages.",
        parse_yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
        skip=lambda a: not _generative(a),
    ),
    Question(
        "explainability",
        "Explanations needed: none, explainable (post-hoc) or interpretable (the model itself)?",
        "No deep model is intrinsically interpretable; explainable favours small encoders.",
        choice(("none", "explainable", "interpretable")),
        "none",
        choices=("none", "explainable", "interpretable"),
    ),
    Question(
        "fairness_audit",
        "Is a bias/fairness audit required?",
        "Favours models whose cards document bias and evaluation.",
        parse_yes_no,
        False,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "budget_usd",
        "One-off customization budget in USD ('none' if no limit)",
        "Rules out costly training.",
        parse_money,
        10000.0,
    ),
    Question(
        "monthly_budget_usd",
        "Monthly serving budget in USD ('none' if no limit)",
        "Rules out models too costly to serve.",
        parse_money,
        1000.0,
    ),
    Question(
        "timeline_weeks",
        "Weeks until it must be in use ('none' if no deadline)",
        "Rules out slow approaches.",
        parse_weeks,
        8.0,
    ),
    Question(
        "ml_engineers",
        "ML engineers on the project",
        "Scales how long each approach takes.",
        parse_positive_int,
        2,
    ),
    Question(
        "experience",
        "The team's ML experience: low, medium or high?",
        "Large training runs need experience.",
        choice(("low", "medium", "high")),
        "medium",
        choices=("low", "medium", "high"),
    ),
    Question(
        "hardware",
        "Hardware for serving and training: gpu or cpu (CPU only)?",
        "Memory per card decides what fits.",
        choice(("gpu", "cpu")),
        "gpu",
        choices=("gpu", "cpu"),
    ),
    Question(
        "gpu_name",
        "Which GPU (e.g. L4, A100-80GB, H100, RTX-4090)?",
        "Known GPUs bring their memory and price.",
        parse_text,
        "L4",
        skip=lambda a: a.get("hardware") == "cpu",
    ),
    Question(
        "gpu_memory_gb",
        "Memory per card in GB",
        "Needed for GPUs not in the GPU table.",
        parse_memory,
        24.0,
        skip=lambda a: a.get("hardware") == "cpu" or a.get("_gpu_known", False),
    ),
    Question(
        "gpu_count",
        "How many of them?",
        "Models can be split over cards.",
        parse_positive_int,
        1,
        skip=lambda a: a.get("hardware") == "cpu",
    ),
    Question(
        "cpu_ram_gb",
        "CPU memory in GB ('none' if unknown)",
        "CPU-only serving must fit in RAM.",
        parse_ram,
        64.0,
    ),
    Question(
        "deployment",
        "Where will it run: self_hosted, on_prem, cloud_api or edge?",
        "On-prem and edge hardware is fixed; a model that does not fit is ruled out.",
        choice(("self_hosted", "on_prem", "cloud_api", "edge")),
        "self_hosted",
        choices=("self_hosted", "on_prem", "cloud_api", "edge"),
    ),
    Question(
        "data_residency",
        "Region data must stay in (e.g. eu; 'none')",
        "Hosted APIs must serve from that region.",
        parse_optional_text,
        None,
    ),
    Question(
        "commercial_use",
        "Will the model be used commercially?",
        "Rules out non-commercial licenses.",
        parse_yes_no,
        True,
        choices=("yes", "no"),
        show=lambda v: "yes" if v else "no",
    ),
    Question(
        "license_deny",
        "License tags never acceptable (comma-separated, or 'none')",
        "e.g. agpl-3.0, cc-by-nc-4.0",
        parse_words,
        [],
        show=show_list,
    ),
    Question(
        "frameworks",
        "Frameworks the team uses (comma-separated)",
        "Models in other frameworks need conversion.",
        parse_words,
        ["pytorch"],
        show=show_list,
    ),
)
BY_ID = {q.id: q for q in QUESTIONS}
