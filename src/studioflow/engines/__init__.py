"""Render engines behind one small protocol (see ``engine_base``)."""

from studioflow.engines.engine_base import (
    CancelToken,
    Capabilities,
    Engine,
    EngineStatus,
    ProgressCallback,
    ProgressEvent,
    RenderRequest,
    RenderResult,
)
from studioflow.engines.registry import EngineRegistry

__all__ = [
    "CancelToken",
    "Capabilities",
    "Engine",
    "EngineRegistry",
    "EngineStatus",
    "ProgressCallback",
    "ProgressEvent",
    "RenderRequest",
    "RenderResult",
]
