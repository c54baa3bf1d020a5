"""Jobs: status, live events (SSE) and cancellation, from any API process."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from studioflow.api.deps import JobsDep, QueueDep
from studioflow.api.errors import documented
from studioflow.api.schemas import JobOut
from studioflow.api.sse import EventStreamResponse, events_doc, job_events
from studioflow.api.views import job_view
from studioflow.jobs.jobs_base import RUNNING

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

_EVENTS_DOC = events_doc(
    "Server-sent events: `queued`, `started`, one `progress` per engine step "
    "({step, total, progress, message}), then `done` ({render_id}), `error` "
    "({code, message, details}) or `cancelled`. Each has an `id`; send it back as "
    "Last-Event-ID to resume. Late clients get every event from the start.",
    ["queued", "started", "progress", "done", "error", "cancelled"])


@router.get("/{job_id}", response_model=JobOut, responses=documented(404))
def get_job(job_id: str, request: Request, jobs: JobsDep) -> dict[str, Any]:
    return job_view(request, jobs.get(job_id))


@router.get("/{job_id}/events", response_class=EventStreamResponse, status_code=200,
            responses={**documented(404, 422, streaming=True), **_EVENTS_DOC})
async def job_event_stream(job_id: str, jobs: JobsDep,
                           after: int = Query(0, ge=0, le=2**62,
                                              description="Resume after this event id."),
                           last_event_id: str | None = Header(None, max_length=20)
                           ) -> EventStreamResponse:
    job = await run_in_threadpool(jobs.get, job_id)  # 404 before the stream starts
    if last_event_id and last_event_id.strip().isdigit():
        after = max(after, int(last_event_id.strip()))
    return EventStreamResponse(job_events(jobs, job.id, after))


@router.delete("/{job_id}", response_model=JobOut, responses={
    **documented(404), 202: {"model": JobOut, "description": "Running: cancellation asked "
                                                            "for; the job ends shortly."}})
def cancel_job(job_id: str, request: Request, queue: QueueDep) -> JSONResponse:
    """Cancel a job: a queued one at once, a running one at its engine's next step.
    Finished jobs are returned unchanged."""
    job = queue.cancel(job_id)
    body = JobOut.model_validate(job_view(request, job)).model_dump(mode="json")
    return JSONResponse(body, status_code=202 if job.status == RUNNING else 200)
