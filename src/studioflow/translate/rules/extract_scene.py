"""The set: backdrop ("against a sage green backdrop", "white bg", "gradient from navy to
black"), surface ("on white marble"), scene ("on the beach", "in a bright kitchen") and the
colour palette ("earthy tones", "black and gold color scheme")."""

from __future__ import annotations

import re

from studioflow.translate.rules.color_words import COLOR, colors_in, shade
from studioflow.translate.rules.describe import with_article
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.product_words import is_product_noun
from studioflow.translate.rules.scan import Scan
from studioflow.translate.rules.vocabulary import (
    AMBIGUOUS_COLORS,
    COLOR_MODIFIERS,
    COLOR_NAMES,
    MATERIALS,
    PART_NOUNS,
    SCENE_NOUNS,
    SURFACE_NOUNS,
    alternation,
)

I = re.IGNORECASE  # noqa: E741
_SCENE = alternation(SCENE_NOUNS)
_LEAD = r"(?:\b(?:on|against|in\s+front\s+of|over|with|onto|before|set\s+against)\s+)?"
_ART = r"(?:(?:a|an|the)\s+)?"

GRADIENTS = [
    re.compile(rf"{_LEAD}{_ART}(?:(?:soft|smooth|subtle)\s+)?(?:gradient|ombre|ombré|fade)"
               rf"(?:\s+(?:background|backdrop))?\s+(?:from\s+)?(?P<a>{COLOR})\s+(?:to|into|and)\s+"
               rf"(?P<b>{COLOR})(?:\s+(?:background|backdrop|gradient))?\b", I),
    re.compile(rf"{_LEAD}{_ART}(?P<a>{COLOR})[\s-]+(?:to|into|and)[\s-]+(?P<b>{COLOR})[\s-]+"
               rf"(?:gradient|ombre|fade)(?:\s+(?:background|backdrop))?\b", I),
    re.compile(rf"{_LEAD}{_ART}(?:(?:soft|smooth|subtle)\s+)?(?P<a>{COLOR})[\s-]+"
               rf"(?:(?P<scene>sunset|sunrise|sky|dusk|dawn|twilight|horizon)(?:\s+sky)?\s+)?"
               rf"(?:gradient|ombre)(?:\s+(?:background|backdrop))?\b", I),
    re.compile(rf"{_LEAD}{_ART}(?:(?:soft|smooth|subtle)\s+)?gradient\s+(?:background|backdrop)\b",
               I),
]
_BG_NOUN = (r"(?:background|backdrop|back-drop|wall|sweep|seamless(?:\s+paper)?|paper\s+roll|"
            r"cyclorama|cyc|setting|drape|curtain)")
_NOT_WORD = r"(?!(?:on|against|with|in|and|of|for|a|an|the|to|at|by|from|under|lit|is)\b)"
BACKDROP = re.compile(
    rf"{_LEAD}{_ART}(?<![\w'-])(?P<desc>(?:{_NOT_WORD}#?[\w'-]+(?:\s+and\s+|\s+)){{0,5}})"
    rf"(?P<noun>{_BG_NOUN})\b", I)
BARE_COLOR = re.compile(rf"\b(?:isolated\s+)?(?:on|against)\s+(?:a\s+)?(?:pure\s+|plain\s+|"
                        rf"solid\s+)?(?!sand\b|snow\b|cork\b)(?P<a>{COLOR})"
                        rf"(?=\s*(?:[,.;!?]|$|and\b|with\b|lit\b|in\b))", I)
ISOLATED = re.compile(r"\b(?:isolated|cut[\s-]?out|knocked[\s-]out|transparent\s+background|"
                      r"no\s+background|white\s+void)\b", I)
