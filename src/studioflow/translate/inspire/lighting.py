"""What the pixels say about the light: key (high-key / low-key), contrast, and an
estimate of where the main light comes from.

The direction is read from shading: on the subject (else on the whole frame) the mean
luminance of the left half is compared with the right half, and the top half with the
bottom half. A lit sphere, bottle or box is brighter on the side facing the light. This
is an estimate: a dark object on one side, a coloured gel or a back light fool it, so the
result carries a confidence and weak differences are reported as frontal / even light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LUMA = np.array([0.2126, 0.7152, 0.0722])
SIDE_THRESHOLD = 0.06  # normalised difference below which the light counts as frontal


@dataclass(frozen=True)
class LightReading:
    mean: float  # luminance 0..1
    contrast: float  # p95 - p5 of luminance
    key: str  # high-key | low-key | mid-key
    dx: float  # -1 (left brighter) .. +1 (right brighter)
    dy: float  # -1 (bottom brighter) .. +1 (top brighter)
    azimuth: float  # schema convention: negative = from frame left
    elevation: float
    confidence: str  # low | medium | high


def luminance(image: np.ndarray) -> np.ndarray:
    return (image.astype(float) / 255.0) @ LUMA


def _balance(luma: np.ndarray, mask: np.ndarray, axis: int) -> float:
    """(second half - first half) / sum of the halves' mean luminance, inside ``mask``."""
    coords = np.nonzero(mask)[axis]
    if coords.size < 20:
        return 0.0
    middle = (coords.min() + coords.max()) / 2.0
    values = luma[mask]
    first, second = values[coords < middle], values[coords > middle]
    if first.size == 0 or second.size == 0:
        return 0.0
    a, b = float(first.mean()), float(second.mean())
    return (b - a) / (a + b + 1e-6)


def read_light(image: np.ndarray, subject: np.ndarray | None) -> LightReading:
    luma = luminance(image)
    mean = float(luma.mean())
    p5, p95 = np.percentile(luma, [5, 95])
    contrast = float(p95 - p5)
    if mean > 0.68 and p5 > 0.3:
        key = "high-key"
    elif mean < 0.32 and p95 < 0.75:
        key = "low-key"
    else:
        key = "mid-key"
    mask = subject if subject is not None and subject.sum() >= 50 else np.ones_like(luma, bool)
    dx = _balance(luma, mask, axis=1)
    dy = -_balance(luma, mask, axis=0)  # rows grow downwards: top brighter -> positive
    strength = math.hypot(dx, dy)
    if strength < SIDE_THRESHOLD:
        azimuth, elevation = 0.0, 30.0
    else:
        azimuth = max(-90.0, min(90.0, math.degrees(math.atan2(dx, 0.25)) if dx else 0.0))
        elevation = max(-30.0, min(75.0, 30.0 + 120.0 * dy))
    confidence = "high" if strength > 0.25 else "medium" if strength > 0.12 else "low"
    return LightReading(round(mean, 3), round(contrast, 3), key, round(dx, 3), round(dy, 3),
                        round(azimuth / 5) * 5.0, round(elevation / 5) * 5.0, confidence)


def direction_words(r: LightReading) -> str:
    """Words for the direction, honest about how sure the estimate is."""
    horizontal = abs(r.dx) >= SIDE_THRESHOLD
    vertical = abs(r.dy) >= SIDE_THRESHOLD
    if not horizontal and not vertical:
        return "frontal or even light; no clear side is brighter (estimate from shading)"
    parts = []
    if vertical:
        parts.append("upper" if r.dy > 0 else "lower")
    if horizontal:
        parts.append("left" if r.dx < 0 else "right")
    where = "-".join(parts) if len(parts) == 2 else parts[0]
    side = "above" if where == "upper" else "below" if where == "lower" else f"the {where}"
    return f"main light from {side} ({r.confidence} confidence, estimated from shading)"
