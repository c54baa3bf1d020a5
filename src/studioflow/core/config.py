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

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'studioflow.db'}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or (self.home / "images").as_uri()
