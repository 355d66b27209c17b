"""The core never imports the CLI, never prints, never exits (a contract the suite enforces)."""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "fmadvisor"
CORE = sorted(
    p
    for p in SRC.rglob("*.py")
    if "cli" not in p.relative_to(SRC).parts and p.name != "__main__.py"
)
RICH_ALLOWED = {"report/table.py"}


def imports(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_respects_the_layers(path):
    rel = str(path.relative_to(SRC))
    tree = ast.parse(path.read_text())
    names = imports(tree)
    assert not any(n == "fmadvisor.cli" or n.startswith("fmadvisor.cli.") for n in names), (
        f"{rel} imports the CLI"
    )
    assert not any(n.split(".")[0] in ("typer", "click") for n in names), (
        f"{rel} imports the CLI framework"
    )
    if rel != "catalog/hub.py":
        assert not any(n.split(".")[0] == "huggingface_hub" for n in names), (
            f"{rel}: only the Hub source may import huggingface_hub"
        )
    if rel not in RICH_ALLOWED:
        assert not any(n.split(".")[0] == "rich" for n in names), f"{rel} imports rich"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name):
                assert fn.id not in ("print", "exit", "quit", "eval", "exec"), (
                    f"{rel}:{node.lineno} calls {fn.id}()"
                )
            elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
                assert (fn.value.id, fn.attr) != ("sys", "exit"), (
                    f"{rel}:{node.lineno} calls sys.exit()"
                )


# The rules layer reads specs, catalog candidates and estimates; it never reaches up into the
# layers built on it (scoring, strategy, check, reports, advice).
ABOVE_RULES = (
    "fmadvisor.scoring",
    "fmadvisor.ranking",
    "fmadvisor.strategy",
    "fmadvisor.check",
    "fmadvisor.report",
    "fmadvisor.advise",
    "fmadvisor.interview",
    "fmadvisor.questions",
    "fmadvisor.lockfile",
    "fmadvisor.bom",
)
RULES_LAYER = sorted((SRC / "rules").rglob("*.py"))


@pytest.mark.parametrize("path", RULES_LAYER, ids=lambda p: str(p.relative_to(SRC)))
def test_rules_layer_imports_nothing_above_it(path):
    rel = str(path.relative_to(SRC))
    tree = ast.parse(path.read_text())
    # imports inside functions are allowed only in cases.py, which runs rule cases through the scorer
    names = (
        imports(tree)
        if rel != "rules/cases.py"
        else {n for n in imports(tree) if n != "fmadvisor.scoring"}
    )
    above = sorted(n for n in names if n.startswith(ABOVE_RULES))
    assert not above, f"{rel} imports {above} (above the rules layer)"
