"""Named lighting setups ("clamshell", "Rembrandt", "split") and light modifiers ("beauty
dish", "strip box", "bounce card", "black flag", "gobo"), and the key light's ``source`` text
built from everything the sentence said about where the light comes from.

The photographer's own term is kept in the key's ``source`` (the controls compiler writes a
named source into ``lighting.conditions`` and ``lighting.direction``), and the setup's
geometry is set on the lights: clamshell = key above the lens with a fill from below,
butterfly = key high on the lens axis, Rembrandt = key about 45 degrees to the side and high,
split = key 90 degrees to the side, loop = key a little off axis and above.
"""

from __future__ import annotations

import math
import re
from typing import Any

from studioflow.translate.rules.findings import Findings

I = re.IGNORECASE  # noqa: E741

# setup -> (|key azimuth|, key elevation, fill values or None, word used in the text)
SETUPS: dict[str, tuple[int, int, dict[str, Any] | None, str]] = {
    "clamshell": (0, 45, {"azimuth": 0, "elevation": -30, "intensity": 0.5}, "clamshell"),
    "butterfly": (0, 55, None, "butterfly"),
    "paramount": (0, 55, None, "paramount (butterfly)"),
    "rembrandt": (45, 45, {"intensity": 0.15}, "Rembrandt"),
    "split": (90, 5, None, "split"),
    "loop": (35, 35, None, "loop"),
    "chiaroscuro": (45, 35, {"intensity": 0.08}, "chiaroscuro"),
    "broad": (60, 30, None, "broad"),
    "short": (60, 30, None, "short"),
}
SETUP = re.compile(r"\b(?P<name>clamshell|butterfly|paramount|rembrandt|split|loop|chiaroscuro|"
                   r"broad|short)(?:[\s-]+(?:style|type))?(?:[\s-]+(?:light(?:ing)?|lit|setup|"
                   r"pattern))?\b", I)
# "short lighting" / "broad lighting" / "split lighting" need the word lighting after them;
# "chiaroscuro", "clamshell", "rembrandt", "butterfly", "paramount" are names on their own.
_NEEDS_LIGHT = {"split", "loop", "broad", "short"}

# (pattern, role, values, source); the role's light takes the values and the source.
_QUALITY = (r"(?:(?:(?:very|extra|super)\s+)?(?:soft|large|big|small|hard|diffused|bare|single|"
            r"one|two|three|a\s+pair\s+of|pair\s+of|dual|narrow|long|tall|gridded|white|"
            r"silver)[\s-]+)*")
MODIFIERS: list[tuple[re.Pattern[str], str, dict[str, Any], str]] = [
    (re.compile(rf"\b{_QUALITY}strip[\s-]*(?:box(?:es)?|lights?|soft[\s-]?box(?:es)?|banks?)\b",
                I), "key", {"softness": 0.55}, "strip box"),
    (re.compile(rf"\b{_QUALITY}beauty[\s-]+dish(?:es)?\b", I), "key", {"softness": 0.45},
     "beauty dish"),
    (re.compile(rf"\b{_QUALITY}(?:octa[\s-]?box(?:es)?|octa(?:gon)?\s+soft[\s-]?box)\b", I),
     "key", {"softness": 0.85}, "large octabox"),
    (re.compile(rf"\b{_QUALITY}(?:shoot[\s-]through\s+)?umbrellas?\b", I), "key",
     {"softness": 0.7}, "umbrella"),
    (re.compile(r"\b(?:fresnel|snoot(?:ed)?|honeycomb\s+grid|grid(?:ded)?\s+spot)\b", I), "key",
     {"softness": 0.15}, "gridded spot"),
    (re.compile(r"\b(?:led\s+panel|light\s+panel|tube\s+lights?|light\s+tubes?)\b", I), "key",
     {}, "LED panel"),
    (re.compile(r"\b(?:scrim|diffusion\s+(?:panel|frame|screen|fabric)|silk\s+diffuser)\b", I),
     "key", {"softness": 0.85}, "light through a diffusion scrim"),
    (re.compile(r"\b(?:white\s+|silver\s+|gold\s+)?(?:bounce(?:\s+(?:card|board|fill))?|"
                r"reflectors?|fill\s+card|foam\s*core|white\s+card|v[\s-]?flats?)"
                r"(?:\s+(?:fill(?:\s+light)?|card|board))?\b", I),
     "fill", {"softness": 0.9, "intensity": 0.35}, "white bounce card"),
]
NEGATIVE_FILL = re.compile(r"\b(?:black\s+)?(?:flags?|cards?|v[\s-]?flats?)\s+(?:for|as)\s+"
                           r"negative\s+fill\b|\bnegative\s+fill(?:\s+(?:from|with)\s+(?:a\s+)?"
                           r"black\s+(?:flag|card|v[\s-]?flat))?|\bblack\s+(?:flag|card|"
                           r"v[\s-]?flat)s?\b|\bflag(?:ged)?\s+(?:off|the\s+light)\b", I)
