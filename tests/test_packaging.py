"""The installed package carries the whole rule base and the catalog (CI installs a real wheel)."""

from __future__ import annotations

from importlib import resources

from conftest import ROOT


def _files(node, prefix=""):
    for child in node.iterdir():
        name = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _files(child, name + "/")
        elif child.name.endswith(".yaml"):
            yield name


def test_every_rule_file_is_installed():
    repo = {str(p.relative_to(ROOT / "rules")) for p in (ROOT / "rules").rglob("*.yaml")}
    installed = set(_files(resources.files("fmadvisor.rulebase")))
    assert repo <= installed, repo - installed


def test_catalog_and_templates_are_installed():
    assert resources.files("fmadvisor.catalog").joinpath("snapshot.json").is_file()
    assert resources.files("fmadvisor.templates").joinpath("spec.yaml").is_file()


def test_every_source_package_is_installed():
    """pyproject.toml lists packages explicitly (the rule base is mapped in); a new folder must be added."""
    import importlib.util

    src = ROOT / "src" / "fmadvisor"
    for init in src.rglob("__init__.py"):
        dotted = ".".join(("fmadvisor", *init.parent.relative_to(src).parts)).rstrip(".")
        assert importlib.util.find_spec(dotted) is not None, (
            f"{dotted} is not installed: add it to pyproject.toml"
        )
        installed = importlib.util.find_spec(dotted).origin
        assert installed and "site-packages" in installed or str(src) in installed
