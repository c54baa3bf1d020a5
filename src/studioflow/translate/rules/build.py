"""Findings -> a complete manifest, on top of the schema defaults or a base manifest.

Controls are set first and compiled by ``apply_controls`` into the FIBO text they own
(lighting, camera, background, colour scheme); the translator writes the rest of FIBO
(objects, composition, mood, focus, medium, text, context) itself. A base manifest keeps
every value the sentence does not talk about.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

from studioflow.core.colors import luminance
from studioflow.core.controls import apply_controls
from studioflow.schema import SCHEMA_VERSION, default_for, field_order, ordered
from studioflow.translate.rules.describe import short_description
from studioflow.translate.rules.extract_style import MEDIUM_STYLES
from studioflow.translate.rules.findings import Findings, ObjectFinding
from studioflow.translate.rules.fit import fit_lengths

ROLE_ORDER = ("key", "fill", "rim", "background")
NEW_LIGHTS = {  # a role the defaults do not have, when a sentence asks for it
    "rim": {"azimuth": 150, "elevation": 30, "intensity": 0.8, "softness": 0.3},
    "background": {"azimuth": 180, "elevation": 0, "intensity": 0.7, "softness": 0.7},
}
DARK_BACKDROP = "#1C1C1C"
LIGHT_RANGES = {"azimuth": (-180, 180), "elevation": (-90, 90), "intensity": (0.0, 1.0),
                "softness": (0.0, 1.0), "color_temperature": (1500, 12000)}
CAMERA_RANGES = {"azimuth": (-180, 180), "elevation": (-90, 90), "focal_length_mm": (8, 1200),
                 "aperture": (0.7, 64), "distance_m": (0.05, 100)}


@cache
def _defaults(path: str) -> dict[str, Any]:
    """The schema defaults of an object's properties (``controls.camera`` -> azimuth ...)."""
    out = {}
    for name in field_order(path):
        value = default_for(f"{path}.{name}")
        if value is not None:
            out[name] = value
    return out


def defaults(path: str) -> dict[str, Any]:
    return copy.deepcopy(_defaults(path))


def skeleton() -> dict[str, Any]:
    """A manifest of schema defaults, objects and summary still to fill."""
    return {
        "schema_version": SCHEMA_VERSION,
        "fibo": defaults("fibo"),
        "controls": {
            "camera": defaults("controls.camera"),
            "lights": default_for("controls.lights"),
            "background": defaults("controls.background"),
            "shadows": defaults("controls.shadows"),
        },
        "render": {"engine": default_for("render.engine")},
    }


def build_manifest(f: Findings, base: dict[str, Any] | None = None) -> dict[str, Any]:
    m = copy.deepcopy(base) if base is not None else skeleton()
    merge_findings(f, m, fresh=base is None)
    _objects(f, m["fibo"], m)
    _product(f, m, base)
    m["fibo"]["short_description"] = short_description(f, m)
    return finish(m, f)


def merge_findings(f: Findings, m: dict[str, Any], fresh: bool) -> None:
    """Write what ``f`` says into ``m`` (in place); what it does not say stays as it is.

    Objects, the product and the summary are left to the caller."""
    fibo = m.setdefault("fibo", defaults("fibo"))
    photographic = _is_photographic(f, fibo)
    _lights(f, m)
    _camera(f, m, photographic)
    _background(f, m, fresh=fresh)
    if f.palette:
        m.setdefault("controls", {})["color_palette"] = f.palette
    _texts(f, fibo, m)
    _aesthetics(f, fibo)
    _style(f, fibo, photographic)
    _render(f, m)
    if not photographic and "camera" not in m.get("controls", {}):
        fibo.pop("photographic_characteristics", None)
    if not m.get("controls"):
        m.pop("controls", None)


def finish(m: dict[str, Any], f: Findings) -> dict[str, Any]:
    """Compile the controls, set the focus, cut over-long text, put keys in schema order."""
    compiled = apply_controls(fit_lengths(m))
    if f.focus and "photographic_characteristics" in compiled["fibo"]:
        compiled["fibo"]["photographic_characteristics"]["focus"] = f.focus
    return ordered(fit_lengths(compiled))


def _is_photographic(f: Findings, fibo: dict[str, Any]) -> bool:
    if f.photographic is not None:
        return f.photographic
    return str(fibo.get("style_medium", "photograph")).lower() in ("photograph", "photo")


# ---------------------------------------------------------------- controls
def _clamp(values: dict[str, Any], ranges: dict[str, tuple[float, float]]) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        if k.startswith("_"):
            continue
        if k in ranges and isinstance(v, int | float):
            low, high = ranges[k]
            v = max(low, min(high, v))
        out[k] = v
    return out


