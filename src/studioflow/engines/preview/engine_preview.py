"""The ``preview`` engine: StudioFlow's embedded default renderer.

A deterministic CPU lighting preview of a manifest, not a diffusion model: same manifest
and seed, same pixels. Image ``i`` of a request uses seed ``request.seed + i``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from studioflow.engines.engine_base import (
    Capabilities,
    EngineStatus,
    ProgressCallback,
    ProgressEvent,
    RenderRequest,
    RenderResult,
)
from studioflow.errors import ErrorDetail, ManifestError, UnsupportedError

MODEL = "studioflow-preview"
MODEL_REVISION = "preview-1"  # bump whenever the drawing changes: old renders stay explained


class PreviewEngine:
    name = "preview"
    capabilities = Capabilities(
        label="preview", size_multiple=8, min_side=64, max_side=4096, max_pixels=4096 * 4096,
        max_images=8, negative_prompt=False, steps=None, guidance=False, deterministic=True,
        float_output=False,
    )

    def __init__(self, settings: Any = None) -> None:
        self._settings = settings

    def status(self) -> EngineStatus:
        return EngineStatus(installed=True, configured=True, available=True,
                            details={"model": MODEL, "revision": MODEL_REVISION,
                                     "device": "cpu", "kind": "lighting preview"})

    def render(self, request: RenderRequest,
               on_progress: ProgressCallback | None = None) -> RenderResult:
        from studioflow.engines.preview.painter import STAGES, Painter

        self._check(request)
        total, step = len(STAGES) * request.num_images, 0
        images, timings = [], []
        started = time.perf_counter()
        for index in range(request.num_images):
            request.cancel.raise_if_cancelled()
            rng = np.random.Generator(np.random.PCG64(request.seed + index))
            painter = self._painter(Painter, request, rng)
            stage_ms: dict[str, float] = {}
            for stage in STAGES:
                request.cancel.raise_if_cancelled()
                t0 = time.perf_counter()
                painter.run(stage)
                stage_ms[stage] = round((time.perf_counter() - t0) * 1000.0, 2)
                step += 1
                if on_progress is not None:
                    on_progress(ProgressEvent(step, total, f"image {index + 1}/"
                                                           f"{request.num_images}: {stage}"))
            images.append(painter.pixels())
            timings.append(stage_ms)
        return RenderResult(
            images=images, model=MODEL, model_revision=MODEL_REVISION,
            metadata={"engine": self.name, "label": self.capabilities.label, "device": "cpu",
                      "seeds": [request.seed + i for i in range(request.num_images)],
                      "stage_ms": timings,
                      "total_ms": round((time.perf_counter() - started) * 1000.0, 2),
                      "numpy": np.__version__},
        )

    @staticmethod
    def _painter(painter_cls, request: RenderRequest, rng: np.random.Generator):
        try:
            return painter_cls(request.manifest, request.width, request.height, rng)
        except (KeyError, TypeError, IndexError) as exc:  # a manifest that skipped validation
            raise ManifestError("the preview engine cannot read this manifest",
                                [ErrorDetail("$.fibo", f"missing or malformed: {exc}")]) from exc

    def _check(self, request: RenderRequest) -> None:
        caps = self.capabilities
        problems = []
        for key, value in (("width", request.width), ("height", request.height)):
            if value % caps.size_multiple or not caps.min_side <= value <= caps.max_side:
                problems.append(ErrorDetail(f"$.render.{key}",
                                            f"{value} must be a multiple of {caps.size_multiple} "
                                            f"from {caps.min_side} to {caps.max_side}"))
        if not 1 <= request.num_images <= caps.max_images:
            problems.append(ErrorDetail("$.render.num_images",
                                        f"expected 1 to {caps.max_images}"))
        if problems:
            raise UnsupportedError("the preview engine cannot render this request", problems)


def create(settings: Any = None) -> PreviewEngine:
    """Entry point ``studioflow.engines: preview``."""
    return PreviewEngine(settings)
