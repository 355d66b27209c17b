"""Every example's report agrees with itself: serving fit, training fit and cost never contradict.

Reads the `score` JSON of each example (as a user would) and checks that a strategy's own fit
equals its method's fit, that the customization findings on its base model say the same, that
figures name the hardware they are for, and that owned or unpriced hardware is never priced.
"""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, ROOT
from fmadvisor.rules import load_rulebase

GPUS = load_rulebase().tables


def _report(cli, example):
    code, out, err = cli("score", str(EXAMPLES / example), "-f", "json", "--as-of", "2026-11-22")
    assert code == 0, err
    return json.loads(out)["results"][0]


def _reasons(model, factor):
    return model["factors"].get(factor, {}).get("reasons", [])


def _priced(label):
    """The hourly price of the GPU a label like '2 x L40S' or 'rented A100-80GB (...)' names (None:
    CPU or unpriced)."""
    if label.startswith("rented "):
        name = label[len("rented ") :].split(" (", 1)[0]
    elif " x " in label:
        name = label.split(" x ", 1)[1].split(" (", 1)[0]
    else:
        return None
    gpu = GPUS.gpu(name)
    return gpu.usd_per_hour if gpu else None


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_serving_fit_training_fit_and_cost_agree(example, cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = _report(cli, example)
    models = {m["id"]: m for m in result["models"]}
    for entry in result["strategy"]["ranking"]:
        e = entry["estimate"]
        if e["gpu_memory_bytes"] is not None:
            assert e["hardware"], f"{entry['id']}: memory without the hardware it is for"
        methods = e.get("methods") or {}
        if entry["method"] and methods:
            own = methods[entry["method"]]
            assert own["fits_hardware"] == e["fits_hardware"], entry["id"]
            assert own["gpu_memory_bytes"] == e["gpu_memory_bytes"], entry["id"]
        base = models.get(e["base_model"])
        if methods and base is not None:
            custom = _reasons(base, "customization")
            if methods["qlora"]["fits_hardware"] is True:
                assert not any("Cannot be fine-tuned" in r for r in custom), custom
            if methods["qlora"]["fits_hardware"] is False:
                assert not any(r.startswith("ok: Can be fine-tuned") for r in custom), custom
            if methods["lora"]["fits_hardware"] is False:
                assert not any(r.startswith("ok: LoRA") for r in custom), custom
        label = e.get("hardware") or ""
        cost = e["cost_usd"]
        if "(owned)" in label:
            assert cost == {"low": 0, "high": 0}, f"{entry['id']}: owned hardware priced"
        elif entry["id"] != "in_context_learning" and e["gpu_hours"] and _priced(label) is None:
            assert cost == {"low": None, "high": None}, f"{entry['id']}: unpriced GPU priced"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_owned_hardware_is_not_priced_per_hour(example, cli, monkeypatch):
    from fmadvisor.spec import load_spec

    monkeypatch.chdir(ROOT)
    spec = load_spec(EXAMPLES / example).spec
    if not spec.constraints.hardware.owned(spec.constraints.deployment):
        return
    for model in _report(cli, example)["models"]:
        assert not any("$" in r and "/month" in r for r in _reasons(model, "cost")), model["id"]