def _lights(f: Findings, m: dict[str, Any]) -> None:
    if not f.mentions_lighting:
        return
    controls = m.setdefault("controls", {})
    if f.shadows:
        shadows = controls.setdefault("shadows", defaults("controls.shadows"))
        shadows.update(f.shadows)
    if not (f.lights or f.lights_off or f.extra_rims) and "lights" not in controls:
        return
    lights = controls.get("lights")
    lights = copy.deepcopy(lights) if lights is not None else default_for("controls.lights")
    by_role = {light["role"]: light for light in lights}
    for role in ROLE_ORDER:
        if role in f.lights:
            light = by_role.get(role)
            if light is None:
                light = by_role[role] = _new_light(role, by_role)
                lights.append(light)
            light.update(_clamp(f.lights[role], LIGHT_RANGES))
    if f.extra_rims and "rim" in by_role:
        mirror = dict(by_role["rim"], azimuth=-by_role["rim"].get("azimuth", 150))
        lights.append(mirror)
    for patch in [f.lights.get("*")] if "*" in f.lights else []:
        for light in lights:
            if "gel" not in str(light.get("source", "")):
                light.update(_clamp(patch, LIGHT_RANGES))
    _fill_opposite(f, by_role)
    lights = [light for light in lights if light["role"] not in f.lights_off]
    controls["lights"] = sorted(lights, key=lambda light: ROLE_ORDER.index(light["role"]))


def _fill_opposite(f: Findings, by_role: dict[str, dict[str, Any]]) -> None:
    """A key moved to one side takes its fill to the other, unless the fill was placed."""
    key, fill = by_role.get("key"), by_role.get("fill")
    if key is None or fill is None or "azimuth" in f.lights.get("fill", {}):
        return
    key_az, fill_az = key.get("azimuth", -45), fill.get("azimuth", 0)
    if abs(key_az) > 15 and abs(fill_az) > 15 and (key_az > 0) == (fill_az > 0) \
            and abs(key_az) < 165:
        fill["azimuth"] = -fill_az


def _new_light(role: str, existing: dict[str, dict[str, Any]]) -> dict[str, Any]:
    defaults_by_role = {light["role"]: light for light in default_for("controls.lights")}
    light = copy.deepcopy(defaults_by_role.get(role) or {"role": role, **NEW_LIGHTS[role]})
    key = existing.get("key")
    if key and "color_temperature" in key:
        light["color_temperature"] = key["color_temperature"]
    return light


def _camera(f: Findings, m: dict[str, Any], photographic: bool) -> None:
    controls = m.get("controls")
    if not photographic and not f.mentions_camera:
        if controls is not None:
            controls.pop("camera", None)
        return
    has_camera = controls is not None and "camera" in controls
    # a medium switched back to photograph needs a camera again; otherwise a base without
    # camera controls keeps its own hand-written camera text
    medium = str(m["fibo"].get("style_medium", "photograph")).lower()
    switched = f.photographic is True and medium not in ("photograph", "photo")
    if not f.camera and (has_camera or not switched):
        return
    controls = m.setdefault("controls", {})
    camera = controls.setdefault("camera", defaults("controls.camera"))
    camera.update(_clamp(f.camera, CAMERA_RANGES))


def _background(f: Findings, m: dict[str, Any], fresh: bool) -> None:
    values = {k: v for k, v in f.background.items() if not k.startswith("_")}
    if fresh and "color" not in values:
        moody = {"moody", "dark and moody", "mysterious", "noir", "sultry", "spooky"} & set(f.mood)
        candle = "candle" in str(f.lights.get("key", {}).get("source", ""))
        if f.background.get("_dark") or moody or candle:
            values["color"] = DARK_BACKDROP
        elif f.background.get("_light"):
            values["color"] = "#FFFFFF"
    if f.background.get("_mirror") and f.shadows.get("reflection") is True:
        _reflective_surface(values, m)
    if not values:
        return
    controls = m.setdefault("controls", {})
    background = controls.setdefault("background", defaults("controls.background"))
    if "color" in values and "style" not in values and "description" not in values \
            and background.get("style") == "scene":
        background["style"] = default_for("controls.background.style")
        background.pop("description", None)
    background.update(values)
    if background.get("style") != "gradient":
        background.pop("gradient_to", None)


def _reflective_surface(values: dict[str, Any], m: dict[str, Any]) -> None:
    """A mirror reflection needs a surface that shows it, and the set's text should say so."""
    surface = values.get("surface") or ((m.get("controls") or {}).get("background") or {}).get(
        "surface")
    if surface and re.search(r"reflect|mirror", surface, re.IGNORECASE):
        return
    values["surface"] = f"{surface} with a mirror reflection of the product" if surface else \
        "a glossy, mirror-like reflective surface"


# ---------------------------------------------------------------- FIBO text
def _objects(f: Findings, fibo: dict[str, Any], m: dict[str, Any]) -> None:
    if not f.objects:
        if fibo.get("objects"):
            return
        name = (m.get("product") or {}).get("name") or f.product.get("name") or "the product"
        f.objects = [ObjectFinding(description=name)]
    main = f.objects[0]
    surface = (m.get("controls") or {}).get("background", {}).get("surface")
    props = [p.description for p in f.objects[1:3]]
    fibo["objects"] = [object_to_fibo(o, main, f, surface, props) for o in f.objects]


def main_relationship(props: list[str]) -> str:
    """The product's relationship: the hero, styled with its props. The surface it rests on
    is the set's (``background_setting``), so changing the set never rewrites the objects."""
    rel = HERO
    if props:
        rel += f", styled with {' and '.join(props)}"
    return rel


