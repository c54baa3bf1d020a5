"""The batch tables on SQLite and PostgreSQL: item life cycle, completion with the last
item, cancel and resume, dispatching windows, templates."""

from __future__ import annotations

import pytest

from manifests import minimal_manifest
from studioflow.batch.csv_reader import Issue
from studioflow.batch.store import BatchStore, NewItem
from studioflow.batch.templates import TemplateStore
from studioflow.errors import InputError, NotFoundError
from studioflow.store.db import connect, migrate


@pytest.fixture
def store(database_url):
    engine = connect(database_url)
    migrate(engine)
    yield BatchStore(engine)
    engine.dispose()


def new_items(n: int) -> list[NewItem]:
    return [NewItem(row=i + 2, variant=0, sku=f"S{i}", seed=i, manifest_json="{}",
                    prompt=f"product {i}", translator="rules") for i in range(n)]


def create(store, n=3, mode="cli"):
    return store.create(new_items(n), options={"seed": 1}, total_rows=n + 1, source="c.csv",
                        mode=mode, issues=[Issue(5, "seed", "'x' is not a whole number",
                                                 sku="BAD")])


def test_items_run_to_completion(store):
    batch = create(store)
    assert batch.status == "running" and batch.total_items == 3
    assert store.get(batch.id[:10]).id == batch.id  # a prefix works
    assert store.get(batch.id).issues[0] == Issue(5, "seed", "'x' is not a whole number",
                                                  sku="BAD")
    items = store.items(batch.id)
    assert [(i.row, i.sku, i.status) for i in items] == [(2, "S0", "pending"),
                                                        (3, "S1", "pending"),
                                                        (4, "S2", "pending")]
    claimed = store.claim(items[0].id)
    assert claimed.status == "running" and claimed.manifest == {}
    assert store.claim(items[0].id) is None  # only once
    assert store.finish_item(claimed, "done", render_id="R" * 26)
    assert not store.finish_item(claimed, "failed")  # finished already
    second = store.claim(items[1].id)
    store.finish_item(second, "failed", error={"code": "engine_error", "message": "no",
                                               "details": []})
    assert store.get(batch.id).status == "running"
    store.finish_item(store.claim(items[2].id), "done", render_id="Q" * 26)
    done = store.get(batch.id)
    assert done.status == "completed" and done.finished_at is not None
    assert store.counts(batch.id) == {"pending": 0, "queued": 0, "running": 0, "done": 2,
                                      "failed": 1, "cancelled": 0, "total": 3}
    events = [e.type for e in store.events(batch.id)]
    assert events[0] == "created" and events[-2:] == ["progress", "done"]
    assert events.count("item_started") == 3
    assert store.item(items[1].id).error["code"] == "engine_error"


def test_cancel_and_resume(store):
    batch = create(store, 4)
    items = store.items(batch.id)
    running = store.claim(items[0].id)
    cancelled, jobs = store.cancel(batch.id)
    assert cancelled.status == "cancelled" and jobs == []
    counts = store.counts(batch.id)
    assert (counts["running"], counts["cancelled"]) == (1, 3)
    store.finish_item(running, "cancelled")
    assert store.get(batch.id).status == "cancelled"  # not completed by its last item
    assert store.cancel(batch.id)[0].status == "cancelled"  # idempotent
    resumed = store.resume(batch.id, mode="cli")
    assert resumed.status == "running" and store.counts(batch.id)["pending"] == 4
    assert [e.type for e in store.events(batch.id)][-1] == "resumed"


def test_resume_takes_back_what_a_killed_cli_left_running(store):
    batch = create(store, 2)
    store.claim(store.items(batch.id)[0].id)  # then the process died
    store.resume(batch.id, mode="cli")
    assert store.counts(batch.id)["pending"] == 2


def test_resume_of_a_finished_batch_changes_nothing_unless_retrying(store):
    batch = create(store, 1)
    item = store.claim(store.items(batch.id)[0].id)
    store.finish_item(item, "failed", error={"code": "x", "message": "y", "details": []})
    assert store.resume(batch.id, mode="queue").status == "completed"
    again = store.resume(batch.id, mode="queue", retry_failed=True)
    assert again.status == "running" and again.mode == "queue"
    assert store.items(batch.id)[0].error is None


def test_dispatch_windows(store):
    batch = create(store, 5, mode="queue")
    assert store.queue_batches() == [batch.id]
    first = store.take_pending(batch.id, 2)
    assert [i.sku for i in first] == ["S0", "S1"]
    assert store.take_pending(batch.id, 2) == []  # the window is full
    store.release(first[0])
    assert [i.sku for i in store.take_pending(batch.id, 2)] == ["S0"]
    store.set_job(first[1].id, "J" * 26)
    assert store.item(first[1].id).job_id == "J" * 26
    assert store.stray_queued(older_than_s=-1) == 1  # S0 queued but never given a job
    assert store.ended_jobs() == []  # the job "JJJ..." is not in the jobs table


def test_an_empty_plan_is_refused(store):
    with pytest.raises(InputError, match="no row"):
        store.create([], options={}, issues=[Issue(2, "prompt", "missing")], total_rows=1,
                     source=None, mode="cli")
    with pytest.raises(NotFoundError):
        store.get("01ZZZZZZZZZZZZZZZZZZZZZZZZ")


def test_templates(database_url):
    engine = connect(database_url)
    migrate(engine)
    templates = TemplateStore(engine)
    saved = templates.save("Kit", minimal_manifest(seed=4))
    assert "seed" not in saved.manifest["render"]
    assert templates.get("KIT").id == saved.id
    with pytest.raises(InputError):
        templates.save("kit", minimal_manifest())
    templates.save("kit", minimal_manifest(width=512, height=512), replace=True)
    assert templates.get("Kit").manifest["render"]["width"] == 512
    assert [t.name for t in templates.list()] == ["kit"]
    templates.delete("kit")
    assert templates.list() == []
    engine.dispose()


def test_items_whose_job_ended_without_them_are_found(store):
    from studioflow.jobs.jobs_sql import SQLJobStore

    jobs = SQLJobStore(store.engine)
    batch = create(store, 2, mode="queue")
    taken = store.take_pending(batch.id, 2)
    job_ids = []
    for item in taken:
        job = jobs.create("batch_item", {"batch_id": batch.id, "item_id": item.id})
        store.set_job(item.id, job.id)
        job_ids.append(job.id)
    claimed = jobs.claim(job_ids[0], "w1")
    jobs.finish(claimed.id, "w1", "failed", error={"code": "worker_lost", "message": "lost",
                                                   "details": []})
    ended = store.ended_jobs()
    assert [(i.sku, status, error["code"]) for i, status, _, error in ended] == [
        ("S0", "failed", "worker_lost")]

