"""The shipped rule base, compiled once: each shipped profile as it loads from the YAML, pickled.

Loading 17 YAML files, validating them against the rule-file schema and parsing every condition
costs more than scoring a spec; a run that uses only the shipped rules reads the compiled profile
instead. Each pickle records a digest of the YAML it was built from, and it is used only when the
shipped YAML still has that digest, so an edited rule base is never shadowed by a stale build
(it loads from YAML, slower). tests/test_compiled_rules.py fails when the pickles are stale:
rebuild them with `python -m fmadvisor.rules.compiled`.

These pickles are written by this project's build, ship inside the package like its code, and
are never produced from, or replaced by, user input: user rule files always load as YAML data.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from fmadvisor.package_files import checksum, package_dir

FORMAT = 1


def _yaml_files() -> list[Path]:
    root = package_dir("fmadvisor.rulebase")
    return sorted(p for p in root.rglob("*.yaml") if "cases" not in p.relative_to(root).parts)


def source_digest() -> str:
    """A checksum of the shipped rule YAML (relative names and bytes), cases excluded."""
    root = package_dir("fmadvisor.rulebase")
    return checksum([(f.relative_to(root).as_posix(), f.read_bytes()) for f in _yaml_files()])


def load(profile: str) -> Any | None:
    """The compiled RuleBase of a shipped profile, or None when there is none or it is stale."""
    node = Path(__file__).parent / f"{profile}.pickle"
    try:
        raw = node.read_bytes()
    except (FileNotFoundError, OSError):
        return None
    try:
        doc = pickle.loads(raw)  # noqa: S301 (a file this project built and ships; see the docstring)
    except Exception:  # noqa: BLE001 (an unreadable build is as good as none)
        return None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FORMAT
        or doc.get("digest") != source_digest()
    ):
        return None
    return doc["rulebase"]


def build() -> list[str]:
    """Compile every shipped profile from YAML into this package's folder; returns the files written."""
    from fmadvisor.rules.loader import load_rulebase_from_yaml, profiles

    folder = Path(__file__).parent
    digest = source_digest()
    written = []
    for name in profiles():
        rulebase = load_rulebase_from_yaml(profile=name)
        target = folder / f"{name}.pickle"
        target.write_bytes(
            pickle.dumps({"format": FORMAT, "digest": digest, "rulebase": rulebase}, protocol=5)
        )
        written.append(str(target))
    return written
