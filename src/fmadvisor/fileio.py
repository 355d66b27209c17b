"""Writing output files atomically: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fmadvisor.errors import InputError, Location


def atomic_write_text(path: Path | str, text: str) -> None:
    """Write `text` to a temporary file beside `path`, fsync it, then rename it over `path`.

    An interrupted run leaves the previous file intact (and no stray temporary file behind, except
    after a hard kill, when a `.fmadvisor-*.tmp` file may remain beside it).
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output folder does not exist", Location(str(target)))
    if target.is_dir():
        raise InputError("is a folder; name a file to write", Location(str(target)))
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".fmadvisor-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:  # including a signal that arrives between mkstemp and the write
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(
            exc, OSError
        ):  # disk full, quota, permissions: the previous file is untouched
            raise InputError(
                f"cannot write: {exc.strerror or exc}; the previous file, if any, is unchanged",
                Location(str(target)),
            ) from None
        raise
