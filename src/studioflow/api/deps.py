"""What routes get injected: the app's Studio, job store and queue (no state of their own)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from studioflow.batch.store import BatchStore
from studioflow.core.config import Settings
from studioflow.core.studio import Studio
from studioflow.jobs.jobs_base import JobQueue, JobStore


def get_studio(request: Request) -> Studio:
    return request.app.state.studio


def get_jobs(request: Request) -> JobStore:
    return request.app.state.jobs


def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def batch_store(app: Any) -> BatchStore:
    """The batch tables' store, made on first use (it shares the Studio's database)."""
    state = app.state
    if getattr(state, "batches", None) is None:
        from studioflow.store.db import connect

        state.batches = BatchStore(connect(state.settings.resolved_database_url))
    return state.batches


StudioDep = Annotated[Studio, Depends(get_studio)]
JobsDep = Annotated[JobStore, Depends(get_jobs)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def url(request: Request, path: str) -> str:
    """A link to ``path`` that also works behind a proxy mounting the API under a prefix."""
    return request.scope.get("root_path", "") + path
