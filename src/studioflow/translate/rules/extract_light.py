"""Light and shadows: "soft window light from the left", "golden hour", "rim light",
"hard shadows", "5600K" -> values for the key, fill, rim and background lights and
``controls.shadows``.

Angles follow the schema: azimuth negative = frame left, positive = frame right, 0 = front,
180 = behind; elevation 90 = overhead.
"""

from __future__ import annotations

import re

from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.light_setups import (
    apply_setup,
    key_source,
)
from studioflow.translate.rules.light_shapers import (
    extract_modifiers,
    extract_rims,
    find_setups,
    overhead_after,
    quality,
    shadow_source,
    window_after,
)
from studioflow.translate.rules.light_words import (
    ALIASES,
    BACKGROUND_LIGHT,
    BACKLIGHT,
    CAMERA_CONTEXT,
    CONTACT,
    DEGREES,
    DIRECTION,
    FRONTLIGHT,
    HARD_EDGE,
    KELVIN,
    KEY_DIRECTIONS,
    LEAF_SHADOWS,
    LIGHT_BEHIND,
    LIGHT_CONTEXT,
    LIGHT_PHRASE,
    LIGHT_SIDE,
    NO_SHADOW,
    PRESETS,
    REFLECTION,
    REFLECTIVE,
    ROLE_OF,
    ROLE_WORDS,
    SHADOW_PHRASE,
    SHADOW_WORDS,
    SIDE_AFTER,
    SIDELIGHT,
    SOFT_EDGE,
    STANDALONE,
    TOPLIGHT,
    UNDERLIGHT,
)
from studioflow.translate.rules.scan import Scan

I = re.IGNORECASE  # noqa: E741


# ------------------------------------------------------------------ extraction
def extract_lighting(scan: Scan, f: Findings) -> None:
    for m in scan.matches(LEAF_SHADOWS):  # a gobo of leaves or blinds in the sunlight
        source = shadow_source(m.group(0).lower())
        f.light("key").update(source=source, softness=0.3)
        f.key_sources.append(source)
        f.light_words.append(m.group(0))
    setups = find_setups(scan, f)
    extract_modifiers(scan, f)
    soft_hint = _shadows(scan, f)
    _background_light(scan, f)
    extract_rims(scan, f)
    _phrases(scan, f)
    _directions(scan, f)
    for m in setups:
        if scan.free(m.start(), m.end()):
            scan.take(m.start(), m.end())
            f.light_words.append(m.group(0))
    if f.light_setup:
        apply_setup(f, f.light_setup)
    if f.key_sources or f.light_setup or f.light_notes:
        f.light("key")["source"] = key_source(f.key_sources, f.light_setup, f.light_notes)
    for m in scan.matches(KELVIN):
        kelvin = max(1500, min(12000, int(m.group(1))))
        f.light("*")["color_temperature"] = kelvin
        f.light_words.append(f"{kelvin}K")
    if soft_hint is not None and not f.softness_said:
        f.light("key")["softness"] = soft_hint
    for start, end in scan.punctuation_spans():
        word = scan.masked[start:end].strip().lower()
        if word in BARE_TEMPERATURE:  # "..., warm, ..." alone: the light's colour
            scan.take(start, end)
            f.light("*").setdefault("color_temperature", BARE_TEMPERATURE[word])
            f.light_words.append(word)


BARE_TEMPERATURE = {"warm": 3600, "warm tones": 3600, "warm glow": 3300, "cool": 7000,
                    "cold": 7500, "cool tones": 7000, "warm light": 3300, "cool light": 7000}




def _shadows(scan: Scan, f: Findings) -> float | None:
    """``controls.shadows`` from shadow words; returns the key softness they imply."""
    hint = None
    for _ in scan.matches(NO_SHADOW):
        f.shadows["style"] = "none"
    for m in scan.matches(CONTACT):
        f.shadows["style"] = "contact"
        if re.search(r"soft|subtle|gentle|light|faint", m.group(0), I):
            f.shadows["intensity"] = 0.35
    for m in scan.matches(REFLECTION):
        f.shadows["reflection"] = not re.match(r"(?:no|without)\b", m.group(0), I)
        if f.shadows["reflection"] and "mirror" in m.group(0).lower():
            f.background["_mirror"] = True  # "a mirror reflection": the surface is a mirror
    if "reflection" not in f.shadows and REFLECTIVE.search(scan.masked):
        f.shadows["reflection"] = True
    for m in scan.matches(SHADOW_PHRASE):
        words = [w for w in re.split(r"[\s,]+|\band\b", m.group("adj").lower()) if w]
        words = ["barely visible" if w == "barely-visible" else w for w in words]
        if not words and not m.group("side"):
            continue  # a bare "shadows" says nothing
        f.shadows.setdefault("style", "cast")
        f.light_words.append(re.sub(r"^with\s+", "", m.group(0), flags=I))
        for w in words:
            if w in SHADOW_WORDS:
                f.shadows["intensity"] = SHADOW_WORDS[w]
            if w in HARD_EDGE:
                hint = 0.2
            elif w in SOFT_EDGE:
                hint = 0.85
            elif w in ("long", "elongated"):
                f.light("key")["elevation"] = 10
            elif w == "short":
                f.light("key")["elevation"] = 70
        if m.group("side"):  # shadows fall away from the light
            key = f.light("key")
            key["azimuth"] = 60 if m.group("side").lower() == "left" else -60
            key.setdefault("elevation", 30)
    return hint


