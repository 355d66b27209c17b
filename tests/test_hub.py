"""The real huggingface_hub client against a loopback Hub (tests/hubserver.py). Nothing here may
reach the internet: telemetry is off, proxies are cleared, and the client's endpoint, the global
endpoint and every URL point at 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest

from hubserver import PAGE_SIZE, HubServer, model

MODELS = [
    model("org/llm-a", downloads=900, card={"base_model": "org/base"}),
    model("org/llm-b", downloads=800, license=None, tags=("license:mit",)),
    model("org/llm-c", downloads=700, files=("config.json", "pytorch_model.bin")),
    model("org/gated", downloads=600, gated="manual"),
    model("org/llm-d", downloads=500, license="cc-by-nc-4.0"),
    model(
        "org/clf-a",
        tag="text-classification",
        downloads=400,
        params=110_000_000,
        card={
            "model-index": [
                {
                    "name": "clf-a",
                    "results": [
                        {
                            "task": {"type": "text-classification"},
                            "dataset": {
                                "name": "GLUE SST-2",
                                "type": "glue",
                                "config": "sst2",
                                "split": "validation",
                            },
                            "metrics": [
                                {
                                    "type": "accuracy",
                                    "value": 0.913,
                                    "name": "Accuracy",
                                    "verified": True,
                                },
                                {"type": "f1", "value": "n/a"},
                            ],
                        }
                    ],
                }
            ]
        },
    ),
    model("org/clf-b", tag="text-classification", downloads=300, params=66_000_000),
]
TOKEN = "hf_thisIsAPlantedSecretToken123"


@pytest.fixture
def hub(monkeypatch, tmp_path):
    import huggingface_hub.constants as constants
    import huggingface_hub.utils._http as http

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("FMADVISOR_CACHE_DIR", str(tmp_path / "fmcache"))
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    client_sleeps = []  # the listing's own retries: recorded, not slept
    monkeypatch.setattr(http.time, "sleep", client_sleeps.append)
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(
            ".invalid"
        ):  # RFC 2606: never resolves; DNS-failure tests
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"a test tried to reach {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    with HubServer(MODELS) as server:
        server.client_sleeps = client_sleeps
        # The client builds file URLs from a template computed at import from ENDPOINT: patch both.
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(
            constants,
            "HUGGINGFACE_CO_URL_TEMPLATE",
            server.url + "/{repo_id}/resolve/{revision}/{filename}",
        )
        yield server
    assert all(not p.startswith("http") or "127.0.0.1" in p for _, p in server.requests)


def source(server, **kw):
    from fmadvisor.catalog.hub import HubSource

    return HubSource(
        endpoint=server.url, token=kw.pop("token", False), timeout=kw.pop("timeout", 2.0), **kw
    )


def test_refresh_is_one_paginated_listing_plus_only_needed_configs(hub):
    from fmadvisor.catalog.hub import Query

    got = source(hub).list(Query(tasks=("text-generation", "text-classification")))
    assert len(got) == len(MODELS)
    listings = hub.count("/api/models?")
    generative = 5
    assert listings == -(-generative // PAGE_SIZE) + -(
        -2 // PAGE_SIZE
    )  # ceil(N / page size) per task
    assert all("expand=" in p for m, p in hub.requests if p.startswith("/api/models?"))
    configs = hub.count("/org/", "GET")
    assert configs == generative - 1  # not the classifiers; the gated one is refused on HEAD
    assert not any("clf" in p and "config.json" in p for _, p in hub.requests)


def test_normalization_into_the_same_candidate(hub):
    from fmadvisor.catalog.hub import Query

    by_id = {c.id: c for c in source(hub).list(Query(tasks=("text-generation",)))}
    a = by_id["org/llm-a"]
    assert (a.license, a.params, a.dtype, a.weights_format, a.gated, a.base_model, a.languages) == (
        "apache-2.0",
        7_000_000_000,
        "bfloat16",
        "safetensors",
        False,
        "org/base",
        ("en",),
    )
    assert (a.layers, a.kv_heads, a.context_length, a.released, a.last_modified, a.source) == (
        32,
        8,
        131072,
        "2025-03-01",
        "2025-06-01",
        "hub",
    )
    assert by_id["org/llm-b"].license == "mit"  # from the license: tag when the card has none
    assert by_id["org/llm-c"].weights_format == "pickle"
    assert by_id["org/gated"].gated is True and by_id["org/gated"].layers is None


def test_card_model_index_results_become_self_reported_evidence(hub, tmp_path):
    """The live path reads the evaluation results a card's model-index states: kept as evidence,
    said to be self-reported, never compared with other models; non-numeric values are dropped.
    They survive the local cache."""
    from fmadvisor.catalog.cache import HubCache
    from fmadvisor.catalog.hub import Query

    found = source(hub).list(Query(tasks=("text-classification",)))
    clf = next(c for c in found if c.id == "org/clf-a")
    assert [(e.benchmark, e.metric, e.value) for e in clf.evidence] == [
        ("GLUE SST-2 (sst2, validation)", "Accuracy", 0.913)
    ]
    (e,) = clf.evidence
    assert e.source == "https://huggingface.co/org/clf-a" and e.percentile is None
    assert "self-reported" in e.setting and "verified" in e.setting
    assert clf.card_eval_results is True
    other = next(c for c in found if c.id == "org/clf-b")
    assert other.evidence == ()
    cache = HubCache()
    cache.put(found, endpoint=hub.url, query={"tasks": ["text-classification"]})
    again = {c.id: c for c in cache.catalog()}
    assert again["org/clf-a"].evidence == clf.evidence


def test_gated_missing_and_unauthorized_models(hub):
    from fmadvisor.catalog.hub import HubModelError

    hub.fault(
        "/api/models/org/gated",
        ("status", 403, {"X-Error-Code": "GatedRepo", "X-Error-Message": "restricted"}),
    )
    with pytest.raises(HubModelError, match="gated: request access at .*/org/gated"):
        source(hub).model("org/gated")
    with pytest.raises(HubModelError, match="not found"):
        source(hub).model("org/missing")
    hub.fault("/api/models/org/llm-a", ("status", 401, {}))
    with pytest.raises(HubModelError, match="unauthorized"):
        source(hub).model("org/llm-a")


def test_429_waits_as_the_rate_limit_header_says_within_a_budget(hub):
    from fmadvisor.catalog.hub import HubUnavailable

    waits = []
    limited = (
        "status",
        429,
        {"RateLimit": '"api";r=0;t=7', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'},
    )
    hub.fault("/api/models/org/llm-a", limited)
    candidate, _ = source(hub, sleep=waits.append).model("org/llm-a")
    assert (
        candidate.id == "org/llm-a" and waits == [7.0] and hub.count("/api/models/org/llm-a") == 2
    )
    hub.fault("/api/models/org/llm-a", limited, limited, limited)
    with pytest.raises(HubUnavailable, match="wait budget"):
        source(hub, sleep=waits.append, rate_limit_budget=10).model("org/llm-a")


def test_500_then_success_on_the_listing(hub):
    from fmadvisor.catalog.hub import Query

    hub.fault("/api/models?", ("status", 500, {}), ("status", 503, {}))
    got = source(hub).list(Query(tasks=("text-classification",)))
    assert {c.id for c in got} == {"org/clf-a", "org/clf-b"}


@pytest.mark.parametrize(
    "fault, words",
    [
        (("badjson",), "not valid JSON"),
        (("truncate",), "cannot reach"),
        (("reset",), "cannot reach"),
    ],
)
def test_broken_answers_are_clear_errors(hub, fault, words):
    from fmadvisor.catalog.hub import HubUnavailable

    hub.fault("/api/models/org/llm-a", fault)
    with pytest.raises(HubUnavailable, match=words):
        source(hub).model("org/llm-a")


def test_stalls_are_bounded_by_the_timeout(hub):
    from fmadvisor.catalog.hub import HubUnavailable

    hub.fault("/api/models/org/llm-a", ("stall", 3))
    start = time.monotonic()
    with pytest.raises(HubUnavailable, match="cannot reach"):
        source(hub, timeout=0.5).model("org/llm-a")
    assert time.monotonic() - start < 2.5


def test_offline_mode(hub, monkeypatch):
    import huggingface_hub.constants as constants

    from fmadvisor.catalog.hub import HubUnavailable

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubUnavailable, match="HF_HUB_OFFLINE"):
        source(hub).model("org/llm-a")
    assert hub.requests == []


def test_connection_refused():
    from fmadvisor.catalog.hub import HubSource, HubUnavailable

    with pytest.raises(HubUnavailable, match="cannot reach"):
        HubSource(endpoint="http://127.0.0.1:9", token=False, timeout=1).model("org/x")


def test_a_planted_token_never_leaks(hub, monkeypatch, tmp_path, cli):
    from fmadvisor.catalog.hub import HubUnavailable

    hub.fault("/api/models/org/llm-a", ("echo-auth",))
    with pytest.raises(HubUnavailable) as info:
        source(hub, token=TOKEN).model("org/llm-a")
    assert TOKEN not in str(info.value) and "hf_***" in str(info.value)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    code, out, err = cli("catalog", "refresh", "--task", "text-classification")
    cache_text = (tmp_path / "fmcache" / "hub-catalog.json").read_text()
    assert code == 0 and TOKEN not in out + err + cache_text


def test_catalog_commands_and_cache_provenance(hub, cli, tmp_path):
    code, _, err = cli("catalog", "refresh", "--task", "classification", "--limit", "5")
    assert code == 0 and "cached 2 models" in err and "in " in err
    data = json.loads((tmp_path / "fmcache" / "hub-catalog.json").read_text())
    entry = data["entries"]["org/clf-a"]
    assert (
        entry["endpoint"] == hub.url
        and entry["query"]["tasks"] == ["text-classification"]
        and entry["fetched_at"]
    )
    code, out, _ = cli("catalog", "info", "-f", "json")
    info = json.loads(out)
    assert code == 0 and info["models"] == 2 and info["endpoints"] == [hub.url]
    code, out, _ = cli("models", "list", "--catalog", "cache", "-f", "json")
    assert code == 0 and {m["id"] for m in json.loads(out)["models"]} == {"org/clf-a", "org/clf-b"}
    assert (
        cli("catalog", "clear")[0] == 0 and not (tmp_path / "fmcache" / "hub-catalog.json").exists()
    )
    code, _, err = cli("models", "list", "--catalog", "cache")
    assert code == 3 and "cache is empty" in err


def test_score_with_the_live_hub_and_its_fallbacks(hub, cli, tmp_path, monkeypatch):
    import huggingface_hub.constants as constants

    spec = tmp_path / "s.yaml"
    spec.write_text(
        "version: 1\nproject: {name: t}\ntask: {type: text-classification}\n"
        "constraints: {hardware: {gpus: [{name: L4}]}}\n"
    )
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    doc = json.loads(out)
    assert code == 0 and doc["catalog"]["source"] == f"hub:{hub.url}"
    assert {m["id"] for m in doc["results"][0]["models"]} >= {"org/clf-a", "org/clf-b"}
    # the Hub goes away: the cache is used, and the warning says so and how old it is
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(
        constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        "http://127.0.0.1:9/{repo_id}/resolve/{revision}/{filename}",
    )
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    assert (
        code == 0
        and "Hub unavailable" in err
        and "using the local cache" in err
        and "fetched" in err
    )
    assert json.loads(out)["catalog"]["source"] == "cache"
    code, _, err = cli("score", str(spec), "-f", "json", "--catalog", "hub", "--require-live")
    assert code == 3 and "--require-live" in err
    assert cli("catalog", "clear")[0] == 0
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    assert (
        code == 0
        and "embedded snapshot" in err
        and json.loads(out)["catalog"]["source"] == "embedded"
    )


def test_check_fetches_declared_models_and_fails_closed(hub, cli, tmp_path):
    spec = tmp_path / "fmadvisor.yaml"
    spec.write_text(
        "version: 1\nproject: {name: t}\ntask: {type: chatbot}\nconstraints: {hardware: {gpus: [{name: L4}]}}\n"
        "models:\n  - {id: org/llm-d, role: generator, strategy: rag}\n"
    )
    code, out, _ = cli("check", str(spec), "--catalog", "hub", "-f", "json")
    doc = json.loads(out)
    assert code == 1 and any(
        f["rule"] == "license.non-commercial" for f in doc["models"][0]["findings"]
    )
    assert doc["models"][0]["source"] == "hub"
    spec.write_text(spec.read_text().replace("org/llm-d", "org/nowhere"))
    code, _, err = cli("check", str(spec), "--catalog", "hub")
    assert code == 3 and "org/nowhere" in err


def test_models_show_live_with_security_status(hub, cli):
    code, out, _ = cli("models", "show", "org/llm-a", "--live")
    assert code == 0 and "security scan" in out and "scansDone" in out and "-> license" in out


def test_cache_write_is_atomic_under_interruption(hub, monkeypatch, tmp_path):
    from fmadvisor.catalog.cache import HubCache
    from fmadvisor.catalog.hub import Query

    found = source(hub).list(Query(tasks=("text-classification",)))
    cache = HubCache()
    cache.put(found, endpoint=hub.url, query={"tasks": ["text-classification"]})
    before = cache.path.read_text()

    def crash(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        HubCache().put(found[:1], endpoint="http://elsewhere", query={})
    assert cache.path.read_text() == before
    assert [p.name for p in cache.path.parent.iterdir()] == [cache.path.name]


def test_a_corrupted_cache_is_ignored_not_half_used(tmp_path, monkeypatch):
    from fmadvisor.catalog.cache import HubCache

    monkeypatch.setenv("FMADVISOR_CACHE_DIR", str(tmp_path))
    (tmp_path / "hub-catalog.json").write_text(
        '{"version": 1, "entries": {"a/b": {"record": {"id": "a/b", "params": "many"}}}}'
    )
    cache = HubCache()
    assert cache.entries == {} and "unreadable" in cache.problem


def test_local_hugging_face_cache_as_a_catalog(hub, cli, tmp_path):
    from fmadvisor.catalog.hub import Query

    source(hub).list(
        Query(tasks=("text-generation",))
    )  # downloads config.json files into the HF cache
    code, out, err = cli("models", "list", "--catalog", str(tmp_path / "hf-cache"), "-f", "json")
    ids = {m["id"] for m in json.loads(out)["models"]}
    assert code == 0, err
    assert {"org/llm-a", "org/llm-b", "org/llm-c"} <= ids


CLASSIFIER_SPEC = (
    "version: 1\nproject: {name: t}\ntask: {type: text-classification}\n"
    "constraints: {hardware: {gpus: [{name: L4}]}}\n"
)
STORM = 40  # more failures than any retry loop makes attempts


def _break(hub, monkeypatch, how):
    import huggingface_hub.constants as constants

    def move(url):
        monkeypatch.setattr(constants, "ENDPOINT", url)
        monkeypatch.setattr(
            constants,
            "HUGGINGFACE_CO_URL_TEMPLATE",
            url + "/{repo_id}/resolve/{revision}/{filename}",
        )

    if how == "refused":
        move("http://127.0.0.1:9")
    elif how == "dns":
        move("http://hub.invalid")
    elif how == "stall":
        hub.fault("/api/models?", *[("stall", 4)] * STORM)
    elif how == "5xx-storm":
        hub.fault("/api/models?", *[("status", 503, {})] * STORM)
    elif how == "429-storm":
        hub.fault("/api/models?", *[("status", 429, {"Retry-After": "3600"})] * STORM)
    else:
        hub.fault("/api/models?", *[(how,)] * STORM)


@pytest.mark.parametrize(
    "how", ["refused", "dns", "stall", "reset", "truncate", "badjson", "5xx-storm", "429-storm"]
)
def test_score_survives_a_broken_hub_on_its_cache(hub, cli, tmp_path, monkeypatch, how):
    """Whatever breaks, `score --catalog hub` finishes in bounded time on the cache with a warning,
    leaves the cache byte for byte as it was, and --require-live turns the same failure into exit 3."""
    spec = tmp_path / "s.yaml"
    spec.write_text(CLASSIFIER_SPEC)
    assert cli("catalog", "refresh", "--task", "text-classification")[0] == 0
    cache = tmp_path / "fmcache" / "hub-catalog.json"
    before = cache.read_bytes()
    monkeypatch.setenv("FMADVISOR_HUB_TIMEOUT", "0.5")
    _break(hub, monkeypatch, how)
    start = time.monotonic()
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    elapsed = time.monotonic() - start
    assert code == 0, err
    assert "Hub unavailable" in err and "using the local cache" in err and "Traceback" not in err
    doc = json.loads(out)
    assert doc["catalog"]["source"] == "cache"
    assert {m["id"] for m in doc["results"][0]["models"]} >= {"org/clf-a", "org/clf-b"}
    assert cache.read_bytes() == before
    assert elapsed < 12, f"{how}: {elapsed:.1f} s"
    _break(hub, monkeypatch, how)
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub", "--require-live")
    assert code == 3 and "--require-live" in err and "Traceback" not in err and out == ""
    assert cache.read_bytes() == before
    # the client's own retry loop would sleep as long as a 429 asks (here an hour, five times): the
    # budget must cut it short, and waits the client makes anyway stay within timeouts and backoff
    assert sum(hub.client_sleeps) <= 60, hub.client_sleeps


def test_a_bad_timeout_setting_is_a_clear_usage_error(hub, cli, tmp_path, monkeypatch):
    spec = tmp_path / "s.yaml"
    spec.write_text(CLASSIFIER_SPEC)
    monkeypatch.setenv("FMADVISOR_HUB_TIMEOUT", "soon")
    code, out, err = cli("score", str(spec), "--catalog", "hub")
    assert code == 2 and "FMADVISOR_HUB_TIMEOUT" in err and "'soon'" in err and out == ""
    assert hub.requests == []


def test_a_planted_token_reaches_no_output_file_lockfile_or_cache(hub, cli, tmp_path, monkeypatch):
    """HF_TOKEN is sent to the (loopback) Hub, and the server echoes it back inside an error: it must
    not appear in stdout, stderr, any report file, the lockfile or the cache."""
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    spec = tmp_path / "fmadvisor.yaml"
    spec.write_text(
        "version: 1\nproject: {name: t}\ntask: {type: chatbot}\nconstraints: {hardware: {gpus: [{name: L4}]}}\n"
        "models:\n  - {id: org/llm-a, role: generator, strategy: rag}\n"
    )
    outputs = []
    code, out, err = cli("lock", str(spec), "--catalog", "hub")
    outputs += [out, err]
    assert code == 0, err
    reports = {k: tmp_path / f"report.{k}" for k in ("json", "sarif", "junit", "markdown")}
    code, out, err = cli(
        "check",
        str(spec),
        "--catalog",
        "hub",
        "-f",
        "github",
        *[a for k, p in reports.items() for a in (f"--{k}-output", str(p))],
    )
    outputs += [out, err]
    assert code in (0, 1), err
    hub.fault("/api/models?", *[("echo-auth",)] * STORM)
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    outputs += [out, err]
    assert code == 0 and "hf_***" in err  # the echoed token was redacted, not dropped silently
    sent = [p for _, p in hub.requests]
    assert sent, "the Hub was never asked: the test would prove nothing"
    files = [p.read_text() for p in reports.values()] + [(tmp_path / "fmadvisor.lock").read_text()]
    files += [p.read_text() for p in (tmp_path / "fmcache").iterdir()]
    for text in outputs + files:
        assert TOKEN not in text and TOKEN[3:] not in text


def test_an_unwritable_cache_does_not_cost_a_live_run(hub, cli, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("FMADVISOR_CACHE_DIR", str(blocker / "cache"))
    spec = tmp_path / "s.yaml"
    spec.write_text(CLASSIFIER_SPEC)
    code, out, err = cli("score", str(spec), "-f", "json", "--catalog", "hub")
    assert code == 0 and json.loads(out)["catalog"]["source"] == f"hub:{hub.url}"
    assert "cache was not updated" in err and "FMADVISOR_CACHE_DIR" in err
    code, _, err = cli("catalog", "refresh", "--task", "text-classification")
    assert code == 2 and "cannot create the cache folder" in err and "internal error" not in err
    assert blocker.read_text() == "a file where the cache folder should be"


@pytest.mark.parametrize(
    "endpoint, words",
    [("http://127.0.0.1:9", "refused the connection"), ("http://hub.invalid", "does not resolve")],
)
def test_refresh_without_a_network_fails_fast_in_one_line(hub, cli, monkeypatch, endpoint, words):
    import time

    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    start = time.monotonic()
    code, out, err = cli("catalog", "refresh", "--task", "text-classification")
    assert time.monotonic() - start < 5
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert f"cannot reach {endpoint}: " in err and words in err and "--catalog embedded" in err
    assert hub.client_sleeps == [] and hub.requests == []
