"""/v1/batches: upload, dry run, server-sent events, results, cancel and resume, errors in
the one shape, and items that run as durable queue jobs (surviving a restart)."""

from __future__ import annotations

import csv
import io
import time
import zipfile

from fastapi.testclient import TestClient

from api_support import SlowEngine, assert_error, make_app, parse_sse
from studioflow.batch.store import BatchStore
from studioflow.errors import EngineError

CSV = (b"sku,prompt,variants,seed\n"
       b"A1,red leather handbag,2,\n"
       b"A2,blue ceramic mug,,\n"
       b"A3,straw hat,,not-a-seed\n")


def post(client, data=CSV, name="catalogue.csv", **fields):
    form = {"engine": "slow", "width": "64", "height": "64", **fields}
    return client.post("/v1/batches", files={"file": (name, data, "text/csv")}, data=form)


def wait_batch(client, batch_id, statuses=("completed", "cancelled"), timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/v1/batches/{batch_id}").json()
        if body["status"] in statuses:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.02)


def events(client, batch_id, headers=None):
    with client.stream("GET", f"/v1/batches/{batch_id}/events", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse_sse(response.read().decode())


def test_dry_run_checks_every_row_and_queues_nothing(settings):
    with TestClient(make_app(settings, workers=1)) as client:
        response = post(client, dry_run="true")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body == {"dry_run": True, "rows": 3, "valid_rows": 2, "items": 3,
                        "errors": [{"row": 4, "column": "seed",
                                    "message": "'not-a-seed' is not a whole number"}],
                        "warnings": []}
        assert client.get("/v1/batches").json()["items"] == []


def test_a_batch_runs_through_the_job_queue_with_events_and_results(settings):
    with TestClient(make_app(settings, workers=2, steps=2, delay=0.01)) as client:
        response = post(client, seed="4")
        assert response.status_code == 202, response.text
        created = response.json()
        batch_id = created["id"]
        assert response.headers["location"] == f"/v1/batches/{batch_id}"
        assert created["total_items"] == 3 and created["rejected_rows"] == 1
        stream = events(client, batch_id)
        kinds = [e.type for e in stream]
        assert kinds[0] == "created" and kinds[-1] == "done"
        assert kinds.count("item_started") == 3 and kinds.count("item_done") == 3
        assert [e.id for e in stream] == sorted(e.id for e in stream)
        progress = [e.data["done"] for e in stream if e.type == "progress"]
        assert progress == sorted(progress) and progress[-1] == 3  # at most a few a second
        assert stream[-2].type == "progress" and stream[-2].data["total"] == 3
        assert stream[-1].data["status"] == "completed"
        assert events(client, batch_id) == stream  # replayed for a late client
        resumed = events(client, batch_id, headers={"Last-Event-ID": str(stream[-3].id)})
        assert resumed == stream[-2:]

        body = client.get(f"/v1/batches/{batch_id}").json()
        assert (body["status"], body["rendered"], body["failed"]) == ("completed", 3, 1)
        assert body["errors"] == [{"row": 4, "column": "seed",
                                   "message": "'not-a-seed' is not a whole number"}]
        assert body["counts"]["done"] == 3 and set(body["links"]) >= {
            "events", "results_csv", "results_json", "results_zip", "cancel", "resume"}

        done = [e.data for e in stream if e.type == "item_done"]
        for item in done:  # every item ran as a batch_item job and made one render
            render = client.get(f"/v1/renders/{item['render_id']}").json()
            assert render["engine_meta"]["batch_id"] == batch_id
            assert render["sku"] == item["sku"]
            job = client.get(f"/v1/jobs/{render['job_id']}")
            assert job.status_code == 404  # the render's job id is the item's id ...
        jobs = settings_jobs(client)
        assert sorted(j.kind for j in jobs) == ["batch_item"] * 3  # ... run by these jobs

        results = client.get(f"/v1/batches/{batch_id}/results.json").json()
        lines = [(r["row"], r["variant"], r["status"]) for r in results["results"]]
        assert lines == [(2, 0, "done"), (2, 1, "done"), (3, 0, "done"), (4, None, "invalid")]
        assert results["results"][0]["image"].startswith("/v1/renders/")
        image = client.get(results["results"][0]["image"])
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

        text = client.get(f"/v1/batches/{batch_id}/results.csv")
        assert text.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(text.text)))
        assert [r["sku"] for r in rows] == ["A1", "A1", "A2", "A3"]
        archive = client.get(f"/v1/batches/{batch_id}/results.zip")
        assert archive.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
            assert z.namelist() == ["images/A1.png", "images/A1-v1.png", "images/A2.png",
                                    "results.csv"]
            assert z.read("images/A2.png").startswith(b"\x89PNG")
            assert z.testzip() is None