def _background_light(scan: Scan, f: Findings) -> None:
    for m in scan.matches(BACKGROUND_LIGHT):
        f.light("background").update(azimuth=180, elevation=0, intensity=0.7, softness=0.7)
        if "halo" in m.group(0).lower() or "behind" in m.group(0).lower():
            f.light("background")["intensity"] = 0.8
        f.light_words.append(m.group(0))


def _apply_preset(f: Findings, text: str) -> None:
    for pattern, lights, extra in PRESETS:
        if not pattern.search(text):
            continue
        for role, values in lights.items():
            if role == "rim":
                rim = f.light("rim")
                for k, v in (("azimuth", 150), ("elevation", 35), ("intensity", 0.7),
                             ("softness", 0.4)):
                    rim.setdefault(k, v)
                continue
            target = f.light(role)
            if role == "*" and extra.get("weak_kelvin") and "color_temperature" in target:
                continue  # "golden hour window light": the hour sets the colour, not the window
            target.update(values)
            if role == "key" and "source" in values:
                f.key_sources.append(values["source"])
        for role in extra.get("off", ()):
            f.lights_off.add(role)
        for k, v in extra.get("shadows", {}).items():
            f.shadows.setdefault(k, v)
        if extra.get("dark_backdrop"):
            f.background.setdefault("_dark", True)
        if extra.get("light_backdrop"):
            f.background.setdefault("_light", True)


# "a designer table lamp": the lamp is the product, not a light on it
_LAMP_PRODUCT = re.compile(r"\b(?:table|desk|floor|pendant|bedside|reading|arc|designer|ceramic|"
                           r"brass|glass|lava|salt|wall|tripod|mushroom|vintage|modern|rattan|"
                           r"paper|standing|led|bankers?|piano|clamp)\s+$", I)


def _phrases(scan: Scan, f: Findings) -> None:
    found = []
    for m in scan.matches(LIGHT_PHRASE, take=False):
        if re.fullmatch(r"lamps?", m.group(0).strip(), I) and \
                _LAMP_PRODUCT.search(scan.text[max(0, m.start() - 20):m.start()]):
            continue
        scan.take(m.start(), m.end())
        found.append((m.start(), m.group(0)))
    found += [(m.start(), m.group(0)) for m in scan.matches(STANDALONE)]
    for pos, text in sorted(found):
        if re.fullmatch(r"(?:(?:in|with|by|under|from)\s+)?(?:the\s+)?(?:lights?|lit)", text, I):
            continue
        _apply_preset(f, text)
        quality(f, text)
        _direction_words(scan, f, pos, text)
        overhead_after(scan, f, pos + len(text), _role_before(scan, pos + len(text)))
        window_after(scan, f, pos + len(text))
        words = re.sub(r"^(?:lit|illuminated|bathed|lighted)\s+(?:by|with|in)\s+|"
                       r"^(?:in|under|with|using|by|from|lighting:?)\s+", "", text.strip(), flags=I)
        f.light_words.append(words)


def _direction_words(scan: Scan, f: Findings, pos: int, text: str) -> None:
    """Directions named inside the light phrase itself: "backlit", "side light", "top light"."""
    clause = scan.clause_text(pos)
    side = 1 if "right" in clause else -1
    key = f.light("key")
    if BACKLIGHT.search(text):
        behind = 180 if "left" not in clause and "right" not in clause else 150 * side
        key.update(azimuth=behind, elevation=15)
    elif SIDELIGHT.search(text):
        key.update(azimuth=90 * side, elevation=10)
    elif TOPLIGHT.search(text):
        key.update(azimuth=0, elevation=85)
    elif FRONTLIGHT.search(text):
        key.update(azimuth=0, elevation=15)
    elif UNDERLIGHT.search(text):
        key.update(azimuth=0, elevation=-45)


