"""Load on a real StudioFlow API server over loopback; prints each figure.

    python bench/api_load.py [--workers 2] [--clients 8] [--renders 48] [--size 512]
    python bench/api_load.py --queue celery   # same figures through Celery workers
                                              # (Redis at STUDIOFLOW_REDIS_URL)

1. translate: requests/s, p50 and p99 latency, from ``--clients`` concurrent clients;
2. render submissions: accepted jobs/s with p50/p99 (validation + enqueue, while rendering);
3. end to end: preview renders/s through the API (submit -> image stored), divided by the
   preview engine's raw renders/s (direct ``engine.render`` calls, no storage) on the same
   number of threads. Goal: >= 0.9. The Studio's in-process rate (with storage, no HTTP,
   no queue) is printed too, to show where any gap comes from. The in-process rates are the
   best of three runs, so the ratios err on the low side on a busy machine.

Everything runs on 127.0.0.1 against a fresh temporary StudioFlow home; request loops are
bounded by count.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx

PROMPTS = [
    "a frosted glass perfume bottle on white marble, soft window light from the left",
    "a red lipstick on black glass, hard rim light, dark moody background",
    "a leather watch on a wooden table, warm morning light, top-down flat lay",
    "a ceramic coffee mug with steam, pastel pink backdrop, soft shadows",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Server:
    """``studioflow serve`` in a subprocess (plus Celery workers when asked)."""

    def __init__(self, home: Path, args: argparse.Namespace) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "STUDIOFLOW_HOME": str(home), "STUDIOFLOW_QUEUE": args.queue,
               "STUDIOFLOW_MAX_QUEUED": "100000",
               # a private key prefix: messages of another StudioFlow on this Redis stay apart
               "STUDIOFLOW_REDIS_PREFIX": f"sf-bench-{os.getpid()}-{time.time_ns()}:"}
        self.redis_prefix = env["STUDIOFLOW_REDIS_PREFIX"]
        for var in ("STUDIOFLOW_DATABASE_URL", "STUDIOFLOW_STORAGE_URL"):
            env.pop(var, None)
        # in-process: the API's own threads render; celery: separate `studioflow worker`s do
        api_workers = args.workers if args.queue == "inprocess" else 0
        cli = [sys.executable, "-m", "studioflow"]
        self.procs = [subprocess.Popen(
            [*cli, "serve", "--port", str(self.port), "--workers", str(api_workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        self.worker_log = home.parent / "worker.log"
        if args.queue == "celery":  # separate render processes, as on GPU machines
            self.procs.append(subprocess.Popen(
                [*cli, "worker", "--concurrency", str(args.workers)],
                env=env, stdout=self.worker_log.open("wb"), stderr=subprocess.STDOUT))
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(proc.poll() is not None for proc in self.procs):
                log = self.worker_log.read_text() if self.worker_log.exists() else ""
                raise SystemExit(f"a server process exited\n{log[-2000:]}")
            try:
                ready = httpx.get(self.url + "/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                ready = False
            if ready and (not self.worker_log.exists() or " ready." in self.worker_log.read_text()):
                return
            time.sleep(0.2)
        raise SystemExit("the server did not start")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(30)
        self._forget_redis_keys()

    def _forget_redis_keys(self) -> None:
        """The run's messages, markers and rate-limit counters (its own prefix)."""
        try:
            import redis
        except ImportError:
            return
        from studioflow.core.config import Settings

        try:
            client = redis.Redis.from_url(Settings().redis_url, socket_connect_timeout=2)
            keys = list(client.scan_iter(match=self.redis_prefix + "*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass


def timed_requests(url: str, clients: int, bodies: list[tuple[str, dict]],
                   expect: int) -> tuple[float, list[float], list[dict]]:
    """Send (path, json) bodies from ``clients`` threads; wall time, latencies, responses."""
    local = threading.local()

    def send(item: tuple[str, dict]) -> tuple[float, dict]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, timeout=60)
        t0 = time.perf_counter()
        response = local.client.post(item[0], json=item[1])
        elapsed = time.perf_counter() - t0
        if response.status_code != expect:
            raise SystemExit(f"{item[0]}: {response.status_code} {response.text[:300]}")
        return elapsed, response.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(send, bodies))
    wall = time.perf_counter() - started
    return wall, [r[0] for r in results], [r[1] for r in results]


