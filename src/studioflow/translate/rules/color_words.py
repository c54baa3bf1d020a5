"""Colour phrases in text: "pastel pink", "deep navy blue", "mint-colored" -> words and hex.

A modifier ("pale", "dark", "dusty") shifts the named colour's hex toward white, black or grey,
so "pale blue" and "navy" stay different backdrops.
"""

from __future__ import annotations

import re
from functools import lru_cache

from studioflow.core.colors import hex_to_name, hex_to_rgb, name_to_hex, rgb_to_hex
from studioflow.translate.rules.vocabulary import (
    AMBIGUOUS_COLORS,
    COLOR_MODIFIERS,
    COLOR_NAMES,
    COLOR_SUFFIX,
    alternation,
)

_NAMES = alternation(COLOR_NAMES)
_MODS = alternation(COLOR_MODIFIERS)
# One colour: an optional modifier, a name, an optional "-colored"; "gray" and "grey" both.
COLOR = rf"(?:(?:{_MODS})[\s-]+)?(?:{_NAMES}){COLOR_SUFFIX}"
COLOR_RE = re.compile(rf"(?:\b(?:(?P<mod>{_MODS})[\s-]+)?(?P<name>{_NAMES})"
                      rf"(?P<suffix>{COLOR_SUFFIX})\b|"
                      rf"(?P<hex>#[0-9A-Fa-f]{{6}})\b)", re.IGNORECASE)
COLOR = rf"(?:{COLOR}|#[0-9A-Fa-f]{{6}}\b)"
MATERIAL_FIRST = {"denim", "terracotta", "walnut", "copper", "brass", "bronze", "clear",
                  "transparent", "frosted", "cork", "sand"}
# After a word that is both a colour and a thing, these make it the thing.
_NOT_A_COLOR_NEXT = re.compile(
    r"[\s-]*(?:bottles?|jars?|tins?|box(?:es)?|bags?|cans?|cups?|mugs?|glass(?:es)?|pots?|"
    r"tubs?|packs?|cartons?|flutes?|coupes?|buckets?|leaves|leaf|sprigs?|petals?|flowers?|twigs?|branch(?:es)?|trees?|"
    r"blossoms?|stems?|bunch|juice|slices?|wedges?|zest|peel|twists?|sauce|bars?|cakes?|tarts?|"
    r"pies?|ice\s+cream|tea|oil|cand(?:y|ies)|beans?|syrup|milk|latte|soap|scent(?:ed)?|"
    r"fragrance|perfume|candles?|extract|essential|seeds?|dollars?|fruits?|halves|segments?|"
    r"pieces?|chips?|drops?|cubes?|water|wine|liqueur|lotion|cream|balm|butter|scrub|salt|"
    r"sugar|powder|flavou?r(?:ed)?|pudding|mousse|truffles?|cookies?|biscuits?|grove|field)\b")
# Before these words a colour word is part of a noun: "ice cream", "sour cream", "hand cream".
_NOT_A_COLOR_BEFORE = re.compile(r"\b(?:ice|sour|face|hand|eye|day|night|body|shaving|whipped|"
                                 r"clotted|heavy|sun|foot|lip|cold|barrier|hair)\s+(?=$)",
                                 re.IGNORECASE)
_MIX_TARGETS = {"white": (255, 255, 255), "black": (0, 0, 0), "gray": (128, 128, 128)}


def _mix(hex_color: str, target: str | None, amount: float) -> str:
    if target is None or amount <= 0:
        return hex_color.upper()
    rgb = hex_to_rgb(hex_color)
    goal = _MIX_TARGETS[target]
    return rgb_to_hex(tuple(c + (g - c) * amount for c, g in zip(rgb, goal, strict=True)))


@lru_cache(maxsize=4096)
def color_name(hex_color: str) -> str:
    """``hex_to_name`` (a perceptual search over every named colour), cached."""
    return hex_to_name(hex_color.upper())


@lru_cache(maxsize=1024)
def color_hex(name: str, modifier: str | None = None) -> str | None:
    """Hex of a colour name, shifted by a modifier: ``color_hex("blue", "pale")``.

    The shift stops short of turning the colour into another named one ("soft peach" stays
    peach, not beige), since the compiled text names the colour by its hex."""
    base = name_to_hex(name) or name_to_hex(name.replace("grey", "gray"))
    if base is None:
        return None
    target, amount = COLOR_MODIFIERS.get((modifier or "").lower(), (None, 0.0))
    hue = color_name(base).replace("-", " ").split()[-1]  # "blue" of "navy blue"
    while amount > 0.05:
        mixed = _mix(base, target, amount)
        if hue in color_name(mixed).replace("-", " ").split():  # "pale blue" -> "light blue"
            return mixed
        amount /= 2
    return base.upper()


def colors_in(text: str, strict: bool = False) -> list[tuple[str, str]]:
    """Colour phrases in order: ``[("pale blue", "#C9DDF0"), ...]``.

    ``strict`` (object descriptions) skips words that are as often a food or material
    ("wine bottle", "honey jar", "cream") unless a colour cue comes with them.
    """
    out: list[tuple[str, str]] = []
    last_end = -10
    for m in COLOR_RE.finditer(text):
        found = _one_color(text, m, strict)
        if found is None:
            continue
        if out and not m.group("hex") and re.fullmatch(r"[\s-]", text[last_end:m.start()] or "x"):
            # "mint green", "rose-pink": one colour in two words, the first one's hex
            out[-1] = (f"{out[-1][0]}{text[last_end:m.start()]}{found[0]}", out[-1][1])
        else:
            out.append(found)
        last_end = m.end()
    return out


def _one_color(text: str, m: re.Match[str], strict: bool) -> tuple[str, str] | None:
    if m.group("hex"):
        hx = m.group("hex").upper()
        return color_name(hx), hx
    name = m.group("name").lower()
    mod = (m.group("mod") or "").lower() or None
    if strict and name in MATERIAL_FIRST and not (mod or m.group("suffix")):
        if not re.match(rf"[\s-]*(?:{_NAMES})\b", text[m.end():m.end() + 16].lower()):
            return None  # "denim jacket", "copper kettle": the material, not a colour
    if strict and name == "cream" and not mod and _NOT_A_COLOR_BEFORE.search(text[:m.start()]):
        return None  # "ice cream", "hand cream", "face cream"
    if strict and name in AMBIGUOUS_COLORS and not (mod or m.group("suffix")):
        following = text[m.end():m.end() + 24].lower()
        if not re.match(rf"[\s-]*(?:and\s+)?(?:{_NAMES})\b", following) and (
                _NOT_A_COLOR_NEXT.match(following) or not re.match(r"[\s-]*[a-z]", following)):
            return None  # "wine bottle", "lavender sprigs", "orange juice", "a lemon"
    if mod and name_to_hex(f"{mod} {name}"):  # "light blue" is a colour of its own
        name, mod = f"{mod} {name}", None
    hx = color_hex(name, mod)
    return (" ".join(w for w in (mod, name) if w), hx) if hx else None


def shade(hex_color: str) -> str:
    """A darker or lighter partner for a one-colour gradient."""
    from studioflow.core.colors import luminance

    return _mix(hex_color, "black", 0.45) if luminance(hex_color) > 0.35 else \
        _mix(hex_color, "white", 0.35)
