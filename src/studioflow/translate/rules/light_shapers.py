"""Light shapers and named setups read from a sentence: "beauty dish overhead", "two strip
boxes as rims", "bounce card on the right", "black flag for negative fill", "gobo", "hair
light", "clamshell lighting", and the quality words of a light phrase ("soft", "hard", a
coloured gel). ``extract_light`` calls them; the vocabulary is in ``light_setups``."""

from __future__ import annotations

import re

from studioflow.translate.rules.color_words import COLOR, colors_in
from studioflow.translate.rules.findings import Findings
from studioflow.translate.rules.light_setups import (
    AS_RIM,
    GOBO,
    MODIFIERS,
    NEGATIVE_FILL,
    SETUP,
    SUN_WINDOW,
    setup_name,
)
from studioflow.translate.rules.light_words import (
    GEL,
    HARD,
    NEUTRAL_LIGHT,
    RIM,
    SOFT,
    TWO_RIMS,
)
from studioflow.translate.rules.scan import Scan

I = re.IGNORECASE  # noqa: E741


def shadow_source(text: str) -> str:
    if "blind" in text:
        return "sunlight through window blinds"
    if "window" in text:
        return "sunlight through a window, casting window-pane shadows"
    if "palm" in text:
        return "dappled sunlight through palm leaves"
    return "dappled sunlight through leaves"


def find_setups(scan: Scan, f: Findings) -> list[re.Match[str]]:
    """Named setups ("clamshell lighting", "Rembrandt-style light"); their words are taken
    after the light phrases have read their qualities ("soft clamshell lighting")."""
    found = []
    for m in scan.matches(SETUP, take=False):
        name = setup_name(m)
        if name:
            f.light_setup = name
            found.append(m)
    return found


def extract_modifiers(scan: Scan, f: Findings) -> None:
    """Light shapers: "beauty dish", "two strip lights as rims", "bounce card on the right",
    "black flag for negative fill", "gobo"."""
    for pattern, role, values, source in MODIFIERS:
        for m in scan.matches(pattern):
            rim = AS_RIM.match(scan.text[m.end():])
            if rim:
                scan.take(m.end(), m.end() + rim.end())
                rim_light(f, source)
                if re.search(r"\b(?:two|pair|dual|both)\b", m.group(0), I):
                    f.extra_rims = 1
            else:
                f.light(role).update(values)
                if role == "key":
                    f.key_sources.append(source)
                else:
                    f.light(role)["source"] = source
                quality(f, m.group(0), role)
                overhead_after(scan, f, m.end(), role)
            f.light_words.append(m.group(0))
    for m in scan.matches(NEGATIVE_FILL):
        f.lights_off.add("fill")
        f.light("key")
        f.light_notes.append("black flag for negative fill")
        f.light_words.append(m.group(0))
    for m in scan.matches(GOBO):
        f.key_sources.append("spotlight through a gobo, casting patterned shadows")
        f.light("key").update(softness=0.25)
        f.light_words.append(m.group(0))
    for m in scan.matches(SUN_WINDOW):
        time = (m.group("time") or "").lower()
        sun = "morning sun" if re.search(r"morning|sunrise", time) else \
            "golden hour sun" if re.search(r"golden|sunset|evening|late", time) else "sun"
        f.key_sources += [sun, "window"]
        if sun != "sun":
            f.light("*").setdefault("color_temperature", 4300 if sun == "morning sun" else 3300)
        f.light("key").update(softness=0.3, elevation=35)
        f.light_words.append(m.group(0))


OVERHEAD_AFTER = re.compile(r"^\s*(?:placed\s+|mounted\s+|hung\s+)?(?:directly\s+|straight\s+|"
                            r"high\s+)?(?:overhead|above(?:\s+(?:it|the\s+product))?|up\s+high|on\s+top|"
                            r"from\s+(?:directly\s+)?above)\b", I)


WINDOW_AFTER = re.compile(r"^\s*(?:(?:coming|streaming|pouring|falling|spilling|shining|"
                          r"flooding)\s+)?(?:in\s+)?(?:from|through|via)\s+(?:an?\s+|the\s+)?"
                          r"(?:[\w-]+\s+){0,2}?windows?\b", I)


