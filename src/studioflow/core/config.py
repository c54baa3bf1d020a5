"""Settings, read once from ``STUDIOFLOW_*`` environment variables and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIOFLOW_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path.home() / ".studioflow",
                       description="Where the database and image files live.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in home.")
    storage_url: str | None = Field(None, description="Image store; default a folder in home.")
    engine: str = Field("preview", description="Engine used when a manifest names none.")
    translator: str = Field("rules", description="Translator used for text prompts.")
    max_prompt_chars: int = Field(4000, description="Longest prompt or instruction accepted.")

    # HTTP API and job queue (studioflow serve)
    host: str = Field("127.0.0.1", description="Address `studioflow serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `studioflow serve` listens on.")
    max_body_bytes: int = Field(2_000_000, ge=1024, description="Largest request body accepted.")
    queue: str = Field("inprocess", description="Job queue: inprocess (threads in the API).")
    workers: int = Field(1, ge=0, description="Render worker threads per API process (0: none).")
    max_queued: int = Field(100, ge=1, description="Queued jobs before submissions get 429.")
    job_heartbeat_s: float = Field(2.0, gt=0, description="How often running jobs heartbeat.")
    job_stale_s: float = Field(30.0, gt=0, description="Silence after which a job is re-queued.")
    job_max_attempts: int = Field(3, ge=1, description="Tries before a job that kills its worker "
                                                       "is failed.")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'studioflow.db'}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or (self.home / "images").as_uri()
