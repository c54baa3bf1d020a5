"""Renders: submitting render / refine / rerender jobs, and reading the history.

Submissions are checked completely before anything is queued (a bad request is a 4xx with
details, never a failed job) and answered 202 with the job's links. ``GET
/v1/renders/{id}/export`` converts an image to another format (``studioflow.export``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from studioflow.api import submit
from studioflow.api.deps import QueueDep, StudioDep
from studioflow.api.errors import documented
from studioflow.api.schemas import (
    ChangeOut,
    JobAccepted,
    LineageOut,
    RefineIn,
    RenderIn,
    RenderOut,
    RenderPage,
)
from studioflow.api.views import accepted_view, lineage_view, render_view
from studioflow.errors import ErrorDetail, NotFoundError
from studioflow.export.exporter import export_image
from studioflow.export.formats import (
    FORMATS,
    JPEG_QUALITY,
    WEBP_QUALITY,
    ExportFormatName,
    ExportOptions,
)
from studioflow.jobs.jobs_base import Job

router = APIRouter(prefix="/v1/renders", tags=["renders"])

_SUBMIT_ERRORS = documented(400, 404, 413, 422, 429, 503)
_READ_ERRORS = documented(400, 404, 422)
# renders never change, so their images can be cached for good
_IMMUTABLE = "public, max-age=31536000, immutable"


def _accepted(request: Request, job: Job) -> JSONResponse:
    body = accepted_view(request, job)
    return JSONResponse(body, status_code=202, headers={"Location": body["links"]["job"]})


# submitting --------------------------------------------------------------------------------
@router.post("", status_code=202, response_model=JobAccepted, responses=_SUBMIT_ERRORS)
def submit_render(body: RenderIn, request: Request, studio: StudioDep,
                  queue: QueueDep) -> JSONResponse:
    """Queue a render of a prompt or a manifest; follow it at the returned job links."""
    return _accepted(request, queue.submit("render", submit.render_payload(studio, body)))


@router.post("/{render_id}/refine", status_code=202, response_model=JobAccepted,
             responses=_SUBMIT_ERRORS)
def submit_refine(render_id: str, body: RefineIn, request: Request, studio: StudioDep,
                  queue: QueueDep) -> JSONResponse:
    """Queue a new render changed by an instruction; its parent is ``render_id``."""
    payload = submit.refine_payload(studio, render_id, body)
    return _accepted(request, queue.submit("refine", payload))


@router.post("/{render_id}/rerender", status_code=202, response_model=JobAccepted,
             responses=_SUBMIT_ERRORS)
def submit_rerender(render_id: str, request: Request, studio: StudioDep,
                    queue: QueueDep) -> JSONResponse:
    """Queue an exact reproduction (same manifest, seed and engine)."""
    return _accepted(request, queue.submit("rerender", submit.rerender_payload(studio, render_id)))


# reading -----------------------------------------------------------------------------------
@router.get("", response_model=RenderPage, responses=_READ_ERRORS)
def list_renders(request: Request, studio: StudioDep,
                 sku: str | None = Query(None, max_length=128),
                 q: str | None = Query(None, max_length=200, description="Text search."),
                 limit: int = Query(20, ge=1, le=200),
                 cursor: str | None = Query(None, max_length=26,
                                            description="next_cursor of the previous page.")
                 ) -> dict[str, Any]:
    """Newest first."""
    page = studio.history(sku=sku, q=q, limit=limit, cursor=cursor)
    return {"items": [render_view(request, studio, r) for r in page.items],
            "next_cursor": page.next_cursor}


@router.get("/{render_id}", response_model=RenderOut, responses=_READ_ERRORS)
def get_render(render_id: str, request: Request, studio: StudioDep) -> dict[str, Any]:
    """The full record (``render_id`` may be a unique prefix of at least 4 characters)."""
    return render_view(request, studio, studio.get(render_id))


@router.get("/{render_id}/image", response_class=Response, responses={
    **_READ_ERRORS, 200: {"content": {"image/png": {}}, "description": "The PNG, with the "
                          "manifest and provenance embedded in it."},
    304: {"description": "Not modified (If-None-Match)"}})
def get_image(render_id: str, request: Request, studio: StudioDep,
              index: int = Query(0, ge=0, le=63)) -> Response:
    record = studio.get(render_id)
    image = next((i for i in record.images if i.index == index), None)
    if image is None:
        raise NotFoundError(f"render {record.id} has no image {index}",
                            [ErrorDetail("query.index", f"expected 0-{len(record.images) - 1}")])
    etag = f'"{image.sha256}"'
    headers = {"ETag": etag, "Cache-Control": _IMMUTABLE}
    wanted = request.headers.get("if-none-match", "")
    if etag in wanted or wanted.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(studio.files.get(image.key), media_type="image/png", headers=headers)


@router.get("/{render_id}/lineage", response_model=LineageOut, responses=_READ_ERRORS)
def get_lineage(render_id: str, request: Request, studio: StudioDep) -> dict[str, Any]:
    """The render's whole family tree, from its root."""
    return lineage_view(request, studio, studio.lineage(render_id))


@router.get("/{a}/diff/{b}", response_model=list[ChangeOut], responses=_READ_ERRORS)
def diff_renders(a: str, b: str, studio: StudioDep) -> list[dict[str, Any]]:
    """What changed from render ``a`` to render ``b``, leaf by leaf at JSON paths."""
    return [c.as_dict() for c in studio.diff(a, b)]


# exports -----------------------------------------------------------------------------------
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_CHUNK = 1 << 20


@router.get("/{render_id}/export", response_class=StreamingResponse, responses={
    **documented(400, 404, 422, 503, streaming=True),  # 503: the export extra is missing
    200: {"content": {t: _BINARY for t in sorted({f.media_type for f in FORMATS.values()})},
          "description": "The image in the asked format, with the render's provenance "
                         "(manifest, seed, engine, model, ids, time) embedded as XMP and "
                         "the format's own metadata; named in Content-Disposition."}})
def export_render(render_id: str, studio: StudioDep,
                  format_name: Annotated[ExportFormatName, Query(
                      alias="format", description="The file format.")],
                  index: int = Query(0, ge=0, description="Which image of the render."),
                  quality: int | None = Query(None, ge=1, le=100, description=(
                      f"jpeg and webp only (defaults {JPEG_QUALITY} and {WEBP_QUALITY}).")),
                  lossless: bool = Query(False, description="webp only.")) -> StreamingResponse:
    """One image of a render as png, png16, jpeg, webp, tiff (16-bit) or exr (linear)."""
    exported = export_image(studio, render_id, format_name.value, index,
                            ExportOptions(quality=quality, lossless=lossless), where="query.")
    data = memoryview(exported.data)
    chunks = (data[i:i + _CHUNK] for i in range(0, len(data), _CHUNK))
    return StreamingResponse(chunks, media_type=exported.media_type, headers={
        "Content-Length": str(len(data)),
        "Content-Disposition": f'attachment; filename="{exported.filename}"'})