def window_after(scan: Scan, f: Findings, end: int) -> None:
    """ "morning light coming from the window": the light is window light."""
    m = WINDOW_AFTER.match(scan.masked[end:end + 60])
    if m:
        scan.take(end, end + m.end())
        f.key_sources.append("window")
        f.light_words.append(m.group(0).strip())


def overhead_after(scan: Scan, f: Findings, end: int, role: str) -> None:
    """ "beauty dish overhead", "softbox above": the light's height, not the camera's."""
    m = OVERHEAD_AFTER.match(scan.masked[end:end + 40])
    if m:
        scan.take(end, end + m.end())
        f.light(role).update(azimuth=0, elevation=80 if role == "key" else 60)
        f.light_words.append(m.group(0).strip())


def rim_light(f: Findings, source: str | None = None) -> dict:
    rim = f.light("rim")
    for k, v in (("azimuth", 150), ("elevation", 30), ("intensity", 0.8), ("softness", 0.3)):
        rim.setdefault(k, v)
    if source:
        rim["source"] = source
    return rim


RIM_TINT = re.compile(rf"(?:{COLOR})(?:\s*(?:,|and|&)\s*(?:{COLOR}))*(?:\s+(?:neon|gel(?:led)?|"
                      rf"led|rgb|colou?red))?\s+$", I)


def extract_rims(scan: Scan, f: Findings) -> None:
    for m in scan.matches(RIM):
        named = re.match(r"(hair|kicker|edge|accent|separation)", m.group(0), I)
        rim = rim_light(f, f"{named.group(1).lower()} light" if named else None)
        clause = scan.clause_text(m.start())
        if TWO_RIMS.search(clause):
            f.extra_rims = 1
        if re.search(r"\b(?:dramatic|strong|bright|bold|intense)\b", clause):
            rim["intensity"] = 1.0
        elif re.search(r"\b(?:subtle|soft|gentle|faint)\b", clause):
            rim["intensity"] = 0.5
        words = scan.before(m.start(), 30).split()[-2:]
        tints = RIM_TINT.search(scan.before(m.start(), 40))
        if tints:  # "a blue rim light", "purple and cyan neon rim lights": gelled rims
            names = [name for name, _ in colors_in(tints.group(0))]
            rim["source"] = f"{' and '.join(names)} gel light"
            start = m.start() - len(tints.group(0))
            if scan.free(start, m.start()):
                scan.take(start, m.start())  # the colours are the light's, not the product's
        f.light_words.append(" ".join([*[w for w in words if w.isalpha()], m.group(0)]).strip())


def quality(f: Findings, text: str, role: str = "key") -> None:
    said = role == "key"
    if re.search(r"\b(?:very|extra|ultra|super)\s+soft\b", text, I):
        f.light(role)["softness"] = 0.95
        f.softness_said = f.softness_said or said
    elif SOFT.search(text):
        f.light(role)["softness"] = 0.85
        f.softness_said = f.softness_said or said
    elif HARD.search(text):
        f.light(role)["softness"] = 0.15
        f.softness_said = f.softness_said or said
    if role != "key":
        return
    tint = GEL.search(text)
    if tint and tint.group(1) and tint.group(1).lower().split()[-1] in NEUTRAL_LIGHT:
        tint = None  # "soft white light", "golden light" are not gels
    if tint and tint.group(1):
        gel(f, tint.group(1), tint.group(2))
    elif tint or re.search(r"colou?red", text, I):
        named = [name for name, _ in colors_in(text)]  # "neon pink backlight"
        gel(f, named[0] if named else None, named[1] if len(named) > 1 else None)


def gel(f: Findings, first: str | None, second: str | None) -> None:
    """Coloured light: the key takes the first colour, a rim light the second."""
    name = f"{first.lower()} neon gel light" if first else "neon gel light"
    f.light("key").update(source=name, softness=0.4)
    f.key_sources.append(name)
    f.light("fill").setdefault("intensity", 0.15)
    if second:
        f.light("rim").update(source=f"{second.lower()} neon gel light", azimuth=150,
                              elevation=20, intensity=0.9, softness=0.4)
