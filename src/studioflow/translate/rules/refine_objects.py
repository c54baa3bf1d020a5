"""Edits to ``fibo.objects``: recolour or re-material an object, add props, remove props.

Objects are found by the nouns in the instruction ("the bottle", "the lemons"); an edit keeps
every other field of every other object as it was.
"""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.color_words import COLOR_RE, colors_in
from studioflow.translate.rules.extract_objects import MATERIAL_RE, ObjectParser, singular
from studioflow.translate.rules.findings import Findings, ObjectFinding
from studioflow.translate.rules.vocabulary import SIZE_WORDS

MAX_OBJECTS = 8
GENERIC = re.compile(r"^(?:it|them|this|that|the\s+(?:product|item|object|subject|whole\s+thing|"
                     r"image|picture|photo|shot|scene|main\s+product)|everything|all)$", re.I)


def _words(text: str) -> set[str]:
    return {singular(w) for w in re.findall(r"[\w'-]+", text.lower())}


def find_objects(objects: list[dict[str, Any]], target: str) -> list[int]:
    """Indexes of the objects ``target`` ("the lemons", "bottle", "it") names."""
    target = re.sub(r"^(?:the|a|an|all\s+the|all|those|these|that|this)\s+", "", target.strip(),
                    flags=re.I)
    if not target or GENERIC.match(target) or GENERIC.match(f"the {target}") or re.fullmatch(
            r"(?:main\s+|hero\s+)?(?:product|item|subject|object)", target, re.I):
        return [0] if objects else []
    wanted = _words(target) - {"of", "and", "the", "a"}
    hits = []
    for i, obj in enumerate(objects):
        have = _words(obj.get("description", ""))
        if wanted and (wanted <= have or _head(target) in have):
            hits.append(i)
    return hits


def _head(text: str) -> str:
    words = re.findall(r"[\w'-]+", text.lower().split(" of ")[0])
    return singular(words[-1]) if words else ""


# ---------------------------------------------------------------- colour and material
def recolor(obj: dict[str, Any], color_phrase: str) -> bool:
    """Give ``obj`` the colour(s) in ``color_phrase``; the old colour words go."""
    new = [name for name, _ in colors_in(color_phrase)]
    if not new:
        return False
    color = " and ".join(new)
    obj["description"] = _replace_colors(obj["description"], color, prepend=True)
    if "shape_and_color" in obj:
        obj["shape_and_color"] = _replace_colors(obj["shape_and_color"], color, prepend=False)
    else:
        obj["shape_and_color"] = color
    for key in ("appearance_details", "texture"):
        if key in obj and colors_in(obj[key], strict=True):
            obj[key] = _replace_colors(obj[key], color, prepend=False)
    return True


def _replace_colors(text: str, color: str, prepend: bool) -> str:
    spans = [m for m in COLOR_RE.finditer(text) if colors_in(m.group(0), strict=True)]
    if not spans:
        return f"{color} {text}" if prepend else f"{text}, {color}"
    out, pos = "", 0
    for i, m in enumerate(spans):
        out += text[pos:m.start()] + (color if i == 0 else "")
        pos = m.end()
    out += text[pos:]
    out = re.sub(r"\b(?:and|,)\s+(?=,|$)", "", out)
    return re.sub(r"\s{2,}", " ", re.sub(r"\s+,", ",", out)).strip(" ,")


def rematerial(obj: dict[str, Any], phrase: str) -> bool:
    materials = list(dict.fromkeys(m.group(0).lower() for m in MATERIAL_RE.finditer(phrase)))
    if not materials:
        return False
    new = ", ".join(materials)
    old = [m for m in MATERIAL_RE.finditer(obj["description"])]
    if old:
        desc = obj["description"]
        desc = desc[:old[0].start()] + " ".join(materials) + desc[old[-1].end():]
        obj["description"] = re.sub(r"\s{2,}", " ", desc).strip()
    else:
        obj["description"] = f"{' '.join(materials)} {obj['description']}"
    obj["texture"] = new
    return True


