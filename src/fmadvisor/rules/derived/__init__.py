"""Derived fields, one module per concern; importing the package registers them all."""

from fmadvisor.rules.derived import compatibility, licensing, memory, model  # noqa: F401  (registers the fields)
