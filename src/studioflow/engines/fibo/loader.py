"""Loading BriaFiboPipeline once per process and keeping it within a memory budget."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studioflow.engines.fibo import speed
from studioflow.engines.fibo.device import Placement
from studioflow.engines.fibo.settings import FiboSettings
from studioflow.engines.fibo.source import ModelSource, folder_revision
from studioflow.errors import ConfigError, ErrorDetail, missing_extra

REQUIRED_MODULES = ("torch", "diffusers", "transformers", "safetensors", "tokenizers")
GIB = 1 << 30


@dataclass
class LoadedPipeline:
    pipe: Any
    source: ModelSource
    path: Path
    revision: str | None
    placement: Placement
    load_seconds: float
    nbytes: int
    fast: speed.FastTransformer | None


def import_diffusers() -> Any:
    """``diffusers`` with its torch stack, or the error that names the extra to install."""
    for module in REQUIRED_MODULES:
        try:
            __import__(module)
        except ImportError as exc:
            raise missing_extra("fibo", module) from exc
    import diffusers

    return diffusers


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No progress bars or advisory warnings from diffusers/transformers while loading."""
    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    d_bars, t_bars = dlog.is_progress_bar_enabled(), tlog.is_progress_bar_enabled()
    d_level, t_level = dlog.get_verbosity(), tlog.get_verbosity()
    dlog.disable_progress_bar()
    tlog.disable_progress_bar()
    dlog.set_verbosity_error()
    tlog.set_verbosity_error()
    try:
        yield
    finally:
        dlog.set_verbosity(d_level)
        tlog.set_verbosity(t_level)
        if d_bars:
            dlog.enable_progress_bar()
        if t_bars:
            tlog.enable_progress_bar()


def load(source: ModelSource, placement: Placement, settings: FiboSettings) -> LoadedPipeline:
    diffusers = import_diffusers()
    if source.path is None:
        raise ConfigError(f"FIBO weights not found locally: {source.name}")
    started = time.perf_counter()
    revision = source.revision or folder_revision(source.path)
    with _quiet():
        try:
            pipe = diffusers.BriaFiboPipeline.from_pretrained(
                str(source.path), dtype=placement.torch_dtype(), local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure here means a broken folder
            raise ConfigError(f"cannot load FIBO from {source.path}: {exc}",
                              [ErrorDetail("$.render.model", "expected a complete diffusers "
                                                             "BriaFiboPipeline folder")]) from exc
        pipe.set_progress_bar_config(disable=True)
        fast = speed.apply(pipe, cache=settings.cache, threshold=settings.cache_threshold,
                           cfg=settings.cfg, compile_blocks=settings.compile,
                           attention=settings.attention, trim=settings.trim_logits)
    _place(pipe, placement)
    if settings.vae_tiling:
        pipe.vae.enable_tiling()
    return LoadedPipeline(pipe, source, source.path, revision, placement,
                          time.perf_counter() - started, parameter_bytes(pipe), fast)


def _place(pipe: Any, placement: Placement) -> None:
    if placement.offload == "model":
        pipe.enable_model_cpu_offload(device=placement.device)
    elif placement.offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=placement.device)
    else:
        pipe.to(placement.device)


def parameter_bytes(pipe: Any) -> int:
    """Bytes held by the weights and buffers of every model in the pipeline."""
    total = 0
    for component in pipe.components.values():
        for attr in ("parameters", "buffers"):
            tensors = getattr(component, attr, None)
            if callable(tensors):
                total += sum(t.numel() * t.element_size() for t in tensors())
    return total


class PipelineCache:
    """Loaded pipelines, least recently used evicted first once their parameter bytes exceed
    the budget; the pipeline in use always stays. ``loads`` counts real loads."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self.loads = 0
        self._items: OrderedDict[tuple, LoadedPipeline] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, loader: Callable[[], LoadedPipeline],
            estimate: int = 0) -> tuple[LoadedPipeline, bool]:
        """The pipeline for ``key`` and whether it was loaded by this call; ``estimate`` (the
        new pipeline's expected bytes) makes room before loading, not after."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key], False
            self._evict(keep=None, extra=estimate)
            loaded = loader()
            self.loads += 1
            self._items[key] = loaded
            self._evict(keep=key)
            return loaded, True

    def keys(self) -> list[tuple]:
        return list(self._items)

    def total_bytes(self) -> int:
        return sum(p.nbytes for p in self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            _free_memory()

    def _evict(self, keep: tuple | None, extra: int = 0) -> None:
        evicted = False
        while (self.total_bytes() + extra > self.budget_bytes
               and any(k != keep for k in self._items)):
            oldest = next(k for k in self._items if k != keep)
            del self._items[oldest]
            evicted = True
        if evicted:
            _free_memory()


def weight_file_bytes(folder: Path) -> int:
    """Size of a model folder's weight files: the estimate of what loading it will take."""
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.suffix in (".safetensors", ".bin") and p.is_file())


def _free_memory() -> None:
    gc.collect()
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()
