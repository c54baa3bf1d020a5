"""Objects: whatever words no other extractor took describe the product and its props.

"a frosted glass perfume bottle with a gold cap, three lemons beside it" -> the product
(colours, materials, details) first, then props with counts, locations and relationships.
"""

from __future__ import annotations

import re

from studioflow.translate.rules.color_words import colors_in
from studioflow.translate.rules.describe import with_article
from studioflow.translate.rules.extract_scene import apply_scene, apply_surface
from studioflow.translate.rules.findings import Findings, ObjectFinding
from studioflow.translate.rules.scan import QUOTE_MARK, Scan
from studioflow.translate.rules.vocabulary import (
    CATEGORY_NOUNS,
    COLOR_MODIFIERS,
    COUNT_WORDS,
    FILLER_LEADS,
    MATERIALS,
    MOODS,
    ORIENTATIONS,
    PART_NOUNS,
    PROP_NOUNS,
    SHAPES,
    SIZE_WORDS,
    STATE_WORDS,
    STOPWORDS,
    STYLE_WORDS,
    SURFACE_HEADS,
    alternation,
)

I = re.IGNORECASE  # noqa: E741
MAX_OBJECTS = 8
_COUNT = alternation(COUNT_WORDS)
COUNT = re.compile(rf"^(?:(?P<w>{_COUNT})|(?P<n>\d{{1,3}})(?:\s*x)?)\s+(?:(?:of|set\s+of)\s+)?", I)
TIMES = re.compile(r"\s+(?:x\s*(?P<a>\d{1,3})|(?P<b>\d{1,3})\s*x)$", I)  # "sneakers x3"
SET_OF = re.compile(r"^(?:a\s+)?(?:set|pack|collection|trio|range|line|group|bundle|family|"
                    r"selection|lineup)\s+of\s+(?:(?P<n>\d{1,3})|(?P<w>" + _COUNT + r"))?\s*", I)
CONNECTOR = re.compile(
    r"\b(with|and|alongside|beside|next\s+to|near|surrounded\s+by|among(?:st)?|amid(?:st)?|"
    r"behind|in\s+front\s+of|around|plus|accompanied\s+by|together\s+with|along\s+with|"
    r"paired\s+with|flanked\s+by|framed\s+by|encircled\s+by|surrounding|holding|under(?:neath)?|"
    r"beneath|below|above|inside|in|on|atop|over|between|against|by|leaning\s+on|"
    r"resting\s+against)\b", I)
# "and" joins two objects only before a determiner or a count ("lemons and a bottle"), not
# inside one ("black and white sneaker", "salt and pepper shakers").
_AND_SPLIT = re.compile(rf"\s*and\s+(?:(?:a|an|the|some|its|their|his|her)\b|\d|{_COUNT}\b)", I)
POSITION = re.compile(
    r"\b(?:(?:in|on|to|at)\s+)?(?:the\s+)?(?:far\s+)?(?P<p>foreground|background|midground|"
    r"distance|left|right|front|back|top|bottom|corner)(?:\s+(?:side|corner|edge|of\s+the\s+"
    r"frame))?\b", I)
_LEAD_RE = re.compile(rf"^\s*{FILLER_LEADS}", I)
_EDGE_JUNK = re.compile(r"^(?:(?:a|an|the|some|of|with|and|in|on|at|to|for|by|is|are|it|its|our|"
                        r"my|your|their|"
                        r"that|which|as|plus|also|then|very|just|shot|photo|image|picture|"
                        r"featuring|showing)\b\s*)+|(?:\s*\b(?:a|an|the|of|with|and|in|on|at|"
                        r"to|for|by|is|are|that|which|as|it|them|shot|photo|image|picture|"
                        r"lit|please)\b)+\s*$", I)
MATERIAL_RE = re.compile(rf"\b{alternation(MATERIALS)}\b", I)
_SHAPE_RE = re.compile(rf"\b{alternation(SHAPES)}\b", I)
_ORIENT = [(re.compile(rf"\b(?:{p})\b", I), words) for p, words in ORIENTATIONS.items()]
_ORIENT_ANY = re.compile("|".join(rf"\b(?:{p})\b" for p in ORIENTATIONS), I)
GEMS = {"sapphire", "ruby", "emerald", "diamond", "gem", "gemstone", "opal", "pearl", "topaz",
        "amethyst", "garnet", "jade", "onyx", "turquoise", "birthstone", "precious"}
