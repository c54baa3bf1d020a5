"""The vocabulary an unfamiliar phrase is mapped to: a few anchor phrases per concept and
the edit the concept makes (to controls, which compile into FIBO's text, or to fields the
controls do not own). Written from general studio-photography vocabulary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _key(m: dict[str, Any]) -> dict[str, Any] | None:
    lights = (m.get("controls") or {}).get("lights") or []
    return next((light for light in lights if light.get("role") == "key"), None)


def _set_key(**values: Any) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        key = _key(m)
        if key is not None:
            key.update(values)
    return edit


def _palette(words: str) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        controls = m.setdefault("controls", {})
        old = controls.get("color_palette")
        controls["color_palette"] = f"{old}, {words}"[:300] if old else words
    return edit


def _field(section: str, name: str, text: str) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        target = m["fibo"].get(section) if section else m["fibo"]
        if isinstance(target, dict):
            target[name] = text
    return edit


def _both(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        for e in edits:
            e(m)
    return edit


@dataclass(frozen=True)
class Concept:
    name: str
    anchors: tuple[str, ...]
    edit: Callable[[dict[str, Any]], None]


CONCEPTS = (
    Concept("warm light", ("warm light", "warm golden glow", "tungsten light", "candlelight"),
            _both(_set_key(color_temperature=3200), _palette("warm tones"))),
    Concept("cool light", ("cool light", "cold blue light", "icy daylight", "blue hour"),
            _both(_set_key(color_temperature=7500), _palette("cool tones"))),
    Concept("hard contrast", ("high contrast", "hard light", "crisp harsh shadows", "punchy"),
            _both(_set_key(softness=0.25), _palette("high contrast"))),
    Concept("soft dreamy", ("dreamy", "soft hazy glow", "ethereal", "gentle diffused light"),
            _both(_set_key(softness=0.95), _field("aesthetics", "mood_atmosphere",
                                                  "dreamy, soft and ethereal"))),
    Concept("low-key drama", ("chiaroscuro", "dramatic low-key lighting", "moody darkness",
                              "deep shadows"),
            _both(_set_key(azimuth=-80, softness=0.3),
                  _field("aesthetics", "mood_atmosphere", "dramatic, moody, low-key"))),
    Concept("monochrome", ("black and white", "monochrome", "no color", "grayscale"),
            _palette("monochrome, black and white")),
    Concept("earthy", ("rustic earthy tones", "autumn colours", "cozy natural materials"),
            _palette("warm, earthy tones")),
    Concept("editorial", ("editorial", "magazine spread", "fashion editorial"),
            _field("", "context", "an editorial still life for a magazine")),
)
