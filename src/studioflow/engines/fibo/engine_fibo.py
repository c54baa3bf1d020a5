"""The ``fibo`` engine: Bria's FIBO through Hugging Face diffusers, on this machine."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
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
from studioflow.engines.fibo import presets
from studioflow.engines.fibo.device import choose, peak_memory_bytes, synchronize
from studioflow.engines.fibo.loader import (
    GIB,
    REQUIRED_MODULES,
    LoadedPipeline,
    PipelineCache,
    load,
    weight_file_bytes,
)
from studioflow.engines.fibo.prompt import negative_prompt, serialize
from studioflow.engines.fibo.settings import FiboSettings
from studioflow.engines.fibo.source import ModelSource, download, locate
from studioflow.errors import CancelledError, EngineError, ErrorDetail, InputError

CAPABILITIES = Capabilities(
    label="FIBO", size_multiple=16, min_side=64, max_side=2048, max_pixels=2048 * 2048,
    max_images=4, negative_prompt=True, steps=(1, 200), guidance=True, deterministic=True,
    float_output=True,
)


class StepClock:
    """Text encoding (until the first transformer call), each step, and the VAE decode."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.started = time.perf_counter()
        self.first: float | None = None
        self.marks: list[float] = []

    def first_forward(self, *_: Any) -> None:
        if self.first is None:
            synchronize(self.device)
            self.first = time.perf_counter()

    def step(self) -> None:
        synchronize(self.device)
        self.marks.append(time.perf_counter())

    def summary(self) -> dict[str, Any]:
        ended = time.perf_counter()
        first = self.first or self.started
        edges = [first, *self.marks]
        steps = [b - a for a, b in zip(edges, edges[1:], strict=False)]
        return {
            "text_encode_seconds": round(first - self.started, 4),
            "step_seconds": [round(s, 4) for s in steps],
            "mean_step_seconds": round(sum(steps) / len(steps), 4) if steps else None,
            "decode_seconds": round(ended - edges[-1], 4),
        }


