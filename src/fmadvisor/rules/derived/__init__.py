"""Derived fields, one module per concern; importing the package registers them all."""

from fmadvisor.rules.derived import (  # noqa: F401  (registers the fields)
    compatibility,
    compute,
    languages,
    licensing,
    memory,
    model,
)
