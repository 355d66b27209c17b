"""`ask`: the terminal questionnaire. Drives interview.py, then shows what `score` would say.

Plain line prompts through rich (not arrow-key widgets): they work in any terminal, over SSH, in a
pseudo-terminal under test, with NO_COLOR and narrow widths, and they can be replayed from a file.
"""

from __future__ import annotations

import os
import sys

from pathlib import Path
from typing import Annotated, Any

import typer

from fmadvisor.cli._app import app
from fmadvisor.cli._errors import guarded
from fmadvisor.cli._options import (
    AsOfOpt,
    CatalogOpt,
    ProfileOpt,
    DEFAULT_TOP,
    RulesOpt,
    StrictOpt,
    TopOpt,
    as_of_date,
    checked_spec,
    load_catalog,
    load_rules,
)
from fmadvisor.errors import InputError, Location

HEADER = (
    "# Written by `fmadvisor ask`. Edit freely; `fmadvisor score` and `fmadvisor check` read it.\n"
)


@app.command()
@guarded
def ask(
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Write the resulting spec here (asks before overwriting).",
            show_default=False,
        ),
    ] = None,
    from_spec: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Start from an existing spec's answers as defaults.", show_default=False
        ),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Replay answers from a YAML file (question id: answer) without prompting.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --save's file without asking.")
    ] = False,
    list_questions: Annotated[
        bool,
        typer.Option(
            "--list-questions",
            help="List the question ids (for --answers) with what each expects, and exit.",
        ),
    ] = False,
    top: TopOpt = DEFAULT_TOP,
    rules: RulesOpt = None,
    profile: ProfileOpt = None,
    catalog: CatalogOpt = "embedded",
    as_of: AsOfOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Interview in the terminal about the project; end with the recommendation and a spec to keep."""
    import yaml
    from rich.console import Console

    from fmadvisor.interview import Interview, defaults_from_spec, to_spec_dict
    from fmadvisor.spec import load_spec, parse_spec

    if list_questions:
        _list_questions()
        return
    interactive = answers_file is None
    if interactive and not sys.stdin.isatty():
        raise InputError(
            "fmadvisor ask needs a terminal; in scripts, replay answers with --answers FILE, "
            "or write a spec (fmadvisor init) and run fmadvisor score"
        )
    rulebase = load_rules(rules, profile)
    cat = load_catalog(catalog)
    date = as_of_date(as_of)
    base = load_spec(from_spec, fast=False) if from_spec else None  # answers start from its dump
    defaults: dict[str, Any] = defaults_from_spec(base.spec) if base is not None else {}
    console = Console(highlight=False)
    interview = Interview(defaults, gpu_known=lambda name: rulebase.tables.gpu(name) is not None)
    if answers_file is not None:
        _replay(answers_file, interview)
    else:
        _converse(console, interview)
    text = HEADER + yaml.safe_dump(
        to_spec_dict(interview.answers, base.spec if base else None),
        sort_keys=False,
        allow_unicode=True,
    )
    # the saved spec must load exactly as `score` will read it
    loaded = checked_spec(parse_spec(text, str(save or "answers")), rulebase, strict)
    _show(console, loaded, cat, rulebase, date, top)
    _save(console, save, text, interactive=interactive, force=force)


def _replay(answers_file: Path, interview: Any) -> None:
    """Answer from a YAML file of question id -> answer; every problem located in that file."""
    from fmadvisor.interview import BY_ID, BadAnswer
    from fmadvisor.yamlsource import load_file

    doc = load_file(answers_file, kind="answers file")
    if not isinstance(doc.data, dict):
        raise InputError(
            "an answers file is a mapping of question id to answer",
            Location(str(answers_file), 1, 1),
        )
    for key in doc.data:
        if key not in BY_ID:
            raise InputError(
                f"unknown question '{key}'; questions: {', '.join(BY_ID)} "
                "(fmadvisor ask --list-questions says what each expects)",
                doc.source.locate((key,), prefer_key=True),
            )
    try:
        interview.replay(doc.data)
    except BadAnswer as exc:
        raise InputError(str(exc.args[0]), doc.source.locate((exc.args[1],))) from None


def _converse(console: Any, interview: Any) -> None:
    """Ask each question in the terminal until the interview is done."""
    from rich.markup import escape

    from fmadvisor.interview import BadAnswer

    say = console.print
    say(
        "[bold]fmadvisor ask[/bold]: a few questions about your project. Enter keeps the "
        + escape("[default]")
        + "; '<' goes back; Ctrl-C or Ctrl-D quits without saving.\n"
    )
    while not interview.done:
        q = interview.question
        position, left = interview.progress()
        say(f"[bold]{escape(f'[{position}, about {left} left]')} {escape(q.text)}[/bold]")
        say(f"  [dim]{escape(q.why)}[/dim]")
        if q.choices:
            say(f"  [dim]choices: {escape(', '.join(q.choices))}[/dim]")
        raw = _read(console, escape(f"  [{q.show(interview.default())}] > "))  # literal, not markup
        if raw.strip() in ("<", "back"):
            say("" if interview.back() else "  (this is the first question)")
            continue
        try:
            interview.submit(raw)
        except BadAnswer as exc:
            say(f"  [red]not understood: {escape(str(exc))}; try again[/red]")
            continue
        say("")


def _save(console: Any, target: Path | None, text: str, *, interactive: bool, force: bool) -> None:
    """Write the spec where asked (asking for a path, and before overwriting, in a terminal)."""
    from rich.markup import escape

    from fmadvisor.fileio import atomic_write_text

    if target is None and interactive:
        reply = _read(console, "Save this spec? Path, or Enter to skip: ").strip()
        target = Path(reply) if reply else None
    if target is None:
        return
    if target.exists() and not force:
        if not interactive:
            raise InputError("file exists; pass --force to overwrite it", Location(str(target)))
        reply = _read(console, escape(f"{target} exists. Overwrite? [y/N] "))
        if reply.strip().lower() not in ("y", "yes"):
            console.print("not saved")
            return
    atomic_write_text(target, text)
    console.print(f"saved {target}; next: fmadvisor score {target}")


def _read(console: Any, prompt: str) -> str:
    """A line from the terminal; Ctrl-D (end of input) quits like Ctrl-C, nothing saved."""
    console.print(prompt, end="")
    console.file.flush()
    if os.name == "posix" and sys.stdin.isatty():
        line = _read_tty_line()
    else:
        try:
            return input()
        except EOFError:
            raise KeyboardInterrupt from None
    if not line:
        raise KeyboardInterrupt
    return line.rstrip("\n")


def _read_tty_line() -> str:
    """One line from a terminal, waiting in short slices so that a Ctrl-C is acted on at once.

    input() blocks in the C library; a Ctrl-C that lands between the prompt being shown and that
    call starting was held until the next key (one press in about ten went unanswered). Waiting
    with select() in slices returns to Python often enough to raise KeyboardInterrupt right away;
    the terminal still edits the line (backspace, Ctrl-U) as it is typed."""
    import select

    while True:
        ready, _, _ = select.select([sys.stdin], [], [], 0.1)
        if ready:
            return sys.stdin.readline()


def _list_questions() -> None:
    from fmadvisor.interview import QUESTIONS, plain

    typer.echo("id                   expects (default)")
    for q in QUESTIONS:
        typer.echo(f"{q.id:<20} {q.kind} (default: {plain(q.default)})")


def _show(console: Any, loaded: Any, cat: Any, rulebase: Any, date: Any, top: int) -> None:
    """The recommendation, exactly as `score` renders it."""
    from fmadvisor.cli._options import use_color
    from fmadvisor.report import Format, RenderOptions, build_score_report, render
    from fmadvisor.advise import advise
    from fmadvisor.catalog import staleness
    from fmadvisor.cli._errors import say
    from fmadvisor.report.document import result_entry

    notes = [n for n in [staleness(cat, date)] if n]
    for note in notes:
        say(f"note: {note}")
    advice = advise(
        loaded.spec,
        cat.candidates,
        rulebase,
        as_of=date,
        lookup=cat.get,
        top=top or None,
        blocked_top=0,
    )
    document = build_score_report(
        [result_entry(loaded, advice.ranking, advice.recommendation)],
        [],
        catalog=cat,
        rulebase=rulebase,
        as_of=date,
        notes=notes,
    )
    text = render(
        document, Format.table, RenderOptions(color=use_color(), width=console.width, detail=2)
    )
    console.file.write(text)  # already laid out for this width: no second wrapping
    console.file.flush()
