"""Batch items on the durable job queue (API): the ``batch_item`` job kind and the
dispatcher that feeds a batch into the queue a window at a time.

A batch of thousands of items would overflow the queue's bound (``max_queued``) and make
everyone else's renders wait behind it, so each API process runs a dispatcher thread that
keeps at most ``batch_in_flight`` items of each running batch queued or running. Items are
taken with conditional UPDATEs, so several API processes can dispatch the same batch. The
jobs run on any worker, in-process or Celery, through ``JobRunner`` like every other job;
their payload is only ``{batch_id, item_id}``: the item's manifest is in the database.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from studioflow.batch.runner import render_item
from studioflow.batch.store import (
    CANCELLED,
    DONE,
    FAILED,
    PENDING,
    QUEUED,
    RUNNING,
    BatchStore,
)
from studioflow.engines import CancelToken, ProgressCallback
from studioflow.errors import CancelledError, QueueFullError
from studioflow.jobs.jobs_base import CANCELLED as JOB_CANCELLED
from studioflow.jobs.jobs_base import SUCCEEDED as JOB_SUCCEEDED
from studioflow.jobs.jobs_base import Job, JobQueue
from studioflow.store.records_base import RenderRecord

log = logging.getLogger("studioflow.batch")

KIND = "batch_item"
POLL_S = 0.5
STRAY_AFTER_S = 60.0


_STORES: OrderedDict[str, BatchStore] = OrderedDict()  # a connection pool per database
_STORES_LOCK = threading.Lock()
MAX_STORES = 4


def store_for(database_url: str) -> BatchStore:
    """The batch store of a database, shared by the jobs a worker runs on it."""
    from studioflow.store.db import connect, migrate

    with _STORES_LOCK:
        store = _STORES.get(database_url)
        if store is None:
            engine = connect(database_url)
            migrate(engine)
            store = _STORES[database_url] = BatchStore(engine)
            while len(_STORES) > MAX_STORES:
                _STORES.popitem(last=False)[1].engine.dispose()
        _STORES.move_to_end(database_url)
        return store


def execute_item(studio: Any, job: Job, on_progress: ProgressCallback,
                 token: CancelToken) -> RenderRecord:
    """What a ``batch_item`` job does (called by ``jobs.runner.execute``)."""
    store = store_for(studio.settings.resolved_database_url)
    item = store.item(job.payload["item_id"])
    if item.status == DONE and item.render_id:
        return studio.records.get(item.render_id)
    if store.get(item.batch_id).status == CANCELLED:
        store.finish_item(item, CANCELLED)
        raise CancelledError("the batch was cancelled")
    # RUNNING too: a job run again after its worker died
    claimed = store.claim(item.id, from_statuses=(PENDING, QUEUED, RUNNING))
    if claimed is None:
        item = store.item(item.id)
        if item.render_id:
            return studio.records.get(item.render_id)
        raise CancelledError(f"the batch item is {item.status}")
    try:
        return render_item(studio, store, claimed, token, on_progress)
    except CancelledError:
        if store.get(item.batch_id).status == CANCELLED:
            store.finish_item(claimed, CANCELLED)
        else:  # the worker is shutting down: the job goes back to the queue
            store.release(claimed, QUEUED)
        raise


class BatchDispatcher:
    def __init__(self, store: BatchStore, queue: JobQueue, in_flight: int,
                 poll_s: float = POLL_S) -> None:
        self.store, self.queue = store, queue
        self.in_flight, self.poll_s = in_flight, poll_s
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, daemon=True,
                                            name="studioflow-batches")
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10.0)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:  # the database may be restarting: keep dispatching later
                log.warning("batch dispatch failed", exc_info=True)
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def tick(self) -> int:
        """One pass: settle items whose job ended without them, then top up every running
        batch's window. Returns how many jobs were submitted."""
        self.settle()
        self.store.stray_queued(STRAY_AFTER_S)
        submitted = 0
        for batch_id in self.store.queue_batches():
            for item in self.store.take_pending(batch_id, self.in_flight):
                try:
                    job = self.queue.submit(KIND, {"batch_id": batch_id, "item_id": item.id})
                except QueueFullError:
                    self.store.release(item, PENDING)
                    return submitted  # the queue is busy: try again on the next pass
                except Exception:
                    self.store.release(item, PENDING)
                    raise
                self.store.set_job(item.id, job.id)
                submitted += 1
        return submitted

    def settle(self) -> int:
        """Items whose job ended without finishing them: a job failed after its worker died
        too often, or was cancelled before it ran."""
        ended = self.store.ended_jobs()
        for item, status, render_id, error in ended:
            if status == JOB_SUCCEEDED and render_id:
                self.store.finish_item(item, DONE, render_id=render_id)
            elif status == JOB_CANCELLED:
                self.store.finish_item(item, CANCELLED)
            else:
                self.store.finish_item(item, FAILED, error=error or {
                    "code": "job_failed", "message": "the render job failed", "details": []})
        return len(ended)
