"""Marketplace presets: image sizes and the background and content rules of each channel.

Presets live here, not in the manifest schema: a preset is applied to a manifest (size,
backdrop, shadows, framing, text) and the result is an ordinary manifest. Sources and
assumptions are in docs/batch.md; marketplaces change their rules, so check them.

Sizes are nominal; ``fit_size`` moves them onto the engine's grid (sides multiples of its
``size_multiple``, within its side and pixel limits), keeping the aspect ratio as exact as
the grid allows.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from studioflow.errors import ErrorDetail, InputError

WHITE = "#FFFFFF"
CONTACT_SHADOW_MAX = 0.3  # darkest contact shadow a pure-white main image keeps


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    width: int
    height: int
    rules: tuple[str, ...]
    source: str
    min_long_side: int | None = None
    background: dict[str, Any] | None = None  # replaces controls.background
    contact_shadows_only: bool = False
    relative_size: str | None = None  # the product's fibo relative_size
    composition: str | None = None
    no_text: bool = False
    product_only: bool = False
    aliases: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "width": self.width,
                "height": self.height, "rules": list(self.rules), "source": self.source}


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset(
        name="amazon-main", label="Amazon main image", width=2000, height=2000,
        min_long_side=1000, aliases=("amazon",),
        rules=("pure white background #FFFFFF", "product fills about 85% of the frame",
               "only the product: no props, no text, logos or watermarks",
               "soft contact shadow only", "square, at least 1000 px on the longest side "
               "(2000 px so zoom works)"),
        source="Amazon Seller Central, product image requirements (main image)",
        background={"color": WHITE, "style": "sweep"}, contact_shadows_only=True,
        relative_size="large, filling about 85% of the frame",
        composition="centered, the product filling about 85% of the frame on pure white",
        no_text=True, product_only=True),
    Preset(
        name="shopify", label="Shopify product image", width=2048, height=2048,
        rules=("square 2048 x 2048 px, as Shopify recommends for product images",),
        source="Shopify Help Center, product media: image sizes"),
    Preset(
        name="etsy", label="Etsy listing photo", width=2000, height=1500,
        rules=("4:3 landscape (Etsy's thumbnail ratio)", "2000 px wide (Etsy asks for at "
               "least 2000 px; 3000 x 2250 is beyond FIBO's 2048 px limit)"),
        source="Etsy Seller Handbook / Help: listing photo sizes"),
    Preset(
        name="instagram-feed", label="Instagram feed (portrait)", width=1080, height=1350,
        aliases=("instagram",), rules=("4:5 portrait, 1080 x 1350 px",),
        source="Instagram Help Center: photo sizes"),
    Preset(
        name="instagram-story", label="Instagram story", width=1080, height=1920,
        rules=("9:16 full screen, 1080 x 1920 px",),
        source="Instagram Help Center: stories"),
)}
_BY_NAME = {alias: p for p in PRESETS.values() for alias in (p.name, *p.aliases)}


def get_preset(name: str, path: str = "preset") -> Preset:
    preset = _BY_NAME.get(name.strip().casefold())
    if preset is None:
        raise InputError(f"unknown preset {name!r}",
                         [ErrorDetail(path, f"expected one of {', '.join(PRESETS)}")])
    return preset


@lru_cache(maxsize=256)
def fit_size(width: int, height: int, caps: Any, reach: int = 2) -> tuple[int, int]:
    """The size nearest ``width`` x ``height`` that the engine accepts: sides on its grid,
    within its limits, the aspect ratio as exact as the grid allows (then closest)."""
    m = caps.size_multiple
    scale = min(1.0, caps.max_side / max(width, height),
                math.sqrt(caps.max_pixels / (width * height)))
    w, h = width * scale, height * scale
    low = math.ceil(caps.min_side / m) * m

    def options(x: float) -> list[int]:
        base = round(x / m) * m
        return [v for v in range(base - reach * m, base + (reach + 1) * m, m)
                if low <= v <= caps.max_side]

    pairs = [(a, b) for a in options(w) for b in options(h) if a * b <= caps.max_pixels]
    if not pairs:
        return low, low
    ratio = width / height

    def cost(pair: tuple[int, int]) -> tuple[float, float, int]:
        a, b = pair
        return (round(abs(a / b - ratio) / ratio, 4), abs(a - w) + abs(b - h), -a * b)

    return min(pairs, key=cost)


def apply_preset(manifest: dict[str, Any], preset: Preset) -> list[str]:
    """Force the preset's content rules onto ``manifest`` (in place); the returned notes say
    what the rules removed, for the row's warnings. The size is set by the caller."""
    notes: list[str] = []
    fibo = manifest["fibo"]
    controls = manifest.setdefault("controls", {})
    if preset.background is not None:
        controls["background"] = copy.deepcopy(preset.background)
    if preset.contact_shadows_only:
        shadows = controls.get("shadows") or {}
        style = "none" if shadows.get("style") == "none" else "contact"
        intensity = min(float(shadows.get("intensity", CONTACT_SHADOW_MAX)), CONTACT_SHADOW_MAX)
        controls["shadows"] = {"style": style, "intensity": intensity, "reflection": False}
    if preset.product_only and len(fibo.get("objects") or []) > 1:
        dropped = ", ".join(o["description"] for o in fibo["objects"][1:])
        notes.append(f"{preset.name} shows only the product; left out: {dropped}")
        fibo["objects"] = fibo["objects"][:1]
    if preset.product_only and fibo.get("objects"):
        fibo["objects"][0]["relationship"] = "the product alone, isolated on the backdrop"
    if preset.relative_size and fibo.get("objects"):
        fibo["objects"][0]["relative_size"] = preset.relative_size
    if preset.composition:
        fibo.setdefault("aesthetics", {})["composition"] = preset.composition
    if preset.no_text and fibo.get("text_render"):
        texts = ", ".join(repr(t["text"]) for t in fibo["text_render"])
        notes.append(f"{preset.name} allows no text in the image; left out: {texts}")
    if preset.no_text:
        fibo["text_render"] = []
    return notes
