"""Clause verbs of a refinement: "make X Y", "replace X with Y", "remove X", "add X",
"change the text to 'Y'", "move the key light behind". Each names a target (the backdrop,
the surface, a light, the shadows, the mood, the text, an object ...) and what it becomes."""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.build import defaults, merge_findings, text_items
from studioflow.translate.rules.color_words import colors_in
from studioflow.translate.rules.extract import extract_scan
from studioflow.translate.rules.extract_light import set_direction
from studioflow.translate.rules.extract_objects import parse_phrase
from studioflow.translate.rules.extract_scene import SCENE_TONES, _draped, _scene_tone
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.refine_objects import (
    GENERIC,
    add_objects,
    find_objects,
    recolor,
    rematerial,
    remove_objects,
    resize,
)
from studioflow.translate.rules.refine_ops import RELATIVE, background, camera, less_blur
from studioflow.translate.rules.scan import QUOTE_MARK, Scan
from studioflow.translate.rules.vocabulary import SCENE_NOUNS

I = re.IGNORECASE  # noqa: E741
Manifest = dict[str, Any]
_VERB_SPLIT = re.compile(
    r"\s+(?:and\s+(?:then\s+)?|also\s+|plus\s+)(?=(?:make|add|remove|use|change|set|move|put|"
    r"switch|turn|shoot|give|place|replace|swap|increase|decrease|lower|raise|delete|drop|get|"
    r"take|rotate|zoom|bring|try|let|keep|show|crop|tilt|render|paint|leave|go)\b)", I)
_DET = r"(?:the|a|an|its|this|that|those|these|all\s+the|all|some|any)\s+"
TARGETS = [
    ("generic", re.compile(r"(?:it|them|this|that|everything|all|(?:the\s+)?(?:whole\s+)?"
                           r"(?:image|picture|photo|shot|scene|frame|render|thing|overall\s+look))", I)),
    ("background", re.compile(r"(?:the\s+)?(?:back(?:ground|drop)|bg|wall|sweep|seamless|setting|"
                              r"(?:background|backdrop)\s+colou?r)", I)),
    ("surface", re.compile(r"(?:the\s+)?(?:surface|table|tabletop|floor|counter(?:top)?|base|plinth|"
                           r"pedestal|podium|board|shelf|slab|platform|ground)", I)),
    ("light", re.compile(r"(?:the\s+)?(?:(?:key|main|fill|rim|back|hair|background|studio)\s+)?"
                         r"(?:light(?:ing|s)?|illumination|sun(?:light)?)", I)),
    ("shadows", re.compile(r"(?:the\s+)?shadows?", I)),
    ("mood", re.compile(r"(?:the\s+)?(?:mood|atmosphere|vibe|feel(?:ing)?|ambiance|ambience)", I)),
    ("colors", re.compile(r"(?:the\s+)?(?:colou?rs?|palette|colou?r\s+(?:scheme|palette|grading)|"
                          r"tones)", I)),
    ("text", re.compile(r"(?:the\s+)?(?:text|headline|caption|title|lettering|words?|typography|"
                        r"font|copy|tagline|slogan)", I)),
    ("camera", re.compile(r"(?:the\s+)?(?:camera(?:\s+angle)?|angle|view|perspective|lens|focal\s+"
                          r"length|aperture|depth\s+of\s+field|framing|composition)", I)),
]
MAKE = re.compile(r"^\s*(?:please\s+)?(?:can\s+you\s+)?(?:make|turn|change|set|paint|colou?r|"
                  r"recolou?r|dye|render)\s+(?P<rest>.+)$", I)
REPLACE = re.compile(r"^\s*(?:please\s+)?(?:replace|swap|switch|exchange|substitute|change)\s+"
                     r"(?P<old>.+?)\s+(?:with|for|by|to|into)\s+(?P<new>.+)$", I)
REMOVE = re.compile(r"^\s*(?:please\s+)?(?:remove|delete|drop|lose|erase|eliminate|ditch|"
                    r"get\s+rid\s+of|take\s+(?:out|away|off)|no\s+more|without|hide|clear|"
                    r"turn\s+off|switch\s+off|kill|disable|cut)\s+"
                    r"(?P<x>.+)$", I)
