"""One preview image, painted in stages: backdrop, shadows, depth of field, objects, text.

The engine calls the stages in ``STAGES`` order, reporting progress and checking for
cancellation between them. All randomness comes from the generator it is given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from studioflow.engines.preview import shadows as sh
from studioflow.engines.preview import shapes
from studioflow.engines.preview.backdrop import floor_mask, render_backdrop
from studioflow.engines.preview.layout import image_height
from studioflow.engines.preview.lighting import shade
from studioflow.engines.preview.raster import F32, blur, over, smoothstep
from studioflow.engines.preview.scene import build_scene
from studioflow.engines.preview.text import draw_label, draw_texts

STAGES = ("backdrop", "shadows", "depth of field", "objects", "text")


class Painter:
    def __init__(self, manifest: dict[str, Any], width: int, height: int,
                 rng: np.random.Generator) -> None:
        self.rng = rng
        self.scene = build_scene(manifest, width, height, rng)
        self.canvas = np.zeros((height, width, 3), F32)
        self.floor = floor_mask(self.scene)
        self.sprites: list[shapes.Sprite] = []

    def run(self, stage: str) -> None:
        {"backdrop": self.backdrop, "shadows": self.shadows, "depth of field": self.depth_of_field,
         "objects": self.objects, "text": self.text}[stage]()

    def backdrop(self) -> None:
        self.canvas = render_backdrop(self.scene, self.rng)

    def shadows(self) -> None:
        scene = self.scene
        elevation = scene.camera.elevation
        # geometry first: a flat lay's shadows are offset copies of the silhouettes
        self.sprites = [shapes.sprite(item, elevation) for item in scene.items]
        cast_map = np.zeros(self.canvas.shape[:2], F32)
        contact_map = np.zeros_like(cast_map)
        style, key = scene.shadows.style, scene.key
        # a light from below the floor's level throws no shadow onto it
        with_cast = style == "cast" and key is not None and key.elevation > 0
        if style != "none":
            for item, sp in zip(scene.items, self.sprites, strict=True):
                self._shadow(item, sp, cast_map, contact_map, with_cast)
        sh.apply(self.canvas, cast_map, contact_map, scene, self.floor)
        for item, sp in zip(scene.items, self.sprites, strict=True):
            if item.blurred:  # background props belong to the backdrop: depth of field blurs them
                colour, alpha = shade(sp, scene)
                over(self.canvas, colour, alpha, sp.y0, sp.x0)

    def _shadow(self, item, sp, cast_map, contact_map, with_cast: bool) -> None:
        scene = self.scene
        if scene.camera.flat_lay:
            lift = shapes.thickness(item)
            sh.drop(cast_map if with_cast else contact_map, sp, lift, scene.key, scene, with_cast)
            return
        fp = shapes.footprint(item, scene.camera.elevation)
        if with_cast:
            sh.cast(cast_map, fp, scene.key, scene)
        sh.contact(contact_map, fp, scene)

    def _focus_row(self) -> float:
        """The image row where the product stands: the plane of sharp focus."""
        scene = self.scene
        sharp = [it for it in scene.items if not it.blurred] or list(scene.items)
        product = max(sharp, key=lambda it: it.width * it.height)
        return product.cy + image_height(product.look.kind, product.width, product.height,
                                         scene.camera.elevation) / 2

    def depth_of_field(self) -> None:
        scene = self.scene
        H, W = scene.height, scene.width
        radius = scene.camera.blur * min(H, W)
        if radius < 1.0 or scene.camera.flat_lay or not scene.items:
            return  # a flat lay's surface lies in the plane of focus
        horizon = (scene.camera.horizon or 0.0) * H
        focus = max(self._focus_row(), horizon + 1.0)
        rows = np.arange(H, dtype=F32) + F32(0.5)
        weight = smoothstep(focus, horizon, rows)  # 1 on the wall, 0 where the product stands
        last = int(np.nonzero(weight > 1e-3)[0].max()) + 1 if (weight > 1e-3).any() else 0
        if last == 0:
            return
        top = self.canvas[:last]
        soft = blur(top, radius)
        top += (soft - top) * weight[:last, None, None]

    def objects(self) -> None:
        scene = self.scene
        shaded = [(item, sp, *shade(sp, scene))
                  for item, sp in zip(scene.items, self.sprites, strict=True) if not item.blurred]
        if scene.shadows.reflection and not scene.camera.flat_lay:
            for item, sp, colour, alpha in shaded:
                base = shapes.footprint(item, scene.camera.elevation).base
                sh.reflect(self.canvas, colour, alpha, sp, base)
        for _, sp, colour, alpha in shaded:
            over(self.canvas, colour, alpha, sp.y0, sp.x0)

    def text(self) -> None:
        draw_texts(self.canvas, self.scene.texts)
        draw_label(self.canvas)

    def pixels(self) -> np.ndarray:
        """The finished image as uint8, dithered so that gradients do not band."""
        H, W = self.canvas.shape[:2]
        noise = self.rng.random((H, W), dtype=F32) - F32(0.5)
        out = self.canvas * F32(255.0)
        out += (noise * F32(1.6) + F32(0.5))[..., None]
        np.clip(out, 0.0, 255.0, out=out)
        return out.astype(np.uint8)
