"""The shapes objects are drawn as: proportions, and radius profiles of turned shapes.

A turned shape (bottle, jar, cup ...) is described by its radius along its height,
``r(t)`` for t from 0 (bottom) to 1 (top), as a fraction of its widest radius, plus which
part each height belongs to (body, cap, label) and what its top looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from studioflow.engines.preview.raster import F32

SAMPLES = 512
FLAT_LAY_ELEVATION = 62.0  # from this camera elevation up, the shot is a top-down flat lay

BODY, CAP, LABEL = 0, 1, 2

# height / width of each kind's silhouette
ASPECT: dict[str, float] = {
    "bottle": 2.5, "jar": 1.0, "can": 1.75, "candle": 1.15, "cup": 1.0, "mug": 0.95,
    "tube": 4.2, "cone": 1.5, "bowl": 0.45, "plate": 0.1, "product": 1.6, "sphere": 1.0,
    "box": 1.05, "book": 1.4, "phone": 2.0, "bag": 0.95, "shoe": 0.42, "watch": 1.0,
}
TURNED = ("bottle", "jar", "can", "candle", "cup", "mug", "tube", "cone", "bowl", "plate",
          "product")
BOXES: dict[str, tuple[float, float]] = {  # depth / width, yaw in degrees
    "box": (0.75, 32.0), "book": (0.24, 24.0), "phone": (0.08, 16.0), "bag": (0.42, 18.0),
}
ROUND_FROM_ABOVE = ("jar", "can", "candle", "cup", "mug", "bowl", "plate")


@dataclass(frozen=True)
class Profile:
    radius: np.ndarray  # r(t), SAMPLES values in [0, 1]
    slope: np.ndarray  # dr/dt
    part: np.ndarray  # BODY, CAP or LABEL per sample
    top: str  # "flat" (a lid or cap seen from above), "open" (cup), "none" (tip, dome)

    def spans(self) -> list[tuple[float, float, int]]:
        """(t start, t end, part) for each run of one part along the height."""
        change = np.nonzero(np.diff(self.part))[0] + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [len(self.part)]])
        n = len(self.part) - 1
        return [(s / n if s else -1.0, e / n if e <= n else 2.0, int(self.part[s]))
                for s, e in zip(starts, ends, strict=True)]


def _smooth(a: float, b: float, t: np.ndarray) -> np.ndarray:
    """0 before a, 1 after b, a cosine ease in between."""
    s = np.clip((t - a) / (b - a), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * s)


def _bottle(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    neck = 0.34
    r = 1.0 - (1.0 - neck) * _smooth(0.55, 0.71, t)
    r = np.where(t >= 0.84, 0.42, r)
    part = np.where(t >= 0.84, CAP, np.where((t > 0.14) & (t < 0.46), LABEL, BODY))
    return r, part


def _jar(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = np.where(t >= 0.86, 1.02, 1.0 - 0.05 * _smooth(0.78, 0.86, t))
    part = np.where(t >= 0.86, CAP, np.where((t > 0.2) & (t < 0.65), LABEL, BODY))
    return r, part


def _can(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = 1.0 - 0.08 * _smooth(0.93, 0.98, t) - 0.06 * (1.0 - _smooth(0.0, 0.03, t))
    part = np.where(t >= 0.97, CAP, np.where((t > 0.15) & (t < 0.85), LABEL, BODY))
    return r, part


def _tube(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = np.where(t >= 0.62, 0.96, 1.0)
    return r, np.where(t >= 0.62, CAP, BODY)


def _rounded(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    top = np.sqrt(np.clip(1.0 - ((t - 0.82) / 0.18) ** 2, 0.0, 1.0))
    r = np.where(t > 0.82, top, 1.0)
    return r, np.where((t > 0.25) & (t < 0.6), LABEL, BODY)


_PROFILES = {
    "bottle": (_bottle, "flat"),
    "jar": (_jar, "flat"),
    "can": (_can, "flat"),
    "candle": (lambda t: (np.ones_like(t), np.where(t > 0.999, CAP, BODY)), "flat"),
    "cup": (lambda t: (0.8 + 0.2 * t, np.full_like(t, BODY)), "open"),
    "mug": (lambda t: (np.ones_like(t), np.full_like(t, BODY)), "open"),
    "tube": (_tube, "flat"),
    "cone": (lambda t: (1.0 - 0.97 * t, np.full_like(t, BODY)), "none"),
    "bowl": (lambda t: (0.5 + 0.5 * np.sqrt(np.clip(1 - (1 - t) ** 2, 0, 1)),
                        np.full_like(t, BODY)), "open"),
    "plate": (lambda t: (0.72 + 0.28 * _smooth(0.0, 0.8, t), np.full_like(t, BODY)), "flat"),
    "product": (_rounded, "none"),
}


@cache
def profile(kind: str) -> Profile:
    """The profile of a turned kind (cached: treat its arrays as read-only)."""
    fn, top = _PROFILES[kind]
    t = np.linspace(0.0, 1.0, SAMPLES)
    r, part = fn(t)
    r = np.asarray(r, dtype=np.float64)
    return Profile(r.astype(F32), np.gradient(r, t).astype(F32), np.asarray(part).astype(np.int8),
                   top)


def shadow_profile(kind: str, n: int = 64) -> np.ndarray:
    """Width of a kind's cast shadow along its height, as a fraction of its widest width."""
    t = np.linspace(0.0, 1.0, n, dtype=F32)
    if kind in _PROFILES:
        r = profile(kind).radius[np.round(t * (SAMPLES - 1)).astype(int)]
    elif kind == "sphere":
        r = np.sqrt(np.clip(1.0 - (2.0 * t - 1.0) ** 2, 0.0, 1.0))
    elif kind in ("shoe", "watch"):
        r = np.sqrt(np.clip(1.0 - t * t, 0.0, 1.0))
    else:
        r = np.ones_like(t)
    return np.maximum(r, 0.12).astype(F32)
