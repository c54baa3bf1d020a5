"""The words around the objects: sentence shapes ("mug is cobalt blue", "cafe table by the
window", "as if mid-stride"), scene headings ("golden-hour picnic: ..."), surfaces that are
things too ("on a stack of old books"), and a content said apart from its container
("Luxury perfume. Faceted crystal bottle ..."). Data and small pure functions the object
parser uses."""

from __future__ import annotations

import re

from studioflow.translate.rules.findings import ObjectFinding
from studioflow.translate.rules.object_phrases import MATERIAL_RE, phrase_words, singular
from studioflow.translate.rules.product_words import (
    CONTAINER_NOUNS,
    CONTENT_NOUNS,
    is_product_noun,
    product_words,
)
from studioflow.translate.rules.vocabulary import SCENE_NOUNS, SURFACE_HEADS, SURFACE_NOUNS

I = re.IGNORECASE  # noqa: E741

# A clause ending in a scene noun names the scene ("stormy sky behind", "concrete skatepark");
# scene nouns that are as often a product or a prop do not.
_NOT_BARE_SCENES = {
    "car", "boat", "yacht", "train", "tent", "stage", "runway", "setting", "scene", "space",
    "environment", "display", "vanity", "dresser", "nightstand", "bookshelf", "grill", "stove",
    "windowsill", "interior", "picnic", "lab", "store", "shop", "market",
}
BARE_SCENES = ({w.split()[-1] for w in SCENE_NOUNS}
               | {"sunset", "clouds", "tree", "trees", "bar"}) - _NOT_BARE_SCENES
# "Mug is cobalt blue enamel", "the straps are tan leather": a look said as a sentence
COPULA = re.compile(r"^(?:the\s+|its\s+|their\s+)?(?P<x>[\w'-]+(?:\s+[\w'-]+)?)\s+(?:is|are|"
                    r"should\s+be|must\s+be)\s+(?:all\s+|made\s+of\s+|a\s+|an\s+)?(?P<y>.+)$", I)
# "cafe table by the window": a surface and where it stands, not an object
NEAR_SET = re.compile(r"^(?P<x>.+?)\s+(?P<y>(?:by|near|beside|next\s+to|in\s+front\s+of|under)\s+"
                      r"(?:a|an|the)\s+(?:big\s+|large\s+|open\s+|tall\s+)?(?:window|fireplace|"
                      r"wall|door|pool|sea|lake|fire|tree|plant))$", I)
# "mid-air as if mid-stride": a simile describes, it names nothing
SIMILE = re.compile(r"\s+(?:as\s+(?:if|though)|like\s+it(?:'s|\s+is|\s+was))\s+.*$", I)
# A clause ending in these is the backdrop ("graffiti wall behind", "rainy window")
BACKDROP_WORDS = {"wall", "walls", "curtain", "curtains", "drape", "drapes", "backdrop",
                  "background", "window", "windows", "doorway", "door", "shutters", "tiles",
                  "wallpaper", "bookcase", "shelves", "blinds"}
# A first phrase naming the occasion or the scene ("golden-hour picnic: a bottle of rose,
# two glasses") is a heading: the scene goes to the set, the objects follow it.
HEADING_SCENES = {"picnic", "scene", "setup", "set-up", "vignette", "tableau", "moment",
                  "spread", "story", "visual", "life", "breakfast", "brunch", "dinner", "lunch",
                  "party", "celebration", "routine", "ritual", "display"}
# A surface that is itself a thing in the picture: the product stands on a prop.
SURFACE_PROP = re.compile(r"\b(?:(?:a|an|the)\s+)?(?:stack|pile|tower|heap)s?\s+of\s+.+$|"
                          r"\b(?:(?:a|an|the|some|two|three)\s+)?(?:[\w'-]+\s+){0,2}"
                          r"(?:books?|magazines?|novels?|crates?|suitcases?)$", I)


def surface_object(surface: str) -> str | None:
    """The surface when it is a thing in the picture too: "a stack of old books", "a glass
    carafe" (a dripper on it), not "white marble" or "a wooden table"."""
    first = re.split(r"\s+on\s+", surface)[0].strip()
    m = SURFACE_PROP.search(first)
    if m:
        return m.group(0)
    words = phrase_words(first)
    if words and is_product_noun(words[-1]) and words[-1] not in SURFACE_NOUNS \
            and words[-1] not in SCENE_NOUNS \
            and singular(words[-1]) not in SURFACE_HEADS and words[-1] not in SURFACE_HEADS:
        return first
    return None


def merge_container(objs: list[ObjectFinding]) -> list[ObjectFinding]:
    """ "Luxury perfume ad. Faceted crystal bottle with gold cap ...": the bottle holds the
    perfume, one object ("faceted crystal bottle of luxury perfume")."""
    if len(objs) < 2:
        return objs
    content, box = objs[0], objs[1]
    others = [w for w in product_words(box.description)
              if w not in CONTAINER_NOUNS and not MATERIAL_RE.fullmatch(w)]
    if content.head not in CONTENT_NOUNS or box.head not in CONTAINER_NOUNS or box.count \
            or box.relationship or " of " in box.description or others:
        return objs
    if any(w in CONTAINER_NOUNS for w in phrase_words(content.description)):
        return objs
    desc = content.description
    desc = desc[0].lower() + desc[1:] if len(desc) > 1 and desc[1].islower() else desc
    box.description = f"{box.description} of {desc}"
    box.details = [*content.details, *box.details]
    box.colors = [*content.colors, *box.colors]
    box.materials = [*content.materials, *box.materials]
    box.location, box.relationship = content.location, content.relationship
    return [box, *objs[2:]]
