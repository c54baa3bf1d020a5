"""Placing objects in the frame: FIBO's ``location``, ``relative_size`` and
``number_of_objects`` become pixel positions and sizes.

Standing objects are kept on the floor (below the horizon); clusters are spread in rows
with a small seeded jitter so that they do not look stamped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from studioflow.engines.preview import words as w
from studioflow.engines.preview.objects import Look, look_of
from studioflow.engines.preview.profiles import ASPECT, FLAT_LAY_ELEVATION, ROUND_FROM_ABOVE

MAX_COPIES = 12  # a preview hints at a cluster; it does not draw a thousand items

_HORIZONTAL = [
    (r"far[- ]left|extreme left|left edge|left third", 0.17),
    (r"center[- ]left|left[- ]of[- ]center|left[- ]center|middle[- ]left|slightly left", 0.38),
    (r"center[- ]right|right[- ]of[- ]center|right[- ]center|middle[- ]right|slightly right",
     0.62),
    (r"far[- ]right|extreme right|right edge|right third", 0.83),
    (r"\bleft\b", 0.28),
    (r"\bright\b", 0.72),
]
_SIZES = [
    (("very large", "large within frame", "dominant", "fills", "filling", "hero", "huge",
      "prominent", "dominating", "big"), 0.56),
    (("large", "medium-large"), 0.44),
    (("medium", "moderate", "mid-sized", "medium-sized"), 0.32),
    (("tiny", "very small", "miniature", "minute"), 0.11),
    (("small", "little", "petite", "small-medium"), 0.2),
]


@dataclass(frozen=True)
class Item:
    """One object to draw, in pixels."""

    look: Look
    cx: float
    cy: float  # centre of its silhouette in the image
    width: float
    height: float  # upright height, drawn foreshortened by the camera elevation
    blurred: bool  # a background prop: drawn with the backdrop, softened by depth of field


def _position(location: str) -> tuple[float, float, float, bool]:
    """(x fraction, y fraction, scale, background) for a location phrase."""
    loc = location.lower().replace("centre", "center").replace("middle", "center")
    fx = next((x for pattern, x in _HORIZONTAL if re.search(pattern, loc)), 0.5)
    fy = 0.5
    if w.has(loc, "top", "upper", "above"):
        fy = 0.32
    elif w.has(loc, "bottom", "lower", "below"):
        fy = 0.68
    if w.has(loc, "foreground", "front"):
        return fx, fy + 0.06, 1.08, False
    if w.has(loc, "background", "behind", "back", "far"):
        return fx, fy - 0.07, 0.72, True
    return fx, fy, 1.0, False


def _extent(relative_size: str | None, first: bool) -> float:
    text = (relative_size or "").lower()
    for names, value in _SIZES:
        if w.has(text, *names):
            return value
    return 0.4 if first else 0.24


def _dims(kind: str, extent: float, short: float) -> tuple[float, float]:
    """Width and height: tall things are taller than squat ones of the same "size"."""
    aspect = ASPECT[kind]
    if aspect >= 1.0:
        height = extent * short * aspect**0.3
        return height / aspect, height
    width = min(extent * aspect**-0.3, 1.25 * extent) * short
    return width, width * aspect


def image_height(kind: str, width: float, height: float, elevation: float) -> float:
    """How tall an object appears in the image at a camera elevation."""
    if elevation >= FLAT_LAY_ELEVATION:
        return width if kind in ROUND_FROM_ABOVE or kind == "sphere" else height
    if kind == "sphere":
        return width
    e = math.radians(max(0.0, min(55.0, elevation)))
    return height * math.cos(e) + width * max(0.0, math.sin(e))


def place(objects: list[dict[str, Any]], frame_w: int, frame_h: int, elevation: float,
          horizon: float | None, rng: np.random.Generator) -> list[Item]:
    """Every object of the manifest (and its copies) in pixels, in drawing order."""
    short = float(min(frame_w, frame_h))
    items: list[Item] = []
    for index, obj in enumerate(objects):
        look = look_of(obj)
        fx, fy, scale, back = _position(obj["location"])
        width, height = _dims(look.kind, _extent(obj.get("relative_size"), index == 0) * scale,
                              short)
        width, height = _fit(width, height, frame_w, frame_h)
        copies = max(1, min(int(obj.get("number_of_objects", 1)), MAX_COPIES))
        if copies > 1:
            shrink = 1.0 / math.sqrt(1.0 + 0.35 * (copies - 1))
            width, height = width * shrink, height * shrink
        img_h = image_height(look.kind, width, height, elevation)
        cx, cy = fx * frame_w, _standing(fy * frame_h, img_h, frame_h, horizon)
        for dx, dy in _cluster(copies, width, img_h, elevation >= FLAT_LAY_ELEVATION, rng):
            x = min(max(cx + dx, width * 0.5), frame_w - width * 0.5)
            y = _standing(cy + dy, img_h, frame_h, horizon)
            items.append(Item(look, x, y, width, height, back and index > 0))
    items = _spread(items, frame_w, frame_h, elevation)
    return sorted(items, key=lambda it: (not it.blurred, it.cy + image_height(
        it.look.kind, it.width, it.height, elevation) / 2))


def _spread(items: list[Item], frame_w: int, frame_h: int, elevation: float) -> list[Item]:
    """Push apart objects that would overlap side by side.

    Standing objects at clearly different depths may overlap (one stands behind the
    other); in a flat lay nothing overlaps. The first object, the product, moves least.
    """
    flat = elevation >= FLAT_LAY_ELEVATION
    xs = [it.cx for it in items]
    ys = [it.cy for it in items]
    heights = [image_height(it.look.kind, it.width, it.height, elevation) for it in items]
    gap_x, gap_y = 0.02 * frame_w, 0.02 * frame_h
    for _ in range(4):
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                a, b = items[i], items[j]
                if a.blurred or b.blurred:
                    continue
                over_x = (a.width + b.width) / 2 + gap_x - abs(xs[i] - xs[j])
                over_y = (heights[i] + heights[j]) / 2 + gap_y - abs(ys[i] - ys[j])
                same_row = abs(ys[i] + heights[i] / 2 - ys[j] - heights[j] / 2) <= 0.08 * frame_h
                if over_x <= 0 or (flat and over_y <= 0) or (not flat and not same_row):
                    continue
                share = 0.25 if i == 0 else 0.5
                if flat and over_y < over_x:
                    sign = 1.0 if ys[j] >= ys[i] else -1.0
                    ys[i] -= sign * over_y * share
                    ys[j] += sign * over_y * (1.0 - share)
                else:
                    sign = 1.0 if xs[j] >= xs[i] else -1.0
                    xs[i] -= sign * over_x * share
                    xs[j] += sign * over_x * (1.0 - share)
        xs = [min(max(x, it.width / 2), frame_w - it.width / 2)
              for x, it in zip(xs, items, strict=True)]
        ys = [min(max(y, h / 2), frame_h - h / 2) for y, h in zip(ys, heights, strict=True)]
    return [replace(it, cx=x, cy=y) for it, x, y in zip(items, xs, ys, strict=True)]


def _fit(width: float, height: float, frame_w: int, frame_h: int) -> tuple[float, float]:
    s = min(1.0, 0.9 * frame_w / width, 0.9 * frame_h / height)
    return width * s, height * s


def _standing(cy: float, img_h: float, frame_h: int, horizon: float | None) -> float:
    """Move a centre so the object stands on the floor and stays inside the frame."""
    bottom = cy + img_h / 2
    if horizon is not None:
        floor_min = (horizon + 0.05) * frame_h
        if bottom < floor_min:
            cy += floor_min - bottom
    bottom = cy + img_h / 2
    if bottom > 0.97 * frame_h:
        cy -= bottom - 0.97 * frame_h
    return cy


def _cluster(n: int, width: float, img_h: float, flat_lay: bool,
             rng: np.random.Generator) -> list[tuple[float, float]]:
    """Offsets of ``n`` copies around their location, back rows first."""
    if n == 1:
        return [(0.0, 0.0)]
    cols = min(n, 5 if not flat_lay else math.ceil(math.sqrt(n)))
    rows = math.ceil(n / cols)
    step_x = width * 1.18
    step_y = img_h * (1.12 if flat_lay else 0.32)
    jitter = rng.uniform(-1.0, 1.0, size=(n, 2))
    out = []
    for i in range(n):
        row, col = divmod(i, cols)
        in_row = min(cols, n - row * cols)
        x = (col - (in_row - 1) / 2) * step_x + (0.5 * step_x if row % 2 else 0.0)
        y = (row - (rows - 1) / 2) * step_y
        out.append((x + jitter[i, 0] * 0.08 * width, y + jitter[i, 1] * 0.03 * img_h))
    return out
