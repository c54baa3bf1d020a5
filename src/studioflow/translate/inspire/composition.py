"""Where the subject is: everything that differs clearly from the backdrop.

The backdrop colour is the median of a thin border of the frame (product shots are framed
with backdrop around the product). The subject mask is the pixels far from that colour;
its centroid and extent give the placement (centred, rule of thirds, off to one side) and
the size in frame. A busy scene with no clear backdrop gives a low-confidence answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BORDER = 0.05  # of each side
THIRD_TOLERANCE = 0.09


@dataclass(frozen=True)
class Placement:
    backdrop_rgb: tuple[int, int, int]
    backdrop_uniform: bool  # the border is one colour (a studio backdrop)
    found: bool  # a subject stands out from the backdrop
    cx: float  # centroid, 0..1 from the left
    cy: float  # 0..1 from the top
    area: float  # share of the frame the subject's bounding box covers
    mask: np.ndarray  # bool, the subject's pixels


def _border(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    bh, bw = max(1, int(h * BORDER)), max(1, int(w * BORDER))
    return np.concatenate([image[:bh].reshape(-1, 3), image[-bh:].reshape(-1, 3),
                           image[:, :bw].reshape(-1, 3), image[:, -bw:].reshape(-1, 3)])


def locate(image: np.ndarray) -> Placement:
    pixels = image.astype(float)
    border = _border(pixels)
    backdrop = np.median(border, axis=0)
    spread = float(np.median(np.linalg.norm(border - backdrop, axis=1)))
    distance = np.linalg.norm(pixels - backdrop, axis=2)
    threshold = max(40.0, 4.0 * spread)
    mask = distance > threshold
    found = bool(mask.mean() > 0.002)
    if found:
        ys, xs = np.nonzero(mask)
        h, w = mask.shape
        cx, cy = float(xs.mean() / (w - 1 or 1)), float(ys.mean() / (h - 1 or 1))
        area = float((np.ptp(xs) + 1) * (np.ptp(ys) + 1) / (w * h))
    else:
        cx = cy = 0.5
        area = 0.0
    rgb = tuple(int(round(v)) for v in backdrop)
    return Placement(rgb, spread < 12.0, found, round(cx, 3), round(cy, 3), round(area, 3),
                     mask)


def describe(p: Placement) -> str:
    """FIBO's ``aesthetics.composition`` words for a placement."""
    if not p.found:
        return "no single subject stands out; an even, all-over composition"
    horizontal = _third(p.cx, ("left", "right"))
    vertical = _third(p.cy, ("upper", "lower"))
    if abs(p.cx - 0.5) < 0.08 and abs(p.cy - 0.5) < 0.1:
        text = "centered product"
    elif horizontal and horizontal != "center":
        text = f"product on the {horizontal} third line (rule of thirds)"
    elif abs(p.cx - 0.5) >= 0.08:
        text = f"product off-centre to the {'left' if p.cx < 0.5 else 'right'}"
    else:
        text = "product centred horizontally"
    if vertical and vertical != "center":
        text += f", placed in the {vertical} third"
    if p.cx < 0.42:
        text += ", negative space on the right"
    elif p.cx > 0.58:
        text += ", negative space on the left"
    elif p.area < 0.25:
        text += ", generous negative space around it"
    return text


def _third(value: float, sides: tuple[str, str]) -> str | None:
    if abs(value - 1 / 3) <= THIRD_TOLERANCE:
        return sides[0]
    if abs(value - 2 / 3) <= THIRD_TOLERANCE:
        return sides[1]
    if abs(value - 0.5) < 0.08:
        return "center"
    return None


def relative_size(area: float) -> str:
    if area < 0.08:
        return "small within the frame"
    if area < 0.35:
        return "medium within the frame"
    return "large within the frame"
