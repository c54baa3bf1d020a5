"""Jobs and their event logs in SQLite or PostgreSQL.

Every state change is one conditional UPDATE (``WHERE status = ...`` and, for a worker, ``AND
worker_id = me``) together with its event, in one transaction: two workers can never both
claim a job, and a worker that lost its job (re-queued after a stale heartbeat) cannot
overwrite what the new owner does.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from studioflow.errors import ErrorDetail, NotFoundError, QueueFullError
from studioflow.jobs.jobs_base import (
    CANCELLED,
    EV_CANCELLED,
    EV_DONE,
    EV_ERROR,
    EV_PROGRESS,
    EV_QUEUED,
    EV_STARTED,
    FAILED,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    Job,
    JobEvent,
    StepReport,
)
from studioflow.store.ids import new_id, normalize_id
from studioflow.store.sql_common import as_utc, dump_json, now_utc
from studioflow.store.tables import JobEventRow, JobRow

JOBS = JobRow.__table__
EVENTS = JobEventRow.__table__
_FINISH_EVENT = {SUCCEEDED: EV_DONE, FAILED: EV_ERROR, CANCELLED: EV_CANCELLED}








def _job(row: Any) -> Job:
    m = row._mapping
    return Job(
        id=m["id"], kind=m["kind"], payload=json.loads(m["payload"]), status=m["status"],
        created_at=as_utc(m["created_at"]), progress=m["progress"], step=m["step"],
        total=m["total"], render_id=m["render_id"],
        error=json.loads(m["error"]) if m["error"] else None, attempts=m["attempts"],
        worker_id=m["worker_id"], heartbeat_at=as_utc(m["heartbeat_at"]),
        cancel_requested=bool(m["cancel_requested"]), started_at=as_utc(m["started_at"]),
        finished_at=as_utc(m["finished_at"]),
    )


class SQLJobStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._skip_locked = engine.dialect.name == "postgresql"

    # submitting and reading ------------------------------------------------------------
    def create(self, kind: str, payload: dict[str, Any], max_queued: int | None = None,
               retry_after: float = 2.0) -> Job:
        if max_queued is not None:
            # a bound, not an exact limit: processes submitting at once may pass it together
            with self.engine.connect() as conn:
                waiting = conn.execute(select(func.count()).select_from(JOBS)
                                       .where(JOBS.c.status == QUEUED)).scalar_one()
            if waiting >= max_queued:
                raise QueueFullError(
                    f"the render queue is full ({waiting} jobs waiting)",
                    [ErrorDetail("queue", f"at most {max_queued} jobs may wait; retry later")],
                    retry_after=retry_after)
        now = now_utc()
        job_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(insert(JOBS).values(
                id=job_id, kind=kind, payload=dump_json(payload), status=QUEUED, progress=0.0,
                step=0, total=0, attempts=0, cancel_requested=False, created_at=now))
            self._event(conn, job_id, EV_QUEUED, {"kind": kind})
            return self._get(conn, job_id)

    def get(self, job_id: str) -> Job:
        with self.engine.connect() as conn:
            return self._get(conn, job_id)

    def events(self, job_id: str, after: int = 0, limit: int = 500) -> list[JobEvent]:
        stmt = (select(EVENTS).where(EVENTS.c.job_id == job_id, EVENTS.c.id > after)
                .order_by(EVENTS.c.id).limit(limit))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [JobEvent(r.id, r.job_id, r.type, json.loads(r.data), as_utc(r.created_at))
                for r in rows]

    def counts(self) -> dict[str, int]:
        stmt = select(JOBS.c.status, func.count()).group_by(JOBS.c.status)
        with self.engine.connect() as conn:
            return {status: n for status, n in conn.execute(stmt).all()}

    # workers --------------------------------------------------------------------------
    def claim_next(self, worker_id: str) -> Job | None:
        """The oldest queued job, now running for ``worker_id``; ``None`` when none waits."""
        for _ in range(8):  # another worker may win the race for a row: try the next one
            with self.engine.begin() as conn:
                stmt = (select(JOBS.c.id).where(JOBS.c.status == QUEUED)
                        .order_by(JOBS.c.id).limit(1))
                if self._skip_locked:
                    stmt = stmt.with_for_update(skip_locked=True)
                job_id = conn.execute(stmt).scalar()
                if job_id is None:
                    return None
                job = self._claim(conn, job_id, worker_id)
                if job is not None:
                    return job
        return None

    def claim(self, job_id: str, worker_id: str) -> Job | None:
        """Claim one given job (a worker told which job to run); ``None`` if not queued."""
        with self.engine.begin() as conn:
            return self._claim(conn, job_id, worker_id)

    def _claim(self, conn: Connection, job_id: str, worker_id: str) -> Job | None:
        now = now_utc()
        result = conn.execute(
            update(JOBS).where(JOBS.c.id == job_id, JOBS.c.status == QUEUED)
            .values(status=RUNNING, worker_id=worker_id, attempts=JOBS.c.attempts + 1,
                    started_at=now, heartbeat_at=now, progress=0.0, step=0, total=0))
        if result.rowcount != 1:
            return None
        job = self._get(conn, job_id)
        self._event(conn, job_id, EV_STARTED, {"attempt": job.attempts})
        return job

    def report(self, job_id: str, worker_id: str, steps: list[StepReport]) -> bool:
        """Store buffered steps (one event each) and the latest progress; True = stop."""
        now = now_utc()
        last = steps[-1]
        with self.engine.begin() as conn:
            result = conn.execute(
                self._mine(job_id, worker_id)
                .values(step=last.step, total=last.total, heartbeat_at=now,
                        progress=min(1.0, last.step / last.total) if last.total else 0.0))
            if result.rowcount != 1:
                return True  # not ours any more: stop working on it
            conn.execute(insert(EVENTS), [
                {"job_id": job_id, "type": EV_PROGRESS, "created_at": now, "data": dump_json({
                    "step": s.step, "total": s.total, "message": s.message,
                    "progress": min(1.0, s.step / s.total) if s.total else 0.0})}
                for s in steps])
            return self._cancel_requested(conn, job_id)

    def heartbeat(self, job_id: str, worker_id: str) -> bool:
        """Note that the worker is alive; True = stop (cancel requested or job lost)."""
        with self.engine.begin() as conn:
            result = conn.execute(self._mine(job_id, worker_id).values(heartbeat_at=now_utc()))
            if result.rowcount != 1:
                return True
            return self._cancel_requested(conn, job_id)

    def finish(self, job_id: str, worker_id: str, status: str, render_id: str | None = None,
               error: dict[str, Any] | None = None) -> Job:
        now = now_utc()
        values: dict[str, Any] = {"status": status, "finished_at": now, "heartbeat_at": now,
                                  "render_id": render_id,
                                  "error": dump_json(error) if error else None}
        if status == SUCCEEDED:
            values["progress"] = 1.0
        with self.engine.begin() as conn:
            if conn.execute(self._mine(job_id, worker_id).values(**values)).rowcount == 1:
                data = ({"render_id": render_id} if status == SUCCEEDED
                        else error if status == FAILED else {})
                self._event(conn, job_id, _FINISH_EVENT[status], data or {})
            return self._get(conn, job_id)

    def requeue(self, job_id: str, worker_id: str, reason: str) -> Job:
        """Give a job back (the worker is shutting down); another worker starts it over."""
        with self.engine.begin() as conn:
            result = conn.execute(self._mine(job_id, worker_id)
                                  .values(status=QUEUED, worker_id=None, heartbeat_at=None))
            if result.rowcount == 1:
                self._event(conn, job_id, EV_QUEUED, {"reason": reason})
            return self._get(conn, job_id)

    # anyone -------------------------------------------------------------------------------
    def request_cancel(self, job_id: str) -> Job:
        """Cancel a queued job now; flag a running one for its worker, wherever it runs."""
        now = now_utc()
        with self.engine.begin() as conn:
            job = self._get(conn, job_id)  # 404 before anything else
            queued = conn.execute(
                update(JOBS).where(JOBS.c.id == job.id, JOBS.c.status == QUEUED)
                .values(status=CANCELLED, cancel_requested=True, finished_at=now))
            if queued.rowcount == 1:
                self._event(conn, job.id, EV_CANCELLED, {"reason": "cancelled before it started"})
            else:
                conn.execute(update(JOBS).where(JOBS.c.id == job.id, JOBS.c.status == RUNNING)
                             .values(cancel_requested=True))
            return self._get(conn, job.id)

    def requeue_stale(self, stale_after_s: float) -> list[str]:
        """Running jobs whose worker fell silent go back to the queue (or are cancelled,
        if that was asked). Returns their ids."""
        cutoff = now_utc() - timedelta(seconds=stale_after_s)
        stale = (JOBS.c.status == RUNNING, JOBS.c.heartbeat_at < cutoff)
        with self.engine.connect() as conn:
            rows = conn.execute(select(JOBS.c.id, JOBS.c.cancel_requested).where(*stale)).all()
        moved = []
        for job_id, cancel in rows:
            with self.engine.begin() as conn:
                values = ({"status": CANCELLED, "finished_at": now_utc()} if cancel
                          else {"status": QUEUED, "worker_id": None, "heartbeat_at": None})
                result = conn.execute(update(JOBS).where(JOBS.c.id == job_id, *stale)
                                      .values(**values))
                if result.rowcount == 1:
                    self._event(conn, job_id, EV_CANCELLED if cancel else EV_QUEUED,
                                {"reason": "its worker stopped responding"})
                    moved.append(job_id)
        return moved

    # helpers --------------------------------------------------------------------------
    @staticmethod
    def _mine(job_id: str, worker_id: str):
        return update(JOBS).where(JOBS.c.id == job_id, JOBS.c.worker_id == worker_id,
                                  JOBS.c.status == RUNNING)

    @staticmethod
    def _cancel_requested(conn: Connection, job_id: str) -> bool:
        return bool(conn.execute(select(JOBS.c.cancel_requested)
                                 .where(JOBS.c.id == job_id)).scalar())

    @staticmethod
    def _event(conn: Connection, job_id: str, kind: str, data: dict[str, Any]) -> None:
        conn.execute(insert(EVENTS).values(job_id=job_id, type=kind, data=dump_json(data),
                                           created_at=now_utc()))

    @staticmethod
    def _get(conn: Connection, job_id: str) -> Job:
        key = normalize_id(job_id)
        row = None
        if key is not None and len(key) == 26:
            row = conn.execute(select(JOBS).where(JOBS.c.id == key)).first()
        if row is None:
            raise NotFoundError(f"no job with id {job_id!r}", [ErrorDetail("id", "unknown job id")])
        return _job(row)
