"""Workflow templates: ComfyUI API-format graphs with named placeholders.

A template is what ComfyUI's "Save (API)" writes, ``{node_id: {class_type, inputs}}``, where
some input values are placeholders such as ``"{{seed}}"``. A value that is exactly one
placeholder is replaced by the typed value (an int for ``{{seed}}``); a placeholder inside a
longer string is replaced by its text. An optional top-level ``"studioflow"`` object holds
the template's own settings (a label, default steps and guidance) and is never sent.

``check_graph`` compares a filled graph with the server's ``/object_info`` before anything is
submitted, so that a missing custom node or a renamed input is reported by node id and input
name instead of as a failed render.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from studioflow.errors import ConfigError, ErrorDetail

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
PLACEHOLDERS = {
    "fibo_json": "FIBO's structured caption, serialised Bria's way (compact JSON string)",
    "negative_prompt": "the negative prompt as a string (a partial caption is serialised)",
    "seed": "the render's seed (int)",
    "steps": "denoising steps (int)",
    "guidance": "classifier-free guidance scale (float)",
    "width": "image width in pixels (int)",
    "height": "image height in pixels (int)",
    "aspect_ratio": "width:height reduced, e.g. '4:5' (string)",
    "batch_size": "images per render (int)",
    "filename_prefix": "a prefix unique to the render, for SaveImage (string)",
    "input_image": "the name of the uploaded input image, for LoadImage (string)",
    "bria_api_token": "Bria's API token, for Bria's API nodes (string, never recorded)",
}
REQUIRED = ("fibo_json",)
OPTIONS_KEY = "studioflow"
BUILTIN = {"fibo2_native": "fibo2_native.json", "fibo_bria_api": "fibo_bria_api.json"}


@dataclass(frozen=True)
class Template:
    name: str
    graph: dict[str, Any]
    digest: str  # sha256 of the template file, recorded with every render
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(json.dumps(self.graph)))

    @property
    def label(self) -> str:
        return str(self.options.get("label") or self.name)

    def default(self, key: str, fallback: Any) -> Any:
        return (self.options.get("defaults") or {}).get(key, fallback)

    def fill(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[str, str]]]:
        """The graph with placeholders replaced, and the (node, input) pairs they filled."""
        graph = json.loads(json.dumps(self.graph))
        filled: set[tuple[str, str]] = set()
        for node_id, node in graph.items():
            inputs = node.get("inputs", {})
            for name, value in inputs.items():
                if isinstance(value, str) and PLACEHOLDER.search(value):
                    inputs[name] = _substitute(value, values)
                    filled.add((node_id, name))
        return graph, filled


def _substitute(text: str, values: dict[str, Any]) -> Any:
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole:
        return values[whole.group(1)]
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def load_template(spec: str) -> Template:
    """A shipped template by name (``fibo2_native``, ``fibo_bria_api``) or a file path."""
    if spec in BUILTIN:
        ref = resources.files("studioflow.engines.comfyui") / "templates" / BUILTIN[spec]
        return parse_template(spec, ref.read_bytes())
    path = Path(spec).expanduser()
    if not path.is_file():
        raise ConfigError(f"ComfyUI workflow template {spec!r} not found",
                          [ErrorDetail("STUDIOFLOW_COMFYUI_WORKFLOW",
                                       f"a file path or one of: {', '.join(sorted(BUILTIN))}")])
    return parse_template(path.stem, path.read_bytes())


def parse_template(name: str, raw: bytes) -> Template:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"ComfyUI workflow template {name!r} is not valid JSON: {exc}") \
            from None
    if not isinstance(data, dict):
        raise ConfigError(f"ComfyUI workflow template {name!r} must be a JSON object")
    options = data.pop(OPTIONS_KEY, {}) or {}
    problems = structure_problems(data)
    if problems:
        raise ConfigError(f"ComfyUI workflow template {name!r} is not a usable API-format "
                          "graph (export it with 'Save (API)')", problems)
    return Template(name, data, hashlib.sha256(raw).hexdigest(), options)


def structure_problems(graph: dict[str, Any]) -> list[ErrorDetail]:
    """What makes ``graph`` unusable whatever the server: bad nodes, dangling links,
    unknown or missing placeholders."""
    problems = []
    if not graph:
        problems.append(ErrorDetail("$", "the graph has no nodes"))
    for node_id, node in graph.items():
        where = f"$['{node_id}']"
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            problems.append(ErrorDetail(where, "a node needs a class_type and inputs"))
            continue
        for name, value in (node.get("inputs") or {}).items():
            problems += _value_problems(graph, f"{where}.inputs.{name}", value)
    found = set(PLACEHOLDER.findall(json.dumps(graph)))
    problems += [ErrorDetail("$", f"the template must use {{{{{name}}}}}")
                 for name in REQUIRED if name not in found]
    return problems


def _value_problems(graph: dict[str, Any], where: str, value: Any) -> list[ErrorDetail]:
    if is_link(value):
        if str(value[0]) not in graph:
            return [ErrorDetail(where, f"links to node {value[0]!r}, which is not in the graph")]
        return []
    if isinstance(value, str):
        unknown = [n for n in PLACEHOLDER.findall(value) if n not in PLACEHOLDERS]
        return [ErrorDetail(where, f"unknown placeholder {{{{{n}}}}}; known: "
                                   f"{', '.join(sorted(PLACEHOLDERS))}") for n in unknown]
    return []


def is_link(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str | int)
            and isinstance(value[1], int) and not isinstance(value[1], bool))


@dataclass(frozen=True)
class Problem:
    detail: ErrorDetail
    from_request: bool  # the value came from the render request, not from the template


def check_graph(graph: dict[str, Any], object_info: dict[str, Any],
                filled: set[tuple[str, str]] = frozenset()) -> list[Problem]:
    """Every way ``graph`` disagrees with the server's node definitions."""
    problems: list[Problem] = []
    for node_id, node in graph.items():
        class_type = node["class_type"]
        where = f"$['{node_id}']"
        spec = object_info.get(class_type)
        if spec is None:
            text = (f"node {node_id}: unknown node class {class_type!r} on this server "
                    "(is its custom node package installed?)")
            problems.append(Problem(ErrorDetail(f"{where}.class_type", text), False))
            continue
        for name, detail in _node_problems(graph, node_id, node, spec, object_info):
            problems.append(Problem(detail, (node_id, name) in filled))
    return problems