SURFACE = re.compile(
    r"\b(?:(?:standing|placed|sitting|resting|lying|laid|displayed|set|arranged|positioned|"
    r"perched|balanced|posed|sits|stands|rests)\s+)?(?:on\s+top\s+of|on|atop|upon)\s+"
    r"(?!(?:the\s+)?(?:left|right|top|bottom|side|label|front|back|center|centre|middle|"
    r"foreground|background|backdrop|walls?|its|it|them|camera|axis)\b)"
    r"(?P<art>(?:a|an|the|some)\s+)?"
    r"(?P<x>(?:(?!(?:with|against|in|under|lit|and|next|beside|near|surrounded|while|from|at|"
    r"for|on|behind|by|shot|photographed|captured|using|to|that|which|where|instead|now|"
    r"please|too|also|outdoors|outside|indoors|then)\b)[\w'-]+\s*){1,6})",
    I)
SCENE = re.compile(
    rf"\b(?:in|at|inside|within|by|near|beside|under)\s+(?P<art>(?:a|an|the|some)\s+)?"
    rf"(?P<x>(?:[\w'-]+\s+){{0,3}}?{_SCENE}(?:\s+{_SCENE})*)\b(?:\s+(?:setting|background|scene|"
    rf"environment|interior))?", I)
HUNG = re.compile(r"\b(?:hanging|hung|mounted|attached|clipped|pinned|worn|strapped|printed|"
                  r"written|embossed)\s*$", I)
# "painted primary colors", "dyed in earthy tones": the colours of the object, not a palette
OBJECT_PAINT = re.compile(r"\b(?:painted|dyed|glazed|coated|finished|printed|lacquered|"
                          r"enamell?ed)(?:\s+in)?\s*$", I)
LIT_ON = re.compile(r"\b(?:light(?:ing|s)?|glow(?:ing)?|focus(?:ed)?|spotlight|shining|falling|"
                    r"raking|sun(?:light|shine|beams?)?|rays)(?:\s+(?:from|through|in|into|across|"
                    r"over|the|a|an|window|windows|kitchen|bedroom|camera|left|right|side|top|"
                    r"above|behind|below|blinds|curtains|trees|leaves)){0,6}\s*$", I)
OUTDOORS = re.compile(r"\b(?:outdoors?|outside|in\s+nature|al\s+fresco|in\s+the\s+wild)\b", I)
COLOR_PLURALS = alternation([f"{c}s" for c in COLOR_NAMES if " " not in c and "-" not in c
                             and not c.endswith("s") and c not in AMBIGUOUS_COLORS]
                            + ["neutrals", "earth tones", "jewel tones"])
_PLURAL_LEAD = alternation([*COLOR_MODIFIERS, "muted", "earthy", "pastel", "warm", "cool",
                            "neutral", "dusty", "faded", "washed-out", "sun-bleached", "jewel",
                            "candy", "neon", "saturated", "desaturated", "moody", "autumnal"])
_PALETTE_WORDS = alternation([
    *COLOR_NAMES, *COLOR_MODIFIERS, "pastel", "earthy", "earth", "jewel", "candy-colored",
    "various", "assorted", "mixed", "multiple", "different", "neutral", "muted", "vibrant", "bold",
    "bright", "warm", "cool", "monochrome", "monochromatic", "jewel", "complementary",
    "analogous", "soft", "desaturated", "saturated", "high-contrast", "candy", "primary", "rich",
    "deep", "natural", "autumnal", "autumn", "summer", "spring", "winter", "sunset", "ocean",
    "metallic", "neon", "rainbow", "duotone", "two-tone", "tonal", "limited", "dusty", "creamy",
    "tropical", "festive", "christmas", "moody", "dark", "light", "sun-bleached", "faded",
    "vintage", "retro", "cinematic", "teal and orange", "cold", "icy", "fresh", "clean", "calm",
    "pop art", "pop", "primary", "candy", "sorbet", "gemstone", "ice cream", "fluorescent",
])
PALETTE = re.compile(
    rf"\b(?P<x>(?:{_PALETTE_WORDS}(?:\s*,\s*|\s+and\s+|[\s-]+)){{1,6}})(?P<noun>colou?r\s+"
    rf"(?:palette|scheme|story|grading|grade|tones)|palette|tones|tonality|hues|colou?rs|"
    rf"neutrals|shades|color\s+scheme)\b", I)
