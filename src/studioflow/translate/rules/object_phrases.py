"""Noun phrases: one phrase of the user's words -> an object (count, colours, materials,
shape, size, orientation), and the small tests the object parser asks of a phrase (does it
name a thing, is it only a colour or finish, does it point back at an object already named).
"""

from __future__ import annotations

import re

from studioflow.translate.rules.color_words import colors_in
from studioflow.translate.rules.findings import PARTICLES, ObjectFinding
from studioflow.translate.rules.product_words import ING_NOUNS, is_product_noun, stem
from studioflow.translate.rules.vocabulary import (
    AMBIGUOUS_COLORS,
    COLOR_MODIFIERS,
    COUNT_WORDS,
    MATERIALS,
    MOODS,
    ORIENTATIONS,
    PROP_NOUNS,
    SHAPES,
    SIZE_WORDS,
    STOPWORDS,
    STYLE_WORDS,
    alternation,
)

I = re.IGNORECASE  # noqa: E741
COUNT_ALT = alternation(COUNT_WORDS)
COUNT = re.compile(rf"^(?:(?P<w>{COUNT_ALT})|(?P<n>\d{{1,3}})(?:\s*x)?)\s+"
                   rf"(?:(?:of|set\s+of)\s+)?", I)
TIMES = re.compile(r"\s+(?:x\s*(?P<a>\d{1,3})|(?P<b>\d{1,3})\s*x)$", I)  # "sneakers x3"
SET_OF = re.compile(r"^(?:a\s+)?(?:set|pack|collection|trio|range|line|group|bundle|family|"
                    r"selection|lineup|stack|pile|heap|tower|row)\s+of\s+(?:(?P<n>\d{1,3})|(?P<w>"
                    + COUNT_ALT + r"))?\s*", I)
SET_OF_INSIDE = re.compile(r"\b(?:set|pack|box|collection|trio|bundle)\s+of\s+(?:(?P<n>\d{1,3})|"
                           r"(?P<w>" + COUNT_ALT + r"))\b", I)
# Not inside a hyphenated compound: "over-ear headphones", "in-ear buds", "add-on".
CONNECTOR = re.compile(
    r"(?<![\w-])(with|and|alongside|beside|next\s+to|near|surrounded\s+by|among(?:st)?|amid(?:st)?|"
    r"behind|in\s+front\s+of|around|plus|accompanied\s+by|together\s+with|along\s+with|"
    r"paired\s+with|flanked\s+by|framed\s+by|encircled\s+by|surrounding|holding|under(?:neath)?|"
    r"beneath|below|above|inside|in|on|atop|over|between|against|by|leaning\s+on|"
    r"resting\s+against)(?![\w-])", I)
POSITION = re.compile(
    r"\b(?:(?:in|on|to|at)\s+)?(?:the\s+)?(?:far\s+)?(?P<p>foreground|background|midground|"
    r"distance|left|right|front|back|top|bottom|corner)(?:\s+(?:side|corner|edge|of\s+the\s+"
    r"frame))?\b", I)
EDGE_JUNK = re.compile(r"^(?:(?:a|an|the|some|of|with|and|in|on|at|to|for|by|is|are|it|its|our|"
                        r"my|your|their|"
                        r"that|which|as|plus|also|then|very|just|shot|photo|image|picture|"
                        r"featuring|showing)(?![\w-])\s*)+|(?:\s*(?<![\w-])(?:a|an|the|of|with|"
                        r"and|in|on|at|to|for|by|is|are|that|which|as|it|them|shot|photo|image|"
                        r"picture|lit|please)\b)+\s*$", I)
MATERIAL_RE = re.compile(rf"\b{alternation(MATERIALS)}\b", I)
SHAPE_RE = re.compile(rf"\b{alternation(SHAPES)}\b", I)
ORIENT = [(re.compile(rf"\b(?:{p})\b", I), words) for p, words in ORIENTATIONS.items()]
ORIENT_ANY = re.compile("|".join(rf"\b(?:{p})\b" for p in ORIENTATIONS), I)
GEMS = {"sapphire", "ruby", "emerald", "diamond", "gem", "gemstone", "opal", "pearl", "topaz",
        "amethyst", "garnet", "jade", "onyx", "turquoise", "birthstone", "precious"}