_JUNK_WORDS = (STOPWORDS | set(MOODS) | set(STYLE_WORDS) | set(COLOR_MODIFIERS)
               | {"shots", "photos", "images", "lens", "angle", "light", "lights", "vibes",
                  "colors", "colours", "tones", "scheme", "palette", "frame", "framing",
                  "space", "copy", "text", "logo", "ratio", "format", "lighting", "setup",
                  "effect", "feel", "version", "background", "backdrop", "surface", "focus",
                  "camera", "perspective", "mm", "style", "aesthetic", "shadow", "shadows",
                  "gradient", "wall", "details", "detail", "texture", "finish"})
_RELATION = {
    "with": "beside", "and": "beside", "alongside": "alongside", "beside": "beside",
    "next to": "next to", "near": "near", "plus": "beside", "accompanied by": "beside",
    "together with": "beside", "along with": "beside", "paired with": "beside",
    "surrounded by": "around", "among": "around", "amongst": "around", "amid": "around",
    "amidst": "around", "flanked by": "flanking", "framed by": "framing",
    "encircled by": "around", "behind": "behind", "in front of": "in front of",
    "under": "under", "underneath": "under", "beneath": "under", "below": "below",
    "above": "above", "between": "between", "around": "around", "surrounding": "around",
}
BARE_SCENES = {"sky", "skyline", "cityscape", "beach", "forest", "garden", "jungle", "desert",
               "meadow", "ocean", "sea", "lake", "mountains", "waves", "city", "street",
               "kitchen", "bathroom", "bedroom", "office", "cafe", "café", "interior",
               "landscape", "sunset", "clouds", "dunes", "snow", "countryside", "room",
               "fireplace", "tree", "trees", "field", "park", "waterfall", "rooftop"}
_INVERSE = {"behind": "in front of", "in front of": "behind", "under": "above", "below": "above",
            "above": "below"}
LOOK_WORDS = {"and", "finish", "with", "color", "colour", "colored", "coloured", "shade",
              "tone", "toned", "hue"}
LOOK_NOUNS = {"shade", "color", "colour", "tone", "hue", "finish", "colorway", "colourway",
              "edition", "version", "flavor", "flavour", "scent", "variant", "print", "pattern"}
_PROP_PLACES = ["to the right of the product", "to the left of the product",
                "in the foreground", "in the background"]


def extract_objects(scan: Scan, f: Findings) -> None:
    state = ObjectParser(f)
    for _, chunk in scan.remainder():
        state.chunk(QUOTE_MARK.sub(" ", chunk))
    state.finish()


