"""Style medium ("3D render", "watercolor"), artistic style, mood, context ("hero banner",
"for Instagram"), render aspect ("4:5", "square", "portrait orientation") and composition
("rule of thirds", "negative space on the left for copy")."""

from __future__ import annotations

import math
import re

from studioflow.schema import subschema
from studioflow.translate.rules.extract_context import extract_context
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.scan import Scan
from studioflow.translate.rules.vocabulary import MOODS, STYLE_WORDS, alternation

I = re.IGNORECASE  # noqa: E741
_OF = r"(?:\s+(?:of|showing|featuring|depicting))?"

# (pattern, style medium, photographic?)
MEDIA = [
    (r"claymation|clay\s+render|clay\s+model|plasticine", "3D clay render", False),
    (r"3d\s+(?:render(?:ing|ed)?|model|illustration|art|artwork|graphic|visuali[sz]ation|style)|"
     r"cgi|octane(?:\s+render)?|blender\s+(?:render|3d)|(?:made|rendered|modell?ed)\s+in\s+"
     r"blender|c4d|cinema\s*4d|unreal\s+engine|"
     r"rendered\s+in\s+3d|\b3d\b|isometric\s+3d|low[\s-]poly", "3D render", False),
    (r"(?:flat\s+)?vector(?:\s+(?:art|illustration|graphic|style))?|flat\s+illustration|"
     r"flat\s+design", "vector illustration", False),
    (r"water[\s-]?colou?r(?:\s+(?:painting|illustration|art|style|sketch))?", "watercolor painting",
     False),
    (r"oil\s+painting|oil\s+on\s+canvas|painted\s+in\s+oils?|oils?\s+paint", "oil painting", False),
    (r"acrylic\s+painting", "acrylic painting", False),
    (r"gouache(?:\s+painting)?", "gouache painting", False),
    (r"charcoal\s+(?:sketch|drawing)", "charcoal drawing", False),
    (r"(?:pencil|graphite)\s+(?:sketch|drawing)|(?:hand[\s-]drawn\s+)?sketch(?:ed)?",
     "pencil sketch", False),
    (r"line\s+(?:art|drawing)|ink\s+(?:drawing|illustration|sketch)", "ink line drawing", False),
    (r"pixel\s+art", "pixel art", False),
    (r"anime|manga", "anime illustration", False),
    (r"cartoon(?:\s+style|\s+illustration)?|comic(?:\s+book)?\s+style", "cartoon illustration",
     False),
    (r"(?:digital\s+)?illustration|illustrated|digital\s+(?:art|painting)|drawing",
     "digital illustration", False),
    # "painted wooden toy", "hand-painted mug": a finish; the medium needs "a painting",
    # "painted in oils", "as a painting", "painted illustration"
    (r"(?<![\w-])painting(?!\s+(?:set|kit|supplies|brush(?:es)?|easel|class))|"
     r"(?:digitally\s+)?painted\s+(?:illustration|artwork|art|portrait|scene|in\s+(?:oils?|"
     r"acrylics?|watercolou?rs?|gouache|tempera))",
     "painting", False),
    (r"collage", "collage", False),
    (r"(?:product\s+)?photo(?:graph|graphy)?s?|photographic|photorealistic|photo[\s-]?real|"
     r"hyper[\s-]?realistic|dslr|product\s+shot|pack\s*shot|studio\s+shot|"
     r"shot\s+on\s+(?:film|35mm\s+film|a\s+\w+)|35mm\s+film|film\s+photo(?:graphy)?|polaroid",
     "photograph", True),
]
MEDIA_RE = [(re.compile(rf"\b(?:{p}){_OF}\b", I), medium, photo) for p, medium, photo in MEDIA]
MEDIUM_STYLES = {
    "3D render": "clean, glossy, stylized", "3D clay render": "soft, tactile, playful",
    "vector illustration": "flat, clean, graphic", "watercolor painting": "soft, loose, painterly",
    "oil painting": "painterly, textured, classical", "acrylic painting": "bold, painterly, vivid",
    "gouache painting": "matte, flat, painterly", "pencil sketch": "hand-drawn, monochrome, loose",
    "charcoal drawing": "smudged, monochrome, expressive", "ink line drawing": "precise, linear",
    "pixel art": "retro, pixelated, 8-bit", "anime illustration": "vibrant, cel-shaded",
    "cartoon illustration": "bold outlines, playful", "digital illustration": "clean, stylized",
    "painting": "painterly, expressive", "collage": "layered, mixed media",
}
STYLE_OF = re.compile(r"\bin\s+the\s+style\s+of\s+(?P<x>[\w'-]+(?:\s+[\w'-]+){0,2})", I)
STYLE_RE = re.compile(rf"(?<![\w-])(?P<w>{alternation(STYLE_WORDS)})(?![\w-])"
                      rf"(?P<suffix>\s+style\b)?", I)
