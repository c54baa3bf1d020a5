"""Health, the manifest JSON Schema, and the engines with their status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from studioflow import __version__
from studioflow.api.deps import JobsDep, QueueDep, StudioDep
from studioflow.api.errors import documented
from studioflow.api.schemas import EngineOut, Health
from studioflow.errors import ConfigError
from studioflow.schema import load_schema

router = APIRouter(tags=["meta"])


@router.get("/healthz", response_model=Health, responses=documented(503))
def healthz(jobs: JobsDep, queue: QueueDep) -> dict[str, Any]:
    """Liveness and readiness: the database answers and the queue runs."""
    try:
        counts = jobs.counts()
    except Exception as exc:  # noqa: BLE001 - say what is down instead of a 500
        raise ConfigError(f"the database is not reachable ({type(exc).__name__})") from None
    return {"status": "ok", "version": __version__, "database": "ok",
            "queue": queue.describe(), "jobs": counts}


@router.get("/v1/schema", response_model=dict[str, Any], responses=documented())
def manifest_schema() -> JSONResponse:
    """The manifest's JSON Schema (2020-12): the one definition of a manifest."""
    return JSONResponse(load_schema(), headers={"Cache-Control": "public, max-age=300"})


@router.get("/v1/engines", response_model=list[EngineOut], responses=documented())
def engines(studio: StudioDep) -> list[dict[str, Any]]:
    """Every installed engine, what it can do, and whether it can render right now."""
    out = []
    for name, (caps, status) in studio.engines.statuses().items():
        out.append({"name": name, "label": caps.label if caps else name,
                    "default": name == studio.settings.engine,
                    "capabilities": caps.as_dict() if caps else None,
                    "installed": status.installed, "configured": status.configured,
                    "available": status.available, "reason": status.reason})
    return out
