"""kill -9 a real API server while jobs are queued and running, restart it, and check that
every job finished exactly once: one render per job, each with its image, none lost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from api_support import parse_sse, slow_manifest
from studioflow.export.png import decode_png, read_metadata

# `studioflow serve` cannot be given a test engine, so this does what it does (build the
# Studio, run uvicorn through studioflow.api.app.serve) with one more engine registered
LAUNCHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from api_support import slow_factory
    from studioflow.api.app import serve
    from studioflow.core.config import Settings
    from studioflow.core.wiring import open_studio

    settings = Settings()
    studio = open_studio(settings)
    studio.engines.add("slow", slow_factory(steps=10, delay=0.05))
    serve(settings, studio)
""")
JOBS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, home: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
               "STUDIOFLOW_HOME": str(home), "STUDIOFLOW_PORT": str(self.port),
               "STUDIOFLOW_WORKERS": "2", "STUDIOFLOW_JOB_HEARTBEAT_S": "0.2",
               "STUDIOFLOW_JOB_STALE_S": "1.0"}
        for var in ("STUDIOFLOW_DATABASE_URL", "STUDIOFLOW_STORAGE_URL", "STUDIOFLOW_QUEUE"):
            env.pop(var, None)
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(Path(__file__).parent)], env=env,
            stdout=log.open("ab"), stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.url, timeout=10)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start:\n{log.read_text()}")
            time.sleep(0.1)

    def statuses(self, ids: list[str]) -> list[str]:
        return [self.client.get(f"/v1/jobs/{i}").json()["status"] for i in ids]


@pytest.mark.slow
def test_kill_9_and_restart_finishes_every_job_exactly_once(tmp_path):
    home, log = tmp_path / "home", tmp_path / "server.log"
    first = Server(home, log)
    ids = []
    for seed in range(JOBS):
        response = first.client.post("/v1/renders", json={"manifest": slow_manifest(seed)})
        assert response.status_code == 202, response.text
        ids.append(response.json()["job_id"])
    deadline = time.monotonic() + 20
    while True:  # kill once some are done, two are mid-render and the rest wait
        statuses = first.statuses(ids)
        if statuses.count("succeeded") >= 1 and statuses.count("running") == 2:
            break
        assert time.monotonic() < deadline, statuses
        time.sleep(0.02)
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    assert "queued" in statuses

    second = Server(home, log)
    live: list[tuple[float, str]] = []
    watcher = threading.Thread(target=watch, args=(second.url, ids[-1], live))
    watcher.start()
    deadline = time.monotonic() + 40
    while any(s not in ("succeeded", "failed", "cancelled") for s in second.statuses(ids)):
        assert time.monotonic() < deadline, second.statuses(ids)
        time.sleep(0.1)
    watcher.join(10)
    jobs = [second.client.get(f"/v1/jobs/{i}").json() for i in ids]
    assert [j["status"] for j in jobs] == ["succeeded"] * JOBS, jobs
    assert any(j["attempts"] == 2 for j in jobs), "some job was interrupted and run again"

    renders = second.client.get("/v1/renders", params={"limit": 200}).json()["items"]
    assert sorted(r["job_id"] for r in renders) == sorted(ids)  # one each, no duplicates
    by_job = {r["job_id"]: r for r in renders}
    for job in jobs:
        record = by_job[job["id"]]
        assert record["id"] == job["render_id"]
        data = second.client.get(record["images"][0]["url"]).content
        assert read_metadata(data)["render_id"] == record["id"]
        assert decode_png(data).shape == (64, 64, 3)

    # the late job was followed live over real HTTP: progress arrived before the end
    kinds = [kind for _, kind in live]
    assert kinds[-1] == "done" and "progress" in kinds
    first_progress = next(t for t, kind in live if kind == "progress")
    assert live[-1][0] - first_progress > 0.2

    second.proc.send_signal(signal.SIGTERM)  # graceful: the lifespan stops the workers
    assert second.proc.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal
    assert "Application shutdown complete" in log.read_text()


def watch(url: str, job_id: str, out: list[tuple[float, str]]) -> None:
    with httpx.stream("GET", f"{url}/v1/jobs/{job_id}/events", timeout=30) as response:
        buffer = ""
        for chunk in response.iter_text():
            buffer += chunk
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                for event in parse_sse(block + "\n\n"):
                    out.append((time.monotonic(), event.type))
