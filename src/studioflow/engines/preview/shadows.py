"""Shadows and reflections on the floor.

An upright object's cast shadow is its footprint swept along the key light's direction on
the floor: every height of the object throws a disc as wide as the object is there, the
disc from its top landing ``height / tan(elevation)`` away. The shadow's edge is computed as
a distance, so softness costs nothing: the penumbra widens with the light's size and with
the distance from the object, as real shadows do. Flat-lay objects throw blurred, offset
copies of their silhouettes. Contact shadows ground every object.
"""

from __future__ import annotations

import math

import numpy as np

from studioflow.engines.preview.raster import F32, blur, smoothstep
from studioflow.engines.preview.scene import Light, Scene
from studioflow.engines.preview.shapes import Footprint, Sprite

MIN_FLOOR_ELEVATION = 14.0  # the floor never collapses to a line, so shadows stay visible
MIN_LIGHT_ELEVATION = 8.0  # a grazing light's shadow is drawn as if a little higher
MAX_LENGTH = 2.4  # longest cast shadow, in object heights


def _floor_axis(scene: Scene) -> float:
    return math.sin(math.radians(max(scene.camera.elevation, MIN_FLOOR_ELEVATION)))


def shadow_offset(key: Light, height: float, floor_axis: float | None) -> tuple[float, float]:
    """Image offset (x, y down) of the shadow of a point ``height`` above the floor.

    ``floor_axis`` foreshortens depth on the floor (sin of the camera elevation); ``None``
    for a top-down view, where depth on the floor runs straight down the image.
    """
    az, el = math.radians(key.azimuth), math.radians(max(key.elevation, MIN_LIGHT_ELEVATION))
    length = min(height / math.tan(el), MAX_LENGTH * height)
    dx, dz = -math.sin(az) * length, -math.cos(az) * length
    return dx, dz * (1.0 if floor_axis is None else floor_axis)


def _window(shape: tuple[int, int], x0: float, y0: float, x1: float, y1: float):
    H, W = shape
    ix0, iy0 = max(0, math.floor(x0)), max(0, math.floor(y0))
    ix1, iy1 = min(W, math.ceil(x1)), min(H, math.ceil(y1))
    if ix0 >= ix1 or iy0 >= iy1:
        return None
    xs = np.arange(ix0, ix1, dtype=F32)[None, :] + F32(0.5)
    ys = np.arange(iy0, iy1, dtype=F32)[:, None] + F32(0.5)
    return (slice(iy0, iy1), slice(ix0, ix1)), xs, ys


def cast(shadow: np.ndarray, fp: Footprint, key: Light, scene: Scene) -> None:
    """Darken ``shadow`` (H x W, 0..1) with one object's swept cast shadow."""
    floor_axis = _floor_axis(scene)
    a, b = fp.a, max(fp.depth * floor_axis, 0.15 * fp.a)
    dx, dy = shadow_offset(key, fp.height, floor_axis)
    reach = math.hypot(dx, dy)
    soft = key.softness * key.softness
    widest = 1.0 + soft * (0.03 * fp.height + 0.35 * reach)
    pad = max(a, b) + widest
    win = _window(shadow.shape, min(fp.cx, fp.cx + dx) - pad, min(fp.base, fp.base + dy) - pad,
                  max(fp.cx, fp.cx + dx) + pad, max(fp.base, fp.base + dy) + pad)
    if win is None:
        return
    region, xs, ys = win
    qx, qy = (xs - F32(fp.cx)) / F32(a), (ys - F32(fp.base)) / F32(b)
    dnx, dny = F32(dx / a), F32(dy / b)
    dd = float(dnx * dnx + dny * dny)
    t = np.clip((qx * dnx + qy * dny) / F32(dd), 0.0, 1.0) if dd > 1e-9 else \
        np.zeros(np.broadcast_shapes(qx.shape, qy.shape), F32)
    ex, ey = qx - t * dnx, qy - t * dny
    dist = np.sqrt(ex * ex + ey * ey) + F32(1e-4)
    grad = np.sqrt((ex / F32(a)) ** 2 + (ey / F32(b)) ** 2) / dist + F32(1e-6)
    pos = t * F32(len(fp.profile) - 1)
    i0 = np.minimum(pos.astype(np.int32), len(fp.profile) - 2)
    radius = fp.profile[i0] + (fp.profile[i0 + 1] - fp.profile[i0]) * (pos - i0)
    width = F32(1.0) + F32(soft) * (F32(0.03 * fp.height) + F32(0.35 * reach) * t)
    inside = smoothstep(-0.5, 0.5, (radius - dist) / grad / width)
    darkness = inside * (1.0 - F32(0.45 * key.softness) * t)
    np.maximum(shadow[region], darkness, out=shadow[region])