FILM = re.compile(r"\b(?:film\s+grain|grainy|analog|35mm\s+film|polaroid|kodak|portra|lomo)\b", I)

ASPECT_WORDS = [
    (r"square(?:\s+(?:format|image|crop|aspect|ratio|frame|photo|shot|composition|post))|"
     r"in\s+square|square$|^square", "1:1"),
    (r"(?:portrait|vertical|tall)\s+(?:orientation|format|mode|aspect|crop|frame|image|photo|"
     r"shot|composition|layout)|in\s+portrait|vertical$|^vertical", "4:5"),
    (r"(?:landscape|horizontal)\s+(?:orientation|format|mode|aspect|crop|frame|image|photo|"
     r"shot|composition|layout)|in\s+landscape", "3:2"),
    (r"widescreen|wide\s+format|panoramic|panorama|cinematic\s+(?:aspect|ratio|format|crop)|"
     r"ultra[\s-]wide\s+format", "16:9"),
    (r"phone\s+wallpaper|vertical\s+video|stories", "9:16"),
]
ASPECT_WORDS_RE = [(re.compile(rf"(?:\b(?:in\s+)?(?:a\s+)?)(?:{p})\b", I | re.M), a)
                   for p, a in ASPECT_WORDS]
RATIO = re.compile(r"(?<![\w/.])(?:(?:aspect\s+ratio|aspect|ratio|format)\s*(?:of\s+)?:?\s*)?"
                   r"(\d{1,2})\s*(?::|x|by|/)\s*(\d{1,2})(?![\d.])(?:\s*(?:aspect(?:\s+ratio)?|"
                   r"ratio|format|crop))?", I)
SIZE = re.compile(r"\b(\d{3,4})\s*(?:x|by|\*)\s*(\d{3,4})(?:\s*(?:px|pixels))?\b", I)

