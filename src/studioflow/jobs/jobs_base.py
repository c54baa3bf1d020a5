"""Jobs: what a queued render is, its life cycle, and the protocols of its store and queue.

A job is submitted by an API process, claimed by exactly one worker (a thread in some API
process, or a separate worker process), and reports progress as events in the database.
Nothing about a job lives only in memory, so any process can show or cancel any job.

    queued -> running -> succeeded | failed | cancelled
      ^          |
      +----------+   re-queued when its worker dies (stale heartbeat) or shuts down
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELLED})

KINDS = ("render", "refine", "rerender", "batch_item")  # batch_item: studioflow.batch

# event types, in the order a client sees them
EV_QUEUED = "queued"
EV_STARTED = "started"
EV_PROGRESS = "progress"
EV_DONE = "done"
EV_ERROR = "error"
EV_CANCELLED = "cancelled"
TERMINAL_EVENTS = frozenset({EV_DONE, EV_ERROR, EV_CANCELLED})


@dataclass
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    status: str
    created_at: datetime
    progress: float = 0.0
    step: int = 0
    total: int = 0
    render_id: str | None = None
    error: dict[str, Any] | None = None  # {code, message, details}
    attempts: int = 0
    worker_id: str | None = None
    heartbeat_at: datetime | None = None
    cancel_requested: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL

    def as_dict(self) -> dict[str, Any]:
        """The public view (the payload stays internal)."""
        return {
            "id": self.id, "kind": self.kind, "status": self.status,
            "progress": self.progress, "step": self.step, "total": self.total,
            "render_id": self.render_id, "error": self.error, "attempts": self.attempts,
            "cancel_requested": self.cancel_requested,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


@dataclass(frozen=True)
class JobEvent:
    id: int  # grows across all jobs: a client resumes "after id N"
    job_id: str
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True)
class StepReport:
    """One engine step, as buffered by the runner between two writes."""

    step: int
    total: int
    message: str = ""


class JobStore(Protocol):
    """Persistence shared by every queue kind (see ``jobs_sql.SQLJobStore``)."""

    def create(self, kind: str, payload: dict[str, Any], max_queued: int | None = None,
               retry_after: float = 2.0) -> Job: ...

    def get(self, job_id: str) -> Job: ...

    def events(self, job_id: str, after: int = 0, limit: int = 500) -> list[JobEvent]: ...

    def claim_next(self, worker_id: str) -> Job | None: ...

    def claim(self, job_id: str, worker_id: str) -> Job | None: ...

    def report(self, job_id: str, worker_id: str, steps: list[StepReport]) -> bool: ...

    def heartbeat(self, job_id: str, worker_id: str) -> bool: ...

    def finish(self, job_id: str, worker_id: str, status: str, render_id: str | None = None,
               error: dict[str, Any] | None = None) -> Job: ...

    def requeue(self, job_id: str, worker_id: str, reason: str) -> Job: ...

    def request_cancel(self, job_id: str) -> Job: ...

    def requeue_stale(self, stale_after_s: float) -> list[str]: ...

    def counts(self) -> dict[str, int]: ...


class JobQueue(Protocol):
    """What the routes use. A queue kind only decides who runs ``runner.run_job`` and when;
    jobs, progress and events always go through the shared ``store``."""

    kind: str
    store: JobStore

    def submit(self, kind: str, payload: dict[str, Any]) -> Job:
        """Persist a job (``QueueFullError`` past the bound) and get it run."""

    def cancel(self, job_id: str) -> Job:
        """Cancel a queued job now, or ask its worker (in any process) to stop it."""

    def start(self) -> None: ...

    def stop(self, timeout: float = 10.0) -> None: ...

    def describe(self) -> dict[str, Any]: ...
