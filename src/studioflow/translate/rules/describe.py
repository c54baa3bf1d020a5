"""FIBO's ``short_description``: one clean sentence about the product, its set and its light.

Built from what was understood, not copied from the prompt, so "red sneaker, white bg, hard
light" reads "A red sneaker against a seamless white backdrop, hard light." The parts that
come from the manifest (objects, set, text) are recomputed by ``update_summary`` when a
refinement changes them, so the sentence never contradicts the fields.
"""

from __future__ import annotations

import re
from typing import Any

from studioflow.core.controls import describe_light_direction
from studioflow.translate.rules.color_words import color_name as hex_to_name
from studioflow.translate.rules.findings import Findings, head_noun

NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
           9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
MAX_WORDS = 70


def with_article(description: str, count: int | None = None) -> str:
    """ "bottle" -> "a bottle", "apple" -> "an apple", (lemons, 3) -> "three lemons"."""
    text = description.strip()
    if count and count > 1:
        return f"{NUMBERS.get(count, str(count))} {text}"
    if re.match(r"(?:a|an|the|some|one|two|three|four|five|six|\d)\b", text, re.IGNORECASE):
        return text
    last = head_noun(text)
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return text  # plural: "skincare products"
    vowel = re.match(r"[aeiou]", text, re.IGNORECASE) and not re.match(r"(?:eu|uni|use|one)",
                                                                         text, re.IGNORECASE)
    return f"{'an' if vowel else 'a'} {text}"


def objects_phrase(fibo: dict[str, Any]) -> str:
    objects = fibo.get("objects") or [{"description": "the product"}]
    text = with_article(objects[0]["description"], objects[0].get("number_of_objects"))
    props = [with_article(o["description"], o.get("number_of_objects")) for o in objects[1:4]]
    if props:
        joined = props[0] if len(props) == 1 else f"{', '.join(props[:-1])} and {props[-1]}"
        text += f" with {joined}"
    medium = str(fibo.get("style_medium") or "")
    if medium and medium.lower() not in ("photograph", "photo"):
        text = f"{with_article(medium)} of {text}"
    return text


def set_phrase(m: dict[str, Any]) -> str:
    background = (m.get("controls") or {}).get("background")
    if not background:
        return ""
    parts = []
    if background.get("surface"):
        parts.append(f"on {background['surface']}")
    style = background.get("style", "sweep")
    description = background.get("description")
    if style == "scene" and description:
        if not any(description.lower() in p.lower() for p in parts):
            parts.append(description if re.match(r"(?:in|on|at|by|near|under|outdoors|outside)\b",
                                                  description, re.IGNORECASE)
                         else f"{_scene_preposition(description)} {description}")
    elif description:
        parts.append(f"against {with_article(description)}")
    else:
        parts.append(_backdrop_words(background, style))
    return " ".join(parts)


def _scene_preposition(description: str) -> str:
    open_air = r"\b(?:beach|shore|sand|snow|grass|lawn|rooftop|terrace|balcony|patio|pier|dock|" \
               r"deck|" \
               r"field|meadow|street|road|trail|rocks?|dunes?)\b"
    return "on" if re.search(open_air, description, re.IGNORECASE) else "in"


def _backdrop_words(background: dict[str, Any], style: str) -> str:
    color = hex_to_name(background.get("color", "#FFFFFF"))
    if style == "gradient" and background.get("gradient_to"):
        return f"against a {color} to {hex_to_name(background['gradient_to'])} gradient backdrop"
    kind = {"sweep": "seamless", "gradient": "gradient", "flat": "plain"}.get(style, "")
    return re.sub(r"\s+", " ", f"against a {kind} {color} backdrop")


def light_summary(m: dict[str, Any]) -> str:
    """ "soft window light from the left" from the key light's controls."""
    lights = (m.get("controls") or {}).get("lights")
    key = next((light for light in lights or [] if light.get("role") == "key"), None)
    if key is None:
        return ""
    softness = key.get("softness", 0.6)
    quality = "soft" if softness >= 0.55 else "hard" if softness < 0.25 else "directional"
    source = key.get("source") or "studio"
    noun = "" if "light" in source else "light"
    return re.sub(r"\s+", " ", f"{quality} {source} {noun} {direction_words(key)}")


def direction_words(light: dict[str, Any]) -> str:
    where = describe_light_direction(light.get("azimuth", -45), light.get("elevation", 30))
    first = where.split()[0]
    return f"from the {where}" if first in ("upper", "lower", "left", "right", "front") else \
        f"from {where}"


def text_clauses(fibo: dict[str, Any]) -> list[str]:
    return [f', with the text "{t["text"]}" {_where(t["location"])}'
            for t in (fibo.get("text_render") or [])[:2]]


def _where(location: str) -> str:
    if location.startswith(("on ", "in ", "at ", "above ", "below ", "under ")):
        return location
    return f"at the {location}"


def _light_phrase(f: Findings, m: dict[str, Any]) -> str:
    if not f.light_words:
        return light_summary(m)
    out = ""
    for words in dict.fromkeys(w.strip().lower() for w in f.light_words if w.strip()):
        sep = " " if out and words.startswith(("from", "at ")) else ", " if out else ""
        out += sep + words
    return out


def short_description(f: Findings, m: dict[str, Any]) -> str:
    fibo = m["fibo"]
    sentence = objects_phrase(fibo)
    where = set_phrase(m)
    if where:
        sentence += f" {where}"
    light = _light_phrase(f, m)
    if light:
        sentence += f", {light}"
    if f.camera_words:
        sentence += ", " + ", ".join(dict.fromkeys(w.lower() for w in f.camera_words[:3]))
    sentence += "".join(text_clauses(fibo))
    return tidy(sentence)


def tidy(sentence: str) -> str:
    words = sentence.split()
    if len(words) > MAX_WORDS:
        sentence = " ".join(words[:MAX_WORDS])
    sentence = re.sub(r"\s+([,.])", r"\1", sentence).strip(" ,")
    sentence = re.sub(r"\s{2,}", " ", sentence)
    if not sentence:
        return "A product photograph."
    return sentence[:1].upper() + sentence[1:] + ("" if sentence.endswith(".") else ".")


def update_summary(old: dict[str, Any], new: dict[str, Any]) -> str:
    """``new``'s short description: ``old``'s with the parts that changed rewritten."""
    text = old["fibo"].get("short_description") or ""
    body = text[:-1] if text.endswith(".") else text
    lowered = body[:1].lower() + body[1:]
    for before, after in _changed_parts(old, new):
        if before and before in lowered:
            lowered = lowered.replace(before, after, 1)
        elif before and before.lower() in lowered.lower():
            i = lowered.lower().index(before.lower())
            lowered = lowered[:i] + after + lowered[i + len(before):]
        elif not before and after:
            lowered += after
    return tidy(lowered) if lowered != body[:1].lower() + body[1:] else text


def _changed_parts(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = [(objects_phrase(old["fibo"]), objects_phrase(new["fibo"])),
             (set_phrase(old), set_phrase(new)), (light_summary(old), light_summary(new))]
    old_key = _key(old)
    new_key = _key(new)
    if old_key and new_key:
        pairs.append((direction_words(old_key), direction_words(new_key)))
    old_texts, new_texts = "".join(text_clauses(old["fibo"])), "".join(text_clauses(new["fibo"]))
    pairs.append((old_texts, new_texts))
    return [(a, b) for a, b in pairs if a != b]


def _key(m: dict[str, Any]) -> dict[str, Any] | None:
    lights = (m.get("controls") or {}).get("lights") or []
    return next((light for light in lights if light.get("role") == "key"), None)
