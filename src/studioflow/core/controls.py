"""The controls compiler: numeric studio controls -> FIBO's free-text fields.

FIBO reads only text, so every slider (light angles, focal length, aperture, backdrop colour)
is compiled into the descriptive wording a photographer would write. The function is pure
and deterministic: the same controls give byte-identical text, numbers are rounded to the
steps a photographer states (5 degrees, whole millimetres, one-decimal f-numbers, half
stops, 100 K) so slider jitter does not churn the text.

Ownership — which FIBO fields a control overwrites (nothing else is touched):

=============================  =========================================================
control present                FIBO fields it owns
=============================  =========================================================
``controls.lights``            ``lighting.conditions``, ``lighting.direction``,
                               ``lighting.shadows``. An empty list (or every light at
                               intensity 0) means ambient, available light.
``controls.shadows``           ``lighting.shadows`` (also owned through ``lights``). Without
                               ``lights`` the shadow direction is not stated.
``controls.camera``            ``photographic_characteristics.camera_angle`` (azimuth,
                               elevation), ``.lens_focal_length`` (focal length, distance
                               for macro), ``.depth_of_field`` (aperture, focal length,
                               distance). Missing camera values take the schema defaults.
``controls.background``        ``background_setting``.
``controls.color_palette`` or  ``aesthetics.color_scheme``: palette words, the backdrop
``controls.background.color``  colour (when a background control exists) and the colour
                               cast of the main light (when lights are controlled).
=============================  =========================================================

Lighting text depends only on ``lights`` and ``shadows``, camera text only on ``camera``:
moving the camera never rewrites the lighting and the other way round. The input is expected
to be schema-valid (the orchestrator validates before compiling).
"""

from __future__ import annotations

import copy
from typing import Any

from studioflow.core.controls_camera import compile_camera
from studioflow.core.controls_geometry import describe_light_direction
from studioflow.core.controls_lighting import compile_conditions, compile_direction
from studioflow.core.controls_lights import Light, main_light, normalize_lights
from studioflow.core.controls_scene import compile_background, compile_color_scheme
from studioflow.core.controls_shadows import compile_shadows
from studioflow.schema import default_for, ordered, subschema

__all__ = ["apply_controls", "compile_controls", "describe_light_direction"]


def _lighting(controls: dict[str, Any]) -> dict[str, str]:
    if "lights" not in controls:
        return {"shadows": compile_shadows(None, controls["shadows"])}
    lights = normalize_lights(controls["lights"])
    return {
        "conditions": compile_conditions(lights),
        "direction": compile_direction(lights),
        "shadows": compile_shadows(lights, controls.get("shadows")),
    }


def _main_light(controls: dict[str, Any]) -> Light | None:
    return main_light(normalize_lights(controls.get("lights") or []))


def _fit(text: str, path: str) -> str:
    """Keep ``text`` within the schema's maxLength, cutting at a clause boundary. A guard: eight
    lights with 100-character source names come to about 1,900 of FIBO's 2,000 characters."""
    limit = subschema(path).get("maxLength")
    if limit is None or len(text) <= limit:
        return text
    cut = text.rfind("; ", 0, limit)
    return text[:cut] if cut > 0 else text[:limit].rstrip()


def _fit_all(compiled: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, value in compiled.items():
        if isinstance(value, dict):
            out[field] = {k: _fit(v, f"fibo.{field}.{k}") for k, v in value.items()}
        else:
            out[field] = _fit(value, f"fibo.{field}")
    return out


def compile_controls(controls: dict) -> dict:
    """Partial FIBO dict with only the fields the present controls own, e.g.
    ``{"background_setting": str, "lighting": {"conditions", "direction", "shadows"},
    "aesthetics": {"color_scheme"}, "photographic_characteristics": {"camera_angle",
    "lens_focal_length", "depth_of_field"}}``."""
    controls = controls or {}
    out: dict[str, Any] = {}
    background = controls.get("background")
    if background is not None:
        out["background_setting"] = compile_background(background)
    if "lights" in controls or "shadows" in controls:
        out["lighting"] = _lighting(controls)
    palette = controls.get("color_palette")
    if palette or (background is not None and "color" in background):
        out["aesthetics"] = {
            "color_scheme": compile_color_scheme(palette, background, _main_light(controls)),
        }
    if "camera" in controls:
        out["photographic_characteristics"] = compile_camera(controls["camera"])
    return _fit_all(out)


def apply_controls(manifest: dict) -> dict:
    """New manifest (input not mutated) whose fibo fields owned by the controls are
    overwritten by the compiled text; no controls -> an equal copy. Keys in schema order.
    A missing ``photographic_characteristics`` (or other FIBO object) is created from the
    schema defaults before the owned fields are written."""
    result = copy.deepcopy(manifest)
    compiled = compile_controls(result.get("controls") or {})
    fibo = result.setdefault("fibo", {}) if compiled else result.get("fibo", {})
    for field, value in compiled.items():
        if not isinstance(value, dict):
            fibo[field] = value
            continue
        if not isinstance(fibo.get(field), dict):
            fibo[field] = default_for(f"fibo.{field}") or {}
        fibo[field].update(value)
    return ordered(result)