# Words that never name an object: verbs, pronouns, fillers people write around the product.
VERB_WORDS = {
    "come", "comes", "came", "go", "goes", "went", "be", "been", "being", "was", "were", "am",
    "has", "have", "had", "do", "does", "did", "get", "gets", "got", "would", "could", "should",
    "will", "shall", "may", "might", "must", "want", "wants", "need", "needs", "looks",
    "seem", "seems", "appear", "appears", "makes", "vs", "versus", "if", "what", "how", "when",
    "why", "we", "you", "i", "they", "he", "she", "me", "us", "them", "your", "their", "my",
    "our", "something", "anything", "kind", "sort", "ideally", "etc", "sit",
    "sits", "lie", "lies", "lay", "laying", "rest", "rests", "put", "place", "give", "keep",
    "let", "try", "see", "showcase", "showcasing", "highlight", "highlighting", "emphasis",
    "emphasize", "hint", "touch", "bit", "messaging", "message", "vibe", "visual", "key",
    "loose", "brushstrokes", "strokes", "bleeds", "hey", "hi", "hello", "thanks", "thank",
    "okay", "ok", "yo", "held", "made", "taken", "seen", "laid", "hung", "worn", "built", "kept",
    "left", "shown", "done", "blur", "motion", "exposure", "contrast", "evening", "morning",
    "night", "afternoon", "dusk", "dawn", "midnight", "noon", "daytime", "nighttime", "wellness",
}
JUNK_WORDS = (STOPWORDS | set(MOODS) | set(STYLE_WORDS) | set(COLOR_MODIFIERS) | VERB_WORDS
              | (PARTICLES - {"set", "style"})
              | {"shots", "photos", "images", "lens", "angle", "light", "lights", "vibes",
                 "colors", "colours", "tones", "scheme", "palette", "frame", "framing",
                 "space", "copy", "text", "logo", "ratio", "format", "lighting", "setup",
                 "effect", "feel", "version", "background", "backdrop", "surface", "focus",
                 "camera", "perspective", "mm", "style", "aesthetic", "shadow", "shadows",
                 "gradient", "wall", "details", "detail", "texture", "finish", "flat", "raw",
                 "still", "life", "washes", "wash", "shape", "silhouette", "single"})
# Phrases of several words that name no thing: "film grain", "high contrast", "still life".
MULTIWORD_JUNK = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(
        [w for w in (*STYLE_WORDS, *MOODS) if " " in w or "-" in w], key=len, reverse=True))
    + r"|motion\s+blur|long\s+exposure|speed\s+lines|lens\s+flare|light\s+leaks?)\b", I)
# A segment that opens with a subject pronoun says something about an object already named
# ("it stand on bamboo mat", "they are lit from behind"): a predicate, not a new object.
PREDICATE = re.compile(r"^(?:it|it's|they|they're|which|who|we|we're|you|i|i'm|he|she|there|"
                       r"that's|this\s+is|these\s+are)\b", I)
LOOK_WORDS = {"and", "finish", "with", "color", "colour", "colored", "coloured", "shade",
              "tone", "toned", "hue", "in", "accents", "details", "shape", "shaped"}
LOOK_NOUNS = {"shade", "color", "colour", "tone", "hue", "finish", "colorway", "colourway",
              "edition", "version", "flavor", "flavour", "scent", "variant", "print", "pattern",
              "shape", "silhouette", "form", "design", "glaze", "colors", "colours", "tones",
              "hues", "shades", "colorways"}
PROP_PLACES = ["to the right of the product", "to the left of the product",
                "in the foreground", "in the background"]


# A clause that is only a count, maybe with a state: "a dozen", "3 stacked", "x3",
# "four of them fanned out", "set of 6".
COUNT_TAIL = re.compile(
    rf"^\s*(?:(?:a\s+)?(?:set|pack|box|bundle)\s+of\s+)?(?:x\s*(?P<x>\d{{1,3}})|"
    rf"(?P<n>\d{{1,3}})(?:\s*x)?|(?P<w>{COUNT_ALT}))"
    rf"(?:\s+(?:of\s+them|pieces?|units?|items?|in\s+total|total|in\s+all))?"
    rf"(?:\s+(?P<rest>[\w-]+(?:\s+(?:up|out|down|together|side\s+by\s+side))?))?\s*$", I)
# "steam rising from a cup of tea": the part belongs to a thing not yet named.
PART_SOURCE = re.compile(r"^(?P<part>.+?)\s+(?:(?:rising|coming|curling|drifting)\s+)?"
                         r"(?:from|off|out\s+of)\s+(?P<y>.+)$", I)


def count_clause(text: str) -> int | None:
    """The count of a clause that says only how many ("a dozen", "3 stacked"), else None."""
    m = COUNT_TAIL.match(text)
    if not m:
        return None
    rest = (m.group("rest") or "").lower()
    if rest and not (rest.split()[0] in _STATE_TAILS or orientation_of(rest)):
        return None  # "two lemons": a count and a thing
    number = m.group("x") or m.group("n")
    return int(number) if number else COUNT_WORDS.get(m.group("w").lower())


