"""The jobs store on SQLite and PostgreSQL: atomic claims, owned updates, cancel, recovery."""

from __future__ import annotations

import threading
import time

import pytest

from studioflow.core.config import Settings
from studioflow.errors import NotFoundError, QueueFullError
from studioflow.jobs import open_job_store
from studioflow.jobs.jobs_base import StepReport


@pytest.fixture
def store(database_url, tmp_path):
    return open_job_store(Settings(home=tmp_path / "home", database_url=database_url))


def types(store, job_id, after=0):
    return [e.type for e in store.events(job_id, after)]


def test_create_get_and_first_event(store):
    job = store.create("render", {"manifest": {"x": 1}})
    again = store.get(job.id)
    assert again.status == "queued" and again.payload == {"manifest": {"x": 1}}
    assert again.created_at.tzinfo is not None and again.attempts == 0
    assert types(store, job.id) == ["queued"]
    assert store.get(job.id.lower()).id == job.id  # ids are case-insensitive like render ids
    for bad in ("NOPE", "0" * 26, "../etc/passwd"):
        with pytest.raises(NotFoundError):
            store.get(bad)


def test_each_job_is_claimed_by_exactly_one_of_many_workers(store):
    created = {store.create("render", {"n": i}).id for i in range(24)}
    claimed: dict[str, list[str]] = {}
    lock = threading.Lock()

    def worker(name: str) -> None:
        while (job := store.claim_next(name)) is not None:
            with lock:
                claimed.setdefault(job.id, []).append(name)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(claimed) == created
    assert all(len(names) == 1 for names in claimed.values())
    for job_id, (name,) in claimed.items():
        job = store.get(job_id)
        assert (job.status, job.worker_id, job.attempts) == ("running", name, 1)
        assert types(store, job_id) == ["queued", "started"]
    assert store.claim_next("late") is None


def test_claims_go_oldest_first_and_a_given_job_only_once(store):
    first, second = store.create("render", {}), store.create("render", {})
    assert store.claim(second.id, "a").id == second.id
    assert store.claim(second.id, "b") is None
    assert store.claim_next("c").id == first.id


def test_progress_is_stored_per_step_and_only_by_the_owner(store):
    job = store.create("render", {})
    store.claim_next("owner")
    assert store.report(job.id, "owner", [StepReport(1, 4, "a"), StepReport(2, 4, "b")]) is False
    got = store.get(job.id)
    assert (got.step, got.total, got.progress) == (2, 4, 0.5)
    progress = [e.data for e in store.events(job.id) if e.type == "progress"]
    assert [(p["step"], p["progress"], p["message"]) for p in progress] == [
        (1, 0.25, "a"), (2, 0.5, "b")]
    # someone who does not own the job cannot move it, and is told to stop
    assert store.report(job.id, "intruder", [StepReport(3, 4)]) is True
    assert store.finish(job.id, "intruder", "succeeded", render_id="X").status == "running"
    done = store.finish(job.id, "owner", "succeeded", render_id="R" * 26)
    assert (done.status, done.render_id, done.progress) == ("succeeded", "R" * 26, 1.0)
    assert done.finished_at >= done.started_at >= done.created_at
    assert types(store, job.id)[-1] == "done"
    assert store.events(job.id)[-1].data == {"render_id": "R" * 26}


def test_failure_keeps_the_error(store):
    job = store.create("render", {})
    store.claim_next("w")
    error = {"code": "engine_error", "message": "boom", "details": []}
    assert store.finish(job.id, "w", "failed", error=error).error == error
    assert store.events(job.id)[-1].type == "error" and store.events(job.id)[-1].data == error


def test_cancel_queued_is_immediate_and_running_is_a_request(store):
    queued = store.create("render", {})
    running = store.create("render", {})
    store.claim(running.id, "w")
    assert store.request_cancel(queued.id).status == "cancelled"
    assert types(store, queued.id) == ["queued", "cancelled"]
    assert store.claim(queued.id, "w") is None  # a cancelled job never starts
    flagged = store.request_cancel(running.id)
    assert flagged.status == "running" and flagged.cancel_requested
    assert store.heartbeat(running.id, "w") is True  # the worker learns it on its next beat
    assert store.finish(running.id, "w", "cancelled").status == "cancelled"
    finished = store.request_cancel(running.id)  # no-op on a finished job
    assert finished.status == "cancelled" and types(store, running.id).count("cancelled") == 1
    with pytest.raises(NotFoundError):
        store.request_cancel("0" * 26)


def test_jobs_of_a_silent_worker_are_requeued_once(store):
    job = store.create("render", {})
    cancelled = store.create("render", {})
    store.claim(job.id, "dead")
    store.claim(cancelled.id, "dead")
    store.request_cancel(cancelled.id)
    assert store.heartbeat(job.id, "dead") is False
    assert store.requeue_stale(60.0) == []  # still fresh
    time.sleep(0.05)
    assert sorted(store.requeue_stale(0.01)) == sorted([job.id, cancelled.id])
    assert store.requeue_stale(0.01) == []
    assert store.get(cancelled.id).status == "cancelled"
    requeued = store.get(job.id)
    assert (requeued.status, requeued.worker_id) == ("queued", None)
    assert store.events(job.id)[-1].data == {"reason": "its worker stopped responding"}
    # the dead worker's late writes change nothing; the next claim counts a second attempt
    assert store.finish(job.id, "dead", "succeeded", render_id="X").status == "queued"
    assert store.claim_next("alive").attempts == 2


def test_requeue_by_a_stopping_worker(store):
    job = store.create("render", {})
    store.claim_next("w")
    again = store.requeue(job.id, "w", "its worker shut down")
    assert again.status == "queued" and types(store, job.id) == ["queued", "started", "queued"]


def test_queue_bound(store):
    for _ in range(3):
        store.create("render", {}, max_queued=3)
    with pytest.raises(QueueFullError) as info:
        store.create("render", {}, max_queued=3, retry_after=7)
    assert info.value.retry_after == 7 and info.value.http_status == 429
    store.claim_next("w")  # running jobs do not count against the bound
    store.create("render", {}, max_queued=3)
    assert store.counts() == {"queued": 3, "running": 1}


def test_events_resume_after_an_id(store):
    job = store.create("render", {})
    store.claim_next("w")
    store.report(job.id, "w", [StepReport(i, 3) for i in (1, 2, 3)])
    events = store.events(job.id)
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert [e.type for e in store.events(job.id, after=events[2].id)] == ["progress", "progress"]
