"""Objects as sprites: coverage, surface normals and materials over a bounding box.

Shapes are turned solids (bottle, jar, cup ... from ``profiles``), spheres and ellipsoids
(balls, shoes, watches) and boxes (packages, books, phones, bags), seen from the camera's
elevation; in a top-down flat lay tall things lie on their side and round things show their
tops. Normals are in world space (x frame right, y up, z towards the camera) so that
``lighting.shade`` can light them, and ``footprint`` tells ``shadows`` where each one stands.
"""

from __future__ import annotations

import math

import numpy as np

from studioflow.engines.preview import profiles as pf
from studioflow.engines.preview.boxes import box
from studioflow.engines.preview.layout import Item
from studioflow.engines.preview.objects import Material, darker
from studioflow.engines.preview.raster import F32, coverage, ellipse_sd, rgb
from studioflow.engines.preview.sprite import (
    Footprint,
    Sprite,
    camera_axes,
    normalized,
    to_world,
)


def _upright_elevation(elevation: float) -> float:
    """Standing objects are drawn from at most 55 degrees up; a low camera sees them level
    (it cannot look under something standing on the floor)."""
    return max(0.0, min(55.0, elevation))


# --- turned solids ------------------------------------------------------------------------

def turned(item: Item, elevation: float, lying: bool = False) -> Sprite:
    """A turned solid standing upright, or ``lying`` on its side under a top-down camera.

    Each pixel's height on the front surface is solved for (the base and every
    cross-section appear as ellipses from an elevated camera); the radius profile then
    gives the outline, the part (body, label, cap) and the normal.
    """
    look, prof = item.look, pf.profile(item.look.kind)
    R, H = item.width / 2.0, item.height
    se, ce = (0.0, 1.0) if lying else camera_axes(_upright_elevation(elevation))
    base = item.cy + 0.5 * H * ce
    r_top = R * float(prof.radius[-1])
    handle = 0.62 * R if look.kind == "mug" else 0.0
    x0, x1 = math.floor(item.cx - R - 2), math.ceil(item.cx + R + handle + 2)
    y0 = math.floor(base - H * ce - abs(r_top * se) - 2)
    y1 = math.ceil(base + R * abs(se) + 2)
    sp = Sprite(x0, y0, x1 - x0, y1 - y0)
    dx = sp.xs - F32(item.cx)
    n = pf.SAMPLES - 1
    h = (F32(base) - sp.ys) / F32(ce)
    for _ in range(3):  # the front surface's height at each pixel, found by iteration
        idx = np.clip(h * F32(n / H), 0, n).astype(np.int32)
        r = F32(R) * prof.radius[idx]
        u = np.clip(dx / np.maximum(r, F32(0.5)), -1.0, 1.0)
        h = (F32(base) - sp.ys + r * F32(se) * np.sqrt(1.0 - u * u)) / F32(ce)
    idx = np.clip(h * F32(n / H), 0, n).astype(np.int32)
    r = F32(R) * prof.radius[idx]
    u = np.clip(dx / np.maximum(r, F32(0.5)), -1.0, 1.0)
    slope = F32(R / H) * prof.slope[idx]  # dr/dh in pixels per pixel
    # The outline at the sides is where the front surface turns away (u = +-1, no depth
    # offset), so it is measured at the row's own height; distance to a sloping outline
    # (a shoulder) is shorter than the horizontal gap.
    h_side = np.clip((F32(base) - sp.ys) / F32(ce), 0.0, F32(H))
    i_side = np.clip(h_side * F32(n / H), 0, n).astype(np.int32)
    s_side = F32(R / H) * prof.slope[i_side]
    side = (F32(R) * prof.radius[i_side] - np.abs(dx)) / np.sqrt(1.0 + s_side * s_side)
    cov = coverage(np.minimum(side, np.minimum(h, F32(H) - h) * F32(ce)))
    nx, ny, nz = normalized(u, -slope, np.sqrt(1.0 - u * u))
    height = np.clip(h / F32(H), 0.0, 1.0)
    if handle:
        _handle(sp, item, base, R, H, se, ce)
    rows_per_t = F32(H * ce)
    for t0, _, k in prof.spans():  # each part is laid over the one below, seams blended
        weight = coverage((height - F32(t0)) * rows_per_t) if t0 > 0 else F32(1.0)
        sp.paint(cov * weight, (nx, ny, nz), look.part(k) or look.body, height)
    if se > 0.02 and prof.top != "none":
        _top(sp, item, prof, base - H * ce, r_top, se, ce)
    if lying:
        sp.normal[:] = np.stack(to_world(tuple(sp.normal), 1.0, 0.0))
        sp.height[:] = 1.0
    return sp


