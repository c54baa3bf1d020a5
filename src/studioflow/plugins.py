"""Plugins: engines and translators are found through entry points.

An entry point in group ``studioflow.engines`` or ``studioflow.translators`` names a factory
``factory(settings) -> plugin``. Built-in plugins register through the same entry points
as third-party ones. Factories must be cheap: heavy imports happen on first use.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from studioflow.errors import ErrorDetail, InputError

T = TypeVar("T")


class PluginRegistry(Generic[T]):
    group: str = ""
    kind: str = "plugin"  # in error messages: "unknown engine 'x'"
    path: str = ""  # where the name came from, for error details

    def __init__(self, settings: Any, factories: dict[str, Any] | None = None) -> None:
        self._settings = settings
        if factories is None:
            factories = {ep.name: ep for ep in entry_points(group=self.group)}
        self._factories = dict(factories)
        self._plugins: dict[str, T] = {}

    def names(self) -> list[str]:
        return sorted(self._factories)

    def add(self, name: str, factory: Any) -> None:
        """Register a factory by hand (tests, embedding applications)."""
        self._factories[name] = factory
        self._plugins.pop(name, None)

    def get(self, name: str) -> T:
        """The plugin called ``name``; ``KeyError(name, known_names)`` when unknown."""
        if name not in self._plugins:
            if name not in self._factories:
                raise KeyError(name, self.names())
            factory = self._factories[name]
            if hasattr(factory, "load") and hasattr(factory, "group"):  # an EntryPoint
                factory = factory.load()
            self._plugins[name] = factory(self._settings)
        return self._plugins[name]

    def require(self, name: str) -> T:
        """Like ``get`` but raises a user-facing ``InputError`` for unknown names."""
        try:
            return self.get(name)
        except KeyError:
            raise InputError(
                f"unknown {self.kind} {name!r}",
                [ErrorDetail(self.path, f"installed {self.kind}s: {', '.join(self.names())}")],
            ) from None