def _role_before(scan: Scan, pos: int) -> str:
    words = ROLE_WORDS.findall(scan.before(pos, 50))
    if not words:
        return "key"
    w = words[-1].lower().split()[0]
    if w in ("background", "backdrop"):
        return "background"
    return ROLE_OF.get(w, "rim")


# a light or the sun, not any lit thing ("rainy window behind" is the set)
_LIGHT_SOURCE = re.compile(r"\b(?:light(?:ing|s)?|lit|sun(?:light)?|lamps?|glow|strobes?|flash|"
                           r"soft[\s-]?box|spot(?:light)?|key|fill|rim|kicker|backlight)\b"
                           r"(?:\s+(?:low|high|directly|from|coming|shining))*\s*$", re.IGNORECASE)


def light_context(scan: Scan, pos: int) -> bool:
    return bool(LIGHT_CONTEXT.search(scan.clause_text(pos)))


def _directions(scan: Scan, f: Findings) -> None:
    for m in scan.matches(LIGHT_BEHIND, take=False):
        if not _LIGHT_SOURCE.search(scan.before(m.start(), 30)) or \
                CAMERA_CONTEXT.search(scan.before(m.start(), 25)):
            continue
        scan.take(m.start(), m.end())
        side = (m.group("side") or "").lower() or None
        set_direction(f, _role_before(scan, m.start()), "behind", scan.clause_text(m.start()),
                      side)
        f.light_words.append(m.group(0))
    for m in scan.matches(DIRECTION, take=False):
        word = (m.group("dir") or m.group("side") or "").lower()
        word = re.sub(r"^the\s+", "", word)
        if word in ("above", "overhead", "below", "underneath", "beneath", "behind", "back",
                    "rear", "top", "bottom") and not light_context(scan, m.start()):
            continue  # "shot from above" is the camera's business
        if CAMERA_CONTEXT.search(scan.before(m.start(), 25)) and not light_context(scan, m.start()):
            continue
        scan.take(m.start(), m.end())
        side_hint = SIDE_AFTER.match(scan.after(m.end(), 20))
        set_direction(f, _role_before(scan, m.start()), word, scan.clause_text(m.start()),
                      side_hint.group(1) if side_hint else None)
        f.light_words.append(m.group(0))
    for m in scan.matches(LIGHT_SIDE, take=False):
        if not LIGHT_CONTEXT.search(scan.before(m.start(), 40)):
            continue
        scan.take(m.start(), m.end())
        side = m.group("side").lower()
        set_direction(f, _role_before(scan, m.start()), side, scan.clause_text(m.start()))
        f.light_words.append(f"from the {side}")
    for m in scan.matches(DEGREES, take=False):
        if not light_context(scan, m.start()) or CAMERA_CONTEXT.search(scan.clause_text(m.start())):
            continue
        scan.take(m.start(), m.end())
        n = min(180, int(m.group("n")))
        side = (m.group("side") or "").lower()
        role = _role_before(scan, m.start())
        light = f.light(role)
        if side in ("above", "high", "up", "elevation", "overhead"):
            light["elevation"] = min(90, n)
        else:
            left = side == "left" or (not side and "right" not in scan.clause_text(m.start()))
            light["azimuth"] = -n if left else n
        f.light_words.append(m.group(0))


def set_direction(f: Findings, role: str, word: str, clause: str, side: str | None = None) -> None:
    """Put the light of ``role`` where ``word`` ("upper left", "behind") says."""
    parts = [ALIASES.get(p, p) for p in re.split(r"[\s-]+", word) if p not in ("side", "hand")]
    if len(parts) == 2 and parts[1] in ("behind", "back") and parts[0] in ("left", "right"):
        parts = ["back", parts[0]]  # "from the right rear"
    key = " ".join(parts) or "side"
    key = {"upper": "above", "lower": "below"}.get(key, key)  # "from top", "from the bottom"
    if key == "behind" and side:
        key = f"back {side}"
    if key == "side":
        key = "right" if "right" in clause else "side"
    if key not in KEY_DIRECTIONS:
        key = parts[-1] if parts and parts[-1] in KEY_DIRECTIONS else "side"
    az, el = KEY_DIRECTIONS[key]
    light = f.light(role)
    if role == "fill":
        az, el = (max(-90, min(90, az)) if az else 0), min(el, 30)
        az = az if abs(az) >= 30 or key in ("front", "above", "below") else 60 * (1 if az >= 0
                                                                              else -1)
    elif role == "rim":
        az = 180 if key == "behind" else (150 if az > 0 else -150 if az < 0 else az)
        el = max(el, 20)
    light.update(azimuth=az, elevation=el)
