"""Terminal tables (rich): ranked models with score bars, then per-factor bars for the top models."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fmadvisor.report import RenderOptions
from fmadvisor.report.strategy_text import estimate_line, first_stage_line, headline, plan_lines
from fmadvisor.report.strategy_text import name as strategy_name
from fmadvisor.report.text import bar, join_sentences, size


@dataclass(frozen=True)
class Column:
    """A column of a terminal listing. `drop`: 0 never, otherwise dropped when the terminal is too
    narrow, highest first. `shrink`: the narrowest it may be cut to with '…' (0: never cut)."""

    name: str
    justify: str = "left"
    drop: int = 0
    shrink: int = 0


_GAP = 3  # " │ " between columns (no outer edge)


def _cell_width(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else Text(str(cell)).cell_len


def fitted_table(
    columns: list[Column], rows: list[list[Any]], width: int, *, wide: bool = False, **kw: Any
) -> Table:
    """A table whose rows are one line each, as `gh` and `hf` print listings: at `width`, the
    least useful columns are dropped until the rest fit with the shrinkable ones cut to their
    minimum, then those are cut with '…' only as far as needed, the first column (the id) last.
    With `wide`, nothing is dropped or cut (print it at `table_width`)."""
    natural = [
        max([len(c.name), *(_cell_width(row[k]) for row in rows)]) for k, c in enumerate(columns)
    ]
    floor = [min(n, c.shrink) if c.shrink else n for n, c in zip(natural, columns, strict=True)]
    keep = list(range(len(columns)))

    def need(sizes: list[int]) -> int:
        return sum(sizes[k] for k in keep) + _GAP * (len(keep) - 1)

    for k in sorted((k for k in keep if columns[k].drop), key=lambda k: -columns[k].drop):
        if wide or need(floor) <= width:
            break
        keep.remove(k)
    limits = list(natural)
    excess = 0 if wide else need(natural) - width
    # the widest cells are cut first, the first column (the id the row names) last
    for k in sorted(keep, key=lambda k: (k == 0, -natural[k])):
        cut = min(max(excess, 0), natural[k] - floor[k])
        limits[k] -= cut
        excess -= cut
    table = Table(show_edge=False, pad_edge=False, expand=False, **kw)
    for k in keep:
        table.add_column(
            columns[k].name,
            justify=columns[k].justify,  # type: ignore[arg-type]
            no_wrap=True,
            overflow="ellipsis",
            max_width=limits[k],
        )
    for row in rows:
        table.add_row(*(row[k] for k in keep))
    return table


def table_width(table: Table) -> int:
    """The width `table` needs to print every row on one line."""
    console = Console(width=10_000, file=io.StringIO(), legacy_windows=False)
    return console.measure(table).maximum


def _score_style(score: float) -> str:
    return "green" if score >= 0.85 else "yellow" if score >= 0.65 else "red"


def render_table(document: dict[str, Any], options: RenderOptions) -> str:
    tables = [_models_table(r, options) for r in document["results"]]
    width = options.width
    if options.wide:
        width = max([width, *(table_width(t) for t in tables if t is not None)])
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        legacy_windows=False,
    )
    for r, table in zip(document["results"], tables, strict=True):
        sel = r["selection"]
        console.print(Text(f"{r['project']}  ({r['task']})", style="bold"))
        console.print(
            f"{r['spec']}: {sel['task_fit']} of {sel['catalog']} catalog models fit the task; "
            f"{sel['eligible']} eligible, {sel['blocked']} blocked",
            style="dim",
        )
        for note in r["notes"]:
            if note.startswith("unmet need"):  # said first: the rest of the report stands on it
                console.print(Text(note, style="bold red"))
        if r.get("strategy"):
            console.print(_strategy_panel(r["strategy"], width))
        console.print(table if table is not None else Text("No eligible model.", style="red"))
        for m in r["models"][: options.detail]:
            console.print(_factor_panel(m))
        _print_blocked(console, r, options)
        for note in r["notes"]:
            if not note.startswith("unmet need"):
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


def _reason_style(reason: str) -> str:
    if reason.startswith("against"):
        return "red"
    return "yellow" if reason.startswith("unknown") else "green"


def _strategy_panel(strategy: dict[str, Any], width: int) -> Panel:
    """The recommendation; the title is never cut: a stack that does not fit goes in the body."""
    top = strategy["ranking"][0]
    title = f"recommended: {headline(strategy)}"
    body = []
    if len(title) > width - 6 and strategy["stack"]:
        title = f"recommended: {headline({**strategy, 'stack': None})}"
        stack = strategy["stack"]
        body += [Text(f"generator: {stack['generator']}"), Text(f"embedding: {stack['embedding']}")]
    body.append(Text(f"estimate: {estimate_line(top)}"))
    first = first_stage_line(strategy)
    if first:
        body.append(Text(first))
    body += [Text(reason, style=_reason_style(reason)) for reason in top["reasons"]]
    body += [Text(line, style="dim") for line in plan_lines(top)]
    others = ", ".join(f"{strategy_name(e)} {e['score']:.2f}" for e in strategy["ranking"][1:])
    body.append(Text(f"then: {others}", style="dim"))
    if strategy.get("not_applicable"):
        names = ", ".join(strategy_name(n["id"]) for n in strategy["not_applicable"])
        body.append(
            Text(
                f"not applicable: {names} ({strategy['not_applicable'][0]['reason']})", style="dim"
            )
        )
    return Panel(Group(*body), title=title, title_align="left")


def _models_table(r: dict[str, Any], options: RenderOptions) -> Table | None:
    """Ranked models, one line each: below 100 columns the score bar goes, then the confidence."""
    if not r["models"]:
        return None
    with_bar = options.wide or options.width >= 100
    columns = [
        Column("#", justify="right"),
        Column("model", shrink=32),
        Column("score", drop=0),
        Column("conf.", justify="right", drop=2),
        Column("size", justify="right", drop=1),
        Column("license", shrink=10),
    ]
    rows = []
    for m in r["models"]:
        score = f"{bar(m['score'], 8)} {m['score']:.3f}" if with_bar else f"{m['score']:.3f}"
        rows.append(
            [
                str(m["rank"]),
                m["id"],
                Text(score, style=_score_style(m["score"])),
                f"{m['confidence']:.0%}",
                size(m["params"], "params_basis" in m),
                m["license"] or "unknown",
            ]
        )
    return fitted_table(columns, rows, options.width, wide=options.wide)


def _factor_panel(m: dict[str, Any]) -> Panel:
    ft = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    ft.add_column("factor", no_wrap=True)
    ft.add_column("bar", no_wrap=True)
    ft.add_column("why", overflow="fold")
    for name, f in m["factors"].items():
        conf = "" if f["confidence"] >= 1 else f" ({f['confidence']:.0%} known)"
        ft.add_row(
            name,
            Text(f"{bar(f['score'], 10)} {f['score']:.2f}", style=_score_style(f["score"])),
            join_sentences(f["reasons"]) + conf,
        )
    return Panel(Group(ft), title=f"{m['rank']}. {m['id']}  {m['score']:.3f}", title_align="left")


def _print_blocked(console: Console, r: dict[str, Any], options: RenderOptions) -> None:
    sel = r["selection"]
    if not sel["blocked"]:
        return
    if options.show_blocked and r["blocked"]:
        bt = Table(show_edge=False, pad_edge=False, title="blocked", title_justify="left")
        bt.add_column(  # an id is never wrapped over lines: cut with '…' on narrow terminals
            "model",
            no_wrap=True,
            overflow="ellipsis",
            max_width=None if options.wide else max(24, options.width // 2 - 4),
        )
        bt.add_column("blocked by", overflow="fold")
        for b in r["blocked"]:
            bt.add_row(
                b["id"],
                join_sentences([f"{x['rule']}: {x['message']}" for x in b["blocked_by"]]),
            )
        console.print(bt)
    else:
        console.print(
            f"{sel['blocked']} blocked model(s); --show-blocked lists them with the rules that blocked them.",
            style="dim",
        )
