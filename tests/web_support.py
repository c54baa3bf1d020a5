"""Shared by the web studio's tests: a real ``studioflow serve`` subprocess and Debian's
Chromium driven by Playwright (never ``playwright install``: the browser is the system's)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = ROOT / "src" / "studioflow" / "web_dist"
CHROMIUM = os.environ.get("STUDIOFLOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def artifacts_dir() -> Path:
    """Where screenshots go: $STUDIOFLOW_ARTIFACTS/web or tests/artifacts/web (git-ignored)."""
    base = os.environ.get("STUDIOFLOW_ARTIFACTS")
    path = Path(base) / "web" if base else ROOT / "tests" / "artifacts" / "web"
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOFLOW_")}
    env.update(STUDIOFLOW_HOME=str(home), STUDIOFLOW_ENGINE="preview",
               STUDIOFLOW_TRANSLATOR="rules", STUDIOFLOW_WORKERS="2")
    return env


@contextmanager
def running_server(home: Path, timeout: float = 30.0) -> Iterator[str]:
    """``studioflow serve`` on a free loopback port with a fresh home; yields its base URL."""
    port = free_port()
    log = open(home.parent / f"serve-{port}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "studioflow", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=server_env(home), stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"studioflow serve exited: {_tail(log.name)}")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"studioflow serve did not start: {_tail(log.name)}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _tail(path: str) -> str:
    return Path(path).read_text(errors="replace")[-2000:]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