def _top(sp: Sprite, item: Item, prof: pf.Profile, y_top: float, r_top: float, se: float,
         ce: float) -> None:
    dx, dy = sp.xs - F32(item.cx), sp.ys - F32(y_top)
    up = (F32(0.0), F32(1.0), F32(0.0))
    top_mat = item.look.part(int(prof.part[-1])) or item.look.body
    sp.paint(coverage(ellipse_sd(dx, dy, r_top, r_top * se)), up, top_mat, F32(1.0))
    if prof.top == "open":  # the inside of a cup or bowl: far wall lit, near side in shade
        inner = coverage(ellipse_sd(dx, dy, r_top * 0.88, r_top * se * 0.88))
        depth = np.clip(dy / F32(r_top * se * 0.88 + 1e-3), -1.0, 1.0)
        tone = F32(0.62) - F32(0.3) * depth
        facing = (F32(0.0), F32(0.3), F32(0.95))
        sp.paint(inner, facing, darker(item.look.body, 1.0), F32(0.5), tone)


def _handle(sp: Sprite, item: Item, base: float, R: float, H: float, se: float,
            ce: float) -> None:
    cy = base - 0.52 * H * ce
    a, b, thick = 0.42 * R, 0.3 * H * ce, 0.1 * R
    dx, dy = sp.xs - F32(item.cx + R * 0.98), sp.ys - F32(cy)
    sd = ellipse_sd(dx, dy, a, b)
    outside = (sp.xs > F32(item.cx + R * 0.85)).astype(F32)
    cov = coverage(F32(thick) - np.abs(sd)) * outside
    s = np.clip(sd / F32(thick), -1.0, 1.0)
    ox, oy = dx / F32(a * a), dy / F32(b * b)
    inv = 1.0 / (np.sqrt(ox * ox + oy * oy) + F32(1e-6))
    n = normalized(-ox * inv * s, oy * inv * s, np.sqrt(1.0 - s * s))
    sp.paint(cov, to_world(n, se, ce), item.look.body, F32(0.5))


# --- ellipsoids ---------------------------------------------------------------------------

def ellipsoid(sp: Sprite, cx: float, cy: float, rx: float, ry: float, rz: float,
              mat: Material, elevation: float, cut: float | None = None) -> None:
    """Paint the front of an ellipsoid; ``cut`` flattens it below an image row."""
    se, ce = camera_axes(elevation)
    dx, dy = sp.xs - F32(cx), sp.ys - F32(cy)
    cov = coverage(ellipse_sd(dx, dy, rx, ry))
    if cut is not None:
        cov = cov * coverage(F32(cut) - sp.ys)
    q = np.clip(1.0 - (dx / F32(rx)) ** 2 - (dy / F32(ry)) ** 2, 0.0, 1.0)
    n = normalized(dx / F32(rx * rx), -dy / F32(ry * ry), np.sqrt(q) / F32(rz))
    bottom = cut if cut is not None else cy + ry
    height = np.clip((F32(bottom) - sp.ys) / F32(bottom - (cy - ry)), 0.0, 1.0)
    sp.paint(cov, to_world(n, se, ce), mat, height)


def _box_sprite(cx: float, cy: float, rx: float, ry: float) -> Sprite:
    x0, y0 = math.floor(cx - rx - 2), math.floor(cy - ry - 2)
    return Sprite(x0, y0, math.ceil(cx + rx + 2) - x0, math.ceil(cy + ry + 2) - y0)


def sphere(item: Item, elevation: float) -> Sprite:
    R = item.width / 2.0
    sp = _box_sprite(item.cx, item.cy, R, R)
    ellipsoid(sp, item.cx, item.cy, R, R, R, item.look.body, elevation)
    return sp


def shoe(item: Item, elevation: float) -> Sprite:
    """A sneaker in profile: a low toe box, a higher heel with its opening, and a sole."""
    w, h = item.width / 2.0, item.height
    base = item.cy + h / 2
    e = _upright_elevation(elevation)
    sp = _box_sprite(item.cx, item.cy, w * 1.05, h / 2 + 2)
    body = item.look.body
    ellipsoid(sp, item.cx + 0.15 * w, base, 0.85 * w, 0.58 * h, 0.4 * w, body, e, cut=base)
    ellipsoid(sp, item.cx - 0.5 * w, base, 0.47 * w, 0.92 * h, 0.4 * w, body, e, cut=base)
    collar = coverage(ellipse_sd(sp.xs - F32(item.cx - 0.47 * w), sp.ys - F32(base - 0.84 * h),
                                 0.26 * w, 0.06 * h))
    inside = (F32(0.0), F32(0.2), F32(0.98))
    sp.paint(collar * (sp.alpha > 0.5), inside, darker(body, 0.35), F32(0.9))
    sole = coverage(np.minimum(np.minimum(F32(base) - sp.ys, sp.ys - F32(base - 0.14 * h)),
                               F32(w * 0.98) - np.abs(sp.xs - F32(item.cx + 0.02 * w))))
    front = (F32(0.0), F32(0.0), F32(1.0))
    sole_colour = item.look.cap if item.look.cap.albedo != body.albedo else Material(
        rgb("#EFEDE8") if sum(body.albedo) < 2.4 else rgb("#9A948C"), 0.2, 0.0, 1.0)
    sp.paint(sole, front, sole_colour, F32(0.05))
    return sp


