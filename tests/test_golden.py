"""Golden outputs: each example spec in, its expected JSON report out.

Regenerate after an intended change with:  UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff like code.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_example_matches_golden(example, cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = cli(
        "score", f"examples/{example}", "-f", "json", "--as-of", "2026-11-22", "--top", "5"
    )
    assert code == 0, err
    doc = json.loads(out)
    doc["tool"]["version"] = "<version>"
    golden = GOLDEN / example.replace(".yaml", ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    assert golden.exists(), f"no golden file for {example}: run with UPDATE_GOLDEN=1"
    assert doc == json.loads(golden.read_text())
