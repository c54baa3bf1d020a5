"""The lights of ``controls.lights``, normalised: schema defaults filled in, numbers rounded
to the steps the text states, and the words shared by lighting, shadows and colour text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from studioflow.core.controls_geometry import (
    Zone,
    round_angle,
    round_half_away,
    zone_of,
    zone_words,
)
from studioflow.schema import default_for

ROLE_ORDER = ("key", "fill", "rim", "background")
KELVIN_STEP = 100
STOP_STEP = 0.5  # lighting ratios are stated to half a stop
MAX_STOPS = 8.0  # beyond this a light no longer counts against another (and log2 stays finite)
SOFT_KEY = 0.55  # softness at and above which a source reads as soft
VERY_SOFT = 0.85
BOUNCE_FILL_STOPS = 3.0  # without a fill light, walls and floor still fill about this much
SELF_FILL_STOPS = 2.0  # ... and a very large wrap-around source about this much

# (upper softness bound, phrase after a light, adjective before a named source, quality)
SOFTNESS_WORDS = (
    (0.25, "hard, bare source", "hard", "hard, directional"),
    (SOFT_KEY, "medium, semi-soft source", "semi-soft", "semi-soft, directional"),
    (VERY_SOFT, "large soft source", "soft", "soft, diffused"),
    (math.inf, "very soft wrap-around source", "very soft, wrap-around", "very soft, enveloping"),
)
# (upper kelvin bound, light words, colour-cast words); "tungsten" reads "golden" for sun
# and window light, which are warm for another reason.
KELVIN_WORDS = (
    (2600, "very warm candle-like", "very warm amber cast"),
    (3600, "warm tungsten", "warm tungsten cast"),
    (4800, "slightly warm", "slightly warm cast"),
    (6300, "neutral daylight", "neutral daylight white balance"),
    (8000, "cool", "cool bluish cast"),
    (math.inf, "very cool blue", "cold blue cast"),
)
_NATURAL = re.compile(r"\b(sun|window)", re.IGNORECASE)


def tidy(text: Any) -> str | None:
    """A person's words with whitespace collapsed; ``None`` when nothing is left."""
    return " ".join(str(text).split()) or None if text else None


@dataclass(frozen=True)
class Light:
    """One light that is on, with defaults filled in and numbers rounded."""

    role: str
    azimuth: int
    elevation: int
    intensity: float
    softness: float
    kelvin: int
    source: str | None

    @property
    def zone(self) -> Zone:
        return zone_of(self.azimuth, self.elevation)

    @property
    def where(self) -> str:
        return zone_words(self.zone)

    @property
    def is_natural(self) -> bool:
        """Sun or window light: warm reads "golden", not "tungsten"."""
        return bool(self.source and _NATURAL.search(self.source))


@cache
def _light_defaults() -> dict[str, Any]:
    names = ("azimuth", "elevation", "intensity", "softness", "color_temperature")
    return {name: default_for(f"controls.lights[].{name}") for name in names}


def normalize_lights(lights: list[dict[str, Any]]) -> list[Light]:
    """Lights that are on (intensity > 0), key first then fill, rim, background."""
    d = _light_defaults()
    out = []
    for raw in lights:
        intensity = float(raw.get("intensity", d["intensity"]))
        if intensity <= 0:
            continue  # a light at zero power is switched off
        out.append(Light(
            role=raw["role"],
            azimuth=round_angle(raw.get("azimuth", d["azimuth"])),
            elevation=round_angle(raw.get("elevation", d["elevation"])),
            intensity=intensity,
            softness=float(raw.get("softness", d["softness"])),
            kelvin=int(round_half_away(raw.get("color_temperature", d["color_temperature"]),
                                       KELVIN_STEP)),
            source=tidy(raw.get("source")),
        ))
    return sorted(out, key=lambda light: ROLE_ORDER.index(light.role))


def main_light(lights: list[Light]) -> Light | None:
    """The light that models the product and casts its shadows: the key, else the brightest
    non-background light; ``None`` when only the backdrop is lit."""
    for light in lights:
        if light.role == "key":
            return light
    modelling = [light for light in lights if light.role != "background"]
    return max(modelling, key=lambda light: light.intensity) if modelling else None


def stops_under(light: Light, reference: Light) -> float:
    """How many stops ``light`` is under ``reference``, to half a stop."""
    stops = math.log2(reference.intensity) - math.log2(light.intensity)
    return round_half_away(max(-MAX_STOPS, min(MAX_STOPS, stops)), STOP_STEP)


def fill_stops(lights: list[Light], main: Light) -> float:
    """Stops between the main light and what fills its shadows: the brightest fill light, or
    the room's bounce when that is stronger (a very large source wraps round, filling itself)."""
    bounce = SELF_FILL_STOPS if main.softness >= VERY_SOFT else BOUNCE_FILL_STOPS
    fills = [light for light in lights if light.role == "fill" and light is not main]
    if not fills:
        return bounce
    return min(bounce, stops_under(max(fills, key=lambda light: light.intensity), main))


def softness_words(softness: float) -> tuple[str, str, str]:
    """(phrase after a light, adjective before a source, quality of the light)."""
    return next(words[1:] for words in SOFTNESS_WORDS if softness < words[0])


def _natural(words: str, light: Light) -> str:
    return words.replace("tungsten", "golden") if light.is_natural else words


def kelvin_words(light: Light) -> str:
    """ "warm tungsten 3200K", "neutral daylight 5600K" ("warm golden" for the sun)."""
    word = next(words for bound, words, _ in KELVIN_WORDS if light.kelvin < bound)
    return f"{_natural(word, light)} {light.kelvin}K"


def color_cast_words(light: Light) -> str:
    """ "neutral daylight white balance", "warm tungsten cast" for a light's temperature."""
    return _natural(next(cast for bound, _, cast in KELVIN_WORDS if light.kelvin < bound), light)
