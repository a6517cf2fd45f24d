"""Server processes for the benchmark: start `streamlit run` on a free loopback port, wait until
it answers, read its memory and CPU from /proc, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One `streamlit run SCRIPT` process on 127.0.0.1, started as `make run` starts the app:
    the project's .streamlit/config.toml, plus the given options on top. The benchmark and the
    tests that need a real server both start it through this class."""

    def __init__(
        self,
        script: str,
        *,
        options: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        port: int | None = None,
    ) -> None:
        self.script = script
        self.port = port or free_port()
        self.options = dict(options or {})
        self.env = {**os.environ, **(env or {})}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 90) -> None:
        """Start and wait until it answers; raises RuntimeError (with the end of its log)."""
        command = [sys.executable, "-m", "streamlit", "run", self.script]
        command += ["--server.port", str(self.port), "--server.address", "127.0.0.1"]
        for name, value in self.options.items():
            command += [f"--{name}", value]
        if self.log is None:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )
        else:
            with self.log.open("ab") as out:  # the child keeps its own handle
                self.proc = subprocess.Popen(
                    command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
                )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                raise RuntimeError(f"{self.script} exited with {code}{self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)  # polling a starting server
        self.stop()
        raise RuntimeError(f"{self.script} did not answer within {wait} s{self._tail()}")

    def output(self) -> str:
        """What the server wrote to its log so far ("" without a log)."""
        if self.log is None or not self.log.exists():
            return ""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _tail(self) -> str:
        tail = self.output()[-2000:]
        return f":\n{tail}" if tail else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no goodbye."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(15)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process, in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """CPU time the server process has used (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# How the app sends its font subsets, and only them (web/site/font_serving.py).
SUBSET_CACHE = "public, max-age=86400"


def font_subsets_made(base: str, wait: float = 180) -> None:
    """Ask the app at `base` for Streamlit's two fonts until it sends its subsets (it starts
    making them on the first ask), so a measured visit gets them as any visitor after the first
    one does. RuntimeError after `wait` seconds."""
    from web.site.font_files import ICON_FONT, TEXT_FONT, find

    deadline = time.monotonic() + wait
    for font in (find(ICON_FONT), find(TEXT_FONT)):
        while True:
            with urllib.request.urlopen(base + font.url, timeout=30) as response:
                if response.headers["cache-control"] == SUBSET_CACHE:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"no subset of {font.url} after {wait} s")
            time.sleep(1)  # polling: making them takes seconds of CPU
