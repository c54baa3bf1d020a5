"""Image findings -> manifest: the reference image decides light, backdrop, palette and
composition; the words (or a plain "a product") decide what the product is.

Findings go into the studio controls (key light angles and softness, backdrop colour,
palette, shadow depth), which compile into FIBO's lighting, background and colour text, so
the manifest stays consistent when it is rendered (the orchestrator compiles controls
again). Mood, composition, subject size and the aspect go into the fields controls do not
own.
"""

from __future__ import annotations

import copy
from typing import Any

from studioflow.core.controls import apply_controls
from studioflow.schema import check_manifest, default_for, ordered
from studioflow.translate.inspire.analyse import ImageFindings
from studioflow.translate.inspire.composition import relative_size
from studioflow.translate.inspire.lighting import direction_words

MOODS = {"high-key": "bright, airy and clean", "low-key": "dark, moody and dramatic"}


def _lights(controls: dict[str, Any], f: ImageFindings) -> None:
    lights = copy.deepcopy(controls.get("lights") or default_for("controls.lights"))
    key = next((light for light in lights if light["role"] == "key"), None)
    if key is None:
        key = {"role": "key"}
        lights.insert(0, key)
    key["azimuth"], key["elevation"] = f.light.azimuth, f.light.elevation
    # contrast reads as light quality: flat images come from big soft sources
    key["softness"] = 0.85 if f.light.contrast < 0.35 else 0.4 if f.light.contrast > 0.7 \
        else 0.65
    for light in lights:
        if light["role"] == "fill" and key["azimuth"]:
            light["azimuth"] = -60.0 if key["azimuth"] > 0 else 60.0
    controls["lights"] = lights


def _background(controls: dict[str, Any], f: ImageFindings) -> None:
    background = dict(controls.get("background") or {})
    background["color"] = f.backdrop_hex
    background.pop("gradient_to", None)
    if f.backdrop_uniform:
        background["style"] = "sweep" if background.get("style") == "scene" else \
            background.get("style", "sweep")
        background.pop("description", None)
    else:
        background["style"] = "scene"
        names = ", ".join(s.name for s in f.swatches[:3])
        background["description"] = f"a varied, {f.backdrop_name}-toned setting ({names})"
    controls["background"] = background


def apply_findings(manifest: dict[str, Any], f: ImageFindings) -> dict[str, Any]:
    """A new, validated manifest: ``manifest`` with the image's look applied."""
    m = copy.deepcopy(manifest)
    controls = m.setdefault("controls", {})
    _lights(controls, f)
    _background(controls, f)
    controls["color_palette"] = f.color_scheme[:300]
    shadows = dict(controls.get("shadows") or {})
    if shadows.get("style") != "none":
        shadows["intensity"] = 0.75 if f.light.contrast > 0.7 else \
            0.3 if f.light.contrast < 0.35 else 0.5
    controls["shadows"] = shadows
    fibo = m["fibo"]
    fibo["aesthetics"]["composition"] = f.composition
    if f.light.key in MOODS:
        fibo["aesthetics"]["mood_atmosphere"] = MOODS[f.light.key]
    if f.placement.found and fibo.get("objects"):
        fibo["objects"][0]["relative_size"] = relative_size(f.placement.area)
    render = m.setdefault("render", {"engine": default_for("render.engine")})
    if f.aspect and not ({"width", "height"} & set(render)):
        render["aspect"] = f.aspect
    fibo["short_description"] = _summary(fibo, f)
    return check_manifest(ordered(apply_controls(m)), source="inspired manifest")


def _summary(fibo: dict[str, Any], f: ImageFindings) -> str:
    """A new summary: the words' objects in the image's look (the old one described the
    words' own light and backdrop, which the image has replaced)."""
    things = [o["description"] for o in fibo.get("objects", [])[:3]]
    subject = things[0] if len(things) == 1 else ", ".join(things[:-1]) + " and " + things[-1]
    light = direction_words(f.light).split(" (")[0]
    text = (f"{subject[:1].upper()}{subject[1:]} on a {f.backdrop_name} backdrop, "
            f"{f.light.key} look with {light}; {f.color_scheme}; {f.composition}.")
    return text[:2000]
