"""Loading ``fibo_schema.json`` once per process."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("fibo_schema.json")


@cache
def load_schema() -> dict[str, Any]:
    """The manifest schema as a dict (cached; treat it as read-only)."""
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


SCHEMA_VERSION: str = load_schema()["schema_version"]


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` and merge the node's own keywords over the target's."""
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = load_schema()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(_deref(target))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


@cache
def _subschema_cached(path: tuple[str, ...]) -> dict[str, Any]:
    node = load_schema()
    for part in path:
        node = _deref(node)
        if part == "[]":
            node = node["items"]
        else:
            node = node["properties"][part]
    return _deref(node)


def subschema(path: str) -> dict[str, Any]:
    """The schema node at a dotted path; ``[]`` steps into array items.

    ``subschema("fibo.lighting.direction")``, ``subschema("controls.lights[].azimuth")``.
    Raises ``KeyError`` for a path the schema does not define.
    """
    parts: list[str] = []
    for raw in path.split(".") if path else []:
        name, _, rest = raw.partition("[]")
        if name:
            parts.append(name)
        if _ or rest:
            parts.append("[]")
    return _subschema_cached(tuple(parts))
