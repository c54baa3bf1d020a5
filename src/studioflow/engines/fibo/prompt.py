"""FIBO's text: a manifest's ``fibo`` caption serialised the way Bria's reference code does.

Bria's rules (``prepare_clean_caption`` in Bria's FIBO repository): keep only the caption's
fields, in FIBO's order; drop empty values (None, "", [], {}, NaN) recursively, including
containers that become empty; set ``aesthetics.preference_score`` and
``aesthetics.aesthetic_score`` to "very high"; dump compact JSON with ASCII escapes.
"""

from __future__ import annotations

import json
import math
from typing import Any

from studioflow.schema import field_order, ordered

TOP_SCORE = "very high"
SCORES = ("preference_score", "aesthetic_score")
PHOTO_MEDIA = ("photograph", "photography", "photo")
# Steers a photograph away from illustration (Bria's default negative prompt for photos).
PHOTO_NEGATIVE = {"style_medium": "digital illustration", "artistic_style": "non-realistic"}


def _empty(value: Any) -> bool:
    return (value is None or (isinstance(value, str | list | dict) and not value)
            or (isinstance(value, float) and math.isnan(value)))


def drop_empty(value: Any) -> Any:
    """``value`` without empty members, bottom-up (a dict of empties is itself empty)."""
    if isinstance(value, dict):
        cleaned = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if not _empty(v)}
    if isinstance(value, list):
        cleaned_items = [drop_empty(v) for v in value]
        return [v for v in cleaned_items if not _empty(v)]
    return value


def dumps(caption: dict[str, Any]) -> str:
    """Compact JSON exactly as Bria's ``ujson.dumps`` writes it."""
    return json.dumps(caption, separators=(",", ":"), ensure_ascii=True)


def caption_dict(fibo: dict[str, Any]) -> dict[str, Any]:
    """The cleaned caption as a dict, in FIBO's order, scores set."""
    fields = field_order("fibo")
    caption = drop_empty({k: fibo[k] for k in fields if k in fibo})
    aesthetics = caption.setdefault("aesthetics", {})
    for key in SCORES:
        aesthetics[key] = TOP_SCORE
    return ordered({"fibo": caption})["fibo"]


def serialize(fibo: dict[str, Any]) -> str:
    """FIBO's prompt string for a manifest's ``fibo`` section."""
    return dumps(caption_dict(fibo))


def negative_prompt(given: str | dict[str, Any] | None, fibo: dict[str, Any],
                    guidance_scale: float) -> str | None:
    """The negative prompt string, or None when guidance is off (FIBO ignores it then).

    A dict is a partial caption, serialised like the prompt but without scores; a string is
    passed as written; without one, photographs get Bria's default.
    """
    if guidance_scale <= 1:
        return None
    if isinstance(given, dict):
        return dumps(_ordered_partial(drop_empty(given)))
    if isinstance(given, str) and given.strip():
        return given
    if str(fibo.get("style_medium", "")).strip().lower() in PHOTO_MEDIA:
        return dumps(PHOTO_NEGATIVE)
    return ""


def _ordered_partial(caption: dict[str, Any]) -> dict[str, Any]:
    fields = field_order("fibo")
    known = {k: caption[k] for k in fields if k in caption}
    return {**ordered({"fibo": known})["fibo"],
            **{k: v for k, v in caption.items() if k not in known}}
