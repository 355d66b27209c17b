"""The questionnaire behind `fmadvisor ask`: questions as data, and a pure engine that walks them.

Questions follow the selection factors: the task and languages, the data, what the model must learn,
explainability and fairness, budget, timeline, team, hardware, deployment and residency, license,
frameworks. Each has a "why this matters" line, a default, choices where they are finite, and a
parser that either returns a value or says what is wrong. Questions made irrelevant by earlier
answers are skipped (no GPU questions after "CPU only"; no knowledge questions when nothing is
private). The engine never prints or reads: the CLI drives it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from fmadvisor.vocab import GENERATIVE_TEXT
from fmadvisor import tasks
from fmadvisor.spec import Data, Spec, parse_count

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


def _count(raw: str) -> int:
    value = parse_count(raw.strip().replace(",", "").replace("_", ""))
    if not isinstance(value, int) or value < 0:
        raise BadAnswer("a whole number, e.g. 300, 25k, 2B")
    return value


def _positive_int(raw: str) -> int:
    value = _count(raw)
    if value < 1:
        raise BadAnswer("a whole number of at least 1")
    return value


def _money(raw: str) -> float | None:
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


def _weeks(raw: str) -> float | None:
    value = _money(raw.replace("weeks", "").replace("week", ""))
    if value is not None and value <= 0:
        raise BadAnswer("more than 0 weeks, or 'none'")
    return value


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


def _ram(raw: str) -> float | None:
    if raw.strip().lower() in ("", "none", "unknown", "-"):
        return None
    return _memory(raw)


def _memory(raw: str) -> float:
    value = _money(raw.lower().replace("gb", ""))
    if value is None or value <= 0:
        raise BadAnswer("memory per card in GB, e.g. 24")
    return value


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


def defaults_from_spec(spec: Spec) -> Answers:
    """Answers an existing spec implies (for `ask --from`)."""
    c = spec.constraints
    gpus = c.hardware.gpus
    return {
        "name": spec.project.name,
        "task": spec.task.type,
        "languages": list(spec.task.languages),
        "scope": spec.task.scope,
        "domain_shift": spec.task.domain_shift,
        "labeled_examples": spec.data.labeled_examples,
        "unlabeled_tokens": spec.data.unlabeled_tokens,
        "proprietary": spec.data.knowledge.proprietary,
        "documents": spec.data.knowledge.documents,
        "update_frequency": spec.data.knowledge.update_frequency,
        "sensitive": [s for s in spec.data.sensitive if s != "none"],
        "behaviour_change": spec.needs.behaviour_change,
        "citations": spec.needs.citations,
        "explainability": spec.needs.explainability,
        "fairness_audit": spec.needs.fairness_audit,
        "budget_usd": c.budget_usd,
        "monthly_budget_usd": c.monthly_budget_usd,
        "timeline_weeks": c.timeline_weeks,
        "ml_engineers": c.team.ml_engineers,
        "experience": c.team.experience,
        "hardware": "gpu" if gpus else "cpu",
        **({"gpu_name": gpus[0].name, "gpu_count": gpus[0].count} if gpus else {}),
        **({"gpu_memory_gb": gpus[0].memory_gb} if gpus and gpus[0].memory_gb else {}),
        "cpu_ram_gb": c.hardware.cpu_ram_gb,
        "deployment": c.deployment,
        "data_residency": c.data_residency,
        "commercial_use": c.license.commercial_use,
        "license_deny": list(c.license.deny),
        "frameworks": list(c.frameworks),
    }


def next_question(answers: Answers, after: int = -1) -> int | None:
    """Index of the next question to ask after position `after`, skipping irrelevant ones."""
    for i in range(after + 1, len(QUESTIONS)):
        if not QUESTIONS[i].skip(answers):
            return i
    return None


def relevant(answers: Answers) -> list[int]:
    return [i for i, q in enumerate(QUESTIONS) if not q.skip(answers)]


def to_spec_dict(a: Answers, base: Spec | None = None) -> dict[str, Any]:
    """The spec the answers describe (fields the interview does not ask keep the base spec's values)."""
    out: dict[str, Any] = (
        base.model_dump(mode="json", exclude_none=True) if base else {"version": 1}
    )
    out["version"] = 1
    out.setdefault("project", {})["name"] = a["name"]
    task = out.setdefault("task", {})
    task.update(
        {
            "type": a["task"],
            "languages": a["languages"],
            "scope": a["scope"],
            "domain_shift": a["domain_shift"],
        }
    )
    data = out.setdefault("data", {})
    data.update(
        {
            "labeled_examples": a["labeled_examples"],
            "unlabeled_tokens": a["unlabeled_tokens"],
            "sensitive": a["sensitive"],
        }
    )
    knowledge = {"proprietary": bool(a.get("proprietary"))}
    if a.get("proprietary"):
        knowledge.update({"documents": a["documents"], "update_frequency": a["update_frequency"]})
    data["knowledge"] = knowledge
    needs = out.setdefault("needs", {})
    needs.update(
        {
            "behaviour_change": a["behaviour_change"],
            "citations": bool(a.get("citations", False)),
            "explainability": a["explainability"],
            "fairness_audit": a["fairness_audit"],
        }
    )
    c = out.setdefault("constraints", {})
    for key in ("budget_usd", "monthly_budget_usd", "timeline_weeks"):
        if a.get(key) is None:
            c.pop(key, None)
        else:
            c[key] = a[key]
    c["team"] = {"ml_engineers": a["ml_engineers"], "experience": a["experience"]}
    hardware: dict[str, Any] = {"gpus": []}
    if a["hardware"] == "gpu":
        gpu = {"name": a["gpu_name"], "count": a["gpu_count"]}
        if not a.get("_gpu_known") and a.get("gpu_memory_gb"):
            gpu["memory_gb"] = a["gpu_memory_gb"]
        hardware["gpus"] = [gpu]
    if a.get("cpu_ram_gb") is not None:
        hardware["cpu_ram_gb"] = a["cpu_ram_gb"]
    c["hardware"] = hardware
    c["deployment"] = a["deployment"]
    if a.get("data_residency"):
        c["data_residency"] = a["data_residency"]
    else:
        c.pop("data_residency", None)
    c["license"] = {
        **c.get("license", {}),
        "commercial_use": a["commercial_use"],
        "deny": a["license_deny"],
    }
    c["frameworks"] = a["frameworks"]
    return out


class Interview:
    """The questionnaire's state machine: the current question, the answers so far, going back.

    Front ends (the terminal driver in `fmadvisor ask`, replay from a file, tests) call `submit`
    or `accept` and `back`; the interview decides what comes next. It never prints or reads.
    """

    def __init__(
        self, defaults: Answers | None = None, gpu_known: Callable[[str], bool] = lambda name: False
    ) -> None:
        self.defaults: Answers = {q.id: q.default for q in QUESTIONS}
        self.defaults.update(defaults or {})
        self.answers: Answers = {}
        self.history: list[int] = []
        self._gpu_known = gpu_known
        self.index: int | None = next_question(self.answers)

    @property
    def done(self) -> bool:
        return self.index is None

    @property
    def question(self) -> Question:
        assert self.index is not None, "the interview is over"
        return QUESTIONS[self.index]

    def default(self) -> Any:
        """What Enter keeps: the answer given before (after going back), else the default."""
        q = self.question
        return self.answers.get(q.id, self.defaults.get(q.id))

    def progress(self) -> tuple[int, int]:
        """(this question's number, how many are left after it if the defaults are kept)."""
        assert self.index is not None
        assumed = {**self.defaults, **self.answers}
        if "_gpu_known" not in self.answers and assumed.get("gpu_name"):
            assumed["_gpu_known"] = self._gpu_known(str(assumed["gpu_name"]))
        left = [k for k in relevant(assumed) if k > self.index]
        return len(self.history) + 1, len(left)

    def submit(self, raw: str) -> None:
        """Answer the current question with typed text ('' keeps the default); BadAnswer if it does not parse."""
        self.accept(self.default() if raw.strip() == "" else self.question.parse(raw))

    def accept(self, value: Any) -> None:
        """Record a parsed answer and move to the next relevant question."""
        q = self.question
        self.answers[q.id] = value
        if q.id == "gpu_name":
            self.answers["_gpu_known"] = self._gpu_known(str(value))
        assert self.index is not None
        self.history.append(self.index)
        self.index = next_question(self.answers, self.index)

    def back(self) -> bool:
        """Return to the previous question; False when this is the first."""
        if not self.history:
            return False
        self.index = self.history.pop()
        return True

    def replay(self, given: Answers) -> None:
        """Answer every remaining question from `given` (question id -> answer), defaults elsewhere.
        A bad answer raises BadAnswer with the question id as `args[1]`."""
        while not self.done:
            q = self.question
            if q.id not in given:
                self.accept(self.default())
                continue
            raw = given[q.id]
            text = (
                ", ".join(map(str, raw))
                if isinstance(raw, list)
                else str(raw).lower()
                if isinstance(raw, bool)
                else str(raw)
            )
            try:
                self.accept(q.parse(text))
            except BadAnswer as exc:
                raise BadAnswer(str(exc), q.id) from None