PALETTE_OF = re.compile(
    rf"\b(?:colou?r\s+(?:palette|scheme)|palette)\s*(?:of|:|in|with)?\s+(?P<x>(?:{_PALETTE_WORDS}"
    rf"(?:\s*,\s*|\s+and\s+|[\s-]+|$)){{1,6}})", I)
# "muted greens", "soft pinks and creams", "earthy browns": a palette in plural colours
PLURAL_COLORS = re.compile(
    rf"\b(?P<x>(?:(?:{_PLURAL_LEAD})[\s-]+)+(?:{COLOR_PLURALS})(?:\s*(?:,|and)\s*"
    rf"(?:{COLOR_PLURALS}))*)\b", I)
BLACK_WHITE = re.compile(r"\bblack\s+and\s+white(?P<photo>\s+(?:photo(?:graph(?:y)?)?|image|film|"
                         r"style|tones?|treatment|look|palette|color\s+scheme))?\b", I)
MONOCHROME = re.compile(rf"\bmonochrom(?:e|atic)(?:\s+(?P<c>{COLOR}))?\b", I)
SHADES = re.compile(rf"\bin\s+shades\s+of\s+(?P<x>{COLOR}(?:\s+and\s+{COLOR})?)", I)

_FLAT = {"plain", "solid", "flat", "simple", "clean", "empty", "matte", "painted", "wall",
         "minimal", "uniform", "single-color", "one-color"}
_SWEEP = {"seamless", "sweep", "infinity", "infinite", "cyc", "cyclorama", "paper", "studio"}
_BLUR = {"blurred", "blurry", "out-of-focus", "defocused", "bokeh", "soft-focus"}
_MATERIAL_WORDS = {w for m in MATERIALS for w in m.split()} | {"brick", "plaster", "stucco",
                                                              "limewash", "tiled", "curtain",
                                                              "drape", "textured", "floral"}
_BG_WORDS = ({w for n in COLOR_NAMES for w in n.replace("-", " ").split()} | set(COLOR_MODIFIERS)
             | _FLAT | _SWEEP | _BLUR | _MATERIAL_WORDS | {"and", "neutral", "abstract",
             "gradient", "colored", "colorful", "coloured", "bright", "dark", "pastel", "geometric",
             "patterned", "industrial", "rustic", "natural", "outdoor", "nature", "urban",
             "grey", "gray", "off-white", "neon", "moody", "subtle", "smooth", "clean",
             "monochrome", "soft", "vibrant", "muted", "warm", "cool", "light", "simple"}
             | {w for n in SCENE_NOUNS for w in n.split()})
SCENE_WORDS = {w for n in SCENE_NOUNS for w in n.split()}
SCENE_TONES = {  # the colour of a scene, for the words "in ... tones"
    "beach": "#D8C3A0", "desert": "#D8C3A0", "dunes": "#D8C3A0", "sand": "#D8C3A0",
    "forest": "#5E7D4E", "garden": "#7FA06A", "jungle": "#3F6B3A", "park": "#7FA06A",
    "meadow": "#9CAF88", "nature": "#7FA06A", "outdoors": "#9CAF88", "field": "#9CAF88",
    "rainforest": "#3F6B3A", "kitchen": "#F4F1EA", "bathroom": "#F4F1EA", "spa": "#E8E4DC",
    "bedroom": "#E8D8BF", "living room": "#E8D8BF", "cafe": "#7B4A2A", "café": "#7B4A2A",
    "coffee shop": "#7B4A2A", "bar": "#5C4033", "restaurant": "#7B4A2A", "city": "#808080",
    "street": "#808080", "office": "#D3D3D3", "snow": "#FAFAFA", "ocean": "#30A0C8",
    "sea": "#30A0C8", "pool": "#4FD1D9", "poolside": "#4FD1D9", "lake": "#30A0C8",
    "sky": "#87CEEB", "mountains": "#7A8A99", "fireplace": "#B7773A", "library": "#7B4A2A",
}
DEFAULT_SCENE_TONE = "#E8E4DC"
MATERIAL_TONES = {  # a backdrop made of a material takes its colour
    "concrete": "#9E9E9E", "cement": "#9E9E9E", "brick": "#A0522D", "marble": "#F2F2F2",
    "wood": "#7B4A2A", "wooden": "#7B4A2A", "oak": "#C8A165", "walnut": "#5C4033",
    "plaster": "#EDE8E0", "stucco": "#EDE8E0", "limewash": "#EDE8E0", "stone": "#808080",
    "slate": "#3C3F41", "tiles": "#E8E8E8", "tiled": "#E8E8E8", "terrazzo": "#E6E1D8",
    "linen": "#E9E2D3", "paper": "#FFFFFF", "cork": "#B5895B",
    "granite": "#6E6E6E", "metal": "#A8A9AD", "steel": "#A8A9AD",
}
MODIFIER_TONES = {"dark": "#1C1C1C", "light": "#F4F1EA", "bright": "#FFFFFF",
                  "neutral": "#D9D4CC", "muted": "#D9D4CC",
                  "moody": "#2A2A2A", "black": "#101010"}


