"""Cold-start time of the CLI, side by side with the bare imports it is compared against.

    python benchmarks/cold_start.py [--runs 21]

Each command runs as a fresh process, the commands taking turns; the median wall time is
reported. Run it on an idle machine, with the Python of an environment where fmadvisor is installed
as a wheel (`pip install .`: an editable install adds its path finder to every start). Like an
installed tool (pip compiles bytecode at install time), the commands run with bytecode
caching on: PYTHONDONTWRITEBYTECODE is removed from their environment, and each command runs once
before it is timed, so no run pays for compiling the package's source.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def medians(cases: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands taking turns (run 1 of each, then run 2 of
    each, ...), so that the machine's drift hits every command alike."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": False}
    for cmd in cases.values():  # warm-up: writes the bytecode caches
        subprocess.run(cmd, cwd=ROOT, env=ENV, **quiet)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=ENV, **quiet)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    beside = Path(sys.executable).parent / "fmadvisor"  # the environment of the Python running this
    exe = str(beside) if beside.exists() else (shutil.which("fmadvisor") or "fmadvisor")
    cases = {
        'python -c "import typer, pydantic, yaml"': [
            sys.executable,
            "-c",
            "import typer, pydantic, yaml",
        ],
        "fmadvisor --version": [exe, "--version"],
        "fmadvisor score examples/support-assistant.yaml -f json": [
            exe,
            "score",
            "examples/support-assistant.yaml",
            "-f",
            "json",
        ],
        "fmadvisor score examples/support-assistant.yaml -f table": [
            exe,
            "score",
            "examples/support-assistant.yaml",
            "-f",
            "table",
        ],
        "fmadvisor check examples/support-assistant.yaml -f json": [
            exe,
            "check",
            "examples/support-assistant.yaml",
            "-f",
            "json",
        ],
    }
    result = medians(cases, args.runs)
    base = next(iter(result.values()))
    for name, t in result.items():
        print(f"{t * 1000:7.0f} ms  {t / base:4.2f}x  {name}")


if __name__ == "__main__":
    main()
