"""Loading rule bases: profiles, layering, and located errors for broken rule files."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from fmadvisor.errors import RuleError
from fmadvisor.rules import load_rulebase, profiles

RULE = """
  - id: custom.big
    factor: cost
    kind: score
    severity: low
    when: {field: model.params, gt: 1000}
    adjust: -0.5
    message: "{model.id} is big"
    remediation: pick a smaller one
    rationale: because
"""


def write(tmp_path, text, name="r.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def test_shipped_profiles(rulebase):
    assert {"default", "strict"} <= set(profiles())
    assert abs(sum(rulebase.weights.values()) - 1) < 1e-9
    strict = load_rulebase(profile="strict")
    assert len(strict.rules) == len(rulebase.rules) + 2
    assert strict.weights["license"] > rulebase.weights["license"]


def test_meta_every_rule_is_complete(rulebase):
    ids = [r.id for r in load_rulebase(profile="strict").rules]
    assert len(ids) == len(set(ids))
    for r in rulebase.rules:
        assert r.rationale.strip() and r.remediation.strip() and r.message.strip(), r.id
        if r.target == "model":
            assert r.id.split(".")[0] in (r.factor, r.factor.split("_")[0]), (
                f"{r.id} is prefixed by its factor"
            )
            assert r.factor in rulebase.weights
        else:
            assert r.id.startswith("strategy.") and r.factor in rulebase.strategy_weights, r.id


def test_user_file_adds_disables_and_reweights(tmp_path, rulebase):
    p = write(
        tmp_path, "version: 1\nweights: {cost: 0.5}\ndisable: [license.custom]\nrules:" + RULE
    )
    rb = load_rulebase([p])
    assert rb.get("custom.big") is not None and rb.get("license.custom") is None
    assert rb.weights["cost"] > rulebase.weights["cost"]


def test_a_first_stage_names_defined_strategy_rules(tmp_path, rulebase):
    """first_stage_when is checked against the rule base: a typo is a located error; a rule the
    user disables is still defined, and only means no stage is called for."""
    from fmadvisor.errors import RuleError

    p = write(tmp_path, "version: 1\ndisable: [strategy.domain-language]\n")
    assert load_rulebase([p]).get("strategy.domain-language") is None
    bad = write(
        tmp_path,
        "version: 1\ntables:\n  strategies:\n    continued_pre_training:\n"
        + "".join(
            f"      {line}\n"
            for line in (
                "weeks: [4, 12]",
                "summary: s",
                "data: {min_examples: 0, recommended: r, splits: s}",
                "risks: [{risk: r, mitigation: m}]",
                "monitor: [m]",
                "refresh: r",
                "guidance: [g]",
                "first_stage_when: [strategy.no-such-rule]",
            )
        ),
    )
    with pytest.raises(RuleError, match="strategy.no-such-rule") as info:
        load_rulebase([bad])
    assert info.value.location.line == 12


def test_extends_none_starts_empty(tmp_path):
    p = write(tmp_path, "version: 1\nextends: none\nweights: {cost: 1}\nrules:" + RULE)
    rb = load_rulebase([p])
    assert [r.id for r in rb.rules] == ["custom.big"] and rb.profile == "none"


def test_floors_let_a_factor_keep_costing_below_zero(tmp_path, rulebase):
    from fmadvisor.catalog.candidate import Candidate
    from fmadvisor.scoring import Scorer
    from fmadvisor.spec import Spec

    assert rulebase.floors == {"task_fit": -1.0, "cost": -0.5}
    assert rulebase.floors_for("strategy") == [0.0] * len(rulebase.strategy_weights)
    # a generalist, prompted, 0.1B model with a 512-token context for an 8k clinical summary
    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "p"},
            "task": {"type": "summarization", "domain": "clinical"},
            "needs": {"context_tokens": 8192},
        }
    )
    weak = Candidate(
        id="o/m", pipeline_tag="text-generation", params=100_000_000, context_length=512
    )
    flat = load_rulebase([write(tmp_path, "version: 1\nfloors: {task_fit: 0}\n")])
    scores = {}
    for name, rb in (("floored", rulebase), ("flat", flat)):
        scorer = Scorer(spec, rb, dt.date(2026, 12, 1))
        factors, _ = scorer.explain(weak)
        scores[name] = (scorer.evaluate(weak)[0], factors["task_fit"].score)
    assert scores["floored"][1] < 0 and scores["flat"][1] == 0
    w = rulebase.weights["task_fit"]
    assert scores["flat"][0] - scores["floored"][0] == pytest.approx(
        -scores["floored"][1] * w, abs=1e-3
    )


def test_cost_keeps_counting_below_zero_for_a_model_oversized_every_way(rulebase):
    """Cost's rules are separate signals: with a floor of 0, a 3B, a 7B and a 32B generator over
    the serving budget of a translation job would all score 0 on cost, as if being several times
    the task's own models cost nothing more (f9b-inhouse-mt-llama3-tm)."""
    from fmadvisor.catalog.candidate import Candidate
    from fmadvisor.scoring import Scorer
    from fmadvisor.spec import Spec

    spec = Spec.model_validate(
        {
            "version": 1,
            "project": {"name": "p"},
            "task": {
                "type": "translation",
                "languages": ["en", "pt", "cs", "de", "fi", "ko"],
                "scope": "narrow",
                "subtasks": 5,
            },
            "needs": {"reduce_inference_cost": True},
            "constraints": {
                "monthly_budget_usd": 2000,
                "hardware": {"gpus": [{"name": "A100-80GB", "count": 1}], "ownership": "rented"},
            },
        }
    )
    scorer = Scorer(spec, rulebase, dt.date(2026, 12, 1))
    cost = [
        scorer.explain(Candidate(id="o/m", pipeline_tag="text-generation", params=n))[0][
            "cost"
        ].score
        for n in (3_000_000_000, 7_000_000_000, 32_760_000_000)
    ]
    assert cost[0] > cost[1] > cost[2] == rulebase.floors["cost"] == -0.5


