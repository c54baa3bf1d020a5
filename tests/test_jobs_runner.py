"""The runner and the in-process queue with a real Studio: exactly once, failures, cancel,
shutdown."""

from __future__ import annotations

import threading
import time

import pytest

from api_support import SlowEngine, slow_factory, slow_manifest
from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.studio import Origin
from studioflow.jobs import open_job_store
from studioflow.jobs.queue_inprocess import InProcessQueue
from studioflow.jobs.runner import JobRunner


class CountingEngine(SlowEngine):
    renders = 0

    def render(self, request, on_progress=None):
        type(self).renders += 1
        return super().render(request, on_progress)


class FailingEngine(SlowEngine):
    def render(self, request, on_progress=None):
        raise RuntimeError("GPU on fire")


@pytest.fixture
def jobs(settings):
    return open_job_store(settings)


def runner_for(studio, jobs, **kw):
    return JobRunner(studio, jobs, heartbeat_s=kw.get("heartbeat_s", 0.05),
                     max_attempts=kw.get("max_attempts", 3))


def render_job(jobs, seed=1):
    return jobs.create("render", {"manifest": slow_manifest(seed), "overrides": {"seed": seed}})


def test_a_job_renders_once_with_its_id_and_every_step_as_an_event(studio, jobs):
    studio.engines.add("slow", slow_factory(steps=4, delay=0.01))
    job = jobs.claim(render_job(jobs).id, "w")
    done = runner_for(studio, jobs).run(job, "w")
    assert done.status == "succeeded" and done.progress == 1.0
    record = studio.get(done.render_id)
    assert record.job_id == job.id and record.seed == 1
    events = jobs.events(job.id)
    assert [e.type for e in events] == ["queued", "started"] + ["progress"] * 4 + ["done"]
    assert [e.data["step"] for e in events if e.type == "progress"] == [1, 2, 3, 4]


def test_a_job_whose_render_was_stored_before_a_crash_is_not_rendered_again(studio, jobs):
    CountingEngine.renders = 0
    studio.engines.add("slow", lambda s: CountingEngine(s, steps=1, delay=0))
    job = jobs.claim(render_job(jobs).id, "dead")
    # the first attempt stored its render, then its process died before marking the job
    first = studio.render(slow_manifest(1), RenderOverrides(), Origin(job_id=job.id))
    time.sleep(0.02)
    assert jobs.requeue_stale(0.01) == [job.id]
    again = jobs.claim_next("alive")
    done = runner_for(studio, jobs).run(again, "alive")
    assert (done.status, done.render_id) == ("succeeded", first.id)
    assert CountingEngine.renders == 1 and len(studio.history().items) == 1


def test_engine_failure_becomes_the_job_error(studio, jobs):
    studio.engines.add("slow", lambda s: FailingEngine(s))
    job = jobs.claim(render_job(jobs).id, "w")
    done = runner_for(studio, jobs).run(job, "w")
    assert done.status == "failed" and done.error["code"] == "engine_error"
    assert "GPU on fire" in done.error["message"]
    assert jobs.events(job.id)[-1].type == "error" and studio.history().items == []


def test_cancel_through_the_database_reaches_the_engine(studio, jobs, settings):
    studio.engines.add("slow", slow_factory(steps=500, delay=0.01))
    job = jobs.claim(render_job(jobs).id, "w")
    other_process = open_job_store(settings)  # its own connections, like another API process
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        job=runner_for(studio, jobs).run(job, "w")))
    thread.start()
    while jobs.get(job.id).step < 2:
        time.sleep(0.01)
    asked = time.monotonic()
    other_process.request_cancel(job.id)
    thread.join(10)
    assert result["job"].status == "cancelled"
    assert time.monotonic() - asked < 2.0  # noticed within ~0.2 s, not after 5 s at the end
    assert jobs.get(job.id).step < 500 and studio.history().items == []
    assert jobs.events(job.id)[-1].type == "cancelled"


def test_a_job_that_keeps_killing_its_worker_is_given_up(studio, jobs):
    studio.engines.add("slow", slow_factory(steps=1, delay=0))
    job_id = render_job(jobs).id
    for attempt in range(3):
        jobs.claim(job_id, f"dead{attempt}")
        time.sleep(0.02)
        jobs.requeue_stale(0.01)
    job = jobs.claim(job_id, "w")
    done = runner_for(studio, jobs, max_attempts=3).run(job, "w")
    assert done.status == "failed" and done.error["code"] == "worker_lost"


def test_refine_and_rerender_jobs_link_to_their_parent(studio, jobs):
    studio.engines.add("slow", slow_factory(steps=1, delay=0))
    parent = studio.render(slow_manifest(9))
    runner = runner_for(studio, jobs)
    refine = jobs.create("refine", {"render_id": parent.id, "instruction": "warmer light",
                                    "seed": None, "translator": "rules"})
    rerender = jobs.create("rerender", {"render_id": parent.id})
    for job in (refine, rerender):
        done = runner.run(jobs.claim(job.id, "w"), "w")
        assert done.status == "succeeded", done.error
        child = studio.get(done.render_id)
        assert (child.parent_id, child.job_id, child.seed) == (parent.id, job.id, 9)
    assert studio.get(jobs.get(refine.id).render_id).instruction == "warmer light"


def test_queue_runs_jobs_and_a_shutdown_requeues_the_unfinished(studio, jobs, settings):
    studio.engines.add("slow", slow_factory(steps=100, delay=0.02))
    settings = settings.model_copy(update={"workers": 1, "job_heartbeat_s": 0.1})
    queue = InProcessQueue(studio, jobs, settings)
    queue.start()
    job = queue.submit("render", {"manifest": slow_manifest(), "overrides": {"seed": 1}})
    while jobs.get(job.id).status != "running":
        time.sleep(0.01)
    queue.stop(timeout=0.1)
    stopped = jobs.get(job.id)
    assert stopped.status == "queued" and studio.history().items == []
    assert jobs.events(job.id)[-1].data == {"reason": "its worker shut down"}
    studio.engines.add("slow", slow_factory(steps=2, delay=0))
    queue = InProcessQueue(studio, jobs, settings)
    queue.start()
    try:
        deadline = time.monotonic() + 10
        while not jobs.get(job.id).finished and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        queue.stop()
    done = jobs.get(job.id)
    assert done.status == "succeeded" and done.attempts == 2
    assert [r.job_id for r in studio.history().items] == [job.id]
