"""Catalogue batches: upload a CSV, follow it (SSE), cancel, resume, download the results.

Items run as ``batch_item`` jobs through the durable job queue (any worker, in-process or
Celery); each API process runs a dispatcher that keeps a window of every running batch's
items in the queue (studioflow/batch/queue.py). docs/batch.md describes the CSV format.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from studioflow.api.deps import QueueDep, SettingsDep, StudioDep, batch_store, url
from studioflow.api.errors import documented
from studioflow.api.sse import EventStreamResponse, events_doc, format_event
from studioflow.batch.csv_reader import parse_csv
from studioflow.batch.planner import BatchOptions, Planner
from studioflow.batch.queue import BatchDispatcher
from studioflow.batch.results import ResultLine, result_lines, results_csv, stream_zip, summary
from studioflow.batch.store import ACTIVE, FAILED, RUNNING, Batch, BatchStore
from studioflow.batch.templates import TemplateStore
from studioflow.core.orchestrator import SEED_MAX
from studioflow.errors import NotFoundError
from studioflow.jobs.jobs_base import JobQueue

POLL_S = 0.1
KEEPALIVE_S = 15.0
SETTLE_S = 5.0  # a finished batch's stream waits this long for stragglers' last events


@asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[None]:
    """Dispatch running batches (also those an earlier process left) while the app runs."""
    dispatcher = BatchDispatcher(batch_store(app), app.state.queue,
                                 app.state.settings.batch_in_flight)
    app.state.batch_dispatcher = dispatcher
    await run_in_threadpool(dispatcher.start)
    try:
        yield
    finally:
        await run_in_threadpool(dispatcher.stop)
        app.state.batches.engine.dispose()


router = APIRouter(prefix="/v1/batches", tags=["batches"], lifespan=_lifespan)


# models ------------------------------------------------------------------------------------
class RowIssue(BaseModel):
    row: int = Field(description="Line of the CSV file (the header is line 1).")
    column: str | None
    message: str


class BatchOut(BaseModel):
    id: str
    status: str = Field(description="running, completed or cancelled.")
    mode: str
    source: str | None
    options: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None
    total_rows: int
    total_items: int
    counts: dict[str, int] = Field(description="Items by status: pending, queued, running, "
                                               "done, failed, cancelled, total.")
    rendered: int
    failed: int = Field(description="Failed items plus rows rejected before rendering.")
    rejected_rows: int
    errors: list[RowIssue]
    warnings: list[RowIssue]
    links: dict[str, str]


class BatchPage(BaseModel):
    items: list[BatchOut]


class DryRunOut(BaseModel):
    dry_run: bool
    rows: int
    valid_rows: int
    items: int
    errors: list[RowIssue]
    warnings: list[RowIssue]


class ItemResult(BaseModel):
    row: int
    sku: str | None
    variant: int | None
    status: str
    render_id: str | None
    seed: int | None
    file: str | None
    image: str | None
    error: str | None


class ResultsOut(BaseModel):
    batch_id: str
    status: str
    rendered: int
    failed: int
    rejected_rows: int
    counts: dict[str, int]
    errors: list[RowIssue]
    warnings: list[RowIssue]
    results: list[ItemResult]


# views -------------------------------------------------------------------------------------
def _links(request: Request, batch_id: str) -> dict[str, str]:
    base = f"/v1/batches/{batch_id}"
    return {"self": url(request, base), "events": url(request, base + "/events"),
            "results_csv": url(request, base + "/results.csv"),
            "results_json": url(request, base + "/results.json"),
            "results_zip": url(request, base + "/results.zip"),
            "cancel": url(request, base), "resume": url(request, base + "/resume")}


def batch_view(request: Request, store: BatchStore, batch: Batch) -> dict[str, Any]:
    counts = store.counts(batch.id)
    errors = [i.as_dict() for i in batch.issues if i.level == "error"]
    errors += [{"row": item.row, "column": None,
                "message": f"variant {item.variant}: {(item.error or {}).get('message')}"}
               for item in store.items(batch.id, [FAILED])]
    rejected = len({i.row for i in batch.issues if i.level == "error" and i.row > 1})
    return {"id": batch.id, "status": batch.status, "mode": batch.mode, "source": batch.source,
            "options": batch.options, "created_at": batch.created_at,
            "finished_at": batch.finished_at, "total_rows": batch.total_rows,
            "total_items": batch.total_items, "counts": counts, "rendered": counts["done"],
            "failed": counts["failed"] + rejected, "rejected_rows": rejected,
            "errors": sorted(errors, key=lambda e: e["row"]),
            "warnings": [i.as_dict() for i in batch.issues if i.level == "warning"],
            "links": _links(request, batch.id)}


def _wake(request: Request) -> None:
    dispatcher = getattr(request.app.state, "batch_dispatcher", None)
    if dispatcher is not None:
        dispatcher.wake()


def _lines(request: Request, batch: Batch) -> list[ResultLine]:
    return result_lines(batch_store(request.app), batch,
                        lambda render_id, _key: url(request, f"/v1/renders/{render_id}/image"))


# routes ------------------------------------------------------------------------------------
@router.post("", status_code=202, response_model=BatchOut,
             responses={**documented(400, 404, 413, 422, 503), 200: {
                 "model": DryRunOut, "description": "dry_run: every row checked, nothing "
                                                    "rendered."}})
def create_batch(request: Request, studio: StudioDep, settings: SettingsDep,
                 file: Annotated[UploadFile, File(description="The catalogue CSV "
                                                            "(docs/batch.md).")],
                 template: str | None = Form(None, max_length=128),
                 preset: str | None = Form(None, max_length=64),
                 engine: str | None = Form(None, max_length=40),
                 width: int | None = Form(None, ge=16, le=8192),
                 height: int | None = Form(None, ge=16, le=8192),
                 seed: int = Form(0, ge=0, le=SEED_MAX),
                 variants: int = Form(1, ge=1, le=16),
                 translator: str | None = Form(None, max_length=40),
                 dry_run: bool = Form(False)) -> JSONResponse:
    """Check every row and queue one job per row and variant; with ``dry_run`` only check.
    Bad rows are reported in ``errors`` ({row, column, message}) and do not stop the batch."""
    parsed = parse_csv(file.file.read(), settings.batch_max_rows)
    store = batch_store(request.app)
    options = BatchOptions(template=template, preset=preset, engine=engine, width=width,
                           height=height, seed=seed, variants=variants, translator=translator)
    planner = Planner(studio, TemplateStore(store.engine), options)
    plan = planner.plan(parsed)
    if dry_run:
        return JSONResponse({"dry_run": True, "rows": plan.rows, "valid_rows": plan.good_rows,
                             "items": len(plan.items),
                             "errors": [i.as_dict() for i in plan.errors],
                             "warnings": [i.as_dict() for i in plan.warnings]})
    planner.require_engines(plan)
    batch = store.create(plan.items, options=options.as_dict(), issues=plan.issues,
                         total_rows=plan.rows, source=file.filename, mode="queue")
    _wake(request)
    body = BatchOut.model_validate(batch_view(request, store, batch)).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": body["links"]["self"]})


@router.get("", response_model=BatchPage, responses=documented(422))
def list_batches(request: Request, limit: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
    """Newest first."""
    store = batch_store(request.app)
    return {"items": [batch_view(request, store, b) for b in store.list(limit)]}


@router.get("/{batch_id}", response_model=BatchOut, responses=documented(404))
def get_batch(batch_id: str, request: Request) -> dict[str, Any]:
    store = batch_store(request.app)
    return batch_view(request, store, store.get(batch_id))


@router.delete("/{batch_id}", response_model=BatchOut, responses={
    **documented(404), 202: {"model": BatchOut, "description": "Cancelled; items that were "
                                                               "running stop shortly."}})
def cancel_batch(batch_id: str, request: Request, queue: QueueDep) -> JSONResponse:
    """Cancel: no further item starts, running ones stop; resume continues it."""
    store = batch_store(request.app)
    batch, jobs = store.cancel(batch_id)
    _cancel_jobs(queue, jobs)
    body = BatchOut.model_validate(batch_view(request, store, store.get(batch.id)))
    still = any(body.counts.get(s) for s in ACTIVE)
    return JSONResponse(body.model_dump(mode="json"), status_code=202 if still else 200)


def _cancel_jobs(queue: JobQueue, jobs: list[str]) -> None:
    for job_id in jobs:
        try:
            queue.cancel(job_id)
        except NotFoundError:
            pass


@router.post("/{batch_id}/resume", status_code=202, response_model=BatchOut,
             responses={**documented(404, 422), 200: {
                 "model": BatchOut, "description": "Nothing to resume: every item is "
                                                   "finished; the batch is unchanged."}})
def resume_batch(batch_id: str, request: Request,
                 retry_failed: bool = Query(False, description="Render failed items again.")
                 ) -> JSONResponse:
    """Continue a cancelled batch (items already rendered are never rendered again)."""
    store = batch_store(request.app)
    batch = store.resume(batch_id, mode="queue", retry_failed=retry_failed)
    _wake(request)
    body = BatchOut.model_validate(batch_view(request, store, batch)).model_dump(mode="json")
    return JSONResponse(body, status_code=202 if batch.status == RUNNING else 200)


@router.get("/{batch_id}/results.json", response_model=ResultsOut, responses=documented(404))
def results_json(batch_id: str, request: Request) -> dict[str, Any]:
    """One line per item and per rejected row: row, sku, variant, status, render_id, seed,
    file (its name in the ZIP), image (URL) and error."""
    store = batch_store(request.app)
    batch = store.get(batch_id)
    return summary(batch, store.counts(batch.id), _lines(request, batch))


@router.get("/{batch_id}/results.csv", response_class=Response, responses={
    **documented(404), 200: {"content": {"text/csv": {}}, "description": "The results as "
                             "CSV (cells neutralised against spreadsheet formulas)."}})
def results_csv_file(batch_id: str, request: Request) -> Response:
    batch = batch_store(request.app).get(batch_id)
    return Response(results_csv(_lines(request, batch)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="batch-{batch.id}.csv"'})


@router.get("/{batch_id}/results.zip", response_class=StreamingResponse, responses={
    **documented(404, streaming=True), 200: {"content": {"application/zip": {}},
                                             "description": "images/<SKU>.png and "
                                                            "results.csv, streamed."}})
def results_zip(batch_id: str, request: Request, studio: StudioDep) -> StreamingResponse:
    batch = batch_store(request.app).get(batch_id)
    lines = _lines(request, batch)
    return StreamingResponse(stream_zip(studio.files.get, lines), media_type="application/zip",
                             headers={"Content-Disposition":
                                      f'attachment; filename="batch-{batch.id}.zip"'})


_EVENTS_DOC = events_doc(
    "Server-sent events: `created`, `item_started`, `item_done` ({row, sku, variant, "
    "render_id}), `item_failed` ({..., error}), `item_cancelled`, `progress` (counts by "
    "status), `cancelled`, `resumed`, and `done` when every item is finished. The stream "
    "ends when the batch is completed or cancelled. Send the last `id` back as "
    "Last-Event-ID to resume.",
    ["created", "item_started", "item_done", "item_failed", "item_cancelled", "progress",
     "cancelled", "resumed", "done"])


async def batch_events(store: BatchStore, batch_id: str, after: int = 0,
                       poll_s: float = POLL_S) -> AsyncIterator[str]:
    last, quiet_since, keepalive_at = after, time.monotonic(), time.monotonic()
    yield "retry: 1000\n\n"
    while True:
        batch = await run_in_threadpool(store.get, batch_id)  # before the events: see below
        events = await run_in_threadpool(store.events, batch_id, last)
        for event in events:
            yield format_event(event)
            last = event.id
        if events:
            quiet_since = keepalive_at = time.monotonic()
            continue
        if batch.finished:  # its final event was committed with the status we read
            counts = await run_in_threadpool(store.counts, batch_id)
            if not any(counts[s] for s in ACTIVE) or time.monotonic() - quiet_since > SETTLE_S:
                return
        if time.monotonic() - keepalive_at >= KEEPALIVE_S:
            yield ": keep-alive\n\n"
            keepalive_at = time.monotonic()
        await asyncio.sleep(poll_s)


@router.get("/{batch_id}/events", response_class=EventStreamResponse, status_code=200,
            responses={**documented(404, 422, streaming=True), **_EVENTS_DOC})
async def batch_event_stream(batch_id: str, request: Request,
                             after: int = Query(0, ge=0, le=2**62,
                                                description="Resume after this event id."),
                             last_event_id: str | None = Header(None, max_length=20)
                             ) -> EventStreamResponse:
    store = batch_store(request.app)
    batch = await run_in_threadpool(store.get, batch_id)  # 404 before the stream starts
    if last_event_id and last_event_id.strip().isdigit():
        after = max(after, int(last_event_id.strip()))
    return EventStreamResponse(batch_events(store, batch.id, after))
