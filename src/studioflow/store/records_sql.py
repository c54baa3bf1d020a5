"""Render records in SQLite or PostgreSQL through SQLAlchemy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from studioflow.errors import ErrorDetail, InputError, NotFoundError
from studioflow.schema import upgrade
from studioflow.store.ids import normalize_id
from studioflow.store.records_base import ImageRef, Page, RenderRecord
from studioflow.store.sql_common import as_utc, dump_json
from studioflow.store.tables import ImageRow, PendingFileRow, RenderRow

MAX_LIMIT = 500


def _search_text(record: RenderRecord) -> str:
    fibo = record.manifest.get("fibo", {})
    product = record.manifest.get("product", {})
    parts = [record.prompt, record.instruction, fibo.get("short_description"), record.sku,
             product.get("name"), product.get("brand")]
    return "\n".join(p for p in parts if p).lower()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SQLRenderStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    # writing -----------------------------------------------------------------------
    # Core inserts, not the ORM's unit of work: this runs once per render on the hot path
    def add(self, record: RenderRecord) -> None:
        row = dict(
            id=record.id, parent_id=record.parent_id, created_at=record.created_at,
            prompt=record.prompt, instruction=record.instruction, translator=record.translator,
            manifest=dump_json(record.manifest), schema_version=record.schema_version,
            engine=record.engine, model=record.model, model_revision=record.model_revision,
            seed=record.seed, width=record.width, height=record.height,
            duration_ms=record.duration_ms, engine_meta=dump_json(record.engine_meta),
            sku=record.sku, search_text=_search_text(record), job_id=record.job_id,
        )
        images = [dict(render_id=record.id, idx=i.index, key=i.key, width=i.width,
                       height=i.height, bit_depth=i.bit_depth, sha256=i.sha256,
                       size_bytes=i.size_bytes) for i in record.images]
        with self._engine.begin() as conn:
            conn.execute(insert(RenderRow.__table__), row)
            if images:
                conn.execute(insert(ImageRow.__table__), images)
            conn.execute(delete(PendingFileRow.__table__)
                         .where(PendingFileRow.render_id == record.id))

    def reserve_files(self, render_id: str, keys: list[str]) -> None:
        """Note files about to be written, so a crash before ``add`` can be cleaned up."""
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(insert(PendingFileRow.__table__),
                         [dict(key=k, render_id=render_id, created_at=now) for k in keys])

    def release_files(self, keys: list[str]) -> None:
        with self._session.begin() as session:
            session.execute(delete(PendingFileRow).where(PendingFileRow.key.in_(keys)))

    def stale_files(self, older_than_s: float) -> list[tuple[str, str, bool]]:
        """Pending files older than the limit: (render_id, key, whether the render exists)."""
        cutoff = datetime.now(UTC) - timedelta(seconds=older_than_s)
        with Session(self._engine) as session:
            rows = session.execute(
                select(PendingFileRow.render_id, PendingFileRow.key, RenderRow.id)
                .outerjoin(RenderRow, RenderRow.id == PendingFileRow.render_id)
                .where(PendingFileRow.created_at < cutoff)).all()
        return [(rid, key, found is not None) for rid, key, found in rows]

    # reading -----------------------------------------------------------------------
    @staticmethod
    def _record(row: RenderRow) -> RenderRecord:
        created = as_utc(row.created_at)
        return RenderRecord(
            id=row.id, parent_id=row.parent_id, created_at=created,
            manifest=upgrade(json.loads(row.manifest)), schema_version=row.schema_version,
            engine=row.engine, model=row.model, model_revision=row.model_revision,
            seed=row.seed, width=row.width, height=row.height, duration_ms=row.duration_ms,
            engine_meta=json.loads(row.engine_meta), prompt=row.prompt,
            instruction=row.instruction, translator=row.translator, sku=row.sku,
            job_id=row.job_id,
            images=[ImageRef(index=i.idx, key=i.key, width=i.width, height=i.height,
                             bit_depth=i.bit_depth, sha256=i.sha256, size_bytes=i.size_bytes)
                    for i in row.images],
        )

    def get(self, render_id: str) -> RenderRecord:
        with Session(self._engine) as session:
            row = session.get(RenderRow, render_id)
            if row is None:
                raise NotFoundError(f"no render with id {render_id!r}",
                                    [ErrorDetail("id", "unknown render id")])
            return self._record(row)

    def find_by_job(self, job_id: str) -> RenderRecord | None:
        with Session(self._engine) as session:
            row = session.scalars(select(RenderRow).where(RenderRow.job_id == job_id)).first()
            return self._record(row) if row is not None else None

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id or a unique prefix of at least 4 characters."""
        prefix = normalize_id(id_or_prefix)
        if prefix is None:
            raise NotFoundError(f"no render with id {id_or_prefix!r}",
                                [ErrorDetail("id", "not a render id")])
        with Session(self._engine) as session:
            ids = session.scalars(
                select(RenderRow.id).where(RenderRow.id.like(prefix + "%")).limit(3)).all()
        if prefix in ids:
            return prefix
        if not ids:
            raise NotFoundError(f"no render with id {id_or_prefix!r}",
                                [ErrorDetail("id", "unknown render id")])
        if len(ids) > 1:
            raise InputError(f"render id prefix {id_or_prefix!r} is ambiguous",
                             [ErrorDetail("id", f"matches {', '.join(ids[:2])} and more")])
        return ids[0]

    def list(self, *, sku: str | None = None, q: str | None = None, limit: int = 20,
             cursor: str | None = None) -> Page:
        limit = max(1, min(int(limit), MAX_LIMIT))
        stmt = select(RenderRow).order_by(RenderRow.id.desc()).limit(limit + 1)
        if sku:
            stmt = stmt.where(RenderRow.sku == sku)
        if q:
            stmt = stmt.where(RenderRow.search_text.like(f"%{_escape_like(q.lower())}%",
                                                         escape="\\"))
        if cursor:
            cur = normalize_id(cursor)
            if cur is None:
                raise InputError("invalid cursor", [ErrorDetail("cursor", "not a cursor")])
            stmt = stmt.where(RenderRow.id < cur)
        with Session(self._engine) as session:
            rows = session.scalars(stmt).all()
            items = [self._record(r) for r in rows[:limit]]
        return Page(items, items[-1].id if len(rows) > limit else None)

    def children(self, render_id: str) -> list[RenderRecord]:
        with Session(self._engine) as session:
            rows = session.scalars(select(RenderRow).where(RenderRow.parent_id == render_id)
                                   .order_by(RenderRow.id)).all()
            return [self._record(r) for r in rows]

    def ancestors(self, render_id: str) -> list[RenderRecord]:
        """Parent, grandparent, ... up to the root (nearest first)."""
        out: list[RenderRecord] = []
        seen = {render_id}
        current = self.get(render_id).parent_id
        while current and current not in seen:
            seen.add(current)
            try:
                record = self.get(current)
            except NotFoundError:
                break
            out.append(record)
            current = record.parent_id
        return out