def watch(item: Item, elevation: float) -> Sprite:
    """A round face on a strap, facing the camera."""
    R = item.width / 2.0
    sp = _box_sprite(item.cx, item.cy, R, item.height * 0.95)
    strap = coverage(np.minimum(F32(0.55 * R) - np.abs(sp.xs - F32(item.cx)),
                                F32(item.height * 0.95) - np.abs(sp.ys - F32(item.cy))))
    front = (F32(0.0), F32(0.0), F32(1.0))
    sp.paint(strap, front, darker(item.look.body, 0.45), F32(0.5))
    ellipsoid(sp, item.cx, item.cy, R, R, 0.35 * R, item.look.cap, 0.0)
    face_rgb = "#1C1C1E" if sum(item.look.body.albedo) > 1.5 else "#F4F1EA"
    face = coverage(ellipse_sd(sp.xs - F32(item.cx), sp.ys - F32(item.cy), 0.76 * R, 0.76 * R))
    sp.paint(face, front, Material(rgb(face_rgb), 0.9, 0.0, 1.0), F32(0.6))
    return sp


# --- flat lay -----------------------------------------------------------------------------

def disc(item: Item) -> Sprite:
    """A round object seen from straight above: a lit rim around its top."""
    R = item.width / 2.0
    sp = _box_sprite(item.cx, item.cy, R, R)
    dx, dy = sp.xs - F32(item.cx), sp.ys - F32(item.cy)
    dist = np.sqrt(dx * dx + dy * dy) + F32(1e-3)
    sd = F32(R) - dist
    tilt = np.clip(1.0 - sd / F32(0.14 * R), 0.0, 1.0) * F32(0.8)
    ox, oy = dx / dist, dy / dist
    # seen from above: image right = x, image down = towards the camera's feet (+z)
    rim = (ox * tilt, np.sqrt(1.0 - tilt * tilt), oy * tilt)
    sp.paint(coverage(sd), rim, item.look.body, F32(1.0))
    top = pf.profile(item.look.kind).top
    if top in ("open", "flat") and item.look.kind != "plate":
        inner_r = 0.8 * R
        tilt_in = np.clip(1.0 - (F32(inner_r) - dist) / F32(0.2 * R), 0.0, 1.0) * F32(0.6)
        inner = (-ox * tilt_in, np.sqrt(1.0 - tilt_in * tilt_in), -oy * tilt_in)
        mat = darker(item.look.body, 0.7) if top == "open" else (
            item.look.cap if item.look.kind in ("jar", "can") else item.look.body)
        sp.paint(coverage(F32(inner_r) - dist), inner, mat, F32(0.8))
    return sp


def sprite(item: Item, elevation: float) -> Sprite:
    """The sprite for an item at a camera elevation."""
    kind = item.look.kind
    flat_lay = elevation >= pf.FLAT_LAY_ELEVATION
    if kind == "sphere":
        return sphere(item, elevation)
    if kind in pf.BOXES:
        return box(item, elevation)
    if kind == "shoe":
        return shoe(item, 0.0 if flat_lay else elevation)
    if kind == "watch":
        return watch(item, elevation)
    if flat_lay:
        return disc(item) if kind in pf.ROUND_FROM_ABOVE else turned(item, elevation, True)
    return turned(item, elevation)


def footprint(item: Item, elevation: float) -> Footprint:
    """Where an upright item stands and how its cast shadow is shaped."""
    kind = item.look.kind
    _, ce = camera_axes(_upright_elevation(elevation))
    prof = pf.shadow_profile(kind)
    if kind == "sphere":
        R = item.width / 2.0
        return Footprint(item.cx, item.cy + R * 0.96, R, R, 2.0 * R, prof)
    if kind == "watch":
        R = item.width / 2.0
        return Footprint(item.cx, item.cy + R, R, 0.3 * R, 2.0 * R, prof)
    if kind in pf.BOXES:
        depth_ratio, yaw = pf.BOXES[kind]
        t = math.radians(yaw)
        w = item.width / (math.cos(t) + depth_ratio * math.sin(t))
        half_depth = 0.5 * (w * math.sin(t) + w * depth_ratio * math.cos(t))
        return Footprint(item.cx, item.cy + 0.5 * item.height * ce, item.width / 2.0,
                         half_depth, item.height, prof)
    if kind == "shoe":
        return Footprint(item.cx, item.cy + item.height / 2, item.width / 2.0,
                         0.22 * item.width, item.height, prof)
    return Footprint(item.cx, item.cy + 0.5 * item.height * ce, item.width / 2.0,
                     item.width / 2.0, item.height, prof)


def thickness(item: Item) -> float:
    """How far a flat-lay object rises above the surface (pixels)."""
    kind = item.look.kind
    if kind in pf.BOXES:
        return min(pf.BOXES[kind][0], 0.12) * item.width
    if kind == "plate":
        return 0.04 * item.width
    if kind in pf.ROUND_FROM_ABOVE:
        return 0.6 * min(item.width, item.height)
    return 0.5 * min(item.width, item.height)