COMPOSITIONS = [
    (r"rule\s+of\s+thirds(?:\s+composition)?", "rule of thirds composition", "right third"),
    (r"(?:perfectly\s+)?cent(?:er|re)d(?:\s+(?:composition|framing))?|"
     r"in\s+the\s+(?:center|centre|middle)(?:\s+of\s+the\s+frame)?|central\s+composition|"
     r"cent(?:er|re)\s+(?:composition|frame|framed)", "centered composition", "center"),
    (r"symmetr(?:ical|ic|y)(?:\s+(?:composition|framing|arrangement))?", "symmetrical composition",
     "center"),
    (r"(?:flat\s+lay\s+)?grid(?:\s+(?:layout|arrangement))?|arranged\s+in\s+a\s+grid|knolling",
     "flat lay grid, items neatly arranged", None),
    (r"diagonal(?:\s+(?:composition|arrangement|lines?|angle))|diagonally", "diagonal composition",
     None),
    (r"leading\s+lines", "leading lines toward the product", None),
    (r"(?:minimal(?:ist)?|clean|simple|uncluttered)\s+(?:composition|framing|layout)",
     "minimal, uncluttered composition", None),
    (r"off[\s-]cent(?:er|re)(?:ed)?(?:\s+composition)?", "off-center composition", None),
    (r"fill(?:s|ing)?\s+the\s+frame|full[\s-]frame|frame[\s-]filling|tightly\s+framed",
     "product fills the frame", None),
    (r"(?:arranged\s+)?in\s+a\s+(?:row|line)|lined\s+up|side\s+by\s+side",
     "products lined up in a row", None),
    (r"in\s+a\s+stack|stacked\s+(?:up|arrangement)", "stacked arrangement", None),
    (r"(?:arranged\s+)?in\s+a\s+circle|circular\s+arrangement", "circular arrangement", None),
    (r"(?:dutch|tilted|canted)\s+angle", "dutch angle, tilted frame", None),
    (r"high[\s-]speed(?:\s+(?:photography|photo|shot|capture))?|freeze[\s-]frame|"
     r"frozen\s+(?:in\s+)?motion|action\s+shot|mid[\s-]splash",
     "dynamic high-speed capture, motion frozen", None),
    (r"(?:framed|placed|positioned)\s+(?:on|to|at)\s+the\s+(?P<side>left|right)(?:\s+(?:side|third))?",
     "off-center composition", "SIDE"),
    (r"(?:the\s+)?(?:lower|bottom)\s+third", "product in the lower third", "lower third"),
]
COMPOSITIONS_RE = [(re.compile(rf"\b(?:{p})\b", I), c, place) for p, c, place in COMPOSITIONS]
SPACE = re.compile(
    r"\b(?:with\s+)?(?:lots\s+of\s+|plenty\s+of\s+|generous\s+|ample\s+|some\s+|large\s+|"
    r"a\s+lot\s+of\s+|room\s+for\s+)?(?:negative|empty|copy|white|blank|open)\s+space"
    r"(?:\s+(?:on|to|at|in|along)\s+(?:the\s+)?(?P<side>left|right|top|bottom|upper\s+(?:left|right)|"
    r"lower\s+(?:left|right))(?:\s+(?:side|half|third|edge))?)?"
    r"(?P<use>\s+(?:for|to\s+add|to\s+place)\s+(?:text|copy|a\s+headline|headlines?|a\s+logo|"
    r"typography|messaging|the\s+text|a\s+tagline|branding))?"
    r"|\broom\s+for\s+(?:text|copy)\b", I)
_OPPOSITE = {"left": "right third of the frame", "right": "left third of the frame",
             "top": "lower part of the frame", "bottom": "upper part of the frame"}
MOOD_RE = re.compile(rf"(?<![\w-]){alternation(MOODS)}(?![\w-])", I)
VIBE = re.compile(rf"\b(?P<x>(?:{alternation(MOODS)}\s+(?:and\s+)?|[\w'-]+\s+)?[\w'-]+)\s+"
                  rf"(?:mood|vibes?|"
                  rf"feel(?:ing)?|atmosphere|aesthetic|energy|ambiance|ambience|look)\b"
                  rf"(?!\s+(?:drinks?|bars?|gels?|shots?|saving|efficient|balls?))", I)
# A season alone in its clause is a mood ("..., summer, ..."); "summer sale" is an occasion.
SEASON = re.compile(r"^(?:(?:a|the)\s+)?(?P<s>summer|summertime|winter|autumn|fall|spring)"
                    r"(?:\s+(?:vibes?|feel(?:ing)?|mood|season|time|menu|edition|collection|"
                    r"days?))?$", I)
SEASON_MOODS = {"summer": "summery", "summertime": "summery", "winter": "wintry",
                "autumn": "autumnal", "fall": "autumnal", "spring": "fresh and springlike"}
# Words of movement make the picture dynamic whatever else they describe.
MOTION = re.compile(r"\b(?:motion\s+blur|speed\s+lines|mid[\s-]?(?:stride|jump|flight|motion|"
                    r"splash|pour|air)|in\s+motion|exploding|explosion|action\s+shot|"
                    r"high[\s-]speed|frozen\s+motion|flying|bursting)\b", I)