MOVE_LIGHT = re.compile(
    r"^\s*(?:please\s+)?(?:move|put|place|bring|swing|shift|switch|position|relocate)\s+(?:the\s+)?"
    r"(?P<role>key|main|fill|rim|hair|back(?:ground)?)?\s*(?:light|lamp|softbox|strobe|sun|"
    r"window)\s+(?:to\s+(?:the\s+)?|on\s+(?:the\s+)?|over\s+to\s+(?:the\s+)?|around\s+to\s+"
    r"(?:the\s+)?|at\s+(?:the\s+)?)?(?P<dir>behind(?:\s+(?:the\s+)?(?:product|it|subject|"
    r"bottle|object))?|(?:(?:upper|lower|top|bottom|far|front|back)[\s-]+)?(?:left|right)|"
    r"above|overhead|below|front|back|(?:the\s+)?side)\b", I)
ADD = re.compile(r"^\s*(?:please\s+)?(?:add|include|insert|introduce|throw\s+in|bring\s+in|"
                 r"put|place|with)\s+(?P<x>.+)$", I)
_FILLER = re.compile(r"^(?:to\s+be\s+|to\s+|into\s+|be\s+|look\s+|more\s+like\s+|so\s+it(?:'s|"
                     r"\s+is)\s+|instead\s+)+|\s+(?:instead|now|please|too|as\s+well)$", I)


def clauses(scan: Scan) -> list[tuple[int, int]]:
    """Character spans of the instruction's clauses (commas, "and then", "and make ...")."""
    spans, start = [], 0
    text = scan.text
    for m in re.finditer(r"[,;.!?\n]|\bthen\b", text):
        if not (m.group(0) == "." and 0 < m.start() < len(text) - 1 and text[m.start() - 1].isdigit()
                and text[m.start() + 1].isdigit()):
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        pos = s
        for m in _VERB_SPLIT.finditer(text, s, e):
            out.append((pos, m.start()))
            pos = m.end()
        out.append((pos, e))
    return [(s, e) for s, e in out if text[s:e].strip()]


DIRECTION_WORDS = re.compile(r"\b(?:from|behind|above|below|left|right|side|front|top|overhead|"
                             r"degrees?)\b", I)
MOVE_OBJECT = re.compile(
    r"^\s*(?:please\s+)?(?:move|shift|place|put|position|slide)\s+(?P<target>.+?)\s+(?:to|on|at|"
    r"towards?|into|in)\s+(?:the\s+)?(?:far\s+)?(?P<side>left|right|center|centre|middle|"
    r"foreground|background|front|back)(?:\s+(?:side|third|half|of\s+the\s+frame))?\s*$", I)
_PLACES = {"left": "left third of the frame", "right": "right third of the frame",
           "center": "center", "centre": "center", "middle": "center",
           "foreground": "in the foreground", "front": "in the foreground",
           "background": "in the background", "back": "in the background"}
ON_OBJECT = re.compile(r"\b(?:on|onto|to)\s+(?:the\s+|its\s+)(?P<x>[\w'-]+(?:\s+[\w'-]+)?)", I)


SHOULD = re.compile(r"^\s*(?:i\s+(?:want|would\s+like)\s+)?(?P<target>the\s+.+?)\s+(?:should\s+be|"
                    r"to\s+be|must\s+be|needs\s+to\s+be|is|looks?|in)\s+(?P<value>.+)$", I)
CENTER = re.compile(r"^\s*(?:please\s+)?(?:re-?)?cent(?:er|re)\s+(?P<target>.+)$", I)
TILT_OBJECT = re.compile(r"^\s*(?:please\s+)?(?:tilt|lean|angle|tip)\s+(?P<target>.+?)"
                         r"(?:\s+(?:slightly|a\s+bit|a\s+little|to\s+the\s+(?:left|right)))*\s*$", I)
VERB_ORIENT = [(re.compile(p, I), words) for p, words in (
    (r"\b(?:float|levitate|hover|fly)\b", "floating in mid-air"),
    (r"\blie\s+flat\b|\blay\s+flat\b", "lying flat"),
    (r"\blie\s+(?:down|on\s+its\s+side)\b", "lying on its side"),
    (r"\bstand(?:\s+up(?:right)?)?\b|\bupright\b", "upright"),
    (r"\btilt(?:ed)?\b|\blean(?:ing)?\b", "tilted at an angle"),
    (r"\bhang\b", "hanging"),
    (r"\bface\s+(?:the\s+)?left\b", "facing left"),
    (r"\bface\s+(?:the\s+)?right\b", "facing right"),
    (r"\bface\s+(?:the\s+)?(?:camera|viewer|front)\b", "facing the camera"),
)]


