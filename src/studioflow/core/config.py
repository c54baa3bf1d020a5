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
    queue: str = Field("inprocess", description="Job queue: inprocess (threads in the API) "
                                                 "or celery (studioflow worker).")
    workers: int = Field(1, ge=0, description="Render worker threads per API process (0: none).")
    max_queued: int = Field(100, ge=1, description="Queued jobs before submissions get 429.")
    job_heartbeat_s: float = Field(2.0, gt=0, description="How often running jobs heartbeat.")
    job_stale_s: float = Field(30.0, gt=0, description="Silence after which a job is re-queued.")
    job_max_attempts: int = Field(3, ge=1, description="Tries before a job that kills its worker "
                                                       "is failed.")

    # Celery queue (STUDIOFLOW_QUEUE=celery, `studioflow worker`; docs/scaling.md)
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Celery broker (Redis).")
    redis_prefix: str = Field("studioflow:", description="Prefix of every Redis key, so one "
                                                         "Redis can serve several StudioFlows.")
    celery_queue: str = Field("studioflow", description="Celery queue render jobs are sent to.")
    celery_visibility_timeout_s: float = Field(
        600.0, gt=0, description="Seconds before Redis hands an unacknowledged job message to "
                                  "another worker (jobs of live workers are never run twice).")

    # S3 image storage (STUDIOFLOW_STORAGE_URL=s3://bucket/prefix; docs/storage.md).
    # Credentials come from boto3's chain (AWS_ACCESS_KEY_ID ...), never from here.
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint (MinIO, "
                                                          "SeaweedFS, R2); empty for AWS S3.")
    s3_region: str | None = Field(None, description="The bucket's region; default AWS_REGION.")
    public_base_url: str | None = Field(None, description="CDN URL serving the storage URL's "
                                                          "root: image links use it.")
    presign_expires_s: int = Field(3600, ge=1, le=604800, description="Lifetime of presigned "
                                                                      "image links.")

    # LLM translators and Inspire (docs/translators.md). Provider keys come from the
    # providers' own variables (OPENAI_API_KEY, ANTHROPIC_API_KEY ...), never from here.
    llm_model: str | None = Field(None, description="Model of the LLM translator; default "
                                                    "per backend.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Longest wait for one LLM answer (s).")
    llm_max_attempts: int = Field(2, ge=1, le=5, description="Tries per LLM call on 429/5xx.")
    llm_controls: bool = Field(True, description="Ask LLMs for numeric studio controls too.")
    translator_fallback: str | None = Field(None, description="Translator used when an LLM "
                                                              "translator fails ('rules'); "
                                                              "off by default.")
    vlm_model_path: Path | None = Field(None, description="Folder of a local FIBO-VLM style "
                                                          "model (local-vlm translator).")
    max_image_pixels: int = Field(40_000_000, ge=1, description="Largest image (pixels) "
                                                                "Inspire decodes.")

    # API security (docs/security.md); max_image_pixels above also bounds every upload
    require_api_key: bool = Field(False, description="Require an API key on /v1 on loopback "
                                                     "too (beyond loopback it always is).")
    cors_origins: str = Field("", description="Comma-separated browser origins allowed to call "
                                              "the API (CORS); none by default; '*' for any.")
    allowed_hosts: str = Field("", description="Comma-separated Host names browsers may use for "
                                               "key-less calls besides loopback ones.")
    rate_limit_per_minute: int = Field(120, ge=0, description="Requests per minute per API key "
                                                              "without its own limit (0: none).")
    anonymous_rate_limit_per_minute: int = Field(0, ge=0, description="Requests per minute per "
                                                 "client without a key (0: none).")
    max_render_width: int = Field(8192, ge=16, description="Widest image a render may ask for.")
    max_render_height: int = Field(8192, ge=16, description="Tallest image a render may ask for.")
    max_render_pixels: int = Field(4096 * 4096, ge=256, description="Most pixels per image a "
                                                                   "render may ask for.")

    # catalogue batches (studioflow batch, /v1/batches; docs/batch.md)
    batch_reference_dir: Path | None = Field(None, description="The only folder reference "
                                             "images and manifest files of batch rows may "
                                             "come from (unset: none are read).")
    batch_allow_urls: bool = Field(False, description="Let batch rows give reference images "
                                                      "as http(s) URLs (public addresses only).")
    batch_max_rows: int = Field(100_000, ge=1, description="Most data rows in one batch CSV.")
    batch_max_image_bytes: int = Field(20_000_000, ge=1024, description="Largest reference "
                                                                        "image file (bytes).")
    batch_in_flight: int = Field(16, ge=1, description="Items of one batch queued or running "
                                                       "in the job queue at a time (API).")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'studioflow.db'}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or (self.home / "images").as_uri()
