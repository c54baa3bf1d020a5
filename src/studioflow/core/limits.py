"""Limits an installation puts on what a render may ask for, on top of the schema's and
each engine's own: a service can keep clients well below what its GPUs could render."""

from __future__ import annotations

from typing import Any

from studioflow.errors import ErrorDetail, ManifestError
from studioflow.schema import resolve_size


def check_render_size(settings: Any, manifest: dict[str, Any]) -> None:
    """A ``ManifestError`` (422) at ``$.render.width`` / ``height`` (or whichever of
    them and ``aspect`` the size comes from) when the image is larger than the settings allow."""
    render = manifest["render"]
    width, height = resolve_size(render)
    given = [side for side in ("width", "height") if render.get(side)] or ["aspect"]
    where = {side: f"$.render.{side if side in given else given[0]}"
             for side in ("width", "height")}
    problems = []
    if width > settings.max_render_width:
        problems.append(ErrorDetail(where["width"], f"{width} is wider than the "
                                    f"{settings.max_render_width} pixels this server renders"))
    if height > settings.max_render_height:
        problems.append(ErrorDetail(where["height"], f"{height} is taller than the "
                                    f"{settings.max_render_height} pixels this server renders"))
    if not problems and width * height > settings.max_render_pixels:
        problems.append(ErrorDetail(where["width"], f"{width}x{height} is more than the "
                                    f"{settings.max_render_pixels} pixels this server renders"))
    if problems:
        raise ManifestError(f"the image is larger than this server allows ({width}x{height})",
                            problems)
