"""Each closed vocabulary is defined once, in rules/tables/vocabulary.yaml (read by fmadvisor.vocab).

The test reads every Python module and fails where a collection literal (tuple, list, set, dict
keys) names two or more members of one vocabulary: that is a second definition of the set, which
is how the copies drifted apart before (three "generative" task sets with different members).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fmadvisor import vocab

SRC = Path(__file__).resolve().parent.parent / "src" / "fmadvisor"
VOCABULARIES = {
    "strategies": set(vocab.STRATEGIES),
    "fine-tuning methods": set(vocab.METHODS),
    "severities": set(vocab.SEVERITIES)
    - {"low", "medium", "high"},  # also ordinary words (team experience, domain shift)
    **{f"task group {g}": set(tags) for g, tags in vocab.TASK_GROUPS.items()},
}


def _collections(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            yield node, node.elts, False
        elif isinstance(node, ast.Dict):
            yield node, [k for k in node.keys if k is not None], True


def _strings(elts) -> set[str]:
    return {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}


def find_copies(text: str, name: str) -> list[str]:
    out = []
    for node, elts, is_dict in _collections(ast.parse(text)):
        words = _strings(elts)
        for vocab_name, members in VOCABULARIES.items():
            shared = words & members
            # A task group is copied when a collection of 3+ tags holds only that group's members
            # (tables of all tags, or of what serves one task, mention tags without defining a group).
            # (dict keys: a task's fit table lists the tags that serve it, which is not a group).
            group = vocab_name.startswith("task group")
            if (
                (len(shared) >= 3 and shared == words and not is_dict)
                if group
                else len(shared) >= 2
            ):
                out.append(
                    f"{name}:{node.lineno}: {vocab_name} written out again: {sorted(shared)}"
                )
    return out


@pytest.mark.parametrize(
    "path", sorted(p for p in SRC.rglob("*.py") if p.name != "vocab.py"), ids=lambda p: p.name
)
def test_no_module_redefines_a_vocabulary(path):
    assert find_copies(path.read_text(encoding="utf-8"), str(path.relative_to(SRC))) == []


def test_the_check_catches_a_copy():
    copy = 'GENERATIVE = frozenset({"text-generation", "summarization", "translation"})\nMETHODS = ("lora", "full")\n'
    found = find_copies(copy, "planted.py")
    assert any("task group generative_text" in f for f in found) and any(
        "fine-tuning methods" in f for f in found
    )


def test_vocabularies_agree_with_the_rule_base():
    from fmadvisor.rules import load_rulebase

    rb = load_rulebase()
    assert set(rb.tables.strategies) == set(
        vocab.STRATEGIES
    )  # every strategy has a plan, and no plan lacks a strategy
    assert {r.severity for r in rb.rules} <= set(vocab.SEVERITIES)
    assert {
        "small_model_b",
        "cpu_trainable_b",
        "many_shot_examples",
        "many_shot_context_tokens",
    } <= set(rb.tables.thresholds)


def test_types_derive_from_the_registry():
    from typing import get_args

    from fmadvisor.schemas import report_schema
    from fmadvisor.spec import Approach

    assert get_args(Approach) == vocab.STRATEGIES
    report = report_schema()["$defs"]["NotApplicableOut"]["properties"]["id"]
    assert tuple(report["enum"]) == vocab.STRATEGIES
