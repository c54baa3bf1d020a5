"""The scale-out queue (``STUDIOFLOW_QUEUE=celery``): API processes publish, ``studioflow
worker`` processes (on GPU machines) render.

The API side runs no workers; it takes an engine as available when a live worker reports it
so (``celery_engines``). Submitting stores the job (bounded, as with every queue kind)
and publishes its id to Redis; cancelling goes through the database, which the worker running
the job polls, and also revokes the message of a job that had not started.
"""

from __future__ import annotations

import logging
from typing import Any

from studioflow.core.config import Settings
from studioflow.core.studio import Studio
from studioflow.jobs.celery_app import (
    PAYLOAD_QUEUE_KEY,
    broker_error,
    check_broker,
    create_celery,
    publish,
    redacted,
    redis_client,
    require_celery_extra,
)
from studioflow.jobs.celery_engines import WorkerReports, judge_engines_by_workers
from studioflow.jobs.jobs_base import CANCELLED, Job, JobStore

log = logging.getLogger("studioflow.jobs")

RETRY_AFTER_S = 2.0
HEALTH_TIMEOUT_S = 1.0


class CeleryQueue:
    kind = "celery"

    def __init__(self, studio: Studio, store: JobStore, settings: Settings) -> None:
        require_celery_extra()
        self.studio, self.store, self.settings = studio, store, settings
        self.app = create_celery(settings)
        self._redis = redis_client(settings, timeout=HEALTH_TIMEOUT_S)
        # renders run on the workers' machines: their engines are the ones that count
        judge_engines_by_workers(studio, WorkerReports(settings, self._redis))

    # what the routes call -----------------------------------------------------------------
    def submit(self, kind: str, payload: dict[str, Any]) -> Job:
        queue = self.settings.celery_queue
        job = self.store.create(kind, {**payload, PAYLOAD_QUEUE_KEY: queue},
                                max_queued=self.settings.max_queued, retry_after=RETRY_AFTER_S)
        try:
            publish(self.app, job.id, queue)
        except Exception as exc:  # noqa: BLE001 - kombu and redis raise several kinds
            # no message means no worker would ever run it: end it instead of leaving it
            self.store.request_cancel(job.id)
            raise broker_error(self.settings, exc) from None
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.store.request_cancel(job_id)
        if job.status == CANCELLED and job.started_at is None:
            try:  # its worker would skip it anyway (it cannot claim it): this only saves work
                self.app.control.revoke(job.id)
            except Exception:  # noqa: BLE001
                log.warning("could not revoke the message of job %s", job.id, exc_info=True)
        return job

    def describe(self) -> dict[str, Any]:
        """Raises ``ConfigError`` (503 on /healthz) while Redis is down: nothing can queue."""
        check_broker(self.settings, self._redis)
        return {"kind": self.kind, "workers": 0, "broker": redacted(self.settings.redis_url),
                "celery_queue": self.settings.celery_queue}

    # life cycle: the workers are other processes (studioflow worker) -----------------------
    def start(self) -> None:
        try:
            check_broker(self.settings, self._redis)
        except Exception as exc:  # noqa: BLE001 - serve reads anyway; /healthz says what is down
            log.warning("%s", exc)

    def stop(self, timeout: float = 10.0) -> None:
        self.app.close()
        self._redis.close()