class FiboEngine:
    name = "fibo"
    capabilities = CAPABILITIES

    def __init__(self, settings: FiboSettings | None = None) -> None:
        self.settings = settings or FiboSettings()
        self.pipelines = PipelineCache(int(self.settings.memory_budget_gb * GIB))
        self._render_lock = threading.Lock()

    # status --------------------------------------------------------------------------
    def status(self) -> EngineStatus:
        """Cheap: looks for the packages and the weights without importing torch."""
        missing = [m for m in REQUIRED_MODULES if importlib.util.find_spec(m) is None]
        details: dict[str, Any] = {"model": self.settings.model}
        if missing:
            return EngineStatus(False, False, False,
                                f"{', '.join(missing)} not installed; install with: "
                                "pip install 'studioflow[fibo]'", details)
        try:
            source = locate(self.settings.model, self.settings.allow_download)
            preset = presets.preset_for(self.settings.model, self.settings.preset)
        except Exception as exc:  # noqa: BLE001 - ConfigError and hub errors alike
            reason = "; ".join([str(exc), *(d.message for d in getattr(exc, "details", []))])
            return EngineStatus(True, False, False, reason, details)
        details.update(path=str(source.path) if source.path else None,
                       revision=source.revision, preset=preset.name,
                       loaded=[str(k[0]) for k in self.pipelines.keys()])
        if source.path is None:
            details["note"] = "weights will be downloaded on first render"
        return EngineStatus(True, True, True, None, details)

    # render --------------------------------------------------------------------------
    def render(self, request: RenderRequest,
               on_progress: ProgressCallback | None = None) -> RenderResult:
        request.cancel.raise_if_cancelled()
        self._check(request)
        model = request.model or self.settings.model
        preset = presets.preset_for(model, self.settings.preset)
        steps, guidance = presets.resolve(preset, request.steps, request.guidance_scale)
        prompt = serialize(request.fibo)
        negative = negative_prompt(request.negative_prompt, request.fibo, guidance)
        loaded, loaded_now = self.pipeline(model)
        request.cancel.raise_if_cancelled()
        with self._render_lock:
            images, timing = self._denoise(loaded, request, prompt, negative, steps, guidance,
                                           on_progress)
        meta = self._metadata(loaded, loaded_now, preset.name, steps, guidance, prompt,
                              negative, timing)
        return RenderResult(images=images, model=model, model_revision=loaded.revision,
                            steps=steps, guidance_scale=guidance, metadata=meta)

    def pipeline(self, model: str) -> tuple[LoadedPipeline, bool]:
        """The loaded pipeline for ``model`` on this engine's device (loading it once)."""
        source = locate(model, self.settings.allow_download)
        if source.path is None:
            source = download(model)
        placement = choose(self.settings.device, self.settings.dtype, self.settings.offload)
        key = (str(source.path), placement.device, placement.dtype, placement.offload,
               self.settings.vae_tiling)
        return self.pipelines.get(key, lambda: load(_named(source, model), placement,
                                                    self.settings),
                                  estimate=weight_file_bytes(source.path))

    def _check(self, request: RenderRequest) -> None:
        caps = self.capabilities
        problems = [ErrorDetail(f"$.render.{k}", f"{v} is not a multiple of "
                                                 f"{caps.size_multiple} (FIBO's size rule)")
                    for k, v in (("width", request.width), ("height", request.height))
                    if v % caps.size_multiple]
        if not 1 <= request.num_images <= caps.max_images:
            problems.append(ErrorDetail("$.render.num_images",
                                        f"expected 1-{caps.max_images} for FIBO"))
        if problems:
            raise InputError("FIBO cannot render this size", problems)

    def _denoise(self, loaded: LoadedPipeline, request: RenderRequest, prompt: str,
                 negative: str | None, steps: int, guidance: float,
                 on_progress: ProgressCallback | None) -> tuple[list[np.ndarray], dict]:
        import torch

        pipe, device = loaded.pipe, loaded.placement.device
        clock = StepClock(device)

        def on_step(p: Any, index: int, _timestep: Any, _tensors: dict) -> dict:
            clock.step()
            if request.cancel.cancelled:
                p._interrupt = True  # diffusers' own stop flag, in case anything continues
                raise CancelledError("render cancelled",
                                     [ErrorDetail("$", f"stopped after step {index + 1} "
                                                       f"of {steps}")])
            if on_progress is not None:
                on_progress(ProgressEvent(index + 1, steps, "denoising"))
            return {}

        if loaded.fast is not None:
            loaded.fast.begin(steps)
        if device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats(device)
        hook = pipe.transformer.register_forward_pre_hook(clock.first_forward)
        try:
            out = pipe(prompt=prompt, negative_prompt=negative, height=request.height,
                       width=request.width, num_inference_steps=steps,
                       guidance_scale=guidance, num_images_per_prompt=request.num_images,
                       generator=torch.Generator(device).manual_seed(request.seed),
                       output_type="np", callback_on_step_end=on_step,
                       max_sequence_length=self.settings.max_sequence_length)
        except torch.cuda.OutOfMemoryError as exc:
            raise EngineError("FIBO ran out of GPU memory", [ErrorDetail(
                "STUDIOFLOW_FIBO_OFFLOAD", "try STUDIOFLOW_FIBO_OFFLOAD=model, "
                "STUDIOFLOW_FIBO_VAE_TILING=1 or a smaller size")]) from exc
        finally:
            hook.remove()
        timing = clock.summary()
        timing["peak_memory_bytes"] = peak_memory_bytes(device)
        if loaded.fast is not None:
            timing["transformer_calls"] = vars(loaded.fast.stats)
        images = [np.ascontiguousarray(np.clip(img, 0.0, 1.0), dtype=np.float32)
                  for img in out.images]
        return images, timing

    def _metadata(self, loaded: LoadedPipeline, loaded_now: bool, preset: str, steps: int,
                  guidance: float, prompt: str, negative: str | None,
                  timing: dict[str, Any]) -> dict[str, Any]:
        import diffusers
        import torch
        import transformers

        s = self.settings
        return {
            "preset": preset, "steps": steps, "guidance_scale": guidance,
            "device": loaded.placement.device, "dtype": loaded.placement.dtype,
            "offload": loaded.placement.offload, "model_path": str(loaded.path),
            "versions": {"diffusers": diffusers.__version__, "torch": torch.__version__,
                         "transformers": transformers.__version__},
            "load_seconds": round(loaded.load_seconds, 3), "loaded_now": loaded_now,
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "negative_prompt": negative, "max_sequence_length": s.max_sequence_length,
            "speed": {"cache": s.cache, "cache_threshold": s.cache_threshold, "cfg": s.cfg,
                      "compile": s.compile, "attention": s.attention,
                      "trim_logits": s.trim_logits,
                      "vae_tiling": s.vae_tiling},
            **timing,
        }


def _named(source: ModelSource, model: str) -> ModelSource:
    return source if source.name == model else ModelSource(model, source.path, source.revision)


def create(settings: Any = None) -> FiboEngine:
    """Entry point factory: cheap, reads ``STUDIOFLOW_FIBO_*`` (nothing heavy imported)."""
    return FiboEngine(settings if isinstance(settings, FiboSettings) else FiboSettings())
