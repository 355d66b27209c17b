"""The package's own data files (rule base YAML, compiled rule base, catalog snapshot, spec form)
as plain paths.

fmadvisor is installed as files (pip never installs it zipped), so its data files are the files
beside its modules. `importlib.resources` would also read them from a zip, at the price of
importing zipfile and tempfile on every run, which the CLI's start-up budget does not have room for
(see the README's performance section).
"""

from __future__ import annotations

import functools
import zlib
from importlib.util import find_spec
from pathlib import Path


@functools.cache
def package_dir(package: str) -> Path:
    """The folder of one of fmadvisor's packages, e.g. "fmadvisor.rulebase" (the shipped rules);
    looked up once per process."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package} is not installed as a folder")
    return Path(next(iter(spec.submodule_search_locations)))


def checksum(parts: list[tuple[str, bytes]]) -> str:
    """A fingerprint of named byte strings, to tell whether a build is stale: CRC-32 over names and
    bytes, and the total length. Not a cryptographic hash: the files are the package's own, and
    the check guards against a forgotten rebuild, not an adversary."""
    crc, total = 0, 0
    for name, data in parts:
        crc = zlib.crc32(data, zlib.crc32(name.encode() + b"\0", crc))
        total += len(data)
    return f"crc32:{crc:08x}:{total}"