def settings_jobs(client):
    from sqlalchemy import select

    from studioflow.jobs.jobs_sql import JOBS

    store = client.app.state.jobs
    with store.engine.connect() as conn:
        ids = conn.execute(select(JOBS.c.id)).scalars().all()
    return [store.get(i) for i in ids]


def test_cancel_stops_the_batch_and_resume_finishes_it(settings):
    app = make_app(settings, workers=1, steps=10, delay=0.02, batch_in_flight=2)
    rows = b"sku,prompt\n" + b"".join(b"S%d,product %d\n" % (i, i) for i in range(8))
    with TestClient(app) as client:
        batch_id = post(client, rows).json()["id"]
        deadline = time.monotonic() + 10
        while client.get(f"/v1/batches/{batch_id}").json()["counts"]["running"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        response = client.delete(f"/v1/batches/{batch_id}")
        assert response.status_code in (200, 202), response.text
        assert response.json()["status"] == "cancelled"
        stream = events(client, batch_id)  # ends once the running item has stopped
        assert "cancelled" in [e.type for e in stream]
        body = client.get(f"/v1/batches/{batch_id}").json()
        assert body["status"] == "cancelled"
        counts = body["counts"]
        assert counts["pending"] == counts["queued"] == counts["running"] == 0
        assert counts["cancelled"] >= 6
        before = {r["row"]: r["render_id"] for r in
                  client.get(f"/v1/batches/{batch_id}/results.json").json()["results"]
                  if r["status"] == "done"}
        again = client.delete(f"/v1/batches/{batch_id}")  # idempotent
        assert again.status_code == 200 and again.json()["status"] == "cancelled"

        resumed = client.post(f"/v1/batches/{batch_id}/resume")
        assert resumed.status_code == 202 and resumed.json()["status"] == "running"
        body = wait_batch(client, batch_id, ("completed",))
        assert body["rendered"] == 8
        after = {r["row"]: r["render_id"] for r in
                 client.get(f"/v1/batches/{batch_id}/results.json").json()["results"]}
        assert all(after[row] == render for row, render in before.items())
        assert "resumed" in [e.type for e in events(client, batch_id)]
        renders = client.get("/v1/renders", params={"limit": 50}).json()["items"]
        assert len([r for r in renders if r["engine_meta"].get("batch_id") == batch_id]) == 8


def test_items_wait_in_a_window_and_survive_a_restart(settings):
    """Process 1 accepts the batch but has no workers: only a window of items is queued.
    Process 2 (same database) starts with workers and finishes the batch."""
    rows = b"sku,prompt\n" + b"".join(b"S%d,product %d\n" % (i, i) for i in range(6))
    with TestClient(make_app(settings, workers=0, batch_in_flight=2)) as first:
        batch_id = post(first, rows).json()["id"]
        deadline = time.monotonic() + 5
        while first.get(f"/v1/batches/{batch_id}").json()["counts"]["queued"] < 2:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.6)  # another dispatcher pass: still only the window
        counts = first.get(f"/v1/batches/{batch_id}").json()["counts"]
        assert (counts["queued"], counts["pending"]) == (2, 4)
        assert len(settings_jobs(first)) == 2
    with TestClient(make_app(settings, workers=2, steps=1, delay=0)) as second:
        body = wait_batch(second, batch_id)
        assert body["status"] == "completed" and body["rendered"] == 6
        assert sorted(j.kind for j in settings_jobs(second)) == ["batch_item"] * 6


