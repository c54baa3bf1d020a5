"""Database tables (SQLAlchemy 2). Change them only together with a migration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
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