def report(name: str, count: int, wall: float, latencies: list[float]) -> None:
    print(f"{name:<22} {count / wall:8.1f} req/s   p50 {statistics.median(latencies) * 1000:7.1f}"
          f" ms   p99 {percentile(latencies, 0.99) * 1000:7.1f} ms   ({count} requests)")


def last_finish(url: str, job_ids: list[str], timeout: float = 600) -> float:
    """When the last job finished (epoch seconds, from the jobs' own records, so that
    polling, kept rare here, neither delays the figure nor takes CPU from the workers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = httpx.get(url + "/healthz", timeout=10).json()["jobs"]
        if jobs.get("succeeded", 0) + jobs.get("failed", 0) >= len(job_ids):
            if jobs.get("failed"):
                raise SystemExit(f"{jobs['failed']} render jobs failed")
            with httpx.Client(base_url=url) as client:
                ends = [client.get(f"/v1/jobs/{i}").json()["finished_at"] for i in job_ids]
            return max(datetime.fromisoformat(e.replace("Z", "+00:00")).timestamp()
                       for e in ends)
        time.sleep(0.5)
    raise SystemExit("renders did not finish in time")


def raw_rates(manifests: list[dict], threads: int, home: Path) -> tuple[float, float]:
    """Renders/s of the bare preview engine, and of Studio.render (engine + storage)."""
    from studioflow.core.config import Settings
    from studioflow.core.orchestrator import build_request
    from studioflow.core.wiring import open_studio

    studio = open_studio(Settings(home=home))
    prepared = [studio.prepare(m) for m in manifests]
    engine = studio.engines.require("preview")

    def rate(work, items) -> float:
        """Best of three runs: other load on the machine only ever slows a run down."""
        work(items[0])  # warm-up: imports, caches, the first database write
        best = 0.0
        for _ in range(3):
            started = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(work, items))
            best = max(best, len(items) / (time.perf_counter() - started))
        return best

    return (rate(lambda m: engine.render(build_request(m)), prepared),
            rate(studio.render, manifests))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue", choices=["inprocess", "celery"], default="inprocess")
    parser.add_argument("--workers", type=int, default=2, help="render workers (threads)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--translations", type=int, default=400)
    parser.add_argument("--renders", type=int, default=48)
    parser.add_argument("--size", type=int, default=512, help="render width and height")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "home", args)
        try:
            print(f"server {server.url}  queue={args.queue}  workers={args.workers}  "
                  f"clients={args.clients}  size={args.size}  cores={os.cpu_count()}")
            bodies = [("/v1/translate", {"prompt": PROMPTS[i % len(PROMPTS)]})
                      for i in range(args.translations)]
            timed_requests(server.url, args.clients, bodies[:20], 200)  # warm-up
            wall, lat, _ = timed_requests(server.url, args.clients, bodies, 200)
            report("translate", len(bodies), wall, lat)

            manifests = [httpx.post(server.url + "/v1/translate", json={"prompt": p}).json()
                         for p in PROMPTS]
            renders = [("/v1/renders", {"manifest": manifests[i % len(manifests)], "seed": i,
                                        "width": args.size, "height": args.size})
                       for i in range(args.renders)]
            t0 = time.time()
            wall, lat, accepted = timed_requests(server.url, args.clients, renders, 202)
            report("render submissions", len(renders), wall, lat)
            done = last_finish(server.url, [a["job_id"] for a in accepted])
            e2e = len(renders) / (done - t0)
        finally:
            server.stop()
        same = []  # the very renders the API made: same manifests, sizes and seeds
        for i in range(args.renders):
            m = manifests[i % len(manifests)]
            render = {k: v for k, v in m["render"].items() if k != "aspect"}
            same.append({**m, "render": {**render, "width": args.size, "height": args.size,
                                         "seed": i}})
        raw, studio_rate = raw_rates(same, args.workers, Path(tmp) / "raw")
    print(f"{'end-to-end via API':<22} {e2e:8.2f} renders/s  ({args.renders} preview renders, "
          f"{args.size}x{args.size}, {args.workers} workers, queue={args.queue})")
    print(f"{'raw preview engine':<22} {raw:8.2f} renders/s  ({args.workers} threads)")
    print(f"{'Studio.render':<22} {studio_rate:8.2f} renders/s  (engine + PNG + storage)")
    print(f"{'API / raw engine':<22} {e2e / raw:8.2f}   (goal >= 0.9)")
    print(f"{'API / Studio.render':<22} {e2e / studio_rate:8.2f}   (what HTTP + the queue cost)")


if __name__ == "__main__":
    main()
