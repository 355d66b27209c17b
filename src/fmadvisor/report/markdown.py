"""Markdown (GitHub-flavoured): fits a pull-request comment or $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from typing import Any

from fmadvisor.report import RenderOptions
from fmadvisor.report.strategy_text import estimate_line, first_stage_line, headline, plan_lines
from fmadvisor.report.strategy_text import name as strategy_name
from fmadvisor.report.text import join_sentences, size


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(document: dict[str, Any], options: RenderOptions) -> str:
    lines: list[str] = []
    cat = document["catalog"]
    for r in document["results"]:
        lines += _result(r, options)
    for e in document["errors"]:
        lines += [
            f"**Error** `{e['spec']}:{e['line']}:{e['column']}` {_cell(e['field'])}: {_cell(e['message'])}",
            "",
        ]
    lines.append(
        f"_Catalog: {cat['source']} ({cat['models']} models, facts as of {cat['facts_as_of']}); "
        f"rules: {document['rules']['profile']} ({document['rules']['count']} rules); as of {document['as_of']}._"
    )
    return "\n".join(lines) + "\n"


def _result(r: dict[str, Any], options: RenderOptions) -> list[str]:
    """One spec: heading, unmet needs, the strategy, the models, their factors, blocked, notes."""
    sel = r["selection"]
    lines = [
        f"## {_cell(r['project'])} ({r['task']})",
        "",
        f"`{r['spec']}`: {sel['task_fit']} of {sel['catalog']} catalog models fit the task; "
        f"{sel['eligible']} eligible, {sel['blocked']} blocked.",
        "",
    ]
    lines += [f"> **{_cell(n)}**\n" for n in r["notes"] if n.startswith("unmet need")]
    if r.get("strategy"):
        lines += _strategy(r["strategy"])
    lines += _models(r["models"])
    for m in r["models"][: options.detail]:
        lines += [
            f"### {m['rank']}. `{m['id']}`: {m['score']:.3f}",
            "",
            "| factor | score | weight | reasons |",
            "|---|---:|---:|---|",
        ]
        for name, f in m["factors"].items():
            lines.append(
                f"| {name} | {f['score']:.2f} | {f['weight']:.2f} | {_cell(join_sentences(f['reasons']))} |"
            )
        lines.append("")
    if r["blocked"]:
        lines += _blocked(r["blocked"], sel["blocked"], options.show_blocked)
    for note in r["notes"]:
        if not note.startswith("unmet need"):
            lines += [f"> Note: {_cell(note)}", ""]
    return lines


def _strategy(strategy: dict[str, Any]) -> list[str]:
    top = strategy["ranking"][0]
    lines = [
        f"**Recommended: {_cell(headline(strategy))}**",
        "",
        f"Estimate: {_cell(estimate_line(top))}",
        "",
    ]
    first = first_stage_line(strategy)
    if first:
        lines += [_cell(first[0].upper() + first[1:]), ""]
    lines += [f"- {_cell(reason)}" for reason in top["reasons"]]
    lines += ["", "<details><summary>Plan</summary>", ""] + [
        f"- {_cell(line)}" for line in plan_lines(top)
    ]
    lines += ["", "</details>", "", "| strategy | score | estimate |", "|---|---:|---|"]
    lines += [
        f"| {strategy_name(e)} | {e['score']:.3f} | {_cell(estimate_line(e))} |"
        for e in strategy["ranking"]
    ]
    lines += [
        f"| {strategy_name(n['id'])} | not applicable | {_cell(n['reason'])} |"
        for n in strategy.get("not_applicable", [])
    ]
    lines.append("")
    return lines


def _models(models: list[dict[str, Any]]) -> list[str]:
    if not models:
        return ["No eligible model.", ""]
    lines = [
        "| # | model | score | confidence | size | license |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for m in models:
        lines.append(
            f"| {m['rank']} | `{m['id']}` | {m['score']:.3f} | {m['confidence']:.0%} | "
            f"{size(m['params'], 'params_basis' in m)} | {_cell(m['license'] or 'unknown')} |"
        )
    lines.append("")
    return lines


def _blocked(blocked: list[dict[str, Any]], count: int, show_all: bool) -> list[str]:
    shown = blocked if show_all else blocked[:5]
    lines = ["<details><summary>Blocked models</summary>", ""]
    for b in shown:
        why = join_sentences([f"{x['rule']}: {x['message']}" for x in b["blocked_by"]])
        lines.append(f"- `{b['id']}`: {_cell(why)}")
    if len(shown) < count:
        lines.append(f"- ... and {count - len(shown)} more (`--show-blocked` lists them all)")
    lines += ["", "</details>", ""]
    return lines
