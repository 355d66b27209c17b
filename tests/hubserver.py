"""A loopback Hugging Face Hub for tests: the real huggingface_hub client talks to it over HTTP.

Serves fixtures written here in the Hub's shapes (see shared/reference/hub-recordings): the
paginated listing `/api/models` with `expand` and absolute `Link: <...>; rel="next"` headers,
`/api/models/{id}` (full info, gated and missing repos with the Hub's X-Error-Code headers,
`securityStatus`), and `/{id}/resolve/{rev}/config.json` with the headers `hf_hub_download` needs.
Faults are scripted per path prefix: statuses with headers, stalls, truncated or malformed bodies,
connection resets. Every request is recorded, so tests can count them.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

PAGE_SIZE = 2


def model(
    model_id: str,
    *,
    tag: str = "text-generation",
    license: str | None = "apache-2.0",
    params: int = 7_000_000_000,
    gated: bool | str = False,
    files: tuple[str, ...] = ("config.json", "model.safetensors"),
    downloads: int = 1000,
    card: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A model in the Hub's /api/models/{id} shape."""
    sha = f"{abs(hash(model_id)) % (16**40):040x}"
    card_data = (
        {"license": license, "language": ["en"], **(card or {})}
        if license
        else {"language": ["en"], **(card or {})}
    )
    return {
        "_id": sha[:24],
        "id": model_id,
        "modelId": model_id,
        "author": model_id.split("/")[0],
        "sha": sha,
        "private": False,
        "disabled": False,
        "gated": gated,
        "pipeline_tag": tag,
        "library_name": "transformers",
        "tags": [
            "transformers",
            "safetensors",
            tag,
            *([f"license:{license}"] if license else []),
            *tags,
            "region:us",
        ],
        "downloads": downloads,
        "likes": 10,
        "createdAt": "2025-03-01T10:00:00.000Z",
        "lastModified": "2025-06-01T10:00:00.000Z",
        "cardData": card_data,
        "siblings": [{"rfilename": f} for f in files],
        "safetensors": {"parameters": {"BF16": params}, "total": params},
        "config": {"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
        "_config_json": config
        or {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "num_hidden_layers": 32,
            "hidden_size": 4096,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "vocab_size": 128256,
            "max_position_embeddings": 131072,
            "torch_dtype": "bfloat16",
        },
    }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up on a stalled answer closes its socket: writing the late answer then
        # fails. That is the behaviour under test, not a server error; anything else is re-raised loudly.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class HubServer:
    def __init__(self, models: list[dict[str, Any]]) -> None:
        self.models = {m["id"].lower(): m for m in models}
        self.requests: list[tuple[str, str]] = []  # (method, path with query)
        self.faults: dict[str, deque[tuple[Any, ...]]] = defaultdict(deque)
        self.lock = threading.Lock()
        handler = self._handler()
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fault(self, prefix: str, *actions: tuple[Any, ...]) -> None:
        """Queue actions for the next requests whose path starts with `prefix`."""
        self.faults[prefix].extend(actions)

    def count(self, prefix: str, method: str = "GET") -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(prefix))

    # -- the handler --------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                self._serve("HEAD")

            def do_GET(self) -> None:
                self._serve("GET")

            def _send(
                self,
                status: int,
                body: bytes | None,
                headers: dict[str, str] | None = None,
                content_type: str = "application/json",
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                if body and self.command != "HEAD":
                    self.wfile.write(body)

            def _serve(self, method: str) -> None:
                with server.lock:
                    server.requests.append((method, self.path))
                    action = None
                    for prefix, queue in server.faults.items():
                        if self.path.startswith(prefix) and queue:
                            action = queue.popleft()
                            break
                if action is not None and self._fault(action):
                    return
                url = urlparse(self.path)
                if url.path == "/api/models":
                    return self._list(parse_qs(url.query))
                if url.path.startswith("/api/models/"):
                    rest = url.path[len("/api/models/") :]
                    model_id = "/".join(rest.split("/")[:2])
                    return self._info(model_id, parse_qs(url.query))
                parts = url.path.strip("/").split("/")
                if len(parts) >= 5 and parts[2] == "resolve":
                    return self._file("/".join(parts[:2]), parts[3], "/".join(parts[4:]))
                self._send(404, b'{"error": "no route"}')

            def _fault(self, action: tuple[Any, ...]) -> bool:
                kind = action[0]
                if kind == "status":
                    _, status, headers = (*action, {})[:3]
                    self._send(status, json.dumps({"error": f"fault {status}"}).encode(), headers)
                    return True
                if kind == "stall":
                    threading.Event().wait(
                        action[1]
                    )  # not time.sleep: tests patch it to skip retry waits
                    return False
                if kind == "badjson":
                    self._send(200, b"{this is not json")
                    return True
                if kind == "truncate":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'[{"_id": "x", "id": "org/tru')
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return True
                if kind == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.connection.close()
                    return True
                if kind == "echo-auth":
                    auth = self.headers.get("Authorization", "")
                    self._send(500, json.dumps({"error": f"internal error for {auth}"}).encode())
                    return True
                return False

            def _list(self, q: dict[str, list[str]]) -> None:
                items = [m for m in server.models.values()]
                if "pipeline_tag" in q:
                    items = [m for m in items if m["pipeline_tag"] == q["pipeline_tag"][0]]
                if "author" in q:
                    items = [m for m in items if m["author"] == q["author"][0]]
                if "search" in q:
                    items = [m for m in items if q["search"][0].lower() in m["id"].lower()]
                if "filter" in q:
                    items = [
                        m
                        for m in items
                        if q["filter"][0] in m["tags"] or m["library_name"] == q["filter"][0]
                    ]
                items.sort(key=lambda m: -m["downloads"])
                if "limit" in q:
                    items = items[: int(q["limit"][0])]
                start = int(q.get("cursor", ["0"])[0])
                page = items[start : start + PAGE_SIZE]
                expand = q.get("expand", [])
                keys = (
                    {"_id", "id", *expand}
                    if expand
                    else {
                        "_id",
                        "id",
                        "likes",
                        "private",
                        "downloads",
                        "tags",
                        "pipeline_tag",
                        "library_name",
                        "createdAt",
                        "modelId",
                    }
                )
                body = [
                    {k: v for k, v in m.items() if k in keys and not k.startswith("_config")}
                    for m in page
                ]
                headers = {}
                if start + PAGE_SIZE < len(items):
                    nq = {k: v for k, v in q.items() if k != "cursor"}
                    nq["cursor"] = [str(start + PAGE_SIZE)]
                    headers["Link"] = (
                        f'<{server.url}/api/models?{urlencode(nq, doseq=True)}>; rel="next"'
                    )
                self._send(200, json.dumps(body).encode(), headers)

            def _info(self, model_id: str, q: dict[str, list[str]]) -> None:
                m = server.models.get(model_id.lower())
                if m is None:
                    return self._send(
                        404,
                        b'{"error": "Repository not found"}',
                        {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
                    )
                body = {k: v for k, v in m.items() if not k.startswith("_config")}
                if q.get("securityStatus") == ["True"] or q.get("securityStatus") == ["true"]:
                    body["securityRepoStatus"] = {"scansDone": True, "filesWithIssues": []}
                self._send(200, json.dumps(body).encode())

            def _file(self, model_id: str, revision: str, filename: str) -> None:
                m = server.models.get(model_id.lower())
                if m is None:
                    return self._send(404, b"{}", {"X-Error-Code": "RepoNotFound"})
                if m["gated"]:
                    return self._send(
                        403,
                        b'{"error": "gated"}',
                        {
                            "X-Error-Code": "GatedRepo",
                            "X-Error-Message": "Access to this model is restricted",
                        },
                    )
                if filename != "config.json":
                    return self._send(404, b"{}", {"X-Error-Code": "EntryNotFound"})
                body = json.dumps(m["_config_json"]).encode()
                self._send(200, body, {"ETag": f'"{m["sha"][:32]}"', "X-Repo-Commit": m["sha"]})

        return Handler
