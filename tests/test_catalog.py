"""The embedded snapshot: breadth the issue asks for, internal consistency, and recorded facts."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import msgspec
import pytest

from fmadvisor import tasks
from fmadvisor.catalog import Catalog, load_file
from fmadvisor.catalog.candidate import Candidate, CandidateDataError, candidate_from_dict
from fmadvisor.catalog.iso639 import with_iso639_1
from fmadvisor.errors import InputError
from fmadvisor.rules.fields import license_info

REQUIRED_TAGS = {
    "text-generation",
    "text-classification",
    "token-classification",
    "question-answering",
    "summarization",
    "translation",
    "feature-extraction",
    "sentence-similarity",
    "fill-mask",
    "automatic-speech-recognition",
    "image-classification",
    "object-detection",
    "text-to-image",
    "image-to-text",
    "zero-shot-classification",
}


def test_breadth(catalog, rulebase):
    assert len(catalog) >= 150
    tags = Counter(c.pipeline_tag for c in catalog)
    assert REQUIRED_TAGS <= set(tags), REQUIRED_TAGS - set(tags)
    sizes = [c.params for c in catalog if c.params]
    assert min(sizes) < 10_000_000 and max(sizes) > 100_000_000_000
    classes = {license_info(c, rulebase.tables).license_class for c in catalog if c.license}
    assert {"permissive", "copyleft", "non-commercial", "use-restricted", "community"} <= classes
    assert any(c.gated for c in catalog) and any(c.gated is False for c in catalog)
    assert any(c.active_params for c in catalog), (
        "mixture-of-experts models carry active parameters"
    )
    assert any(c.license is None for c in catalog), "unknown licenses stay unknown"
    thin = {tag: n for tag, n in tags.items() if tag and n < 8}
    assert not thin, f"every task the catalog serves has at least 8 models to compare: {thin}"


def test_snapshot_records_its_date():
    raw = json.loads(resources.files("fmadvisor.catalog").joinpath("snapshot.json").read_text())
    assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw["facts_as_of"])
    assert raw["compiled"] and raw["notes"]


def _problems(c, rulebase) -> list[str]:
    """What is inconsistent about one record (every check, so a report lists them all)."""
    out = []
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", c.id):
        out.append("id is not a Hub id")
    if c.pipeline_tag is not None and c.pipeline_tag not in tasks.PIPELINE_MODALITY:
        out.append(
            f"unknown pipeline tag {c.pipeline_tag}"
        )  # None is unknown: allowed, selected by id only
    if c.license and c.license != "other" and c.license not in rulebase.tables.licenses:
        out.append(f"license tag {c.license} has no class in rules/tables/licenses.yaml")
    if c.license_name and not (
        c.license == "other" and c.license_name.lower() in rulebase.tables.licenses
    ):
        out.append(f"license_name {c.license_name} needs license: other and a class")
    if c.released and not re.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])(-\d{2})?", c.released):
        out.append(f"released {c.released} is not YYYY-MM[-DD]")
    if c.active_params and not (c.params and c.active_params < c.params):
        out.append("active_params must be below params")
    if c.attention_heads and c.kv_heads and c.attention_heads % c.kv_heads:
        out.append("heads not a multiple of kv heads")
    if (
        c.params
        and c.layers
        and c.hidden_size
        and c.active_params is None
        and c.model_type != "albert"
    ):
        # 12 x layers x hidden^2 is the transformer block count; a model cannot be much smaller
        # (ALBERT shares its layers: exempt)
        if c.params <= 0.25 * 12 * c.layers * c.hidden_size**2:
            out.append("params far below what its layers and width imply")
    if c.variant and c.variant not in ("base", "instruct"):
        out.append(f"variant {c.variant}")
    if c.languages and not all(re.fullmatch(r"[a-z]{2,3}|\*", lang) for lang in c.languages):
        out.append(f"languages {c.languages}")
    return out


def test_records_are_consistent(catalog, rulebase):
    ids = [c.id.lower() for c in catalog]
    assert len(ids) == len(set(ids))
    problems = [f"{c.id}: {p}" for c in catalog for p in _problems(c, rulebase)]
    assert problems == []


def test_facts_match_recorded_hub_responses(catalog):
    """Values from the Hub's own API responses (recorded January 2025)."""
    bert = catalog.get("google-bert/bert-base-uncased")
    assert (bert.params, bert.license, bert.pipeline_tag, bert.weights_format) == (
        110106428,
        "apache-2.0",
        "fill-mask",
        "safetensors",
    )
    squad = catalog.get("deepset/roberta-base-squad2")
    assert (squad.params, squad.license) == (124057092, "cc-by-4.0")
    albert = catalog.get("sentence-transformers/paraphrase-albert-small-v2")
    assert (albert.params, albert.library) == (11684096, "sentence-transformers")
    sd = catalog.get("stabilityai/stable-diffusion-2-1")
    assert (sd.license, sd.library, sd.params) == ("openrail++", "diffusers", None)


