"""What an object looks like, from its FIBO description: kind, colours and material.

"frosted glass perfume bottle with a gold cap" -> a bottle, frosted body, metallic gold cap.
Colours come from ``studioflow.core.colors``; anything not named gets a neutral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from studioflow.core.colors import find_colors, luminance
from studioflow.engines.preview import words as w
from studioflow.engines.preview.raster import RGB, rgb

# Kind words, checked by earliest mention. Fruits that are also colour words ("orange",
# "lime") only count when nothing else names the kind, so "orange bottle" stays a bottle.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "bottle": ("bottle", "bottles", "flask", "decanter", "dropper", "serum", "perfume",
               "cologne", "fragrance", "vial", "spray", "pump", "vase", "carafe"),
    "plate": ("plate", "plates", "dish", "saucer", "coaster", "tray", "platter", "lid"),
    "bowl": ("bowl", "bowls"),
    "mug": ("mug", "mugs"),
    "cup": ("cup", "cups", "tumbler", "teacup", "glass of", "espresso"),
    "jar": ("jar", "jars", "pot", "tub", "container", "canister", "compact"),
    "can": ("can", "cans", "tins", "soda"),
    "candle": ("candle", "candles", "pillar"),
    "tube": ("tube", "lipstick", "mascara", "pen", "stick", "deodorant", "roll-on"),
    "box": ("box", "boxes", "package", "packaging", "carton", "gift", "crate", "case", "soap",
            "cube", "block", "envelope", "card", "wallet"),
    "book": ("book", "books", "notebook", "journal", "magazine"),
    "phone": ("phone", "smartphone", "tablet", "laptop", "remote", "console", "speaker"),
    "bag": ("bag", "handbag", "purse", "backpack", "tote", "clutch"),
    "sphere": ("ball", "balls", "sphere", "apple", "apples", "fruit", "pearl", "globe",
               "bauble", "egg", "tomato", "grapefruit", "marble ball", "bead"),
    "cone": ("cone", "pyramid", "spike"),
    "shoe": ("shoe", "shoes", "sneaker", "sneakers", "boot", "boots", "trainer", "heel",
             "sandal", "loafer", "slipper"),
    "watch": ("watch", "wristwatch", "clock", "ring", "bracelet", "compass"),
}
COLOUR_KINDS: dict[str, tuple[str, ...]] = {
    "sphere": ("orange", "oranges", "lemon", "lemons", "lime", "limes", "peach", "plum"),
}
_METALS = ("gold", "golden", "silver", "chrome", "brass", "copper", "bronze", "rose gold",
           "steel", "aluminium", "aluminum", "metal", "metallic")
_PART_NOUNS = {"cap": ("cap", "lid", "top", "pump", "stopper", "cork", "closure", "nozzle",
                       "sprayer", "dropper", "collar", "sole", "soles", "strap", "handle"),
               "label": ("label", "labels", "logo", "band", "sticker", "print", "lettering")}
_CUT = re.compile(r"\b(?:on|against|in front of|next to|beside|atop|placed|standing|resting|"
                  r"sitting|surrounded by|among|near)\b", re.I)


@dataclass(frozen=True)
class Material:
    albedo: RGB
    gloss: float  # 0 matte .. 1 mirror-like highlight
    metal: float  # 0 dielectric .. 1 metal (tinted highlight, little diffuse)
    opacity: float  # 1 opaque, lower for clear glass


@dataclass(frozen=True)
class Look:
    kind: str
    body: Material
    cap: Material
    label: Material | None

    def part(self, index: int) -> Material | None:
        return (self.body, self.cap, self.label)[index]


def kind_of(text: str) -> str:
    for table in (KIND_WORDS, COLOUR_KINDS):
        found = [(w.first_of(text, *words), kind) for kind, words in table.items()]
        found = [f for f in found if f[0] >= 0]
        if found:
            return min(found)[1]
    return "product"


def _colours_by_part(text: str) -> dict[str, str]:
    """Assign each named colour to the body, the cap or the label it stands before."""
    out: dict[str, str] = {}
    lowered, cursor = text.lower(), 0
    for name, hx in find_colors(text):
        pos = lowered.find(name, cursor)
        cursor = pos + len(name)
        after = " ".join(lowered[cursor:].split()[:3])
        part = next((p for p, nouns in _PART_NOUNS.items() if w.has(after, *nouns)), "body")
        if part not in out and not (part == "body" and w.has(after, "accents", "details")):
            out[part] = hx
            out[part + "_name"] = name
    return out


def _without_parts(text: str) -> str:
    """``text`` without "gold cap", "silver lid" ...: words about parts, not the body."""
    nouns = "|".join(_PART_NOUNS["cap"] + _PART_NOUNS["label"])
    return re.sub(rf"\b[\w-]+\s+(?:{nouns})\b", " ", text, flags=re.I)


def _fallback_colour(text: str) -> str:
    if w.has(text, "wood", "wooden", "bamboo", "oak", "walnut"):
        return "#A8794F"
    if w.has(text, "kraft", "cardboard", "corrugated"):
        return "#C29A6B"
    if w.has(text, "leather", "suede"):
        return "#7B4A2A"
    if w.has(text, "steel", "aluminium", "aluminum", "metal", "chrome", "tin"):
        return "#C0C0C0"
    if w.has(text, "glass", "crystal"):
        return "#E6EEF2"
    if w.has(text, "ceramic", "porcelain", "stoneware"):
        return "#F2EFEA"
    return "#C9C3BA"


def _gloss(text: str) -> float:
    if w.has(text, "matte", "matt", "paper", "kraft", "cardboard", "fabric", "wood", "wooden",
             "velvet", "suede", "felt", "unglazed", "powder", "chalky", "stone"):
        return 0.12
    if w.has(text, "glossy", "gloss", "shiny", "polished", "lacquered", "glass", "chrome",
             "metallic", "glazed", "patent", "wet", "reflective", "mirror"):
        return 0.85
    return 0.45


def _opacity(text: str) -> float:
    """Clear glass lets the backdrop through; frosted glass reads as a pale satin solid."""
    if w.has(text, "clear", "transparent", "see-through", "crystal"):
        return 0.72
    return 1.0


def _contrast(hx: str) -> RGB:
    """A label colour that stands out from ``hx``."""
    if luminance(hx) < 0.45:
        return rgb("#F4F1EA")
    r, g, b = rgb(hx)
    return r * 0.55, g * 0.55, b * 0.55


def look_of(obj: dict[str, Any]) -> Look:
    description = obj["description"]
    own = _CUT.split(description, maxsplit=1)[0] or description
    text = " ".join([own, obj.get("shape_and_color", ""), obj.get("appearance_details", "")])
    material_text = f"{text} {obj.get('texture', '')}"
    kind = kind_of(own) if kind_of(own) != "product" else kind_of(description)
    colours = _colours_by_part(text)
    body_hex = colours.get("body") or _fallback_colour(material_text)
    if colours.get("body_name") == "amber" and w.has(material_text, "glass"):
        body_hex = "#A35E16"  # amber glass is brown, not the amber of a traffic light
    body_words = f"{_without_parts(material_text)} {colours.get('body_name', '')}"
    body_metal = 1.0 if w.has(body_words, "metallic", "chrome", "chromed", "brushed", "steel",
                              "aluminium", "aluminum", "metal", "silver", "gold", "copper",
                              "brass", "bronze", "foil", "rose gold") else 0.0
    gloss = max(_gloss(material_text), 0.7 if body_metal else 0.0)
    body = Material(rgb(body_hex), gloss, body_metal, _opacity(material_text))
    cap_hex = colours.get("cap")
    if cap_hex:
        metal = 1.0 if w.has(colours.get("cap_name", ""), *_METALS) else 0.0
        cap = Material(rgb(cap_hex), 0.8 if metal else 0.5, metal, 1.0)
    elif kind in ("bottle", "tube", "jar"):  # an unnamed cap: dark, or silver on dark bodies
        dark = luminance(body_hex) < 0.3
        cap = Material(rgb("#C8C8C8" if dark else "#2A2A2A"), 0.7, 1.0 if dark else 0.0, 1.0)
    else:
        cap = Material(body.albedo, body.gloss, body.metal, 1.0)
    label = None
    if colours.get("label") or w.has(text, *_PART_NOUNS["label"]):
        label_rgb = rgb(colours["label"]) if colours.get("label") else _contrast(body_hex)
        label = Material(label_rgb, 0.25, 0.0, 1.0)
    return Look(kind, body, cap, label)


def darker(material: Material, factor: float) -> Material:
    r, g, b = material.albedo
    return Material((r * factor, g * factor, b * factor), material.gloss * 0.5, material.metal,
                    1.0)

