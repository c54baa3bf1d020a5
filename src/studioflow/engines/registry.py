"""The engine registry (entry-point group ``studioflow.engines``)."""

from __future__ import annotations

from studioflow.engines.engine_base import Capabilities, Engine, EngineStatus
from studioflow.plugins import PluginRegistry


class EngineRegistry(PluginRegistry[Engine]):
    group = "studioflow.engines"
    kind = "engine"
    path = "$.render.engine"

    def capabilities(self, name: str) -> Capabilities:
        return self.get(name).capabilities

    def statuses(self) -> dict[str, tuple[Capabilities | None, EngineStatus]]:
        out: dict[str, tuple[Capabilities | None, EngineStatus]] = {}
        for name in self.names():
            try:
                engine = self.get(name)
                out[name] = (engine.capabilities, engine.status())
            except Exception as exc:  # a broken plugin must not hide the others
                out[name] = (None, EngineStatus(False, False, False, f"failed to load: {exc}"))
        return out