_VIBE_SKIP = {"a", "an", "the", "with", "and", "of", "overall", "general", "nice", "good", "it",
              "would", "could", "should", "will", "we", "you", "i", "they", "does", "did",
              "them", "make", "to", "this", "that", "more", "less", "its"}

SKU = re.compile(r"\bsku\s*(?:#|:|-|no\.?|number)?\s*(?P<x>[A-Za-z0-9][A-Za-z0-9._/-]{0,63})", I)
BRAND = re.compile(r"\bbrand(?:\s+name)?\s*(?::|is|called|named)?\s*(?P<x>\ue000\d+\ue001|"
                   r"[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,2})")
NAME = re.compile(r"\b(?:called|named|product\s+name\s*:?)\s*(?P<x>\ue000\d+\ue001|"
                  r"[A-Z][\w&'.-]*(?:\s+[A-Z0-9][\w&'.-]*){0,3})")


PRINTED = re.compile(r"\s*(?:printed|written|embossed|engraved|debossed|stamped|lettered)?\s*"
                     r"(?:on|across)\s+(?:the\s+|its\s+)?(?:label|bottle|box|front|lid|cap|"
                     r"packaging|tag|can|jar|tube)", re.IGNORECASE)


def extract_meta(scan: Scan, f: Findings) -> None:
    """Product SKU, brand and name (before the quotes are read as text to render)."""
    for pattern, key in ((SKU, "sku"), (BRAND, "brand"), (NAME, "name")):
        m = scan.first(pattern, take=False)
        if not m:
            continue
        f.product[key] = _unquote(scan, m.group("x")).strip(" .,")[:128 if key == "sku" else 300]
        printed = PRINTED.match(scan.after(m.end(), 40))
        # a quoted brand "printed on the label" is also text to render: leave the quote
        scan.take(m.start(), m.start("x") if printed and "\ue000" in m.group("x") else m.end())


def _unquote(scan: Scan, text: str) -> str:
    m = re.fullmatch(r"\ue000(\d+)\ue001", text)
    return scan.quotes[int(m.group(1))] if m else text


def extract_style(scan: Scan, f: Findings) -> None:
    _medium(scan, f)
    extract_context(scan, f)
    _aspect(scan, f)
    _composition(scan, f)


def _medium(scan: Scan, f: Findings) -> None:
    for pattern, medium, photo in MEDIA_RE:
        for m in scan.matches(pattern):
            if f.style_medium is None or (f.photographic and not photo):
                f.style_medium, f.photographic = medium, photo
            if "film" in m.group(0).lower() or "polaroid" in m.group(0).lower():
                f.artistic.append("analog film")
    m = scan.first(STYLE_OF)
    if m:
        f.artistic.insert(0, m.group("x").lower())
    for m in STYLE_RE.finditer(scan.text):
        if _is_attribute(scan, m.start()):
            continue
        word = lookup(STYLE_WORDS, m.group("w"))
        if word and word not in f.artistic:
            f.artistic.append(word)
        if m.group("suffix") and scan.free(m.start(), m.end()):
            scan.take(m.start(), m.end())
    if FILM.search(scan.text) and "analog film" not in f.artistic:
        f.artistic.append("analog film")


def _aspect(scan: Scan, f: Findings) -> None:
    m = scan.first(SIZE)
    if m:
        f.render["width"], f.render["height"] = (_size(int(m.group(1))), _size(int(m.group(2))))
    for m in scan.matches(RATIO, take=False):
        w, h = int(m.group(1)), int(m.group(2))
        says_ratio = re.search(r"aspect|ratio|format|crop|:", m.group(0), I)
        if re.match(r"\s*(?:grid|pack|set|piece|rows?|columns?)\b", scan.after(m.end(), 12)):
            continue
        if w and h and (says_ratio or f"{w}:{h}" in _presets()) and w <= 32 and h <= 32:
            scan.take(m.start(), m.end())
            f.render["aspect"] = nearest_aspect(w, h)
            break
    for pattern, aspect in ASPECT_WORDS_RE:
        for clause_start, clause in _clauses(scan):
            m = pattern.search(clause)
            if m and scan.free(clause_start + m.start(), clause_start + m.end()):
                scan.take(clause_start + m.start(), clause_start + m.end())
                f.render.setdefault("aspect", aspect)


