"""From a ``RenderRequest`` to the JSON body of ``POST /v2/image/generate``.

Bria takes no pixel sizes, only an ``aspect_ratio`` and a ``resolution`` ("1MP", "4MP").
The sizes we accept are the schema's aspect presets (``render.aspect`` x-sizes, about one
megapixel) for the ratios Bria lists, and twice those sides for "4MP"; anything else is
refused before a request is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studioflow.engines.engine_base import RenderRequest
from studioflow.engines.fibo import prompt as fibo_prompt
from studioflow.errors import ErrorDetail, UnsupportedError
from studioflow.schema import subschema

# Bria's documented aspect_ratio values for FIBO (docs/engine-bria.md has the sources).
STANDARD_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9")
ONE_MP_ONLY_RATIOS = ("16:10",)  # FIBO 2.0 ratios Bria refuses with "4MP"
GUIDANCE_RANGE = (3.0, 5.0)


@dataclass(frozen=True)
class BriaSize:
    aspect_ratio: str
    resolution: str  # "1MP" or "4MP"


def size_table() -> dict[tuple[int, int], BriaSize]:
    """Every (width, height) we can ask Bria for, from the schema's aspect presets."""
    presets = subschema("render.aspect")["x-sizes"]
    table: dict[tuple[int, int], BriaSize] = {}
    for ratio in (*STANDARD_RATIOS, *ONE_MP_ONLY_RATIOS):
        if ratio not in presets:
            continue
        w, h = presets[ratio]
        table[(w, h)] = BriaSize(ratio, "1MP")
        if ratio in STANDARD_RATIOS:
            table[(2 * w, 2 * h)] = BriaSize(ratio, "4MP")
    return table


def bria_size(width: int, height: int) -> BriaSize:
    table = size_table()
    if (width, height) in table:
        return table[(width, height)]
    accepted = ", ".join(f"{w}x{h} ({s.aspect_ratio} {s.resolution})"
                         for (w, h), s in sorted(table.items(), key=lambda kv: kv[0][0] * kv[0][1]))
    message = f"Bria renders fixed sizes only; {width}x{height} is not one of them"
    raise UnsupportedError(message, [
        ErrorDetail("$.render.width", f"with $.render.height, one of: {accepted}"),
        ErrorDetail("$.render.height", "or leave both out and set $.render.aspect"),
    ])


def structured_prompt(manifest: dict[str, Any]) -> str:
    """The manifest's FIBO caption as Bria takes it, by the same rules as the local fibo
    engine (FIBO key order, no empty values, compact JSON): one serialiser for both."""
    return fibo_prompt.serialize(manifest["fibo"])


def _guidance(value: float) -> int | float:
    low, high = GUIDANCE_RANGE
    if not low <= value <= high:
        raise UnsupportedError(f"Bria takes a guidance scale from {low:g} to {high:g}",
                               [ErrorDetail("$.render.guidance_scale", f"got {value:g}")])
    return int(value) if float(value).is_integer() else float(value)


def _negative(value: str | dict) -> str | None:
    # the fibo engine's rules; its guidance argument only switches negatives off for the
    # local pipeline (guidance <= 1), so any value above that keeps the given text
    text = fibo_prompt.negative_prompt(value, {}, guidance_scale=GUIDANCE_RANGE[1])
    return text if text and text.strip() else None


def build_body(request: RenderRequest, sync: bool) -> tuple[dict[str, Any], BriaSize]:
    """The request body, and the Bria size it asks for. Raises before anything is sent."""
    if request.num_images != 1:
        raise UnsupportedError("Bria renders one image per request",
                               [ErrorDetail("$.render.num_images", "must be 1 for bria")])
    size = bria_size(request.width, request.height)
    body: dict[str, Any] = {
        "structured_prompt": structured_prompt(request.manifest),
        "seed": int(request.seed),
        "aspect_ratio": size.aspect_ratio,
        # Bria refuses sync together with 4MP
        "sync": bool(sync and size.resolution == "1MP"),
    }
    if size.resolution != "1MP":  # 1MP is Bria's default
        body["resolution"] = size.resolution
    if request.negative_prompt:
        negative = _negative(request.negative_prompt)
        if negative:
            body["negative_prompt"] = negative
    if request.steps is not None:
        body["steps_num"] = int(request.steps)
    if request.guidance_scale is not None:
        body["guidance_scale"] = _guidance(request.guidance_scale)
    if request.model:
        body["model_version"] = request.model
    return body, size
