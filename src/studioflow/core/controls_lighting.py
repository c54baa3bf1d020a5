"""``controls.lights`` -> FIBO's ``lighting.conditions`` and ``lighting.direction``.

Each light is described by its role (key, fill, rim, background) the way a photographer
would note a setup: where it sits in the frame, how large the source is, how strong it is
against the key (in stops) and its colour temperature where it differs from the main light.
"""

from __future__ import annotations

from studioflow.core.controls_geometry import angle_numbers, from_where
from studioflow.core.controls_lights import (
    ROLE_ORDER,
    SOFT_KEY,
    Light,
    fill_stops,
    kelvin_words,
    main_light,
    softness_words,
    stops_under,
)

MIXED_KELVIN = 1000  # a light this far from the main light's temperature is called out
LOW_KEY_STOPS = 2.5  # fill this far under the key (or none) reads as low-key
HIGH_KEY_STOPS = 1.0
EVEN_MAX_AZ = 45  # a soft key this close to the lens axis lights evenly
FILL_FRACTIONS = {0.5: "about 70%", 1.0: "about half", 1.5: "about a third", 2.0: "about a quarter",
                  2.5: "about a sixth", 3.0: "about an eighth", 3.5: "about a twelfth",
                  4.0: "about a sixteenth"}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")


# ----------------------------------------------------------------- conditions


_PLAIN_NATURAL = ("sun", "the sun", "sunlight", "window", "window light")


def _kind(light: Light) -> str:
    if not light.is_natural:  # a named source ("spotlight", "neon gel light") says more
        return light.source or "studio lighting"
    kind = "natural window light" if "window" in light.source.lower() else "natural sunlight"
    named = light.source.lower()
    if named in _PLAIN_NATURAL or named in kind:
        return kind
    return f"{kind}, {light.source}"  # "dappled sunlight through leaves", "Rembrandt ... window"


def _contrast(lights: list[Light], main: Light) -> str:
    stops = fill_stops(lights, main)
    backdrop_lit = any(light.role == "background" and light.intensity >= 0.5 for light in lights)
    if stops >= LOW_KEY_STOPS:  # a lit backdrop keeps the frame from reading low-key
        return "high-contrast" if backdrop_lit else "high-contrast, low-key"
    even = abs(main.azimuth) <= EVEN_MAX_AZ or main.zone.height == "overhead"
    if stops <= HIGH_KEY_STOPS and main.softness >= SOFT_KEY and (even or backdrop_lit):
        return "bright, even, high-key"
    if stops <= HIGH_KEY_STOPS:
        return "low contrast with open shadows"
    return "moderate contrast with gentle modelling"


def _setup(lights: list[Light]) -> str:
    if len(lights) == 1:
        return f"single-light setup ({lights[0].role} only)"
    parts = []
    for role in ROLE_ORDER:
        n = sum(light.role == role for light in lights)
        noun = "background light" if role == "background" else role
        if n == 1:
            parts.append(noun)
        elif n > 1:
            parts.append(f"{NUMBER_WORDS[n]} {noun}s")
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{NUMBER_WORDS[len(lights)]}-light setup: {listed}"


def compile_conditions(lights: list[Light]) -> str:
    """Kind, quality, colour temperature and contrast of the light, then the setup."""
    main = main_light(lights)
    if not lights:
        return "soft ambient available light, no studio lights, gentle low contrast"
    if main is None:
        return (f"only the backdrop is lit, {kelvin_words(lights[0])}, "
                f"the product in near-silhouette against it, low-key; {_setup(lights)}")
    quality = softness_words(main.softness)[2]
    text = f"{quality} {_kind(main)}, {kelvin_words(main)}, {_contrast(lights, main)}"
    if any(abs(light.kelvin - main.kelvin) >= MIXED_KELVIN for light in lights):
        text += ", mixed colour temperatures"
    if main.role != "key":
        text += f", no separate key light (the {main.role} light leads)"
    return f"{text}; {_setup(lights)}"


