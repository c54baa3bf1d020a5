"""Manifest -> Scene: the handful of numbers the preview draws from.

For each part (lights, camera, backdrop, shadows) the manifest's numeric ``controls`` win;
without them the FIBO text is read (``words.py``); what neither says comes from the
schema's defaults. Objects and text are placed in pixels by ``layout.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from studioflow.engines.preview import words as w
from studioflow.engines.preview.profiles import FLAT_LAY_ELEVATION
from studioflow.engines.preview.raster import RGB, rgb
from studioflow.schema import default_for


@dataclass(frozen=True)
class Light:
    role: str  # key, fill, rim, background
    azimuth: float  # degrees seen from the camera, negative = frame left, +-180 = behind
    elevation: float
    intensity: float
    softness: float  # 0 hard .. 1 very soft
    kelvin: float

    @property
    def vector(self) -> np.ndarray:
        """Unit vector towards the light; x frame right, y up, z towards the camera."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        return np.array([math.sin(az) * math.cos(el), math.sin(el),
                         math.cos(az) * math.cos(el)], dtype=np.float32)


@dataclass(frozen=True)
class Camera:
    elevation: float  # degrees, 90 = top-down
    blur: float  # background blur radius as a fraction of the short side (0 = sharp)

    @property
    def flat_lay(self) -> bool:
        return self.elevation >= FLAT_LAY_ELEVATION

    @property
    def horizon(self) -> float | None:
        """Where the floor meets the wall, as a fraction of the height from the top."""
        if self.flat_lay:
            return None
        return min(0.9, max(0.06, 0.70 - self.elevation / 90.0 * 1.15))


@dataclass(frozen=True)
class Backdrop:
    style: str  # sweep, gradient, flat, scene
    wall: RGB
    wall_low: RGB  # the wall's colour at the horizon (differs for gradients)
    floor: RGB
    material: str  # paper, marble, wood, fabric, concrete, glossy
    material_on_wall: bool  # one material covers the whole backdrop (fabric sweep, paper)


@dataclass(frozen=True)
class Shadows:
    style: str  # cast, contact, none
    intensity: float
    reflection: bool


def _default(path: str) -> Any:
    return default_for(path)


def _controls(manifest: dict[str, Any], part: str) -> Any:
    return (manifest.get("controls") or {}).get(part)


# --- lights -------------------------------------------------------------------------------

def _light_from_control(c: dict[str, Any]) -> Light:
    def get(key: str) -> float:
        return float(c.get(key, _default(f"controls.lights[].{key}")))

    return Light(c["role"], get("azimuth"), get("elevation"), get("intensity"), get("softness"),
                 get("color_temperature"))


def _direction(clause: str, az: float, el: float) -> tuple[float, float]:
    """Azimuth and elevation a direction phrase names (the defaults where it names none)."""
    side = w.side_of(clause)
    deg = w.degrees_in(clause)
    if w.has(clause, "backlit", "back-lit", "behind", "backlight", "contre-jour", "back"):
        return (150.0 * side if side else 180.0), 25.0
    if w.has(clause, "above", "overhead", "top-down", "top", "directly above", "zenith"):
        if not side:
            return 0.0, 75.0
        return 45.0 * side, 55.0
    if w.has(clause, "below", "beneath", "underneath", "under"):
        return 20.0 * side, -15.0
    if w.has(clause, "side-lit", "side", "sidelit", "sidelight", "profile") and side:
        return 90.0 * side, 20.0
    if side:
        mag = deg if deg is not None and 0 < deg <= 180 else 55.0
        el = 50.0 if w.has(clause, "upper", "high", "top") else 30.0
        if w.has(clause, "low", "raking", "grazing"):
            el = 12.0
        return mag * side, el
    if w.has(clause, "front", "front-lit", "frontal", "on-axis", "ring", "camera", "flat"):
        return 0.0, 25.0
    return az, el