HERO = "the hero product and focal point of the image"


def object_to_fibo(o: ObjectFinding, main: ObjectFinding, f: Findings | None,
                   surface: str | None = None, props: list[str] | None = None) -> dict[str, Any]:
    """One object in FIBO's words; the product gets the hero relationship and size."""
    is_main = o is main
    out: dict[str, Any] = {"description": o.description}
    if is_main:
        out["location"] = o.location or (f.placement if f else None) or "center"
        out["relationship"] = o.relationship or main_relationship(props or [])
        out["relative_size"] = _main_size(o, f or Findings())
    else:
        out["location"] = o.location or "beside the product"
        out["relationship"] = o.relationship or f"a styling prop beside the {main.head}"
        out["relative_size"] = o.size or "small"
    shape_color = [*o.shapes, " and ".join(o.colors)] if o.colors else list(o.shapes)
    if shape_color:
        out["shape_and_color"] = ", ".join(shape_color)
    if o.materials:
        out["texture"] = ", ".join(o.materials)
    if o.details:
        out["appearance_details"] = "; ".join(o.details)
    if o.count:
        out["number_of_objects"] = min(1000, o.count)
    if o.action:
        out["action"] = o.action
    if o.orientation:
        out["orientation"] = o.orientation
    return out


def _main_size(o: ObjectFinding, f: Findings) -> str:
    distance = f.camera.get("distance_m")
    if o.size == "small" or (distance is not None and distance >= 3):
        return "small within the frame"
    if distance is not None and distance <= 0.5:
        return "fills most of the frame"
    return "large within frame"


def _texts(f: Findings, fibo: dict[str, Any], m: dict[str, Any]) -> None:
    if f.texts:
        fibo["text_render"] = text_items(f.texts, f, m)


def text_items(texts: list[dict[str, Any]], f: Findings, m: dict[str, Any]) -> list[dict]:
    """FIBO ``text_render`` items; unsaid colour contrasts with the backdrop."""
    color = (m.get("controls") or {}).get("background", {}).get("color", "#FFFFFF")
    contrast = "black" if luminance(color) >= 0.5 else "white"
    items = []
    for t in texts:
        on_product = t.get("_on_product")
        item = {
            "text": t["text"],
            "location": t.get("location") or _free_space(f) or "top center",
            "size": t.get("size", "large"),
            "color": t.get("color") or ("dark gray" if on_product else contrast),
            "font": t.get("font") or ("clean sans-serif" if on_product else "bold sans-serif"),
        }
        if on_product:
            item["appearance_details"] = "printed on the product"
        items.append(item)
    return items


def _free_space(f: Findings) -> str | None:
    for c in f.composition:
        if "negative space on the" in c:
            side = c.split("negative space on the ", 1)[1].split(" for ")[0]
            return f"{side} side, in the negative space"
    return None


def _aesthetics(f: Findings, fibo: dict[str, Any]) -> None:
    aesthetics = fibo.setdefault("aesthetics", defaults("fibo.aesthetics"))
    if f.composition:
        aesthetics["composition"] = ", ".join(dict.fromkeys(f.composition))
    if f.mood:
        aesthetics["mood_atmosphere"] = ", ".join(f.mood[:5])


def _style(f: Findings, fibo: dict[str, Any], photographic: bool) -> None:
    before = fibo.get("style_medium")
    if f.style_medium:
        fibo["style_medium"] = f.style_medium
    if f.artistic:
        fibo["artistic_style"] = ", ".join(f.artistic[:3])
    elif f.style_medium and f.style_medium != before:
        fibo["artistic_style"] = MEDIUM_STYLES.get(f.style_medium) if not photographic else \
            default_for("fibo.artistic_style")
        fibo["artistic_style"] = fibo["artistic_style"] or default_for("fibo.artistic_style")
    if f.context:  # "base|more|more": a standard phrase, then the user's own words
        base, *more = f.context.split("|")
        text = default_for("fibo.context") if base == "DEFAULT" else base
        fibo["context"] = ", ".join([text, *more])


def _render(f: Findings, m: dict[str, Any]) -> None:
    render = m.setdefault("render", {"engine": default_for("render.engine")})
    if "width" in f.render:
        for key in ("aspect", "width", "height"):
            render.pop(key, None)
        render["width"], render["height"] = f.render["width"], f.render["height"]
    elif "aspect" in f.render:
        render.pop("width", None)
        render.pop("height", None)
        render["aspect"] = f.render["aspect"]
    elif "_implied_aspect" in f.render and not ({"aspect", "width", "height"} & set(render)):
        render["aspect"] = f.render["_implied_aspect"]


def _product(f: Findings, m: dict[str, Any], base: dict[str, Any] | None) -> None:
    product = m.get("product")
    if product is not None and f.objects and base is not None:
        # a new product in the sentence: the base's own name and SKU no longer apply
        for key in ("name", "sku"):
            if key not in f.product:
                product.pop(key, None)
    if f.product:
        m.setdefault("product", {}).update(f.product)
    if "product" in m and not m["product"]:
        m.pop("product")
