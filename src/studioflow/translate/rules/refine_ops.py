"""Relative edits a refinement asks for: "softer", "warmer", "brighter", "closer", "more
blur", "lower angle", "longer shadows", "darker background" ... Each works on the controls
that own the field, starting from the manifest's own values (schema defaults where a control
group is missing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from studioflow.core.colors import hex_to_rgb, rgb_to_hex
from studioflow.schema import default_for
from studioflow.translate.rules.build import defaults

I = re.IGNORECASE  # noqa: E741
Manifest = dict[str, Any]


# ---------------------------------------------------------------- control access
def controls(m: Manifest) -> dict[str, Any]:
    return m.setdefault("controls", {})


def lights(m: Manifest) -> list[dict[str, Any]]:
    c = controls(m)
    if "lights" not in c:
        c["lights"] = default_for("controls.lights")
    return c["lights"]


def key_light(m: Manifest) -> dict[str, Any]:
    all_lights = lights(m)
    for light in all_lights:
        if light["role"] == "key":
            return light
    light = dict(default_for("controls.lights")[0])
    all_lights.insert(0, light)
    return light


def light_of(m: Manifest, role: str) -> dict[str, Any] | None:
    return next((light for light in lights(m) if light["role"] == role), None)


def camera(m: Manifest) -> dict[str, Any]:
    return controls(m).setdefault("camera", defaults("controls.camera"))


def shadows(m: Manifest) -> dict[str, Any]:
    return controls(m).setdefault("shadows", defaults("controls.shadows"))


def background(m: Manifest) -> dict[str, Any]:
    return controls(m).setdefault("background", defaults("controls.background"))


def _get(d: dict[str, Any], key: str, path: str) -> float:
    value = d.get(key)
    return float(value if value is not None else default_for(f"{path}.{key}"))


def _set(d: dict[str, Any], key: str, value: float, low: float, high: float,
         digits: int = 2) -> None:
    value = round(float(max(low, min(high, value))), digits)
    new = int(value) if digits == 0 else value
    if d.get(key) != new:  # an unchanged value keeps its exact JSON form (1 stays 1)
        d[key] = new


# ---------------------------------------------------------------- light
def softer_light(m: Manifest) -> None:
    key = key_light(m)
    _set(key, "softness", max(_get(key, "softness", "controls.lights[]") + 0.3, 0.6), 0, 1)


def harder_light(m: Manifest) -> None:
    key = key_light(m)
    _set(key, "softness", min(_get(key, "softness", "controls.lights[]") - 0.35, 0.2), 0, 1)


def brighter(m: Manifest) -> None:
    key = key_light(m)
    before = _get(key, "intensity", "controls.lights[]")
    _set(key, "intensity", before + 0.25, 0.05, 1)
    fill = light_of(m, "fill")
    if fill is not None:
        _set(fill, "intensity", _get(fill, "intensity", "controls.lights[]") * 1.5, 0.05, 1)


def darker(m: Manifest) -> None:
    key = key_light(m)
    _set(key, "intensity", _get(key, "intensity", "controls.lights[]") - 0.3, 0.05, 1)
    fill = light_of(m, "fill")
    if fill is not None:
        _set(fill, "intensity", _get(fill, "intensity", "controls.lights[]") * 0.5, 0.03, 1)


def _shift_kelvin(m: Manifest, delta: float, bound: float) -> None:
    for light in lights(m):
        kelvin = _get(light, "color_temperature", "controls.lights[]") + delta
        kelvin = min(kelvin, bound) if delta < 0 else max(kelvin, bound)
        _set(light, "color_temperature", kelvin, 1500, 12000, 0)


def warmer(m: Manifest) -> None:
    _shift_kelvin(m, -1500, 4300)  # at least "slightly warm" in the compiled words


def cooler(m: Manifest) -> None:
    _shift_kelvin(m, 1500, 6500)  # at least "cool"


def more_contrast(m: Manifest) -> None:
    fill = light_of(m, "fill")
    if fill is not None:
        _set(fill, "intensity", _get(fill, "intensity", "controls.lights[]") * 0.5, 0.03, 1)
    _set(shadows(m), "intensity", _get(shadows(m), "intensity", "controls.shadows") + 0.2, 0, 1)


def less_contrast(m: Manifest) -> None:
    fill = light_of(m, "fill")
    if fill is None:
        fill = dict(default_for("controls.lights")[1])
        lights(m).append(fill)
    _set(fill, "intensity", max(_get(fill, "intensity", "controls.lights[]") * 1.8, 0.5), 0, 1)
    _set(shadows(m), "intensity", _get(shadows(m), "intensity", "controls.shadows") - 0.2, 0, 1)


# ---------------------------------------------------------------- shadows
def softer_shadows(m: Manifest) -> None:
    softer_light(m)
    s = shadows(m)
    _set(s, "intensity", _get(s, "intensity", "controls.shadows") - 0.1, 0.1, 1)
    if s.get("style") == "none":
        s["style"] = "cast"


def harder_shadows(m: Manifest) -> None:
    harder_light(m)
    shadows(m)["style"] = "cast"


def longer_shadows(m: Manifest) -> None:
    key = key_light(m)
    key["elevation"] = 10
    if abs(_get(key, "azimuth", "controls.lights[]")) <= 15:
        key["azimuth"] = -60  # frontal shadows hide behind the product
    shadows(m)["style"] = "cast"


def shorter_shadows(m: Manifest) -> None:
    key_light(m)["elevation"] = 65


def darker_shadows(m: Manifest) -> None:
    s = shadows(m)
    _set(s, "intensity", _get(s, "intensity", "controls.shadows") + 0.25, 0, 1)
    s["style"] = "cast" if s.get("style") == "none" else s.get("style", "cast")


def lighter_shadows(m: Manifest) -> None:
    s = shadows(m)
    _set(s, "intensity", _get(s, "intensity", "controls.shadows") - 0.2, 0.05, 1)


# ---------------------------------------------------------------- camera
def _scale(key: str, factor: float, low: float, high: float) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        cam = camera(m)
        _set(cam, key, _get(cam, key, "controls.camera") * factor, low, high)
    return apply


def _shift(key: str, delta: float, low: float, high: float) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        cam = camera(m)
        _set(cam, key, _get(cam, key, "controls.camera") + delta, low, high, 0)
    return apply


def more_blur(m: Manifest) -> None:
    cam = camera(m)
    _set(cam, "aperture", max(1.2, min(_get(cam, "aperture", "controls.camera") / 2, 2.0)), 0.7, 64,
         1)


def less_blur(m: Manifest) -> None:
    cam = camera(m)
    _set(cam, "aperture", max(_get(cam, "aperture", "controls.camera") * 2, 8.0), 0.7, 64, 1)


# ---------------------------------------------------------------- background
def _mix_background(toward: tuple[int, int, int]) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        bg = background(m)
        rgb = hex_to_rgb(bg.get("color") or default_for("controls.background.color"))
        bg["color"] = rgb_to_hex(tuple(c + (t - c) * 0.4 for c, t in zip(rgb, toward, strict=True)))
    return apply


_MORE = r"(?:(?:a\s+)?(?:bit|little|lot|touch|tad)\s+|much\s+|slightly\s+|even\s+|far\s+|way\s+)?"
_BG = r"(?:back(?:ground|drop)|bg|wall|sweep|seamless|setting)"
# (pattern, edit) in order: the first match of a pattern is taken and its words consumed.
RELATIVE: list[tuple[re.Pattern[str], Callable[[Manifest], None]]] = [(re.compile(p, I), f)
                                                                       for p, f in (
    (rf"\b(?:{_BG}\s+(?:is\s+)?{_MORE}(?:darker|deeper)|{_MORE}(?:darker|deeper)\s+{_BG}|darken\s+(?:the\s+)?{_BG})\b",
     _mix_background((0, 0, 0))),
    (rf"\b(?:{_BG}\s+(?:is\s+)?{_MORE}(?:lighter|brighter|paler)|{_MORE}(?:lighter|brighter|paler)\s+{_BG}|"
     rf"lighten\s+(?:the\s+)?{_BG})\b", _mix_background((255, 255, 255))),
    (rf"\bshadows?\s+(?:look\s+)?{_MORE}(?:softer|gentler|more\s+diffused?|less\s+harsh|fuzzier)\b|"
     rf"\b{_MORE}(?:softer|gentler|more\s+diffused?|less\s+harsh)\s+shadows?\b|\bsoften\s+(?:the\s+)?shadows?\b",
     softer_shadows),
    (rf"\bshadows?\s+{_MORE}(?:harder|sharper|crisper|harsher|more\s+defined)\b|"
     rf"\b{_MORE}(?:harder|sharper|crisper|harsher|more\s+defined)\s+shadows?\b", harder_shadows),
    (rf"\bshadows?\s+{_MORE}(?:longer|more\s+elongated)\b|\b{_MORE}longer\s+shadows?\b|"
     rf"\blengthen\s+(?:the\s+)?shadows?\b", longer_shadows),
    (rf"\bshadows?\s+{_MORE}shorter\b|\b{_MORE}shorter\s+shadows?\b", shorter_shadows),
    (rf"\bshadows?\s+{_MORE}(?:darker|deeper|stronger|heavier|more\s+pronounced)\b|"
     rf"\b{_MORE}(?:darker|deeper|stronger|heavier)\s+shadows?\b|\bdeepen\s+(?:the\s+)?shadows?\b",
     darker_shadows),
    (rf"\bshadows?\s+{_MORE}(?:lighter|fainter|weaker|subtler|more\s+subtle|less\s+dark)\b|"
     rf"\b{_MORE}(?:lighter|fainter|weaker|subtler)\s+shadows?\b", lighter_shadows),
    (rf"\b(?:{_MORE}(?:more|stronger|extra)\s+(?:background\s+)?(?:blur|bokeh)|{_MORE}blurr(?:ier|ed)\s+"
     rf"(?:background|backdrop)|(?:background|backdrop)\s+{_MORE}blurrier|{_MORE}shallower(?:\s+(?:depth\s+of"
     rf"\s+field|focus))?|open\s+up\s+(?:the\s+)?aperture|wider\s+aperture|blur\s+(?:the\s+)?"
     rf"(?:background|backdrop)(?:\s+more)?)\b", more_blur),
    (rf"\b(?:less\s+(?:background\s+)?(?:blur|bokeh)|{_MORE}sharper\s+(?:background|backdrop)|"
     rf"{_MORE}deeper\s+(?:depth\s+of\s+field|focus)|more\s+(?:depth\s+of\s+field|in\s+focus)|stop\s+down|"
     rf"narrower\s+aperture)\b", less_blur),
    (rf"\b(?:{_MORE}(?:closer|tighter)(?:\s+(?:shot|crop|framing|in))?|zoom(?:ed)?\s+in|crop\s+(?:in\s+)?"
     rf"tighter|move\s+in|get\s+closer|push\s+in)\b", _scale("distance_m", 0.6, 0.1, 100)),
    (rf"\b(?:{_MORE}(?:further|farther)\s+(?:away|back)?|zoom(?:ed)?\s+out|pull\s+back|back\s+up|"
     rf"{_MORE}wider\s+(?:shot|framing|view|crop)|show\s+more\s+of\s+the\s+(?:scene|background))\b",
     _scale("distance_m", 1.6, 0.1, 100)),
    (rf"\b{_MORE}wider(?:[\s-]angle)?\s+lens\b|\bshorter\s+(?:lens|focal\s+length)\b",
     _scale("focal_length_mm", 0.6, 8, 1200)),
    (rf"\b(?:{_MORE}longer\s+(?:lens|focal\s+length)|more\s+telephoto|more\s+compression)\b",
     _scale("focal_length_mm", 1.6, 8, 1200)),
    (rf"\b(?:{_MORE}lower\s+(?:camera\s+)?(?:angle|the\s+camera|camera|vantage|viewpoint|perspective)|lower\s+"
     rf"the\s+camera|from\s+(?:a\s+)?{_MORE}lower|camera\s+{_MORE}lower)\b",
     _shift("elevation", -25, -90, 90)),
    (rf"\b(?:{_MORE}higher\s+(?:camera\s+)?(?:angle|camera|vantage|viewpoint|perspective)|raise\s+the\s+camera|"
     rf"from\s+(?:a\s+)?{_MORE}higher|camera\s+{_MORE}higher)\b", _shift("elevation", 25, -90, 90)),
    (r"\btilt\s+(?:the\s+camera\s+)?down(?:ward)?\b|\blook\s+down\s+more\b",
     _shift("elevation", 20, -90, 90)),
    (r"\btilt\s+(?:the\s+camera\s+)?up(?:ward)?\b", _shift("elevation", -20, -90, 90)),
    (rf"\b(?:{_MORE}(?:warmer|more\s+warm(?:th)?|less\s+cool|less\s+blue)|warm\s+(?:it|the\s+"
     rf"(?:light|lighting|image|tones?))\s+up|add\s+(?:some\s+)?warmth)\b", warmer),
    (rf"\b(?:{_MORE}(?:cooler|colder|bluer|more\s+cool|less\s+warm))\b", cooler),
    (rf"\b(?:{_MORE}(?:softer|more\s+diffused?|gentler|less\s+harsh|more\s+soft)(?:\s+(?:light|lighting))?|"
     rf"diffuse\s+(?:the\s+)?light|soften\s+(?:the\s+)?(?:light|lighting))\b", softer_light),
    (rf"\b(?:{_MORE}(?:harder|harsher|crisper|more\s+directional|less\s+soft|less\s+diffused)(?:\s+"
     rf"(?:light|lighting))?)\b", harder_light),
    (rf"\b(?:{_MORE}(?:more|higher|stronger|punchier)\s+contrast|{_MORE}punchier|{_MORE}more\s+contrasty)\b",
     more_contrast),
    (rf"\b(?:{_MORE}(?:less|lower)\s+contrast|{_MORE}flatter\s+light|open\s+up\s+the\s+shadows|"
     rf"more\s+fill(?:\s+light)?|fill\s+(?:in\s+)?the\s+shadows)\b", less_contrast),
    (rf"\b(?:{_MORE}(?:brighter|lighter|more\s+light|more\s+exposure)|brighten(?:\s+(?:it|the\s+\w+))?(?:\s+up)?|"
     rf"turn\s+(?:the\s+)?lights?\s+up|increase\s+(?:the\s+)?(?:exposure|brightness)|well[\s-]lit)\b",
     brighter),
    (rf"\b(?:{_MORE}(?:darker|dimmer|moodier|less\s+light|less\s+exposure)|dim\s+(?:the\s+)?lights?|"
     rf"turn\s+(?:the\s+)?lights?\s+down|reduce\s+(?:the\s+)?(?:exposure|brightness)|darken(?:\s+it)?)\b",
     darker),
)]
def flip_lights(m: Manifest) -> None:
    for light in lights(m):
        az = _get(light, "azimuth", "controls.lights[]")
        if abs(az) not in (0, 180):
            light["azimuth"] = -int(az) if float(az).is_integer() else -az


def _key_shift(delta: float) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        key = key_light(m)
        _set(key, "elevation", _get(key, "elevation", "controls.lights[]") + delta, -90, 90, 0)
    return apply


def add_shadow(m: Manifest) -> None:
    s = shadows(m)
    s["style"] = "cast"
    _set(s, "intensity", max(_get(s, "intensity", "controls.shadows"), 0.5), 0, 1)


def add_backlight(m: Manifest) -> None:
    rim = light_of(m, "rim")
    if rim is None:
        rim = {"role": "rim"}
        lights(m).append(rim)
    rim.update(azimuth=180, elevation=20, intensity=0.8, softness=0.3)
    rim.setdefault("color_temperature", int(_get(key_light(m), "color_temperature",
                                                 "controls.lights[]")))


def _off(role: str) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        controls(m)["lights"] = [x for x in lights(m) if x["role"] != role]
    return apply


def _show(azimuth: float, elevation: float | None = None) -> Callable[[Manifest], None]:
    def apply(m: Manifest) -> None:
        cam = camera(m)
        cam["azimuth"] = azimuth
        if elevation is not None:
            cam["elevation"] = elevation
    return apply


Edit = tuple[re.Pattern[str], Callable[[Manifest], None]]
MORE_RELATIVE: list[Edit] = [(re.compile(p, I), f) for p, f in (
    (r"\b(?:flip|mirror|swap|reverse)\s+(?:the\s+)?(?:light(?:ing|s)?|light\s+sides?|key\s+light)\b",
     flip_lights),
    (r"\b(?:(?:key|main|the)\s+light\s+(?:a\s+bit\s+|much\s+)?higher|raise\s+the\s+(?:key\s+|main\s+)?"
     r"light)\b", _key_shift(25)),
    (r"\b(?:(?:key|main|the)\s+light\s+(?:a\s+bit\s+|much\s+)?lower|lower\s+the\s+(?:key\s+|main\s+)?"
     r"light)\b", _key_shift(-25)),
    (r"\badd\s+(?:a\s+|some\s+)?(?:cast\s+)?shadows?\b", add_shadow),
    (r"\b(?:reduce|lessen|minimi[sz]e|lighten|weaken|fade)\s+(?:the\s+)?shadows?\b|\bless\s+shadows?\b|"
     r"\bfewer\s+shadows\b", lighter_shadows),
    (r"\bshow\s+(?:the\s+|its\s+)?(?:back|rear)(?:\s+(?:side|view))?\b", _show(180)),
    (r"\bshow\s+(?:the\s+|its\s+)?(?:left\s+)?side\b", _show(-90, 0)),
    (r"\bshow\s+(?:the\s+|its\s+)?right\s+side\b", _show(90, 0)),
    (r"\bshow\s+(?:the\s+|its\s+)?front\b", _show(0)),
    (r"\bshow\s+(?:the\s+|its\s+)?top\b", _show(0, 90)),
    (r"\b(?:make\s+it\s+)?pop\b|\bmore\s+punch\b", more_contrast),
    (r"\b(?:increase|raise|boost|up)\s+(?:the\s+)?(?:light(?:ing)?\s+|key\s+(?:light\s+)?)?"
     r"(?:intensity|power|brightness|exposure)\b|\bmore\s+(?:light|exposure)\b", brighter),
    (r"\b(?:decrease|reduce|lower|cut)\s+(?:the\s+)?(?:light(?:ing)?\s+|key\s+(?:light\s+)?)?"
     r"(?:intensity|power|brightness|exposure)\b", darker),
    (r"\badd\s+(?:some\s+|more\s+|a\s+)?fill(?:\s+light)?\b|\b(?:lift|open\s+up|fill\s+in)\s+"
     r"(?:the\s+)?shadows?\b", less_contrast),
    (r"\bsharpen\s+(?:the\s+)?(?:background|backdrop|everything|image)\b|\b(?:increase|more|deeper)\s+"
     r"(?:the\s+)?depth\s+of\s+field\b", less_blur),
    (r"\b(?:decrease|reduce|less|shallower)\s+(?:the\s+)?depth\s+of\s+field\b", more_blur),
    (r"\badd\s+(?:a\s+)?(?:back\s*light|light\s+(?:from\s+)?behind(?:\s+(?:the|it)\s*\w*)?)\b",
     add_backlight),
    (r"\bfill\s+light\s+off\b", _off("fill")),
    (r"\b(?:rim|hair)\s+light\s+off\b", _off("rim")),
    (r"\bbackground\s+light\s+off\b", _off("background")),
    (r"\bwarm\s+up(?:\s+the\s+(?:light(?:ing)?|image|scene|tones?|colou?rs?))?\b|"
     r"\bwarm\s+(?:the\s+)?(?:light(?:ing)?|image|scene|tones?)\s+up\b", warmer),
    (r"\bcool\s+(?:it\s+)?down(?:\s+the\s+(?:light(?:ing)?|image|scene|tones?))?\b", cooler),
)]
ROTATE = re.compile(r"\b(?:rotate|turn|orbit|swing)\s+(?:the\s+)?(?:camera|view|product|it|"
                    r"shot)\s+(?:around\s+)?(?:by\s+)?(?:(?P<n>\d{1,3})\s*degrees?\s+)?(?:to\s+"
                    r"(?:the\s+)?|toward\s+(?:the\s+)?)?(?P<side>left|right)\b", I)


def rotate(m: Manifest, match: re.Match[str]) -> None:
    n = int(match.group("n") or 30)
    cam = camera(m)
    delta = -n if match.group("side").lower() == "left" else n
    az = _get(cam, "azimuth", "controls.camera") + delta
    cam["azimuth"] = int(max(-180, min(180, az)))
