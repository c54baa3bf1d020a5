"""From a manifest to a concrete engine request: overrides, compiled controls, seed, checks."""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any

from studioflow.core.controls import apply_controls
from studioflow.engines import CancelToken, EngineRegistry, RenderRequest
from studioflow.schema import check_manifest, ordered, resolve_size, upgrade

SEED_MAX = 2**32 - 1


@dataclass(frozen=True)
class RenderOverrides:
    """Per-call settings that win over the manifest's ``render`` section."""

    engine: str | None = None
    model: str | None = None
    seed: int | None = None
    width: int | None = None
    height: int | None = None
    aspect: str | None = None
    steps: int | None = None
    guidance_scale: float | None = None
    num_images: int | None = None
    negative_prompt: str | None = None

    def apply(self, render: dict[str, Any]) -> None:
        values = {k: v for k, v in self.__dict__.items() if v is not None}
        if "width" in values or "height" in values or "aspect" in values:
            # an explicit size replaces the manifest's size and aspect together
            for key in ("width", "height", "aspect"):
                render.pop(key, None)
        render.update(values)


def prepare(manifest: dict[str, Any], engines: EngineRegistry,
            overrides: RenderOverrides = RenderOverrides(),
            default_engine: str = "preview") -> dict[str, Any]:
    """The manifest exactly as it will be rendered and stored: upgraded, overridden,
    controls compiled, seed fixed, and validated against the schema and the engine."""
    result = copy.deepcopy(upgrade(manifest))
    render = result.setdefault("render", {})
    render.setdefault("engine", default_engine)
    overrides.apply(render)
    if render.get("seed") is None:
        render["seed"] = secrets.randbelow(SEED_MAX + 1)
    check_manifest(result, engines.capabilities)  # before compiling: controls must be sound
    # valid controls always compile to a valid manifest (a property test over random controls
    # proves it), so the compiled result is not validated a second time on this hot path
    return ordered(apply_controls(result))


def build_request(manifest: dict[str, Any], cancel: CancelToken | None = None) -> RenderRequest:
    render = manifest["render"]
    width, height = resolve_size(render)
    return RenderRequest(
        manifest=manifest, width=width, height=height, seed=int(render["seed"]),
        num_images=int(render.get("num_images", 1)), steps=render.get("steps"),
        guidance_scale=render.get("guidance_scale"),
        negative_prompt=render.get("negative_prompt"), model=render.get("model"),
        cancel=cancel or CancelToken(),
    )