def _clauses(scan: Scan) -> list[tuple[int, str]]:
    out, start = [], 0
    for part in re.split(r"([,;.!?\n])", scan.text):
        if part and part not in ",;.!?\n":
            lead = len(part) - len(part.lstrip())
            out.append((start + lead, part.strip()))
        start += len(part)
    return out


def _presets() -> dict[str, list[int]]:
    return subschema("render.aspect")["x-sizes"]


def nearest_aspect(w: int, h: int) -> str:
    """The schema's aspect preset closest to ``w:h`` (ratios compared on a log scale)."""
    target = math.log(w / h)
    return min(_presets(), key=lambda a: abs(math.log(int(a.split(":")[0]) / int(a.split(":")[1]))
                                             - target))


def _size(n: int) -> int:
    return max(16, min(8192, int(round(n / 16.0)) * 16))


def _composition(scan: Scan, f: Findings) -> None:
    for m in scan.matches(SPACE):
        side = (m.group("side") or "").lower()
        text = "generous negative space"
        if side:
            text += f" on the {side}"
            f.placement = _OPPOSITE.get(side.split()[-1] if side.split()[0] in ("upper", "lower")
                                        else side)
        if m.group("use") or "copy" in m.group(0).lower() or "text" in m.group(0).lower():
            text += " for text and copy"
        f.composition.append(text)
    for pattern, text, place in COMPOSITIONS_RE:
        m = scan.first(pattern)
        if m:
            f.composition.append(text)
            if place == "SIDE":
                f.placement = f"{m.group('side').lower()} third of the frame"
            elif place and f.placement is None:
                f.placement = place


def lookup(table: dict[str, str | None], words: str) -> str | None:
    """``table[words]`` with spaces and hyphens interchangeable and case ignored."""
    return _normalized(id(table), table).get(re.sub(r"[\s-]+", " ", words.lower()))


_NORMALIZED: dict[int, dict[str, str | None]] = {}


def _normalized(key: int, table: dict[str, str | None]) -> dict[str, str | None]:
    if key not in _NORMALIZED:
        _NORMALIZED[key] = {re.sub(r"[\s-]+", " ", k): v for k, v in table.items()}
    return _NORMALIZED[key]


def _is_attribute(scan: Scan, pos: int) -> bool:
    return any(start <= pos < end for start, end in scan.attributes)


def extract_mood(scan: Scan, f: Findings) -> None:
    for m in scan.matches(VIBE, take=False):
        words = [w for w in m.group("x").lower().split() if w not in _VIBE_SKIP]
        if not words or re.match(r"\s+(?:like|as\s+if)\b", scan.text[m.end():]):
            continue  # "what would it look like": no mood named
        scan.take(m.start(), m.end())
        canonical = [lookup(MOODS, w) for w in words]
        if words and not all(canonical):
            f.mood.append(" ".join(words) + " " + m.group(0).split()[-1].lower())
        f.mood.extend(c for c in canonical if c)
    for m in MOOD_RE.finditer(scan.text):
        if _is_attribute(scan, m.start()):
            continue
        word = lookup(MOODS, m.group(0))
        if word:
            f.mood.append(word)
    for start, clause in _clauses(scan):
        m = SEASON.match(clause)
        if m:  # even when "summer menu" gave the context its words
            if scan.free(start + m.start("s"), start + m.end("s")):
                scan.take(start + m.start("s"), start + m.end("s"))
            f.mood.append(SEASON_MOODS[m.group("s").lower()])
    if MOTION.search(scan.text):
        f.mood.append("full of motion" if "dynamic" in f.mood else "dynamic, full of motion")
    f.mood = list(dict.fromkeys(f.mood))
