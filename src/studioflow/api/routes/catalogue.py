"""What a batch can be given: the saved templates and the marketplace presets (read-only).

The web studio's batch form offers these as choices instead of free text; the CLI has
``studioflow template list`` and ``studioflow presets`` for the same.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from studioflow.api.deps import StudioDep, batch_store
from studioflow.api.errors import documented
from studioflow.batch.presets import PRESETS, Preset, fit_size
from studioflow.batch.templates import TemplateStore
from studioflow.core.colors import hex_to_name
from studioflow.core.studio import Studio
from studioflow.engines import Capabilities
from studioflow.errors import ErrorDetail, InputError
from studioflow.schema import default_for

router = APIRouter(prefix="/v1", tags=["batches"])
SUMMARY_WORDS = 6  # of a free-text backdrop or lighting description


# models ------------------------------------------------------------------------------------
class TemplateOut(BaseModel):
    name: str
    created_at: datetime
    updated_at: datetime
    source_render_id: str | None = Field(description="The render it was saved from, if any.")
    summary: str = Field(description="Its look in a few words: backdrop, lights, lens, "
                                     "size.", examples=["white sweep · key + fill light · "
                                                        "85 mm · 1024×1024"])


class TemplatePage(BaseModel):
    items: list[TemplateOut] = Field(description="Every template, by name.")


class PresetOut(BaseModel):
    name: str = Field(examples=["amazon-main"])
    title: str = Field(examples=["Amazon main image"])
    width: int = Field(description="Width the engine renders (nominal size on its size grid).")
    height: int
    aspect: str = Field(description="Of the nominal size.", examples=["4:5"])
    nominal_width: int = Field(description="The marketplace's own size.")
    nominal_height: int
    rules: list[str] = Field(description="Size, background and content rules it applies.")
    source: str = Field(description="Where the rules come from (check before a launch).")


class PresetPage(BaseModel):
    engine: str = Field(description="The engine whose size grid width and height are on.")
    items: list[PresetOut]


# summaries ---------------------------------------------------------------------------------
def _words(text: Any, limit: int = SUMMARY_WORDS) -> str | None:
    """The first clause of a FIBO text, at most ``limit`` words."""
    if not isinstance(text, str) or not text.strip():
        return None
    clause = text.replace(";", ",").split(",")[0].split()
    return " ".join(clause[:limit]) + ("…" if len(clause) > limit else "")


def _backdrop(manifest: dict[str, Any]) -> str | None:
    background = (manifest.get("controls") or {}).get("background")
    if not isinstance(background, dict):
        return _words(manifest["fibo"].get("background_setting"))
    if background.get("style") == "scene" and background.get("description"):
        return _words(background["description"])
    color = background.get("color") or default_for("controls.background.color")
    style = background.get("style") or default_for("controls.background.style")
    surface = f" on {background['surface']}" if background.get("surface") else ""
    return f"{hex_to_name(color)} {style}{surface}"


def _lights(manifest: dict[str, Any]) -> str | None:
    lights = (manifest.get("controls") or {}).get("lights")
    if not isinstance(lights, list):
        lighting = manifest["fibo"].get("lighting") or {}
        return _words(lighting.get("direction")) or _words(lighting.get("conditions"))
    roles = [light.get("role", "light") for light in lights]
    if not roles:
        return "no studio lights"
    return " + ".join(roles) + (" light" if len(roles) == 1 else " lights")


def template_summary(manifest: dict[str, Any]) -> str:
    """A few words on a template's look: backdrop, lights, lens and size."""
    camera = (manifest.get("controls") or {}).get("camera") or {}
    render = manifest.get("render") or {}
    lens = f"{camera['focal_length_mm']:g} mm" if camera.get("focal_length_mm") else None
    size = (f"{render['width']}×{render['height']}" if render.get("width")
            and render.get("height") else render.get("aspect"))
    parts = [_backdrop(manifest), _lights(manifest), lens, size]
    return " · ".join(p for p in parts if p)


def _aspect(width: int, height: int) -> str:
    common = math.gcd(width, height)
    return f"{width // common}:{height // common}"


def preset_view(preset: Preset, caps: Capabilities) -> dict[str, Any]:
    width, height = fit_size(preset.width, preset.height, caps)
    return {"name": preset.name, "title": preset.label, "width": width, "height": height,
            "aspect": _aspect(preset.width, preset.height), "nominal_width": preset.width,
            "nominal_height": preset.height, "rules": list(preset.rules),
            "source": preset.source}


def _capabilities(studio: Studio, name: str) -> Capabilities:
    try:
        return studio.engines.capabilities(name)
    except KeyError:
        raise InputError(f"unknown engine {name!r}",
                         [ErrorDetail("query.engine", "installed engines: "
                                      f"{', '.join(studio.engines.names())}")],
                         http_status=422) from None


# routes ------------------------------------------------------------------------------------
@router.get("/templates", response_model=TemplatePage, responses=documented())
def list_templates(request: Request) -> dict[str, Any]:
    """The saved templates (brand kits) a batch can use, by name."""
    templates = TemplateStore(batch_store(request.app).engine).list()
    return {"items": [{"name": t.name, "created_at": t.created_at, "updated_at": t.updated_at,
                       "source_render_id": t.source_render_id,
                       "summary": template_summary(t.manifest)} for t in templates]}


@router.get("/presets", response_model=PresetPage, responses=documented(422))
def list_presets(studio: StudioDep,
                 engine: str | None = Query(None, max_length=40, description=(
                     "Sizes for this engine (default: the server's default engine)."))
                 ) -> dict[str, Any]:
    """The marketplace presets with their sizes on the engine's grid and their rules."""
    name = engine or studio.settings.engine
    caps = _capabilities(studio, name)
    return {"engine": name, "items": [preset_view(p, caps) for p in PRESETS.values()]}