def extract_scene(scan: Scan, f: Findings) -> None:
    _gradient(scan, f)
    _backdrop(scan, f)
    for m in scan.matches(BARE_COLOR):
        _set_color(f, m.group("a"))
    if scan.first(ISOLATED):
        f.background.setdefault("color", "#FFFFFF")
    _surface(scan, f)
    _scene(scan, f)
    _palette(scan, f)


def _set_color(f: Findings, phrase: str, key: str = "color") -> bool:
    found = colors_in(phrase)
    if found:
        f.background[key] = found[0][1]
    return bool(found)


def _gradient(scan: Scan, f: Findings) -> None:
    m = next((m for p in GRADIENTS for m in [scan.first(p)] if m), None)
    if not m:
        return
    f.background["style"] = "gradient"
    groups = m.groupdict()
    if groups.get("scene"):  # "an orange sunset gradient": a sky, graded
        scene = f"{groups['a']} {groups['scene']}".lower()
        f.background["description"] = f"{scene} sky gradient"
    if groups.get("a"):
        _set_color(f, groups["a"])
        if groups.get("b"):
            _set_color(f, groups["b"], "gradient_to")
        else:
            f.background["gradient_to"] = shade(f.background["color"])


def _known(word: str) -> bool:
    word = word.lower().strip(",")
    return (word in _BG_WORDS or word.startswith("#") or bool(colors_in(word))
            or any(part in _BG_WORDS for part in word.split("-") if len(part) > 2))


def _trailing_known(words: list[str]) -> int:
    """Index where the run of backdrop words ending the list starts; a word just before a
    colour belongs to it ("pebble grey", "dove grey", "forest green")."""
    i = len(words)
    while i > 0 and (_known(words[i - 1]) or (i < len(words) and colors_in(words[i])
                                              and words[i - 1].isalpha()
                                              and not is_product_noun(words[i - 1]))):
        i -= 1
    return i


def _backdrop(scan: Scan, f: Findings) -> None:
    for m in scan.matches(BACKDROP, take=False):
        offset = m.start("desc")
        spans = [(w.start() + offset, w.group())
                 for w in re.finditer(r"#?[\w'-]+", m.group("desc"))]
        words = [w for _, w in spans]
        keep = _trailing_known(words)  # words before the run describe something else
        if keep and any(w.lower() in SCENE_WORDS for w in words[keep:]):
            keep = max(0, keep - 2)  # "rustic italian restaurant background"
        noun = m.group("noun").lower()
        start = m.start() if keep == 0 else (spans[keep][0] if keep < len(spans)
                                             else m.start("noun"))
        desc = [w.lower() for w in words[keep:]]
        if not desc:
            continue  # "in the background" is a place in the frame, "a wall" says too little
        scan.take(start, m.end())
        _describe_backdrop(f, desc, noun)