def resize(obj: dict[str, Any], phrase: str) -> bool:
    words = re.findall(r"[\w-]+", phrase.lower())
    if any(w in ("bigger", "larger", "huge") for w in words):
        obj["relative_size"] = "large, filling most of the frame"
        return True
    if any(w in ("smaller", "tiny") for w in words):
        obj["relative_size"] = "small within the frame"
        return True
    size = next((SIZE_WORDS[w] for w in words if w in SIZE_WORDS), None)
    if size:
        obj["relative_size"] = size
        return True
    return False


# ---------------------------------------------------------------- props
def add_objects(m: dict[str, Any], phrase: str) -> bool:
    """Add the props ``phrase`` names ("two lemons next to it") after the existing objects;
    details of existing objects ("water droplets on the bottle") join those objects."""
    objects = m["fibo"].setdefault("objects", [])
    parse = ObjectParser(Findings())
    parse.objects = [ObjectFinding(description=o.get("description", "product")) for o in objects]
    seeded = len(parse.objects)
    parse.first_chunk = False
    parse.chunk(phrase)
    new = parse.objects[seeded:]
    details = False
    for obj, seed in zip(objects, parse.objects[:seeded], strict=False):
        if seed.details:
            old = obj.get("appearance_details")
            obj["appearance_details"] = "; ".join([*([old] if old else []), *seed.details])
            details = True
    if not new:
        return details
    from studioflow.translate.rules.build import object_to_fibo

    main = parse.objects[0]
    for i, obj in enumerate(new):
        if len(objects) >= MAX_OBJECTS:
            break
        obj.is_prop = True
        if not obj.relationship:
            obj.relationship = f"beside the {main.head}"
        if not obj.location:
            obj.location = ["to the right of the product", "to the left of the product",
                            "in the foreground"][(len(objects) + i - 1) % 3]
        objects.append(object_to_fibo(obj, main, None))
    refresh_main_relationship(m)
    return True


def remove_objects(m: dict[str, Any], target: str) -> bool:
    objects = m["fibo"].get("objects") or []
    hits = find_objects(objects, target)
    if not hits:
        return False
    wanted = _words(target) - {"the", "a", "an", "all", "of"}
    removed = []
    for i in sorted(hits, reverse=True):
        obj = objects[i]
        parts = re.split(r"\s+and\s+|\s*,\s*", obj["description"])
        keep = [p for p in parts if not (_words(p) & wanted)]
        if len(parts) > 1 and keep:  # "blueberries and maple syrup" -> "blueberries"
            removed.append(obj["description"])
            obj["description"] = " and ".join(keep)
            continue
        if len(objects) == 1:
            return False  # the only object stays: an empty image is not a refinement
        removed.append(obj["description"])
        del objects[i]
    for obj in objects:
        for key in ("relationship", "appearance_details", "location"):
            if key in obj and any(r.lower() in obj[key].lower() for r in removed):
                obj[key] = _without(obj[key], removed) or "beside the product"
            if key == "relationship" and _words(obj.get(key, "")) & wanted:
                obj[key] = f"beside the {_head(objects[0]['description'])}" if obj is not \
                    objects[0] else "the hero product and focal point of the image"
    refresh_main_relationship(m)
    return True


def _without(text: str, removed: list[str]) -> str:
    for r in removed:
        text = re.sub(rf"(?:\s*(?:,|and|with)\s*)?{re.escape(r)}", "", text, flags=re.I)
    return text.strip(" ,")


def refresh_main_relationship(m: dict[str, Any]) -> None:
    """Rewrite the product's relationship when it is our own wording ("the hero product ...,
    styled with ..."), so it names the current props."""
    from studioflow.translate.rules.build import HERO, main_relationship

    objects = m["fibo"].get("objects") or []
    if not objects or not objects[0].get("relationship", "").startswith(HERO):
        return
    props = [o["description"] for o in objects[1:3]]
    objects[0]["relationship"] = main_relationship(props)
