"""Sentence -> manifest, manifest checks, and compiling studio controls into FIBO text."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from starlette.concurrency import run_in_threadpool

from studioflow.api.deps import StudioDep
from studioflow.api.errors import documented
from studioflow.api.schemas import Manifest, TranslateIn, ValidationOut
from studioflow.schema import parse_json

router = APIRouter(prefix="/v1", tags=["manifests"])

# any JSON value: a list or a number is answered as an invalid manifest, not refused
_ANY_JSON_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"description": "A manifest (see /v1/schema)."}}}}}


@router.post("/translate", response_model=Manifest, responses=documented(400, 413, 422))
def translate(body: TranslateIn, studio: StudioDep) -> dict[str, Any]:
    """A manifest for a shot described in words (optionally on top of ``base``)."""
    return studio.translate(body.prompt, base=body.base, translator=body.translator)


@router.post("/validate", response_model=ValidationOut, responses=documented(400, 413),
             openapi_extra=_ANY_JSON_BODY)
async def validate(request: Request, studio: StudioDep) -> dict[str, Any]:
    """Every problem with a manifest, at JSON paths. Answers 200 for an invalid manifest
    (``valid: false``); 400 only when the body is not JSON at all."""
    manifest = parse_json(await request.body(), "request body")
    errors = await run_in_threadpool(studio.validate, manifest)
    return {"valid": not errors, "errors": [e.as_dict() for e in errors]}


@router.post("/compile", response_model=Manifest, responses=documented(400, 413, 422))
def compile_manifest(
    studio: StudioDep, manifest: Annotated[Manifest, Body(description="A manifest with controls.")]
) -> dict[str, Any]:
    """The manifest with its numeric controls compiled into FIBO's text fields."""
    return studio.compile(manifest)
