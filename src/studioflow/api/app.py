"""The FastAPI application: ``create_app`` wires a Studio, the job store and the queue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from studioflow import __version__
from studioflow.api.errors import BodyLimitMiddleware, install_error_handlers
from studioflow.api.routes import all_routers
from studioflow.api.security import check_can_serve, install_security
from studioflow.core.config import Settings
from studioflow.core.studio import Studio
from studioflow.jobs import open_job_store, open_queue

DESCRIPTION = """Controllable, reproducible AI product photography around Bria's FIBO.

Sentence -> manifest (`/v1/translate`), checks (`/v1/validate`), renders as jobs
(`/v1/renders`, followed with `/v1/jobs/{id}/events`), history, lineage and diffs.
Every error has the shape `{"error": {"code", "message", "details": [{"path", "message"}]}}`.
"""


def create_app(settings: Settings | None = None, studio: Studio | None = None) -> FastAPI:
    """An app on ``studio`` (opened from ``settings`` when not given). The jobs live in the
    same database, so several apps (processes) can serve one StudioFlow together."""
    if studio is None:
        from studioflow.core.wiring import open_studio

        settings = settings or Settings()
        studio = open_studio(settings)
    settings = settings or studio.settings
    store = open_job_store(settings)
    queue = open_queue(settings, studio, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(queue.start)
        try:
            yield
        finally:
            await run_in_threadpool(queue.stop)

    app = FastAPI(title="StudioFlow", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings, app.state.studio = settings, studio
    app.state.jobs, app.state.queue = store, queue
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    install_security(app, settings)  # keys, rate limits, CORS (outside the body limit)
    for router in all_routers():
        app.include_router(router)
    return app


def serve(settings: Settings, studio: Studio | None = None) -> None:
    """Run the API with uvicorn until interrupted; running jobs get time to finish."""
    import uvicorn

    check_can_serve(settings)  # no public API without keys
    app = create_app(settings, studio)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info",
                timeout_graceful_shutdown=5)
