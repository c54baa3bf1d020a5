"""The embedded image analyser (numpy and Pillow only): what pixels can honestly tell.

It reads the palette, the backdrop colour, brightness and contrast (high-key / low-key),
an estimate of the main light's direction, the aspect ratio and where the subject sits.
It does not say what the objects are: that is left to the person's words (``--prompt``)
or to a vision-language model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studioflow.core.colors import hex_to_name, rgb_to_hex
from studioflow.schema import subschema
from studioflow.translate.inspire.composition import Placement, describe, locate, relative_size
from studioflow.translate.inspire.lighting import LightReading, direction_words, read_light
from studioflow.translate.inspire.palette import Swatch, palette, scheme_words


@dataclass(frozen=True)
class ImageFindings:
    width: int
    height: int
    aspect: str | None  # the schema's nearest aspect preset, when within 3 %
    swatches: list[Swatch]
    backdrop_hex: str
    backdrop_name: str
    backdrop_uniform: bool
    light: LightReading
    placement: Placement = field(repr=False)
    composition: str = ""
    color_scheme: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able summary (CLI ``--json`` and logs)."""
        light = self.light
        return {
            "size": [self.width, self.height], "aspect": self.aspect,
            "palette": [{"name": s.name, "hex": s.hex, "share": s.share}
                        for s in self.swatches],
            "color_scheme": self.color_scheme,
            "backdrop": {"hex": self.backdrop_hex, "name": self.backdrop_name,
                         "uniform": self.backdrop_uniform},
            "brightness": light.mean, "contrast": light.contrast, "key": light.key,
            "light": {"direction": direction_words(light), "azimuth": light.azimuth,
                      "elevation": light.elevation, "confidence": light.confidence,
                      "left_right_balance": light.dx, "top_bottom_balance": light.dy},
            "subject": {"found": self.placement.found, "centroid": [self.placement.cx,
                                                                    self.placement.cy],
                        "size": relative_size(self.placement.area),
                        "composition": self.composition},
            "objects": "not analysed: describe them with --prompt or use a VLM translator",
        }


def nearest_aspect(width: int, height: int) -> str | None:
    ratio = width / height
    best, best_err = None, 1.0
    for name in subschema("render.aspect")["enum"]:
        w, h = (int(x) for x in name.split(":"))
        err = abs(ratio - w / h) / (w / h)
        if err < best_err:
            best, best_err = name, err
    return best if best_err <= 0.03 else None


def analyse(img: Any, original_size: tuple[int, int] | None = None) -> ImageFindings:
    """Findings for a decoded RGB ``PIL.Image``."""
    pixels = np.asarray(img.convert("RGB"))
    width, height = original_size or img.size
    place = locate(pixels)
    light = read_light(pixels, place.mask if place.found else None)
    swatches = palette(pixels)
    backdrop_hex = rgb_to_hex(place.backdrop_rgb)
    return ImageFindings(
        width=width, height=height, aspect=nearest_aspect(width, height), swatches=swatches,
        backdrop_hex=backdrop_hex, backdrop_name=hex_to_name(backdrop_hex),
        backdrop_uniform=place.backdrop_uniform, light=light, placement=place,
        composition=describe(place), color_scheme=scheme_words(swatches, light.contrast))