class ObjectParser:
    def __init__(self, f: Findings) -> None:
        self.f = f
        self.objects: list[ObjectFinding] = []
        self.current: ObjectFinding | None = None  # what "with ..." adds to
        self.owner: ObjectFinding | None = None
        self.first_chunk = True

    # -- chunks and segments -------------------------------------------------------
    def chunk(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text).strip(" .:'\"()[]{}-")
        if self.first_chunk or not self.objects:
            text = _LEAD_RE.sub("", text, count=1)
        if not text:
            return
        self.first_chunk = False
        if self.objects and self._said_of_last(text):
            return
        segments: list[tuple[str | None, str]] = []
        pos, conn = 0, None
        for m in CONNECTOR.finditer(text):
            word = re.sub(r"\s+", " ", m.group(1).lower())
            if word == "and" and not (_AND_SPLIT.match(text[m.start() - 1:])
                                      or _two_things(text[pos:m.start()], text[m.end():])):
                continue
            segments.append((conn, text[pos:m.start()]))
            conn, pos = word, m.end()
        segments.append((conn, text[pos:]))
        for conn, phrase in segments:
            self.segment(conn, phrase.strip())

    def _said_of_last(self, text: str) -> bool:
        """A clause after the product that only adds to it or names the set: "lit",
        "matte black", "rustic oak board", "stormy sky behind"."""
        last = self.objects[0]
        if text.lower() in STATE_WORDS:
            last.details.append(STATE_WORDS[text.lower()])
            return True
        orientation = _orientation(text)
        if orientation and not _meaningful(_ORIENT_ANY.sub(" ", text)):
            last.orientation = orientation  # "..., lying on its side, ..."
            return True
        clean = _clean(text)
        low = clean.lower()
        clean = re.sub(r"\s+(?:behind(?:\s+it)?|in\s+the\s+(?:back|fore)ground)$", "", clean,
                       flags=I)
        words = _words(clean)
        if not words or CONNECTOR.search(clean):
            return False
        if words[-1] in SURFACE_HEADS or singular(words[-1]) in SURFACE_HEADS:
            if "surface" not in self.f.background or words[-1] not in ("marble", "wood"):
                art = "" if re.match(r"(?:a|an|the)\s", low) or all(
                    colors_in(w) or MATERIAL_RE.fullmatch(w) for w in words) else "a "
                apply_surface(self.f, art, clean)
                return True
        if words[-1] in ("wall", "walls", "curtain", "drape", "backdrop", "background"):
            self.f.background.setdefault("style", "flat")  # "graffiti wall behind"
            self.f.background.setdefault("description", with_article(clean.lower()))
            return True
        if words[-1] in BARE_SCENES or (words[-1] in ("lights", "skyline", "view", "bokeh")
                                        and set(words[:-1]) & (BARE_SCENES | {"night"})):
            apply_scene(self.f, with_article(clean.lower()))
            return True
        if all(colors_in(w, strict=True) or MATERIAL_RE.fullmatch(w) or w in LOOK_WORDS
               for w in words) \
                or (words[-1] in LOOK_NOUNS and len(words) <= 4):
            _add_look(last, clean)  # "matte black", "nude shade", "terracotta color"
            return True
        return False

    def segment(self, conn: str | None, phrase: str) -> None:
        last = self.current if self.current in self.objects else (
            self.objects[-1] if self.objects else None)
        if conn == "with":
            self.owner = last  # what "with X and Y" describes
        elif conn is None:
            self.owner = None
        if conn in ("around", "surrounding") and not phrase.strip() and last is not None \
                and self.objects and last is not self.objects[0]:
            last.relationship = f"scattered around the {self.objects[0].head}"  # "... around"
            last.location = "scattered around the product"
            return
        if conn == "in" and last is not None and _is_look(phrase):
            _add_look(last, _clean(phrase))  # "headphones in sage green"
            return
        if conn == "in" and last is not None and _orientation(f"in {phrase}"):
            last.orientation = _orientation(f"in {phrase}")  # "in mid-air"
            return
        if conn in ("in", "on", "at") and last is not None and POSITION.fullmatch(
                f"{conn} {phrase.strip()}"):
            place = POSITION.fullmatch(f"{conn} {phrase.strip()}").group("p")
            last.location = _position_words(place)
            return  # "a eucalyptus sprig on the left"
        if conn in ("in", "inside", "on", "atop", "over", "against", "by", "leaning on",
                    "resting against") and last is not None:
            if _meaningful(phrase):
                tail = re.sub(r"\s+(?:it|them|please)$", "", phrase.strip(" ,.;:"), flags=I)
                last.description = f"{last.description} {conn} {tail}".strip()
            return
        if re.fullmatch(r"(?:the\s+)?(?:it|them|product|this|that)", phrase, I) or (
                last is not None and _refers_to_existing(phrase, self.objects)):
            if last is not None and conn in _RELATION:
                target = self._existing(phrase)
                if target is not last:
                    last.relationship = f"{_RELATION[conn]} the {target.head}"
                    last.location = last.location or _place_for(_RELATION[conn], 0)
            return
        if not _meaningful(phrase):
            return
        obj = parse_phrase(phrase)
        if obj is None:
            return
        gem = obj.head in ("stone", "stones") and GEMS & set(_words(phrase))
        if last is not None and (obj.head in PART_NOUNS or gem) and conn in (None, "with", "and"):
            owner = self.owner if conn and self.owner in self.objects else self.objects[0]
            owner.details.append(_clean(phrase))  # "a gold cap": the bottle's
            return
        if last is not None and conn == "holding":
            last.action = f"holding the {obj.head}"
            obj.is_prop = False
            self.objects.insert(0, obj)  # the thing held is the product
            last.is_prop = True
            self.current = obj
            return
        if last is not None and conn in _RELATION and conn not in ("with", "and", "plus"):
            self._relate(last, obj, _RELATION[conn], conn)
            return
        obj.is_prop = bool(self.objects)
        self.objects.append(obj)
        self.current = obj

    def _relate(self, last: ObjectFinding, obj: ObjectFinding, relation: str, conn: str) -> None:
        """``last <relation> obj``: "lemons around a bottle", "a bottle surrounded by lemons"."""
        passive = conn in ("surrounded by", "flanked by", "framed by", "encircled by")
        if passive or conn in ("with",):
            obj.is_prop = True
            verb = "surrounding" if relation == "around" else relation
            obj.relationship = f"{verb} the {last.head}"
            obj.location = obj.location or _place_for(relation, len(self.objects))
            self.objects.append(obj)
            return
        main_first = len(self.objects) == 1 and last is self.objects[0]
        swap = main_first and (relation == "around" or last.head in PROP_NOUNS
                               and obj.head not in PROP_NOUNS)
        if swap:  # the earlier phrase is a prop placed relative to the product
            last.is_prop, obj.is_prop = True, False
            last.relationship = f"{relation} the {obj.head}"
            last.location = last.location or _place_for(relation, 0)
            self.objects.insert(0, obj)
        else:
            obj.is_prop = True
            verb = _INVERSE.get(relation, relation)
            obj.relationship = f"{verb} the {last.head}" if relation != "around" else \
                f"surrounded by the {last.head}"
            obj.location = obj.location or _place_for(_INVERSE.get(relation, relation),
                                                      len(self.objects))
            self.objects.append(obj)

    def _existing(self, phrase: str) -> ObjectFinding:
        for obj in self.objects:
            if _same_thing(phrase, obj):
                return obj
        return self.objects[0]

    def finish(self) -> None:
        objs = self.objects[:MAX_OBJECTS]
        if len(objs) > 1 and objs[0].head in CATEGORY_NOUNS and not objs[0].count \
                and any(o.head not in PROP_NOUNS for o in objs[1:]):
            objs = objs[1:]  # "skincare: a serum, two rollers" - the heading is no object
        if objs and objs[0].head in PROP_NOUNS and not objs[0].relationship:
            # "three lemons and a bottle of lemonade": the bottle is the product
            hero = next((o for o in objs[1:] if o.head not in PROP_NOUNS
                         and not o.relationship), None)
            if hero is not None:
                objs.remove(hero)
                objs.insert(0, hero)
        for i, obj in enumerate(objs):
            obj.is_prop = i > 0
            if obj.is_prop:
                obj.location = obj.location or _PROP_PLACES[(i - 1) % len(_PROP_PLACES)]
                obj.relationship = obj.relationship or f"beside the {objs[0].head}"
        self.f.objects = objs


