"""Reading FIBO's descriptive text for the few things a lighting preview needs.

Used when a manifest has no numeric ``controls`` for that part: "key light from the upper
left" becomes an azimuth and elevation, "shallow depth of field" an aperture, "white marble
surface in front of a grey wall" a surface material and two colours. Heuristics only; the
numbers, where the manifest has them, always win.
"""

from __future__ import annotations

import re
from functools import cache

from studioflow.core.colors import find_colors, hex_to_rgb, rgb_to_hex

# Materials a surface can be, the words that name them, and a colour when no colour is named.
MATERIALS: dict[str, tuple[tuple[str, ...], str]] = {
    "marble": (("marble", "terrazzo", "quartz", "granite"), "#ECEAE6"),
    "wood": (("wood", "wooden", "oak", "walnut", "timber", "bamboo", "plank", "teak",
              "pine", "maple", "ash wood"), "#B8875A"),
    "fabric": (("velvet", "fabric", "linen", "silk", "satin", "cloth", "cotton", "felt",
                "suede", "towel", "canvas"), "#D9D3C8"),
    "concrete": (("concrete", "cement", "stone", "slate", "plaster", "stucco", "travertine",
                  "sandstone", "limestone", "rock", "sand"), "#A3A09A"),
    "glossy": (("glass", "mirror", "acrylic", "plexiglass", "lacquer", "glossy", "reflective",
                "polished", "water"), "#F2F2F2"),
    "paper": (("paper", "seamless", "sweep", "card", "studio", "backdrop", "infinity"),
              "#FFFFFF"),
}
_MATERIAL_COLORS = {"walnut": "#5C4033", "oak": "#C49A6C", "slate": "#3C3F43",
                    "granite": "#6E6A66", "travertine": "#DCCFB8", "bamboo": "#D2B77E",
                    "teak": "#9A6A3A", "terrazzo": "#DDD6CB", "sand": "#D8C3A0"}

_SURFACE_NOUNS = ("surface", "table", "tabletop", "counter", "countertop", "floor", "shelf",
                  "slab", "pedestal", "plinth", "board", "tray", "podium", "block", "desk")
_WALL_NOUNS = ("wall", "backdrop", "background", "sweep", "paper", "curtain", "cyclorama",
               "seamless", "screen", "drape")


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def has(text: str, *words: str) -> bool:
    """Whether any of ``words`` occurs in ``text`` as whole words."""
    return bool(_pattern(words).search(text))


def first_of(text: str, *words: str) -> int:
    """Position of the earliest of ``words`` in ``text`` (-1 when none occurs)."""
    m = _pattern(words).search(text)
    return m.start() if m else -1


def hex_in(text: str) -> str | None:
    """The first colour written in ``text``, as a word or as ``#RRGGBB``."""
    m = re.search(r"#[0-9A-Fa-f]{6}\b", text)
    found = find_colors(text)
    if m and (not found or m.start() < text.lower().find(found[0][0])):
        return m.group(0).upper()
    return found[0][1] if found else None


def material_of(text: str) -> str | None:
    """The surface material named in ``text`` (earliest mention), or ``None``."""
    best: tuple[int, str] | None = None
    for name, (words, _) in MATERIALS.items():
        pos = first_of(text, *words)
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, name)
    return best[1] if best else None


def material_color(text: str, material: str | None) -> str | None:
    """The colour of a material phrase: a named colour, else the material's own colour."""
    named = hex_in(text)
    if named:
        return named
    for word, hx in _MATERIAL_COLORS.items():
        if has(text, word):
            return hx
    return MATERIALS[material][1] if material else None


def lighten(hx: str, text: str) -> str:
    """Apply "light"/"pale"/"dark"/"deep" in ``text`` to a hex colour."""
    rgb = hex_to_rgb(hx)
    if has(text, "light", "pale", "soft", "bleached", "white-washed", "washed"):
        return rgb_to_hex(tuple(c + (255 - c) * 0.35 for c in rgb))
    if has(text, "dark", "deep", "smoked", "charred"):
        return rgb_to_hex(tuple(c * 0.6 for c in rgb))
    return hx


def split_background(text: str) -> tuple[str, str]:
    """Split "X surface in front of a Y wall" into its surface part and its wall part.

    Returns ``(surface_text, wall_text)``; both are the whole text when it names only one.
    """
    chunks = [c.strip() for c in re.split(r"\b(?:in front of|against|with|and|under|before|"
                                          r"backed by|below)\b|[,;]", text, flags=re.I)
              if c and c.strip()]
    surface = next((c for c in chunks if has(c, *_SURFACE_NOUNS)), None)
    wall = next((c for c in chunks if has(c, *_WALL_NOUNS) and c != surface), None)
    if surface is None and wall is None:
        return text, text
    return surface or wall or text, wall or surface or text


def degrees_in(text: str) -> float | None:
    m = re.search(r"(-?\d{1,3}(?:\.\d+)?)\s*(?:°|deg|degrees?)\b", text)
    return float(m.group(1)) if m else None


def side_of(text: str) -> float:
    """-1 for a frame-left phrase, +1 for frame-right, 0 for neither."""
    left, right = first_of(text, "left"), first_of(text, "right")
    if left >= 0 and (right < 0 or left < right):
        return -1.0
    return 1.0 if right >= 0 else 0.0
