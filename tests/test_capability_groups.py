"""Published results become percentiles only within a group of comparable results (same
benchmark, metric and origin) large enough to be a comparison: a vendor's table of its own three
or four sizes restates the family's size ladder and is kept as evidence only."""

from __future__ import annotations

from typing import Any

from fmadvisor.catalog.capability import MIN_PEERS, add_percentiles


def records(n: int, metric: str = "accuracy", source: str = "org/bench:README.md") -> list[dict]:
    return [
        {
            "id": f"m{i}",
            "evidence": [{"benchmark": "B", "metric": metric, "value": float(i), "source": source}],
        }
        for i in range(n)
    ]


def percentiles(models: list[dict[str, Any]]) -> list[float | None]:
    return [m["evidence"][0].get("percentile") for m in models]


def test_a_family_table_of_four_is_kept_but_not_ranked():
    models = records(MIN_PEERS - 1)
    add_percentiles(models)
    assert MIN_PEERS == 5
    assert percentiles(models) == [None] * 4


def test_a_group_of_five_ranks_each_result_by_the_peers_it_beats():
    models = records(5)
    add_percentiles(models)
    assert percentiles(models) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert {m["evidence"][0]["peers"] for m in models} == {5}


def test_error_rates_rank_the_lowest_first():
    models = records(5, metric="mean WER")
    add_percentiles(models)
    assert percentiles(models) == [1.0, 0.75, 0.5, 0.25, 0.0]


def test_results_from_two_origins_are_not_pooled():
    models = records(3, source="org/a:README.md") + records(3, source="org/b:README.md")
    add_percentiles(models)
    assert percentiles(models) == [None] * 6


def test_error_rates_past_100_percent_compare_as_equal():
    """At a word error rate of 100% or more no transcript is usable: Whisper's FLEURS Georgian
    column (100.5 to 123.0 for all six sizes) must not rank one useless size above another."""
    models = records(5, metric="WER (%)")
    for m, v in zip(models, (100.5, 114.7, 118.3, 8.0, 123.0), strict=True):
        m["evidence"][0]["value"] = v
    add_percentiles(models)
    useless = percentiles(models)[:3] + percentiles(models)[4:]
    assert len(set(useless)) == 1 and useless[0] < percentiles(models)[3] == 1.0
    # a metric that is not an error rate in percent is compared as it is
    plain = records(5, metric="mean WER")
    for m, v in zip(plain, (100.5, 114.7, 118.3, 8.0, 123.0), strict=True):
        m["evidence"][0]["value"] = v
    add_percentiles(plain)
    assert percentiles(plain) == [0.75, 0.5, 0.25, 1.0, 0.0]
