"""The backdrop: wall, floor and the line or curve between them, with surface textures.

A sweep rises from the floor into the wall in a smooth curve; a flat backdrop meets a
tabletop at a crisp edge; a gradient runs between two colours. The horizon's height comes
from the camera elevation and a top-down shot is all surface. The key light brightens the
wall on its side; a background light or a light from behind adds a glow behind the product.
"""

from __future__ import annotations

import math

import numpy as np

from studioflow.engines.preview import textures as tx
from studioflow.engines.preview.lighting import backdrop_light
from studioflow.engines.preview.raster import F32, resize, smoothstep
from studioflow.engines.preview.scene import Scene

TEXTURE_SCALE = 2  # textures are computed at half resolution and upsampled


def floor_mask(scene: Scene) -> np.ndarray:
    """Per row (H,): 0 on the wall, 1 on the floor."""
    H = scene.height
    horizon = scene.camera.horizon
    rows = (np.arange(H, dtype=F32) + 0.5) / F32(H)
    if horizon is None:
        return np.ones(H, F32)
    if scene.backdrop.style in ("sweep", "gradient"):
        return smoothstep(horizon - 0.14, horizon + 0.05, rows)
    return np.clip((rows - F32(horizon)) * F32(H) + 0.5, 0.0, 1.0)


def _row_light(scene: Scene, floor: np.ndarray) -> np.ndarray:
    """Brightness per row: walls darken towards the top, away from the lights."""
    H = scene.height
    rows = (np.arange(H, dtype=F32) + 0.5) / F32(H)
    horizon = scene.camera.horizon
    if horizon is None:
        return 1.0 - 0.06 * np.abs(rows - 0.5)
    up = np.clip((F32(horizon) - rows) / F32(max(horizon, 0.05)), 0.0, 1.0)
    style = scene.backdrop.style
    wall = 1.0 - (0.2 if style == "sweep" else 0.12 if style != "gradient" else 0.04) * up
    if style not in ("sweep", "gradient"):  # a tabletop edge catches the light
        wall = wall * F32(0.93)
    lit_floor = 1.0 + 0.03 * rows
    return wall * (1.0 - floor) + lit_floor * floor


def _column_light(scene: Scene) -> np.ndarray:
    """Brightness per column: the key's side of the set is brighter."""
    xs = (np.arange(scene.width, dtype=F32) + 0.5) / F32(scene.width) * 2.0 - 1.0
    key = scene.key
    if key is None:
        return np.ones_like(xs)
    side = math.sin(math.radians(key.azimuth)) * key.intensity
    return 1.0 + F32(0.09 * side) * xs


def _glows(scene: Scene) -> list[tuple[float, float, float, float, float]]:
    """(strength, x, y, sx, sy) of soft light pools on the backdrop (fractions of the frame)."""
    out = []
    horizon = scene.camera.horizon if scene.camera.horizon is not None else 0.5
    for light in scene.lights:
        if light.role == "background":
            out.append((0.3 * light.intensity, 0.5, horizon * 0.7, 0.3, 0.25))
        elif light.role == "key" and abs(light.azimuth) > 110:
            out.append((0.22 * light.intensity, 0.5, horizon * 0.85, 0.28, 0.3))
    return out


def _surface_coords(scene: Scene, h: int, w: int):
    """Texture coordinates on a reduced grid, and how much texture each row shows.

    The floor recedes in perspective; near the horizon its texture would alias into
    streaks, so it fades out there, as a far surface's detail does.
    """
    S = float(min(scene.width, scene.height))
    ys = (np.arange(h, dtype=F32)[:, None] + 0.5) * F32(scene.height / h)
    xs = (np.arange(w, dtype=F32)[None, :] + 0.5) * F32(scene.width / w)
    horizon = scene.camera.horizon
    if horizon is None or scene.backdrop.material_on_wall:
        scale = F32(8.0 / S)
        return xs * scale, ys * scale, np.ones((h, 1), F32)
    below = np.maximum(ys - F32(horizon * scene.height), F32(0.015 * S)) / F32(S)
    depth = F32(1.4) / below  # distance grows towards the horizon
    u = (xs - F32(scene.width / 2)) / F32(S) * depth
    fade = smoothstep(0.015, 0.08, below)
    return u, np.broadcast_to(depth, u.shape), fade


def _texture(scene: Scene, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """The surface material's texture at full resolution, and how to apply it."""
    material = scene.backdrop.material
    h, w = scene.height // TEXTURE_SCALE, scene.width // TEXTURE_SCALE
    table = tx.lattice(rng)
    u, v, fade = _surface_coords(scene, h, w)
    if material == "marble":
        field, mode = tx.marble(table, u, v), "veins"
    elif material == "wood":
        field, mode = tx.wood(table, u * 0.6, v * 0.6), "grain"
    elif material == "fabric":
        field, mode = tx.fabric(table, u, v) * 0.16, "modulate"
    elif material == "concrete":
        field, mode = tx.concrete(table, u, v) * 0.2, "modulate"
    else:
        field, mode = tx.paper(table, u, v) * 0.025, "modulate"
    return resize(field * fade, scene.height, scene.width), mode


def render_backdrop(scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """The empty set (H x W x 3, float32), before shadows."""
    b = scene.backdrop
    H, W = scene.height, scene.width
    floor = floor_mask(scene)
    rows = (np.arange(H, dtype=F32) + 0.5) / F32(H)
    wall_mix = rows[:, None] if b.style == "gradient" else np.zeros((H, 1), F32)
    wall = np.array(b.wall, F32)[None, :] * (1.0 - wall_mix) + np.array(b.wall_low, F32) * wall_mix
    continuous = b.style == "gradient" and b.floor == b.wall  # no separate surface
    floor_rgb = wall if continuous else np.array(b.floor, F32)[None, :]
    row_rgb = wall * (1.0 - floor[:, None]) + floor_rgb * floor[:, None]
    row_rgb = row_rgb * _row_light(scene, floor)[:, None] * backdrop_light(scene)[None, :]
    img = row_rgb[:, None, :] * _column_light(scene)[None, :, None]
    for strength, gx, gy, sx, sy in _glows(scene):
        gxs = np.exp(-(((np.arange(W, dtype=F32) + 0.5) / W - gx) / sx) ** 2)
        gys = np.exp(-((rows - gy) / sy) ** 2) * (1.0 - floor)
        pool = np.array(b.wall, F32) * F32(0.8) + F32(0.2)  # even black velvet shows a glow
        img += (F32(strength) * gys[:, None] * gxs[None, :])[..., None] * pool
    field, mode = _texture(scene, rng)
    weight = np.ones((H, 1), F32) if b.material_on_wall else floor[:, None]
    if mode == "veins":
        img *= (1.0 - 0.42 * field * weight)[..., None]
    elif mode == "grain":
        dark = np.array(b.floor, F32) * F32(0.55)
        img += ((dark - np.array(b.floor, F32)) * (field * weight)[..., None] * F32(0.6))
    else:
        img *= (1.0 + field * weight)[..., None]
    return img
