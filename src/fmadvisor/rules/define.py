"""One rule of a rule file, checked and compiled into a Rule: a new id, the parts its kind needs,
conditions that parse and read only what the rule's target may read, and messages whose
placeholders are known fields. Every error names the place in the file."""

from __future__ import annotations

from typing import Any

from fmadvisor.errors import RuleError
from fmadvisor.rules import Rule
from fmadvisor.rules.conditions import All, ConditionError, fields_of, parse
from fmadvisor.rules.template import check as check_template
from fmadvisor.yamlsource import SourceMap


def define_rule(
    r: Any,
    path: tuple[str | int, ...],
    file: str,
    smap: SourceMap,
    existing: dict[str, Rule],
    known: Any,
) -> Rule:
    """One rule of a file, checked: a new id, the kind's parts, conditions that parse and read only
    what the rule's target may read, messages whose placeholders are known fields."""
    loc = smap.locate(path)
    _check_id_and_kind(r, path, smap, existing, loc)
    applies, when = (_condition(r, key, path, smap) for key in ("applies", "when"))
    condition = (
        All((applies, when)) if applies is not None and when is not None else (when or applies)
    )
    for key in ("message", "pass_message", "unknown_message", "remediation"):
        text = getattr(r, key)
        problem = check_template(text, known) if text else None
        if problem:
            raise RuleError(problem, smap.locate((*path, key)))
    adjust = r.adjust or 0.0
    default_unknown = (min(adjust, 0.0) / 2) if r.kind == "score" else -0.3
    return Rule(
        id=r.id,
        target=r.target,
        factor=r.factor,
        kind=r.kind,
        severity=r.severity,
        condition=condition,
        applies=applies,
        adjust=adjust,
        unknown_adjust=r.unknown_adjust if r.unknown_adjust is not None else default_unknown,
        on_unknown=r.on_unknown,
        unknown_severity=r.unknown_severity,
        message=r.message,
        pass_message=r.pass_message,
        unknown_message=r.unknown_message,
        remediation=r.remediation,
        rationale=r.rationale,
        references=tuple(r.references),
        fields=tuple(fields_of(condition)) if condition else (),
        file=file,
        line=loc.line,
        declared_strategies=(
            tuple(r.declared_strategies) if r.declared_strategies is not None else None
        ),
        subsumes=tuple(r.subsumes),
    )


def _check_id_and_kind(
    r: Any, path: tuple[str | int, ...], smap: SourceMap, existing: dict[str, Rule], loc: Any
) -> None:
    """A new id, and the parts its kind needs: a score rule adjusts, a requirement blocks."""
    if r.id in existing:
        raise RuleError(
            f"rule id '{r.id}' is already defined in {existing[r.id].file}; "
            "to change it, disable it and add a rule with a new id",
            smap.locate((*path, "id")),
        )
    if r.kind == "score" and r.adjust is None:
        raise RuleError("a score rule needs 'adjust'", loc)
    if r.kind == "requirement" and r.adjust is not None:
        raise RuleError(
            "a requirement blocks; it takes no 'adjust' (use 'unknown_adjust' for undecided checks)",
            smap.locate((*path, "adjust")),
        )


def _condition(r: Any, key: str, path: tuple[str | int, ...], smap: SourceMap) -> Any:
    """A rule's `applies` or `when`, parsed, reading only the fields its target may read."""
    raw = getattr(r, key)
    if raw is None:
        return None
    try:
        node = parse(raw)
    except ConditionError as exc:
        raise RuleError(str(exc), smap.locate((*path, key, *exc.path))) from None
    allowed = ("spec.", "model.", "fit.") if r.target == "model" else ("spec.", "strategy.")
    for name in fields_of(node):
        if not name.startswith(allowed):
            raise RuleError(
                f"a {r.target} rule cannot read '{name}' (it may read {', '.join(a + '*' for a in allowed)})",
                smap.locate((*path, key)),
            )
    return node
