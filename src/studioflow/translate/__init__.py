"""Translators: from a sentence to a manifest, and refinements of a manifest."""

from studioflow.translate.registry import TranslatorRegistry
from studioflow.translate.translator_base import Translator

__all__ = ["Translator", "TranslatorRegistry"]
