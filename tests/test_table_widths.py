"""Terminal tables at 80 and 200 columns: one line per row, ids never wrapped (cut with '…' when
narrow, whole with --wide or on a wide terminal), no line longer than the terminal."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from conftest import EXAMPLES

SPEC = str(EXAMPLES / "support-assistant.yaml")


def _rows_with(text: str, ids: list[str]) -> dict[str, str]:
    """Each id -> the one line that shows it (whole, or its start cut with '…')."""
    out = {}
    for model_id in ids:
        for line in text.splitlines():
            cells = [c.strip() for c in line.replace("┃", "│").split("│")]
            hit = [
                c
                for c in cells
                if c == model_id or (c.endswith("…") and model_id.startswith(c[:-1]))
            ]
            if hit:
                out[model_id] = hit[0]
                break
    return out


def _check(text: str, ids: list[str], width: int, *, whole: bool) -> None:
    assert max(cell_len(line) for line in text.splitlines()) <= width
    shown = _rows_with(text, ids)
    assert set(shown) == set(ids), set(ids) - set(shown)  # every id on one line
    if whole:
        assert all(shown[i] == i for i in ids)
    return shown


@pytest.fixture(scope="module")
def document():
    from typer.testing import CliRunner

    from fmadvisor.cli import app

    args = ["score", str(EXAMPLES / "cpu-sentiment.yaml"), "-f", "json", "--as-of", "2026-11-22"]
    document = json.loads(CliRunner().invoke(app, args).stdout)
    # whichever models rank, the table must hold one id longer than an 80-column cell
    document["results"][0]["models"][2]["id"] = "an-organisation-with-a-long-name/" + "x" * 40
    return document


@pytest.mark.parametrize("width", [80, 200])
def test_score_table(document, width):
    from fmadvisor.report import Format, RenderOptions, render

    text = render(document, Format.table, RenderOptions(width=width, detail=0))
    ids = [m["id"] for m in document["results"][0]["models"]]
    shown = _check(text, ids, width, whole=width == 200)
    if width == 80:
        assert any(v.endswith("…") for v in shown.values())  # a long id is cut, not wrapped
    wide = render(document, Format.table, RenderOptions(width=width, detail=0, wide=True))
    assert all(_rows_with(wide, ids)[i] == i for i in ids)


def test_score_panel_title_keeps_the_stack(cli):
    from fmadvisor.report import Format, RenderOptions, render

    code, out, _ = cli("score", SPEC, "-f", "json", "--as-of", "2026-11-22")
    doc = json.loads(out)
    stack = doc["results"][0]["strategy"]["stack"]
    text = render(doc, Format.table, RenderOptions(width=80, detail=0))
    assert f"│ generator: {stack['generator']} " in text
    assert f"│ embedding: {stack['embedding']} " in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("command", [["models", "list"], ["rules", "list"]])
def test_listings(cli, monkeypatch, width, command):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = cli(*command, "-f", "json")
    doc = json.loads(out)
    ids = [m["id"] for m in doc["models" if command[0] == "models" else "rules"]]
    code, out, _ = cli(*command)
    assert code == 0
    _check(out, ids, width, whole=width == 200)
    code, out, _ = cli(*command, "--wide")
    assert all(v == k for k, v in _rows_with(out, ids).items()) and len(
        _rows_with(out, ids)
    ) == len(ids)


def test_reasons_read_as_sentences(document):
    from fmadvisor.report import Format, RenderOptions, render
    from fmadvisor.report.text import join_sentences

    assert join_sentences(["ok: a.", "ok: b", "c"]) == "ok: a. ok: b; c"
    for fmt in (Format.table, Format.markdown):
        text = render(document, fmt, RenderOptions(width=200, detail=3, show_blocked=True))
        assert ".;" not in text


def test_blocked_ids_are_not_wrapped(document):
    from fmadvisor.report import Format, RenderOptions, render

    doc = json.loads(json.dumps(document))
    blocked = doc["results"][0]["blocked"]
    blocked[0]["id"] = "some-organization/" + "a-very-long-model-name-" * 3 + "v1"
    text = render(doc, Format.table, RenderOptions(width=80, detail=0, show_blocked=True))
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    ids = [b["id"] for b in blocked]
    assert ids and len(_rows_with(text, ids)) == len(ids)
