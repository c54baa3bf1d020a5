"""Vectorised raster helpers: blurs, resizing, antialiased masks and compositing.

Everything works on float32 arrays and avoids per-pixel Python loops; blurs are separable
box blurs built from cumulative sums, run at reduced resolution when the radius is large.
"""

from __future__ import annotations

import numpy as np

F32 = np.float32
RGB = tuple[float, float, float]


def rgb(hx: str) -> RGB:
    """``"#FF8000"`` -> ``(1.0, 0.5, 0.0)``."""
    from studioflow.core.colors import hex_to_rgb

    r, g, b = hex_to_rgb(hx)
    return r / 255.0, g / 255.0, b / 255.0


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def coverage(signed_distance: np.ndarray) -> np.ndarray:
    """Antialiased coverage of a shape from its signed distance in pixels (inside > 0)."""
    return np.clip(signed_distance + 0.5, 0.0, 1.0)


def ellipse_sd(dx: np.ndarray, dy: np.ndarray, a: float, b: float) -> np.ndarray:
    """Approximate signed distance in pixels to an axis-aligned ellipse (inside > 0)."""
    a, b = max(a, 1e-3), max(b, 1e-3)
    qx, qy = dx / a, dy / b
    f = np.sqrt(qx * qx + qy * qy) + F32(1e-6)
    grad = np.sqrt((qx / a) ** 2 + (qy / b) ** 2) / f + F32(1e-6)
    return (1.0 - f) / grad


def polygon_sd(xs: np.ndarray, ys: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Signed distance in pixels to a convex polygon ``pts`` (N x 2, any winding)."""
    n = len(pts)
    area = sum(pts[i, 0] * pts[(i + 1) % n, 1] - pts[(i + 1) % n, 0] * pts[i, 1]
               for i in range(n))
    sign = 1.0 if area > 0 else -1.0
    out = None
    for i in range(n):
        (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % n]
        ex, ey = x1 - x0, y1 - y0
        length = float(np.hypot(ex, ey)) or 1.0
        d = F32(sign / length) * (F32(ex) * (ys - y0) - F32(ey) * (xs - x0))
        out = d if out is None else np.minimum(out, d)
    return out


def _box_axis(a: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """Mean over a window of 2*radius+1 along ``axis``, edges clamped."""
    if radius < 1:
        return a
    pad = [(0, 0)] * a.ndim
    pad[axis] = (radius + 1, radius)
    padded = np.pad(a, pad, mode="edge")
    n = a.shape[axis]

    def part(start: int) -> tuple[slice, ...]:
        idx = [slice(None)] * a.ndim
        idx[axis] = slice(start, start + n)
        return tuple(idx)

    if radius <= 3:  # a few shifted sums beat a cumulative sum for small windows
        out = padded[part(1)].copy()
        for k in range(2, 2 * radius + 2):
            out += padded[part(k)]
    else:
        c = np.cumsum(padded, axis=axis, dtype=F32)
        out = c[part(2 * radius + 1)]
        out -= c[part(0)]
    out *= F32(1.0 / (2 * radius + 1))
    return out


def box_blur(a: np.ndarray, radius: float, passes: int = 3) -> np.ndarray:
    """Approximately Gaussian blur of the first two axes by repeated box blurs."""
    r = int(round(radius / np.sqrt(passes)))
    for _ in range(passes):
        a = _box_axis(_box_axis(a, r, 0), r, 1)
    return a


def downsample(a: np.ndarray, k: int) -> np.ndarray:
    """Block mean by a power-of-two factor (odd sides lose their last row or column)."""
    while k > 1:
        h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
        a = (a[0:h:2, 0:w:2] + a[1:h:2, 0:w:2] + a[0:h:2, 1:w:2] + a[1:h:2, 1:w:2]) * F32(0.25)
        k //= 2
    return a


def _lerp_axis(a: np.ndarray, n: int, axis: int) -> np.ndarray:
    m = a.shape[axis]
    pos = (np.arange(n, dtype=F32) + 0.5) * F32(m / n) - 0.5
    pos = np.clip(pos, 0, m - 1)
    i0 = np.floor(pos).astype(np.intp)
    i1 = np.minimum(i0 + 1, m - 1)
    shape = [1] * a.ndim
    shape[axis] = n
    f = (pos - i0).reshape(shape).astype(F32)
    lo = np.take(a, i0, axis=axis)
    return lo + (np.take(a, i1, axis=axis) - lo) * f


def resize(a: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear resize of the first two axes."""
    if a.shape[0] != height:
        a = _lerp_axis(a, height, 0)
    if a.shape[1] != width:
        a = _lerp_axis(a, width, 1)
    return a


def blur(a: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian-like blur of an image; large radii run on a smaller copy and are upsampled."""
    if radius < 0.75:
        return a
    k = 1
    while radius / (k * 2) >= 0.75 and k < 8:
        k *= 2
    small = box_blur(downsample(a, k), radius / k)
    return resize(small, a.shape[0], a.shape[1]) if k > 1 else small


def over(canvas: np.ndarray, rgb: np.ndarray, alpha: np.ndarray, y0: int, x0: int) -> None:
    """Composite ``rgb`` (h x w x 3) with ``alpha`` (h x w) onto ``canvas`` at (y0, x0).

    Parts outside the canvas are clipped.
    """
    h, w = alpha.shape
    H, W = canvas.shape[:2]
    cy0, cx0 = max(y0, 0), max(x0, 0)
    cy1, cx1 = min(y0 + h, H), min(x0 + w, W)
    if cy0 >= cy1 or cx0 >= cx1:
        return
    sy, sx = slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0)
    a = alpha[sy, sx, None]
    region = canvas[cy0:cy1, cx0:cx1]
    region += (rgb[sy, sx] - region) * a
