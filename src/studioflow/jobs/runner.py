"""Run one claimed job through the Studio. Every queue kind executes jobs with this.

Exactly once: a render is stored with its job id (unique in the renders table) and with its
images, or not at all. So a job that is run again after a crash first looks for its render
and, when the previous attempt got that far, only marks itself succeeded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.studio import Origin, Studio
from studioflow.engines import CancelToken, ProgressEvent
from studioflow.errors import CancelledError, InputError, StudioFlowError
from studioflow.jobs.jobs_base import (
    CANCELLED,
    FAILED,
    SUCCEEDED,
    Job,
    JobStore,
    StepReport,
)
from studioflow.store.records_base import RenderRecord

log = logging.getLogger("studioflow.jobs")

FLUSH_S = 0.2  # progress is written (and cancellation read) at most this often per job


class _Reporter:
    """The engine's progress callback: buffers steps, writes them in batches, and turns a
    cancellation asked for in the database (by any process) into ``token.cancel()``."""

    def __init__(self, store: JobStore, job_id: str, worker_id: str, token: CancelToken,
                 flush_s: float) -> None:
        self._store, self._job_id, self._worker_id = store, job_id, worker_id
        self._token, self._flush_s = token, flush_s
        self._buffer: list[StepReport] = []
        self._last = float("-inf")  # the first step is written at once

    def __call__(self, event: ProgressEvent) -> None:
        self._buffer.append(StepReport(event.step, event.total, event.message))
        last_step = bool(event.total) and event.step >= event.total
        if last_step or time.monotonic() - self._last >= self._flush_s:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        steps, self._buffer = self._buffer, []
        self._last = time.monotonic()
        try:
            if self._store.report(self._job_id, self._worker_id, steps):
                self._token.cancel()
        except Exception:  # a database hiccup must not kill the render
            log.warning("could not record progress of job %s", self._job_id, exc_info=True)


class _Watchdog:
    """Heartbeats while the job runs, also through engine steps that take long."""

    def __init__(self, store: JobStore, job_id: str, worker_id: str, token: CancelToken,
                 every_s: float) -> None:
        self._store, self._job_id, self._worker_id = store, job_id, worker_id
        self._token, self._every_s = token, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name=f"heartbeat-{job_id}")

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                if self._store.heartbeat(self._job_id, self._worker_id):
                    self._token.cancel()
            except Exception:
                log.warning("heartbeat of job %s failed", self._job_id, exc_info=True)


def execute(studio: Studio, job: Job, on_progress: Callable[[ProgressEvent], None],
            token: CancelToken) -> RenderRecord:
    """The Studio call a job stands for; its render carries the job id."""
    p: dict[str, Any] = job.payload
    kwargs = {"on_progress": on_progress, "cancel": token}
    if job.kind == "render":
        origin = p.get("origin") or {}
        return studio.render(p["manifest"], RenderOverrides(**p.get("overrides", {})),
                             Origin(prompt=origin.get("prompt"),
                                    translator=origin.get("translator"),
                                    meta=origin.get("meta") or {}, job_id=job.id), **kwargs)
    if job.kind == "refine":
        return studio.refine(p["render_id"], p["instruction"], seed=p.get("seed"),
                             translator=p.get("translator"), job_id=job.id, **kwargs)
    if job.kind == "rerender":
        return studio.rerender(p["render_id"], job_id=job.id, **kwargs)
    if job.kind == "batch_item":  # one image of a catalogue batch (studioflow/batch/queue.py)
        from studioflow.batch.queue import execute_item

        return execute_item(studio, job, on_progress, token)
    raise InputError(f"unknown job kind {job.kind!r}")


class JobRunner:
    def __init__(self, studio: Studio, store: JobStore, *, heartbeat_s: float,
                 max_attempts: int, flush_s: float = FLUSH_S) -> None:
        self.studio, self.store = studio, store
        self.heartbeat_s, self.max_attempts, self.flush_s = heartbeat_s, max_attempts, flush_s

    def run(self, job: Job, worker_id: str, token: CancelToken | None = None,
            stopping: Callable[[], bool] = lambda: False) -> Job:
        """Run a job claimed by ``worker_id`` to its end; returns the job as stored.

        ``stopping`` tells a cancellation caused by our own shutdown (the job goes back to
        the queue) from one a user asked for."""
        token = token or CancelToken()
        existing = self.studio.records.find_by_job(job.id)
        if existing is not None:  # an earlier attempt stored it, then died
            return self.store.finish(job.id, worker_id, SUCCEEDED, render_id=existing.id)
        if job.cancel_requested:
            return self.store.finish(job.id, worker_id, CANCELLED)
        if job.attempts > self.max_attempts:
            return self.store.finish(job.id, worker_id, FAILED, error={
                "code": "worker_lost", "details": [],
                "message": f"the job stopped its worker {job.attempts - 1} times; not retried"})
        reporter = _Reporter(self.store, job.id, worker_id, token, self.flush_s)
        with _Watchdog(self.store, job.id, worker_id, token, self.heartbeat_s):
            try:
                record = execute(self.studio, job, reporter, token)
            except CancelledError:
                if stopping() and not self.store.get(job.id).cancel_requested:
                    return self.store.requeue(job.id, worker_id, "its worker shut down")
                return self.store.finish(job.id, worker_id, CANCELLED)
            except Exception as exc:  # noqa: BLE001 - every failure ends in the job's error
                return self._failed(job, worker_id, exc)
        reporter.flush()
        return self.store.finish(job.id, worker_id, SUCCEEDED, render_id=record.id)

    def _failed(self, job: Job, worker_id: str, exc: Exception) -> Job:
        existing = self.studio.records.find_by_job(job.id)
        if existing is not None:  # a duplicate run lost the race on the unique job id
            return self.store.finish(job.id, worker_id, SUCCEEDED, render_id=existing.id)
        if isinstance(exc, StudioFlowError):
            error = exc.as_dict()["error"]
        else:
            log.exception("job %s failed", job.id)
            error = {"code": "internal_error", "details": [],
                     "message": f"the render failed unexpectedly ({type(exc).__name__})"}
        return self.store.finish(job.id, worker_id, FAILED, error=error)
