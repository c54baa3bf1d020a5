"""Light on surfaces: colour temperature, the backdrop's exposure and object shading.

Objects get wrapped Lambert diffuse per light (softer lights wrap further around), a
Blinn-Phong highlight (broad and dim for soft sources, tight and bright for hard ones),
a rim term for lights behind the product, hemispheric ambient and contact occlusion.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from studioflow.engines.preview.raster import F32
from studioflow.engines.preview.scene import Light, Scene
from studioflow.engines.preview.shapes import Sprite

GAIN = {"key": 0.82, "fill": 0.55, "rim": 0.9, "background": 0.0}


def _kelvin_rgb(kelvin: float) -> np.ndarray:
    """Black-body colour of a temperature (Tanner Helland's fit), 0..1 per channel."""
    t = max(1000.0, min(40000.0, kelvin)) / 100.0
    r = 255.0 if t <= 66 else 329.698727446 * (t - 60) ** -0.1332047592
    if t <= 66:
        g = 99.4708025861 * math.log(t) - 161.1195681661
    else:
        g = 288.1221695283 * (t - 60) ** -0.0755148492
    b = 255.0 if t >= 66 else (0.0 if t <= 19 else 138.5177312231 * math.log(t - 10)
                               - 305.0447927307)
    return np.clip(np.array([r, g, b]) / 255.0, 0.0, 1.0)


@cache
def tint(kelvin: float) -> tuple[float, float, float]:
    """Light colour relative to 5600 K daylight, softened, at constant brightness."""
    c = _kelvin_rgb(kelvin) / _kelvin_rgb(5600.0)
    c = 1.0 + 0.7 * (c - 1.0)
    c = c / (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])
    return float(c[0]), float(c[1]), float(c[2])


def backdrop_light(scene: Scene) -> np.ndarray:
    """Exposure times colour of the light falling on the backdrop (3 values)."""
    total = np.full(3, scene.ambient, dtype=np.float64)
    for light in scene.lights:
        weight = {"key": 0.55, "fill": 0.3, "rim": 0.1, "background": 0.25}[light.role]
        total += weight * light.intensity * np.array(tint(light.kelvin))
    level = 0.3 + float(total.mean())
    colour = total / max(float(total.mean()), 1e-6)
    return (min(level, 1.0) * colour).astype(F32)


def _view(elevation: float) -> np.ndarray:
    e = math.radians(min(90.0, max(-30.0, elevation)))
    return np.array([0.0, math.sin(e), math.cos(e)], dtype=F32)


def _dot(normal: np.ndarray, v: np.ndarray) -> np.ndarray:
    return normal[0] * F32(v[0]) + normal[1] * F32(v[1]) + normal[2] * F32(v[2])


def soft_clip(x: np.ndarray, knee: float = 0.82) -> np.ndarray:
    """Identity below ``knee``, rolling off smoothly towards 1 above it."""
    over = np.maximum(x - F32(knee), 0.0)
    room = F32(1.0 - knee)
    return x - over + room * (1.0 - np.exp(-over / room))


def shade(sp: Sprite, scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """Colour (h x w x 3) and final coverage (h x w) of a sprite under the scene's lights."""
    n = sp.normal
    view = _view(scene.camera.elevation)
    ndv = np.clip(_dot(n, view), 0.0, 1.0)
    edge = 1.0 - ndv
    ambient = F32(scene.ambient) * (0.7 + 0.3 * n[1])
    diffuse = [ambient.copy(), ambient.copy(), ambient]
    spec = [np.zeros_like(ambient) for _ in range(3)]
    exponent_base = F32(4.0) + F32(140.0) * sp.gloss * sp.gloss
    for light in scene.lights:
        if light.role == "background" or light.intensity <= 0:
            continue
        _add_light(light, n, view, edge, sp.gloss, exponent_base, diffuse, spec)
    ao = 1.0 - 0.3 * np.exp(-sp.height * F32(14.0))
    metal = sp.metal
    diffuse_weight = (1.0 - 0.7 * metal) * ao
    mirrored = metal * _studio_reflection(n, view, scene) if metal.any() else None
    out = np.empty((*sp.alpha.shape, 3), F32)
    for c in range(3):
        albedo = sp.albedo[c]
        spec_colour = 1.0 + (albedo - 1.0) * metal  # metals tint their highlights
        colour = albedo * diffuse[c] * diffuse_weight + spec[c] * spec_colour
        if mirrored is not None:
            colour += albedo * mirrored
        out[..., c] = soft_clip(colour)
    opacity = sp.opacity + (1.0 - sp.opacity) * edge * edge  # glass is opaque at grazing angles
    return out, sp.alpha * opacity


def _studio_reflection(n: np.ndarray, view: np.ndarray, scene: Scene) -> np.ndarray:
    """What a metal surface mirrors: a dim studio with a bright stripe for each light.

    The stripe sits where the surface's horizontal direction matches the half vector of
    the light and the camera, which on a cylinder is a vertical band on the light's side.
    """
    horizontal = n[0] / np.sqrt(n[0] * n[0] + n[2] * n[2] + F32(1e-6))
    out = F32(0.08) + F32(0.3) * np.clip(n[1], 0.0, 1.0)
    for light in scene.lights:
        if light.role == "background" or light.intensity <= 0:
            continue
        half = light.vector + view
        hx = float(half[0] / (math.hypot(float(half[0]), float(half[2])) + 1e-6))
        width = F32(0.12 + 0.3 * light.softness)
        out = out + F32(0.9 * light.intensity) * np.exp(-((horizontal - F32(hx)) / width) ** 2)
    return out


def _add_light(light: Light, n: np.ndarray, view: np.ndarray, edge: np.ndarray,
               gloss: np.ndarray, exponent_base: np.ndarray, diffuse: list, spec: list) -> None:
    direction = light.vector
    ndl = _dot(n, direction)
    wrap = F32(0.45 * light.softness)
    lambert = np.clip((ndl + wrap) / (1.0 + wrap), 0.0, 1.0)
    power = F32(light.intensity * GAIN[light.role])
    half = direction + view
    half = half / np.linalg.norm(half)
    ndh = np.clip(_dot(n, half), 0.0, 1.0)
    exponent = exponent_base * F32(1.0 - 0.7 * light.softness) + F32(2.0)
    strength = (F32(0.06) + F32(0.9) * gloss) * F32(0.45 + 0.55 * (1.0 - light.softness))
    highlight = np.exp(exponent * np.log(ndh + F32(1e-6))) * strength * power
    term = lambert * power
    if light.role == "rim" or abs(light.azimuth) > 100.0:  # a light behind outlines the edges
        rim = F32(1.4) * power * edge ** F32(1.8) * np.clip(ndl + 0.5, 0.0, 1.0)
        term = term + F32(0.4) * rim
        highlight = highlight + rim * (F32(0.5) + F32(0.8) * gloss)
    for c, t in enumerate(tint(light.kelvin)):
        diffuse[c] = diffuse[c] + term * F32(t)
        spec[c] = spec[c] + highlight * F32(t)