def _should_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = SHOULD.match(text)
    if not match:
        return False
    kind = target_kind(m, match.group("target"))
    value = _clean(match.group("value"))
    return bool(kind and value) and _apply_value(m, kind, match.group("target"), value, False)


def _center_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = CENTER.match(text)
    if not match or target_kind(m, match.group("target")) not in ("object", "generic"):
        return False
    objects = m["fibo"].get("objects") or []
    for i in find_objects(objects, match.group("target")) or [0]:
        if i < len(objects):
            objects[i]["location"] = "center"
    m["fibo"].setdefault("aesthetics", defaults("fibo.aesthetics"))["composition"] = \
        "centered composition"
    return True


def _tilt_object(scan: Scan, text: str, m: Manifest) -> bool:
    match = TILT_OBJECT.match(text)
    if not match or target_kind(m, match.group("target")) != "object":
        return False
    objects = m["fibo"].get("objects") or []
    for i in find_objects(objects, match.group("target")):
        objects[i]["orientation"] = "tilted at an angle"
    return True


def _move_object(scan: Scan, text: str, m: Manifest) -> bool:
    match = MOVE_OBJECT.match(text)
    if not match or target_kind(m, match.group("target")) != "object":
        return False
    objects = m["fibo"].get("objects") or []
    for i in find_objects(objects, match.group("target")):
        objects[i]["location"] = _PLACES[match.group("side").lower()]
    return True


def protect_objects(scan: Scan, m: Manifest) -> None:
    """ "water droplets on the bottle": an object named after "on" is no surface."""
    objects = m["fibo"].get("objects") or []
    for match in scan.matches(ON_OBJECT, take=False):
        words = match.group("x")
        if find_objects(objects, words) and not GENERIC.match(words) and \
                target_kind(m, f"the {words}") == "object":
            scan.take(match.start(), match.end())


COLOR_OF = re.compile(r"\bthe\s+colou?r\s+of\s+(?=the\s|its\s|my\s)", I)
LABEL_SAYS = re.compile(r"^\s*(?:please\s+)?(?:make|have|let|change)\s+(?:the\s+)?(?P<where>label|bottle|box|"
                        r"packaging|package|can|jar|sign|tag|tube|bag|card)\s+(?:to\s+)?(?:say|read|show)s?\s+"
                        r"(?P<new>\ue000\d+\ue001)\s*$", I)


def clause_edits(scan: Scan, m: Manifest) -> bool:
    done = False
    for start, end in clauses(scan):
        text = COLOR_OF.sub("the ", scan.text[start:end].strip())  # "the colour of the bottle"
        for handler in (_text_clause, _move_light, _move_object, _center_clause, _tilt_object,
                        _remove_clause, _replace_clause, _make_clause, _should_clause):
            if handler(scan, text, m):
                scan.take(start, end)
                done = True
                break
    return done


def leftover_adds(scan: Scan, m: Manifest) -> bool:
    """ "add two lemons next to it": what is left after lights, text ... were read."""
    done = False
    for _, chunk in scan.remainder():
        match = ADD.match(QUOTE_MARK.sub(" ", chunk))
        if match and add_objects(m, match.group("x")):
            done = True
    return done


# ---------------------------------------------------------------- applying sub-phrases
def apply_words(m: Manifest, text: str) -> bool:
    """Relative words, then the translate extractors, on ``text``: did it change anything?"""
    scan = Scan(text)
    done = False
    for pattern, edit in RELATIVE:
        if scan.first(pattern):
            edit(m)
            done = True
    f = extract_scan(scan)
    if _useful(f):
        if f.texts:
            fibo = m["fibo"]
            fibo["text_render"] = [*fibo.get("text_render", []), *text_items(f.texts, f, m)][:8]
            f.texts = []
        if f.placement and m["fibo"].get("objects"):
            m["fibo"]["objects"][0]["location"] = f.placement
        merge_findings(f, m, fresh=False)
        done = True
    return done


def _useful(f: Findings) -> bool:
    empty = Findings()
    return any(getattr(f, k) != getattr(empty, k) for k in vars(empty)
               if k not in ("light_words", "camera_words", "background_words", "surface_words"))


def _clean(value: str) -> str:
    return _FILLER.sub("", value.strip()).strip(" ,.")


