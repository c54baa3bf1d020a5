"""Step and guidance defaults per FIBO variant; a manifest's ``render.steps`` and
``render.guidance_scale`` override them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studioflow.errors import ConfigError, ErrorDetail

# Bria's ~1 MP training resolutions (width, height), all multiples of 16.
BRIA_SIZES: tuple[tuple[int, int], ...] = (
    (832, 1248), (896, 1152), (960, 1088), (1024, 1024), (1088, 960), (1152, 896),
    (1216, 832), (1280, 800), (1344, 768),
)


@dataclass(frozen=True)
class Preset:
    name: str
    steps: int
    guidance_scale: float
    about: str


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("fibo", 50, 5.0, "FIBO 1.0: 50 steps with classifier-free guidance 5"),
    Preset("fibo-1.5", 8, 1.0, "FIBO 1.5 (distilled): 8 steps, no guidance"),
    Preset("fibo-lite", 8, 1.0, "FIBO Lite (distilled): 8 steps, no guidance"),
)}

_GUESSES = ((re.compile(r"lite", re.I), "fibo-lite"),
            (re.compile(r"1[._-]5"), "fibo-1.5"))


def preset_for(model: str, name: str | None = None) -> Preset:
    """The preset called ``name``, else the one the model's name suggests, else FIBO 1.0's."""
    if name:
        try:
            return PRESETS[name.lower()]
        except KeyError:
            raise ConfigError(f"unknown FIBO preset {name!r}",
                              [ErrorDetail("STUDIOFLOW_FIBO_PRESET",
                                           f"expected one of {', '.join(PRESETS)}")]) from None
    last = model.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for pattern, preset in _GUESSES:
        if pattern.search(last):
            return PRESETS[preset]
    return PRESETS["fibo"]


def resolve(preset: Preset, steps: int | None,
            guidance_scale: float | None) -> tuple[int, float]:
    """Steps and guidance for a render: the request's values win over the preset's."""
    return (preset.steps if steps is None else int(steps),
            preset.guidance_scale if guidance_scale is None else float(guidance_scale))
