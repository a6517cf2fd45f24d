"""The deployment's proxy in front of benchmark servers: deploy/single-server/Caddyfile's site
block, once per upstream, on loopback, with HTTPS from Caddy's own internal authority (`tls
internal`: no certificate from the net, the system's trust store untouched). Over HTTPS a browser
negotiates HTTP/2 with Caddy, as it does with the real deployment, and every request of a page
shares one connection; Streamlit's own server speaks HTTP/1.1 only.

The deployed site block has no `encode`: Caddy passes the app's Brotli through as it comes and
compresses nothing itself, so a page behind it gets exactly the bytes its server sends.
"""

from __future__ import annotations

import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYED = ROOT / "deploy" / "single-server" / "Caddyfile"
SITE = "check.example.org"
UPSTREAM = "reverse_proxy 127.0.0.1:8501"
# No admin endpoint (two runs would share its port), no attempt to install the internal root
# into the system's trust store, no port-80 listener for redirects.
GLOBAL_OPTIONS = "{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n}\n"


def caddyfile(deployed: str, sites: Mapping[int, int], *, tls: bool = True) -> str:
    """A Caddyfile with the deployed site block once per listening port (key) in front of the
    upstream port on 127.0.0.1 (value). With tls, HTTPS with Caddy's internal certificate for
    127.0.0.1; without, plain HTTP. Everything else in the block is kept as deployed."""
    head = f"\n{SITE} {{\n"
    if deployed.count(head) != 1 or deployed.count(UPSTREAM) != 1:
        raise ValueError(f"the Caddyfile no longer has one {SITE} block with {UPSTREAM!r}")
    block = SITE + " {\n" + deployed.split(head, 1)[1]
    blocks = []
    for port, upstream in sites.items():
        opening = f"https://127.0.0.1:{port} {{\n\ttls internal\n" if tls else (
            f"http://127.0.0.1:{port} {{\n"
        )  # fmt: skip
        site = block.replace(SITE + " {\n", opening, 1)
        blocks.append(site.replace(UPSTREAM, f"reverse_proxy 127.0.0.1:{upstream}"))
    return GLOBAL_OPTIONS + "\n" + "\n".join(blocks)


def base_url(port: int, *, tls: bool = True) -> str:
    return f"{'https' if tls else 'http'}://127.0.0.1:{port}"


def unverified() -> ssl.SSLContext:
    """For loopback only: the internal authority's root is in no trust store."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@contextmanager
def caddy(
    sites: Mapping[int, int], log: Path, *, tls: bool = True, wait: float = 30
) -> Iterator[dict[int, str]]:
    """Caddy serving caddyfile(DEPLOYED, sites) until the block ends; yields each upstream
    port's address through it, once every one answers /_stcore/health. RuntimeError with
    Caddy's log when it does not come up."""
    program = shutil.which("caddy")
    if program is None:
        raise RuntimeError("Caddy is not installed (apt-get install caddy)")
    home = Path(tempfile.mkdtemp(prefix="screening-caddy-"))
    config = home / "Caddyfile"
    config.write_text(caddyfile(DEPLOYED.read_text(encoding="utf-8"), sites, tls=tls))
    # Caddy keeps its internal authority and certificates under these: a folder of its own.
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    bases = {upstream: base_url(port, tls=tls) for port, upstream in sites.items()}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [program, "run", "--config", str(config), "--adapter", "caddyfile"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + wait
        waiting = list(bases.values())
        while waiting:
            try:
                urllib.request.urlopen(
                    waiting[0] + "/_stcore/health", timeout=2, context=unverified()
                ).close()
                waiting.pop(0)
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                    raise RuntimeError(f"Caddy did not start:\n{tail}") from None
                time.sleep(0.2)  # polling a starting proxy
        yield bases
    finally:
        proc.send_signal(signal.SIGINT)  # graceful
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(home, ignore_errors=True)
