"""Loading a project spec: what a team tells fmadvisor about its project.

`load_spec` reads a YAML file through `yamlsource` (safe, located) and validates it. The spec is
defined once, by the pydantic models of `spec_model`. A document that the fast path (`spec_form`,
driven by a form derived from those models at build time) accepts becomes plain section objects
without building the pydantic models; anything else, and every invalid document, goes through
pydantic, whose errors become `SpecError`s naming file, line, column and field path, in words a
user understands ("must be a number", "unknown field 'gpu' (did you mean 'gpus'?)").

The model classes (`Spec`, `Task`, ...) are reachable from here too; importing them builds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from fmadvisor.errors import Location, SpecError
from fmadvisor.spec_logic import MAX_COUNT, parse_count  # noqa: F401  (re-exported)
from fmadvisor.yamlsource import SourceMap, YamlDocument, load_file, parse

if TYPE_CHECKING:
    from fmadvisor.spec_model import Spec


class LoadedSpec:
    """A validated spec with the file it came from and where each field stands in it."""

    __slots__ = ("spec", "path", "source")

    def __init__(self, spec: Spec, path: str, source: SourceMap) -> None:
        self.spec = spec
        self.path = path
        self.source = source


def load_spec(path: Path | str, *, fast: bool = True) -> LoadedSpec:
    """Read and validate a spec file. fast=False always builds the pydantic models (for callers
    that serialize the spec with pydantic)."""
    doc = load_file(Path(path), kind="spec", error=SpecError)
    return validate_spec(doc, str(path), fast=fast)


def parse_spec(text: str, name: str = "<spec>", *, fast: bool = True) -> LoadedSpec:
    return validate_spec(parse(text, name, kind="spec", error=SpecError), name, fast=fast)


def validate_spec(doc: YamlDocument, name: str, *, fast: bool = True) -> LoadedSpec:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        raise SpecError(
            f"a spec must be a mapping with version, project and task; this document is {kind}",
            Location(name, 1, 1),
        )
    if fast:
        from fmadvisor import spec_form

        quick = spec_form.validate(doc.data)
        if quick is not None:
            return LoadedSpec(quick, name, doc.source)
    return LoadedSpec(validate_model(doc.data, doc.source, name), name, doc.source)


def validate_model(data: Any, source: SourceMap, name: str) -> Spec:
    """Validate with the pydantic models: the result, or a located SpecError."""
    from pydantic import ValidationError

    from fmadvisor.spec_model import Spec
    from fmadvisor.validation import located_error

    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise located_error(exc, source, Spec, SpecError) from None


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import system asks for __path__ and the like: not a model
        raise AttributeError(name)
    from fmadvisor import spec_model

    try:
        return getattr(spec_model, name)
    except AttributeError:
        raise AttributeError(f"module 'fmadvisor.spec' has no attribute {name!r}") from None
