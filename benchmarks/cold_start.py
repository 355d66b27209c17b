"""Cold-start time of the CLI, side by side with the bare imports it is compared against.

    python benchmarks/cold_start.py [--runs 15]

Each command runs as a fresh process; the median wall time is reported. Run it on an idle machine.
Like an installed tool (pip compiles bytecode at install time), the commands run with bytecode
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


def median_time(cmd: list[str], runs: int) -> float:
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": False}
    subprocess.run(cmd, cwd=ROOT, env=ENV, **quiet)  # warm-up: writes the bytecode caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=ENV, **quiet)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    exe = shutil.which("fmadvisor") or str(Path(sys.executable).parent / "fmadvisor")
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
    base = None
    for name, cmd in cases.items():
        t = median_time(cmd, args.runs)
        base = base or t
        print(f"{t * 1000:7.0f} ms  {t / base:4.2f}x  {name}")


if __name__ == "__main__":
    main()
