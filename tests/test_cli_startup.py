"""Start-up: each command imports only what it needs, and the compiled rule base is current."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

SUPPORT = str(ROOT / "examples" / "support-assistant.yaml")


def test_every_command_maps_to_the_module_that_defines_it():
    from fmadvisor.cli import COMMAND_MODULES, load_commands

    app = load_commands()
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups}
    assert names == set(COMMAND_MODULES)


# A valid spec, the shipped rule base and no lockfile or waivers build no pydantic model of ours:
# the spec's fast path reads records, the compiled rule base holds records, the report is dicts.
NO_MODELS = ["fmadvisor.spec_model", "fmadvisor.gate_files", "fmadvisor.rules.schema",
             "fmadvisor.validation"]  # fmt: skip
# data files are read as package paths, build staleness checked by CRC-32 (fmadvisor.package_files);
# `check` does use hashlib: its findings carry SHA-256 fingerprints
NO_RESOURCE_READERS = ["importlib.resources", "zipfile"]


@pytest.mark.parametrize(
    "argv, banned",
    [
        (
            ["score", SUPPORT, "-f", "json"],
            [
                "huggingface_hub",
                "fmadvisor.rules.loader",
                "fmadvisor.cli.gate_cmds",
                "rich.table",
                *NO_MODELS,
                *NO_RESOURCE_READERS,
                "hashlib",
                "fmadvisor.document_types",  # the report's types are for the schema and type checker
            ],
        ),
        (
            ["check", SUPPORT, "-f", "json", "--as-of", "2026-11-22"],
            [
                "huggingface_hub",
                "fmadvisor.rules.loader",
                "fmadvisor.cli.score_cmds",
                *NO_MODELS,
                *NO_RESOURCE_READERS,
            ],
        ),
        (["--version"], ["fmadvisor.rules", "pydantic"]),
    ],
)
def test_hot_paths_import_nothing_they_do_not_use(argv, banned):
    code = (
        f"import sys; from fmadvisor.cli import run; run({argv!r})\n"
        f"bad = [m for m in {banned!r} if m in sys.modules or any(k.startswith(m + '.') for k in sys.modules)]\n"
        "print('IMPORTED', bad, file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stderr.strip().splitlines()[-1] == "IMPORTED []", p.stderr[-500:]


def test_compiled_rule_base_is_current_and_equals_the_yaml():
    """Fails when rules/ changed without `python -m fmadvisor.rules.compiled`."""
    from fmadvisor.rules import compiled, profiles
    from fmadvisor.rules.loader import load_rulebase_from_yaml

    for name in profiles():
        built = compiled.load(name)
        assert built is not None, (
            f"compiled {name} profile is stale: run python -m fmadvisor.rules.compiled"
        )
        assert built == load_rulebase_from_yaml(profile=name)


def test_a_stale_compiled_rule_base_is_ignored(monkeypatch):
    from fmadvisor.rules import compiled, load_rulebase

    monkeypatch.setattr(compiled, "source_digest", lambda: "changed")
    assert compiled.load("default") is None
    assert len(load_rulebase().rules) > 50  # loaded from the YAML instead


def test_every_dataclass_has_a_docstring():
    """Without one, @dataclass computes the class's signature for __doc__ at import: about 0.45 ms
    a class, a tenth of the start-up budget over the ~40 classes a `score` run imports."""
    import ast

    missing = []
    for path in sorted((ROOT / "src" / "fmadvisor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None:
                if any("dataclass" in ast.unparse(d) for d in node.decorator_list):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not missing, missing
