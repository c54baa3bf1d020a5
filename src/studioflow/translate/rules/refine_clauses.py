"""Clause verbs of a refinement: "make X Y", "replace X with Y", "remove X", "add X",
"change the text to 'Y'", "move the key light behind". Each names a target (the backdrop,
the surface, a light, the shadows, the mood, the text, an object ...) and what it becomes."""

from __future__ import annotations

import re
from typing import Any

from studioflow.translate.rules.build import defaults, merge_findings, text_items
from studioflow.translate.rules.extract_light import set_direction
from studioflow.translate.rules.extract_text import frame_location
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.refine_objects import (
    GENERIC,
    add_objects,
    find_objects,
    remove_objects,
)
from studioflow.translate.rules.refine_ops import background, less_blur
from studioflow.translate.rules.refine_values import (
    GENERIC_DET,
    apply_value,
    clean_value,
    target_kind,
)
from studioflow.translate.rules.scan import QUOTE_MARK, Scan
from studioflow.translate.rules.vocabulary import SURFACE_NOUNS

I = re.IGNORECASE  # noqa: E741
Manifest = dict[str, Any]
_VERB_SPLIT = re.compile(
    r"\s+(?:and\s+(?:then\s+)?|also\s+|plus\s+)(?=(?:make|add|remove|use|change|set|move|put|"
    r"switch|turn|shoot|give|place|replace|swap|increase|decrease|lower|raise|delete|drop|get|"
    r"take|rotate|zoom|bring|try|let|keep|show|crop|tilt|render|paint|leave|go)\b)", I)
MAKE = re.compile(r"^\s*(?:please\s+)?(?:can\s+you\s+)?(?:make|turn|change|set|paint|colou?r|"
                  r"recolou?r|dye|render|give)\s+(?P<rest>.+?)\??$", I)
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


def clauses(scan: Scan) -> list[tuple[int, int]]:
    """Character spans of the instruction's clauses (commas, "and then", "and make ...")."""
    spans, start = [], 0
    text = scan.text
    for m in re.finditer(r"[,;.!?\n]|\bthen\b", text):
        decimal = m.group(0) == "." and 0 < m.start() < len(text) - 1 and \
            text[m.start() - 1].isdigit() and text[m.start() + 1].isdigit()
        if not decimal:
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
                         r"(?:\s+(?:slightly|a\s+bit|a\s+little|to\s+the\s+(?:left|right)))*"
                         r"\s*$", I)


def _should_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = SHOULD.match(text)
    if not match:
        return False
    kind = target_kind(m, match.group("target"))
    value = clean_value(match.group("value"))
    return bool(kind and value) and apply_value(m, kind, match.group("target"), value, False)


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
LABEL_SAYS = re.compile(r"^\s*(?:please\s+)?(?:make|have|let|change)\s+(?:the\s+)?"
                        r"(?P<where>label|bottle|box|"
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


# ---------------------------------------------------------------- handlers
_TEXT_NOUN = r"(?:text|words?|headline|caption|title|lettering|typography|copy|tagline|slogan)"
REMOVE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:remove|delete|drop|get\s+rid\s+of|take\s+(?:out|"
                         rf"away|off)|erase|clear|no|without|lose|hide)\s+(?:the\s+|all\s+(?:the\s+)?|"
                         rf"any\s+)?(?:{_TEXT_NOUN}\s*)?(?P<q>\ue000\d+\ue001)?\s*(?:{_TEXT_NOUN})?\s*$",
                         I)
CHANGE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:change|replace|swap|switch|update|edit|make|"
                         rf"set)\s+"
                         rf"(?:the\s+)?(?:{_TEXT_NOUN}\s*)?(?P<old>\ue000\d+\ue001)?\s*(?:{_TEXT_NOUN})?"
                         rf"\s*(?:to|with|into|for|so\s+it\s+(?:says|reads))\s+(?:say\s+|read\s+)?"
                         rf"(?P<new>\ue000\d+\ue001)(?P<rest>.*)$", I)
MOVE_TEXT = re.compile(rf"^\s*(?:please\s+)?(?:move|put|place|position)\s+(?:the\s+)?"
                       rf"{_TEXT_NOUN}\s+"
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
        where = re.sub(r"\s+(?:of\s+the\s+)?(?:frame|image|picture)$", "", match.group("where"),
                       flags=I)
        items[0]["location"] = frame_location(where.lower().strip())
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
    x = clean_value(QUOTE_MARK.sub(" ", match.group("x")))
    low = x.lower()
    c = m.setdefault("controls", {})
    if re.search(r"\bshadows?\b", low):
        c.setdefault("shadows", defaults("controls.shadows"))["style"] = "none"
        return True
    if re.search(r"\breflections?\b", low):
        c.setdefault("shadows", defaults("controls.shadows"))["reflection"] = False
        return True
    role = re.search(r"\b(rim|fill|background|backdrop|hair|back|kicker|accent|edge)\s+lights?\b",
                     low)
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
    if re.fullmatch(rf"(?:{GENERIC_DET})?(?:background|backdrop|bg|scene|setting)", low):
        bg = background(m)
        for key in ("description", "gradient_to", "surface"):
            bg.pop(key, None)
        bg.update(color="#FFFFFF", style=defaults("controls.background")["style"])
        return True
    if target_kind(m, x) == "surface" or re.fullmatch(rf"(?:{GENERIC_DET})?surface", low):
        return background(m).pop("surface", None) is not None
    return remove_objects(m, x)


def _replace_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = REPLACE.match(text)
    if not match:
        return False
    old, new = match.group("old").strip(), clean_value(match.group("new"))
    if QUOTE_MARK.search(new) or not new:
        return False  # the text verbs handle quoted replacements
    kind = target_kind(m, old)
    if kind is None and re.match(r"^(?:the\s+)?(?:lens|camera|aperture|angle)", old, I):
        kind = "camera"
    if kind is None and set(re.findall(r"[\w'-]+", old.lower())) & SURFACE_NOUNS:
        kind = "surface"  # "swap the wooden table for a concrete slab" with no table yet
    return apply_value(m, kind, old, new, replace=True) if kind else False


def _make_clause(scan: Scan, text: str, m: Manifest) -> bool:
    match = MAKE.match(text)
    if not match:
        return False
    words = match.group("rest").split()
    for k in range(len(words) - 1, 0, -1):
        target, value = " ".join(words[:k]), clean_value(" ".join(words[k:]))
        value = re.sub(r"^(?:a|an|some)\s+(?=\w+\s+(?:finish|look|tone|feel|colou?r|vibe))", "",
                       value, flags=I)  # "give it a matte finish"
        kind = target_kind(m, target)
        if kind and value:
            return apply_value(m, kind, target, value, replace=False)
    return False
