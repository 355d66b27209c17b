"""Can the Hub's endpoint be reached at all? A quick probe before a long listing.

The Hub client retries failed connections with backoff, which is right for a server answering
5xx or 429 but costs ~25 s of retry noise when there is no network at all. A name that does not
resolve, or a port that refuses the connection, will not heal in those 25 s: the probe says so at
once. Anything else (a slow answer, a timeout, a proxy in the way) is left to the client.
"""

from __future__ import annotations

import errno
import os
import socket
from urllib.parse import urlsplit

PROBE_TIMEOUT = 3.0
_PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy")
_NO_ROUTE = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH}


def unreachable(endpoint: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """Why `endpoint` certainly cannot be reached now (one phrase), or None when it may be."""
    if any(os.environ.get(v) for v in _PROXY_VARS):
        return None  # the proxy, not us, connects to the endpoint
    parts = urlsplit(endpoint)
    host = parts.hostname
    if not host:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"the name {host} does not resolve (no network or no DNS)"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        if exc.errno in _NO_ROUTE or isinstance(exc, ConnectionRefusedError):
            return f"{host}:{port} refused the connection or has no route"
        return None  # a timeout or something stranger: let the client try, with its retries
