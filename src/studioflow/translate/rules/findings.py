"""What a sentence says, before it becomes a manifest.

Every field is ``None`` / empty when the sentence says nothing about it, so that a base
manifest (a template) keeps its own value there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from studioflow.translate.rules.product_words import ING_NOUNS, is_product_noun


@dataclass
class ObjectFinding:
    """One object (the product or a prop) in the user's words."""

    description: str
    count: int | None = None
    colors: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # "a gold cap", "water droplets"
    size: str | None = None
    location: str | None = None
    relationship: str | None = None
    orientation: str | None = None
    action: str | None = None
    is_prop: bool = False

    @property
    def head(self) -> str:
        """The noun the phrase is about: "bottle" in "a glass bottle of lemonade", "mat" in
        "blue yoga mat rolled up"."""
        return head_noun(self.description)


_CUT = re.compile(r"\s(?:of|in|into|with|on|at|from|for|against|inside|under|over|near|by)\s|,",
                  re.IGNORECASE)
# Words that follow the noun without being it: "mat rolled up", "candle burning".
PARTICLES = {
    "up", "down", "out", "off", "open", "apart", "together", "away", "upright", "flat",
    "sideways", "around", "mid-air", "midair", "shut", "closed", "standing", "sitting", "lying",
    "floating", "hanging", "leaning", "resting", "clinking", "burning", "dripping", "melting",
    "steaming", "pouring", "splashing", "spilling", "flying", "falling", "rising", "glowing",
    "sparkling", "shining", "spinning", "levitating", "hovering", "balancing", "posing",
    "displayed", "placed", "arranged", "scattered", "stacked", "folded", "rolled", "broken",
    "opened", "wrapped", "tied", "sliced", "peeled", "crushed", "spilled", "spilt", "filled",
    "topped", "coiled", "fanned", "tilted", "propped", "mirrored", "lined", "grouped",
    "positioned", "set", "laid", "piled", "strewn", "draped", "torn", "cut", "halved",
    "unboxed", "uncapped", "capped", "lit", "iced", "chilled", "frozen", "shaped", "style",
}


def head_noun(description: str) -> str:
    words = _CUT.split(description.lower(), maxsplit=1)[0].split()
    verb = next((i for i, w in enumerate(words) if i and w.endswith("ing") and len(w) > 5
                 and w not in ING_NOUNS and not is_product_noun(w)), None)
    if verb is not None:
        words = words[:verb]  # "diffuser puffing mist", "drops running down"
    while len(words) > 1 and words[-1] in PARTICLES:
        words.pop()
    return words[-1].strip(".,;:!?'\"()") if words else ""


@dataclass
class Findings:
    # lights: role -> values to set (azimuth, elevation, intensity, softness,
    # color_temperature, source); roles to add or switch off
    lights: dict[str, dict[str, Any]] = field(default_factory=dict)
    lights_off: set[str] = field(default_factory=set)
    extra_rims: int = 0  # "rim lights on both sides": a second rim light mirrored
    softness_said: bool = False  # the light's softness was stated outright
    key_sources: list[str] = field(default_factory=list)  # every source named, in order
    light_setup: str | None = None  # a named setup: "clamshell", "rembrandt", "split" ...
    light_notes: list[str] = field(default_factory=list)  # "black flag for negative fill"
    light_words: list[str] = field(default_factory=list)  # for the short description
    shadows: dict[str, Any] = field(default_factory=dict)
    camera: dict[str, Any] = field(default_factory=dict)
    camera_words: list[str] = field(default_factory=list)
    focus: str | None = None
    background: dict[str, Any] = field(default_factory=dict)
    palette: str | None = None
    composition: list[str] = field(default_factory=list)
    placement: str | None = None  # where the product sits in the frame
    mood: list[str] = field(default_factory=list)
    style_medium: str | None = None
    photographic: bool | None = None  # None: not said
    artistic: list[str] = field(default_factory=list)
    context: str | None = None
    render: dict[str, Any] = field(default_factory=dict)
    product: dict[str, Any] = field(default_factory=dict)
    texts: list[dict[str, Any]] = field(default_factory=list)
    objects: list[ObjectFinding] = field(default_factory=list)

    def light(self, role: str) -> dict[str, Any]:
        """The values to set on the light of ``role`` (created on first use)."""
        return self.lights.setdefault(role, {})

    @property
    def mentions_camera(self) -> bool:
        return bool(self.camera) or self.focus is not None

    @property
    def mentions_lighting(self) -> bool:
        return bool(self.lights or self.lights_off or self.shadows or self.extra_rims)
