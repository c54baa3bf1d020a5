"""FIBO's ``text_render`` strings and the "PREVIEW" label, drawn with Pillow's own font.

``ImageFont.load_default(size=...)`` ships inside Pillow, so no font file is fetched. Text
without a usable colour gets black or white, whichever stands out from the backdrop there.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studioflow.engines.preview import words as w
from studioflow.engines.preview.raster import F32, over, rgb

LABEL = "PREVIEW"
_SIZES = [
    (("very large", "huge", "headline", "large within frame", "giant", "dominant"), 0.12),
    (("large", "big", "prominent", "bold headline"), 0.085),
    (("medium", "moderate", "regular"), 0.06),
    (("tiny", "fine print", "very small"), 0.026),
    (("small", "caption", "subtle", "little"), 0.038),
]


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow without FreeType: fixed bitmap font
        return ImageFont.load_default()


def _size(entry: dict[str, Any], short: int) -> int:
    text = entry.get("size", "").lower()
    frac = next((v for names, v in _SIZES if w.has(text, *names)), 0.06)
    return max(8, round(frac * short))


def _anchor(location: str) -> tuple[str, float]:
    """(horizontal alignment, vertical centre as a fraction of the height)."""
    loc = location.lower()
    fy = 0.5
    if w.has(loc, "top", "upper", "header", "above"):
        fy = 0.1
    elif w.has(loc, "bottom", "lower", "footer", "below", "base"):
        fy = 0.9
    side = w.side_of(loc)
    return ("left" if side < 0 else "right" if side > 0 else "center"), fy


def _mask(text: str, size: int, bold: bool) -> np.ndarray:
    f = font(size)
    stroke = max(1, size // 28) if bold else 0
    left, top, right, bottom = f.getbbox(text, stroke_width=stroke)
    img = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(img).text((-left, -top), text, font=f, fill=255, stroke_width=stroke,
                             stroke_fill=255)
    return np.asarray(img, dtype=F32) * F32(1.0 / 255.0)


def _colour(entry: dict[str, Any], canvas: np.ndarray, box: tuple[int, int, int, int]):
    named = w.hex_in(entry.get("color", ""))
    if named:
        return np.array(rgb(named), F32)
    y0, y1, x0, x1 = box
    behind = canvas[max(y0, 0):max(y1, 1), max(x0, 0):max(x1, 1)]
    lum = float(behind.mean()) if behind.size else 1.0
    return np.array((0.08, 0.08, 0.08) if lum > 0.5 else (0.97, 0.97, 0.97), F32)


def draw_texts(canvas: np.ndarray, entries: tuple[dict[str, Any], ...]) -> None:
    """Draw every text_render entry onto ``canvas`` (H x W x 3) in place."""
    H, W = canvas.shape[:2]
    taken: list[tuple[int, int]] = []  # rows already used, so stacked texts do not overlap
    for entry in entries:
        align, fy = _anchor(entry.get("location", "center"))
        bold = w.has(entry.get("font", ""), "bold", "heavy", "black", "extra-bold", "thick")
        size = _size(entry, min(H, W))
        mask = _mask(entry["text"], size, bold)
        if mask.shape[1] > 0.9 * W:  # too wide: shrink to fit
            size = max(6, int(size * 0.9 * W / mask.shape[1]))
            mask = _mask(entry["text"], size, bold)
        h, wd = mask.shape
        y0 = int(round(fy * H - h / 2))
        for top, bottom in taken:
            if y0 < bottom and y0 + h > top:
                y0 = bottom + h // 4 if fy <= 0.5 else top - h - h // 4
        x0 = {"left": int(0.06 * W), "right": int(0.94 * W) - wd}.get(align, (W - wd) // 2)
        colour = _colour(entry, canvas, (y0, y0 + h, x0, x0 + wd))
        over(canvas, np.broadcast_to(colour, (h, wd, 3)), mask, y0, x0)
        taken.append((y0, y0 + h))


def draw_label(canvas: np.ndarray) -> None:
    """A small "PREVIEW" tag in the bottom-left corner."""
    H, W = canvas.shape[:2]
    size = max(8, round(min(H, W) * 0.022))
    text = _mask(LABEL, size, bold=True)
    pad = max(2, size // 3)
    h, wd = text.shape[0] + 2 * pad, text.shape[1] + 2 * pad
    pill = Image.new("L", (wd, h), 0)
    ImageDraw.Draw(pill).rounded_rectangle((0, 0, wd - 1, h - 1), radius=h // 2 - 1, fill=255)
    x0, y0 = max(1, size // 2), H - h - max(1, size // 2)
    back = np.asarray(pill, dtype=F32) * F32(0.5 / 255.0)
    over(canvas, np.zeros((h, wd, 3), F32), back, y0, x0)
    white = np.full((text.shape[0], text.shape[1], 3), 0.96, F32)
    over(canvas, white, text * F32(0.95), y0 + pad, x0 + pad)
