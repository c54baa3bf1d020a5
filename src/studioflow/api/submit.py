"""Turning render requests into job payloads, checked completely before anything is queued.

A job's payload is what the runner needs to produce the very same render on any worker and
after any restart: for a new render the manifest, the overrides and a fixed seed.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from studioflow.api.schemas import RefineIn, RenderIn
from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.prompts import clean_text
from studioflow.core.studio import Studio
from studioflow.errors import ConfigError, ErrorDetail, InputError


def require_available(studio: Studio, engine_name: str) -> None:
    """503 now rather than a failed job later when the engine cannot run."""
    status = studio.engines.require(engine_name).status()
    if not status.available:
        raise ConfigError(f"engine {engine_name!r} is not available: {status.reason}",
                          [ErrorDetail("$.render.engine", status.reason or "unavailable")])


def render_payload(studio: Studio, body: RenderIn) -> dict[str, Any]:
    if (body.prompt is None) == (body.manifest is None):
        raise InputError("give exactly one of prompt and manifest",
                         [ErrorDetail("$", "expected either prompt or manifest")],
                         http_status=422)
    overrides = RenderOverrides(
        engine=body.engine, model=body.model, seed=body.seed, width=body.width,
        height=body.height, aspect=body.aspect, steps=body.steps,
        guidance_scale=body.guidance_scale, num_images=body.num_images)
    origin: dict[str, Any] = {}
    if body.prompt is not None:
        name = body.translator or studio.settings.translator
        text = clean_text(body.prompt, studio.settings.max_prompt_chars, "prompt")
        manifest = studio.translate(text, translator=name)
        label, meta = studio.translated_by(name)
        origin = {"prompt": text, "translator": label, "meta": meta}
    else:
        manifest = body.manifest or {}
    final = studio.prepare(manifest, overrides)  # every schema and engine check, now
    require_available(studio, final["render"]["engine"])
    values = {k: v for k, v in asdict(overrides).items() if v is not None}
    values["seed"] = final["render"]["seed"]  # a re-run after a crash gives the same pixels
    return {"manifest": manifest, "overrides": values, "origin": origin}


def refine_payload(studio: Studio, render_id: str, body: RefineIn) -> dict[str, Any]:
    parent = studio.get(render_id)
    text = clean_text(body.instruction, studio.settings.max_prompt_chars, "instruction")
    name = body.translator or studio.settings.translator
    studio.translators.require(name)
    require_available(studio, parent.engine)
    return {"render_id": parent.id, "instruction": text, "seed": body.seed, "translator": name}


def rerender_payload(studio: Studio, render_id: str) -> dict[str, Any]:
    source = studio.get(render_id)
    require_available(studio, source.engine)
    return {"render_id": source.id}
