"""Records and jobs as the API shows them: plain dicts matching ``schemas``, with links."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from studioflow.api.deps import url
from studioflow.core.studio import LineageNode, Studio
from studioflow.jobs.jobs_base import Job
from studioflow.store.records_base import ImageRef, RenderRecord


def engine_label(studio: Studio, engine: str) -> str:
    try:
        return studio.engines.capabilities(engine).label
    except Exception:  # noqa: BLE001 - an engine uninstalled since: its name will do
        return engine


def image_url(request: Request, render_id: str, index: int = 0) -> str:
    return url(request, f"/v1/renders/{render_id}/image?index={index}")


def image_link(request: Request, studio: Studio, render_id: str, image: ImageRef) -> str:
    """Where clients fetch an image: straight from a remote store (a presigned S3 URL or a
    CDN URL, sparing the API the bytes), else this API's image route."""
    if studio.files.local_path(image.key) is None:
        return studio.files.url(image.key)
    return image_url(request, render_id, image.index)


def render_view(request: Request, studio: Studio, record: RenderRecord) -> dict[str, Any]:
    base = f"/v1/renders/{record.id}"
    return {
        "id": record.id, "parent_id": record.parent_id, "created_at": record.created_at,
        "engine": record.engine, "engine_label": engine_label(studio, record.engine),
        "model": record.model, "model_revision": record.model_revision, "seed": record.seed,
        "width": record.width, "height": record.height, "duration_ms": record.duration_ms,
        "schema_version": record.schema_version, "prompt": record.prompt,
        "instruction": record.instruction, "translator": record.translator, "sku": record.sku,
        "job_id": record.job_id, "manifest": record.manifest, "engine_meta": record.engine_meta,
        "images": [{"index": i.index, "width": i.width, "height": i.height,
                    "bit_depth": i.bit_depth, "sha256": i.sha256, "size_bytes": i.size_bytes,
                    "url": image_link(request, studio, record.id, i)} for i in record.images],
        "links": {"self": url(request, base), "lineage": url(request, base + "/lineage"),
                  "image": image_url(request, record.id),  # streams from any store
                  "refine": url(request, base + "/refine"),
                  "rerender": url(request, base + "/rerender")},
    }


def lineage_view(request: Request, studio: Studio, node: LineageNode) -> dict[str, Any]:
    r = node.record
    return {"id": r.id, "parent_id": r.parent_id, "created_at": r.created_at,
            "prompt": r.prompt, "instruction": r.instruction, "engine": r.engine,
            "seed": r.seed,
            "image_url": image_link(request, studio, r.id, r.images[0]) if r.images else None,
            "children": [lineage_view(request, studio, c) for c in node.children]}


def job_links(request: Request, job_id: str, render_id: str | None = None) -> dict[str, str]:
    base = f"/v1/jobs/{job_id}"
    links = {"job": url(request, base), "events": url(request, base + "/events"),
             "cancel": url(request, base)}
    if render_id:
        links["render"] = url(request, f"/v1/renders/{render_id}")
    return links


def job_view(request: Request, job: Job) -> dict[str, Any]:
    return {**job.as_dict(), "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at, "links": job_links(request, job.id, job.render_id)}


def accepted_view(request: Request, job: Job) -> dict[str, Any]:
    return {"job_id": job.id, "kind": job.kind, "status": job.status,
            "links": job_links(request, job.id)}
