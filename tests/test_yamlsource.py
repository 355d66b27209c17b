"""The safe, located YAML loader every input goes through."""

from __future__ import annotations

import time

import pytest

from fmadvisor.errors import InputError
from fmadvisor.yamlsource import MAX_BYTES, decode, parse


def err(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, "f.yaml")
    return info.value


def test_positions_of_values_and_keys():
    doc = parse("a:\n  b: [1, 2]\n  c: x\n", "f.yaml")
    assert doc.data == {"a": {"b": [1, 2], "c": "x"}}
    assert doc.source.values[("a", "b", 1)] == (2, 10)
    assert doc.source.keys[("a", "c")] == (3, 3)
    loc = doc.source.locate(("a", "missing", "deeper"))
    assert (loc.line, loc.column, loc.field) == (2, 3, "a.missing.deeper")


@pytest.mark.parametrize(
    "text, needle, line",
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: !!python/object:os.system 1\n", "unsupported YAML value", 1),
        ("a: !!python/name:os.system ''\n", "unsupported YAML value", 1),
        ("a: [1, 2\n", "invalid YAML", 2),
        ("a:\n\tb: 1\n", "invalid YAML", 2),
        ("\x00\x01binary", "invalid YAML", 1),
    ],
)
def test_refusals_are_located(text, needle, line):
    e = err(text)
    assert needle in e.message
    assert e.location is not None and e.location.line == line


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    prev = "a"
    for name in "bcdefghi":
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    start = time.perf_counter()
    e = err(bomb)
    assert "alias expansion" in e.message
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_is_refused():
    assert "nested more than" in err("a: " + "[" * 200 + "]" * 200).message


def test_keys_keep_their_text():
    assert parse("yes: 1\n1: 2\n", "f").data == {"yes": 1, "1": 2}


def test_non_utf8_and_size_limit():
    with pytest.raises(InputError, match="not UTF-8"):
        decode(b"a: \xff\xfe\n", "f.yaml", kind="spec")
    with pytest.raises(InputError, match="limit"):
        decode(b"a" * (MAX_BYTES + 1), "f.yaml", kind="spec")


def test_merge_keys_still_work():
    assert parse("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", "f").data["c"] == {"x": 1, "y": 2}


def test_yaml_is_parsed_only_through_yamlsource():
    """Every YAML document, shipped or user-supplied, goes through `yamlsource` (safe constructors,
    limits, positions): no other module calls a PyYAML loading function or builds a loader."""
    import re

    from conftest import ROOT

    loading = re.compile(r"\byaml\.(load|full_load|unsafe_load|load_all|safe_load|\w*Loader)\b")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "src" / "fmadvisor").rglob("*.py"))
        if p.name != "yamlsource.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if loading.search(line)
    ]
    assert offenders == []
