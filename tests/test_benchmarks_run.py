"""The benchmark scripts run (small sizes, no timing asserted): a benchmark that crashes measures
nothing, and bench_scoring.py once broke on an internal change without a test noticing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize(
    "script, args",
    [
        ("bench_scoring.py", ["--candidates", "2000", "--repeat", "1"]),
        ("bench_batch.py", ["--specs", "5"]),
    ],
)
def test_benchmark_script_runs(script, args):
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-1500:]
    assert p.stdout.strip()