def target_kind(m: Manifest, target: str) -> str | None:
    target = target.strip()
    if re.fullmatch(r"(?:the\s+)?(?:main\s+|hero\s+)?(?:product|item|subject|object)", target, I):
        return "object"
    for kind, pattern in TARGETS:
        if pattern.fullmatch(target):
            return kind
    words = set(re.findall(r"[\w'-]+", re.sub(rf"^{_DET}", "", target, flags=I).lower()))
    surface = str(((m.get("controls") or {}).get("background") or {}).get("surface", "")).lower()
    if words and words <= set(re.findall(r"[\w'-]+", surface)):
        return "surface"
    if re.match(rf"^{_DET}", target, I) and find_objects(m["fibo"].get("objects") or [],
                                                         target) and not GENERIC.match(target):
        return "object"
    description = str(((m.get("controls") or {}).get("background") or {}).get("description", ""))
    if words and words <= set(re.findall(r"[\w'-]+", description.lower())):
        return "background"
    return None


# ---------------------------------------------------------------- handlers
_TEXT_NOUN = r"(?:text|words?|headline|caption|title|lettering|typography|copy|tagline|slogan)"
REMOVE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:remove|delete|drop|get\s+rid\s+of|take\s+(?:out|"
                         rf"away|off)|erase|clear|no|without|lose|hide)\s+(?:the\s+|all\s+(?:the\s+)?|"
                         rf"any\s+)?(?:{_TEXT_NOUN}\s*)?(?P<q>\ue000\d+\ue001)?\s*(?:{_TEXT_NOUN})?\s*$",
                         I)
CHANGE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:change|replace|swap|switch|update|edit|make|set)\s+"
                         rf"(?:the\s+)?(?:{_TEXT_NOUN}\s*)?(?P<old>\ue000\d+\ue001)?\s*(?:{_TEXT_NOUN})?"
                         rf"\s*(?:to|with|into|for|so\s+it\s+(?:says|reads))\s+(?:say\s+|read\s+)?"
                         rf"(?P<new>\ue000\d+\ue001)(?P<rest>.*)$", I)
MOVE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:move|put|place|position)\s+(?:the\s+)?{_TEXT_NOUN}\s+"
                       rf"(?:to\s+|at\s+|in\s+|on\s+)?(?:the\s+)?(?P<where>.+)$", I)


def _quote(scan: Scan, mark: str | None) -> str | None:
    if not mark:
        return None
    return scan.quotes[int(QUOTE_MARK.search(mark).group(1))]


def _text_clause(scan: Scan, text: str, m: Manifest) -> bool:
    fibo = m["fibo"]
    items = fibo.get("text_render") or []
    match = REMOVE_TEXT.match(text)
    if match and (match.group("q") or re.search(_TEXT_NOUN, text, I)):
        quote = _quote(scan, match.group("q"))
        fibo["text_render"] = [t for t in items if quote is not None and t["text"] != quote]
        return True
    match = CHANGE_TEXT.match(text)
    if match:
        old, new = _quote(scan, match.group("old")), _quote(scan, match.group("new"))
        hit = next((t for t in items if old is None or t["text"] == old), None)
        if hit is None:
            fibo["text_render"] = [*items, *text_items([{"text": new}], Findings(), m)][:8]
        else:
            hit["text"] = new[:500]
        return True
    match = LABEL_SAYS.match(text)
    if match:  # "make the label say 'PURE'": the text printed on the product
        new = _quote(scan, match.group("new"))
        where = f"on the product {match.group('where').lower()}"
        hit = next((t for t in items if t.get("location", "").startswith("on the product")), None)
        if hit is not None:
            hit["text"] = new[:500]
        else:
            item = text_items([{"text": new, "location": where, "size": "small",
                                "_on_product": True}], Findings(), m)
            fibo["text_render"] = [*items, *item][:8]
        return True
    match = MOVE_TEXT.match(text)
    if match and items:
        from studioflow.translate.rules.extract_text import _frame_location

        where = re.sub(r"\s+(?:of\s+the\s+)?(?:frame|image|picture)$", "", match.group("where"), I)
        items[0]["location"] = _frame_location(where.lower().strip())
        return True
    return False


def _move_light(scan: Scan, text: str, m: Manifest) -> bool:
    match = MOVE_LIGHT.match(text)
    if not match:
        return False
    role = (match.group("role") or "key").lower()
    role = {"main": "key", "hair": "rim", "back": "rim", "background": "background"}.get(role, role)
    f = Findings()
    word = re.sub(r"\s+(?:the\s+)?(?:product|it|subject|bottle|object)$", "", match.group("dir"))
    set_direction(f, role, re.sub(r"^the\s+", "", word.lower()), text.lower())
    merge_findings(f, m, fresh=False)
    return True


