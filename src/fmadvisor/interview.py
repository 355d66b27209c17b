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
from typing import Any, TYPE_CHECKING

from fmadvisor import tasks
from fmadvisor.questions import (  # noqa: F401  (re-exported: the questionnaire's public names)
    BY_ID,
    QUESTIONS,
    Answers,
    BadAnswer,
    Question,
    plain,
)

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


def defaults_from_spec(spec: Spec) -> Answers:
    """Answers an existing spec implies (for `ask --from`)."""
    c = spec.constraints
    gpus = c.hardware.gpus
    return {
        "name": spec.project.name,
        "task": spec.task.type,
        "languages": list(spec.task.languages),
        "target_languages": list(spec.task.target_languages),
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
    # asked for translation only (checked against the languages then); another task states none
    targets = a.get("target_languages") if tasks.resolve(a["task"]) == "translation" else None
    if targets:
        task["target_languages"] = targets
    else:
        task.pop("target_languages", None)
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
    _constraints(a, out.setdefault("constraints", {}))
    return out


def _constraints(a: Answers, c: dict[str, Any]) -> None:
    """The constraints section from the answers (budget, team, hardware, deployment, license)."""
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
        q.check(self.answers, value)
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
            try:
                self.accept(q.parse(_as_text(given[q.id])) if q.id in given else self.default())
            except BadAnswer as exc:
                raise BadAnswer(str(exc), q.id) from None


def _as_text(raw: Any) -> str:
    """An answers file's value as the text a person would type."""
    if isinstance(raw, list):
        return ", ".join(map(str, raw))
    return str(raw).lower() if isinstance(raw, bool) else str(raw)
