"""``controls.background`` and ``controls.color_palette`` -> FIBO's ``background_setting``
and ``aesthetics.color_scheme``.

Colours are named in words (``core.colors.hex_to_name``) with the exact hex beside them: the
word is what the model understands, the hex is what a person set and wants to see kept.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from studioflow.core.colors import hex_to_name, luminance
from studioflow.core.controls_lights import Light, color_cast_words, tidy
from studioflow.schema import default_for

BRIGHT_LUMINANCE = 0.8
DARK_LUMINANCE = 0.12


@cache
def _background_defaults() -> dict[str, Any]:
    return {name: default_for(f"controls.background.{name}") for name in ("color", "style")}


@lru_cache(maxsize=1024)
def _color_name(hex_color: str) -> str:
    return hex_to_name(hex_color)  # a perceptual search over every named colour: cache it


def _tone(hex_color: str) -> str:
    """ "white (#FFFFFF)"."""
    return f"{_color_name(hex_color.upper())} ({hex_color.upper()})"


def _backdrop(background: dict[str, Any]) -> tuple[str, str]:
    """The backdrop colour in words (a gradient names both ends) and the style."""
    d = _background_defaults()
    style = background.get("style", d["style"])
    color = background.get("color", d["color"])
    end = background.get("gradient_to") if style == "gradient" else None
    colors = f"{_tone(color)} to {_tone(end)}" if end else _tone(color)
    return colors, style


def compile_background(background: dict[str, Any]) -> str:
    """ "seamless white (#FFFFFF) paper sweep ..., the product resting on white marble"."""
    colors, style = _backdrop(background)
    surface = tidy(background.get("surface"))
    description = tidy(background.get("description"))
    if style == "sweep":
        text = f"seamless {colors} paper sweep curving from floor to wall, no visible horizon"
    elif style == "gradient":
        text = (f"studio backdrop in a smooth gradient from {colors}, top to bottom"
                if background.get("gradient_to") else
                f"{colors} studio backdrop with a soft gradient, lightest behind the product")
    elif style == "flat":
        text = f"plain flat {colors} backdrop wall"
    else:
        text = f"{description}, in {colors} tones" if description else \
            f"real-world setting in {colors} tones"
    if description and style != "scene":
        text += f"; {description}"
    if surface:
        text += f", the product resting on {surface}"
    return text


def _brightness(hex_color: str) -> str:
    lum = luminance(hex_color)
    if lum >= BRIGHT_LUMINANCE:
        return "bright "
    if lum <= DARK_LUMINANCE and "black" not in _color_name(hex_color.upper()):  # not "dark black"
        return "dark "
    return ""


def compile_color_scheme(palette: str | None, background: dict[str, Any] | None,
                         main: Light | None) -> str:
    """Palette words + backdrop colour + the main light's colour cast.

    ``background`` is ``None`` without a background control; ``main`` is ``None`` when the
    controls give no light whose colour temperature sets the white balance.
    """
    parts = []
    palette = tidy(palette)
    if palette:
        parts.append(palette if "palette" in palette.lower() else f"{palette} palette")
    if background is not None:
        colors, _ = _backdrop(background)
        color = background.get("color", _background_defaults()["color"])
        backdrop = f"{_brightness(color)}{colors} backdrop"
        parts.append(f"set against a {backdrop}" if palette else f"palette led by the {backdrop}")
    if main is not None:
        parts.append(color_cast_words(main))
    return ", ".join(parts) or default_for("fibo.aesthetics.color_scheme")