GOBO = re.compile(r"\b(?:(?:patterned|window|leaf|foliage)\s+)?gobos?(?:\s+(?:pattern|"
                  r"projection|shadows?))?\b", I)
AS_RIM = re.compile(r"^\s*(?:lights?\s+|boxes\s+)?as\s+(?:an?\s+)?(?:rim\s+lights?|rims?|edge\s+"
                    r"lights?|kickers?|hair\s+lights?|separation(?:\s+lights?)?)\b", I)
# Where the sun comes through a window: "sun through the window", "sunlit window".
SUN_WINDOW = re.compile(r"\b(?P<time>(?:(?:early|late|soft|warm|bright|harsh|low)\s+)*(?:morning|"
                        r"afternoon|evening|golden[\s-]hour|sunset|sunrise)\s+)?"
                        r"(?:sun(?:light|shine|beams?|rays)?|sunlit)\s+(?:\w+\s+){0,2}?"
                        r"(?:through|from|in\s+through|coming\s+through|streaming\s+through|"
                        r"pouring\s+through)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?windows?\b|"
                        r"\bsunlit\s+window\b|\bwindow\s+(?:with|and)\s+(?:direct\s+|bright\s+)?"
                        r"sun(?:light|shine)?\b", I)

_TIMES = {"golden hour sun": "golden hour", "morning sun": "morning", "twilight sky": "twilight"}
_SUNS = {"sun", *_TIMES}


def key_source(sources: list[str], setup: str | None, notes: list[str]) -> str | None:
    """One phrase for the key's source from every source the sentence named, in order:
    a gobo or a window shadow beats a plain sun; sun and window together is sunlight through
    a window ("golden hour sunlight through a window"); a named setup leads the phrase."""
    seen = list(dict.fromkeys(sources))
    through = [s for s in seen if "through" in s or "gobo" in s or "gel" in s]
    suns = [s for s in seen if s in _SUNS]
    time = next((_TIMES[s] for s in reversed(suns) if s in _TIMES), "")
    studio = [s for s in seen if s not in _SUNS and s not in ("window", "natural window light")
              and s not in through]
    base: str | None
    if through:
        base = through[-1]
        if time and base.startswith(("sunlight", "dappled sunlight")):
            base = f"{time} {base}"
    elif "window" in seen and suns:
        base = f"{time} sunlight through a window".strip()
    elif studio:
        base = studio[-1]
    else:
        base = seen[-1] if seen else None
    if setup:
        word = SETUPS[setup][3]
        base = f"{word} lighting with {_article(base)}" if base else f"{word} lighting"
    if notes:
        base = f"{base or 'studio light'} ({', '.join(dict.fromkeys(notes))})"
    return base


def _article(source: str) -> str:
    if source in ("sun", "window") or source.endswith(("light", "sun", "sunlight", "leaves",
                                                       "blinds", "window")):
        return {"sun": "direct sun", "window": "window light"}.get(source, source)
    return f"{'an' if source[0] in 'aeiouAEIOU' else 'a'} {source}"


def apply_setup(f: Findings, setup: str) -> None:
    """The setup's geometry on the key (and fill), keeping the side the words chose."""
    az, el, fill, _ = SETUPS[setup]
    key = f.light("key")
    current = key.get("azimuth", -1) or -1
    key["azimuth"] = int(math.copysign(az, current)) if az else 0
    key["elevation"] = el
    if fill:
        f.light("fill").update(fill)
    if setup == "split":
        f.lights_off.add("fill")


def setup_name(match: re.Match[str]) -> str | None:
    name = match.group("name").lower()
    if name in _NEEDS_LIGHT and not re.search(r"light|lit|setup|pattern", match.group(0), I):
        return None  # "short shadows", "a split second", "loop handle"
    return name
