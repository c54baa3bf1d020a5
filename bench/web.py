"""The web studio's first load: JavaScript size and time to an interactive prompt box.

    python bench/web.py [--runs 7]

Prints (1) the gzipped size of the JavaScript the first visit must load before the studio
can start (index.html's entry script and the chunks it preloads; CodeMirror and the other
lazily loaded chunks are counted apart), goal <= 500 KB; and (2) the time from navigation
to an interactive prompt box in headless Chromium on loopback against a real
``studioflow serve`` (fresh STUDIOFLOW_HOME), cold (new browser profile, empty cache) and
warm (cached), median and worst of ``--runs``, goal <= 1.5 s. "Interactive" is measured in
the page: the moment React has mounted an enabled prompt textarea (performance.now(), from
navigation start), then checked from outside by typing into it.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "src" / "studioflow" / "web_dist"
CHROMIUM = os.environ.get("STUDIOFLOW_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
GOAL_KB, GOAL_S = 500, 1.5

# set in the page before any script: when the prompt box is mounted and enabled
READY_PROBE = """
new MutationObserver((_, obs) => {
  const box = document.querySelector('textarea');
  if (box && !box.disabled) { window.__promptReady = performance.now(); obs.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def js_sizes() -> tuple[dict[str, int], dict[str, int]]:
    index = (DIST / "index.html").read_text()
    initial = set(re.findall(r'<script[^>]+src="/assets/([^"]+\.js)"', index))
    initial |= set(re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/assets/([^"]+)"', index))
    every = {p.name: gz(p.read_bytes()) for p in (DIST / "assets").glob("*.js")}
    return ({n: every[n] for n in sorted(initial)},
            {n: s for n, s in sorted(every.items()) if n not in initial})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIOFLOW_")}
    env.update(STUDIOFLOW_HOME=home, STUDIOFLOW_ENGINE="preview")
    proc = subprocess.Popen([sys.executable, "-m", "studioflow", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("studioflow serve did not start")


def load_once(page, base: str) -> tuple[float, float]:
    """(in-page ms to the mounted prompt box, wall ms until typing into it worked)."""
    started = time.perf_counter()
    page.goto(base + "/", wait_until="commit")
    box = page.get_by_role("textbox", name="Prompt")
    box.fill("perfume bottle")  # waits until it is visible, enabled and editable
    wall = (time.perf_counter() - started) * 1000
    return page.evaluate("window.__promptReady"), wall


def timings(base: str, runs: int) -> dict[str, list[tuple[float, float]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(READY_PROBE)
            page = context.new_page()
            out["cold"].append(load_once(page, base))
            out["warm"].append(load_once(page, base))  # same profile: cached assets
            context.close()
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    initial, lazy = js_sizes()
    total = sum(initial.values())
    print("initial-load JavaScript (gzip -6):")
    for name, size in initial.items():
        print(f"  {name:42s} {size / 1024:8.1f} KB")
    verdict = "ok" if total / 1024 <= GOAL_KB else "OVER GOAL"
    print(f"  {'total':42s} {total / 1024:8.1f} KB   (goal <= {GOAL_KB} KB: {verdict})")
    print(f"loaded later, on demand: {sum(lazy.values()) / 1024:.1f} KB gzipped in "
          f"{len(lazy)} chunks (largest: {max(lazy, key=lazy.get)} "
          f"{max(lazy.values()) / 1024:.1f} KB)")

    with tempfile.TemporaryDirectory(prefix="studioflow-bench-web-") as home:
        proc, base = start_server(home)
        try:
            result = timings(base, args.runs)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    print(f"navigation -> interactive prompt box, headless Chromium on loopback, "
          f"{args.runs} runs:")
    for kind, samples in result.items():
        ready = [r for r, _ in samples]
        wall = [w for _, w in samples]
        verdict = "ok" if statistics.median(ready) / 1000 <= GOAL_S else "OVER GOAL"
        print(f"  {kind}: in page median {statistics.median(ready):6.0f} ms, worst "
              f"{max(ready):6.0f} ms; typed into it after median {statistics.median(wall):6.0f}"
              f" ms, worst {max(wall):6.0f} ms   (goal <= {GOAL_S * 1000:.0f} ms: {verdict})")


if __name__ == "__main__":
    main()
