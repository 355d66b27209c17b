"""Sourced catalog facts: the format, the build, the audit, staleness and unknown KV caches."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from fmadvisor.catalog import Catalog, staleness
from fmadvisor.catalog.audit import audit
from fmadvisor.catalog.candidate import candidate_from_dict
from fmadvisor.catalog.facts import FactsError, build_snapshot, load_facts

GOOD = """\
- id: acme/chat-7b
  pipeline_tag: text-generation
  license: apache-2.0
  params: 7000000000
  layers: 32
  hidden_size: 4096
  vocab_size: 32000
  languages: [en, fr]
  released: 2025-03-01
  sources:
    - ref: https://huggingface.co/acme/chat-7b
      about: model card
      fields: [pipeline_tag, license, params, languages, released]
    - ref: acme/models:configs/chat-7b/config.json
      about: config.json
      fields: [layers, hidden_size, vocab_size]
  evidence:
    - benchmark: MMLU-Pro
      metric: accuracy
      value: 40.1
      setting: 5-shot
      source: https://example.org/t
      date: 2025-04
"""


def write(tmp_path: Path, text: str, name: str = "f.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_facts_load_with_sources_and_dates_as_text(tmp_path):
    models = load_facts([write(tmp_path, GOOD)])
    m = models["acme/chat-7b"]
    assert m.facts["released"] == "2025-03-01"  # a YAML date stays ISO text
    assert m.field_source["layers"].ref.endswith("config.json")
    assert m.evidence[0]["date"] == "2025-04"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("fields: [layers, hidden_size, vocab_size]", "fields: [layers, hidden_size]"),
            "vocab_size name no source",
        ),
        (
            (
                "fields: [layers, hidden_size, vocab_size]",
                "fields: [layers, hidden_size, vocab_size, license]",
            ),
            "sourced twice",
        ),
        (("ref: acme/models:configs", "ref: configs"), "neither an https address"),
        (
            ("  params: 7000000000", "  params: 7000000000\n  colour: blue"),
            "unknown field 'colour'",
        ),
        (("  params: 7000000000", "  params: seven"), "'params' must be a non-negative integer"),
        (("date: 2025-04\n", "date: April\n"), "evidence date"),
    ],
)
def test_broken_facts_are_located_errors(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(FactsError) as info:
        load_facts([path])
    assert message in str(info.value) and str(path) in str(info.value)


ALIASED = """\
- id: acme/other-7b
  aliases: [ALIAS]
  sources: [{ref: "https://x.org/moved", about: the move, fields: [aliases]}]
