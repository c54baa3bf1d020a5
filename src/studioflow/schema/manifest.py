"""Helpers that read the schema to work on manifests: defaults, field order, paths, sizes."""

from __future__ import annotations

import copy
import re
from typing import Any

from studioflow.schema.loader import _deref, load_schema, subschema

_MISSING = object()
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def default_for(path: str) -> Any:
    """A deep copy of the schema's ``default`` at a dotted path (``None`` when it has none)."""
    node = subschema(path)
    return copy.deepcopy(node.get("default"))


def field_order(path: str = "") -> list[str]:
    """The property names of the object at ``path`` in the schema's order."""
    return list(subschema(path).get("properties", {}))


def _ordered(value: Any, node: dict[str, Any]) -> Any:
    node = _deref(node)
    if isinstance(value, dict) and "properties" in node:
        props = node["properties"]
        out = {k: _ordered(value[k], props[k]) for k in props if k in value}
        out.update({k: v for k, v in value.items() if k not in props})
        return out
    if isinstance(value, list) and "items" in node:
        return [_ordered(v, node["items"]) for v in value]
    return value


def ordered(manifest: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``manifest`` with every object's keys in schema order (FIBO's order)."""
    return _ordered(manifest, load_schema())


def _tokens(path: str) -> list[str | int]:
    path = path.removeprefix("$").lstrip(".")
    return [name if name else int(index) for name, index in _PATH_TOKEN.findall(path)]


def get_path(data: Any, path: str, default: Any = None) -> Any:
    """Read ``fibo.objects[0].description`` style paths; ``default`` when absent."""
    node = data
    for tok in _tokens(path):
        try:
            node = node[tok]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in place, creating intermediate objects."""
    toks = _tokens(path)
    node: Any = data
    for tok in toks[:-1]:
        if isinstance(tok, int):
            node = node[tok]
        else:
            node = node.setdefault(tok, {})
    node[toks[-1]] = value


def json_path(parts: list[str | int] | tuple) -> str:
    """``["fibo", "objects", 0, "location"]`` -> ``$.fibo.objects[0].location``."""
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def resolve_size(render: dict[str, Any]) -> tuple[int, int]:
    """Width and height of a render section: explicit sizes win, else the aspect preset."""
    width, height = render.get("width"), render.get("height")
    if width and height:
        return int(width), int(height)
    node = subschema("render.aspect")
    w, h = node["x-sizes"][render.get("aspect") or node["default"]]
    if width:  # keep the preset's aspect ratio around the given side
        return int(width), _round16(int(width) * h / w)
    if height:
        return _round16(int(height) * w / h), int(height)
    return w, h


def _round16(x: float) -> int:
    return max(16, int(round(x / 16.0)) * 16)
