"""Batches, their items and event logs in the database (SQLite or PostgreSQL).

Nothing about a batch lives only in a process: the CLI, every API process and every queue
worker read and write the same rows, so a batch killed at any moment is resumed from here.
Item state changes are conditional UPDATEs (``WHERE status IN ...``) written together with
their events; the batch completes in the same transaction as its last item.

    item:  pending -> (queued ->) running -> done | failed | cancelled
    batch: running -> completed | cancelled;  resume: back to running
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, exists, func, insert, select, update

from studioflow.batch.csv_reader import Issue
from studioflow.errors import ErrorDetail, InputError, NotFoundError
from studioflow.jobs.jobs_base import TERMINAL as JOB_TERMINAL
from studioflow.store.ids import new_id, normalize_id
from studioflow.store.sql_common import as_utc, dump_json, now_utc
from studioflow.store.tables import BatchEventRow, BatchItemRow, BatchRow, JobRow, RenderRow

BATCHES, ITEMS, EVENTS, JOBS, RENDERS = (BatchRow.__table__, BatchItemRow.__table__,
                                         BatchEventRow.__table__, JobRow.__table__,
                                         RenderRow.__table__)

PENDING, QUEUED, RUNNING = "pending", "queued", "running"
DONE, FAILED, CANCELLED = "done", "failed", "cancelled"
ITEM_STATUSES = (PENDING, QUEUED, RUNNING, DONE, FAILED, CANCELLED)
ACTIVE = (PENDING, QUEUED, RUNNING)
COMPLETED = "completed"
BATCH_TERMINAL = frozenset({COMPLETED, CANCELLED})
_FINISH_EVENT = {DONE: "item_done", FAILED: "item_failed", CANCELLED: "item_cancelled"}
_INSERT_CHUNK = 500
PROGRESS_EVERY_S = 0.25








@dataclass
class Batch:
    id: str
    status: str
    mode: str
    source: str | None
    options: dict[str, Any]
    issues: list[Issue]
    total_rows: int
    total_items: int
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in BATCH_TERMINAL


@dataclass
class Item:
    id: str
    batch_id: str
    row: int
    variant: int
    sku: str
    status: str
    seed: int
    render_id: str | None = None
    job_id: str | None = None
    error: dict[str, Any] | None = None
    prompt: str | None = None
    translator: str | None = None
    manifest: dict[str, Any] | None = None  # loaded only where it is rendered

    def brief(self) -> dict[str, Any]:
        return {"item_id": self.id, "row": self.row, "sku": self.sku, "variant": self.variant}


@dataclass(frozen=True)
class NewItem:
    row: int
    variant: int
    sku: str
    seed: int
    manifest_json: str
    prompt: str | None = None
    translator: str | None = None


@dataclass(frozen=True)
class BatchEvent:
    id: int
    batch_id: str
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


_ITEM_COLUMNS = [ITEMS.c[name] for name in (
    "id", "batch_id", "row", "variant", "sku", "status", "seed", "render_id", "job_id", "error",
    "prompt", "translator")]


def _item(row: Any) -> Item:
    m = row._mapping
    manifest = m.get("manifest")
    return Item(id=m["id"], batch_id=m["batch_id"], row=m["row"], variant=m["variant"],
                sku=m["sku"], status=m["status"], seed=m["seed"], render_id=m["render_id"],
                job_id=m["job_id"], error=json.loads(m["error"]) if m["error"] else None,
                prompt=m["prompt"], translator=m["translator"],
                manifest=json.loads(manifest) if manifest else None)


def _batch(row: Any) -> Batch:
    m = row._mapping
    return Batch(id=m["id"], status=m["status"], mode=m["mode"], source=m["source"],
                 options=json.loads(m["options"]),
                 issues=[Issue.from_stored(i) for i in json.loads(m["issues"])],
                 total_rows=m["total_rows"], total_items=m["total_items"],
                 created_at=as_utc(m["created_at"]), finished_at=as_utc(m["finished_at"]))


class BatchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._progress_lock = threading.Lock()
        self._progress_at: dict[str, float] = {}

    # creating and reading -------------------------------------------------------------
    def create(self, items: list[NewItem], *, options: dict[str, Any], issues: list[Issue],
               total_rows: int, source: str | None, mode: str) -> Batch:
        """A running batch with all its items, in one transaction (all or nothing)."""
        if not items:
            raise InputError("no row of the CSV file can be rendered",
                             [ErrorDetail(f"row {i.row}, column {i.column or '-'}", i.message)
                              for i in issues if i.level == "error"][:50], http_status=422)
        batch_id, now = new_id(), now_utc()
        with self.engine.begin() as conn:
            conn.execute(insert(BATCHES).values(
                id=batch_id, status=RUNNING, mode=mode, source=(source or None) and source[:300],
                options=dump_json(options), issues=dump_json([i.stored() for i in issues]),
                total_rows=total_rows, total_items=len(items), created_at=now))
            rows = [{"id": new_id(), "batch_id": batch_id, "row": i.row, "variant": i.variant,
                     "sku": i.sku, "status": PENDING, "seed": i.seed,
                     "manifest": i.manifest_json, "prompt": i.prompt,
                     "translator": i.translator, "updated_at": now} for i in items]
            for start in range(0, len(rows), _INSERT_CHUNK):
                conn.execute(insert(ITEMS), rows[start:start + _INSERT_CHUNK])
            self._event(conn, batch_id, "created", {"total_items": len(items),
                                                    "total_rows": total_rows})
            return self._get(conn, batch_id)

    def get(self, batch_id: str) -> Batch:
        with self.engine.connect() as conn:
            return self._get(conn, batch_id)

    def list(self, limit: int = 20) -> list[Batch]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(BATCHES).order_by(BATCHES.c.id.desc()).limit(limit)).all()
        return [_batch(r) for r in rows]

    def counts(self, batch_id: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            return self._counts(conn, batch_id)

    def items(self, batch_id: str, statuses: Iterable[str] | None = None) -> list[Item]:
        """Items in CSV order, without their manifests."""
        stmt = select(*_ITEM_COLUMNS).where(ITEMS.c.batch_id == batch_id)
        if statuses is not None:
            stmt = stmt.where(ITEMS.c.status.in_(list(statuses)))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.order_by(ITEMS.c.row, ITEMS.c.variant)).all()
        return [_item(r) for r in rows]

    def item(self, item_id: str) -> Item:
        with self.engine.connect() as conn:
            row = conn.execute(select(ITEMS).where(ITEMS.c.id == item_id)).first()
        if row is None:
            raise NotFoundError(f"no batch item {item_id!r}", [ErrorDetail("item", "unknown")])
        return _item(row)

    def events(self, batch_id: str, after: int = 0, limit: int = 500) -> list[BatchEvent]:
        stmt = (select(EVENTS).where(EVENTS.c.batch_id == batch_id, EVENTS.c.id > after)
                .order_by(EVENTS.c.id).limit(limit))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [BatchEvent(r.id, r.batch_id, r.type, json.loads(r.data), as_utc(r.created_at))
                for r in rows]

    # items ------------------------------------------------------------------------------
    def claim(self, item_id: str, from_statuses: Iterable[str] = (PENDING,)) -> Item | None:
        """The item, now running (with its manifest); ``None`` when it was not in one of
        ``from_statuses`` (another runner has it, or it is finished or cancelled). Its
        ``render_id`` is set when a render with its id exists already (stored by a run that
        was killed before it could mark the item done)."""
        with self.engine.begin() as conn:
            row = conn.execute(update(ITEMS).where(
                ITEMS.c.id == item_id, ITEMS.c.status.in_(list(from_statuses)))
                .values(status=RUNNING, updated_at=now_utc()).returning(*ITEMS.c)).first()
            if row is None:
                return None
            item = _item(row)
            item.render_id = conn.execute(select(RENDERS.c.id).where(
                RENDERS.c.job_id == item_id)).scalar()
            self._event(conn, item.batch_id, "item_started", item.brief())
            return item

    def finish_item(self, item: Item, status: str, render_id: str | None = None,
                    error: dict[str, Any] | None = None) -> bool:
        """End an active item; the batch completes with its last item. False when the item
        was no longer active (someone else finished it)."""
        with self.engine.begin() as conn:
            result = conn.execute(update(ITEMS).where(
                ITEMS.c.id == item.id, ITEMS.c.status.in_(ACTIVE)).values(
                status=status, render_id=render_id, updated_at=now_utc(),
                error=dump_json(error) if error else None))
            if result.rowcount != 1:
                return False
            data = item.brief()
            if render_id:
                data["render_id"] = render_id
            if error:
                data["error"] = error
            self._event(conn, item.batch_id, _FINISH_EVENT[status], data)
            if not self._complete_if_done(conn, item.batch_id) and \
                    self._progress_due(item.batch_id):
                self._event(conn, item.batch_id, "progress", self._counts(conn, item.batch_id))
            return True

    def _progress_due(self, batch_id: str) -> bool:
        """Progress counts cost a count over the batch's items: at most a few a second."""
        now = time.monotonic()
        with self._progress_lock:
            if now - self._progress_at.get(batch_id, -PROGRESS_EVERY_S) < PROGRESS_EVERY_S:
                return False
            self._progress_at[batch_id] = now
            return True

    def release(self, item: Item, status: str = PENDING) -> None:
        """Put an item back (interrupted by a shutdown, or never submitted)."""
        with self.engine.begin() as conn:
            conn.execute(update(ITEMS).where(ITEMS.c.id == item.id,
                                             ITEMS.c.status.in_([QUEUED, RUNNING]))
                         .values(status=status, job_id=None, updated_at=now_utc()))

    # the batch --------------------------------------------------------------------------
    def cancel(self, batch_id: str) -> tuple[Batch, list[str]]:
        """Stop a batch: pending items are cancelled at once; returns the batch and the
        queue jobs of its queued and running items (the caller cancels those)."""
        with self.engine.begin() as conn:
            batch = self._get(conn, batch_id)
            if batch.status != RUNNING:
                return batch, []
            now = now_utc()
            conn.execute(update(BATCHES).where(BATCHES.c.id == batch.id,
                                               BATCHES.c.status == RUNNING)
                         .values(status=CANCELLED, finished_at=now))
            conn.execute(update(ITEMS).where(ITEMS.c.batch_id == batch.id,
                                             ITEMS.c.status == PENDING)
                         .values(status=CANCELLED, updated_at=now))
            jobs = conn.execute(select(ITEMS.c.job_id).where(
                ITEMS.c.batch_id == batch.id, ITEMS.c.status.in_([QUEUED, RUNNING]),
                ITEMS.c.job_id.is_not(None))).scalars().all()
            self._event(conn, batch.id, "cancelled", self._counts(conn, batch.id))
            return self._get(conn, batch.id), list(jobs)

    def resume(self, batch_id: str, mode: str, retry_failed: bool = False) -> Batch:
        """Continue a cancelled or interrupted batch: cancelled items (and failed ones when
        asked) go back to pending. ``mode="cli"`` also takes back items a killed process
        left queued or running: their renders, if stored, are found by item id."""
        again = [CANCELLED] + ([FAILED] if retry_failed else [])
        if mode == "cli":
            again += [QUEUED, RUNNING]
        with self.engine.begin() as conn:
            batch = self._get(conn, batch_id)
            now = now_utc()
            conn.execute(update(ITEMS).where(ITEMS.c.batch_id == batch.id,
                                             ITEMS.c.status.in_(again))
                         .values(status=PENDING, error=None, updated_at=now))
            if mode != "cli":  # left running by a dead CLI run: nobody will finish them
                conn.execute(update(ITEMS).where(
                    ITEMS.c.batch_id == batch.id, ITEMS.c.status.in_([QUEUED, RUNNING]),
                    ITEMS.c.job_id.is_(None), ITEMS.c.updated_at < now - timedelta(minutes=1))
                    .values(status=PENDING, updated_at=now))
            counts = self._counts(conn, batch.id)
            if batch.status == COMPLETED and not any(counts.get(s) for s in ACTIVE):
                return batch
            conn.execute(update(BATCHES).where(BATCHES.c.id == batch.id)
                         .values(status=RUNNING, mode=mode, finished_at=None))
            self._event(conn, batch.id, "resumed", counts)
            self._complete_if_done(conn, batch.id)
            return self._get(conn, batch.id)

    # the job queue (API) ------------------------------------------------------------------
    def queue_batches(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(BATCHES.c.id).where(
                BATCHES.c.status == RUNNING, BATCHES.c.mode == "queue")
                .order_by(BATCHES.c.id)).scalars())

    def take_pending(self, batch_id: str, limit: int) -> list[Item]:
        """Up to ``limit`` pending items, now queued, while fewer than ``limit`` are in
        flight. Each is taken with a conditional UPDATE, so two dispatchers never both take
        one (and if they did, the render's unique job id still stores it once)."""
        with self.engine.begin() as conn:
            flying = conn.execute(select(func.count()).select_from(ITEMS).where(
                ITEMS.c.batch_id == batch_id, ITEMS.c.status.in_([QUEUED, RUNNING]))).scalar()
            wanted = max(0, limit - int(flying or 0))
            if not wanted:
                return []
            ids = conn.execute(select(ITEMS.c.id).where(
                ITEMS.c.batch_id == batch_id, ITEMS.c.status == PENDING)
                .order_by(ITEMS.c.row, ITEMS.c.variant).limit(wanted)).scalars().all()
            taken = []
            for item_id in ids:
                result = conn.execute(update(ITEMS).where(ITEMS.c.id == item_id,
                                                          ITEMS.c.status == PENDING)
                                      .values(status=QUEUED, updated_at=now_utc()))
                if result.rowcount == 1:
                    taken.append(item_id)
            rows = conn.execute(select(*_ITEM_COLUMNS).where(ITEMS.c.id.in_(taken))
                                .order_by(ITEMS.c.row, ITEMS.c.variant)).all() if taken else []
            return [_item(r) for r in rows]

    def set_job(self, item_id: str, job_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(ITEMS).where(ITEMS.c.id == item_id)
                         .values(job_id=job_id, updated_at=now_utc()))

    def ended_jobs(self) -> list[tuple[Item, str, str | None, dict[str, Any] | None]]:
        """Active items whose queue job is over: ``(item, job status, render id, error)``.
        The job runner normally finishes items itself; these are the ones it could not
        (a job failed after its worker died too often, or was cancelled before it ran)."""
        stmt = (select(*_ITEM_COLUMNS, JOBS.c.status.label("job_status"),
                       JOBS.c.render_id.label("job_render"), JOBS.c.error.label("job_error"))
                .join(JOBS, JOBS.c.id == ITEMS.c.job_id)
                .where(ITEMS.c.status.in_([QUEUED, RUNNING]),
                       JOBS.c.status.in_(list(JOB_TERMINAL))))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [(_item(r), r.job_status, r.job_render,
                 json.loads(r.job_error) if r.job_error else None) for r in rows]

    def stray_queued(self, older_than_s: float) -> int:
        """Queued items whose job was never recorded (a dispatcher died between taking and
        submitting them) go back to pending."""
        cutoff = now_utc() - timedelta(seconds=older_than_s)
        with self.engine.begin() as conn:
            return conn.execute(update(ITEMS).where(
                ITEMS.c.status == QUEUED, ITEMS.c.job_id.is_(None),
                ITEMS.c.updated_at < cutoff).values(status=PENDING, updated_at=now_utc())).rowcount

    # helpers ----------------------------------------------------------------------------
    def _complete_if_done(self, conn: Connection, batch_id: str) -> bool:
        active = exists().where(ITEMS.c.batch_id == batch_id, ITEMS.c.status.in_(ACTIVE))
        result = conn.execute(update(BATCHES).where(
            BATCHES.c.id == batch_id, BATCHES.c.status == RUNNING, ~active)
            .values(status=COMPLETED, finished_at=now_utc()))
        if result.rowcount != 1:
            return False
        counts = self._counts(conn, batch_id)
        self._event(conn, batch_id, "progress", counts)
        self._event(conn, batch_id, "done", {"status": COMPLETED, **counts})
        return True

    @staticmethod
    def _counts(conn: Connection, batch_id: str) -> dict[str, int]:
        rows = conn.execute(select(ITEMS.c.status, func.count()).where(
            ITEMS.c.batch_id == batch_id).group_by(ITEMS.c.status)).all()
        counts = dict.fromkeys(ITEM_STATUSES, 0)
        counts.update({status: n for status, n in rows})
        counts["total"] = sum(counts[s] for s in ITEM_STATUSES)
        return counts

    @staticmethod
    def _event(conn: Connection, batch_id: str, kind: str, data: dict[str, Any]) -> None:
        conn.execute(insert(EVENTS).values(batch_id=batch_id, type=kind, data=dump_json(data),
                                           created_at=now_utc()))

    @staticmethod
    def _get(conn: Connection, batch_id: str) -> Batch:
        key = normalize_id(batch_id)
        rows = []
        if key is not None:
            rows = conn.execute(select(BATCHES).where(BATCHES.c.id.like(key + "%"))
                                .limit(2)).all()
        if len(rows) != 1:
            why = "ambiguous batch id prefix" if rows else "unknown batch id"
            raise NotFoundError(f"no batch with id {batch_id!r}", [ErrorDetail("id", why)])
        return _batch(rows[0])
