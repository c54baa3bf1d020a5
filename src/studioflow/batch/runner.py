"""Running a batch's items through the Studio: one item (shared by the CLI and the job
queue), and a whole batch in the CLI's worker threads.

Exactly once: an item's render is stored with the item's id as its job id, which is unique
in the renders table. Before rendering, an item looks for that render, so a render stored by
a process killed before it could mark its item done is used, never made again; two runners
racing on one item store one render (the second insert fails and finds the first).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from studioflow.batch.store import CANCELLED, DONE, FAILED, PENDING, BatchStore, Item
from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.studio import Origin, Studio
from studioflow.engines import CancelToken, ProgressCallback
from studioflow.errors import CancelledError, StudioFlowError
from studioflow.store.records_base import RenderRecord

log = logging.getLogger("studioflow.batch")

# what a runner tells its caller: ("done", item, record) / ("failed", item, error dict) /
# ("cancelled", item, None)
ItemCallback = Callable[[str, Item, Any], None]


def error_dict(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, StudioFlowError):
        return exc.as_dict()["error"]
    return {"code": "internal_error", "details": [],
            "message": f"the render failed unexpectedly ({type(exc).__name__}: {exc})"}


def batch_origin(item: Item) -> Origin:
    """The render's link to its batch, row and variant (kept in its engine_meta)."""
    return Origin(prompt=item.prompt, translator=item.translator, job_id=item.id,
                  meta={"batch_id": item.batch_id, "batch_row": item.row,
                        "batch_variant": item.variant, "batch_item_id": item.id})


def render_item(studio: Studio, store: BatchStore, item: Item, token: CancelToken,
                on_progress: ProgressCallback | None = None) -> RenderRecord:
    """Render a claimed item and mark it done, or failed (and raise). ``CancelledError``
    leaves the item running: the caller decides whether it is cancelled or put back."""
    if item.render_id:  # claim found it stored by a run that died before marking it done
        existing = studio.records.get(item.render_id)
        store.finish_item(item, DONE, render_id=existing.id)
        return existing
    assert item.manifest is not None, "claimed items carry their manifest"
    try:
        record = studio.render(item.manifest, RenderOverrides(), batch_origin(item),
                               on_progress=on_progress, cancel=token)
    except CancelledError:
        raise
    except Exception as exc:
        existing = studio.records.find_by_job(item.id)
        if existing is not None:  # another runner won the race on the unique job id
            store.finish_item(item, DONE, render_id=existing.id)
            return existing
        if not isinstance(exc, StudioFlowError):
            log.exception("batch item %s (row %d) failed", item.id, item.row)
        store.finish_item(item, FAILED, error=error_dict(exc))
        raise
    store.finish_item(item, DONE, render_id=record.id)
    return record


class BatchRunner:
    """Runs a batch's pending items in ``concurrency`` threads of this process."""

    def __init__(self, studio: Studio, store: BatchStore, concurrency: int = 1,
                 on_item: ItemCallback | None = None) -> None:
        self.studio, self.store = studio, store
        self.concurrency = max(1, concurrency)
        self.on_item = on_item or (lambda *_: None)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._tokens: dict[str, CancelToken] = {}
        self._todo: Iterator[Item] = iter(())
        self._running = 0
        self._finished = threading.Event()

    def run(self, batch_id: str) -> None:
        """Render every pending item; Ctrl-C (``KeyboardInterrupt``) cancels the batch,
        stops the running renders and is raised again once the threads have stopped."""
        self._todo = iter(self.store.items(batch_id, [PENDING]))
        self._running = self.concurrency
        self._finished.clear()
        for index in range(self.concurrency):
            threading.Thread(target=self._work, name=f"batch-{index}", daemon=True).start()
        # an Event, not Thread.join: on Python 3.11 a join interrupted by Ctrl-C can mark a
        # thread that is still running as stopped, and its item would be left half done
        try:
            while not self._finished.wait(0.1):
                pass
        except KeyboardInterrupt:
            self.cancel(batch_id)
            self._finished.wait()
            raise

    def cancel(self, batch_id: str) -> None:
        self._stop.set()
        self.store.cancel(batch_id)
        with self._lock:
            tokens = list(self._tokens.values())
        for token in tokens:
            token.cancel()

    def _next(self) -> Item | None:
        with self._lock:
            return None if self._stop.is_set() else next(self._todo, None)

    def _work(self) -> None:
        try:
            self._work_items()
        finally:
            with self._lock:
                self._running -= 1
                if not self._running:
                    self._finished.set()

    def _work_items(self) -> None:
        while (item := self._next()) is not None:
            claimed = self.store.claim(item.id)
            if claimed is None:  # cancelled, or taken by another runner
                continue
            token = CancelToken()
            with self._lock:
                self._tokens[item.id] = token
            try:
                record = render_item(self.studio, self.store, claimed, token)
                self.on_item("done", claimed, record)
            except CancelledError:
                self.store.finish_item(claimed, CANCELLED)
                self.on_item("cancelled", claimed, None)
            except Exception as exc:  # noqa: BLE001 - recorded on the item; the batch goes on
                self.on_item("failed", claimed, error_dict(exc))
            finally:
                with self._lock:
                    self._tokens.pop(item.id, None)