def _softness(text: str, default: float) -> float:
    if w.has(text, "hard", "harsh", "crisp", "sharp", "direct", "bare", "spotlight",
             "midday", "noon", "defined", "strong shadows", "dramatic"):
        return 0.12
    if w.has(text, "soft", "diffused", "diffuse", "softbox", "overcast", "window", "gentle",
             "even", "wrap", "wrapping", "cloudy", "bounced"):
        return 0.8
    return default


def _kelvin(text: str, default: float) -> float:
    if w.has(text, "candle", "candlelight", "firelight"):
        return 2200.0
    if w.has(text, "golden hour", "golden", "sunset", "sunrise", "tungsten", "incandescent"):
        return 3200.0
    if w.has(text, "warm", "amber", "cozy"):
        return 4000.0
    if w.has(text, "blue hour", "moonlight", "cold", "icy"):
        return 9000.0
    if w.has(text, "cool", "overcast", "north light", "shade", "clinical"):
        return 7000.0
    return default


def lights_from_words(lighting: dict[str, Any]) -> tuple[list[Light], float]:
    """The light rig a FIBO ``lighting`` text describes, and the ambient level."""
    direction = lighting.get("direction", "")
    conditions = lighting.get("conditions", "")
    shadow_text = lighting.get("shadows", "")
    everything = f"{conditions}. {direction}. {shadow_text}"
    key_default = _default("controls.lights")[0]
    fill_default = _default("controls.lights")[1]
    clauses = [c for c in re.split(r"[,;.]|\bwith\b|\bplus\b|\band\b", direction) if c.strip()]
    others = ("fill", "rim", "kicker", "hair", "background light", "edge light", "bounce")
    key_clause = next((c for c in clauses if w.has(c, "key") or not w.has(c, *others)),
                      direction)
    az, el = _direction(key_clause, key_default["azimuth"], key_default["elevation"])
    if w.has(shadow_text, "long", "raking", "low sun"):
        el = min(el, 18.0)
    soft = _softness(f"{shadow_text} {conditions} {key_clause}", key_default["softness"])
    kelvin = _kelvin(everything, key_default["color_temperature"])
    power = 0.75 if w.has(everything, "dim", "low-key", "low key", "moody", "dark") else 1.0
    lights = [Light("key", az, el, power, soft, kelvin)]
    fill_clause = next((c for c in clauses if w.has(c, "fill", "bounce")), None)
    dramatic = w.has(everything, "dramatic", "chiaroscuro", "low-key", "low key", "moody")
    if fill_clause or not dramatic:
        f_side = w.side_of(fill_clause or "") or (-math.copysign(1.0, az) if az else 1.0)
        strength = 0.2 if w.has(fill_clause or "", "gentle", "subtle", "weak") else 0.35
        lights.append(Light("fill", 60.0 * f_side, fill_default["elevation"],
                            strength if fill_clause else 0.2, 0.9, kelvin))
    rim_clause = next((c for c in clauses if w.has(c, "rim", "kicker", "hair", "edge light")),
                      None)
    if rim_clause:
        r_side = w.side_of(rim_clause) or (-math.copysign(1.0, az) if az else 1.0)
        lights.append(Light("rim", 140.0 * r_side, 30.0, 0.7, 0.4, kelvin))
    if w.has(everything, "background light", "glow", "halo", "spotlit backdrop"):
        lights.append(Light("background", 0.0, 10.0, 0.6, 0.9, kelvin))
    ambient = 0.16 if dramatic else 0.3 if w.has(everything, "high-key", "bright") else 0.24
    return lights, ambient


def build_lights(manifest: dict[str, Any]) -> tuple[list[Light], float]:
    controls = _controls(manifest, "lights")
    if controls is None:
        return lights_from_words(manifest["fibo"]["lighting"])
    lights = [_light_from_control(c) for c in controls]
    fill = sum(li.intensity for li in lights if li.role == "fill")
    return lights, 0.16 + 0.12 * min(1.0, fill)


# --- camera -------------------------------------------------------------------------------

