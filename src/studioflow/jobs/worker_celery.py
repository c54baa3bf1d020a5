"""``studioflow worker``: a Celery worker that runs StudioFlow jobs with the shared runner.

Each message names a job. The worker claims it in the database (a job that is not queued any
more, because it was cancelled, already ran, or another worker has it, is skipped and its
message acknowledged), runs it with ``JobRunner`` (progress, heartbeats and cancellation
through the database, exactly as the in-process queue does) and acknowledges the message
only when the job has ended.

Recovery does not depend on Redis keeping messages: a janitor thread in every worker puts
running jobs whose heartbeat went stale (their worker was killed or lost its machine) back to
the queue in the database and publishes a new message for each, and publishes every queued
job again when Redis lost its data. It also reports this worker's engines to the API
processes. On SIGTERM running jobs get ``grace_s`` to finish; the rest are interrupted,
re-queued and published again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from studioflow.core.config import Settings
from studioflow.engines import CancelToken
from studioflow.errors import NotFoundError
from studioflow.jobs.celery_app import (
    PAYLOAD_QUEUE_KEY,
    broker_was_reset,
    check_broker,
    create_celery,
    forget_marker,
    publish,
    redis_client,
    require_celery_extra,
)
from studioflow.jobs.celery_engines import REPORT_EVERY_S, report_engines, report_key
from studioflow.jobs.jobs_base import QUEUED, JobStore
from studioflow.jobs.runner import JobRunner

if TYPE_CHECKING:
    from studioflow.core.studio import Studio

log = logging.getLogger("studioflow.jobs")

SHUTDOWN_GRACE_S = 10.0
DB_RETRY_S = 1.0
WARN_EVERY_S = 30.0


class CeleryWorker:
    """One worker process: its Studio, the runner, the janitor and the Celery app."""

    def __init__(self, settings: Settings, studio: Studio, store: JobStore,
                 grace_s: float = SHUTDOWN_GRACE_S) -> None:
        self.settings, self.studio, self.store, self.grace_s = settings, studio, store, grace_s
        self.runner = JobRunner(studio, store, heartbeat_s=settings.job_heartbeat_s,
                                max_attempts=settings.job_max_attempts)
        self.name = f"{socket.gethostname()}:{os.getpid()}:celery"
        self.app = create_celery(settings, run=self.run_job)
        self._redis = redis_client(settings)
        self._running: dict[str, CancelToken] = {}
        self._unpublished: set[str] = set()  # re-queued jobs whose message failed to go out
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._janitor_stop = threading.Event()
        self._warned: dict[str, float] = {}

    # the task -----------------------------------------------------------------------------
    def run_job(self, job_id: str) -> None:
        worker_id = f"{self.name}/{threading.current_thread().name}"
        try:
            job = self.store.claim(job_id, worker_id)
        except NotFoundError:
            log.warning("job %s is not in this database; message dropped", job_id)
            return
        except Exception as exc:  # the database is down: keep the message for later
            from celery.exceptions import Reject

            log.warning("could not claim job %s (%s); message put back", job_id, exc)
            time.sleep(DB_RETRY_S)  # not a hot loop while the database restarts
            raise Reject(str(exc), requeue=True) from None
        if job is None:  # cancelled, finished, or running elsewhere: nothing to do
            log.info("job %s is not queued any more; message dropped", job_id)
            return
        token = CancelToken()
        with self._lock:
            self._running[job.id] = token
        try:
            done = self.runner.run(job, worker_id, token, stopping=self._stopping.is_set)
        except Exception:  # the job stays running and is re-queued once its heartbeat is stale
            log.exception("job %s could not be completed", job.id)
            return
        finally:
            with self._lock:
                self._running.pop(job.id, None)
        log.info("job %s %s", job.id, done.status)
        if done.status == QUEUED:  # given back because this worker is shutting down
            self._publish(job.id)

    # recovery -------------------------------------------------------------------------------
    def _publish(self, job_id: str) -> None:
        try:
            queue = self.store.get(job_id).payload.get(PAYLOAD_QUEUE_KEY)
            publish(self.app, job_id, queue or self.settings.celery_queue)
        except Exception as exc:  # noqa: BLE001 - Redis may be restarting: next sweep
            self._warn("publish", f"could not publish job {job_id}; will retry", exc)
            with self._lock:
                self._unpublished.add(job_id)

    def sweep(self) -> list[str]:
        """Re-queue jobs of dead workers (any machine) and publish them; publish every queued
        job again when Redis lost its messages. Returns the ids of re-queued jobs."""
        with self._lock:
            retry, self._unpublished = list(self._unpublished), set()
        retry += self._lost_messages()
        try:
            moved = self.store.requeue_stale(self.settings.job_stale_s)
        except Exception as exc:  # noqa: BLE001
            self._warn("stale", "could not look for stale jobs", exc)
            moved = []
        if moved:
            log.info("re-queued %d job(s) whose worker stopped: %s", len(moved), moved)
        for job_id in [*retry, *moved]:
            self._publish(job_id)
        return moved

    def _lost_messages(self) -> list[str]:
        """Queued jobs, when Redis is new or lost its data (a job published twice is claimed
        once: the copy is dropped)."""
        try:
            if not broker_was_reset(self.settings, self._redis):
                return []
        except Exception as exc:  # noqa: BLE001 - Redis is down: next sweep
            self._warn("marker", "could not check Redis for lost messages", exc)
            return []
        try:
            ids = queued_job_ids(self.store)
        except Exception as exc:  # noqa: BLE001 - the database is down: next sweep
            self._warn("queued", "could not list queued jobs", exc)
            forget_marker(self.settings, self._redis)
            return []
        if ids:
            log.warning("Redis has no marker (new, or it lost its data): publishing the %d "
                        "queued job(s) again", len(ids))
        return ids

    def report(self) -> None:
        """Tell API processes which engines this worker can run (see ``celery_engines``)."""
        try:
            report_engines(self.settings, self._redis, self.name, self.studio.engines)
        except Exception as exc:  # noqa: BLE001 - Redis down: the next report
            self._warn("report", "could not report the engines' status", exc)

    def _janitor(self) -> None:
        reported = float("-inf")
        while True:
            if time.monotonic() - reported >= REPORT_EVERY_S:
                self.report()
                reported = time.monotonic()
            self.sweep()
            if self._janitor_stop.wait(self.settings.job_heartbeat_s):
                break
        try:
            self._redis.delete(report_key(self.settings, self.name))
        except Exception:  # noqa: BLE001 - it expires anyway
            pass

    def _warn(self, topic: str, message: str, exc: Exception) -> None:
        """One line per topic and ``WARN_EVERY_S`` while Redis or the database is down."""
        now = time.monotonic()
        if now - self._warned.get(topic, float("-inf")) >= WARN_EVERY_S:
            self._warned[topic] = now
            log.warning("%s (%s: %s)", message, type(exc).__name__, exc)

    # shutdown -------------------------------------------------------------------------------
    def _on_shutting_down(self, **_: Any) -> None:
        """Celery's warm shutdown waits for running tasks: give them ``grace_s``, then stop
        their engines so the jobs go back to the queue for another worker."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        timer = threading.Timer(self.grace_s, self._interrupt_running)
        timer.daemon = True
        timer.start()

    def _interrupt_running(self) -> None:
        with self._lock:
            tokens = list(self._running.values())
        for token in tokens:
            token.cancel()

    # running --------------------------------------------------------------------------------
    def serve(self, concurrency: int = 1, queues: Sequence[str] = (),
              loglevel: str = "INFO") -> int:
        """Consume ``queues`` (default ``settings.celery_queue``) with ``concurrency`` render
        threads until SIGTERM or Ctrl-C; returns the exit code."""
        from celery import signals
        from celery.exceptions import CPendingDeprecationWarning

        queues = list(queues) or [self.settings.celery_queue]
        signals.worker_shutting_down.connect(self._on_shutting_down, weak=False)
        janitor = threading.Thread(target=self._janitor, daemon=True, name="studioflow-janitor")
        janitor.start()
        worker = self.app.Worker(
            hostname=f"studioflow-{os.getpid()}@{socket.gethostname()}",
            pool_cls="threads", concurrency=concurrency,
            queues=queues, loglevel=loglevel,
            # StudioFlow keeps its state in the database: no worker-to-worker chatter needed
            without_gossip=True, without_mingle=True, without_heartbeat=True,
        )
        # we keep jobs running on a broker connection loss on purpose (see celery_app);
        # after the Worker is made, as its logging setup re-enables such warnings
        warnings.filterwarnings("ignore", category=CPendingDeprecationWarning,
                                message=r"\s*In Celery 5.1 we introduced")
        try:
            worker.start()
        finally:
            signals.worker_shutting_down.disconnect(self._on_shutting_down)
            self._janitor_stop.set()
            janitor.join(5.0)
            self._redis.close()
        return int(worker.exitcode or 0)


def queued_job_ids(store: JobStore) -> list[str]:
    from sqlalchemy import select

    from studioflow.jobs.jobs_sql import JOBS

    with store.engine.connect() as conn:  # type: ignore[attr-defined]  # the SQL store
        return list(conn.execute(select(JOBS.c.id).where(JOBS.c.status == QUEUED)
                                 .order_by(JOBS.c.id)).scalars())


def run_worker(settings: Settings, studio: Studio | None = None, *, concurrency: int = 1,
               queues: Sequence[str] = (), loglevel: str = "INFO",
               grace_s: float = SHUTDOWN_GRACE_S) -> int:
    """Check the extra and Redis, open the Studio and job store, and serve jobs."""
    require_celery_extra()
    check_broker(settings)
    from studioflow.jobs import open_job_store

    if studio is None:
        from studioflow.core.wiring import open_studio

        studio = open_studio(settings)
    worker = CeleryWorker(settings, studio, open_job_store(settings), grace_s)
    return worker.serve(concurrency, queues, loglevel)
