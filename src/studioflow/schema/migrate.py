"""Upgrading manifests written against older schema versions.

Each step turns one version into the next; ``upgrade`` runs the chain until the manifest
is at ``SCHEMA_VERSION``. Version ``"0"`` is a bare FIBO caption (what Bria's tools and
FIBO's VLM produce): the upgrade wraps it into a manifest.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from studioflow.errors import ErrorDetail, ManifestError
from studioflow.schema.loader import SCHEMA_VERSION
from studioflow.schema.manifest import ordered

_FIBO_TOP_LEVEL = {"short_description", "objects", "background_setting", "lighting", "aesthetics"}


def drop_empty(value: Any) -> Any:
    """Remove None, "", [] and {} recursively (what Bria's caption cleaner does)."""
    if isinstance(value, dict):
        cleaned = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        cleaned = [drop_empty(v) for v in value]
        return [v for v in cleaned if v not in (None, "", [], {})]
    return value


def _from_bare_caption(caption: dict[str, Any]) -> dict[str, Any]:
    fibo = drop_empty(caption)
    fibo.setdefault("text_render", [])
    return {"schema_version": "1.0", "fibo": fibo, "render": {"engine": "preview"}}


# version -> function producing the next version's manifest
MIGRATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "0": _from_bare_caption,
}


def detect_version(manifest: dict[str, Any]) -> str:
    version = manifest.get("schema_version")
    if version is not None:
        return str(version)
    if "fibo" in manifest or "render" in manifest:
        return SCHEMA_VERSION  # a hand-written manifest that left the version out
    if _FIBO_TOP_LEVEL & manifest.keys():
        return "0"
    return SCHEMA_VERSION


def upgrade(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest at the current schema version (a new dict; the input is not changed)."""
    version = detect_version(manifest)
    if version == SCHEMA_VERSION and manifest.get("schema_version") == SCHEMA_VERSION:
        return manifest
    result = copy.deepcopy(manifest)
    seen = set()
    while version != SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None or version in seen:
            raise ManifestError(
                f"manifest schema version {version!r} is not supported",
                [ErrorDetail("$.schema_version",
                             f"this StudioFlow reads versions up to {SCHEMA_VERSION}")],
            )
        seen.add(version)
        result = step(result)
        version = str(result["schema_version"])
    result["schema_version"] = SCHEMA_VERSION
    return ordered(result)
