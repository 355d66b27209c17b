"""CycloneDX 1.6 ML-BOM of the models a spec declares (component type `machine-learning-model`).

Deterministic for the same spec, catalog and date: the serial number is derived from them, so a BOM
committed to a repository only changes when something in it does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from fmadvisor import __version__
from fmadvisor.catalog import Catalog
from fmadvisor.catalog.candidate import Candidate
from fmadvisor.errors import DataUnavailableError, InputError, Location
from fmadvisor.spec import LoadedSpec

# Hub license tags that are SPDX identifiers (others are emitted by name).
SPDX = {
    "apache-2.0": "Apache-2.0",
    "mit": "MIT",
    "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-3.0": "CC-BY-3.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-by-sa-3.0": "CC-BY-SA-3.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
    "cc-by-nd-4.0": "CC-BY-ND-4.0",
    "cc0-1.0": "CC0-1.0",
    "gpl-2.0": "GPL-2.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "mpl-2.0": "MPL-2.0",
    "bsl-1.0": "BSL-1.0",
    "isc": "ISC",
    "unlicense": "Unlicense",
    "afl-3.0": "AFL-3.0",
    "epl-2.0": "EPL-2.0",
}


def purl(model_id: str, revision: str | None = None) -> str:
    return f"pkg:huggingface/{model_id}" + (f"@{revision}" if revision else "")


def _licenses(c: Candidate) -> list[dict[str, Any]]:
    if c.license is None:
        return []
    if c.license in SPDX:
        return [{"license": {"id": SPDX[c.license]}}]
    return [{"license": {"name": c.license_name or c.license}}]


def _component(
    c: Candidate, revision: str, role: str | None, strategy: str | None
) -> dict[str, Any]:
    group, _, name = c.id.rpartition("/")
    card: dict[str, Any] = {"modelParameters": {}}
    params = card["modelParameters"]
    if c.pipeline_tag:
        params["task"] = c.pipeline_tag
    if c.model_type:
        params["architectureFamily"] = c.model_type
    if c.architecture:
        params["modelArchitecture"] = c.architecture
    if c.datasets:
        params["datasets"] = [{"type": "dataset", "name": d} for d in c.datasets]
    properties = [
        {"name": f"fmadvisor:{k}", "value": str(v)}
        for k, v in (
            ("parameters", c.params),
            ("active_parameters", c.active_params),
            ("context_length", c.context_length),
            ("weights_format", c.weights_format),
            ("gated", c.gated),
            ("released", c.released),
            ("role", role),
            ("strategy", strategy),
            ("metadata_source", c.source),
        )
        if v is not None
    ]
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": purl(c.id, revision),
        "group": group,
        "name": name or c.id,
        "version": revision,
        "purl": purl(c.id, revision),
        "externalReferences": [{"type": "website", "url": f"https://huggingface.co/{c.id}"}],
        "modelCard": card,
        "properties": properties,
    }
    if group:
        component["publisher"] = group
    licenses = _licenses(c)
    if licenses:
        component["licenses"] = licenses
    if c.card_bias_section is not None or c.languages:
        considerations: dict[str, Any] = {}
        if c.languages:
            considerations["useCases"] = [f"languages named on the card: {', '.join(c.languages)}"]
        card["considerations"] = considerations
    if c.base_model:
        component["pedigree"] = {"ancestors": [_ancestor(c.base_model)]}
    return component


def _ancestor(model_id: str) -> dict[str, Any]:
    """The base model a component was fine-tuned from, as its pedigree's ancestor."""
    return {
        "type": "machine-learning-model",
        "bom-ref": purl(model_id),
        "name": model_id.rpartition("/")[2],
        "group": model_id.rpartition("/")[0],
        "purl": purl(model_id),
    }


def build(loaded: LoadedSpec, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
    spec = loaded.spec
    if not spec.models:
        raise InputError(
            "the spec declares no models (`models:`) to list", Location(loaded.path, 1, 1, "models")
        )
    components = []
    missing = []
    for m in spec.models:
        c = catalog.get(m.id)
        if c is None:
            missing.append(m.id)
            continue
        components.append(_component(c, m.revision, m.role, m.strategy))
    if missing:
        raise DataUnavailableError(
            f"no metadata for {', '.join(missing)} in the {catalog.source} catalog"
        )
    seed = hashlib.sha256(
        f"{loaded.path}|{spec.model_dump_json()}|{catalog.facts_as_of}|{as_of}".encode()
    ).hexdigest()
    project_ref = f"project:{spec.project.name}"
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        "version": 1,
        "metadata": {
            "timestamp": f"{as_of.isoformat()}T00:00:00Z",
            "tools": {
                "components": [{"type": "application", "name": "fmadvisor", "version": __version__}]
            },
            "component": {
                "type": "application",
                "bom-ref": project_ref,
                "name": spec.project.name,
                **({"description": spec.project.description} if spec.project.description else {}),
            },
        },
        "components": components,
        "dependencies": [{"ref": project_ref, "dependsOn": [c["bom-ref"] for c in components]}],
    }
