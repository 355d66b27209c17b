"""The project spec: shape, defaults, worded and located errors."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, spec_text
from fmadvisor.errors import InputError, SpecError
from fmadvisor.spec import Spec, load_spec, parse_count, parse_spec


def test_minimal_spec_gets_documented_defaults():
    s = parse_spec(spec_text()).spec
    assert s.task.pipeline_tag == "text-generation"
    assert s.constraints.deployment == "self_hosted"
    assert s.constraints.license.commercial_use is True
    assert s.data.labeled_examples == 0 and s.needs.explainability == "none"


def test_every_field_has_a_description():
    def walk(model, path):
        for name, info in model.model_fields.items():
            assert info.description or hasattr(info.annotation, "model_fields"), f"{path}.{name}"
            ann = info.annotation
            for sub in (ann, *getattr(ann, "__args__", ())):
                if isinstance(sub, type) and hasattr(sub, "model_fields"):
                    walk(sub, f"{path}.{name}")

    walk(Spec, "spec")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_load(path):
    loaded = load_spec(path)
    assert loaded.spec.project.name
    assert path.read_text().startswith("# Shows:"), "each example says what it shows"


def test_issue_shape_is_expressible():
    """The full shape from the spine issue, verbatim."""
    text = (EXAMPLES / "support-assistant.yaml").read_text()
    s = parse_spec(text).spec
    assert s.data.knowledge.update_frequency == "weekly"
    assert s.history.tried[0].approach == "in_context_learning"
    assert s.models[0].strategy == "rag"
    assert s.constraints.hardware.gpus[0].memory_gb == 24


@pytest.mark.parametrize(
    "extra, where, words",
    [
        (
            "constraints:\n  hardware:\n    gpus:\n      - {name: L4, memory_gb: lots}",
            "t.yaml:7:31: constraints.hardware.gpus[0].memory_gb",
            "must be a number",
        ),
        (
            "constraints:\n  hardwar: {}",
            "t.yaml:5:3: constraints.hardwar",
            "unknown field 'hardwar' (did you mean 'hardware'?)",
        ),
        (
            "needs: {explainability: total}",
            "t.yaml:4:25: needs.explainability",
            "must be one of none, explainable or interpretable",
        ),
        (
            "data: {labeled_examples: -3}",
            "t.yaml:4:26: data.labeled_examples",
            "must be at least 0",
        ),
        ("data: {labeled_examples: true}", "t.yaml:4:26: data.labeled_examples", "whole number"),
        (
            "constraints: {budget_usd: true}",
            "t.yaml:4:27: constraints.budget_usd",
            "must be a number",
        ),
        (
            "constraints: {hardware: {gpus: [{name: L4, count: yes}]}}",
            "t.yaml:4:51: constraints.hardware.gpus[0].count",
            "whole number",
        ),
        (
            "candidates: {include: [a/b], exclude: [a/b]}",
            "t.yaml:1:1",
            "both included and excluded",
        ),
    ],
)
def test_errors_name_file_line_column_field(extra, where, words):
    with pytest.raises(SpecError) as info:
        parse_spec(spec_text(x=extra), "t.yaml")
    assert str(info.value).startswith(where)
    assert words in str(info.value)


def test_translation_targets_must_be_among_the_languages():
    text = "version: 1\nproject: {name: t}\ntask: {type: translation, languages: [en, de], target_languages: [fr]}\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text, "t.yaml")
    assert str(info.value).startswith("t.yaml:3:7: task")
    assert "target_languages ['fr'] are not among task.languages" in str(info.value)
    ok = parse_spec(text.replace("[fr]", "[DE]"), "t.yaml").spec
    assert ok.task.target_languages == ["de"]


def test_unknown_task_suggests_close_names():
    with pytest.raises(SpecError, match="did you mean 'classification'"):
        parse_spec("version: 1\nproject: {name: t}\ntask: {type: clasification}\n")


def test_missing_required_fields():
    with pytest.raises(SpecError, match="project.name: is required"):
        parse_spec("version: 1\nproject: {}\ntask: {type: ner}\n")
    with pytest.raises(SpecError, match="must be a mapping"):
        parse_spec("- 1\n")
    with pytest.raises(SpecError, match="version: must be one of 1"):
        parse_spec("version: 2\nproject: {name: t}\ntask: {type: ner}\n")


@pytest.mark.parametrize(
    "text, value",
    [
        ("7B", 7_000_000_000),
        ("7e9", 7_000_000_000),
        ("2.5 B", 2_500_000_000),
        ("300k", 300_000),
        (7000000000, 7_000_000_000),
        (7e9, 7_000_000_000),
    ],
)
def test_counts_accept_suffixes(text, value):
    assert parse_count(text) == value


def test_aliases_resolve():
    assert (
        parse_spec("version: 1\nproject: {name: t}\ntask: {type: NER}\n").spec.task.pipeline_tag
        == "token-classification"
    )
    s = parse_spec("version: 1\nproject: {name: t}\ntask: {type: code-completion}\n").spec
    assert s.task.pipeline_tag == "text-generation" and s.task.resolved_modality == "code"


# --- property: any document ends in a valid spec or a located SpecError, never anything else ----

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
KEYS = [
    "version",
    "project",
    "task",
    "data",
    "needs",
    "constraints",
    "name",
    "type",
    "languages",
    "gpus",
    "memory_gb",
    "hardware",
    "license",
    "labeled_examples",
    "deny",
    "models",
    "id",
    "x",
]
docs = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs)
def test_any_document_is_valid_or_a_located_error(doc):
    text = yaml.safe_dump(doc)
    try:
        parse_spec(text, "gen.yaml")
    except SpecError as exc:
        assert exc.location is not None and exc.location.file == "gen.yaml"
        assert exc.location.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_valid_or_a_located_error(text):
    try:
        parse_spec(text, "gen.yaml")
    except InputError as exc:
        assert exc.location is not None


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_non_finite_numbers_are_refused_at_their_line(value):
    text = spec_text(c=f"constraints:\n  budget_usd: {value}")
    with pytest.raises(SpecError, match=r"finite number") as info:
        parse_spec(text, "s.yaml")
    assert info.value.location.line == 5 and info.value.location.field == "constraints.budget_usd"


@pytest.mark.parametrize(
    "model_id",
    [
        "a/b\n::error::pwned",
        "org/x y",
        "../etc/passwd",
        "org/-x",
        "org/a--b",
        "org/" + "x" * 97,
        "a/b/c",
    ],
)
def test_declared_model_ids_must_be_hub_ids(model_id):
    text = spec_text(
        m="models:\n  - id: " + json.dumps(model_id)
    )  # a JSON string is a YAML double-quoted one
    with pytest.raises(SpecError, match="is not a Hugging Face model id") as info:
        parse_spec(text, "s.yaml")
    assert info.value.location.field == "models[0].id"


@pytest.mark.parametrize(
    "model, message",
    [
        ("{id: a/b, first_stage: continued_pre_training}", "declare the strategy too"),
        ("{id: a/b, strategy: fine_tuning, first_stage: fine_tuning}", "are both fine_tuning"),
    ],
)
def test_a_declared_first_stage_precedes_a_different_strategy(model, message):
    with pytest.raises(SpecError, match=message) as info:
        parse_spec(spec_text(m=f"models:\n  - {model}"), "s.yaml")
    assert info.value.location.field == "models[0]"
    ok = "{id: a/b, strategy: fine_tuning, first_stage: continued_pre_training}"
    declared = parse_spec(spec_text(m=f"models:\n  - {ok}"), "s.yaml").spec.models[0]
    assert (declared.first_stage, declared.strategy) == ("continued_pre_training", "fine_tuning")


@pytest.mark.parametrize(
    "model_id", ["gpt2", "Qwen/Qwen2.5-7B-Instruct", "org/model_v1.5", "a.b/c-d"]
)
def test_real_hub_ids_pass(model_id):
    assert parse_spec(
        spec_text(m=f"candidates:\n  include: [{model_id}]"), "s.yaml"
    ).spec.candidates.include == [model_id]


def test_revisions_cannot_carry_spaces_or_control_characters():
    with pytest.raises(SpecError, match="not a git revision"):
        parse_spec(
            spec_text(m='models:\n  - {id: org/m, revision: "main\\n::warning::x"}'), "s.yaml"
        )
    assert (
        parse_spec(spec_text(m="models:\n  - {id: org/m, revision: refs/pr/1}"), "s.yaml")
        .spec.models[0]
        .revision
        == "refs/pr/1"
    )
