"""Angles to words for the controls compiler: rounding, zones and "from the upper left".

Angles follow the schema: azimuth seen from the camera (0 = at the camera, negative = frame
left, positive = frame right, +-180 = behind the product), elevation 0 = level, 90 = above.
Every zone is decided on angles already rounded to ``ANGLE_STEP`` so the words and the numbers
printed next to them always agree, and slider jitter below a step changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ANGLE_STEP = 5  # degrees; finer than a photographer would state an angle

# Zone limits in degrees, inclusive upper bounds on the rounded |azimuth| / elevation.
FRONT_MAX_AZ = 15  # within this of the lens axis a light counts as frontal
SIDE_MAX_AZ = 110  # beyond this a light is behind the product's side
REAR_SIDE_MAX_AZ = 160  # beyond this it is straight behind
OVERHEAD_MIN_EL = 75
HIGH_MIN_EL = 20


def round_half_away(x: float, step: float) -> float:
    """Round to a multiple of ``step``, halves away from zero (mirrored angles round alike)."""
    q = math.floor(abs(x) / step + 0.5) * step
    return math.copysign(q, x) if q else 0.0


def round_angle(x: float) -> int:
    return int(round_half_away(x, ANGLE_STEP))


@dataclass(frozen=True)
class Zone:
    """Where a light sits: ``around`` front/side/rear_side/behind, ``height``, ``side``."""

    around: str  # "front", "side", "rear_side", "behind"
    height: str  # "overhead", "high", "level", "low", "underneath"
    side: str | None  # "left", "right" or None on the axis


def zone_of(azimuth: int, elevation: int) -> Zone:
    """The zone of already rounded angles."""
    if elevation >= OVERHEAD_MIN_EL:
        height = "overhead"
    elif elevation >= HIGH_MIN_EL:
        height = "high"
    elif elevation > -HIGH_MIN_EL:
        height = "level"
    elif elevation > -OVERHEAD_MIN_EL:
        height = "low"
    else:
        height = "underneath"
    a = abs(azimuth)
    if a <= FRONT_MAX_AZ:
        around = "front"
    elif a <= SIDE_MAX_AZ:
        around = "side"
    elif a <= REAR_SIDE_MAX_AZ:
        around = "rear_side"
    else:
        around = "behind"
    side = None if around in ("front", "behind") else ("left" if azimuth < 0 else "right")
    return Zone(around, height, side)


def zone_words(zone: Zone) -> str:
    """"upper left", "right", "behind left", "above the camera", "directly above" ..."""
    if zone.height == "overhead":
        return "directly above"
    if zone.height == "underneath":
        return "directly below"
    if zone.around == "front":
        return {"high": "above the camera", "level": "front",
                "low": "below the camera"}[zone.height]
    if zone.around == "side":
        prefix = {"high": "upper ", "level": "", "low": "lower "}[zone.height]
        return f"{prefix}{zone.side}"
    prefix = {"high": "high ", "level": "", "low": "low "}[zone.height]
    where = "behind" if zone.side is None else f"behind {zone.side}"
    return f"{prefix}{where}"


def describe_light_direction(azimuth: float, elevation: float) -> str:
    """Where a light at these angles sits, in frame words: "upper left", "right", "behind"."""
    return zone_words(zone_of(round_angle(azimuth), round_angle(elevation)))


def from_where(words: str) -> str:
    """ "upper left" -> "from the upper left"; "behind" -> "from behind"."""
    if words.split()[0] in ("upper", "lower", "left", "right", "front"):
        return f"from the {words}"
    return f"from {words}"


def angle_numbers(azimuth: int, elevation: int) -> str:
    """ "about 60 degrees off camera and 45 degrees high" for rounded angles."""
    if elevation >= OVERHEAD_MIN_EL:
        return "straight overhead" if elevation == 90 else f"about {elevation} degrees high"
    if elevation <= -OVERHEAD_MIN_EL:
        return "straight below" if elevation == -90 else f"about {-elevation} degrees below"
    off = abs(azimuth)
    around = "on the camera axis" if off == 0 else f"about {off} degrees off camera"
    if elevation == 0:
        return f"{around}, level with the product"
    if elevation > 0:
        return f"{around} and {elevation} degrees high"
    return f"{around} and {-elevation} degrees below the product"
