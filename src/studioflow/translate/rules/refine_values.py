"""What a refinement's target becomes: "the backdrop" + "sage green", "the sneaker" + "blue",
"the light" + "warmer". ``target_kind`` names what a phrase points at; ``apply_value`` edits
the controls or fields that own it."""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.build import defaults, merge_findings, text_items
from studioflow.translate.rules.color_words import colors_in
from studioflow.translate.rules.extract import extract_scan
from studioflow.translate.rules.extract_objects import parse_phrase
from studioflow.translate.rules.extract_scene import SCENE_TONES, draped, scene_tone
from studioflow.translate.rules.findings import Findings, ObjectFinding
from studioflow.translate.rules.object_phrases import COUNT_ALT, mentions
from studioflow.translate.rules.refine_objects import (
    GENERIC,
    find_objects,
    recolor,
    rematerial,
    resize,
)
from studioflow.translate.rules.refine_ops import RELATIVE, background
from studioflow.translate.rules.scan import QUOTE_MARK, Scan
from studioflow.translate.rules.vocabulary import COUNT_WORDS, SCENE_NOUNS, STATE_WORDS

I = re.IGNORECASE  # noqa: E741
Manifest = dict[str, Any]
DIRECTION_WORDS = re.compile(r"\b(?:from|behind|above|below|left|right|side|front|top|overhead|"
                             r"degrees?)\b", I)

MOOD_INTENT = re.compile(r"\b(?:mood|vibe|feel(?:ing)?|atmosphere|ambiance|ambience|more|less|"
                         r"make\s+it|look)\b", I)
