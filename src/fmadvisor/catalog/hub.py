"""The live Hugging Face Hub as a catalog source (the only module that imports huggingface_hub).

- One paginated listing with `expand=` for the fields the rules read (N models cost about N / page
  size requests), then config.json only for models whose architecture the rules need (generative
  models, for the KV cache and context window).
- Bounded timeouts on every request (the client has none by default); 429 waits as the server's
  RateLimit / Retry-After headers say, within a total budget; clear errors for gated, missing and
  unauthorized models. Tokens come from HF_TOKEN or the standard login and are never printed.
- Telemetry is switched off before the client is imported (it would otherwise call the public Hub).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fmadvisor.catalog.candidate import Candidate
from fmadvisor.catalog.hub_record import candidate_from_info
from fmadvisor.errors import DataUnavailableError, InputError, Location

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

LIST_EXPAND = [
    "pipeline_tag",
    "library_name",
    "tags",
    "gated",
    "downloads",
    "lastModified",
    "createdAt",
    "cardData",
    "safetensors",
    "siblings",
    "sha",
]
CONFIG_TAGS = frozenset(
    {
        "text-generation",
        "text2text-generation",
        "image-text-to-text",
        "feature-extraction",
        "sentence-similarity",
    }
)
TOKEN_RE = re.compile(r"hf_[A-Za-z0-9]{8,}")
DEFAULT_TIMEOUT = 15.0
DEFAULT_RATE_LIMIT_BUDGET = 120.0


def timeout_from_env(default: float = DEFAULT_TIMEOUT) -> float:
    """Per-request timeout in seconds: FMADVISOR_HUB_TIMEOUT when set (a number > 0 and <= 600)."""
    raw = os.environ.get("FMADVISOR_HUB_TIMEOUT", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 600:
        raise InputError(
            f"must be a number of seconds above 0 and at most 600, got {raw!r}",
            Location("environment", field="FMADVISOR_HUB_TIMEOUT"),
        )
    return value


def redact(text: str) -> str:
    """Never let a token reach output, logs or cache files."""
    return TOKEN_RE.sub("hf_***", text)


class HubUnavailable(DataUnavailableError):
    """The Hub could not be reached or answered with an error (the caller may fall back)."""


class HubModelError(DataUnavailableError):
    """One model cannot be had: gated, missing, or unauthorized."""


@dataclass(frozen=True)
class Query:
    """What to list from the Hub: tasks, search text, author, library, how many, how popular."""

    tasks: tuple[str, ...] = ()
    search: str | None = None
    author: str | None = None
    library: str | None = None
    limit: int = 100
    min_downloads: int = 0

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, (), 0)}


class _OverBudget(Exception):
    """Raised inside the HTTP client on a 429 whose wait would exceed the budget. Not a network error,
    so the client's own retry loop (which would sleep as long as the server asks) lets it through."""


@dataclass
class _WaitBudget:
    """Seconds the Hub's rate limits may still make us wait in one refresh."""

    limit: float
    spent: float = 0.0


def _rate_limit_wait(headers: Any) -> float:
    """Seconds a 429 asks us to wait: the RateLimit header's reset, else Retry-After, else 5."""
    from huggingface_hub.utils._http import parse_ratelimit_headers

    info = parse_ratelimit_headers(headers)
    if info is not None and info.reset_in_seconds is not None:
        return float(info.reset_in_seconds)
    after = headers.get("retry-after", "").strip()
    return float(after) if after.isdigit() else 5.0


