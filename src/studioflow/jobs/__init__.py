"""Durable render jobs: a store in the database, queues that run them, one shared runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studioflow.errors import ConfigError, ErrorDetail
from studioflow.jobs.jobs_base import (
    CANCELLED,
    FAILED,
    KINDS,
    QUEUED,
    RUNNING,
    STATUSES,
    SUCCEEDED,
    TERMINAL,
    TERMINAL_EVENTS,
    Job,
    JobEvent,
    JobQueue,
    JobStore,
)

if TYPE_CHECKING:
    from studioflow.core.config import Settings
    from studioflow.core.studio import Studio

QUEUE_KINDS = ("inprocess", "celery")

__all__ = [
    "CANCELLED", "FAILED", "KINDS", "QUEUED", "RUNNING", "STATUSES", "SUCCEEDED", "TERMINAL",
    "TERMINAL_EVENTS", "Job", "JobEvent", "JobQueue", "JobStore", "open_job_store", "open_queue",
]


def open_job_store(settings: Settings) -> JobStore:
    from studioflow.jobs.jobs_sql import SQLJobStore
    from studioflow.store.db import connect, migrate

    db = connect(settings.resolved_database_url)
    migrate(db)
    return SQLJobStore(db)


def open_queue(settings: Settings, studio: Studio, store: JobStore) -> JobQueue:
    """The queue named by ``settings.queue``; each kind lives in its own module."""
    if settings.queue == "inprocess":
        from studioflow.jobs.queue_inprocess import InProcessQueue

        return InProcessQueue(studio, store, settings)
    if settings.queue == "celery":
        try:
            from studioflow.jobs.queue_celery import CeleryQueue  # type: ignore[import-not-found]
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("studioflow"):
                raise ConfigError("the celery queue is not part of this installation",
                                  [ErrorDetail("STUDIOFLOW_QUEUE", "use inprocess")]) from None
            raise
        return CeleryQueue(studio, store, settings)
    raise ConfigError(f"unknown queue kind {settings.queue!r}", [
        ErrorDetail("STUDIOFLOW_QUEUE", f"expected one of {', '.join(QUEUE_KINDS)}")])