_STATE_TAILS = {"stacked", "standing", "lying", "fanned", "arranged", "lined", "grouped",
                "scattered", "piled", "upright", "together", "nested", "clustered", "displayed",
                "side", "total", "each", "tilted", "leaning", "floating", "open", "closed"}


def two_things(left: str, right: str) -> bool:
    """ "sunscreen bottle and beach ball" names two things; "black and white sneaker",
    "salt and pepper shakers" one."""
    left_words = phrase_words(left)
    right_words = phrase_words(CONNECTOR.split(right, maxsplit=1)[0])
    if len(left_words) < 2 or len(right_words) < 2:
        return False
    edge = (left_words[-1], right_words[0])
    return not any(colors_in(w) or MATERIAL_RE.fullmatch(w) for w in edge)


def is_look(phrase: str) -> bool:
    words = phrase_words(clean_phrase(phrase))
    return bool(words) and all(colors_in(w, strict=True) or MATERIAL_RE.fullmatch(w)
                               or w == "and" for w in words)


def add_look(obj: ObjectFinding, text: str) -> None:
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


def clean_phrase(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-")
    for _ in range(3):
        text = EDGE_JUNK.sub("", text).strip(" ,.;:-")
    return text


def phrase_words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text.lower())


def noun_like(word: str) -> bool:
    """Could ``word`` be what a phrase is about? Not a filler, a colour, an adverb ("softly")
    or a participle ("turned", "centered", "puffing") - unless it is a known product."""
    if word in JUNK_WORDS or word.isdigit():
        return False  # "camera", "lens", "light" are the photographer's words first
    if is_product_noun(word) or word in PROP_NOUNS:
        return True
    if colors_in(word, strict=True):
        return False
    if word.endswith("ly") and not word.endswith(("lly", "ily")) and len(word) > 4:
        return False
    if word.endswith("ed") and len(word) >= 6:
        return False
    return not (word.endswith("ing") and word not in ING_NOUNS and len(word) > 5)


def meaningful(phrase: str) -> bool:
    """Does the phrase name a thing (not only adjectives, moods, colours, fillers, verbs)?"""
    words = phrase_words(MULTIWORD_JUNK.sub(" ", clean_phrase(phrase)))
    return any(noun_like(w) and re.search(r"[^\W\d_]", w) for w in words)


def look_clause(text: str) -> bool:
    """Only colours, finishes and shapes ("glossy orange", "matte black", "chunky cable knit",
    "electric orange and black"): how the object looks, not a new object. A lone food or
    plant word that is also a colour ("lemon", "mint") stays a thing."""
    words = phrase_words(text)
    if not words or (len(words) == 1 and (words[0] in PROP_NOUNS or is_product_noun(words[0]))):
        return False
    rest = phrase_words(MATERIAL_RE.sub(" ", text))
    some_look = len(rest) < len(words) or any(colors_in(w) or SHAPE_RE.fullmatch(w) for w in rest)
    return some_look and all(_looks(w) or _colour_prefix(w, rest[i + 1:i + 2])
                             for i, w in enumerate(rest))


def _colour_prefix(word: str, following: list[str]) -> bool:
    """ "cognac brown", "pebble grey", "forest green": a word that names a colour's shade,
    not "dried lavender" (a thing) or "lemon yellow" said of a lemon."""
    return bool(following) and bool(colors_in(following[0])) \
        and following[0] not in AMBIGUOUS_COLORS and not noun_known(word) \
        and not word.endswith(("ed", "ing"))


def _looks(word: str) -> bool:
    return (word in LOOK_WORDS or word in COLOR_MODIFIERS or bool(colors_in(word))
            or bool(SHAPE_RE.fullmatch(word)))


def noun_known(word: str) -> bool:
    """A word the vocabulary knows as a thing: "cognac brown" is a colour, "lemon yellow" too,
    but "bottle green" after a product keeps its bottle."""
    return is_product_noun(word) or word in PROP_NOUNS


_MOOD_SUFFIX = re.compile(r"(?:ful|ous|ive|esque|ish|[^il]ly|ic|al|ian)$")
_STATE_SUFFIX = re.compile(r"(?:[^aeiour]y|ed|less)$")
_NOT_ADJECTIVES = {"metal", "petal", "pedal", "medal", "decal", "oval", "vial", "animal", "signal",
                   "canal", "crystal", "arrival", "festival", "terminal", "manual", "journal",
                   "mural", "portal", "pistol", "cereal", "tutorial", "jelly", "honey", "money",
                   "body", "candy", "party", "puppy", "teddy", "poppy", "daisy", "galaxy",
                   "trolley", "jersey", "hobby", "city", "lobby", "alley", "valley", "baby",
                   "comic", "tunic", "relic", "garlic", "picnic", "magic", "music", "olive",
                   "beauty", "pottery", "bakery", "jewelry", "jewellery", "gallery", "battery",
                   "factory", "country", "pastry", "embroidery", "library", "history", "duty"}


