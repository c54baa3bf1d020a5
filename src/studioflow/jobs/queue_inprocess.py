"""The default queue: worker threads inside the API process, jobs in the shared database.

Workers claim jobs from the database (so they also run jobs submitted through other API
processes), wake at once for jobs submitted here and poll for the others. A janitor thread
re-queues jobs whose worker (in any process) stopped heartbeating, e.g. after a kill -9.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from studioflow.core.config import Settings
from studioflow.core.studio import Studio
from studioflow.engines import CancelToken
from studioflow.jobs.jobs_base import Job, JobStore
from studioflow.jobs.runner import JobRunner

log = logging.getLogger("studioflow.jobs")

POLL_S = 0.5  # how soon a job submitted through another process starts here
RETRY_AFTER_S = 2.0


class InProcessQueue:
    kind = "inprocess"

    def __init__(self, studio: Studio, store: JobStore, settings: Settings,
                 workers: int | None = None) -> None:
        self.studio, self.store, self.settings = studio, store, settings
        self.workers = settings.workers if workers is None else workers
        self.runner = JobRunner(studio, store, heartbeat_s=settings.job_heartbeat_s,
                                max_attempts=settings.job_max_attempts)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Condition()
        self._generation = 0  # bumped on every wake-up, so none is missed between checks
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._janitor: threading.Thread | None = None
        self._running: dict[str, CancelToken] = {}
        self._lock = threading.Lock()

    # what the routes call -----------------------------------------------------------------
    def submit(self, kind: str, payload: dict[str, Any]) -> Job:
        job = self.store.create(kind, payload, max_queued=self.settings.max_queued,
                                retry_after=RETRY_AFTER_S)
        self._notify()
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.store.request_cancel(job_id)
        with self._lock:
            token = self._running.get(job.id)
        if token is not None:  # running here: no need to wait for the worker's next poll
            token.cancel()
        return job

    def describe(self) -> dict[str, Any]:
        with self._lock:
            running = len(self._running)
        return {"kind": self.kind, "workers": self.workers, "running_here": running}

    # life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._threads or self.workers <= 0:
            return
        self._stopping.clear()
        self._requeue_stale()
        for index in range(self.workers):
            thread = threading.Thread(target=self._work, args=(f"{self.name}/{index}",),
                                      daemon=True, name=f"studioflow-worker-{index}")
            thread.start()
            self._threads.append(thread)
        self._janitor = threading.Thread(target=self._sweep, daemon=True,
                                         name="studioflow-janitor")
        self._janitor.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop taking jobs and let running ones finish; after ``timeout`` they are
        interrupted and go back to the queue for the next worker."""
        self._stopping.set()
        self._notify()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            tokens = list(self._running.values())
        for token in tokens:
            token.cancel()
        for thread in self._threads:
            thread.join(5.0)
        if self._janitor is not None:
            self._janitor.join(5.0)
        self._threads, self._janitor = [], None

    # threads ------------------------------------------------------------------------------
    def _notify(self) -> None:
        with self._wake:
            self._generation += 1
            self._wake.notify_all()

    def _work(self, worker_id: str) -> None:
        while not self._stopping.is_set():
            generation = self._generation
            try:
                job = self.store.claim_next(worker_id)
            except Exception:  # the database may be restarting: keep the worker alive
                log.warning("could not claim a job", exc_info=True)
                job = None
            if job is None:
                with self._wake:
                    if self._generation == generation and not self._stopping.is_set():
                        self._wake.wait(POLL_S)
                continue
            self._run(job, worker_id)

    def _run(self, job: Job, worker_id: str) -> None:
        token = CancelToken()
        with self._lock:
            self._running[job.id] = token
        try:
            self.runner.run(job, worker_id, token, stopping=self._stopping.is_set)
        except Exception:  # the job stays running and is re-queued once its heartbeat is stale
            log.exception("job %s could not be completed", job.id)
        finally:
            with self._lock:
                self._running.pop(job.id, None)

    def _sweep(self) -> None:
        while not self._stopping.wait(self.settings.job_heartbeat_s):
            self._requeue_stale()

    def _requeue_stale(self) -> None:
        try:
            moved = self.store.requeue_stale(self.settings.job_stale_s)
        except Exception:
            log.warning("could not look for stale jobs", exc_info=True)
            return
        if moved:
            log.info("re-queued %d job(s) whose worker stopped: %s", len(moved), moved)
            self._notify()
