"""Inspire: a manifest from a reference image (optionally plus words).

With a vision translator (openai, anthropic, gemini, bria, local-vlm: anything with an
``inspire`` method) the model reads the image. Otherwise the embedded analyser reads what
pixels can tell (palette, backdrop, brightness and contrast, an estimate of the light's
direction, aspect and composition), the words go through the chosen translator (rules by
default), and the image's look is merged into the lighting, background and colour fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studioflow.translate.inspire.analyse import ImageFindings, analyse
from studioflow.translate.inspire.apply import apply_findings
from studioflow.translate.inspire.safe_image import encode_for_model, open_image

DEFAULT_PROMPT = "a product"
DEFAULT_MAX_PIXELS = 40_000_000


@dataclass
class InspireResult:
    manifest: dict[str, Any]
    translator: str  # what produced it ("rules+image", "openai", "openai->rules (fallback)")
    analysis: dict[str, Any] | None = None  # the embedded analyser's findings, when it ran
    info: dict[str, Any] = field(default_factory=dict)  # an LLM translator's report


def _max_pixels(settings: Any) -> int:
    return int(getattr(settings, "max_image_pixels", None) or DEFAULT_MAX_PIXELS)


def analyse_upload(data: bytes, settings: Any = None, source: str = "image") -> ImageFindings:
    """Check, decode and analyse uploaded image bytes."""
    img, size = open_image(data, _max_pixels(settings), source)
    return analyse(img, size)


def embedded_inspire(data: bytes, prompt: str | None, translator: Any,
                     settings: Any = None) -> dict[str, Any]:
    """The manifest from the embedded analyser; ``translator`` turns the words (if any)
    into the starting manifest."""
    return _embedded(data, prompt, translator, settings)[0]


def _embedded(data: bytes, prompt: str | None, translator: Any,
              settings: Any) -> tuple[dict[str, Any], ImageFindings]:
    findings = analyse_upload(data, settings)  # checked before the words cost anything
    base = translator.translate(prompt or DEFAULT_PROMPT)
    return apply_findings(base, findings), findings


def inspire_manifest(translators: Any, settings: Any, data: bytes, prompt: str | None = None,
                     translator: str | None = None) -> InspireResult:
    """Inspire with the named translator (default: the configured one)."""
    from studioflow.core.prompts import clean_text

    name = translator or settings.translator
    plugin = translators.require(name)
    text = clean_text(prompt, settings.max_prompt_chars, "prompt") if prompt else None
    if hasattr(plugin, "inspire"):
        from studioflow.translate.llm import ImageInput

        image, mime = encode_for_model(data, _max_pixels(settings))
        manifest = plugin.inspire(ImageInput(image, mime), text)
        info = dict(getattr(plugin, "last_translation_info", None) or {})
        return InspireResult(manifest, str(info.get("label") or name), None, info)
    manifest, findings = _embedded(data, text, plugin, settings)
    return InspireResult(manifest, f"{name}+image", findings.as_dict())


__all__ = ["ImageFindings", "InspireResult", "analyse", "analyse_upload", "apply_findings",
           "embedded_inspire", "inspire_manifest"]
