"""What the proxy and server tests share: the paths that must never reach the public, plain
HTTP requests, and waiting for a proxy to answer."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

# Everything a visitor might try to reach the metrics or the agent API by: encodings, dots,
# doubled slashes, a trailing slash, a query, another case. Streamlit's routes are
# case-sensitive and nginx decodes and normalises an address before it picks a location.
METRICS_SPELLINGS = [
    "/_stcore/metrics",
    "/_stcore/metrics?format=openmetrics",
    "/_stcore/metrics/",
    "//_stcore//metrics",
    "/_stcore/./metrics",
    "/x/../_stcore/metrics",
    "/_stcore/%6detrics",
    "/%5fstcore/metrics",
    "/_stcore/metrics%3F",
    "/_stcore/metrics;x",
    "/_STCORE/METRICS",
]


AGENT_PATHS = ["/_stcore/agent/openapi.json", "/_stcore/agent/mcp", "/_stcore//agent/interact"]


def fetch(
    url: str, method: str = "GET", data: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    """One request (GET unless told), following redirects as a client would: status, headers
    (lower-case names) and body, also for an error status."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            found = {k.lower(): v for k, v in response.headers.items()}
            return response.status, found, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET with the request target sent byte for byte (urllib would tidy some of them)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def is_metrics(body: bytes) -> bool:
    """Streamlit's metrics in OpenMetrics text (its protobuf form carries the same names)."""
    return b"cache_memory_bytes" in body or b"# TYPE" in body or b"# EOF" in body


def wait_until_answering(
    base: str, proc: subprocess.Popen[bytes], seconds: float, log: Callable[[], str]
) -> None:
    """Until `base` answers /_stcore/health through the proxy `proc`; RuntimeError with the
    proxy's log when it exits or has not answered after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{proc.args!r} did not start:\n{log()}") from None
            time.sleep(0.2)