def _remove_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = REMOVE.match(text)
    if not match:
        return False
    x = _clean(QUOTE_MARK.sub(" ", match.group("x")))
    low = x.lower()
    c = m.setdefault("controls", {})
    if re.search(r"\bshadows?\b", low):
        c.setdefault("shadows", defaults("controls.shadows"))["style"] = "none"
        return True
    if re.search(r"\breflections?\b", low):
        c.setdefault("shadows", defaults("controls.shadows"))["reflection"] = False
        return True
    role = re.search(r"\b(rim|fill|background|backdrop|hair|back|kicker|accent|edge)\s+lights?\b", low)
    if role:
        name = {"fill": "fill", "background": "background", "backdrop": "background"}.get(
            role.group(1), "rim")
        if c.get("lights"):
            c["lights"] = [light for light in c["lights"] if light["role"] != name]
        return True
    if re.search(r"\b(?:blur|bokeh)\b", low):
        less_blur(m)
        return True
    if re.fullmatch(r"(?:the\s+|all\s+(?:the\s+)?)?(?:props|other\s+objects|accessories|"
                    r"everything\s+else|extras|decorations?)", low):
        m["fibo"]["objects"] = m["fibo"].get("objects", [])[:1]
        return True
    if re.fullmatch(rf"(?:{_DET})?(?:background|backdrop|bg|scene|setting)", low):
        bg = background(m)
        for key in ("description", "gradient_to", "surface"):
            bg.pop(key, None)
        bg.update(color="#FFFFFF", style=defaults("controls.background")["style"])
        return True
    if target_kind(m, x) == "surface" or re.fullmatch(rf"(?:{_DET})?surface", low):
        return background(m).pop("surface", None) is not None
    return remove_objects(m, x)


def _replace_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = REPLACE.match(text)
    if not match:
        return False
    old, new = match.group("old").strip(), _clean(match.group("new"))
    if QUOTE_MARK.search(new) or not new:
        return False  # the text verbs handle quoted replacements
    kind = target_kind(m, old)
    if kind is None and re.match(r"^(?:the\s+)?(?:lens|camera|aperture|angle)", old, I):
        kind = "camera"
    return _apply_value(m, kind, old, new, replace=True) if kind else False


def _make_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = MAKE.match(text)
    if not match:
        return False
    words = match.group("rest").split()
    for k in range(len(words) - 1, 0, -1):
        target, value = " ".join(words[:k]), _clean(" ".join(words[k:]))
        kind = target_kind(m, target)
        if kind and value:
            return _apply_value(m, kind, target, value, replace=False)
    return False


def _apply_value(m: Manifest, kind: str, target: str, value: str, replace: bool) -> bool:
    value = QUOTE_MARK.sub(" ", value).strip()
    if kind == "background":
        return _background_value(m, value)
    if kind == "surface":
        return _surface_value(m, value)
    if kind == "light":
        if DIRECTION_WORDS.search(value):  # "the fill light come from the left"
            return apply_words(m, f"{target} {value}") or apply_words(m, f"{value} light")
        return apply_words(m, f"{value} light") or apply_words(m, f"{target} {value}")
    if kind == "shadows":
        return apply_words(m, f"shadows {value}") or apply_words(m, f"{value} shadows")
    if kind == "mood":
        mood = re.sub(r"^(?:more|a\s+bit|slightly|much|very)\s+", "", value, flags=I)
        m["fibo"].setdefault("aesthetics", defaults("fibo.aesthetics"))["mood_atmosphere"] = mood
        return True
    if kind == "colors":
        return _palette_value(m, value)
    if kind == "text":
        return _text_value(m, value)
    if kind == "camera":
        return apply_words(m, f"{target} {value}") or apply_words(m, value)
    if kind == "object":
        return _object_value(m, target, value, replace)
    # generic: "make it golden hour", "make it a watercolor", "make it red"
    return apply_words(m, value) or _object_value(m, "it", value, replace)


