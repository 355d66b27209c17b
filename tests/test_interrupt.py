"""Output files are written atomically: killing the process mid-write leaves the previous file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import EXAMPLES

# Runs the real CLI with a write that stalls halfway, so a signal can arrive mid-write.
WRAPPER = textwrap.dedent("""
    import os, sys, time
    real_fdopen = os.fdopen

    class Slow:
        def __init__(self, fh): self.fh = fh
        def __enter__(self): return self
        def __exit__(self, *exc): return self.fh.__exit__(*exc)
        def write(self, text):
            half = len(text) // 2
            self.fh.write(text[:half]); self.fh.flush()
            time.sleep(120)
            return self.fh.write(text[half:])
        def flush(self): self.fh.flush()
        def fileno(self): return self.fh.fileno()

    os.fdopen = lambda *a, **k: Slow(real_fdopen(*a, **k))
    from fmadvisor.cli import main
    sys.argv = ["fmadvisor"] + sys.argv[1:]
    main()
""")


@pytest.mark.parametrize(
    "sig, clean", [(signal.SIGINT, True), (signal.SIGTERM, True), (signal.SIGKILL, False)]
)
def test_killing_a_run_mid_write_keeps_the_previous_file(tmp_path, sig, clean):
    target = tmp_path / "report.json"
    target.write_text("previous report")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRAPPER,
            "score",
            str(EXAMPLES / "support-assistant.yaml"),
            "-o",
            str(target),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".fmadvisor-*.tmp")):  # the half-written temporary file
        assert time.monotonic() < deadline and proc.poll() is None, (
            proc.stderr.read() if proc.poll() is not None else "timeout"
        )
        time.sleep(0.05)
    proc.send_signal(sig)
    try:  # communicate drains the pipes, so a chatty child cannot block on a full one
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
        pytest.fail(
            f"the process ignored signal {sig}; stderr: {stderr.decode(errors='replace')[-2000:]}"
        )
    assert target.read_text() == "previous report"
    leftovers = list(tmp_path.glob(".fmadvisor-*.tmp"))
    if (
        clean
    ):  # Ctrl-C and SIGTERM clean up; a hard kill can leave a temporary file, never a broken target
        assert leftovers == [] and proc.returncode in (130, 143), proc.returncode
        assert b"Traceback" not in stderr


def test_a_failing_disk_is_a_clear_error_and_keeps_the_previous_file(cli, tmp_path, monkeypatch):
    import errno

    target = tmp_path / "report.json"
    target.write_text("previous report")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = cli("score", str(EXAMPLES / "support-assistant.yaml"), "-o", str(target))
    assert (
        code == 2
        and "report.json" in err
        and "No space left on device" in err
        and "internal error" not in err
    )
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_output_path_that_is_a_folder_is_refused(cli, tmp_path):
    code, _, err = cli("score", str(EXAMPLES / "support-assistant.yaml"), "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err and list(tmp_path.iterdir()) == []
