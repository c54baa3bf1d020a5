"""``controls.camera`` -> FIBO's ``camera_angle``, ``lens_focal_length`` and ``depth_of_field``.

Depth of field is computed with the thin-lens hyperfocal formulas (full frame, circle of
confusion 0.03 mm) and judged against a product about 20 cm across (PRODUCT_SIZE_MM), so a
wider aperture, a longer lens or a closer camera always reads as shallower, as it would
through the viewfinder.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from studioflow.core.controls_geometry import FRONT_MAX_AZ, OVERHEAD_MIN_EL, round_angle
from studioflow.schema import default_for

CIRCLE_OF_CONFUSION_MM = 0.03  # full frame
PRODUCT_SIZE_MM = 200.0
# Depth-of-field classes as fractions of the product size (upper bounds). A product 20 cm
# across is rarely more than 8 cm deep, so 8 cm of sharpness already holds all of it.
VERY_SHALLOW_MAX = 0.05  # under 1 cm: a sliver of the product is sharp
SHALLOW_MAX = 0.4  # under 8 cm: the front of the product sharp, the rest falling off
MODERATE_MAX = 5.0  # under 1 m: the product sharp, the backdrop soft
MACRO_MIN_MAGNIFICATION = 0.25
MACRO_FOCAL_RANGE = (40, 200)  # focal lengths that macro lenses are made in
# (upper bound in mm, lens words); 85mm reads "85mm portrait telephoto".
FOCAL_WORDS = (
    (24, "ultra-wide-angle lens, strongly exaggerated perspective"),
    (35.5, "wide-angle lens, slightly exaggerated perspective"),
    (60, "standard lens, natural perspective"),
    (70, "short telephoto, natural, lightly compressed perspective"),
    (135, "portrait telephoto, flattering compressed perspective"),
    (300.5, "telephoto, strongly compressed perspective"),
    (math.inf, "super-telephoto, extremely compressed, flattened perspective"),
)


@cache
def _camera_defaults() -> dict[str, Any]:
    names = ("azimuth", "elevation", "focal_length_mm", "aperture", "distance_m")
    return {name: default_for(f"controls.camera.{name}") for name in names}


def _significant(x: float, digits: int = 2) -> float:
    """Round to ``digits`` significant figures (1.23 m -> 1.2 m, 0.347 m -> 0.35 m)."""
    if x <= 0:
        return x
    return round(x, digits - 1 - math.floor(math.log10(x)))


def f_number_text(aperture: float) -> str:
    """``2.0`` -> ``"f/2"``, ``5.6`` -> ``"f/5.6"`` (one decimal)."""
    return f"f/{round(aperture, 1):g}"


def depth_of_field_mm(focal_mm: float, aperture: float, distance_m: float) -> float:
    """Total depth of acceptable sharpness in millimetres (``inf`` past the hyperfocal)."""
    s = distance_m * 1000.0
    if s <= focal_mm:
        return 0.0  # closer than the focal length: nothing can be focused
    hyperfocal = focal_mm * focal_mm / (aperture * CIRCLE_OF_CONFUSION_MM) + focal_mm
    near = s * (hyperfocal - focal_mm) / (hyperfocal + s - 2 * focal_mm)
    if s >= hyperfocal:
        return math.inf
    far = s * (hyperfocal - focal_mm) / (hyperfocal - s)
    return far - near


def _sharp_zone(dof_mm: float) -> str:
    if math.isinf(dof_mm):
        return "sharp from near the camera to infinity"
    if dof_mm < 10:
        return "under a centimetre in focus"
    if dof_mm < 100:
        return f"about {round(dof_mm / 10):d} cm in focus"
    if dof_mm < 1000:
        return f"about {int(round(dof_mm / 50) * 5)} cm in focus"
    return f"about {dof_mm / 1000:.1f} m in focus"


def depth_of_field_text(focal_mm: float, aperture: float, distance_m: float) -> str:
    dof = depth_of_field_mm(focal_mm, aperture, distance_m)
    stop = f_number_text(aperture)
    zone = _sharp_zone(dof)
    ratio = dof / PRODUCT_SIZE_MM
    if ratio < VERY_SHALLOW_MAX:
        return (f"very shallow depth of field at {stop}, {zone}: only a thin slice of the "
                "product sharp, the rest dissolving into creamy bokeh")
    if ratio < SHALLOW_MAX:
        return (f"shallow depth of field at {stop}, {zone}: the front of the product sharp, "
                "the background melting into soft bokeh")
    if ratio < 1:  # deeper than a typical product, shallower than a 20 cm one
        return (f"moderate depth of field at {stop}, {zone}: the product sharp, "
                "the background gently out of focus")
    if ratio < MODERATE_MAX:
        return (f"moderate depth of field at {stop}, {zone}: the whole product sharp "
                "front to back, the background gently out of focus")
    return f"deep depth of field at {stop}, {zone}: product and background both sharp"


def lens_text(focal_mm: int, distance_m: float) -> str:
    """ "85mm portrait telephoto, ..."; a close focus that magnifies is called out, as a macro
    lens where macro lenses exist (MACRO_FOCAL_RANGE)."""
    s = distance_m * 1000.0
    magnification = focal_mm / (s - focal_mm) if s > focal_mm else math.inf
    scale = ("life-size 1:1 magnification or more" if magnification >= 1
             else f"about 1:{round(1 / magnification)} magnification")
    close = magnification >= MACRO_MIN_MAGNIFICATION
    if close and MACRO_FOCAL_RANGE[0] <= focal_mm <= MACRO_FOCAL_RANGE[1]:
        return f"{focal_mm}mm macro lens at close focus, {scale}"
    words = next(w for bound, w in FOCAL_WORDS if focal_mm < bound)
    return f"{focal_mm}mm {words}" + (f", focused close at {scale}" if close else "")


def _height_words(elevation: int) -> str:
    if elevation >= 85:
        return "top-down flat lay, camera looking straight down"
    if elevation >= OVERHEAD_MIN_EL:
        return f"near top-down flat lay, camera looking down about {elevation} degrees"
    if elevation >= 20:
        return f"high angle looking down about {elevation} degrees"
    if elevation >= 5:
        return f"slightly elevated, looking down about {elevation} degrees"
    if elevation > -5:
        return "eye-level"
    if elevation > -OVERHEAD_MIN_EL:
        return f"low angle looking up about {-elevation} degrees"
    return "worm's-eye view looking straight up"


def _around_words(azimuth: int) -> str:
    a, side = abs(azimuth), "left" if azimuth < 0 else "right"
    if a <= FRONT_MAX_AZ:
        return "straight-on front view"
    if a < 30:
        return f"front view turned slightly to the {side}, about {a} degrees"
    if a <= 60:
        return f"three-quarter view from the {side}, about {a} degrees around"
    if a <= 120:
        return f"side profile from the {side}"
    if a <= 165:
        return f"three-quarter rear view from the {side}"
    return "rear view from behind the product"


def camera_angle_text(azimuth: int, elevation: int) -> str:
    height = _height_words(elevation)
    if abs(elevation) >= OVERHEAD_MIN_EL:
        return height  # looking straight down or up, "front" and "side" lose their meaning
    return f"{height}, {_around_words(azimuth)}"


def compile_camera(camera: dict[str, Any]) -> dict[str, str]:
    """The three ``photographic_characteristics`` fields a camera control owns."""
    d = _camera_defaults()
    azimuth = round_angle(camera.get("azimuth", d["azimuth"]))
    elevation = round_angle(camera.get("elevation", d["elevation"]))
    focal = int(max(1, round(camera.get("focal_length_mm", d["focal_length_mm"]))))
    aperture = round(float(camera.get("aperture", d["aperture"])), 1)
    distance = _significant(float(camera.get("distance_m", d["distance_m"])))
    return {
        "camera_angle": camera_angle_text(azimuth, elevation),
        "lens_focal_length": lens_text(focal, distance),
        "depth_of_field": depth_of_field_text(focal, aperture, distance),
    }
