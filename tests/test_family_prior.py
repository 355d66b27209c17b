"""The family prior (catalog/family.py): an unmeasured model is bounded by its measured larger
siblings of the same family and generation, and only by those; and the lineage prior: an unmeasured
model is given the measured checkpoint it was fine-tuned from."""

from __future__ import annotations

import datetime as dt

import pytest

from fmadvisor.advise import advise
from fmadvisor.catalog import catalog_from_records, load_embedded
from fmadvisor.catalog.family import family_key
from fmadvisor.rules import load_rulebase
from fmadvisor.spec import Spec


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("openai/whisper-tiny", "openai/whisper-large"),
        ("google/gemma-3-1b-it", "google/gemma-3-27b-it"),
        ("Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-72B-Instruct"),
        ("google/gemma-3n-E2B-it", "google/gemma-3n-E4B-it"),
        ("microsoft/deberta-v3-xsmall", "microsoft/deberta-v3-large"),
        ("SmolLM3/SmolLM3-3B-Base", "SmolLM3/SmolLM3-3B"),  # variant is compared apart
    ],
)
def test_sizes_of_one_family_and_generation_share_a_key(a, b):
    assert family_key(a) == family_key(b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("openai/whisper-tiny", "openai/whisper-large-v3"),  # another generation
        ("Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-Coder-7B"),  # another family
        ("Qwen/Qwen2.5-7B", "Qwen/Qwen3-8B"),  # another generation
        ("Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-7B-Instruct"),  # another variant
        ("openai/whisper-tiny", "someone/whisper-large"),  # another owner
    ],
)
def test_other_generations_families_variants_and_owners_do_not(a, b):
    assert family_key(a) != family_key(b)


def test_a_name_without_a_size_word_has_no_family():
    assert family_key("Helsinki-NLP/opus-mt-en-de") is None
    assert family_key("no-owner") is None


def _evidence(percentile_value: float) -> list[dict]:
    return [{"benchmark": "B", "metric": "wer", "value": percentile_value, "source": "a/b:c"}]


def test_only_larger_measured_siblings_with_the_same_task_bound_a_model():
    records = [
        {
            "id": "org/m-large",
            "pipeline_tag": "automatic-speech-recognition",
            "params": 1_500_000_000,
        },
        {
            "id": "org/m-small",
            "pipeline_tag": "automatic-speech-recognition",
            "params": 240_000_000,
        },
        {"id": "org/m-tiny", "pipeline_tag": "automatic-speech-recognition", "params": 39_000_000},
        {"id": "org/m-base", "pipeline_tag": "text-classification", "params": 100_000_000},
    ]
    records[0]["evidence"] = [{**_evidence(8)[0], "percentile": 0.3, "peers": 9}]
    records[1]["evidence"] = [{**_evidence(9)[0], "percentile": 0.2, "peers": 9}]
    by_id = {c.id: c for c in catalog_from_records(records, source="test").candidates}
    assert [s.id for s in by_id["org/m-tiny"].larger_siblings] == ["org/m-large", "org/m-small"]
    assert [s.id for s in by_id["org/m-small"].larger_siblings] == ["org/m-large"]
    assert by_id["org/m-large"].larger_siblings == ()
    assert by_id["org/m-base"].larger_siblings == ()  # another task


def test_a_source_record_cannot_set_the_prior_itself():
    records = [
        {
            "id": "org/m-tiny",
            "params": 39_000_000,
            "larger_siblings": [{"id": "org/m-huge", "evidence": _evidence(1)}],
        }
    ]
    (c,) = catalog_from_records(records, source="test").candidates
    assert c.larger_siblings == ()


def test_an_unmeasured_fine_tune_is_given_its_measured_base_and_only_then():
    measured = {**_evidence(70)[0], "percentile": 0.1, "peers": 9}
    records = [
        {"id": "org/enc-base", "pipeline_tag": "fill-mask", "evidence": [measured]},
        {"id": "org/enc-base-sentiment", "base_model": "ORG/enc-base"},  # ids match in any case
        {"id": "org/enc-base-ner", "base_model": "org/enc-base", "evidence": [measured]},
        {"id": "org/other-head", "base_model": "org/not-in-catalog"},
        # a source record cannot set it: it is computed when the catalog loads
        {"id": "org/plain", "base_results": {"id": "org/enc-base", "evidence": [measured]}},
    ]
    by_id = {c.id: c for c in catalog_from_records(records, source="test").candidates}
    assert by_id["org/enc-base-sentiment"].base_results.id == "org/enc-base"
    assert by_id["org/enc-base-ner"].base_results is None  # measured itself
    assert by_id["org/other-head"].base_results is None
    assert by_id["org/plain"].base_results is None


def test_e5_base_is_said_to_be_bounded_by_e5_large_and_whisper_tiny_is_measured():
    """e5-base-v2 has no comparable result of its own: its larger sibling's bounds it, said by name.
    whisper-tiny had been the shipped example until Whisper's FLEURS table gave it results of its
    own: a measured model is judged on them, and no prior is applied."""
    catalog, rulebase = load_embedded(), load_rulebase()

    def findings(task: str, model_id: str) -> dict[str, set[str]]:
        spec = Spec.model_validate(
            {
                "version": 1,
                "project": {"name": "x"},
                "task": {"type": task, "languages": ["en"]},
                "needs": {"quality": "balanced"},
            }
        )
        advice = advise(
            spec,
            catalog.candidates,
            rulebase,
            as_of=dt.date(2026, 12, 1),
            lookup=catalog.get,
            top=None,
        )
        model = next(m for m in advice.ranking.models if m.candidate.id == model_id)
        out: dict[str, set[str]] = {}
        for f in model.findings:
            out.setdefault(f.outcome, set()).add(f"{f.rule}: {f.message}")
        return out

    e5 = findings("feature-extraction", "intfloat/e5-base-v2")
    prior = [m for m in e5.get("fired", ()) if m.startswith("capability.prior-below-median")]
    assert prior and "intfloat/e5-large-v2" in prior[0]
    assert any(m.startswith("capability.below-top-quarter") for m in e5.get("unknown", ()))
    tiny = findings("automatic-speech-recognition", "openai/whisper-tiny")
    assert not [m for m in tiny.get("fired", ()) if m.startswith("capability.prior")]
    assert any(m.startswith("capability.below-top-quarter") for m in tiny.get("fired", ()))
