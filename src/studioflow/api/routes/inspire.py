"""POST /v1/inspire: a manifest from an uploaded reference image (multipart)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from studioflow.api.deps import StudioDep
from studioflow.api.errors import documented
from studioflow.api.schemas import Manifest

router = APIRouter(prefix="/v1", tags=["manifests"])


@router.post("/inspire", response_model=Manifest,
             responses=documented(400, 413, 422, 502, 503, 504))
async def inspire(
    studio: StudioDep,
    image: Annotated[UploadFile, File(description="Reference image (PNG, JPEG, WebP ...).")],
    prompt: Annotated[str | None, Form(description="What the image cannot say: the "
                                                   "product, props, changes.")] = None,
    translator: Annotated[str | None, Form(description="A vision translator reads the image "
                                                       "itself; others get the embedded "
                                                       "analyser's findings.")] = None,
) -> dict[str, Any]:
    """A manifest for a shot in the reference image's look. Uploads are checked before
    decoding (format, pixel count: STUDIOFLOW_MAX_IMAGE_PIXELS; body size:
    STUDIOFLOW_MAX_BODY_BYTES)."""
    from studioflow.translate.inspire import inspire_manifest

    data = await image.read()
    result = await run_in_threadpool(inspire_manifest, studio.translators, studio.settings,
                                     data, prompt or None, translator or None)
    return result.manifest
