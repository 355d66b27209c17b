"""Open-ended words in a spec (languages, frameworks, integrations, GPU names) are checked against
the vocabularies in the rule base: a located warning with a did-you-mean, an error under strict."""

from __future__ import annotations

import json
import re

import pytest

from conftest import spec_text
from fmadvisor.speccheck import languages, vocabulary_problems
from fmadvisor.spec import parse_spec

TYPOS = spec_text(
    t="constraints:\n  frameworks: [torch]\n  integrations: [vlm, langchain]\n"
    "  hardware: {gpus: [{name: L40}, {name: MyCard, memory_gb: 32}]}",
).replace(
    "task: {type: text-generation}", "task: {type: text-generation, languages: [en, japanese]}"
)


def test_iso_639_1_is_shipped_as_data():
    codes = languages()
    assert len(codes) == 183 and codes["ja"] == "Japanese" and codes["no"] == "Norwegian"


def test_each_unknown_word_is_located_with_a_did_you_mean(rulebase):
    problems = vocabulary_problems(parse_spec(TYPOS, "s.yaml"), rulebase.tables)
    got = [(p.location.field, p.location.line) for p in problems]
    assert got == [
        ("task.languages[1]", 3),
        ("constraints.frameworks[0]", 5),
        ("constraints.integrations[0]", 6),
        ("constraints.hardware.gpus[0].name", 7),
    ]
    messages = " | ".join(p.message for p in problems)
    for hint in ("'ja' (Japanese)", "'pytorch'", "'vllm'", "'L40S'"):
        assert f"did you mean {hint}?" in messages


def test_known_words_and_gpus_with_memory_pass(rulebase):
    text = spec_text(
        t="constraints:\n  frameworks: [pytorch, transformers]\n  integrations: [vllm, langchain]\n"
        "  hardware: {gpus: [{name: a100}, {name: MyCard, memory_gb: 32}]}"
    )
    assert vocabulary_problems(parse_spec(text), rulebase.tables) == []


def test_warnings_by_default_errors_when_strict(cli, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(TYPOS)
    code, out, err = cli("score", str(p), "-f", "json", "--as-of", "2026-11-22")
    assert code == 0 and json.loads(out)["errors"] == []
    assert err.count("warning: ") == 4 and "s.yaml:5:16: constraints.frameworks[0]" in err
    for args in (["--strict"], ["--profile", "strict"]):
        code, out, err = cli("score", str(p), "-f", "json", *args)
        assert code == 2 and err.count("error: ") == 4, err
        assert len(json.loads(out)["errors"]) == 4


def test_check_is_strict_too(cli, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(TYPOS + "models:\n  - {id: Qwen/Qwen3-4B}\n")
    code, out, err = cli("check", str(p), "-f", "json", "--strict", "--offline")
    assert code == 2 and "unknown framework 'torch'" in err


@pytest.mark.parametrize("answer, hint", [("japanese", "'ja' (Japanese)"), ("ger", "'de'")])
def test_ask_names_the_code_it_expects(answer, hint):
    from fmadvisor.interview import BY_ID, BadAnswer

    with pytest.raises(BadAnswer, match=re.escape(f"did you mean {hint}")):
        BY_ID["languages"].parse(answer)