def lone_adjective(word: str) -> str | None:
    """ "muddy", "scholarly", "whimsical" said alone after the product: how it looks ("state")
    or how it feels ("mood"); None for anything that may be a thing."""
    if len(word) < 5 or noun_known(word) or word in _NOT_ADJECTIVES or colors_in(word) \
            or MATERIAL_RE.fullmatch(word) or word in JUNK_WORDS:
        return None
    if _MOOD_SUFFIX.search(word):
        return "mood"
    return "state" if _STATE_SUFFIX.search(word) else None


def clearly_prop(obj: ObjectFinding) -> bool:
    """A styling prop and never the product: "lemons", "eucalyptus", but not "book"."""
    return obj.head in PROP_NOUNS and not is_product_noun(obj.head)


def mentions(obj: ObjectFinding, noun: str) -> bool:
    """Does the object's description name ``noun`` (any number, "knifes" for "knives",
    "brushes" for a "toothbrush set", "can" for a "canned drink")?"""
    want = stem(noun)
    if len(want) < 3:
        return False
    for word in phrase_words(obj.description):
        have = stem(word)
        if have == want or have.endswith(want) or (word.endswith("ned") and word[:-3] == want):
            return True
    return False


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def same_thing(phrase: str, obj: ObjectFinding) -> bool:
    words = {singular(w) for w in phrase_words(phrase)}
    return singular(obj.head) in words


def refers_to_existing(phrase: str, objects: list[ObjectFinding]) -> bool:
    """ "the bottle" after a bottle was named refers back to it."""
    if not re.match(r"(?:the|this|that|its)\s", phrase.strip(), I):
        return False
    return any(same_thing(phrase, obj) for obj in objects)


def place_for(relation: str, index: int) -> str:
    return {
        "behind": "in the background, behind the product",
        "in front of": "in the foreground, in front of the product",
        "around": "scattered around the product",
        "surrounding": "scattered around the product",
        "under": "beneath the product", "below": "beneath the product",
        "above": "above the product", "flanking": "on both sides of the product",
        "framing": "around the edges of the frame",
    }.get(relation, PROP_PLACES[max(0, index - 1) % len(PROP_PLACES)])


def parse_phrase(phrase: str) -> ObjectFinding | None:
    """One noun phrase -> an object: count, colours, materials, shape, size, orientation."""
    text = clean_phrase(phrase)
    count = None
    m = SET_OF.match(text)
    stacked = None
    if m and (m.group("n") or m.group("w")):
        count = int(m.group("n")) if m.group("n") else COUNT_WORDS.get(m.group("w").lower())
        text = text[m.end():]
        if re.match(r"(?:a\s+)?(?:stack|pile|heap|tower)", m.group(0), I):
            stacked = "stacked"  # "a stack of four pancakes"
    m = SET_OF_INSIDE.search(text)
    if m and not count:  # "lipstick set of 5 shades"
        count = int(m.group("n")) if m.group("n") else COUNT_WORDS.get(m.group("w").lower())
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
        location = position_words(pm.group("p"))
        text = (text[:pm.start()] + text[pm.end():]).strip()
        break
    orientation = orientation_of(text) or stacked
    text = clean_phrase(text)
    if not meaningful(text):
        return None
    words = phrase_words(text)
    size = next((SIZE_WORDS[w] for w in words if w in SIZE_WORDS), None)
    obj = ObjectFinding(
        description=text[:2000],
        count=count if count and count > 1 else None,
        colors=[name for name, _ in colors_in(text, strict=True)],
        materials=list(dict.fromkeys(m.group(0).lower() for m in MATERIAL_RE.finditer(text))),
        shapes=list(dict.fromkeys(m.group(0).lower() for m in SHAPE_RE.finditer(text))),
        size=size, location=location, orientation=orientation,
    )
    obj.colors = [c for c in obj.colors if c != obj.head]  # "a lemon" is not lemon-coloured
    return obj


def orientation_of(text: str) -> str | None:
    for pattern, words in ORIENT:
        if pattern.search(text):
            return words
    return None


def position_words(p: str) -> str:
    p = p.lower()
    return {"foreground": "in the foreground", "background": "in the background",
            "midground": "in the midground", "distance": "in the far background",
            "left": "on the left side of the frame", "right": "on the right side of the frame",
            "front": "in the foreground", "back": "in the background",
            "top": "at the top of the frame", "bottom": "at the bottom of the frame",
            "corner": "in the corner of the frame"}.get(p, p)
