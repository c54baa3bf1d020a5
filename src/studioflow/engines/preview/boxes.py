"""Boxes: packages, books, phones and bags, drawn as turned 3D boxes.

A box is yawed a little so two sides show, projected from the camera's elevation; each
visible face is a convex quad with its own normal. The front face can carry a label or a
phone's screen, and a bag gets a handle.
"""

from __future__ import annotations

import math

import numpy as np

from studioflow.engines.preview import profiles as pf
from studioflow.engines.preview.layout import Item
from studioflow.engines.preview.objects import Material, darker
from studioflow.engines.preview.raster import F32, coverage, ellipse_sd, polygon_sd, rgb
from studioflow.engines.preview.sprite import Sprite, camera_axes, normalized, to_world


def box(item: Item, elevation: float) -> Sprite:
    depth_ratio, yaw = pf.BOXES[item.look.kind]
    flat_lay = elevation >= pf.FLAT_LAY_ELEVATION
    t = math.radians(4.0 if flat_lay else yaw)  # flat lays are laid out square
    ct, st = math.cos(t), math.sin(t)
    w = item.width / (ct + depth_ratio * st)  # so that the box appears item.width wide
    d, h = w * depth_ratio, item.height
    if flat_lay:  # the box lies on its back, its front facing up
        d, h = h, d
    se, ce = camera_axes(max(-30.0, min(90.0, elevation)))
    base = item.cy + 0.5 * h * ce

    def project(x: float, y: float, z: float) -> tuple[float, float]:
        xr, zr = x * ct + z * st, -x * st + z * ct
        return item.cx + xr, base - (y * ce - zr * se)

    corners = {(sx, sy, sz): project(sx * w / 2, sy * h, sz * d / 2)
               for sx in (-1, 1) for sy in (0, 1) for sz in (-1, 1)}
    pts = np.array(list(corners.values()))
    bottom, top = float(pts[:, 1].max()), float(pts[:, 1].min())
    handle = _handle_size(w, h, ce) if item.look.kind == "bag" else None
    reach = handle[1] + handle[2] if handle else 0.0  # a bag's handle rises above its top
    x0 = math.floor(pts[:, 0].min() - 2)
    y0 = math.floor(min(top, project(0.0, h, 0.0)[1] - reach) - 2)
    sp = Sprite(x0, y0, math.ceil(pts[:, 0].max() + 2) - x0, math.ceil(bottom + 2) - y0)
    height = np.clip((F32(bottom) - sp.ys) / F32(max(bottom - top, 1.0)), 0.0, 1.0)
    faces = [  # (corners, world normal)
        ([(-1, 1, -1), (1, 1, -1), (1, 1, 1), (-1, 1, 1)], (0.0, 1.0, 0.0)),
        ([(-1, 0, 1), (1, 0, 1), (1, 1, 1), (-1, 1, 1)], (st, 0.0, ct)),
        ([(1, 0, -1), (1, 0, 1), (1, 1, 1), (1, 1, -1)], (ct, 0.0, -st)),
        ([(-1, 0, -1), (-1, 0, 1), (-1, 1, 1), (-1, 1, -1)], (-ct, 0.0, st)),
        ([(-1, 0, -1), (1, 0, -1), (1, 1, -1), (-1, 1, -1)], (-st, 0.0, -ct)),
    ]
    for keys, normal in faces:
        if normal[1] * se + normal[2] * ce <= 1e-3:
            continue  # faces away from the camera
        quad = np.array([corners[k] for k in keys])
        cov = coverage(polygon_sd(sp.xs, sp.ys, quad))
        n = tuple(F32(c) for c in normal)
        sp.paint(cov, n, item.look.body, height)
        if keys[0][2] == 1 and keys[1][2] == 1:  # the front face: label, screen
            _front_detail(sp, item, project, w, h, d, n, height)
    if handle:
        _bag_handle(sp, item, project(0.0, h, 0.0), handle, se, ce)
    return sp


def _front_detail(sp: Sprite, item: Item, project, w: float, h: float, d: float, n: tuple,
                  height: np.ndarray) -> None:
    if item.look.kind == "phone":
        inset, mat = (0.9, 0.04, 0.96), Material(rgb("#141518"), 0.95, 0.0, 1.0)
    elif item.look.label is not None:
        inset, mat = (0.75, 0.3, 0.7), item.look.label
    else:
        return
    sx, lo, hi = inset
    quad = np.array([project(-sx * w / 2, lo * h, d / 2), project(sx * w / 2, lo * h, d / 2),
                     project(sx * w / 2, hi * h, d / 2), project(-sx * w / 2, hi * h, d / 2)])
    sp.paint(coverage(polygon_sd(sp.xs, sp.ys, quad)), n, mat, height)


def _handle_size(w: float, h: float, ce: float) -> tuple[float, float, float]:
    """Half width, height and thickness of a bag's handle arc."""
    return 0.28 * w, 0.38 * h * max(ce, 0.3), 0.035 * w


def _bag_handle(sp: Sprite, item: Item, top_centre: tuple[float, float],
                size: tuple[float, float, float], se: float, ce: float) -> None:
    cx, cy = top_centre
    a, b, thick = size
    sd = ellipse_sd(sp.xs - F32(cx), sp.ys - F32(cy), a, b)
    cov = coverage(F32(thick) - np.abs(sd)) * (sp.ys < F32(cy))
    s = np.clip(sd / F32(thick), -1.0, 1.0)
    n = normalized(F32(0.0) * s, s, np.sqrt(1.0 - s * s))
    sp.paint(cov, to_world(n, se, ce), darker(item.look.body, 0.8), F32(1.0))
