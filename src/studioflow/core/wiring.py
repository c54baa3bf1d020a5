"""The one wiring point: settings in, a ready ``Studio`` out."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from studioflow.core.config import Settings
from studioflow.core.studio import Studio
from studioflow.engines import EngineRegistry
from studioflow.errors import ConfigError, ErrorDetail
from studioflow.store.db import connect, migrate
from studioflow.store.files_base import FileStore
from studioflow.store.files_local import LocalFileStore
from studioflow.store.records_sql import SQLRenderStore
from studioflow.translate import TranslatorRegistry


def open_files(url: str, settings: Settings | None = None) -> FileStore:
    """A file store from ``file:///path``, a plain path, or ``s3://bucket/prefix``."""
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return LocalFileStore(Path(unquote(parsed.path) if parsed.scheme else url))
    if parsed.scheme == "s3":
        # boto3 is the optional 's3' extra: files_s3 imports it lazily (missing_extra)
        from studioflow.store.files_s3 import S3FileStore

        settings = settings or Settings()
        return S3FileStore.from_url(
            url, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
            public_base_url=settings.public_base_url,
            presign_expires_s=settings.presign_expires_s)
    raise ConfigError(f"unsupported storage URL scheme {parsed.scheme!r}",
                      [ErrorDetail("STUDIOFLOW_STORAGE_URL",
                                   "expected a folder, file:// or s3://bucket/prefix URL")])


def open_studio(settings: Settings | None = None) -> Studio:
    settings = settings or Settings()
    db = connect(settings.resolved_database_url)
    migrate(db)
    studio = Studio(
        settings=settings,
        records=SQLRenderStore(db),
        files=open_files(settings.resolved_storage_url, settings),
        engines=EngineRegistry(settings),
        translators=TranslatorRegistry(settings),
    )
    studio.recover()
    return studio