# ------------------------------------------------------------------ direction


def _source_noun(light: Light) -> str:
    source = light.source or ""
    low = source.lower()
    if low in ("sun", "the sun", "sunlight"):
        if light.elevation <= 15 and light.kelvin < 4000:
            return "low golden hour sun"
        return "direct sunlight"
    if low == "window":
        return "window light"
    return source


def _lead(light: Light, label: str) -> str:
    """ "key light from the upper left" or "key light: soft window light from the left"."""
    where = from_where(light.where)
    if light.source:
        return f"{label}: {softness_words(light.softness)[1]} {_source_noun(light)} {where}"
    return f"{label} {where}"


def _size(light: Light) -> list[str]:
    return [] if light.source else [softness_words(light.softness)[0]]


def _ratio_words(light: Light, key: Light) -> str:
    """ " at about a third of the key's power (1.5 stops under)", to follow "from the right"."""
    stops = stops_under(light, key)
    if stops == 0:
        return ", about as bright as the key"
    if stops < 0:
        return f", about {_stops_text(-stops)} brighter than the key"
    fraction = FILL_FRACTIONS.get(stops, "a tiny fraction")
    return f" at {fraction} of the key's power ({_stops_text(stops)} under)"


def _stops_text(stops: float) -> str:
    n = f"{stops:g}"
    return f"{n} stop" if stops == 1 else f"{n} stops"


def _strength(light: Light, key: Light | None) -> str:
    """ "strong " for a light at least as bright as the key, "subtle " two stops under it."""
    if key is None:
        return ""
    if light.intensity >= key.intensity:
        return "strong "
    return "subtle " if stops_under(light, key) >= 2 else ""


def _key_words(light: Light) -> str:
    parts = [_lead(light, "key light"), angle_numbers(light.azimuth, light.elevation),
             *_size(light)]
    if light.zone.around in ("rear_side", "behind") and light.zone.height != "overhead":
        parts.append("backlighting the product")
    return ", ".join(parts)


def _fill_words(light: Light, key: Light | None) -> str:
    parts = [_lead(light, "fill light")]
    if key is not None:
        parts[0] += _ratio_words(light, key)
    return ", ".join([*parts, *_size(light)])


def _rim_words(light: Light, key: Light | None) -> str:
    zone = light.zone
    if zone.around in ("rear_side", "behind") or zone.height == "overhead":
        effect = "outlining the edges"
    elif zone.around == "side":
        effect = f"skimming the {zone.side} side and tracing its edge"
    else:
        effect = "adding a frontal edge highlight"
    return ", ".join([f"{_strength(light, key)}{_lead(light, 'rim light')} {effect}",
                      *_size(light)])


def _background_words(light: Light) -> str:
    if light.intensity < 0.35:
        effect = "adding a gentle glow to the backdrop"
    elif light.intensity < 0.75:
        effect = "brightening the backdrop"
    else:
        effect = "brightly lighting the backdrop"
    text = f"background light: {light.source}, {effect}" if light.source else \
        f"background light {effect}"
    if light.zone.around == "behind":
        text += ", hidden behind the product for a halo of light around it"
    return text


def compile_direction(lights: list[Light]) -> str:
    """Every light by role, key first; "key light from the upper left, about 60 degrees ..."."""
    if not lights:
        return "no directional light: soft ambient light from all around"
    main = main_light(lights)
    key = main if main is not None and main.role == "key" else None
    phrases = []
    for light in lights:
        if light.role == "key":
            text = _key_words(light)
        elif light.role == "fill":
            text = _fill_words(light, key)
        elif light.role == "rim":
            text = _rim_words(light, key)
        else:
            text = _background_words(light)
        if main is not None and abs(light.kelvin - main.kelvin) >= MIXED_KELVIN:
            text += f", {kelvin_words(light)}"
        phrases.append(text)
    return "; ".join(phrases)