"""


def test_a_moved_repository_is_found_by_its_old_id_and_keeps_its_own():
    cat = Catalog(
        (
            candidate_from_dict({"id": "acme/chat-7b", "aliases": ["chat-7b"]}),
            candidate_from_dict({"id": "chat-7b-gguf/chat-7b", "aliases": ["acme/chat-7b"]}),
        ),
        "test",
    )
    assert cat.get("CHAT-7B").id == "acme/chat-7b"  # legacy ids have no owner; any case
    assert cat.get("acme/chat-7b").id == "acme/chat-7b"  # a catalogued id wins over an alias
    assert cat.get("acme/chat-8b") is None


@pytest.mark.parametrize(
    "alias, message",
    [
        ("acme/chat-7b", "alias 'acme/chat-7b' already names acme/chat-7b"),
        ("a b", "alias 'a b' is not a Hub id"),
    ],
)
def test_an_alias_names_one_repository(tmp_path, alias, message):
    write(tmp_path, GOOD, "a.yaml")
    path = write(tmp_path, ALIASED.replace("ALIAS", f"'{alias}'"), "b.yaml")
    with pytest.raises(FactsError) as info:
        load_facts([tmp_path])
    assert message in str(info.value) and str(path) in str(info.value)
    write(tmp_path, ALIASED.replace("ALIAS", "chat-7b"), "b.yaml")
    assert load_facts([tmp_path])["acme/other-7b"].facts["aliases"] == ["chat-7b"]


def test_entries_merge_by_id_and_conflicts_are_errors(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(
        tmp_path,
        """\
    - id: acme/chat-7b
      kv_heads: 8
      license: apache-2.0
      sources:
        - {ref: "acme/models:configs/chat-7b/config.json", about: config, fields: [kv_heads, license]}
    """,
        "b.yaml",
    )
    m = load_facts([tmp_path])["acme/chat-7b"]
    assert m.facts["kv_heads"] == 8 and m.field_source["license"].ref.startswith(
        "https://"
    )  # first source stands
    write(
        tmp_path,
        """\
    - id: acme/chat-7b
      license: mit
      sources: [{ref: "https://x.org/a", about: page, fields: [license]}]
    """,
        "c.yaml",
    )
    with pytest.raises(FactsError, match="'license' is 'mit' here but 'apache-2.0'"):
        load_facts([tmp_path])


def test_audit_finds_unsourced_fields_and_shapes_that_contradict_sizes(tmp_path):
    snapshot, provenance = build_snapshot(
        load_facts([write(tmp_path, GOOD)]), facts_as_of="2025-05", compiled="x", notes=""
    )
    assert [i for i in audit(snapshot["models"], provenance["models"]) if i.level == "error"] == []
    record = dict(snapshot["models"][0], params=70_000_000_000, kv_heads=8)
    issues = audit([record], provenance["models"])
    assert {(i.field, i.level) for i in issues} >= {("params", "error"), ("kv_heads", "error")}


def test_audit_finds_weight_files_that_contradict_the_parameter_count():
    from fmadvisor.catalog.audit import _weight_files

    model = {"id": "org/m", "params": 342_000_000, "dtype": "float32", "weights_gb": 1.37}
    assert _weight_files(model) == []  # 1.37 GB / 4 bytes = 342.5M
    assert _weight_files(dict(model, weights_gb=2.74)) != []  # two formats' files added up
    (issue,) = _weight_files(dict(model, dtype="bfloat16"))
    assert (issue.level, issue.field) == ("error", "weights_gb") and "0.50x" in issue.message
    assert _weight_files({"id": "org/m", "weights_gb": 1.37, "dtype": "float32"}) == []


def test_audit_asks_a_hybrids_layers_for_its_attention_layers():
    from fmadvisor.catalog.audit import _hybrid_layers

    nemotron = {"id": "org/hybrid", "model_type": "nemotron_h", "layers": 56}
    assert [(i.level, i.field) for i in _hybrid_layers(nemotron)] == [("warning", "layers")]
    assert _hybrid_layers(dict(nemotron, attention_layers=4)) == []
    assert [(i.level, i.field) for i in _hybrid_layers(dict(nemotron, attention_layers=56))] == [
        ("error", "attention_layers")
    ]
    # a plain transformer, and Falcon-H1 (attention in every block), need none
    assert _hybrid_layers({"id": "org/dense", "model_type": "llama", "layers": 32}) == []
    assert _hybrid_layers({"id": "org/h1", "model_type": "falcon_h1", "layers": 24}) == []


def test_audit_wants_a_translators_targets_among_its_languages():
    from fmadvisor.catalog.audit import _definitions

    mt = {"id": "org/mt-de-en", "languages": ["de", "en"], "target_languages": ["en"]}
    assert [i for i in _definitions(mt) if i.field == "target_languages"] == []
    wrong = [i for i in _definitions(dict(mt, target_languages=["fr"])) if i.level == "error"]
    assert [(i.field, "['fr'] are not" in i.message) for i in wrong] == [("target_languages", True)]
    # a card that names more languages than it lists ('*') cannot be checked
    unchecked = _definitions(dict(mt, languages=["*"], target_languages=["fr"]))
    assert [i for i in unchecked if i.field == "target_languages"] == []


def test_shipped_snapshot_is_the_build_of_the_facts_and_passes_the_audit(tmp_path):
    """The embedded snapshot cannot drift from catalog/models: rebuilding gives the same models."""
    shipped = json.loads((ROOT / "src/fmadvisor/catalog/snapshot.json").read_text())
    prov = json.loads((ROOT / "src/fmadvisor/catalog/snapshot.sources.json").read_text())
    built, built_prov = build_snapshot(
        load_facts([ROOT / "catalog" / "models"]),
        facts_as_of=shipped["facts_as_of"],
        compiled=shipped["compiled"],
        notes=shipped["notes"],
    )
    assert built == shipped and built_prov == prov
    assert [i for i in audit(shipped["models"], prov["models"]) if i.level == "error"] == []
    assert shipped["facts_as_of"] >= "2026-09"


def test_pending_facts_load_beside_the_shipped_ones():
    """catalog/pending holds sourced facts held back from the build (its README says why): they
    must stay loadable beside catalog/models (every value sourced, none in conflict) and add no
    model the shipped facts do not have."""
    pending = ROOT / "catalog" / "pending"
    assert (pending / "README.md").is_file() and list(pending.glob("*.yaml"))
    shipped = load_facts([ROOT / "catalog" / "models"])
    both = load_facts([ROOT / "catalog" / "models", pending])
    assert set(both) == set(shipped)
    assert sum(len(m.evidence) for m in both.values()) > sum(
        len(m.evidence) for m in shipped.values()
    )


def test_every_field_of_every_shipped_model_names_a_source():
    shipped = json.loads((ROOT / "src/fmadvisor/catalog/snapshot.json").read_text())
    prov = json.loads((ROOT / "src/fmadvisor/catalog/snapshot.sources.json").read_text())["models"]
    for record in shipped["models"]:
        sourced = {f for s in prov[record["id"]] for f in s["fields"]}
        assert set(record) - {"id", "evidence"} <= sourced, record["id"]


def test_a_catalog_older_than_six_months_says_so():
    cat = Catalog((), "embedded", "2026-05", None)
    assert staleness(cat, dt.date(2026, 11, 1)) is None  # six months: still fresh
    note = staleness(cat, dt.date(2026, 12, 1))
    assert note and "7 months old" in note and "fmadvisor catalog refresh" in note


def test_stale_catalog_note_reaches_json_and_stderr(cli):
    code, out, err = cli(
        "score",
        str(ROOT / "examples/support-assistant.yaml"),
        "-f",
        "json",
        "--as-of",
        "2030-01-01",
    )
    assert code == 0 and "catalog refresh" in err
    assert any("months old" in n for n in json.loads(out)["notes"])


def test_unknown_kv_cache_is_never_a_fit():
    from fmadvisor.rules import load_rulebase
    from fmadvisor.scoring import Scorer
    from fmadvisor.spec import Spec

    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "kv"},
            "task": {"type": "text-generation"},
            "needs": {"context_tokens": 128000},
            "constraints": {"hardware": {"gpus": [{"name": "L4"}]}},
        }
    )
    scorer = Scorer(spec, load_rulebase(), dt.date(2026, 11, 1))
    shapeless = candidate_from_dict(
        {"id": "a/b", "pipeline_tag": "text-generation", "params": 2_500_000_000}
    )
    shaped = candidate_from_dict(
        {
            "id": "a/c",
            "pipeline_tag": "text-generation",
            "params": 2_500_000_000,
            "layers": 40,
            "hidden_size": 2048,
            "attention_heads": 32,
            "kv_heads": 8,
        }
    )
    assert scorer.rule_outcome("hardware.does-not-fit", shapeless) == "unknown"
    assert scorer.rule_outcome("hardware.does-not-fit", shaped) in ("fires", "passes")
    encoder = candidate_from_dict(
        {"id": "a/d", "pipeline_tag": "feature-extraction", "params": 110_000_000}
    )
    assert scorer.rule_outcome("hardware.does-not-fit", encoder) == "passes"  # no KV cache to size


def test_a_value_checked_against_each_members_own_source_is_no_longer_family_shared():
    family = {"ref": "org/family:README.md", "about": "family README", "fields": ["license"]}
    models = [{"id": f"org/m{i}", "license": "mit"} for i in range(3)]
    shared = {m["id"]: [family] for m in models}
    assert any("from one source" in i.message for i in audit(models, shared))
    # each member's own card listed first: it is the field's source; the family README repeats it
    own = {
        m["id"]: [
            {"ref": f"https://huggingface.co/{m['id']}", "about": "card", "fields": ["license"]},
            family,
        ]
        for m in models
    }
    assert not any("from one source" in i.message for i in audit(models, own))


def test_a_context_length_from_mteb_metadata_is_said_to_be_outside_the_definition():
    mteb = {
        "ref": "embeddings-benchmark/mteb:mteb/models/x.py",
        "about": "x",
        "fields": ["context_length"],
    }
    config = {"ref": "org/b:config.json", "about": "config", "fields": ["context_length"]}
    models = [{"id": "org/a", "context_length": 512}, {"id": "org/b", "context_length": 514}]
    issues = audit(models, {"org/a": [mteb], "org/b": [config]})
    flagged = [i for i in issues if "MTEB" in i.message]
    assert len(flagged) == 1 and flagged[0].level == "warning" and flagged[0].model == "org/a"


def test_audit_warns_of_an_untagged_model_only_when_selection_never_takes_it():
    tagless = {"id": "org/x", "license": "mit"}
    speech = {**tagless, "id": "org/hubert", "model_type": "hubert"}
    backbone = {**tagless, "id": "org/prithvi", "library": "terratorch"}
    tagged = {**tagless, "id": "org/bert", "pipeline_tag": "fill-mask"}
    warned = {
        i.model
        for i in audit([tagless, speech, backbone, tagged], None)
        if i.field == "pipeline_tag"
    }
    assert warned == {"org/x"}