def test_tables_can_be_overridden(tmp_path):
    p = write(
        tmp_path, "version: 1\ntables: {gpus: [{name: L4, memory_gb: 24, usd_per_hour: 0.5}]}\n"
    )
    assert load_rulebase([p]).tables.gpu("l4").usd_per_hour == 0.5


def test_a_license_alias_finds_its_entry(tmp_path, rulebase):
    """A license the cards name two ways is one entry with aliases: the shipped Stability AI
    Community License under Stable Video Diffusion's license_name, and a user's own entry."""
    shipped = rulebase.tables.licenses
    assert shipped["stable-video-diffusion-community"] is shipped["stabilityai-ai-community"]
    assert shipped["deepseek-license"] is shipped["deepseek"]
    p = write(
        tmp_path,
        "version: 1\ntables: {licenses: {acme: {class: community, commercial: true,"
        " aliases: [ACME Model License]}}}\n",
    )
    licenses = load_rulebase([p]).tables.licenses
    assert licenses["acme model license"] is licenses["acme"]
    assert licenses["acme"].license_class == "community"


def test_a_language_template_names_one_benchmark_per_language(tmp_path, rulebase):
    """A table of per-language columns is one benchmark_languages entry: its `{language}` key
    stands for each listed language, with that language alone (Whisper's FLEURS table ships so)."""
    shipped = rulebase.tables.benchmark_languages
    assert shipped["(whisper paper table 13), zh"] == ("zh",)
    assert not [k for k in shipped if "{language}" in k]
    p = write(
        tmp_path,
        'version: 1\ntables: {benchmark_languages: {"Acme ASR, {language} set": [de, fr]}}\n',
    )
    table = load_rulebase([p]).tables.benchmark_languages
    assert table["acme asr, de set"] == ("de",) and table["acme asr, fr set"] == ("fr",)


