"""What the installed typer costs on its own: a bare command shaped like `score` (12 parameters,
no work), timed against the baseline the cold-start goal is measured from.

    python benchmarks/typer_floor.py [--runs 21]

Why it exists: pyproject.toml keeps typer below 0.29, because 0.29 builds a pydantic adapter per
parameter when a command is invoked, and that alone takes `score` past the 1.5x goal (see the
README's performance section). To see whether a newer typer still costs it, install that typer in
a scratch environment and run this script there: when `bare command` is near 1.0x of the baseline,
the pin can go (the CLI's help and usage errors work on both 0.28 and 0.29; `tests/test_usage_errors.py`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

BARE = """
import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False)


class Fmt(str, enum.Enum):
    auto = "auto"
    table = "table"
    json = "json"


@app.command()
def score(
    specs: Annotated[list[str], typer.Argument()],
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", "-r")] = None,
    profile: Annotated[Optional[str], typer.Option("--profile")] = None,
    catalog: Annotated[str, typer.Option("--catalog")] = "embedded",
    fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.auto,
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0)] = 10,
    detail: Annotated[int, typer.Option("--detail", min=0)] = 3,
    show_blocked: Annotated[bool, typer.Option("--show-blocked")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of")] = None,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    wide: Annotated[bool, typer.Option("--wide")] = False,
) -> None:
    pass


@app.command()
def other() -> None:
    pass


app(["score", "a.yaml", "-f", "json", "--top", "5"])
"""


def median_ms(cmd: list[str], runs: int) -> float:
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": ENV}
    subprocess.run(cmd, check=True, **quiet)  # warm-up (bytecode caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, **quiet)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE, encoding="utf-8")
        cases = {
            'python -c "import typer, pydantic, yaml"': [
                sys.executable,
                "-c",
                "import typer, pydantic, yaml",
            ],
            "bare command (12 parameters, no work)": [sys.executable, str(script)],
        }
        print(f"typer {version('typer')}, pydantic {version('pydantic')}")
        base = None
        for name, cmd in cases.items():
            ms = median_ms(cmd, args.runs)
            base = base or ms
            print(f"{ms:7.0f} ms  {ms / base:4.2f}x  {name}")


if __name__ == "__main__":
    main()
