"""Start the real server (`streamlit run asgi.py`, as `make run` does) for a test, on a free port
of 127.0.0.1, with its output in a file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Streamlit looks up the machine's public address when a WebSocket comes from a foreign origin
# (and for its start-up banner): through this proxy, which is nobody, nothing leaves the host.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no goodbye."""
        self.proc.kill()
        self.proc.wait(timeout=15)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start(log: Path, env: dict[str, str], *, port: int | None = None) -> Server:
    """A running server; raises RuntimeError (with its output) when it does not come up."""
    port = port or free_port()
    out = log.open("ab")
    command = [sys.executable, "-m", "streamlit", "run", "asgi.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **NO_NETWORK, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).close()
            return Server(base, proc, log)
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                proc.wait(timeout=15)
                raise RuntimeError("the server did not start:\n" + log.read_text()) from None
            time.sleep(0.3)


@contextmanager
def running(log: Path, env: dict[str, str]) -> Iterator[Server]:
    server = start(log, env)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.terminate()
            try:
                server.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