# ---------------------------------------------------------------- noun phrases
def _two_things(left: str, right: str) -> bool:
    """ "sunscreen bottle and beach ball" names two things; "black and white sneaker",
    "salt and pepper shakers" one."""
    left_words = _words(left)
    right_words = _words(CONNECTOR.split(right, maxsplit=1)[0])
    if len(left_words) < 2 or len(right_words) < 2:
        return False
    edge = (left_words[-1], right_words[0])
    return not any(colors_in(w) or MATERIAL_RE.fullmatch(w) for w in edge)


def _is_look(phrase: str) -> bool:
    words = _words(_clean(phrase))
    return bool(words) and all(colors_in(w, strict=True) or MATERIAL_RE.fullmatch(w)
                               or w == "and" for w in words)


def _add_look(obj: ObjectFinding, text: str) -> None:
    """Colour or finish said apart ("shaker bottle, matte black"): it goes before the noun."""
    if text.split()[-1].lower() in LOOK_NOUNS:
        obj.details.append(text)
    else:
        desc = obj.description
        if len(desc) > 1 and desc[0].isupper() and desc[1].islower():
            desc = desc[0].lower() + desc[1:]
        obj.description = f"{text} {desc}"
    obj.colors += [name for name, _ in colors_in(text)]
    obj.materials += [m.group(0).lower() for m in MATERIAL_RE.finditer(text)]


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-")
    for _ in range(3):
        text = _EDGE_JUNK.sub("", text).strip(" ,.;:-")
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower())