def test_lookup_is_case_insensitive(catalog):
    assert catalog.get("META-LLAMA/llama-3.1-8b-instruct").id == "meta-llama/Llama-3.1-8B-Instruct"


@pytest.mark.parametrize(
    "record, words",
    [
        ({"id": "a/b", "params": "7B"}, "non-negative integer"),
        ({"id": "a/b", "gated": "yes"}, "true or false"),
        ({"id": "a/b", "languages": "en"}, "list of strings"),
        ({"id": "a/b", "colour": "red"}, "unknown field"),
        ({"id": ""}, "non-empty"),
        ({"id": "a/b", "params": True}, "non-negative integer"),
    ],
)
def test_candidate_records_are_checked(record, words):
    with pytest.raises(CandidateDataError, match=words):
        candidate_from_dict(record)


def test_catalog_file(tmp_path):
    good = tmp_path / "c.json"
    good.write_text(
        json.dumps(
            {"facts_as_of": "2026-01", "models": [{"id": "org/m", "pipeline_tag": "fill-mask"}]}
        )
    )
    assert load_file(good).get("org/m").pipeline_tag == "fill-mask"
    bad = tmp_path / "bad.json"
    bad.write_text('{"models": [\n{"id": "org/m",}]}')
    with pytest.raises(InputError) as info:
        load_file(bad)
    assert info.value.location.line == 2
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"models": [{"id": "org/m", "params": "big"}]}))
    with pytest.raises(InputError, match="org/m"):
        load_file(wrong)


def test_snapshot_passes_the_checks_its_fast_load_skips(catalog):
    """load_embedded builds Candidates without candidate_from_dict's checks; every record must pass
    those checks and give the same Candidate."""
    raw = json.loads(resources.files("fmadvisor.catalog").joinpath("snapshot.json").read_text())
    checked = with_iso639_1(candidate_from_dict(r) for r in raw["models"])
    # the loaded catalog adds only ISO 639-1 forms of language codes (catalog/iso639.py), sizes
    # and tasks inferred (catalog/inherit.py), and the family prior's siblings and the lineage
    # prior's base (catalog/family.py)
    assert checked == tuple(_as_recorded(c) for c in catalog.candidates)


def _as_recorded(c):
    if c.params_basis:
        c = msgspec.structs.replace(c, params=None, params_basis=None)
    if c.pipeline_tag_basis:
        c = msgspec.structs.replace(c, pipeline_tag=None, pipeline_tag_basis=None)
    if c.larger_siblings:
        c = msgspec.structs.replace(c, larger_siblings=())
    if c.base_results:
        c = msgspec.structs.replace(c, base_results=None)
    return c


def test_a_language_model_without_a_hub_task_is_a_text_generator_said_so():
    cat = Catalog(
        (
            Candidate(id="o/llm", variant="instruct"),
            Candidate(id="o/other"),
            Candidate(id="o/tagged", pipeline_tag="image-text-to-text", variant="instruct"),
        ),
        "test",
    )
    llm, other, tagged = cat.get("o/llm"), cat.get("o/other"), cat.get("o/tagged")
    assert llm.pipeline_tag == "text-generation" and llm.pipeline_tag_basis
    assert other.pipeline_tag is None and other.pipeline_tag_basis is None
    assert tagged.pipeline_tag == "image-text-to-text" and tagged.pipeline_tag_basis is None


