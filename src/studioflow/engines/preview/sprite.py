"""A sprite: one object's surface, pixel by pixel, over its bounding box.

Shapes paint parts into a sprite (coverage, world-space normal, material); lighting shades
it; the painter composites it. Normals are in world space: x frame right, y up, z towards
the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studioflow.engines.preview.objects import Material
from studioflow.engines.preview.raster import F32


class Sprite:
    """Per-pixel surface of one object over its bounding box at (x0, y0)."""

    def __init__(self, x0: int, y0: int, width: int, height: int) -> None:
        self.x0, self.y0 = x0, y0
        shape = (height, width)
        self.alpha = np.zeros(shape, F32)
        self.normal = np.zeros((3, *shape), F32)
        self.albedo = np.zeros((3, *shape), F32)
        self.height = np.zeros(shape, F32)  # 0 where it meets the floor, 1 at its top
        self.gloss = np.zeros(shape, F32)
        self.metal = np.zeros(shape, F32)
        self.opacity = np.ones(shape, F32)
        self.xs = np.arange(x0, x0 + width, dtype=F32)[None, :] + F32(0.5)
        self.ys = np.arange(y0, y0 + height, dtype=F32)[:, None] + F32(0.5)

    def paint(self, cov: np.ndarray, normal: tuple, mat: Material, height,
              tone: np.ndarray | float = 1.0) -> None:
        """Lay a part with coverage ``cov`` over what is already painted; ``tone`` scales
        its colour per pixel."""
        a = np.broadcast_to(cov, self.alpha.shape).astype(F32)
        self.alpha += a * (1.0 - self.alpha)
        for i in range(3):
            self.normal[i] += (normal[i] - self.normal[i]) * a
            self.albedo[i] += (F32(mat.albedo[i]) * tone - self.albedo[i]) * a
        self.height += (height - self.height) * a
        self.gloss += (F32(mat.gloss) - self.gloss) * a
        self.metal += (F32(mat.metal) - self.metal) * a
        self.opacity += (F32(mat.opacity) - self.opacity) * a


@dataclass(frozen=True)
class Footprint:
    """Where an upright object stands, for its cast shadow (pixels)."""

    cx: float
    base: float  # image row of the footprint's centre
    a: float  # half width
    depth: float  # half depth, before the floor's foreshortening
    height: float
    profile: np.ndarray  # shadow width along the height, fraction of ``a``


def camera_axes(elevation: float) -> tuple[float, float]:
    e = math.radians(elevation)
    return math.sin(e), math.cos(e)


def to_world(n: tuple, se: float, ce: float) -> tuple:
    """Camera-space normal (x right, y image-up, z to camera) to world space."""
    nx, ny, nz = n
    return nx, ny * ce + nz * se, nz * ce - ny * se


def normalized(nx, ny, nz) -> tuple:
    inv = 1.0 / np.sqrt(nx * nx + ny * ny + nz * nz + F32(1e-8))
    return nx * inv, ny * inv, nz * inv