@pytest.mark.parametrize(
    "text, where, words",
    [
        ("version: 1\nrules:\n  - id: Bad Id\n", (3, "rules[0].id"), "should match pattern"),
        (
            "version: 1\nrules:" + RULE.replace("gt: 1000", "gt: lots"),
            (7, "rules[0].when.gt"),
            "needs a number value",
        ),
        (
            "version: 1\nrules:" + RULE.replace("model.params", "model.parms"),
            (7, "rules[0].when.field"),
            "unknown field",
        ),
        (
            "version: 1\nrules:" + RULE.replace("{model.id}", "{model.nme}"),
            (9, "rules[0].message"),
            "unknown placeholder",
        ),
        (
            "version: 1\nrules:" + RULE.replace("factor: cost", "factor: vibes"),
            (3, "factor"),
            "has no weight",
        ),
        (
            "version: 1\nrules:" + RULE.replace("custom.big", "license.custom"),
            (3, "rules[0].id"),
            "already defined",
        ),
        ("version: 1\ndisable: [no.such-rule]\n", (2, "disable[0]"), "disables unknown rule"),
        (
            "version: 1\ninclude: [../../etc/passwd.yaml]\n",
            (2, "include[0]"),
            "inside this file's folder",
        ),
        ("version: 1\ninclude: [/etc/x.yaml]\n", (2, "include[0]"), "inside this file's folder"),
        ("version: 1\nextends: lenient\n", (2, "extends"), "unknown profile"),
        ("version: 1\nweights: {cost: -1}\n", (2, "weights.cost"), "0 or more"),
        ("version: 1\nfloors: {cost: -2}\n", (2, "floors.cost"), "from -1 to 0"),
        ("version: 1\nfloors: {vibes: -1}\n", (2, "floors.vibes"), "not a model factor"),
        (
            "version: 1\nrules: "
            "[{id: a.b, factor: cost, kind: score, severity: low, message: m, remediation: r, rationale: x}]\n",
            (2, "rules[0]"),
            "needs 'adjust'",
        ),
        ("version: 1\nrulez: []\n", (2, "rulez"), "unknown field 'rulez' (did you mean 'rules'?)"),
        (
            "version: 1\nrules:" + RULE.replace("message:", "!!python/object:os.system message:"),
            (9, "rules[0]"),
            "unsupported YAML tag",
        ),
    ],
)
def test_broken_rule_files_are_located(tmp_path, text, where, words):
    p = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_rulebase([p])
    line, field = where
    loc = info.value.location
    assert loc.file == str(p), str(info.value)
    if line:
        assert loc.line == line, str(info.value)
    assert loc.field == field, str(info.value)
    assert words in info.value.message


def test_include_within_folder_works_and_symlink_escape_is_refused(tmp_path):
    sub = tmp_path / "more"
    sub.mkdir()
    write(sub, "version: 1\nrules:" + RULE, "extra.yaml")
    main = write(tmp_path, "version: 1\ninclude: [more/extra.yaml]\n")
    assert load_rulebase([main]).get("custom.big") is not None
    outside = tmp_path.parent / "outside.yaml"
    outside.write_text("version: 1\n")
    (tmp_path / "link.yaml").symlink_to(outside)
    bad = write(tmp_path, "version: 1\ninclude: [link.yaml]\n", "bad.yaml")
    with pytest.raises(RuleError, match="resolves outside"):
        load_rulebase([bad])


def test_include_cycle_is_refused(tmp_path):
    write(tmp_path, "version: 1\ninclude: [b.yaml]\n", "a.yaml")
    write(tmp_path, "version: 1\ninclude: [a.yaml]\n", "b.yaml")
    with pytest.raises(RuleError, match="deeper"):
        load_rulebase([tmp_path / "a.yaml"])


def test_a_data_only_factor_is_one_file(tmp_path):
    """Adding a factor touches its rule file (with its weight), its cases and the docs: no profile edit."""
    import shutil

    from fmadvisor.rules.loader import _builtin_root

    root = tmp_path / "rules"
    shutil.copytree(str(_builtin_root()), root)
    (root / "factors" / "sustainability.yaml").write_text(
        "version: 1\nweights:\n  sustainability: 0.05\nrules:\n"
        "  - id: sustainability.large-model\n    factor: sustainability\n    kind: score\n"
        "    severity: low\n    when: {field: model.size_b, gt: 30}\n    adjust: -0.3\n"
        "    message: big\n    remediation: smaller\n    rationale: energy\n"
    )
    rb = load_rulebase([root / "default.yaml"], profile="none")
    shipped = load_rulebase()
    assert list(rb.weights)[: len(shipped.weights)] == list(shipped.weights)  # shipped order kept
    assert list(rb.weights)[-1] == "sustainability" and rb.get("sustainability.large-model")
    assert len(rb.rules) == len(shipped.rules) + 1  # the pattern did not include any file twice
