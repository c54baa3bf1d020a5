"""The schema an LLM must answer in, derived from ``fibo_schema.json`` for each provider.

The answer is ``{"fibo": ..., "controls": ...}``: the manifest's ``fibo`` part and, when
asked for, its ``controls``. Nothing here restates a field: every provider's dialect is a
mechanical transformation of the one schema.

- ``answer_schema``: plain JSON Schema with local ``$ref`` inlined and annotations that
  only help humans (``default``, ``examples``, ``x-*``) removed; Anthropic's tool input.
- ``openai_strict``: OpenAI's strict structured output wants every property listed in
  ``required`` and ``additionalProperties: false`` on every object; optional properties
  become nullable instead (the nulls are dropped again when the answer is read).
- ``gemini_schema``: Gemini's OpenAPI subset (upper-case types, ``nullable``, no
  ``additionalProperties``/``const``/``$ref``) with ``propertyOrdering`` so that the answer
  keeps FIBO's field order.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from studioflow.schema import load_schema

_DROP = {"default", "examples", "$schema", "$id", "$comment"}
# keywords OpenAI's strict mode accepts; the rest is enforced by our validator instead
_OPENAI_KEEP = {"type", "properties", "required", "additionalProperties", "items", "enum",
                "const", "description", "title", "anyOf", "minimum", "maximum",
                "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "pattern"}
_GEMINI_KEEP = {"type", "properties", "required", "items", "enum", "description", "title",
                "minimum", "maximum", "minItems", "maxItems", "nullable", "anyOf",
                "propertyOrdering"}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """A copy with every ``#/$defs/...`` reference replaced by its target (merged with the
    referring node's own keywords, which win) and human-only annotations removed."""
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref:
        target = _inline(defs[ref.removeprefix("#/$defs/")], defs)
        own = {k: v for k, v in node.items() if k != "$ref"}
        return {**target, **_inline(own, defs)}
    out = {}
    for key, value in node.items():
        if key in _DROP or key.startswith("x-") or key == "$defs":
            continue
        if key == "properties":  # names, not keywords: keep every one
            out[key] = {name: _inline(sub, defs) for name, sub in value.items()}
        else:
            out[key] = value if key in ("enum", "const", "required") else _inline(value, defs)
    return out


@cache
def _answer_schema(with_controls: bool) -> dict[str, Any]:
    root = load_schema()
    props = {"fibo": _inline(root["properties"]["fibo"], root["$defs"])}
    if with_controls:
        props["controls"] = _inline(root["properties"]["controls"], root["$defs"])
    return {"type": "object", "additionalProperties": False, "required": ["fibo"],
            "properties": props}


def answer_schema(with_controls: bool = True) -> dict[str, Any]:
    """The JSON Schema of an answer (a fresh copy)."""
    return copy.deepcopy(_answer_schema(with_controls))


# ---------------------------------------------------------------- OpenAI strict mode


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    kind = node.get("type")
    if isinstance(kind, str):
        out = {**node, "type": [kind, "null"]}
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        return {**node, "type": [*kind, "null"] if "null" not in kind else kind}
    return {"anyOf": [node, {"type": "null"}]}


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("enum", "const", "required", "properties") else _strict(v))
           for k, v in node.items() if k in _OPENAI_KEEP}
    if "properties" in out:
        required = set(node.get("required", []))
        strict = {name: _strict(sub) for name, sub in out["properties"].items()}
        out["properties"] = {name: sub if name in required else _nullable(sub)
                             for name, sub in strict.items()}
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def openai_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` in the form OpenAI's ``json_schema`` response format accepts with
    ``strict: true``."""
    return _strict(schema)


# ---------------------------------------------------------------- Gemini


def _gemini_type(kind: Any) -> tuple[str | None, bool]:
    kinds = kind if isinstance(kind, list) else [kind]
    nullable = "null" in kinds
    real = [k for k in kinds if k and k != "null"]
    return (real[0].upper() if real else None), nullable


def _gemini(node: Any) -> Any:
    if isinstance(node, list):
        return [_gemini(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if "const" in node:  # Gemini has no const: a one-value enum says the same
        node["enum"] = [node.pop("const")]
    if "exclusiveMinimum" in node and "minimum" not in node:
        node["minimum"] = node["exclusiveMinimum"]
    if "type" in node:
        kind, nullable = _gemini_type(node["type"])
        node["type"] = kind
        if nullable:
            node["nullable"] = True
    if "properties" in node:
        node["propertyOrdering"] = list(node["properties"])
    if "enum" in node and node.get("type") != "STRING":
        node.pop("enum")  # Gemini accepts enums of strings only
    out = {}
    for key, value in node.items():
        if key not in _GEMINI_KEEP or value is None:
            continue
        if key == "properties":
            out[key] = {name: _gemini(sub) for name, sub in value.items()}
        elif key in ("items", "anyOf"):
            out[key] = _gemini(value)
        else:
            out[key] = value
    return out


def gemini_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` as Gemini's ``generationConfig.responseSchema`` (OpenAPI 3 subset)."""
    return _gemini(schema)


def strip_nulls(value: Any) -> Any:
    """The answer without ``null`` values and empty strings or objects: strict mode fills
    every optional field with null, and Bria's captions drop empty values the same way."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = strip_nulls(item)
            if item is None or item == "" or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [strip_nulls(v) for v in value if v is not None]
    return value