def contact(shadow: np.ndarray, fp: Footprint, scene: Scene) -> None:
    """The dark line where an object meets the floor and the occlusion around it."""
    a, b = fp.a * 1.06, max(fp.depth * _floor_axis(scene), 0.15 * fp.a) * 1.1
    win = _window(shadow.shape, fp.cx - 2.4 * a, fp.base - 2.4 * b, fp.cx + 2.4 * a,
                  fp.base + 2.4 * b)
    if win is None:
        return
    region, xs, ys = win
    q = np.sqrt(((xs - F32(fp.cx)) / F32(a)) ** 2 + ((ys - F32(fp.base)) / F32(b)) ** 2)
    darkness = np.maximum(smoothstep(1.2, 0.8, q) * F32(0.85), smoothstep(2.3, 0.5, q) * F32(0.4))
    np.maximum(shadow[region], darkness, out=shadow[region])


def drop(shadow: np.ndarray, sp: Sprite, lift: float, key: Light | None, scene: Scene,
         with_cast: bool) -> None:
    """A flat-lay object's shadow: its silhouette, offset away from the light and blurred."""
    dx, dy = shadow_offset(key, lift, None) if (key and with_cast) else (0.0, 0.0)
    soft = key.softness * key.softness if key else 0.6
    radius = 1.0 + soft * (0.8 * lift + 0.5 * math.hypot(dx, dy))
    pad = int(math.ceil(3 * radius + max(abs(dx), abs(dy)))) + 2
    h, w = sp.alpha.shape
    local = np.zeros((h + 2 * pad, w + 2 * pad), F32)
    ox, oy = pad + int(round(dx)), pad + int(round(dy))
    local[oy:oy + h, ox:ox + w] = sp.alpha
    darkness = blur(local, radius)
    if with_cast:  # plus a tight occlusion ring under the object itself
        occlusion = np.zeros_like(local)
        occlusion[pad:pad + h, pad:pad + w] = sp.alpha
        darkness = np.maximum(darkness, blur(occlusion, 1.0 + 0.25 * lift) * F32(0.6))
    win = _window(shadow.shape, sp.x0 - pad, sp.y0 - pad, sp.x0 - pad + local.shape[1],
                  sp.y0 - pad + local.shape[0])
    if win is None:
        return
    region, _, _ = win
    ly, lx = region[0].start - (sp.y0 - pad), region[1].start - (sp.x0 - pad)
    part = darkness[ly:ly + region[0].stop - region[0].start,
                    lx:lx + region[1].stop - region[1].start]
    np.maximum(shadow[region], part, out=shadow[region])


def strength(scene: Scene) -> tuple[float, float]:
    """How much (cast, contact) shadows darken the floor: the key's share of its light."""
    key = scene.key
    if scene.shadows.style == "none":
        return 0.0, 0.0
    fill = sum(li.intensity for li in scene.lights if li.role == "fill")
    key_light = 0.55 * key.intensity if key else 0.0
    share = key_light / (key_light + 0.3 * fill + scene.ambient + 0.05)
    intensity = scene.shadows.intensity
    cast_k = 0.0 if scene.shadows.style == "contact" else min(0.92, 1.5 * intensity * share)
    return cast_k, min(0.9, 1.1 * intensity)


def apply(img: np.ndarray, cast_map: np.ndarray, contact_map: np.ndarray, scene: Scene,
          floor: np.ndarray) -> None:
    """Darken the backdrop in place; shadows stay on the floor."""
    cast_k, contact_k = strength(scene)
    total = np.maximum(cast_map * F32(cast_k), contact_map * F32(contact_k))
    total *= np.clip(floor * 1.4, 0.0, 1.0)[:, None]
    img *= (1.0 - total)[..., None]


def reflect(canvas: np.ndarray, rgb: np.ndarray, alpha: np.ndarray, sp: Sprite,
            base: float) -> None:
    """A faint mirror image of an object below its base line, fading with distance."""
    row = int(round(base)) - sp.y0
    if row <= 0:
        return
    h = min(row, alpha.shape[0])
    top = row - h
    flipped_rgb = rgb[top:row][::-1]
    flipped_a = alpha[top:row][::-1]
    fade = np.exp(-np.arange(h, dtype=F32) / F32(max(h, 1) * 0.35))[:, None] * F32(0.35)
    y0 = sp.y0 + row
    H, W = canvas.shape[:2]
    rows = min(h, H - y0)
    if rows <= 0:
        return
    x0, x1 = max(sp.x0, 0), min(sp.x0 + alpha.shape[1], W)
    sx = slice(x0 - sp.x0, x1 - sp.x0)
    a = (flipped_a[:rows, sx] * fade[:rows])[..., None]
    region = canvas[y0:y0 + rows, x0:x1]
    region += (flipped_rgb[:rows, sx] - region) * a
