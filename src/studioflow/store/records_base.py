"""Render records: what is stored about every render, and the store's protocol."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class ImageRef:
    index: int
    key: str  # key in the file store
    width: int
    height: int
    bit_depth: int
    sha256: str
    size_bytes: int


@dataclass
class RenderRecord:
    """One finished render: enough to reproduce it exactly."""

    id: str
    created_at: datetime
    manifest: dict[str, Any]  # upgraded to the current schema version when read
    schema_version: str  # the version it was stored with
    engine: str
    seed: int
    width: int
    height: int
    duration_ms: float
    images: list[ImageRef]
    parent_id: str | None = None
    model: str | None = None
    model_revision: str | None = None
    engine_meta: dict[str, Any] = field(default_factory=dict)
    prompt: str | None = None
    instruction: str | None = None
    translator: str | None = None
    sku: str | None = None
    job_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        return d


@dataclass(frozen=True)
class Page:
    items: list[RenderRecord]
    next_cursor: str | None


class RenderStore(Protocol):
    def add(self, record: RenderRecord) -> None:
        """Commit a record with its images (and clear its pending files) in one transaction."""

    def reserve_files(self, render_id: str, keys: list[str]) -> None: ...

    def release_files(self, keys: list[str]) -> None: ...

    def stale_files(self, older_than_s: float) -> list[tuple[str, str, bool]]: ...

    def get(self, render_id: str) -> RenderRecord: ...

    def find_by_job(self, job_id: str) -> RenderRecord | None: ...

    def resolve(self, id_or_prefix: str) -> str: ...

    def list(self, *, sku: str | None = None, q: str | None = None, limit: int = 20,
             cursor: str | None = None) -> Page: ...

    def children(self, render_id: str) -> list[RenderRecord]: ...

    def ancestors(self, render_id: str) -> list[RenderRecord]: ...
