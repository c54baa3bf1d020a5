"""Validation: the schema first, then the semantic rules a schema cannot say.

Each problem becomes an ``ErrorDetail`` whose path is a JSON path into the manifest
(``$.render.width``) and whose message says what was expected there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as _SchemaError

from studioflow.errors import ErrorDetail, ManifestError
from studioflow.schema.loader import load_schema
from studioflow.schema.manifest import json_path, resolve_size

# Given an engine name, its capabilities (see engines.engine_base.Capabilities);
# raises KeyError for an engine that is not installed.
CapabilitiesLookup = Callable[[str], Any]

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


@cache
def _validator() -> Draft202012Validator:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _json_type(value: Any) -> str:
    for name, py in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                     ("array", list), ("object", dict)):
        if isinstance(value, py):
            return _TYPE_NAMES[name]
    return "null" if value is None else type(value).__name__


def _explain(err: _SchemaError) -> ErrorDetail:
    path = list(err.absolute_path)
    kind, expected, value = err.validator, err.validator_value, err.instance
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        name = missing[0] if missing else "?"
        return ErrorDetail(json_path([*path, name]), "required field is missing")
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in err.schema.get("properties", {}))
        name = extra[0] if extra else "?"
        return ErrorDetail(json_path([*path, name]),
                           f"unknown field; expected one of: {', '.join(allowed)}")
    where = json_path(path)
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        return ErrorDetail(where, f"expected {names}, got {_json_type(value)}")
    if kind == "enum":
        return ErrorDetail(where, f"{value!r} is not allowed; expected one of: "
                                  f"{', '.join(map(str, expected))}")
    if kind == "const":
        return ErrorDetail(where, f"expected {expected!r}, got {value!r}")
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most",
                 "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}[kind]
        return ErrorDetail(where, f"{value!r} is out of range; expected {words} {expected}")
    if kind == "minLength":
        return ErrorDetail(where, "must not be empty" if expected == 1
                           else f"expected at least {expected} characters")
    if kind == "maxLength":
        return ErrorDetail(where, f"too long ({len(value)} characters); "
                                  f"expected at most {expected}")
    if kind == "minItems":
        return ErrorDetail(where, f"expected at least {expected} item(s)")
    if kind == "maxItems":
        return ErrorDetail(where, f"too many items ({len(value)}); expected at most {expected}")
    if kind == "pattern":
        hint = "a colour like #F2EDE4" if expected.startswith("^#") else f"text matching {expected}"
        return ErrorDetail(where, f"{value!r} is not valid; expected {hint}")
    return ErrorDetail(where, err.message)


def schema_errors(manifest: Any) -> list[ErrorDetail]:
    """Schema violations, sorted by path."""
    errs = sorted(_validator().iter_errors(manifest), key=lambda e: list(map(str, e.absolute_path)))
    seen: set[ErrorDetail] = set()
    out = []
    for err in errs:
        detail = _explain(err)
        if detail not in seen:
            seen.add(detail)
            out.append(detail)
    return out


def semantic_errors(manifest: dict[str, Any],
                    capabilities_for: CapabilitiesLookup | None = None) -> list[ErrorDetail]:
    """Rules across fields: engine size rules, one key light, gradient colours."""
    out: list[ErrorDetail] = []
    render = manifest.get("render", {})
    controls = manifest.get("controls") or {}
    keys = [i for i, light in enumerate(controls.get("lights") or []) if light["role"] == "key"]
    for i in keys[1:]:
        out.append(ErrorDetail(f"$.controls.lights[{i}].role",
                               "only one light can be the key light"))
    background = controls.get("background") or {}
    if "gradient_to" in background and background.get("style", "sweep") != "gradient":
        out.append(ErrorDetail("$.controls.background.gradient_to",
                               "only used with style 'gradient'"))
    if capabilities_for is not None:
        out.extend(_engine_errors(render, capabilities_for))
    return out


def _engine_errors(render: dict[str, Any],
                   capabilities_for: CapabilitiesLookup) -> list[ErrorDetail]:
    name = render.get("engine", "preview")
    try:
        caps = capabilities_for(name)
    except KeyError as exc:
        known = exc.args[1] if len(exc.args) > 1 else []
        hint = f"; installed engines: {', '.join(known)}" if known else ""
        return [ErrorDetail("$.render.engine", f"unknown engine {name!r}{hint}")]
    out = []
    width, height = resolve_size(render)
    for key, value in (("width", width), ("height", height)):
        path = f"$.render.{key}" if key in render else "$.render.aspect"
        if value % caps.size_multiple:
            out.append(ErrorDetail(path, f"{value} is not a multiple of {caps.size_multiple} "
                                         f"(the {name} engine's size rule)"))
        elif not caps.min_side <= value <= caps.max_side:
            out.append(ErrorDetail(path, f"{value} is outside the {name} engine's range "
                                         f"{caps.min_side}-{caps.max_side}"))
    if width * height > caps.max_pixels:
        out.append(ErrorDetail("$.render", f"{width}x{height} exceeds the {name} engine's limit "
                                           f"of {caps.max_pixels} pixels"))
    if render.get("num_images", 1) > caps.max_images:
        out.append(ErrorDetail("$.render.num_images",
                               f"the {name} engine renders at most {caps.max_images} image(s)"))
    steps = render.get("steps")
    if steps is not None and caps.steps is not None and not caps.steps[0] <= steps <= caps.steps[1]:
        out.append(ErrorDetail("$.render.steps",
                               f"expected {caps.steps[0]}-{caps.steps[1]} for the {name} engine"))
    return out


def validate_manifest(manifest: Any,
                      capabilities_for: CapabilitiesLookup | None = None) -> list[ErrorDetail]:
    """Every problem with a manifest; an empty list means valid."""
    errors = schema_errors(manifest)
    if errors:
        return errors
    return semantic_errors(manifest, capabilities_for)


def check_manifest(manifest: Any, capabilities_for: CapabilitiesLookup | None = None,
                   source: str = "manifest") -> dict[str, Any]:
    """Return the manifest when valid, else raise ``ManifestError`` with every problem."""
    errors = validate_manifest(manifest, capabilities_for)
    if errors:
        n = len(errors)
        raise ManifestError(f"{source} is invalid ({n} problem{'s' if n > 1 else ''})", errors)
    return manifest