def _describe_backdrop(f: Findings, desc: list[str], noun: str) -> None:
    text = " ".join(desc)
    colors = colors_in(text)
    if colors:
        f.background["color"] = colors[0][1]
        if len(colors) > 1 and f.background.get("style") != "gradient":
            f.background.setdefault("_second", colors[1][1])
    words = set(desc)
    scene = [w for w in desc if w in SCENE_TONES or w in {n for n in SCENE_NOUNS}]
    blurred = words & _BLUR
    materials = [w for w in desc if w in _MATERIAL_WORDS and w not in ("paper", "matte")]
    if scene or blurred or noun == "setting":
        f.background["style"] = "scene"
        words_left = " ".join(w for w in desc if w not in _BLUR)
        tail = "" if noun in ("background", "backdrop") else f" {noun}"
        text = f"{words_left}{tail}".strip()
        if blurred:
            text = f"softly blurred {text or 'scene'}"
        f.background["description"] = with_article(text) if text else "a real-world scene"
        if not colors:
            f.background["color"] = scene_tone(desc)
    elif words & {"gradient"}:
        f.background["style"] = "gradient"
    elif words & _SWEEP or noun in ("sweep", "seamless", "seamless paper", "paper roll", "cyc",
                                    "cyclorama"):
        f.background["style"] = "sweep"
    elif words & _FLAT or noun == "wall" or materials:
        f.background["style"] = "flat"
    if materials and f.background.get("style") != "scene":
        f.background["description"] = f"{text} {noun}".strip()
        if not colors:
            tone = next((MATERIAL_TONES[w] for w in desc if w in MATERIAL_TONES), None)
            if tone:
                f.background["color"] = tone
    elif not colors and not scene:
        shade = next((MODIFIER_TONES[w] for w in desc if w in MODIFIER_TONES), None)
        if shade:
            f.background["color"] = shade
        if "pastel" in words:
            f.palette = f.palette or "soft pastel"


def scene_tone(words: list[str]) -> str:
    text = " ".join(words)
    if re.search(r"\b(?:dark|dim|night|nighttime|moody|neon)\b", text):
        return "#2A2A2A"
    for name, tone in SCENE_TONES.items():
        if re.search(rf"\b{re.escape(name)}\b", text):
            return tone
    return DEFAULT_SCENE_TONE


def _scene(scan: Scan, f: Findings) -> None:
    for m in scan.matches(SCENE):
        x = m.group("x").strip()
        art = (m.group("art") or "").lower()
        lead = m.group(0).split()[0].lower()
        scene_text = f"{art}{x}".strip() if art else with_article(x)
        if lead in ("at", "by", "near", "beside"):
            scene_text = f"{lead} {scene_text}"  # "at the beach" reads, "the beach" alone less
        f.background["style"] = "scene"
        previous = f.background.get("description")
        f.background["description"] = f"{previous}, {scene_text}" if previous else scene_text
        f.background.setdefault("color", scene_tone(x.lower().split()))
    m = scan.first(OUTDOORS)
    if m:
        f.background["style"] = "scene"
        f.background.setdefault("description", "outdoors in natural surroundings")
        f.background.setdefault("color", SCENE_TONES["outdoors"])


def _surface(scan: Scan, f: Findings) -> None:
    for m in scan.matches(SURFACE, take=False):
        if HUNG.search(scan.before(m.start(), 20)):
            continue  # "hanging on a hook" stays with the object
        if LIT_ON.search(scan.before(m.start(), 45)):
            continue  # "Rembrandt light on a journal": the journal is lit, not stood on
        x = m.group("x").strip()
        words = x.lower().split()
        if not words or all(w in COLOR_MODIFIERS or colors_in(w, strict=True) for w in words):
            continue  # "on white" is a backdrop colour (BARE_COLOR), not a surface
        if words[0] in ("display", "set", "show", "sale", "top", "it", "them"):
            continue
        the = (m.group("art") or "").lower().strip() in ("the", "its")
        if the and (words[-1] in PART_NOUNS or is_product_noun(words[-1])
                    and words[-1] not in SURFACE_NOUNS):
            continue  # "no detail on the bottle", "macro on the dial": the product itself
        scan.take(m.start(), m.end())
        apply_surface(f, (m.group("art") or "").lower(), x)


