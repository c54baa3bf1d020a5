"""The engine protocol: what every renderer (preview, FIBO, ComfyUI, Bria) provides.

An engine declares its ``capabilities`` (checked before any work starts), reports
``status()`` (installed, configured, available, and why not), and ``render``s one request,
calling ``on_progress`` per step and stopping when the request's ``cancel`` token is set.
Engines are registered through the ``studioflow.engines`` entry-point group; built-in ones
use the same hook as third-party plugins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from studioflow.errors import CancelledError


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do; the validator checks requests against it."""

    label: str  # shown in every UI next to the image, e.g. "preview"
    size_multiple: int = 16
    min_side: int = 64
    max_side: int = 4096
    max_pixels: int = 4096 * 4096
    max_images: int = 1
    negative_prompt: bool = False
    steps: tuple[int, int] | None = None  # allowed range; None = the engine has no steps
    guidance: bool = False
    deterministic: bool = True  # same request and seed -> same pixels
    float_output: bool = False  # images come as float32 in [0, 1], keep them for 16-bit export
    needs_gpu: bool = False
    remote: bool = False  # renders on another machine (ComfyUI, hosted API)

    def as_dict(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["steps"] = list(self.steps) if self.steps else None
        return d


@dataclass(frozen=True)
class EngineStatus:
    installed: bool
    configured: bool
    available: bool
    reason: str | None = None  # why not available, in words that say what to do
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"installed": self.installed, "configured": self.configured,
                "available": self.available, "reason": self.reason, "details": self.details}


class CancelToken:
    """Set once to cancel; engines poll ``raise_if_cancelled`` at step boundaries, and remote
    engines register ``on_cancel`` callbacks (e.g. ComfyUI's /interrupt)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def cancel(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks = list(self._callbacks)
        for cb in callbacks:
            cb()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError("render cancelled")


@dataclass
class RenderRequest:
    """One render, fully resolved: sizes and seed are concrete, controls already compiled."""

    manifest: dict[str, Any]
    width: int
    height: int
    seed: int
    num_images: int = 1
    steps: int | None = None
    guidance_scale: float | None = None
    negative_prompt: str | dict | None = None
    model: str | None = None
    cancel: CancelToken = field(default_factory=CancelToken)

    @property
    def fibo(self) -> dict[str, Any]:
        return self.manifest["fibo"]


@dataclass(frozen=True)
class ProgressEvent:
    step: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 0.0


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class RenderResult:
    """Images as HxWx3 arrays: uint8, or float32 in [0, 1] when the engine keeps floats.

    ``model_revision`` and ``metadata`` (versions, timings, dtype, device ...) go into the
    render's record so that it can be reproduced.
    """

    images: list[np.ndarray]
    model: str | None = None
    model_revision: str | None = None
    steps: int | None = None
    guidance_scale: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Engine(Protocol):
    name: str
    capabilities: Capabilities

    def status(self) -> EngineStatus: ...

    def render(self, request: RenderRequest,
               on_progress: ProgressCallback | None = None) -> RenderResult: ...
