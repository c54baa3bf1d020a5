"""Cut every string of a manifest to the length the schema allows at its place.

User text can be up to the prompt limit (4000 characters by default) while a FIBO field may
hold 300; the translator never hands back a manifest the schema would refuse.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from studioflow.schema import subschema


@cache
def _max_length(path: tuple[str, ...]) -> int | None:
    try:
        return subschema(".".join(path).replace(".[]", "[]")).get("maxLength")
    except (KeyError, TypeError):
        return None


def fit_lengths(value: Any, path: tuple[str, ...] = ()) -> Any:
    """``value`` with over-long strings cut (in place for dicts and lists; returned)."""
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = fit_lengths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = fit_lengths(item, (*path, "[]"))
    elif isinstance(value, str):
        limit = _max_length(path)
        if limit is not None and len(value) > limit:
            cut = value[:limit]
            space = cut.rfind(" ")
            return cut[:space].rstrip(" ,;") if space > limit // 2 else cut
    return value