def _elevation_from_words(text: str, default: float) -> float:
    if w.has(text, "top-down", "top down", "flat lay", "flat-lay", "flatlay", "overhead",
             "bird's-eye", "bird's eye", "birds-eye", "directly above", "knolling"):
        return 90.0
    deg = w.degrees_in(text)
    if deg is not None and w.has(text, "above", "high", "elevated", "angle", "down"):
        return max(-60.0, min(90.0, deg))
    if w.has(text, "worm's-eye", "worm's eye", "worms-eye", "from below"):
        return -35.0
    if w.has(text, "low angle", "low-angle", "low"):
        return -12.0
    if w.has(text, "slightly above", "slightly elevated", "slight high", "slightly high"):
        return 18.0
    if w.has(text, "high angle", "high-angle", "elevated", "from above", "three-quarter",
             "45-degree", "high"):
        return 35.0
    if w.has(text, "eye-level", "eye level", "straight-on", "straight on", "front view",
             "frontal", "head-on"):
        return 4.0
    return default


def _blur_fraction(focal_mm: float, aperture: float, distance_m: float) -> float:
    """Background blur radius (fraction of the short side) for a lens setting.

    Proportional to the circle of confusion of a far background, f^2 / (N * d); scaled so
    that 85 mm at f/2 from 1.2 m blurs a backdrop clearly and f/8 leaves it nearly sharp.
    """
    f = focal_mm / 1000.0
    coc = 4.0 * f * f / (max(aperture, 0.7) * max(distance_m, 0.1))
    return 0.0 if coc < 0.004 else min(coc, 0.035)


def build_camera(manifest: dict[str, Any]) -> Camera:
    fibo = manifest["fibo"]
    controls = _controls(manifest, "camera") or {}
    photo = fibo.get("photographic_characteristics") or {}
    angle_text = f"{photo.get('camera_angle', '')}. {fibo['aesthetics'].get('composition', '')}"
    dof_text = f"{photo.get('depth_of_field', '')}. {photo.get('focus', '')}"
    lens_text = photo.get("lens_focal_length", "")

    def pick(key: str, from_words: float | None) -> float:
        if key in controls:
            return float(controls[key])
        if from_words is not None:
            return from_words
        return float(_default(f"controls.camera.{key}"))

    elev_default = float(_default("controls.camera.elevation"))
    elevation = pick("elevation", _elevation_from_words(angle_text, elev_default))
    return Camera(elevation, _blur_fraction(pick("focal_length_mm", _focal_words(lens_text)),
                                            pick("aperture", _aperture_words(dof_text)),
                                            pick("distance_m", _distance_words(
                                                f"{lens_text} {angle_text} {dof_text}"))))


def _aperture_words(text: str) -> float | None:
    m = re.search(r"\bf\s*/\s*(\d+(?:\.\d+)?)", text, re.I)
    if m:
        return float(m.group(1))
    if w.has(text, "very shallow", "extremely shallow", "razor-thin", "razor thin"):
        return 1.4
    if w.has(text, "shallow", "bokeh", "blurred background", "blurry background",
             "soft background", "background blur", "wide open", "defocused", "out of focus"):
        return 2.0
    if w.has(text, "deep", "everything in focus", "all in focus", "front to back"):
        return 16.0
    return None


def _focal_words(text: str) -> float | None:
    m = re.search(r"(\d{2,4})\s*mm", text)
    if m:
        return float(m.group(1))
    if w.has(text, "macro"):
        return 100.0
    if w.has(text, "telephoto", "tele"):
        return 135.0
    if w.has(text, "wide", "wide-angle", "fisheye"):
        return 24.0
    return None


def _distance_words(text: str) -> float | None:
    if w.has(text, "macro", "extreme close-up", "extreme close up"):
        return 0.45
    if w.has(text, "close-up", "close up", "closeup", "detail"):
        return 0.7
    return None


# --- backdrop and shadows -----------------------------------------------------------------

