"""Text to render: quoted strings ('SALE', "New", “Summer”) or capitals after "text" /
"headline" / "that says", with where they go ("at the top", "bottom left", "on the label"),
their size, colour and font."""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.color_words import COLOR
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.scan import QUOTE_MARK, Scan

I = re.IGNORECASE  # noqa: E741
MAX_TEXTS = 8

_INTRO = (r"(?:(?:with|and|add(?:ing)?|plus|including|featuring)\s+)?(?:(?:the|a|an)\s+)?"
          r"(?:(?:big|large|small|tiny|bold|huge|subtle|elegant|minimal|white|black|gold(?:en)?|"
          rf"{COLOR}|serif|sans[\s-]serif|script|handwritten)\s+)*"
          r"(?:text|words?|headline|title|caption|tagline|slogan|lettering|copy|label\s+text|"
          r"typography|logo|sign|banner\s+text)?\s*(?:that\s+)?"
          r"(?:(?:saying|says|reading|reads|with|of|:|=|-)\s*)?")
QUOTED = re.compile(rf"{_INTRO}(?P<mark>\ue000\d+\ue001)", I)
CAPS = re.compile(r"\b(?:(?:with|and|add(?:ing)?)\s+)?(?:(?:the|a)\s+)?(?:text|words?|headline|"
                  r"title|caption|tagline|slogan|lettering)\s*(?:that\s+)?(?:(?:saying|says|"
                  r"reading|reads|:)\s*)?(?P<x>[A-Z0-9][A-Z0-9%!&$€£'.,-]*(?:\s+[A-Z0-9][A-Z0-9%!&$€£'.,-]*)*"
                  r"[A-Z0-9%!$€£])(?![a-z])")
# Where text printed on the product sits: "on the label", "on the wrapper", "across the mug".
_ON_PRODUCT_WORDS = (
    "label", "bottle", "box", "jar", "can", "tube", "packaging", "package", "product", "tag",
    "sign", "card", "bag", "lid", "cap", "front", "wrapper", "foil", "sleeve", "pouch", "packet",
    "sachet", "carton", "tin", "pot", "tub", "case", "cover", "spine", "band", "strap",
    "sticker", "screen", "mug", "cup", "shirt", "t-shirt", "tee", "hoodie", "tote", "hat",
    "bar", "envelope", "book", "notebook", "candle", "vessel", "glass", "sneaker", "shoe",
)
_ON_PRODUCT = "|".join(sorted(_ON_PRODUCT_WORDS, key=len, reverse=True))
POSITION = re.compile(
    r"\b(?:(?:placed|positioned|written|printed|set|centered|centred|running|across|along)\s+)?"
    r"(?:(?:at|in|on|across|along|near|to(?:ward)?s?)\s+)?(?:the\s+)?(?:very\s+)?"
    r"(?P<pos>(?:top|bottom|upper|lower)(?:[\s-]+(?:left|right|center|centre|middle))?"
    r"(?:\s+corner)?|(?:left|right)(?:\s+(?:side|corner|edge))?|center|centre|middle)"
    r"(?:\s+(?:of\s+(?:the\s+)?(?:frame|image|picture|composition|product|bottle|box|"
    r"label|jar|can)|edge|third|half))?\b"
    r"|\b(?:printed\s+|written\s+|embossed\s+)?(?:on|across|along)\s+(?:the\s+|its\s+)?"
    rf"(?P<obj>{_ON_PRODUCT})\b"
    r"|\b(?:above|below|under|beneath|over)\s+the\s+(?P<rel>product|bottle|object|item|\w+)\b"
    r"|\bas\s+(?:a|the)\s+(?P<as>headline|title|caption|watermark|footer|header)\b", I)
SIZE = re.compile(r"\b(huge|large|big|bold|giant|oversized|prominent|small|tiny|subtle|little|"
                  r"medium)\b", I)
FONT = re.compile(r"\b(bold|thin|light|condensed|elegant|modern|minimal(?:ist)?|retro|vintage|"
                  r"playful|handwritten|hand[\s-]lettered|script|cursive|calligraph(?:y|ic)|"
                  r"serif|sans[\s-]?serif|slab[\s-]serif|monospace|typewriter|rounded|brush|"
                  r"art\s+deco|gothic|blackletter|neon|3d|outlined|italic|uppercase|all[\s-]caps)\b",
                  I)
COLOR_RE = re.compile(rf"\b(?:in\s+)?(?P<c>{COLOR})(?:\s+(?:text|letters|lettering|font|type|"
                      rf"ink))?\b", I)
