"""The translator protocol: text in, a complete schema-valid manifest out.

``translate`` builds a manifest from a sentence (on top of ``base`` when given: fields the
sentence does not mention keep the base's values). ``refine`` applies an instruction to a
manifest and changes only the fields the instruction addresses; every other field stays
byte-identical. Translators register through the ``studioflow.translators`` entry points.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Translator(Protocol):
    name: str

    def translate(self, prompt: str, base: dict[str, Any] | None = None) -> dict[str, Any]: ...

    def refine(self, manifest: dict[str, Any], instruction: str) -> dict[str, Any]: ...
