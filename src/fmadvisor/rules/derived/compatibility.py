"""Fields on the software the spec names: frameworks and serving integrations."""

from __future__ import annotations

from fmadvisor.rules.env import Env
from fmadvisor.rules.registry import derived


@derived(
    "fit.framework_ok",
    "bool",
    "the model's library runs on one of the spec's frameworks (true when the spec names none)",
    ("library",),
)
def _framework_ok(e: Env, library: str | None) -> bool | None:
    if not e.frameworks:
        return True
    if library is None:
        return None
    runs_on = e.tables.libraries.get(library)
    if runs_on is None:
        return None
    return library in e.frameworks or bool(e.frameworks.intersection(runs_on))


@derived(
    "fit.unsupported_integrations",
    "list",
    "the spec's integrations that cannot serve this model (by library and pipeline tag)",
    ("library", "pipeline_tag"),
)
def _unsupported(e: Env, library: str | None, tag: str | None) -> tuple[str, ...] | None:
    out = []
    for name in e.integrations:
        need = e.tables.integrations.get(name)
        if need is None:
            continue  # an integration we know nothing about constrains nothing
        libs, tags = need.get("libraries", ()), need.get("pipeline_tags", ())
        if (libs and library is None) or (tags and tag is None):
            return None
        if (libs and library not in libs) or (tags and tag not in tags):
            out.append(name)
    return tuple(out)