def _meaningful(phrase: str) -> bool:
    """Does the phrase name a thing (not only adjectives, moods, colours, fillers)?"""
    words = _words(_clean(phrase))
    if not words:
        return False
    if all(w in _JUNK_WORDS or w.isdigit() or colors_in(w, strict=True) for w in words):
        return False
    return any(re.search(r"[^\W\d_]", w) for w in words)


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _same_thing(phrase: str, obj: ObjectFinding) -> bool:
    words = {singular(w) for w in _words(phrase)}
    return singular(obj.head) in words


def _refers_to_existing(phrase: str, objects: list[ObjectFinding]) -> bool:
    """ "the bottle" after a bottle was named refers back to it."""
    if not re.match(r"(?:the|this|that|its)\s", phrase.strip(), I):
        return False
    return any(_same_thing(phrase, obj) for obj in objects)


def _place_for(relation: str, index: int) -> str:
    return {
        "behind": "in the background, behind the product",
        "in front of": "in the foreground, in front of the product",
        "around": "scattered around the product",
        "surrounding": "scattered around the product",
        "under": "beneath the product", "below": "beneath the product",
        "above": "above the product", "flanking": "on both sides of the product",
        "framing": "around the edges of the frame",
    }.get(relation, _PROP_PLACES[max(0, index - 1) % len(_PROP_PLACES)])


def parse_phrase(phrase: str) -> ObjectFinding | None:
    """One noun phrase -> an object: count, colours, materials, shape, size, orientation."""
    text = _clean(phrase)
    count = None
    m = SET_OF.match(text)
    if m and (m.group("n") or m.group("w")):
        count = int(m.group("n")) if m.group("n") else COUNT_WORDS.get(m.group("w").lower())
        text = text[m.end():]
    m = COUNT.match(text)
    if m:
        n = int(m.group("n")) if m.group("n") else COUNT_WORDS.get(m.group("w").lower())
        count = n or count
        text = text[m.end():]
    times = TIMES.search(text)
    if times:
        count = int(times.group("a") or times.group("b"))
        text = text[:times.start()]
    location = None
    for pm in POSITION.finditer(text):
        location = _position_words(pm.group("p"))
        text = (text[:pm.start()] + text[pm.end():]).strip()
        break
    orientation = _orientation(text)
    text = _clean(text)
    if not _meaningful(text):
        return None
    words = _words(text)
    size = next((SIZE_WORDS[w] for w in words if w in SIZE_WORDS), None)
    obj = ObjectFinding(
        description=text[:2000],
        count=count if count and count > 1 else None,
        colors=[name for name, _ in colors_in(text, strict=True)],
        materials=list(dict.fromkeys(m.group(0).lower() for m in MATERIAL_RE.finditer(text))),
        shapes=list(dict.fromkeys(m.group(0).lower() for m in _SHAPE_RE.finditer(text))),
        size=size, location=location, orientation=orientation,
    )
    obj.colors = [c for c in obj.colors if c != obj.head]  # "a lemon" is not lemon-coloured
    return obj


def _orientation(text: str) -> str | None:
    for pattern, words in _ORIENT:
        if pattern.search(text):
            return words
    return None


def _position_words(p: str) -> str:
    p = p.lower()
    return {"foreground": "in the foreground", "background": "in the background",
            "midground": "in the midground", "distance": "in the far background",
            "left": "on the left side of the frame", "right": "on the right side of the frame",
            "front": "in the foreground", "back": "in the background",
            "top": "at the top of the frame", "bottom": "at the bottom of the frame",
            "corner": "in the corner of the frame"}.get(p, p)
