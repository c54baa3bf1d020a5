"""Jobs over HTTP: status, server-sent events (live and replayed), cancellation, and several
API processes sharing one database."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from api_support import SlowEngine, assert_error, make_app, parse_sse, slow_manifest, wait_for

JOB_FIELDS = {"id", "kind", "status", "progress", "step", "total", "render_id", "error",
              "created_at", "started_at", "finished_at"}


def submit(client, seed: int = 1, **body) -> str:
    response = client.post("/v1/renders", json={"manifest": slow_manifest(seed), **body})
    assert response.status_code == 202, response.text
    return response.json()["job_id"]


def stream(client, job_id: str, headers=None) -> list:
    with client.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse_sse(response.read().decode())


class BrokenEngine(SlowEngine):
    def render(self, request, on_progress=None):
        raise OSError("device lost")


def test_events_are_one_per_step_in_order_and_replay_after_the_end(settings):
    with TestClient(make_app(settings, workers=1, steps=6, delay=0.02)) as client:
        job_id = submit(client)
        live = stream(client, job_id)  # connected while queued or running
        assert [e.type for e in live] == ["queued", "started"] + ["progress"] * 6 + ["done"]
        steps = [e.data for e in live if e.type == "progress"]
        assert [(s["step"], s["total"]) for s in steps] == [(i, 6) for i in range(1, 7)]
        assert [s["progress"] for s in steps] == sorted(s["progress"] for s in steps)
        assert [e.id for e in live] == sorted({e.id for e in live})
        job = client.get(f"/v1/jobs/{job_id}").json()
        assert JOB_FIELDS <= set(job) and job["status"] == "succeeded"
        assert live[-1].data == {"render_id": job["render_id"]}
        assert (job["progress"], job["step"], job["total"], job["error"]) == (1.0, 6, 6, None)

        assert stream(client, job_id) == live  # a late client gets the whole story
        resumed = stream(client, job_id, headers={"Last-Event-ID": str(live[4].id)})
        assert resumed == live[5:]
        assert stream(client, job_id, headers={"Last-Event-ID": str(live[-1].id)}) == []


def test_a_failed_job_reports_its_error_as_an_event(settings):
    with TestClient(make_app(settings, workers=1)) as client:
        app = client.app
        app.state.studio.engines.add("slow", BrokenEngine)
        job_id = submit(client)
        events = stream(client, job_id)
        assert events[-1].type == "error" and events[-1].data["code"] == "engine_error"
        job = client.get(f"/v1/jobs/{job_id}").json()
        assert job["status"] == "failed" and job["error"] == events[-1].data


def test_cancel_a_queued_job_at_once(settings):
    with TestClient(make_app(settings, workers=0)) as client:
        job_id = submit(client)
        response = client.delete(f"/v1/jobs/{job_id}")
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
        assert [e.type for e in stream(client, job_id)] == ["queued", "cancelled"]
        again = client.delete(f"/v1/jobs/{job_id}")  # idempotent
        assert again.status_code == 200 and again.json()["status"] == "cancelled"


def test_cancel_a_running_job_through_its_engine(settings):
    with TestClient(make_app(settings, workers=1, steps=500, delay=0.01)) as client:
        job_id = submit(client)
        wait_for(client, job_id, statuses=("running",))
        response = client.delete(f"/v1/jobs/{job_id}")
        assert response.status_code in (200, 202)
        job = wait_for(client, job_id, timeout=5)
        assert job["status"] == "cancelled" and job["step"] < 500
        events = stream(client, job_id)
        assert events[-1].type == "cancelled" and "started" in [e.type for e in events]
        assert client.get("/v1/renders").json()["items"] == []


def test_unknown_jobs_are_404(settings):
    with TestClient(make_app(settings, workers=0)) as client:
        for method, path in (("GET", ""), ("GET", "/events"), ("DELETE", "")):
            assert_error(client.request(method, f"/v1/jobs/{'0' * 26}{path}"), 404, "not_found")
        assert_error(client.get("/v1/jobs/not-an-id"), 404, "not_found")


def test_two_api_processes_share_jobs(settings, database_url):
    """A worker-less API accepts; another API's worker runs; either one follows and cancels."""
    shared = settings.model_copy(update={"database_url": database_url})
    front = make_app(shared, workers=0)
    back = make_app(shared, workers=1, steps=8, delay=0.02)
    with TestClient(front) as a, TestClient(back) as b:
        job_id = submit(a, seed=3)  # queued through A, which has no worker
        events = stream(a, job_id)  # A streams what B's worker writes
        assert [e.type for e in events][-1] == "done"
        assert len([e for e in events if e.type == "progress"]) == 8
        render_id = b.get(f"/v1/jobs/{job_id}").json()["render_id"]
        assert a.get(f"/v1/renders/{render_id}").json()["job_id"] == job_id

        b.app.state.studio.engines.add("slow", lambda s: SlowEngine(steps=1000, delay=0.01))
        long_id = submit(b, seed=4)
        wait_for(a, long_id, statuses=("running",))
        follower: list = []
        thread = threading.Thread(target=lambda: follower.extend(stream(a, long_id)))
        thread.start()
        time.sleep(0.1)
        assert a.delete(f"/v1/jobs/{long_id}").json()["cancel_requested"] is True
        assert wait_for(b, long_id, timeout=5)["status"] == "cancelled"
        thread.join(5)
        assert follower and follower[-1].type == "cancelled"


@pytest.mark.parametrize("header", ["abc", "-5"])
def test_a_bad_last_event_id_replays_from_the_start(settings, header):
    with TestClient(make_app(settings, workers=0)) as client:
        job_id = submit(client)
        client.delete(f"/v1/jobs/{job_id}")
        assert [e.type for e in stream(client, job_id, {"Last-Event-ID": header})] == [
            "queued", "cancelled"]