def _client_factory(timeout: float, budget: _WaitBudget) -> Callable[[], Any]:
    from huggingface_hub.utils._http import default_client_factory

    def factory() -> Any:
        import httpx2

        bounded = httpx2.Timeout(timeout).as_dict()

        def bound(request: Any) -> None:
            # Some client calls (the paginated listing) pass timeout=None explicitly, which switches the
            # client default off and would let a stalled Hub hang the run: put the bound back.
            if any(v is None for v in request.extensions.get("timeout", {None: None}).values()):
                request.extensions["timeout"] = bounded

        def rate_limit(response: Any) -> None:
            # Every 429, whoever retries it (our _call, or the client's own loop on the listing, which
            # would otherwise sleep as long as the server says, up to 5 times), is charged to one budget.
            if response.status_code == 429:
                wait = _rate_limit_wait(response.headers)
                if budget.spent + wait > budget.limit:
                    raise _OverBudget(wait)
                budget.spent += wait

        client = default_client_factory()
        client.timeout = httpx2.Timeout(timeout)
        client.event_hooks["request"].append(bound)
        client.event_hooks["response"].append(rate_limit)
        return client

    return factory


class HubSource:
    def __init__(
        self,
        endpoint: str | None = None,
        token: str | bool | None = None,
        timeout: float | None = None,
        rate_limit_budget: float = DEFAULT_RATE_LIMIT_BUDGET,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import huggingface_hub

        timeout = timeout_from_env() if timeout is None else timeout

        self.budget = _WaitBudget(rate_limit_budget)
        huggingface_hub.set_client_factory(_client_factory(timeout, self.budget))
        self.api = huggingface_hub.HfApi(endpoint=endpoint, token=token, library_name="fmadvisor")
        self.endpoint = self.api.endpoint
        self.timeout = timeout
        self.sleep = sleep
        self.requests = 0  # counted by the caller-facing methods, for reports and tests

    # -- listing ---------------------------------------------------------------------------------

    def list(self, query: Query, progress: Callable[[int], None] | None = None) -> list[Candidate]:
        """Models matching `query`, normalized; config.json fetched only where the rules need it."""
        out: list[Candidate] = []
        for tag in query.tasks or (None,):
            for info in self._call(
                lambda tag=tag: list(
                    self.api.list_models(
                        pipeline_tag=tag,
                        search=query.search,
                        author=query.author,
                        filter=query.library,
                        sort="downloads",
                        limit=query.limit,
                        expand=LIST_EXPAND,
                    )
                )
            ):  # type: ignore[arg-type]
                if (getattr(info, "downloads", 0) or 0) < query.min_downloads:
                    continue
                config = self._config(info) if info.pipeline_tag in CONFIG_TAGS else None
                out.append(candidate_from_info(info, config))
                if progress:
                    progress(len(out))
        return out

    def model(
        self, model_id: str, *, revision: str | None = None, security: bool = False
    ) -> tuple[Candidate, dict[str, Any]]:
        """One model's full info (and, with `security`, its scan status)."""
        # timeout passed explicitly: model_info's default (None) would switch the client's timeout off
        info = self._call(
            lambda: self.api.model_info(
                model_id, revision=revision, securityStatus=security or None, timeout=self.timeout
            ),
            model_id=model_id,
        )
        config = info.config if isinstance(getattr(info, "config", None), dict) else None
        full = self._config(info) if info.pipeline_tag in CONFIG_TAGS else None
        extra = {"sha": info.sha, "security": getattr(info, "security_repo_status", None)}
        return candidate_from_info(info, full or config), extra

    def _config(self, info: Any) -> dict[str, Any] | None:
        """config.json of a model (architecture facts), or None when it has none or cannot be read."""
        names = (
            {s.rfilename for s in (info.siblings or [])}
            if getattr(info, "siblings", None)
            else None
        )
        if names is not None and "config.json" not in names:
            return None
        from huggingface_hub.errors import HfHubHTTPError

        try:
            from huggingface_hub import hf_hub_download

            # The endpoint is passed explicitly: HfApi.hf_hub_download builds file URLs from the global
            # endpoint (the public Hub), not from the HfApi's own.
            path = self._call(
                lambda: hf_hub_download(
                    info.id,
                    "config.json",
                    revision=info.sha,
                    endpoint=self.endpoint,
                    token=self.api.token,
                    etag_timeout=self.timeout,
                ),
                model_id=info.id,
            )
        except (HubModelError, HfHubHTTPError):
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # -- errors, retries ------------------------------------------------------------------------

    def _call(self, fn: Callable[[], Any], model_id: str | None = None) -> Any:
        """Run one Hub request; a 429 within the wait budget is retried, every other failure
        becomes a HubModelError (this model) or HubUnavailable (the Hub) in words."""
        while True:
            self.requests += 1
            try:
                return fn()
            except Exception as exc:
                error = self._failure(exc, model_id)
                if error is None:
                    continue
                if error is exc:
                    raise
                raise error from None

    def _failure(self, exc: Exception, model_id: str | None) -> Exception | None:
        """The error to raise for a failed request (None: wait and retry; `exc` itself: a bug)."""
        from huggingface_hub.errors import (
            GatedRepoError,
            HfHubHTTPError,
            OfflineModeIsEnabled,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        if isinstance(exc, GatedRepoError):
            return HubModelError(
                f"{model_id} is gated: request access at {self.endpoint}/{model_id} and log in "
                "(`hf auth login`) or set HF_TOKEN"
            )
        if isinstance(exc, RepositoryNotFoundError):
            return HubModelError(
                f"{model_id} was not found on {self.endpoint} (or it is private: log in or set HF_TOKEN)"
            )
        if isinstance(exc, RevisionNotFoundError):
            return HubModelError(f"{model_id}: revision not found")
        if isinstance(exc, OfflineModeIsEnabled):
            return HubUnavailable("HF_HUB_OFFLINE is set: the Hub is not contacted")
        if isinstance(exc, HfHubHTTPError):
            return self._http_failure(exc, model_id)
        if isinstance(exc, _OverBudget):
            return HubUnavailable(
                f"rate limited by {self.endpoint} (asked to wait {exc.args[0]:.0f} s) beyond the "
                f"{self.budget.limit:.0f} s wait budget"
            )
        if isinstance(exc, ValueError):  # json.JSONDecodeError is one
            return HubUnavailable(
                redact(f"{self.endpoint} sent an answer that is not valid JSON: {exc}")
            )
        # httpx2 network errors: refused, DNS, timeouts, resets
        if type(exc).__module__.startswith(
            ("httpx2", "httpcore", "h11", "ssl", "socket")
        ) or isinstance(exc, OSError):
            return HubUnavailable(
                redact(f"cannot reach {self.endpoint}: {type(exc).__name__}: {exc}")
            )
        return exc

    def _http_failure(self, exc: Any, model_id: str | None) -> Exception | None:
        status = exc.response.status_code if exc.response is not None else None
        if status == 401:
            return HubModelError(
                f"unauthorized for {model_id or 'the listing'}: check HF_TOKEN or `hf auth login`"
            )
        if status == 429 and exc.response is not None:
            # already charged to the budget by the client hook
            self.sleep(_rate_limit_wait(exc.response.headers))
            return None
        reason = getattr(exc.response, "reason_phrase", "") if exc.response is not None else ""
        detail = (getattr(exc, "server_message", "") or "").strip()
        words = f"{self.endpoint} answered {status} {reason}".rstrip() + (
            f": {detail[:300]}" if detail else ""
        )
        return HubUnavailable(redact(words))


def local_snapshots(directory: Path | None) -> list[tuple[str, Path]]:
    """(repo id, newest snapshot folder) of each model in a local Hugging Face cache that has a config.json."""
    from huggingface_hub import scan_cache_dir

    from fmadvisor.errors import InputError, Location

    try:
        info = scan_cache_dir(directory)
    except Exception as exc:  # CacheNotFound and friends
        raise InputError(
            f"cannot read the Hugging Face cache: {exc}", Location(str(directory or "HF_HUB_CACHE"))
        ) from None
    out = []
    for repo in info.repos:
        if repo.repo_type != "model" or not repo.revisions:
            continue
        revision = max(repo.revisions, key=lambda r: r.last_modified)
        if (revision.snapshot_path / "config.json").exists():
            out.append((repo.repo_id, revision.snapshot_path))
    return out
