"""The ``bria`` engine: renders a manifest's FIBO caption on Bria's hosted API.

Progress has four steps: Bria accepted the request, Bria is generating, Bria finished,
image downloaded. Bria's status service reports no percentage, so there is nothing finer.
"""

from __future__ import annotations

import io
import json
import logging
from importlib.util import find_spec
from typing import Any

import numpy as np

from studioflow.engines.bria.client import BriaClient, RetryHook
from studioflow.engines.bria.config import BriaSettings
from studioflow.engines.bria.payload import BriaSize, build_body, size_table
from studioflow.engines.bria.retry import Waiter
from studioflow.engines.engine_base import (
    Capabilities,
    EngineStatus,
    ProgressCallback,
    ProgressEvent,
    RenderRequest,
    RenderResult,
)
from studioflow.errors import ConfigError, EngineError, ErrorDetail

log = logging.getLogger(__name__)

DEFAULT_MODEL = "FIBO"
TOKEN_HINT = ("export BRIA_API_TOKEN=<your token> "
              "(create one at https://platform.bria.ai/console/account/api-keys)")
STAGES = ("Bria accepted the request", "Bria is generating", "Bria finished",
          "image downloaded")


def _capabilities() -> Capabilities:
    sizes = list(size_table())
    return Capabilities(
        label="bria",
        size_multiple=16,
        min_side=min(min(w, h) for w, h in sizes),
        max_side=max(max(w, h) for w, h in sizes),
        max_pixels=max(w * h for w, h in sizes),
        max_images=1,
        negative_prompt=True,
        steps=(20, 50),
        guidance=True,
        deterministic=False,  # a hosted service: same seed is not promised the same pixels
        remote=True,
    )


class _Progress:
    """Steps 1..4 in order, each once, whatever order the stages are reached in."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.done = 0

    def reach(self, step: int, note: str = "") -> None:
        while self.done < step:
            self.done += 1
            if self.callback:
                message = STAGES[self.done - 1] + (f" ({note})" if note else "")
                self.callback(ProgressEvent(self.done, len(STAGES), message))


def _decode(data: bytes, width: int, height: int) -> tuple[np.ndarray, tuple[int, int]]:
    """RGB uint8 pixels of exactly width x height, and the size Bria delivered. Bria picks
    the pixel size of each aspect ratio itself, so a near miss is centre-cropped to our
    aspect and resampled."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise EngineError(f"Bria's image could not be decoded: {exc}") from None
    native = image.size
    image = image.convert("RGB")
    if native != (width, height):
        w, h = native
        if w * height > h * width:  # too wide: crop the sides
            cw, ch = round(h * width / height), h
        else:
            cw, ch = w, round(w * height / width)
        left, top = (w - cw) // 2, (h - ch) // 2
        image = image.crop((left, top, left + cw, top + ch))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=np.uint8).copy(), native


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class BriaEngine:
    name = "bria"

    def __init__(self, settings: BriaSettings | None = None,
                 on_retry: RetryHook | None = None) -> None:
        self.settings = settings or BriaSettings()
        self.on_retry = on_retry
        self.capabilities = _capabilities()

    def status(self) -> EngineStatus:
        s = self.settings
        installed = find_spec("httpx") is not None
        configured = s.token is not None
        problem = s.url_problem()
        reason = None
        if not installed:
            reason = "httpx is not installed; install it with: pip install 'studioflow[bria]'"
        elif not configured:
            reason = f"BRIA_API_TOKEN is not set; {TOKEN_HINT}"
        elif problem:
            reason = problem
        details = {"api_url": s.base_url, "token": "set" if configured else "missing",
                   "sync": s.sync, "timeout_s": s.timeout}
        return EngineStatus(installed, configured, installed and configured and not problem,
                            reason, details)

    def _check_setup(self) -> None:
        if self.settings.token is None:
            raise ConfigError("the bria engine needs a Bria API token",
                              [ErrorDetail("BRIA_API_TOKEN", TOKEN_HINT)])
        problem = self.settings.url_problem()
        if problem:
            raise ConfigError(problem, [ErrorDetail("BRIA_API_URL", "e.g. "
                                                    "https://engine.prod.bria-api.com/v2")])

    def render(self, request: RenderRequest,
               on_progress: ProgressCallback | None = None) -> RenderResult:
        request.cancel.raise_if_cancelled()
        self._check_setup()
        body, size = build_body(request, self.settings.sync)  # refuses before sending
        progress = _Progress(on_progress)
        waiter = Waiter(request.cancel, self.settings.timeout)
        with BriaClient(self.settings, waiter, self.on_retry) as client:
            answer = client.submit(body)
            request_id = str(answer.get("request_id") or "") or None
            progress.reach(1, f"request {request_id}" if request_id else "")
            client.check_cancel(request_id)
            result = answer.get("result")
            if not (isinstance(result, dict) and result.get("image_url")):
                if request_id is None:
                    raise EngineError("Bria answered without a request id or an image")
                result = client.wait(request_id, lambda: progress.reach(2))
            progress.reach(3)
            data = client.download(str(result["image_url"]), request_id or "-")
        image, native = _decode(data, request.width, request.height)
        progress.reach(4)
        metadata = self._metadata(body, size, answer, result, native, request_id)
        return RenderResult(images=[image], model=request.model or DEFAULT_MODEL,
                            model_revision=metadata["bria_model_version"], steps=request.steps,
                            guidance_scale=request.guidance_scale, metadata=metadata)

    def _metadata(self, body: dict[str, Any], size: BriaSize, answer: dict[str, Any],
                  result: dict[str, Any], native: tuple[int, int],
                  request_id: str | None) -> dict[str, Any]:
        reported_seed = result.get("seed")
        if reported_seed is not None and reported_seed != body["seed"]:
            log.warning("bria: asked for seed %s, Bria reports %s", body["seed"], reported_seed)
        version = result.get("model_version") or answer.get("model_version")
        warning = result.get("warning") or answer.get("warning")
        metadata = {
            "bria_request_id": request_id,
            "bria_seed": reported_seed,
            "bria_structured_prompt": _parsed(result.get("structured_prompt")),
            "bria_model_version": version,
            "bria_aspect_ratio": size.aspect_ratio,
            "bria_resolution": size.resolution,
            "bria_sync": bool(body.get("sync")),
            "bria_image_size": list(native),
            "bria_api_url": self.settings.base_url,
        }
        if warning:
            metadata["bria_warning"] = warning
        return metadata


def create(settings: Any = None) -> BriaEngine:
    """Entry-point factory. ``settings.bria`` (a BriaSettings) wins over the environment."""
    bria = getattr(settings, "bria", None)
    return BriaEngine(bria if isinstance(bria, BriaSettings) else BriaSettings())