def apply_surface(f: Findings, art: str, x: str) -> None:
    """What the product stands on ("a sunlit bathroom shelf"): a surface, a scene or both."""
    words = x.lower().split()
    scene_words = [w for w in words if w in SCENE_TONES or w in SCENE_NOUNS]
    surface_words = [w for w in words if w in SURFACE_NOUNS]
    if scene_words and not surface_words:
        f.background["style"] = "scene"
        f.background.setdefault("description", f"on {art}{x}")
        f.background.setdefault("color", scene_tone(words))
    else:
        surface = f"{'' if art in ('the ', 'some ') else art}{x}"
        old = f.background.get("surface")
        # "on a white plate, rustic wooden table": the plate stands on the table
        f.background["surface"] = f"{old} on {surface}" if old and old != surface else surface
        if scene_words:
            f.background["style"] = "scene"
            scene = " ".join(scene_words)
            f.background.setdefault("description", with_article(scene))
            f.background.setdefault("color", scene_tone(words))
    tones = colors_in(x, strict=True)
    if tones and "color" not in f.background and draped(words):
        f.background["color"] = tones[0][1]


def apply_scene(f: Findings, text: str) -> None:
    """A scene said on its own ("dramatic stormy sky behind")."""
    f.background["style"] = "scene"
    previous = f.background.get("description")
    f.background["description"] = f"{previous}, {text}" if previous else text
    f.background.setdefault("color", scene_tone(text.lower().split()))




def draped(words: list[str]) -> bool:
    """Fabric and paper surfaces usually run up into the backdrop: it takes their colour."""
    return bool({"velvet", "silk", "satin", "linen", "fabric", "cloth", "paper", "felt",
                 "slate"} & set(words))


BARE_PALETTE = re.compile(r"^\s*(?:in\s+)?(?P<x>pastels?|pastel\s+colou?rs|earth\s+tones|neutrals?|"
                          r"monochrome|muted|jewel\s+tones|neon|vibrant|colou?rful)\s*$", I)


def _palette_phrase(scan: Scan) -> re.Match[str] | None:
    for m in scan.matches(PALETTE, take=False):
        if not OBJECT_PAINT.search(scan.before(m.start(), 20)):
            scan.take(m.start(), m.end())
            return m
    return None


def _palette(scan: Scan, f: Findings) -> None:
    for start, end in scan.punctuation_spans():
        m = BARE_PALETTE.match(scan.masked[start:end])
        if m:  # "..., pastel, ..." alone in its clause
            scan.take(start, end)
            word = m.group("x").lower()
            f.palette = {"pastel": "soft pastel", "pastels": "soft pastel",
                         "neutral": "neutral tones", "neutrals": "neutral tones"}.get(word, word)
    m = scan.first(PALETTE_OF) or _palette_phrase(scan)
    plural = None if m else scan.first(PLURAL_COLORS)
    if plural:
        f.palette = re.sub(r"\s+", " ", plural.group("x")).lower()
    if m:
        x = re.sub(r"\s+", " ", m.group("x")).strip(" ,-")
        noun = m.groupdict().get("noun") or ""
        noun = "" if re.match(r"colou?r\s+(?:palette|scheme)|palette", noun, I) else noun.lower()
        f.palette = f"{x} {noun}".strip()
    for m in scan.matches(BLACK_WHITE, take=False):
        start, end = scan.clause(m.start())
        alone = not scan.text[start:m.start()].strip() and not scan.text[m.end():end].strip()
        if alone or m.group("photo"):  # not "a black and white sneaker"
            scan.take(m.start(), m.end())
            f.palette = "black and white, monochrome"
            if "monochrome" not in f.artistic:
                f.artistic.append("monochrome")
    m = scan.first(MONOCHROME)
    if m:
        f.palette = f"monochromatic {m.group('c').lower()}" if m.group("c") else "monochrome"
    m = scan.first(SHADES)
    if m:
        f.palette = f"shades of {m.group('x').lower()}"
