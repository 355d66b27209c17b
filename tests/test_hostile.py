"""Hostile and broken input: each loader refuses attacks unexpanded, with a located error, exit 2.

Loaders: spec, rule file, waivers file, lockfile, answers file, rule case file. Attacks: alias
expansion bombs, deep nesting, huge files, binary garbage, non-UTF-8, duplicate keys, Python tags.
Property tests throw generated documents at the rule, waiver and lockfile loaders (thousands under
the `slow` marker, which .ci/run runs with a bounded budget).
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from fmadvisor.errors import InputError
from fmadvisor.yamlsource import MAX_BYTES

SPEC_OK = (EXAMPLES / "support-assistant.yaml").read_text()


def bomb() -> str:
    text = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    prev = "a"
    for name in "bcdefghij":
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    return text


ATTACKS = {
    "alias bomb": bomb().encode(),
    "deep nesting": ("a: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "huge file": b"a: " + b"x" * (MAX_BYTES + 10),
    "binary garbage": bytes(range(256)) * 8,
    "non-utf8": "version: 1\nname: caf\u00e9\n".encode("latin-1"),
    "duplicate keys": b"version: 1\nversion: 1\n",
    "python tag": b"version: !!python/object/apply:os.system ['echo pwned > /tmp/fmadvisor-pwned']\n",
    "python tag on a key": b"? !!python/object/apply:os.system ['echo pwned > /tmp/fmadvisor-pwned']\n: 1\n",
}


def _setup(tmp_path, loader: str, payload: bytes) -> list[str]:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_bytes(payload)
    spec = tmp_path / "fmadvisor.yaml"
    spec.write_text(SPEC_OK)
    return {
        "spec": ["score", str(hostile), "-f", "json"],
        "rules": ["score", str(spec), "--rules", str(hostile), "-f", "json"],
        "waivers": ["check", str(spec), "--waivers", str(hostile), "-f", "json"],
        "lockfile": ["check", str(spec), "--lockfile", str(hostile), "-f", "json"],
        "answers": ["ask", "--answers", str(hostile)],
        "rule cases": ["rules", "test", str(hostile)],
    }[loader]


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize(
    "loader", ["spec", "rules", "waivers", "lockfile", "answers", "rule cases"]
)
def test_attacks_are_refused_quickly_with_a_located_error(cli, tmp_path, loader, attack):
    args = _setup(tmp_path, loader, ATTACKS[attack])
    start = time.perf_counter()
    code, out, err = cli(*args)
    elapsed = time.perf_counter() - start
    assert code == 2, (code, err)
    assert "Traceback" not in err and "hostile.yaml" in err
    # a bound that catches expansion, not a speed goal (benchmarks hold those): the alias bomb expanded
    # is 10^10 nodes (hours, and memory past any machine's), where a refusal takes a fraction of a
    # second (1.03 s once, on a machine running two test suites at once)
    assert elapsed < 10.0, f"{loader}/{attack} took {elapsed:.2f} s"
    assert not os.path.exists("/tmp/fmadvisor-pwned")
    if loader == "spec":  # the batch report still comes out, with the error located
        import json

        assert json.loads(out)["errors"][0]["spec"].endswith("hostile.yaml")


# ---- property tests ----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=16),
    st.dates().map(dt.date.isoformat),
)


def documents(keys: list[str]):
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(keys), inner, max_size=5)
        ),
        max_leaves=30,
    )


RULE_KEYS = [
    "version",
    "rules",
    "weights",
    "disable",
    "include",
    "extends",
    "tables",
    "id",
    "factor",
    "kind",
    "severity",
    "when",
    "applies",
    "all",
    "any",
    "not",
    "field",
    "equals",
    "gt",
    "in",
    "message",
    "remediation",
    "rationale",
    "adjust",
    "model.params",
    "spec.needs.citations",
    "license",
    "gpus",
    "strategy_weights",
    "target",
]
WAIVER_KEYS = [
    "version",
    "max_days",
    "waivers",
    "rule",
    "model",
    "revision",
    "reason",
    "owner",
    "expires",
]
LOCK_KEYS = [
    "lockfile_version",
    "generated_by",
    "models",
    "org/m",
    "revision",
    "source",
    "locked_at",
    "metadata",
    "digest",
    "resolved_revision",
    "facts_as_of",
]


def _load(kind: str, path):  # noqa: ANN001
    if kind == "spec":
        from fmadvisor.spec import load_spec

        load_spec(path)
    elif kind == "rules":
        from fmadvisor.rules import load_rulebase

        load_rulebase([path])
    elif kind == "waivers":
        from fmadvisor import waivers
        from fmadvisor.check import BUILTIN

        waivers.load(path, as_of=dt.date(2026, 1, 1), known_rules={"license.denied", *BUILTIN})
    else:
        from fmadvisor import lockfile

        lockfile.load(path)


def _check(kind: str, doc, tmp_path_factory) -> None:  # noqa: ANN001
    path = tmp_path_factory.mktemp("prop") / "f.yaml"
    path.write_text(yaml.safe_dump(doc))
    try:
        _load(kind, path)
    except InputError as exc:
        assert exc.exit_code == 2
        assert exc.location is not None and exc.location.file == str(path)


PROFILE = dict(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


SPEC_KEYS = [
    "version",
    "project",
    "task",
    "data",
    "needs",
    "constraints",
    "name",
    "type",
    "gpus",
    "models",
]
KINDS = [
    ("spec", SPEC_KEYS),
    ("rules", RULE_KEYS),
    ("waivers", WAIVER_KEYS),
    ("lockfile", LOCK_KEYS),
]


def _fuzz(kind: str, keys: list[str], examples: int, tmp_path_factory) -> None:  # noqa: ANN001
    @settings(max_examples=examples, **PROFILE)
    @given(documents(keys))
    def run(doc):  # noqa: ANN001
        _check(kind, doc, tmp_path_factory)

    run()


@pytest.mark.parametrize("kind, keys", KINDS)
def test_generated_documents_end_in_a_located_error(kind, keys, tmp_path_factory):
    _fuzz(kind, keys, 150, tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("kind, keys", KINDS)
def test_thousands_of_generated_documents(kind, keys, tmp_path_factory):
    _fuzz(kind, keys, 3000, tmp_path_factory)


@pytest.mark.slow
@settings(max_examples=3000, **PROFILE)
@given(st.binary(max_size=512))
def test_arbitrary_bytes_never_escape_as_tracebacks(data):
    from fmadvisor.spec import SpecError
    from fmadvisor.yamlsource import decode, parse

    try:
        parse(decode(data, "gen.yaml", kind="spec", error=SpecError), "gen.yaml", error=SpecError)
    except SpecError as exc:
        assert exc.location is not None


@pytest.mark.parametrize(
    "where, text, words",
    [
        (
            "rules",
            "version: 1\nweights: {license: .nan}\n",
            "weights.license: must be a finite number",
        ),
        (
            "rules",
            "version: 1\nweights: {license: .inf}\n",
            "weights.license: must be a finite number",
        ),
        ("catalog", '{"models": [{"id": "a/b", "params": NaN}]}', "NaN is not JSON"),
        ("catalog", '{"models": [{"id": "a/b", "params": -Infinity}]}', "-Infinity is not JSON"),
    ],
)
def test_non_finite_numbers_never_reach_a_json_report(cli, tmp_path, where, text, words):
    """Python's json and YAML both read NaN and infinities; a report containing them is not JSON."""
    path = tmp_path / ("r.yaml" if where == "rules" else "c.json")
    path.write_text(text)
    option = "--rules" if where == "rules" else "--catalog"
    code, out, err = cli(
        "score", str(EXAMPLES / "support-assistant.yaml"), option, str(path), "-f", "json"
    )
    assert code == 2 and words in err and str(path) in err and out == ""
