"""``controls.lights`` + ``controls.shadows`` -> FIBO's ``lighting.shadows``.

Shadows fall opposite the main light in the frame: a key from the upper left throws them to
the lower right, a front light straight behind the product, a backlight toward the camera,
an overhead light directly beneath. Their edge follows the key's size (a bare source gives
crisp, hard-edged shadows); their darkness follows ``shadows.intensity``, opened up by fill.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from studioflow.core.controls_geometry import Zone
from studioflow.core.controls_lights import Light, fill_stops, main_light
from studioflow.schema import default_for

LONG_MAX_EL = 15  # a key this low (and above the floor) throws long shadows
SHORT_MIN_EL = 60
# Fill lifts shadows: darkness = intensity * (NO_FILL_GAIN - FILL_LIFT * fill fraction).
NO_FILL_GAIN = 1.3
FILL_LIFT = 0.8
NEUTRAL_LIFT = 0.375  # the fill fraction assumed when the lights are not known
AMBIENT_LIFT = 0.5
# (upper darkness bound, clause after the shadows)
DARKNESS_WORDS = (
    (0.12, "barely visible"),
    (0.3, "light and open"),
    (0.55, "of medium density"),
    (0.8, "dark and dense"),
    (float("inf"), "deep, almost black"),
)
EDGE_WORDS = ((0.25, "crisp, hard-edged"), (0.55, "fairly defined"), (0.85, "soft"),
              (float("inf"), "very soft, diffuse"))
REFLECTION = "a mirror reflection of the product on the glossy surface beneath it"


@cache
def _shadow_defaults() -> dict[str, Any]:
    return {name: default_for(f"controls.shadows.{name}")
            for name in ("style", "intensity", "reflection")}


def _darkness(intensity: float, lift: float) -> str:
    darkness = intensity * (NO_FILL_GAIN - FILL_LIFT * min(lift, 1.0))
    return next(words for bound, words in DARKNESS_WORDS if darkness < bound)


def _contact_words(intensity: float) -> str:
    if intensity < 0.25:
        return "faint, soft"
    return "soft" if intensity < 0.6 else "soft but dark"


def _fall(zone: Zone) -> str:
    """Where shadows fall in the frame, opposite the light in ``zone``."""
    if zone.height == "overhead":
        return "pooling directly beneath the product"
    if zone.height == "underneath":
        return "thrown upward above the product"
    other = {"left": "right", "right": "left", None: None}[zone.side]
    if zone.around == "front":
        return {"high": "falling down and straight behind the product",
                "level": "cast straight back onto the backdrop behind the product",
                "low": "thrown upward onto the backdrop behind the product"}[zone.height]
    if zone.around == "side":
        return {"high": f"falling to the lower {other}", "level": f"stretching to the {other}",
                "low": f"thrown upward to the upper {other}"}[zone.height]
    toward = "forward toward the camera"
    if zone.around == "rear_side":
        return f"falling {toward} and to the {other}"
    return f"falling {toward}"


def _length(light: Light) -> str:
    if light.zone.around == "front":
        return ""  # frontal shadows hide behind the product; their length is not seen
    if 0 <= light.elevation <= LONG_MAX_EL:
        return "long, "
    return "short, " if light.elevation >= SHORT_MIN_EL else ""


def _cast_words(lights: list[Light] | None, intensity: float) -> str:
    if lights is None:  # the lights are described by hand-written text we do not parse
        return f"cast shadows falling away from the key light, {_darkness(intensity, NEUTRAL_LIFT)}"
    main = main_light(lights)
    if main is None:
        return ("very soft, diffuse ambient shadows directly beneath the product, "
                f"{_darkness(intensity, AMBIENT_LIFT)}")
    lift = 2.0 ** -fill_stops(lights, main)
    edge = next(words for bound, words in EDGE_WORDS if main.softness < bound)
    return f"{_length(main)}{edge} shadows {_fall(main.zone)}, {_darkness(intensity, lift)}"


def compile_shadows(lights: list[Light] | None, shadows: dict[str, Any] | None) -> str:
    """``lights`` is ``None`` when the controls have no lights (direction then unknown)."""
    d = _shadow_defaults()
    shadows = shadows or {}
    style = shadows.get("style", d["style"])
    intensity = float(shadows.get("intensity", d["intensity"]))
    if style == "none":
        text = "shadowless: evenly lit with no visible shadows"
    elif style == "contact":
        text = (f"only a {_contact_words(intensity)} contact shadow directly beneath the product "
                "where it touches the surface, no cast shadows")
    else:
        text = _cast_words(lights, intensity)
    if shadows.get("reflection", d["reflection"]):
        text += f"; {REFLECTION}"
    return text