def test_a_failing_item_does_not_stop_the_batch(settings):
    class Picky(SlowEngine):
        def render(self, request, on_progress=None):
            if request.manifest["product"]["sku"] == "BOOM":
                raise EngineError("the engine refused this one")
            return super().render(request, on_progress)

    app = make_app(settings, workers=1, steps=1, delay=0)
    app.state.studio.engines.add("slow", lambda s: Picky(s, steps=1, delay=0))
    with TestClient(app) as client:
        batch_id = post(client, b"sku,prompt\nA,mug\nBOOM,bag\nC,hat\n").json()["id"]
        body = wait_batch(client, batch_id)
        assert body["status"] == "completed"
        assert (body["rendered"], body["failed"]) == (2, 1)
        assert body["errors"] == [{"row": 3, "column": None,
                                   "message": "variant 0: the engine refused this one"}]
        stream = events(client, batch_id)
        (failed,) = [e.data for e in stream if e.type == "item_failed"]
        assert failed["sku"] == "BOOM" and failed["error"]["code"] == "engine_error"


def test_a_job_cancelled_on_its_own_settles_its_item(settings):
    app = make_app(settings, workers=0)
    with TestClient(app) as client:
        batch_id = post(client, b"sku,prompt\nA,mug\n").json()["id"]
        deadline = time.monotonic() + 5
        while not settings_jobs(client):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        (job,) = settings_jobs(client)
        client.delete(f"/v1/jobs/{job.id}")
        body = wait_batch(client, batch_id)
        assert body["status"] == "completed" and body["counts"]["cancelled"] == 1


def test_errors_have_the_one_shape(settings):
    with TestClient(make_app(settings, workers=0)) as client:
        assert_error(client.get("/v1/batches/01ZZZZZZZZZZZZZZZZZZZZZZZZ"), 404, "not_found")
        assert_error(client.get("/v1/batches/nope/events"), 404, "not_found")
        assert_error(client.delete("/v1/batches/01ZZZZZZZZZZZZZZZZZZZZZZZZ"), 404, "not_found")
        assert_error(client.get("/v1/batches/x/results.zip"), 404, "not_found")
        assert_error(client.post("/v1/batches/x/resume"), 404, "not_found")
        bad = assert_error(post(client, "sku,prompt\nA,café\n".encode("latin-1")), 422,
                           "invalid_csv", "line 2")
        assert "offset" in bad["message"]
        assert_error(post(client, b""), 422, "invalid_csv")
        assert_error(post(client, seed="-1"), 422, "invalid_request", "$.seed")
        assert_error(post(client, width="abc"), 422, "invalid_request", "$.width")
        assert_error(client.post("/v1/batches", data={"engine": "slow"}), 422,
                     "invalid_request", "$.file")
        assert_error(post(client, template="nope", preset="ebay"), 422, "invalid_input",
                     "$.template")
        nothing = assert_error(post(client, b"sku,prompt\nA,\n"), 422, "invalid_input")
        assert nothing["details"] == [{"path": "row 2, column prompt", "message":
                                       "required value is missing: give a prompt or a "
                                       "manifest"}]
        assert_error(client.put("/v1/batches"), 405, "method_not_allowed")
        client.app.state.studio.engines.add("slow", lambda s: SlowEngine(s, available=False))
        down = assert_error(post(client), 503, "not_configured", "$.engine")
        assert "SLOW_GPU" in down["message"]
        assert post(client, dry_run="true").status_code == 200  # a dry run still checks rows
        assert client.get("/v1/batches").json()["items"] == []


def test_dispatcher_and_store_across_processes(settings):
    """Two stores on one database (two API processes) never both take an item."""
    from studioflow.store.db import connect

    app = make_app(settings, workers=0, batch_in_flight=3)
    with TestClient(app) as client:
        rows = b"sku,prompt\n" + b"".join(b"S%d,p %d\n" % (i, i) for i in range(5))
        batch_id = post(client, rows).json()["id"]
        one = BatchStore(connect(settings.resolved_database_url))
        two = BatchStore(connect(settings.resolved_database_url))
        taken = one.take_pending(batch_id, 10) + two.take_pending(batch_id, 10)
        ids = [i.id for i in taken]
        assert len(ids) == len(set(ids))
