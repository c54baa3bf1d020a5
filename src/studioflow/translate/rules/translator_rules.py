"""The embedded default translator: rules, no network, no model."""

from __future__ import annotations

from typing import Any

from studioflow.core.prompts import clean_text
from studioflow.translate.rules.build import build_manifest
from studioflow.translate.rules.extract import extract
from studioflow.translate.rules.refine import refine_manifest

DEFAULT_MAX_CHARS = 4000


class RulesTranslator:
    """``translate`` a sentence into a manifest; ``refine`` a manifest with an instruction."""

    name = "rules"

    def __init__(self, max_prompt_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.max_prompt_chars = max_prompt_chars

    def translate(self, prompt: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
        text = clean_text(prompt, self.max_prompt_chars, "prompt")
        return build_manifest(extract(text), base)

    def refine(self, manifest: dict[str, Any], instruction: str) -> dict[str, Any]:
        text = clean_text(instruction, self.max_prompt_chars, "instruction")
        return refine_manifest(manifest, text)


def create(settings: Any = None) -> RulesTranslator:
    """Entry-point factory (``studioflow.translators``: ``rules``)."""
    limit = getattr(settings, "max_prompt_chars", None) or DEFAULT_MAX_CHARS
    return RulesTranslator(max_prompt_chars=int(limit))
