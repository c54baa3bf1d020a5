"""Database tables (SQLAlchemy 2). Change them only together with a migration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class RenderRow(Base):
    __tablename__ = "renders"

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(
        String(26), ForeignKey("renders.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    prompt: Mapped[str | None] = mapped_column(Text)
    instruction: Mapped[str | None] = mapped_column(Text)
    translator: Mapped[str | None] = mapped_column(String(40))
    # exact JSON text as written, so a manifest reads back byte-identical on every database
    manifest: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(1000))
    model_revision: Mapped[str | None] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[float] = mapped_column(Float)
    engine_meta: Mapped[str] = mapped_column(Text)
    sku: Mapped[str | None] = mapped_column(String(128), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    # the job that made it: unique, so a job re-run after a crash cannot store a second render
    job_id: Mapped[str | None] = mapped_column(String(26), unique=True)

    images: Mapped[list[ImageRow]] = relationship(
        back_populates="render", order_by="ImageRow.idx", cascade="all, delete-orphan",
        lazy="selectin")


class ImageRow(Base):
    __tablename__ = "render_images"

    render_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("renders.id", ondelete="CASCADE"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(500))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bit_depth: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)

    render: Mapped[RenderRow] = relationship(back_populates="images")


class PendingFileRow(Base):
    """Files being written for a render that is not committed yet. A crash leaves rows
    behind; recovery deletes those files unless their render made it into the database."""

    __tablename__ = "pending_files"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    render_id: Mapped[str] = mapped_column(String(26), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- job queue (migration 0002) ---------------------------------------------------------
# Jobs live here, not in any process: every API process and worker shares them.


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    step: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    render_id: Mapped[str | None] = mapped_column(String(26))
    error: Mapped[str | None] = mapped_column(Text)  # JSON {code, message, details}
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobEventRow(Base):
    """A job's event log, replayed to clients that connect late (ids only ever grow)."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    data: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- API keys ----------------------------------------------------------------------------
class ApiKeyRow(Base):
    """An API key: only a SHA-256 of the secret is stored; ``prefix`` identifies it."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),)

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- API rate limits (migration 0004, studioflow.api.ratelimit) -------------------------
class RateLimitRow(Base):
    """Requests of one client (an API key, or an address without one) in one fixed window:
    kept here, not in a process, so every API process counts against the same limit."""

    __tablename__ = "rate_limits"

    bucket: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False,
                                              index=True)  # epoch seconds
    hits: Mapped[int] = mapped_column(Integer)


# --- catalogue batches and brand templates (migration 0005, studioflow.batch) -------------
class TemplateRow(Base):
    """A brand kit: a saved manifest whose locked look every row of a batch shares."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("name_key", name="uq_templates_name_key"),)

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    name_key: Mapped[str] = mapped_column(String(128))  # casefolded: lookups ignore case
    manifest: Mapped[str] = mapped_column(Text)  # JSON
    source_render_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BatchRow(Base):
    """A catalogue batch: its options and the problems found in its CSV file."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str] = mapped_column(String(16))  # cli: threads in the CLI; queue: job queue
    source: Mapped[str | None] = mapped_column(String(300))
    options: Mapped[str] = mapped_column(Text)  # JSON
    issues: Mapped[str] = mapped_column(Text)  # JSON [{row, column, message, level, sku}]
    total_rows: Mapped[int] = mapped_column(Integer)
    total_items: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BatchItemRow(Base):
    """One image to make: a CSV row and variant. Its id is the render's job_id, so the
    renders table's unique job_id lets an item be rendered at most once."""

    __tablename__ = "batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "row", "variant",
                                       name="uq_batch_items_row_variant"),
                      Index("ix_batch_items_batch_status", "batch_id", "status"))

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(26),
                                          ForeignKey("batches.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)  # the CSV line the row starts on
    variant: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(BigInteger)
    manifest: Mapped[str] = mapped_column(Text)  # JSON, exactly as it will be rendered
    prompt: Mapped[str | None] = mapped_column(Text)
    translator: Mapped[str | None] = mapped_column(String(40))
    render_id: Mapped[str | None] = mapped_column(String(26))
    job_id: Mapped[str | None] = mapped_column(String(26), index=True)  # queue job, if any
    error: Mapped[str | None] = mapped_column(Text)  # JSON {code, message, details}
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BatchEventRow(Base):
    """A batch's event log for server-sent events (ids only ever grow)."""

    __tablename__ = "batch_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(
        String(26), ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(24))
    data: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
