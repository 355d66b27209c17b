"""License fields, and license lineage followed through the catalog's base models."""

from __future__ import annotations

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived
from fmadvisor.rules.tables import LicenseInfo, Tables, license_entry


def license_info(c: Candidate, tables: Tables) -> LicenseInfo | None:
    return license_entry(tables, c.license, c.license_name)


_MISSING = object()


def _license(e: Env, license: str | None, license_name: str | None) -> LicenseInfo | None:
    key = (license, license_name)
    info = e.license_memo.get(key, _MISSING)
    if info is _MISSING:
        info = e.license_memo[key] = license_entry(e.tables, license, license_name)
    return info  # type: ignore[return-value]


LICENSE = ("license", "license_name")


@derived(
    "model.license_class",
    "text",
    "permissive | copyleft | non-commercial | use-restricted | community | other; unknown when no license is recorded",
    LICENSE,
)
def _license_class(e: Env, license: str | None, name: str | None) -> str | None:
    info = _license(e, license, name)
    return info.license_class if info else None


@derived(
    "model.license_commercial",
    "bool",
    "the license allows commercial use; unknown for unrecorded or unreviewed licenses",
    LICENSE,
)
def _license_commercial(e: Env, license: str | None, name: str | None) -> bool | None:
    info = _license(e, license, name)
    return info.commercial if info else None


@derived("model.license_label", "text", "the license tag, or its name for 'other'", LICENSE)
def _license_label(e: Env, license: str | None, name: str | None) -> str | None:
    return name if license == "other" and name else license


@derived(
    "model.license_obligations",
    "text",
    "what the license asks of users, from the license table",
    LICENSE,
)
def _license_obligations(e: Env, license: str | None, name: str | None) -> str | None:
    info = _license(e, license, name)
    return (info.obligations or None) if info else None


MAX_LINEAGE = 6


def _ancestor_license(e: Env, base_model: str | None) -> tuple[str | None, str | None] | None:
    """(license, license_name) of the nearest ancestor with a recorded license; None when unknown;
    ("", None) when there is no base model (nothing inherited)."""
    if base_model is None:
        return ("", None)
    seen = set()
    current: str | None = base_model
    while current and current.lower() not in seen and len(seen) < MAX_LINEAGE:
        seen.add(current.lower())
        ancestor = e.lookup(current)
        if ancestor is None:
            return None
        if ancestor.license is not None:
            return (ancestor.license, ancestor.license_name)
        current = ancestor.base_model
    return None


def _base_license_info(
    e: Env, base_model: str | None
) -> tuple[bool, LicenseInfo | None, str | None]:
    """(has a base, its license entry, its label)."""
    found = e.lineage_memo.get(base_model, _MISSING)
    if found is _MISSING:
        found = e.lineage_memo[base_model] = _ancestor_license(e, base_model)
    if found is None:
        return True, None, None
    license, name = found  # type: ignore[misc]
    if license == "":
        return False, None, None
    label = name if license == "other" and name else license
    return True, _license(e, license, name), label


@derived(
    "model.base_license",
    "text",
    "license of the base model (followed through the catalog's base_model lineage); empty without a base",
    ("base_model",),
)
def _base_license(e: Env, base_model: str | None) -> str | None:
    has_base, _, label = _base_license_info(e, base_model)
    return label if has_base else ""


@derived("model.base_license_class", "text", "license class of the base model", ("base_model",))
def _base_license_class(e: Env, base_model: str | None) -> str | None:
    has_base, info, _ = _base_license_info(e, base_model)
    return (info.license_class if info else None) if has_base else ""


@derived(
    "model.base_license_commercial",
    "bool",
    "the base model's license allows commercial use",
    ("base_model",),
)
def _base_license_commercial(e: Env, base_model: str | None) -> bool | None:
    has_base, info, _ = _base_license_info(e, base_model)
    return (info.commercial if info else None) if has_base else True