GENERIC_DET = r"(?:the|a|an|its|this|that|those|these|all\s+the|all|some|any)\s+"
TARGETS = [
    ("generic", re.compile(r"(?:it|them|this|that|everything|all|(?:the\s+)?(?:whole\s+)?"
                           r"(?:image|picture|photo|shot|scene|frame|render|thing|"
                           r"overall\s+look))", I)),
    ("background", re.compile(r"(?:the\s+)?(?:back(?:ground|drop)|bg|wall|sweep|seamless|setting|"
                              r"(?:background|backdrop)\s+colou?r)", I)),
    ("surface", re.compile(r"(?:the\s+)?(?:surface|table|tabletop|floor|counter(?:top)?|base|"
                           r"plinth|"
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

_FILLER = re.compile(r"^(?:to\s+be\s+|to\s+|into\s+|be\s+|look\s+|more\s+like\s+|so\s+it(?:'s|"
                     r"\s+is)\s+|instead\s+)+|\s+(?:instead|now|please|too|as\s+well)$", I)

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


# ---------------------------------------------------------------- applying sub-phrases
def apply_words(m: Manifest, text: str, keep_mood: bool = True) -> bool:
    """Relative words, then the translate extractors, on ``text``: did it change anything?
    Without ``keep_mood`` a passing mood word is dropped: "the lighting harder with crisp
    shadows" asks for crisp shadows, not a crisp mood."""
    scan = Scan(text)
    done = False
    for pattern, edit in RELATIVE:
        if scan.first(pattern):
            edit(m)
            done = True
    f = extract_scan(scan)
    if not keep_mood and not MOOD_INTENT.search(text):
        f.mood = []
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
               if k not in ("light_words", "camera_words"))


# "red instead of black", "red, not black": only the new value counts
_NOT_THE_OLD = re.compile(r"\s*,?\s+(?:instead\s+of|rather\s+than|not|in\s+place\s+of|"
                          r"replacing)\s+.+$", I)


def clean_value(value: str) -> str:
    return _FILLER.sub("", _NOT_THE_OLD.sub("", value.strip())).strip(" ,.")


def target_kind(m: Manifest, target: str) -> str | None:
    target = target.strip()
    if re.fullmatch(r"(?:the\s+)?(?:main\s+|hero\s+)?(?:product|item|subject|object)", target, I):
        return "object"
    for kind, pattern in TARGETS:
        if pattern.fullmatch(target):
            return kind
    words = set(re.findall(r"[\w'-]+", re.sub(rf"^{GENERIC_DET}", "", target, flags=I).lower()))
    surface = str(((m.get("controls") or {}).get("background") or {}).get("surface", "")).lower()
    if words and words <= set(re.findall(r"[\w'-]+", surface)):
        return "surface"
    if re.match(rf"^{GENERIC_DET}", target, I) and find_objects(m["fibo"].get("objects") or [],
                                                         target) and not GENERIC.match(target):
        return "object"
    if words and _part_of(m, words) is not None:
        return "part"
    description = str(((m.get("controls") or {}).get("background") or {}).get("description", ""))
    if words and words <= set(re.findall(r"[\w'-]+", description.lower())):
        return "background"
    return None


def apply_value(m: Manifest, kind: str, target: str, value: str, replace: bool) -> bool:
    value = QUOTE_MARK.sub(" ", value).strip()
    if kind == "background":
        return _background_value(m, value)
    if kind == "surface":
        return _surface_value(m, value)
    if kind == "light":
        if DIRECTION_WORDS.search(value):  # "the fill light come from the left"
            return apply_words(m, f"{target} {value}", False) or \
                apply_words(m, f"{value} light", False)
        return apply_words(m, f"{value} light", False) or \
            apply_words(m, f"{target} {value}", False)
    if kind == "shadows":
        return apply_words(m, f"shadows {value}", False) or \
            apply_words(m, f"{value} shadows", False)
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
        return _count_value(m, target, value) or _object_value(m, target, value, replace)
    if kind == "part":
        return _part_value(m, target, value)
    # generic: "make it golden hour", "make it a watercolor", "make it red", "make it three
    # bottles in a row" (a count and a composition)
    counted = _count_value(m, "it", value)
    return apply_words(m, value) or counted or _object_value(m, "it", value, replace)


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
        if rest and set(rest) - {"seamless", "plain", "solid", "flat", "sweep", "gradient", "pure",
                                 "clean", "simple", "bright", "soft", "smooth", "studio"}:
            bg["description"] = f"{value} backdrop" if "backdrop" not in value else value
        return True
    if scene or words - {"a", "an", "the"}:
        return apply_words(m, f"against a {value} background") or _set_scene(bg, value)
    return False


def _set_scene(bg: dict[str, Any], value: str) -> bool:
    bg.update(style="scene", description=value, color=scene_tone(value.lower().split()))
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
    if tones and draped(value.lower().split()):
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
                   resize(objects[i], value), _reorient(objects[i], value),
                   _restate(objects[i], value)]
        done = done or any(changed)
    return done


_COUNT_OF = re.compile(rf"^(?:(?P<n>\d{{1,3}})|(?P<w>{COUNT_ALT}))\s+(?P<noun>[\w'-]+)", I)
_SINGLE = re.compile(r"^(?:a\s+)?(?:single|lone|one|solitary)\s+", I)


def _count_value(m: Manifest, target: str, value: str) -> bool:
    """ "three bottles", "make it 6 cans": how many of the object there are."""
    found = _COUNT_OF.match(value.strip())
    if not found:
        return False
    n = int(found.group("n")) if found.group("n") else COUNT_WORDS.get(found.group("w").lower())
    objects = m["fibo"].get("objects") or []
    noun = found.group("noun")
    hits = [i for i in find_objects(objects, target) or find_objects(objects, noun)
            if noun.lower() in ("of", "them") or _names(objects[i], noun)]
    if not n or not hits:
        return False
    for i in hits:
        objects[i]["number_of_objects"] = min(1000, n)
        objects[i]["description"] = _SINGLE.sub("", objects[i]["description"])
    return True


def _names(obj: dict[str, Any], noun: str) -> bool:
    return mentions(ObjectFinding(description=obj.get("description", "")), noun)


def _part_of(m: Manifest, words: set[str]) -> dict[str, Any] | None:
    """The object whose details name ``words`` ("the cap" of a bottle "with a gold cap")."""
    words = words - {"the", "a", "an", "its"}
    for obj in m["fibo"].get("objects") or []:
        details = set(re.findall(r"[\w'-]+", obj.get("appearance_details", "").lower()))
        if words and words <= details:
            return obj
    return None


def _part_value(m: Manifest, target: str, value: str) -> bool:
    words = set(re.findall(r"[\w'-]+", target.lower()))
    obj = _part_of(m, words)
    if obj is None or not colors_in(value):
        return False
    parts = obj["appearance_details"].split("; ")
    for i, part in enumerate(parts):
        if words - {"the", "a", "an", "its"} <= set(re.findall(r"[\w'-]+", part.lower())):
            holder = {"description": part}
            recolor(holder, value)
            parts[i] = holder["description"]
    obj["appearance_details"] = "; ".join(parts)
    return True


def _restate(obj: dict[str, Any], value: str) -> bool:
    """ "make the lemons sliced": a state of the object joins its details."""
    state = STATE_WORDS.get(value.lower())
    if state is None and not re.fullmatch(r"[a-z]+ed", value.lower()):
        return False
    old = obj.get("appearance_details")
    obj["appearance_details"] = "; ".join([*([old] if old else []), state or value.lower()])
    return True


def _reorient(obj: dict[str, Any], value: str) -> bool:
    for pattern, words in VERB_ORIENT:
        if pattern.search(value):
            obj["orientation"] = words
            return True
    return False
