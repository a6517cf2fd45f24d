"""Start the real server (`streamlit run asgi.py`, as `make run` does) for a test, on a free port
of 127.0.0.1, with its output in a file. The process itself is bench/servers.py's Server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.servers import ROOT, Server, free_port

__all__ = ["NO_NETWORK", "ROOT", "Server", "free_port", "running", "start"]

# Streamlit looks up the machine's public address when a WebSocket comes from a foreign origin
# (and for its start-up banner): through this proxy, which is nobody, nothing leaves the host.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def start(log: Path, env: dict[str, str], *, port: int | None = None) -> Server:
    """A running server; raises RuntimeError (with its output) when it does not come up."""
    server = Server("asgi.py", env={**NO_NETWORK, **env}, log=log, port=port)
    server.start(wait=60)
    return server


@contextmanager
def running(log: Path, env: dict[str, str]) -> Iterator[Server]:
    server = start(log, env)
    try:
        yield server
    finally:
        server.stop()