def _background_value(m: Manifest, value: str) -> bool:
    bg = background(m)
    colors = colors_in(value)
    words = set(re.findall(r"[\w'-]+", value.lower()))
    scene = words & ({w for n in SCENE_NOUNS for w in n.split()} | set(SCENE_TONES))
    if colors and not scene:
        bg["color"] = colors[0][1]
        if "gradient" in words or len(colors) > 1 and re.search(r"\bto\b", value, I):
            bg["style"] = "gradient"
            if len(colors) > 1:
                bg["gradient_to"] = colors[1][1]
        else:
            bg.pop("gradient_to", None)
            if bg.get("style") in ("scene", "gradient"):
                bg["style"] = defaults("controls.background")["style"]
                bg.pop("description", None)
        rest = [w for w in re.findall(r"[\w'-]+", value.lower())
                if not colors_in(w) and w not in ("a", "an", "the", "background", "backdrop", "of",
                                                   "to", "from", "with", "and", "in", "color",
                                                   "colour", "tone", "shade", "into", "one")]
        if rest and set(rest) - {"seamless", "plain", "solid", "flat", "sweep", "gradient"}:
            bg["description"] = f"{value} backdrop" if "backdrop" not in value else value
        return True
    if scene or words - {"a", "an", "the"}:
        return apply_words(m, f"against a {value} background") or _set_scene(bg, value)
    return False


def _set_scene(bg: dict[str, Any], value: str) -> bool:
    bg.update(style="scene", description=value, color=_scene_tone(value.lower().split()))
    bg.pop("gradient_to", None)
    return True


def _surface_value(m: Manifest, value: str) -> bool:
    bg = background(m)
    if not set(re.findall(r"[\w'-]+", value.lower())) - {"a", "an", "the"}:
        return False
    only_color = all(colors_in(w) or w in ("a", "an", "the") for w in value.lower().split())
    if only_color and bg.get("surface"):
        obj = {"description": bg["surface"]}
        recolor(obj, value)
        bg["surface"] = obj["description"]
    else:
        bg["surface"] = re.sub(r"^(?:the|some)\s+", "", value, flags=I)
    tones = colors_in(value, strict=True)
    if tones and _draped(value.lower().split()):
        bg["color"] = tones[0][1]
    return True


def _palette_value(m: Manifest, value: str) -> bool:
    words = [w for w in re.findall(r"[\w'-]+", value.lower())
             if w not in ("more", "less", "a", "bit", "much", "slightly", "very", "the")]
    if not words:
        return False
    base = {"warmer": "warm", "cooler": "cool", "brighter": "bright", "darker": "dark",
            "softer": "soft", "bolder": "bold", "richer": "rich", "deeper": "deep",
            "lighter": "light", "paler": "pale"}
    words = [base.get(w, w) for w in words]
    extra = ", saturated" if "vibrant" in words or "bold" in words else ""
    m.setdefault("controls", {})["color_palette"] = f"{' '.join(words)}{extra} colors"
    return True


def _text_value(m: Manifest, value: str) -> bool:
    items = m["fibo"].get("text_render") or []
    if not items:
        return False
    item = items[0]
    done = False
    colors = colors_in(value)
    if colors:
        item["color"] = colors[0][0]
        done = True
    low = value.lower()
    if re.search(r"\b(?:bigger|larger|huge|large|big)\b", low):
        item["size"] = "very large" if item.get("size") == "large" else "large"
        done = True
    elif re.search(r"\b(?:smaller|small|tiny|subtle)\b", low):
        item["size"], done = "small", True
    fonts = re.findall(r"\b(bold|serif|sans[\s-]?serif|script|handwritten|italic|thin|elegant|"
                       r"modern|minimal|retro|condensed)\b", low)
    if fonts:
        item["font"], done = " ".join(dict.fromkeys(fonts)), True
    return done


def _object_value(m: Manifest, target: str, value: str, replace: bool) -> bool:
    objects = m["fibo"].get("objects") or []
    hits = find_objects(objects, target)
    if not hits:
        return False
    if replace:
        new = parse_phrase(value)
        if new is None:
            return False
        for i in hits:
            obj = objects[i]
            obj["description"] = new.description
            for key, found in (("shape_and_color", ", ".join(new.colors)),
                               ("texture", ", ".join(new.materials))):
                if found:
                    obj[key] = found
                else:
                    obj.pop(key, None)
            if new.count:
                obj["number_of_objects"] = new.count
        return True
    done = False
    for i in hits:
        changed = [recolor(objects[i], value), rematerial(objects[i], value),
                   resize(objects[i], value), _reorient(objects[i], value)]
        done = done or any(changed)
    return done


def _reorient(obj: dict[str, Any], value: str) -> bool:
    for pattern, words in VERB_ORIENT:
        if pattern.search(value):
            obj["orientation"] = words
            return True
    return False