def build_backdrop(manifest: dict[str, Any]) -> Backdrop:
    text = manifest["fibo"]["background_setting"]
    bg = _controls(manifest, "background")
    default_color = _default("controls.background.color")
    if bg is not None:
        style = bg.get("style", _default("controls.background.style"))
        wall = bg.get("color", default_color)
        surface = bg.get("surface", "")
        scene_text = bg.get("description", "") if style == "scene" else ""
        material = (w.material_of(surface) or w.material_of(scene_text)
                    or w.material_of(text) or "paper")
        floor = w.lighten(w.material_color(surface, material) or wall, surface) \
            if surface else wall
        low = bg.get("gradient_to", wall)
        on_wall = not surface and material in ("paper", "fabric", "concrete")
        return Backdrop(style, rgb(wall), rgb(low), rgb(floor), material, on_wall)
    surface, wall_text = w.split_background(text)
    separate = surface != wall_text
    if w.has(text, "gradient", "ombre", "ombré", "fading", "fade"):
        style = "gradient"
    elif w.has(text, "sweep", "seamless", "infinity", "cyclorama", "cove"):
        style = "sweep"
    else:
        style = "flat" if separate else _default("controls.background.style")
    wall = w.hex_in(wall_text) or w.hex_in(text) or default_color
    wall = w.lighten(wall, wall_text)
    material = w.material_of(surface) or w.material_of(text) or "paper"
    floor = w.lighten(w.material_color(surface, material) or wall, surface) if separate else wall
    colors = [hx for _, hx in w.find_colors(text)]
    low = colors[1] if style == "gradient" and len(colors) > 1 else wall
    on_wall = not separate and material in ("paper", "fabric", "concrete")
    return Backdrop(style, rgb(wall), rgb(low), rgb(floor), material, on_wall)


def build_shadows(manifest: dict[str, Any]) -> Shadows:
    c = _controls(manifest, "shadows")
    if c is not None:
        def get(key: str) -> Any:
            return c.get(key, _default(f"controls.shadows.{key}"))
        return Shadows(get("style"), float(get("intensity")), bool(get("reflection")))
    lighting = manifest["fibo"]["lighting"]
    text = f"{lighting.get('shadows', '')}. {lighting.get('conditions', '')}"
    style, intensity = _default("controls.shadows.style"), _default("controls.shadows.intensity")
    if w.has(text, "no shadows", "no shadow", "shadowless", "shadow-free", "without shadows"):
        style = "none"
    elif w.has(text, "contact", "grounding", "only a soft shadow"):
        style = "contact"
    if w.has(text, "minimal", "subtle", "faint", "light shadows", "barely"):
        intensity = 0.3
    elif w.has(text, "deep", "strong", "dark", "dramatic", "heavy", "bold"):
        intensity = 0.8
    everything = f"{text} {manifest['fibo']['background_setting']}"
    reflection = w.has(everything, "reflection", "reflections", "mirror", "reflective",
                       "mirrored")
    return Shadows(style, float(intensity), reflection)


# --- the whole scene ----------------------------------------------------------------------

@dataclass(frozen=True)
class Scene:
    width: int
    height: int
    camera: Camera
    lights: tuple[Light, ...]
    ambient: float
    backdrop: Backdrop
    shadows: Shadows
    items: tuple[Any, ...]  # layout.Item, in drawing order
    texts: tuple[dict[str, Any], ...]  # FIBO text_render entries

    @property
    def key(self) -> Light | None:
        """The light that throws the shadows: the key, else the strongest non-background."""
        lights = [li for li in self.lights if li.role != "background" and li.intensity > 0]
        keys = [li for li in lights if li.role == "key"]
        return (keys or sorted(lights, key=lambda li: -li.intensity) or [None])[0]


def build_scene(manifest: dict[str, Any], width: int, height: int,
                rng: np.random.Generator) -> Scene:
    from studioflow.engines.preview.layout import place

    camera = build_camera(manifest)
    lights, ambient = build_lights(manifest)
    fibo = manifest["fibo"]
    items = place(fibo["objects"], width, height, camera.elevation, camera.horizon, rng)
    return Scene(width, height, camera, tuple(lights), ambient, build_backdrop(manifest),
                 build_shadows(manifest), tuple(items), tuple(fibo.get("text_render") or ()))
