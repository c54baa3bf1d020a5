"""The Celery queue with its real parts: Redis, `studioflow worker` processes, and one database
shared by the API (a TestClient with STUDIOFLOW_QUEUE=celery) and the workers.

Every test uses its own Redis key prefix (so runs in parallel do not see each other's
messages) and deletes its keys afterwards.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from api_support import (
    assert_error,
    make_app,
    parse_sse,
    slow_factory,
    slow_manifest,
    wait_for,
)
from cli_runner import run_cli
from conftest import service_missing
from manifests import minimal_manifest
from studioflow.errors import MissingExtraError

REDIS_URL = os.environ.get("STUDIOFLOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# `studioflow worker` with one more engine (entry points cannot be added at run time):
# argv = tests folder, steps, delay per step, shutdown grace in seconds
LAUNCHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from api_support import slow_factory
    from studioflow.core.config import Settings
    from studioflow.core.wiring import open_studio
    from studioflow.jobs.worker_celery import run_worker

    settings = Settings()
    studio = open_studio(settings)
    studio.engines.add("slow", slow_factory(int(sys.argv[2]), float(sys.argv[3])))
    sys.exit(run_worker(settings, studio, grace_s=float(sys.argv[4])))
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    try:
        import celery  # noqa: F401
        import redis
    except ImportError as exc:
        service_missing("the celery extra", f"{exc.name}: pip install 'studioflow[celery]'")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_missing("Redis at " + REDIS_URL, str(exc))
    yield REDIS_URL
    client.close()


@pytest.fixture
def cluster(settings, redis_url, tmp_path):
    """Settings for the API and the environment for workers: one database, one Redis
    prefix; workers started through it are stopped (and the prefix's keys deleted) at the
    end."""
    prefix = f"sf-test-{uuid.uuid4().hex[:12]}:"
    c = Cluster(settings.model_copy(update={
        "queue": "celery", "redis_url": redis_url, "redis_prefix": prefix,
        "database_url": f"sqlite:///{tmp_path / 'shared.db'}",
        "job_heartbeat_s": 0.2, "job_stale_s": 1.0}), tmp_path)
    yield c
    c.stop_all()
    c.forget_redis()


class Cluster:
    def __init__(self, settings, tmp_path: Path) -> None:
        self.settings, self.tmp_path = settings, tmp_path
        self.workers: list[Worker] = []

    def forget_redis(self) -> None:
        """Delete every key of this test (messages, bindings, markers) from Redis."""
        import redis

        client = redis.Redis.from_url(self.settings.redis_url)
        keys = list(client.scan_iter(match=self.settings.redis_prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()

    def env(self) -> dict[str, str]:
        s = self.settings
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
               "STUDIOFLOW_HOME": str(s.home), "STUDIOFLOW_DATABASE_URL": s.database_url,
               "STUDIOFLOW_REDIS_URL": s.redis_url, "STUDIOFLOW_REDIS_PREFIX": s.redis_prefix,
               "STUDIOFLOW_JOB_HEARTBEAT_S": str(s.job_heartbeat_s),
               "STUDIOFLOW_JOB_STALE_S": str(s.job_stale_s)}
        env.pop("STUDIOFLOW_STORAGE_URL", None)
        return env

    def worker(self, steps: int | None = None, delay: float = 0.05,
               grace_s: float = 10.0) -> Worker:
        """``studioflow worker`` itself, or (with ``steps``) the launcher with the slow engine."""
        log = self.tmp_path / f"worker{len(self.workers)}.log"
        if steps is None:
            argv = [sys.executable, "-m", "studioflow", "worker", "--concurrency", "1"]
        else:
            argv = [sys.executable, "-c", LAUNCHER, str(Path(__file__).parent), str(steps),
                    str(delay), str(grace_s)]
        worker = Worker(argv, self.env(), log)
        self.workers.append(worker)
        return worker

    def app(self, **overrides):
        return make_app(self.settings, **overrides)

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.kill()
                worker.proc.wait(10)


class Worker:
    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(argv, env=env, stdout=log.open("ab"),
                                     stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker never logged {needle!r}:\n{self.text()}")
            time.sleep(0.05)


def submit(client, manifest) -> str:
    response = client.post("/v1/renders", json={"manifest": manifest})
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def wait_running(client, job_id: str, min_step: int = 1, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] == "running" and job["step"] >= min_step:
            return job
        assert job["status"] in ("queued", "running"), job
        assert time.monotonic() < deadline, job
        time.sleep(0.02)


def events_of(client, job_id: str) -> list:
    with client.stream("GET", f"/v1/jobs/{job_id}/events") as response:
        assert response.status_code == 200
        return parse_sse(response.read().decode())


def engine_status(client, name: str) -> dict:
    [engine] = [e for e in client.get("/v1/engines").json() if e["name"] == name]
    return engine


def renders_of(client, job_id: str) -> list[dict]:
    items = client.get("/v1/renders", params={"limit": 200}).json()["items"]
    return [r for r in items if r["job_id"] == job_id]


@pytest.mark.slow
def test_a_worker_process_renders_what_the_api_queued_and_progress_reaches_sse(
        cluster, database_url):
    from fastapi.testclient import TestClient

    from studioflow.export.png import decode_png, read_metadata

    cluster.settings = cluster.settings.model_copy(update={"database_url": database_url})
    worker = cluster.worker()  # the real CLI with the preview engine
    with TestClient(cluster.app()) as client:
        health = client.get("/healthz").json()
        assert health["queue"]["kind"] == "celery" and health["queue"]["workers"] == 0
        assert not [t for t in threading.enumerate() if t.name.startswith("studioflow-worker")]

        job_id = submit(client, minimal_manifest(seed=5, width=64, height=64))
        worker.wait_for_log(" ready.")  # (fails with the worker's log if it could not start)
        events = events_of(client, job_id)  # follows the job live until its last event
        kinds = [e.type for e in events]
        assert kinds[:2] == ["queued", "started"] and kinds[-1] == "done", kinds
        steps = [e.data for e in events if e.type == "progress"]
        total = steps[0]["total"]
        assert total >= 2 and [(s["step"], s["total"]) for s in steps] == [
            (i, total) for i in range(1, total + 1)]

        job = client.get(f"/v1/jobs/{job_id}").json()
        assert (job["status"], job["attempts"], job["progress"]) == ("succeeded", 1, 1.0)
        assert events[-1].data == {"render_id": job["render_id"]}
        [record] = renders_of(client, job_id)
        assert record["id"] == job["render_id"]
        png = client.get(record["images"][0]["url"]).content
        assert read_metadata(png)["render_id"] == record["id"]
        assert decode_png(png).shape == (64, 64, 3)


@pytest.mark.slow
def test_cancelling_a_queued_job_revokes_it_and_a_running_one_stops_in_the_worker(cluster):
    """(Also: an engine the API machine cannot run is available once a worker can.)"""
    from fastapi.testclient import TestClient

    from studioflow.api.app import create_app
    from studioflow.core.wiring import open_studio

    studio = open_studio(cluster.settings)  # the API machine: no "GPU" for the slow engine
    studio.engines.add("slow", slow_factory(60, 0.05, available=False))
    with TestClient(create_app(cluster.settings, studio)) as client:
        response = client.post("/v1/renders", json={"manifest": slow_manifest(1)})
        error = assert_error(response, 503, "not_configured", "$.render.engine")
        assert "no running studioflow worker" in error["message"]

        worker = cluster.worker(steps=60, delay=0.05)  # one job at a time, 3 s each
        deadline = time.monotonic() + 20
        while not engine_status(client, "slow")["available"]:  # reported by the worker
            assert worker.proc.poll() is None and time.monotonic() < deadline, worker.text()
            time.sleep(0.1)
        running = submit(client, slow_manifest(1))
        waiting = submit(client, slow_manifest(2))
        wait_running(client, running)

        response = client.delete(f"/v1/jobs/{waiting}")
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
        response = client.delete(f"/v1/jobs/{running}")
        assert response.status_code == 202 and response.json()["cancel_requested"]
        job = wait_for(client, running, timeout=5)
        assert job["status"] == "cancelled" and job["step"] < 60

        assert [e.type for e in events_of(client, waiting)] == ["queued", "cancelled"]
        assert [e.type for e in events_of(client, running)][-1] == "cancelled"
        # the freed worker received the waiting job's message and dropped it unrun
        worker.wait_for_log(f"Discarding revoked task: studioflow.run_job[{waiting}]")
        assert client.get("/v1/renders").json()["items"] == []


@pytest.mark.slow
def test_a_job_of_a_killed_worker_finishes_once_on_another_worker(cluster):
    from fastapi.testclient import TestClient

    from studioflow.jobs import open_job_store
    from studioflow.jobs.celery_app import create_celery, publish

    workers = [cluster.worker(steps=30, delay=0.05) for _ in range(2)]
    with TestClient(cluster.app(steps=30)) as client:
        job_id = submit(client, slow_manifest(7))
        wait_running(client, job_id, min_step=3)
        owner = open_job_store(cluster.settings).get(job_id).worker_id  # host:pid:celery/...
        [victim] = [w for w in workers if f":{w.proc.pid}:" in owner]
        os.kill(victim.proc.pid, signal.SIGKILL)

        job = wait_for(client, job_id, timeout=20)
        assert (job["status"], job["attempts"]) == ("succeeded", 2), job
        kinds = [e.type for e in events_of(client, job_id)]
        assert kinds.count("started") == 2 and kinds[-1] == "done"
        [record] = renders_of(client, job_id)
        assert record["id"] == job["render_id"]

        # Redis hands the dead worker's message out again (after its visibility timeout):
        # the survivor drops it without rendering
        [survivor] = [w for w in workers if w is not victim]
        app = create_celery(cluster.settings)
        publish(app, job_id, cluster.settings.celery_queue)
        app.close()
        survivor.wait_for_log(f"job {job_id} is not queued any more")
        assert len(renders_of(client, job_id)) == 1
        assert client.get(f"/v1/jobs/{job_id}").json()["attempts"] == 2


@pytest.mark.slow
def test_sigterm_gives_the_running_job_back_to_another_worker(cluster):
    from fastapi.testclient import TestClient

    from studioflow.jobs import open_job_store

    workers = [cluster.worker(steps=30, delay=0.05, grace_s=0.2) for _ in range(2)]
    with TestClient(cluster.app(steps=30)) as client:
        job_id = submit(client, slow_manifest(3))
        wait_running(client, job_id, min_step=2)
        owner = open_job_store(cluster.settings).get(job_id).worker_id
        [leaving] = [w for w in workers if f":{w.proc.pid}:" in owner]
        leaving.proc.send_signal(signal.SIGTERM)
        assert leaving.proc.wait(15) == 0

        job = wait_for(client, job_id, timeout=20)
        assert (job["status"], job["attempts"]) == ("succeeded", 2), job
        queued = [e.data for e in events_of(client, job_id) if e.type == "queued"]
        assert queued[-1] == {"reason": "its worker shut down"}
        assert len(renders_of(client, job_id)) == 1


@pytest.mark.slow
def test_a_full_queue_answers_429_and_queued_jobs_survive_redis_losing_its_data(cluster):
    from fastapi.testclient import TestClient

    with TestClient(cluster.app(max_queued=2)) as client:  # no worker yet: jobs stay queued
        ids = [submit(client, slow_manifest(seed)) for seed in (1, 2)]
        response = client.post("/v1/renders", json={"manifest": slow_manifest(3)})
        assert_error(response, 429, "queue_full", "queue")
        assert float(response.headers["Retry-After"]) > 0
        assert client.get("/healthz").json()["jobs"] == {"queued": 2}

        cluster.forget_redis()  # e.g. Redis restarted without persistence
        cluster.worker(steps=1, delay=0)
        for job_id in ids:  # the database still knew them: the worker published them again
            assert wait_for(client, job_id)["status"] == "succeeded"
            assert len(renders_of(client, job_id)) == 1


def test_redis_down_is_a_clear_error_for_the_worker_and_the_api(settings, capsys,
                                                                  monkeypatch):
    from fastapi.testclient import TestClient

    pytest.importorskip("celery")  # (installed with dev; its absence is the next test)
    down = f"redis://127.0.0.1:{free_port()}/0"
    monkeypatch.setenv("STUDIOFLOW_REDIS_URL", down)
    result = run_cli(capsys, "worker")
    assert result.code == 1
    assert down in result.err and "not reachable" in result.err
    assert "STUDIOFLOW_REDIS_URL" in result.err and "Traceback" not in result.err

    settings = settings.model_copy(update={"queue": "celery", "redis_url": down})
    with TestClient(make_app(settings)) as client:
        response = client.post("/v1/renders", json={"manifest": slow_manifest(1)})
        error = assert_error(response, 503, "not_configured", "STUDIOFLOW_REDIS_URL")
        assert down in error["message"]
        health = client.get("/healthz")
        assert health.status_code == 503 and down in health.json()["error"]["message"]
    # the job that could not be queued did not stay "queued" for ever
    from studioflow.jobs import open_job_store

    assert open_job_store(settings).counts() == {"cancelled": 1}


def test_without_the_extra_worker_and_queue_name_the_pip_command(settings, capsys,
                                                                  monkeypatch):
    monkeypatch.setitem(sys.modules, "celery", None)  # what a missing package looks like
    result = run_cli(capsys, "worker")
    assert result.code == 1 and "pip install 'studioflow[celery]'" in result.err
    with pytest.raises(MissingExtraError, match=r"pip install 'studioflow\[celery\]'"):
        make_app(settings.model_copy(update={"queue": "celery"}))


def test_a_message_whose_job_cannot_be_read_goes_back_to_redis(settings, studio, tmp_path,
                                                               monkeypatch):
    """The database is down: the worker must not acknowledge (and so lose) the message."""
    pytest.importorskip("celery")
    from celery.exceptions import Reject
    from sqlalchemy import create_engine

    from studioflow.jobs import worker_celery
    from studioflow.jobs.jobs_sql import SQLJobStore

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    down = SQLJobStore(create_engine(f"sqlite:///{not_a_folder / 'jobs.db'}"))
    monkeypatch.setattr(worker_celery, "DB_RETRY_S", 0.0)
    worker = worker_celery.CeleryWorker(settings, studio, down)
    with pytest.raises(Reject) as info:
        worker.run_job("01M88ZXW525TNX5NKACFZMXXT6")
    assert info.value.requeue is True
