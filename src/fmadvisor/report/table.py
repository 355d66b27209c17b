"""Terminal tables (rich): ranked models with score bars, then per-factor bars for the top models."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fmadvisor.report import RenderOptions
from fmadvisor.report.strategy_text import estimate_line, headline, plan_lines
from fmadvisor.report.strategy_text import name as strategy_name
from fmadvisor.report.text import bar, size


def _score_style(score: float) -> str:
    return "green" if score >= 0.85 else "yellow" if score >= 0.65 else "red"


def render_table(document: dict[str, Any], options: RenderOptions) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        legacy_windows=False,
    )
    for r in document["results"]:
        sel = r["selection"]
        console.print(Text(f"{r['project']}  ({r['task']})", style="bold"))
        console.print(
            f"{r['spec']}: {sel['task_fit']} of {sel['catalog']} catalog models fit the task; "
            f"{sel['eligible']} eligible, {sel['blocked']} blocked",
            style="dim",
        )
        strategy = r.get("strategy")
        if strategy:
            top = strategy["ranking"][0]
            body = [Text(f"estimate: {estimate_line(top)}")]
            body += [
                Text(
                    reason,
                    style="red"
                    if reason.startswith("against")
                    else "yellow"
                    if reason.startswith("unknown")
                    else "green",
                )
                for reason in top["reasons"]
            ]
            body += [Text(line, style="dim") for line in plan_lines(top)]
            others = ", ".join(
                f"{strategy_name(e)} {e['score']:.2f}" for e in strategy["ranking"][1:]
            )
            body.append(Text(f"then: {others}", style="dim"))
            console.print(
                Panel(Group(*body), title=f"recommended: {headline(strategy)}", title_align="left")
            )
        if r["models"]:
            t = Table(show_edge=False, pad_edge=False, expand=False)
            t.add_column("#", justify="right")
            t.add_column("model", overflow="fold")
            t.add_column("score", no_wrap=True)
            t.add_column("conf.", justify="right")
            t.add_column("size", justify="right")
            t.add_column("license", overflow="fold")
            for m in r["models"]:
                t.add_row(
                    str(m["rank"]),
                    m["id"],
                    Text(f"{bar(m['score'], 8)} {m['score']:.3f}", style=_score_style(m["score"])),
                    f"{m['confidence']:.0%}",
                    size(m["params"]),
                    m["license"] or "unknown",
                )
            console.print(t)
        else:
            console.print("No eligible model.", style="red")
        for m in r["models"][: options.detail]:
            ft = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
            ft.add_column("factor", no_wrap=True)
            ft.add_column("bar", no_wrap=True)
            ft.add_column("why", overflow="fold")
            for name, f in m["factors"].items():
                conf = "" if f["confidence"] >= 1 else f" ({f['confidence']:.0%} known)"
                ft.add_row(
                    name,
                    Text(f"{bar(f['score'], 10)} {f['score']:.2f}", style=_score_style(f["score"])),
                    "; ".join(f["reasons"]) + conf,
                )
            console.print(
                Panel(
                    Group(ft), title=f"{m['rank']}. {m['id']}  {m['score']:.3f}", title_align="left"
                )
            )
        if sel["blocked"]:
            if options.show_blocked and r["blocked"]:
                bt = Table(show_edge=False, pad_edge=False, title="blocked", title_justify="left")
                bt.add_column("model", overflow="fold")
                bt.add_column("blocked by", overflow="fold")
                for b in r["blocked"]:
                    bt.add_row(
                        b["id"], "; ".join(f"{x['rule']}: {x['message']}" for x in b["blocked_by"])
                    )
                console.print(bt)
            else:
                console.print(
                    f"{sel['blocked']} blocked model(s); --show-blocked lists them with the rules that blocked them.",
                    style="dim",
                )
        for note in r["notes"]:
            console.print(f"note: {note}", style="yellow")
        console.print()
    for e in document["errors"]:
        console.print(
            f"error: {e['spec']}:{e['line']}:{e['column']}: {e['field']}: {e['message']}",
            style="red",
        )
    cat = document["catalog"]
    console.print(
        f"catalog: {cat['source']} ({cat['models']} models, facts as of {cat['facts_as_of']}); "
        f"rules: {document['rules']['profile']} ({document['rules']['count']}); as of {document['as_of']}",
        style="dim",
    )
    return buf.getvalue()
