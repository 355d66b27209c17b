"""The smallest sensible generator size (spec.min_size_b): demands on one answer add up."""

from __future__ import annotations

import datetime as dt

import pytest

from fmadvisor.rules import load_rulebase
from fmadvisor.rules.cases import merge
from fmadvisor.rules.env import Env
from fmadvisor.spec import Spec

BASE = {
    "version": 1,
    "project": {"name": "t", "description": "answer customer questions"},
    "task": {"type": "chatbot", "scope": "narrow"},
    "data": {"labeled_examples": 1000},
    "constraints": {"hardware": {"gpus": [{"name": "A100-80GB", "count": 1}]}},
}


def need(**parts):
    spec = Spec.model_validate(merge(BASE, parts))
    env = Env(spec, load_rulebase().tables, dt.date(2026, 12, 1))
    return env.min_size_b, env.min_size_reason


@pytest.mark.parametrize(
    ("parts", "size"),
    [
        ({}, 2),
        ({"needs": {"citations": True}}, 3),
        ({"needs": {"citations": True}, "task": {"subtasks": 2}}, 7),
        ({"needs": {"citations": True}, "task": {"subtasks": 2, "scope": "broad"}}, 7),
        (
            {
                "needs": {"citations": True, "context_tokens": 100000},
                "task": {"subtasks": 2, "scope": "broad"},
            },
            14,
        ),
        # languages are coverage: they raise the size but add no load
        ({"needs": {"citations": True}, "task": {"languages": ["en", "nl", "de"]}}, 3),
    ],
)
def test_demands_add_up(parts, size):
    assert need(**parts)[0] == size


def test_a_job_without_labeled_examples_needs_a_broad_jobs_size():
    """With no labeled example there is nothing to fine-tune on, nor to show in a prompt: the
    model does the job from its instructions alone, which takes what an open-ended job takes. It
    is a need of its own, like languages: it raises the size but adds no load."""
    size, why = need(data={"labeled_examples": 0})
    assert (size, why) == (7, "no labeled examples")
    size, why = need(data={"labeled_examples": 0}, needs={"citations": True})
    assert (size, why) == (7, "answers with citations, no labeled examples")
    size, why = need(
        data={"labeled_examples": 0}, constraints={"hardware": {"gpus": [], "cpu_ram_gb": 32}}
    )
    assert (size, why) == (3, "no labeled examples, capped for CPU or edge hardware")


def test_two_demands_say_so():
    size, why = need(needs={"citations": True}, task={"subtasks": 2})
    assert size == 7
    assert why == "answers with citations, 2 subtasks, 2 of these at once"


def test_cpu_caps_the_need():
    size, why = need(
        needs={"citations": True},
        task={"subtasks": 2},
        constraints={"hardware": {"gpus": [], "cpu_ram_gb": 32}},
    )
    assert size == 3
    assert why.endswith("capped for CPU or edge hardware")


def test_cheapest_halves_after_the_hardware_cap():
    # a broad job asks for 7B; a CPU caps it at 3B; the cheapest sensible model there is half that
    size, why = need(
        task={"scope": "broad"},
        needs={"quality": "cheapest"},
        constraints={"hardware": {"gpus": [], "cpu_ram_gb": 8}},
    )
    assert size == 1.5
    assert why == "open-ended scope, capped for CPU or edge hardware, needs.quality: cheapest"


def test_predicting_the_next_word_needs_a_small_model_and_no_instructions():
    """A keyboard's or AAC tool's next-word or next-character prediction reads a small language
    model's probabilities: no labeled example does not make it an instruction job, and no
    editor-completion wording of a code spec is taken for it."""
    typing = {"project": {"description": "next-word suggestions for a phone keyboard"}}
    assert need(**typing, data={"labeled_examples": 0}) == (0.1, "next-word prediction")
    assert need(project={"description": "character prediction for AAC users"})[0] == 0.1
    assert need(data={"labeled_examples": 0})[0] == 7  # a chatbot with no examples: instructions
    code = {"task": {"type": "code-completion"}, "project": {"description": "next-word completion"}}
    assert need(**code)[0] > 0.1