def test_sizes_are_inherited_only_from_a_text_base_of_known_size():
    base = Candidate(
        id="org/base", pipeline_tag="fill-mask", params=355_000_000, model_type="roberta"
    )
    tuned = Candidate(id="org/ner", pipeline_tag="token-classification", base_model="org/base")
    again = Candidate(id="org/ner2", pipeline_tag="token-classification", base_model="org/ner")
    other = Candidate(
        id="org/ctrl", pipeline_tag="text-to-image", base_model="org/base"
    )  # another modality
    arch = Candidate(
        id="org/x", pipeline_tag="token-classification", base_model="org/base", model_type="bert"
    )
    loop = Candidate(id="org/a", pipeline_tag="fill-mask", base_model="org/a")
    cat = Catalog((base, tuned, again, other, arch, loop), "test")
    sizes = {c.id: (c.params, c.params_basis) for c in cat}
    assert sizes["org/ner"] == (355_000_000, "its base model, org/base")
    assert sizes["org/ner2"] == (
        355_000_000,
        "its base model, org/base",
    )  # along the chain, from the counted one
    assert sizes["org/base"] == (355_000_000, None)
    assert sizes["org/ctrl"] == sizes["org/x"] == sizes["org/a"] == (None, None)
    assert cat.get("org/ner").params_basis == "its base model, org/base"


def test_an_encoder_trained_further_for_its_bases_task_has_its_size():
    """RAD-DINO is DINOv2-base trained on chest X-rays: an image encoder fine-tuned for its base's
    own task keeps the base's size; a ControlNet or an encoder of another task does not."""
    base = Candidate(id="org/vit", pipeline_tag="image-feature-extraction", params=86_580_480)
    tuned = Candidate(id="org/rad", pipeline_tag="image-feature-extraction", base_model="org/vit")
    gen = Candidate(id="org/gen", pipeline_tag="text-to-image", params=12_000_000_000)
    ctrl = Candidate(id="org/ctrl", pipeline_tag="text-to-image", base_model="org/gen")
    seg = Candidate(id="org/seg", pipeline_tag="image-segmentation", base_model="org/vit")
    cat = Catalog((base, tuned, gen, ctrl, seg), "test")
    assert (cat.get("org/rad").params, cat.get("org/rad").params_basis) == (
        86_580_480,
        "its base model, org/vit",
    )
    assert cat.get("org/ctrl").params is None and cat.get("org/seg").params is None


def test_a_model_without_a_count_is_sized_from_its_listed_weight_files():
    """1.37 GB of float32 weights hold ~342M parameters; the repository's own files come before its
    base's count, and without a known dtype the files give no size."""
    base = Candidate(id="org/base", pipeline_tag="depth-estimation", params=300_000_000)
    dpt = Candidate(
        id="org/dpt",
        pipeline_tag="depth-estimation",
        weights_gb=1.37,
        dtype="float32",
        base_model="org/base",
    )
    half = Candidate(id="org/half", pipeline_tag="text-to-speech", weights_gb=1.5, dtype="bfloat16")
    no_dtype = Candidate(id="org/nodtype", pipeline_tag="text-to-speech", weights_gb=1.5)
    own = Candidate(
        id="org/own", pipeline_tag="text-to-speech", params=7, weights_gb=1.5, dtype="float16"
    )
    cat = Catalog((base, dpt, half, no_dtype, own), "test")
    assert (cat.get("org/dpt").params, cat.get("org/dpt").params_basis) == (
        342_500_000,
        "its weight files (1.37 GB of float32, 4 bytes a parameter)",
    )
    assert cat.get("org/half").params == 750_000_000
    assert cat.get("org/nodtype").params is None
    assert (cat.get("org/own").params, cat.get("org/own").params_basis) == (7, None)


def test_bert_shape_count_matches_every_sized_bert_family_encoder(catalog):
    """The shape law inherit.py sizes unsized BERT-family encoders by holds within 3% of every
    catalog model of that family whose count a source states."""
    from fmadvisor.catalog.inherit import shape_size

    checked = 0
    for c in catalog:
        n = shape_size(c)
        if n is not None and c.params is not None and c.params_basis is None:
            assert abs(n / c.params - 1) < 0.03, (c.id, n, c.params)
            checked += 1
    assert checked >= 8
    inferred = {c.id: c for c in catalog if c.params_basis and "shape" in c.params_basis}
    assert "emilyalsentzer/Bio_ClinicalBERT" in inferred


def test_a_lock_pins_the_sources_size_not_an_inferred_one(catalog):
    from fmadvisor.lockfile import metadata_of

    inferred = catalog.get("obi/deid_roberta_i2b2")
    assert inferred.params and inferred.params_basis  # sized from roberta-large at load time
    assert metadata_of(inferred)["params"] is None
    own = catalog.get("FacebookAI/roberta-large")
    assert metadata_of(own)["params"] == own.params
