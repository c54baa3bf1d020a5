"""Server-sent events for a job, read from its event log in the database.

A client that connects late first gets every event since the job was submitted, then the
live ones, whichever process runs the job; ``Last-Event-ID`` (or ``?after=``) resumes after
a given event. The stream ends after the job's last event (done, error or cancelled).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from studioflow.jobs.jobs_base import TERMINAL_EVENTS, JobEvent, JobStore
from studioflow.store.sql_common import dump_json

POLL_S = 0.1  # how often the event log is read while a job runs
KEEPALIVE_S = 15.0  # a comment line through proxies that drop quiet connections
STATUS_EVERY = 20  # empty polls between checks that the job is not over without an event


class EventStreamResponse(StreamingResponse):
    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[str]) -> None:
        super().__init__(content, headers={"Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})


def events_doc(description: str, events: list[str]) -> dict:
    """The OpenAPI 200 response of an event stream: its event names and the frame shape."""
    return {200: {"description": description, "content": {"text/event-stream": {"schema": {
        "type": "object", "required": ["event", "data"], "properties": {
            "id": {"type": "string", "pattern": "^[0-9]+$"},
            "event": {"enum": events},
            "data": {"type": "string", "description": "A JSON object."}}}}}}}


def format_event(event: JobEvent | Any) -> str:
    """One server-sent event from anything with ``id``, ``type`` and ``data`` (jobs, batches)."""
    data = dump_json(event.data)
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


async def job_events(store: JobStore, job_id: str, after: int = 0,
                     poll_s: float = POLL_S) -> AsyncIterator[str]:
    last, empty_polls, quiet_since = after, 0, time.monotonic()
    yield "retry: 1000\n\n"
    while True:
        events = await run_in_threadpool(store.events, job_id, last)
        for event in events:
            yield format_event(event)
            last = event.id
            if event.type in TERMINAL_EVENTS:
                return
        if events:
            empty_polls, quiet_since = 0, time.monotonic()
            continue
        if empty_polls % STATUS_EVERY == 0:  # e.g. resumed after the last event already
            job = await run_in_threadpool(store.get, job_id)
            if job.finished:
                for event in await run_in_threadpool(store.events, job_id, last):
                    yield format_event(event)
                return
        empty_polls += 1
        if time.monotonic() - quiet_since >= KEEPALIVE_S:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(poll_s)
