"""Colour words and hex colours, both ways.

The translator turns "black velvet" into ``#101010`` for the background control, the
controls compiler turns ``#F2EDE4`` back into words ("warm off-white"), and the preview
engine paints objects in the colours their descriptions name.
"""

from __future__ import annotations

import re
from functools import cache

# name -> hex. Multi-word names first where they contain single-word names.
NAMED_COLORS: dict[str, str] = {
    "off-white": "#F4F1EA", "off white": "#F4F1EA", "ivory": "#FFFFF0", "cream": "#F3E9D2",
    "white": "#FFFFFF", "snow white": "#FAFAFA", "pure white": "#FFFFFF",
    "light grey": "#D3D3D3", "light gray": "#D3D3D3", "silver": "#C0C0C0",
    "grey": "#808080", "gray": "#808080", "dark grey": "#404040", "dark gray": "#404040",
    "charcoal": "#36454F", "graphite": "#383838", "black": "#101010", "jet black": "#0A0A0A",
    "beige": "#E8D8BF", "sand": "#D8C3A0", "tan": "#D2B48C", "taupe": "#8B7D6B",
    "brown": "#7B4A2A", "chocolate": "#5A3825", "walnut": "#5C4033", "caramel": "#B7773A",
    "red": "#C62828", "crimson": "#B0142D", "burgundy": "#6D1A36", "maroon": "#800000",
    "wine": "#722F37", "coral": "#FF7F50", "salmon": "#FA8072",
    "pink": "#F4A6C0", "blush": "#F1C5C8", "blush pink": "#F1C5C8", "hot pink": "#FF3E9A",
    "magenta": "#D81B8C", "rose": "#E8A0A8", "rose gold": "#B76E79", "dusty rose": "#C9A0A0",
    "orange": "#F57C00", "peach": "#FFCBA4", "terracotta": "#C8603F", "rust": "#A0451F",
    "amber": "#FFB300", "honey": "#E3A21A", "mustard": "#D4A017",
    "yellow": "#F9D71C", "lemon": "#FFF44F", "gold": "#D4AF37", "golden": "#D4AF37",
    "champagne": "#F1DDB5", "brass": "#B5A642", "copper": "#B87333", "bronze": "#9C6B30",
    "green": "#2E7D32", "sage": "#9CAF88", "sage green": "#9CAF88", "mint": "#A8E6CF",
    "olive": "#708238", "emerald": "#1F8A5B", "forest green": "#1F4D2B", "lime": "#9CCC3C",
    "teal": "#008080", "turquoise": "#30D5C8", "aqua": "#4FD1D9", "cyan": "#00BCD4",
    "blue": "#1E63C6", "light blue": "#A7C7E7", "sky blue": "#87CEEB", "baby blue": "#A9CCE3",
    "navy": "#1B2A4A", "navy blue": "#1B2A4A", "cobalt": "#0047AB", "royal blue": "#2750C4",
    "denim": "#3B5B8C", "powder blue": "#B0D0E8",
    "purple": "#6A1B9A", "violet": "#7F3FBF", "lavender": "#C8B6E2", "lilac": "#C8A2C8",
    "plum": "#6E2A5B", "mauve": "#B784A7",
    "clear": "#E6EEF2", "transparent": "#E6EEF2", "frosted": "#E9EEF0",
}

_PREFERRED_NAMES = {  # the name to print for hex values that several words share
    "#F4F1EA": "off-white", "#808080": "grey", "#D3D3D3": "light grey", "#404040": "dark grey",
    "#1B2A4A": "navy blue", "#D4AF37": "gold", "#F1C5C8": "blush pink", "#9CAF88": "sage green",
    "#E6EEF2": "clear", "#FFFFFF": "white",
}

_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """``"#F2EDE4"`` -> ``(242, 237, 228)``; raises ``ValueError`` for anything else."""
    m = _HEX.match(value.strip())
    if not m:
        raise ValueError(f"not a hex colour: {value!r}")
    h = m.group(1)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def _to_lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@cache
def _palette() -> list[tuple[str, tuple[float, float, float]]]:
    names: dict[str, str] = {}
    for name, hx in NAMED_COLORS.items():
        names.setdefault(hx.upper(), _PREFERRED_NAMES.get(hx.upper(), name))
    return [(name, _to_lab(hex_to_rgb(hx))) for hx, name in names.items()]


def hex_to_name(value: str) -> str:
    """The nearest colour word for a hex colour (perceptual distance)."""
    lab = _to_lab(hex_to_rgb(value))
    def distance(entry: tuple[str, tuple[float, float, float]]) -> float:
        return sum((a - b) ** 2 for a, b in zip(entry[1], lab, strict=True))

    return min(_palette(), key=distance)[0]


def name_to_hex(name: str) -> str | None:
    """Hex for a colour word (``"navy blue"`` -> ``#1B2A4A``), or ``None``."""
    return NAMED_COLORS.get(name.strip().lower())


@cache
def _finder() -> re.Pattern[str]:
    names = sorted(NAMED_COLORS, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def find_colors(text: str) -> list[tuple[str, str]]:
    """Colour words in ``text`` in order, longest match first: ``[(name, hex), ...]``."""
    return [(m.group(1).lower(), NAMED_COLORS[m.group(1).lower()])
            for m in _finder().finditer(text)]


def luminance(value: str) -> float:
    """Relative luminance 0..1 of a hex colour."""
    r, g, b = (c / 255.0 for c in hex_to_rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
