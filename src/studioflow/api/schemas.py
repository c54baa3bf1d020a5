"""Request and response models of the HTTP API.

Manifests are free JSON objects here on purpose: their one definition is the JSON Schema
served at ``/v1/schema``, and the routes validate them against it (with the engine's
capabilities), reporting problems at JSON paths inside the manifest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from studioflow.core.orchestrator import SEED_MAX

Manifest = dict[str, Any]
JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class _Request(BaseModel):
    # a misspelt option is an error, not a no-op; `true` is not a number of images
    model_config = ConfigDict(extra="forbid", strict=True)


# errors ------------------------------------------------------------------------------------
class ErrorDetailOut(BaseModel):
    path: str = Field(description="Where: a JSON path such as $.render.width, or a parameter.")
    message: str


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_manifest.")
    message: str
    details: list[ErrorDetailOut] = []


class ErrorBody(BaseModel):
    error: ErrorInfo


# meta --------------------------------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
    queue: dict[str, Any]
    jobs: dict[str, int]


class EngineOut(BaseModel):
    name: str
    label: str = Field(description="Shown next to every image the engine made.")
    default: bool
    capabilities: dict[str, Any] | None
    installed: bool
    configured: bool
    available: bool
    reason: str | None = Field(description="Why it is not available, and what to do.")


# manifests ---------------------------------------------------------------------------------
class TranslateIn(_Request):
    prompt: str = Field(description="The shot in words.")
    base: Manifest | None = Field(None, description="A manifest to start from.")
    translator: str | None = None


class ValidationOut(BaseModel):
    valid: bool
    errors: list[ErrorDetailOut]


# renders and jobs --------------------------------------------------------------------------
class RenderIn(_Request):
    """Exactly one of ``prompt`` and ``manifest``; the other fields override the manifest's
    ``render`` section. Engine limits (sizes, steps) are checked against the manifest."""

    prompt: str | None = None
    manifest: Manifest | None = None
    translator: str | None = Field(None, description="Translator for the prompt.")
    engine: str | None = None
    model: str | None = Field(None, max_length=1000)
    seed: int | None = Field(None, ge=0, le=SEED_MAX)
    width: int | None = Field(None, ge=1, le=65536)
    height: int | None = Field(None, ge=1, le=65536)
    aspect: str | None = Field(None, max_length=20, examples=["4:5"])
    steps: int | None = Field(None, ge=1, le=1000)
    guidance_scale: float | None = Field(None, ge=0, le=100)
    num_images: int | None = Field(None, ge=1, le=64)


class RefineIn(_Request):
    instruction: str = Field(description="What to change, in words.")
    seed: int | None = Field(None, ge=0, le=SEED_MAX, description="Default: the parent's.")
    translator: str | None = None


class JobAccepted(BaseModel):
    job_id: str
    kind: str
    status: JobStatus
    links: dict[str, str] = Field(description="job, events (SSE) and cancel URLs.")


class JobOut(BaseModel):
    id: str
    kind: str
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    step: int
    total: int
    render_id: str | None
    error: ErrorInfo | None
    attempts: int
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    links: dict[str, str]


class ImageOut(BaseModel):
    index: int
    width: int
    height: int
    bit_depth: int
    sha256: str = Field(description="Digest of the pixels (also the image's ETag).")
    size_bytes: int
    url: str


class RenderOut(BaseModel):
    id: str
    parent_id: str | None
    created_at: datetime
    engine: str
    engine_label: str
    model: str | None
    model_revision: str | None
    seed: int
    width: int
    height: int
    duration_ms: float
    schema_version: str
    prompt: str | None
    instruction: str | None
    translator: str | None
    sku: str | None
    job_id: str | None
    manifest: Manifest
    engine_meta: dict[str, Any]
    images: list[ImageOut]
    links: dict[str, str]


class RenderPage(BaseModel):
    items: list[RenderOut]
    next_cursor: str | None


class LineageOut(BaseModel):
    id: str
    parent_id: str | None
    created_at: datetime
    prompt: str | None
    instruction: str | None
    engine: str
    seed: int
    image_url: str | None
    children: list[LineageOut]


class ChangeOut(BaseModel):
    path: str
    kind: Literal["added", "removed", "changed"]
    before: Any = None
    after: Any = None