def _input_specs(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    inputs = spec.get("input") or {}
    return inputs.get("required") or {}, {**(inputs.get("optional") or {}),
                                          **(inputs.get("hidden") or {})}


def _node_problems(graph, node_id, node, spec, object_info) -> list[tuple[str, ErrorDetail]]:
    """(input whose value is wrong or "" for a wrong graph, detail) pairs for one node."""
    required, optional = _input_specs(spec)
    given = node.get("inputs") or {}
    label = f"node {node_id} ({node['class_type']})"
    where = f"$['{node_id}'].inputs"
    problems = [("", ErrorDetail(f"{where}.{name}", f"{label}: missing required input {name!r}"))
                for name in required if name not in given]
    known = {**required, **optional}
    for name, value in given.items():
        base = name.split(".", 1)[0]  # dynamic inputs ("images.image_1") extend a base input
        if name not in known and base not in known:
            problems.append(("", ErrorDetail(
                f"{where}.{name}", f"{label}: unknown input {name!r}; "
                                   f"it takes {', '.join(sorted(known)) or 'no inputs'}")))
            continue
        input_spec = known.get(name, known.get(base))
        text = (_link_problem(graph, value, input_spec, object_info) if is_link(value)
                else _widget_problem(value, input_spec))
        if text:
            detail = ErrorDetail(f"{where}.{name}", f"{label}: input {name!r} {text}")
            problems.append((name, detail))
    return problems


def _spec_type(input_spec: Any) -> Any:
    return input_spec[0] if isinstance(input_spec, list | tuple) and input_spec else input_spec


def _spec_options(input_spec: Any) -> dict[str, Any]:
    if isinstance(input_spec, list | tuple) and len(input_spec) > 1 and \
            isinstance(input_spec[1], dict):
        return input_spec[1]
    return {}


def _link_problem(graph, link, input_spec, object_info) -> str | None:
    source = graph[str(link[0])]
    source_spec = object_info.get(source["class_type"])
    if source_spec is None:
        return None  # reported on the source node
    outputs = source_spec.get("output") or []
    if link[1] >= len(outputs):
        return (f"links to output {link[1]} of node {link[0]} ({source['class_type']}), "
                f"which has {len(outputs)} outputs")
    wanted, got = _spec_type(input_spec), outputs[link[1]]
    if isinstance(wanted, str) and isinstance(got, str) and "*" not in (wanted, got):
        if not set(wanted.split(",")) & set(got.split(",")):
            return f"takes {wanted} but node {link[0]} output {link[1]} gives {got}"
    return None


def _widget_problem(value: Any, input_spec: Any) -> str | None:
    kind, opts = _spec_type(input_spec), _spec_options(input_spec)
    choices = kind if isinstance(kind, list) else opts.get("options") if kind == "COMBO" else None
    if choices is not None:
        if value not in choices:
            shown = ", ".join(map(repr, choices[:12])) + (" ..." if len(choices) > 12 else "")
            return f"is {value!r}, not one of the server's choices: {shown or '(none)'}"
        return None
    if kind == "INT":
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            return f"takes a whole number, got {value!r}"
        return _range_problem(value, opts)
    if kind == "FLOAT":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"takes a number, got {value!r}"
        return _range_problem(value, opts)
    if kind == "STRING" and not isinstance(value, str):
        return f"takes text, got {value!r}"
    if kind == "BOOLEAN" and not isinstance(value, bool):
        return f"takes true or false, got {value!r}"
    return None


def _range_problem(value: float, opts: dict[str, Any]) -> str | None:
    low, high = opts.get("min"), opts.get("max")
    if low is not None and value < low:
        return f"is {value:g}, below the node's minimum {low:g}"
    if high is not None and value > high:
        return f"is {value:g}, above the node's maximum {high:g}"
    return None


def coerce_ints(graph: dict[str, Any], object_info: dict[str, Any]) -> None:
    """Whole floats sent to INT inputs become ints (guidance 5.0 -> 5 for Bria's nodes)."""
    for node in graph.values():
        required, optional = _input_specs(object_info.get(node["class_type"]) or {})
        known = {**required, **optional}
        for name, value in (node.get("inputs") or {}).items():
            if _spec_type(known.get(name)) == "INT" and isinstance(value, float) and \
                    value == int(value):
                node["inputs"][name] = int(value)