LETTER_COLOR = re.compile(rf"\b(?P<c>{COLOR})\s+(?:(?:bold|large|small|big|serif|sans[\s-]serif|"
                          rf"script)\s+)*(?:text|letters|lettering|font|type|ink|words|headline|"
                          rf"typography)\b", I)
_OBJECT_SURFACES = set(_ON_PRODUCT_WORDS)


def extract_texts(scan: Scan, f: Findings) -> None:
    found: list[tuple[int, int, str]] = []
    for m in scan.matches(QUOTED):
        index = int(QUOTE_MARK.search(m.group("mark")).group(1))
        text = scan.quotes[index]
        if text.strip():
            found.append((m.start(), m.end(), text.strip()[:500]))
    for m in scan.matches(CAPS):
        found.append((m.start(), m.end(), m.group("x").strip()))
    for start, end, text in sorted(found)[:MAX_TEXTS]:
        f.texts.append(_describe(scan, start, end, text))


def _window(scan: Scan, start: int, end: int) -> tuple[str, int, int]:
    """The words around a text that talk about it: its clause, up to the next quote."""
    c_start, c_end = scan.clause(start)
    nxt = QUOTE_MARK.search(scan.text, end)
    if nxt and nxt.start() < c_end:
        c_end = nxt.start()
    return scan.text[c_start:c_end], c_start, c_end


def _describe(scan: Scan, start: int, end: int, text: str) -> dict[str, Any]:
    window, w_start, _ = _window(scan, start, end)
    own = scan.text[start:end]
    around = window.replace(own, " ")
    item: dict[str, Any] = {"text": text}
    pos = None
    for m in POSITION.finditer(window):
        abs_start = w_start + m.start()
        if scan.free(abs_start, w_start + m.end()) or abs_start >= start:
            pos = m
            if abs_start >= end:  # a position after the text wins over one before it
                break
    on_product = False
    if pos:
        word = (pos.group("pos") or pos.group("obj") or pos.group("rel") or pos.group("as")
                or "").lower()
        word = word.replace("centre", "center")
        if pos.group("rel"):
            item["location"] = f"{pos.group(0).split()[0].lower()} the {word}"
        elif pos.group("as"):
            item["location"] = "top center" if word in ("headline", "title", "header") else \
                "bottom center"
        elif word.split()[0] in _OBJECT_SURFACES:
            item["location"] = f"on the product {word}" if word != "product" else "on the product"
            on_product = True
        else:
            item["location"] = frame_location(word)
        abs_start = w_start + pos.start()
        if scan.free(abs_start, w_start + pos.end()):
            scan.take(abs_start, w_start + pos.end())
    after_text = scan.text[end:w_start + len(window)]
    size = SIZE.search(after_text) or SIZE.search(around)
    item["size"] = _size(size.group(1).lower() if size else None, on_product, text)
    color = LETTER_COLOR.search(after_text) or LETTER_COLOR.search(around) or \
        COLOR_RE.search(after_text)
    if color:
        item["color"] = color.group("c").lower()
    fonts = list(dict.fromkeys(m.group(1).lower() for m in FONT.finditer(after_text)))
    if fonts:
        item["font"] = " ".join(fonts[:3])
    for m in [size, color, *FONT.finditer(after_text)]:
        _take_after(scan, end, after_text, m)
    item["_on_product"] = on_product
    return item


def _take_after(scan: Scan, offset: int, after_text: str, m: re.Match[str] | None) -> None:
    """Consume an attribute word found after the text, so "bold" is not read as a mood."""
    if m is not None and m.string is after_text and scan.free(offset + m.start(), offset + m.end()):
        scan.take(offset + m.start(), offset + m.end())
        scan.attributes.append((offset + m.start(), offset + m.end()))


def frame_location(word: str) -> str:
    word = re.sub(r"\s+corner$", "", word)
    word = word.replace("upper", "top").replace("lower", "bottom").replace("middle", "center")
    if word in ("top", "bottom"):
        return f"{word} center"
    if word in ("left", "right", "left side", "right side", "left edge", "right edge"):
        return f"center {word.split()[0]}"
    return word.replace("-", " ")


def _size(word: str | None, on_product: bool, text: str) -> str:
    if word in ("huge", "large", "big", "bold", "giant", "oversized", "prominent"):
        return "large"
    if word in ("small", "tiny", "subtle", "little"):
        return "small"
    if word == "medium":
        return "medium"
    if on_product:
        return "small"
    return "large" if len(text) <= 24 else "medium"
