"""Readable differences between two manifests, leaf by leaf in schema order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studioflow.schema import ordered
from studioflow.schema.manifest import json_path


@dataclass(frozen=True)
class Change:
    path: str  # JSON path, e.g. $.fibo.lighting.direction
    kind: str  # "added" | "removed" | "changed"
    before: Any = None
    after: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "before": self.before, "after": self.after}


def leaves(value: Any, prefix: tuple = ()) -> dict[tuple, Any]:
    """Every leaf value keyed by its path; empty objects and lists are leaves too."""
    if isinstance(value, dict) and value:
        out: dict[tuple, Any] = {}
        for k, v in value.items():
            out.update(leaves(v, (*prefix, k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(leaves(v, (*prefix, i)))
        return out
    return {prefix: value}


def diff_manifests(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    la, lb = leaves(ordered(a)), leaves(ordered(b))
    order = list(la) + [k for k in lb if k not in la]
    changes = []
    for key in order:
        if key not in lb:
            changes.append(Change(json_path(key), "removed", before=la[key]))
        elif key not in la:
            changes.append(Change(json_path(key), "added", after=lb[key]))
        elif la[key] != lb[key] or type(la[key]) is not type(lb[key]):
            changes.append(Change(json_path(key), "changed", la[key], lb[key]))
    return changes
