"""Mending a misspelt product or photography word: "PERFUME BOTTEL", "sneker", "refelction",
"low angel".

Only single slips are mended: two letters swapped, one letter missing, or one letter typed
twice. A letter replaced or added elsewhere is left alone, since that turns real words into
others ("couple" into "coupe", "creamy" into "cream"). Words are only mended into words the
translator acts on (product nouns, the photographer's terms), never when the vocabulary
already knows them; real words one slip away from a target are listed in ``REAL``.
"""

from __future__ import annotations

import re
from functools import cache

from studioflow.translate.rules.product_words import PRODUCT_NOUNS, plural

TERMS = (
    "background", "backdrop", "reflection", "reflections", "reflective", "lighting", "shadow",
    "shadows", "softbox", "aperture", "portrait", "landscape", "silhouette", "gradient",
    "marble", "wooden", "ceramic", "bokeh", "macro", "overhead", "golden", "sunlight", "window",
    "spotlight", "diffused", "texture", "minimal", "minimalist", "elegant", "luxury",
    "luxurious", "studio", "seamless", "product", "photo", "photograph", "angle", "perspective",
    "three-quarter", "close-up", "shallow", "focus", "depth", "field", "backlit", "backlight",
    "condensation", "droplets", "pedestal", "podium", "surface", "negative", "white", "black",
    "purple", "yellow", "orange", "silver", "bright", "pastel", "colour", "color", "colours",
    "colors", "linen", "velvet", "leather", "crystal", "glass",
)
# Real words one slip away from a target: never "mended".
REAL = {
    "angel", "angels", "mousse", "planet", "classes", "painter", "battle", "dream", "speaker",
    "boats", "petal", "metal", "medal", "model", "stoner", "planter", "planters", "shine",
    "shined", "caper", "paper", "trainer", "cables", "table", "tablet", "posture", "flied",
    "lighten", "lightning", "colon", "sliver", "liver", "marbles", "shallot", "crema", "cremas",
    "tarts", "mated", "coated", "dater", "canes", "capes", "pains", "panes", "tines", "ports",
    "pears", "spear", "steak", "skate", "slate", "stale", "petals", "pleats", "sweat",
    "cleaner", "cleaners", "vacuum", "blender", "planner", "cooler", "heater", "toner", "filed",
}
_WORD = re.compile(r"(?<![\w'-])[A-Za-z]{5,}(?![\w'-])")
# "low angel": the camera word, whatever the dictionary says about angels
_ANGEL = re.compile(r"\b(low|high|wide|camera|eye[\s-]level|side|dutch|top|overhead|"
                    r"bird'?s?[\s-]eye|worm'?s?[\s-]eye|three[\s-]quarter|3/4|different)\s+angel\b",
                    re.IGNORECASE)


@cache
def _targets() -> frozenset[str]:
    nouns = {w for w in PRODUCT_NOUNS if " " not in w}
    return frozenset(nouns | {plural(w) for w in nouns} | set(TERMS))


@cache
def _known() -> frozenset[str]:
    from studioflow.translate.rules import vocabulary as v

    words: set[str] = set()
    for table in (v.MATERIALS, v.SHAPES, v.SIZE_WORDS, v.PART_NOUNS, v.PROP_NOUNS,
                  v.CATEGORY_NOUNS, v.SURFACE_HEADS, v.STATE_WORDS, v.SURFACE_NOUNS,
                  v.SCENE_NOUNS, v.MOODS, v.STYLE_WORDS, v.STOPWORDS, v.COLOR_NAMES):
        for entry in table:
            words.update(re.split(r"[\s-]+", entry.lower()))
    return frozenset(words | _targets() | REAL)


@cache
def _omissions() -> dict[str, str]:
    """Each target with one letter left out -> the target ("sneker" -> "sneaker")."""
    out: dict[str, str] = {}
    for t in sorted(_targets()):
        if len(t) >= 6:
            for i in range(len(t)):
                out.setdefault(t[:i] + t[i + 1:], t)
    return out


def _mend(word: str) -> str | None:
    w = word.lower()
    if w in _known():
        return None
    targets = _targets()
    for i in range(len(w) - 1):  # two letters swapped: "bottel", "refelction"
        swapped = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if swapped != w and swapped in targets:
            return swapped
    if len(w) >= 6:
        if w in _omissions():  # a letter missing: "sneker", "perfum"
            return _omissions()[w]
        for i in range(1, len(w)):  # a letter typed twice: "bottlle" (not "creamy", "couple")
            shorter = w[:i] + w[i + 1:]
            if w[i] == w[i - 1] and len(shorter) >= 5 and shorter in targets:
                return shorter
    return None


def _cased(original: str, fixed: str) -> str:
    if original.isupper():
        return fixed.upper()
    return fixed.capitalize() if original[0].isupper() else fixed


def mend_spelling(text: str) -> str:
    text = _ANGEL.sub(lambda m: f"{m.group(1)} angle", text)

    def fix(m: re.Match[str]) -> str:
        fixed = _mend(m.group(0))
        return _cased(m.group(0), fixed) if fixed else m.group(0)

    return _WORD.sub(fix, text)
