"""Preparing thousands of similar manifests without validating each one from scratch.

Rows of a catalogue share everything but the product: with a template, lighting, backdrop,
camera, style and size are identical on every row. ``RowPreparer`` runs the full
``Studio.prepare`` (schema, engine rules, compiled controls) once per distinct shared part,
and for the next rows with the same shared part validates only the fields that vary (the
short description, objects, text, product and seed) against their sub-schemas. The
compiled controls depend only on the shared part, so the result is exactly what
``Studio.prepare`` returns (tests/test_batch_plan.py checks this); any problem in a varying
field sends the row through the full path, so errors read the same as everywhere else.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from studioflow.schema import SCHEMA_VERSION, load_schema

VARYING_FIBO = ("short_description", "objects", "text_render")
_VARYING_SCHEMAS = {
    "short_description": ("$defs", "fibo", "properties", "short_description"),
    "objects": ("$defs", "fibo", "properties", "objects"),
    "text_render": ("$defs", "fibo", "properties", "text_render"),
    "product": ("$defs", "product"),
    "seed": ("$defs", "render", "properties", "seed"),
}
MAX_REFERENCES = 4096


def _inline(node: Any, root: dict[str, Any]) -> Any:
    """The schema node with its local ``$ref``s replaced by their targets: the validator
    then never looks references up (most of its time on these small parts)."""
    if isinstance(node, list):
        return [_inline(v, root) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, root) for k, v in node.items() if k != "$ref"}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        out = {**_inline(target, root), **out}
    return out


@cache
def _validator(name: str) -> Draft202012Validator:
    root = load_schema()
    node: Any = root
    for part in _VARYING_SCHEMAS[name]:
        node = node[part]
    return Draft202012Validator(_inline(node, root))


@cache
def _key_order(name: str) -> tuple[str, ...]:
    return tuple(load_schema()["$defs"][name]["properties"])


def _in_order(value: dict[str, Any], name: str) -> dict[str, Any]:
    """Keys in the schema's (FIBO's) order, as ``schema.ordered`` puts them."""
    order = _key_order(name)
    out = {k: value[k] for k in order if k in value}
    if len(out) != len(value):
        out.update({k: v for k, v in value.items() if k not in out})
    return out


def _shared_key(manifest: dict[str, Any]) -> str | None:
    """Everything but the varying fields, as canonical JSON; ``None`` when the manifest is
    not plainly shaped (then it always takes the full path)."""
    fibo, render = manifest.get("fibo"), manifest.get("render")
    if (manifest.get("schema_version") != SCHEMA_VERSION or not isinstance(fibo, dict)
            or not isinstance(render, dict) or not isinstance(render.get("seed"), int)):
        return None
    shared = {
        "rest": {k: v for k, v in manifest.items() if k not in ("fibo", "render", "product")},
        "fibo": {k: v for k, v in fibo.items() if k not in VARYING_FIBO},
        "render": {k: v for k, v in render.items() if k != "seed"},
        "present": [k in fibo for k in VARYING_FIBO] + ["product" in manifest],
    }
    try:
        return json.dumps(shared, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


class RowPreparer:
    def __init__(self, studio: Any) -> None:
        self.studio = studio
        self._references: dict[str, dict[str, Any]] = {}
        self._valid_parts: dict[tuple[str, str], bool] = {}
        self.full = 0  # how many rows took the full path (for the bench)

    def prepare(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """The manifest as ``Studio.prepare`` would return it (raises the same errors)."""
        key = _shared_key(manifest)
        reference = self._references.get(key) if key is not None else None
        if reference is None or not self._varying_valid(manifest):
            self.full += 1
            final = self.studio.prepare(manifest)
            if key is not None and len(self._references) < MAX_REFERENCES:
                self._references.setdefault(key, final)
            return final
        return self._merge(reference, manifest)

    def _varying_valid(self, manifest: dict[str, Any]) -> bool:
        fibo = manifest["fibo"]
        checks = [(name, fibo[name]) for name in VARYING_FIBO if name in fibo]
        if "product" in manifest:
            checks.append(("product", manifest["product"]))
        checks.append(("seed", manifest["render"]["seed"]))
        return all(self._valid(name, value) for name, value in checks)

    def _valid(self, name: str, value: Any) -> bool:
        """Rows repeat the same objects (one product type in many colours): remember."""
        if name not in ("objects", "text_render"):
            return _validator(name).is_valid(value)
        key = (name, json.dumps(value, sort_keys=True, ensure_ascii=False))
        known = self._valid_parts.get(key)
        if known is None:
            known = _validator(name).is_valid(value)
            if len(self._valid_parts) < MAX_REFERENCES:
                self._valid_parts[key] = known
        return known

    @staticmethod
    def _merge(reference: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
        fibo = manifest["fibo"]
        varying: dict[str, Any] = {}
        if "short_description" in fibo:
            varying["short_description"] = fibo["short_description"]
        if "objects" in fibo:
            varying["objects"] = [_in_order(o, "fibo_object") for o in fibo["objects"]]
        if "text_render" in fibo:
            varying["text_render"] = [_in_order(t, "fibo_text") for t in fibo["text_render"]]
        final = dict(reference)
        final["fibo"] = {**reference["fibo"], **varying}  # same keys: positions are kept
        final["render"] = {**reference["render"], "seed": manifest["render"]["seed"]}
        if "product" in manifest:
            final["product"] = _in_order(manifest["product"], "product")
        return final
