"""The translator registry (entry-point group ``studioflow.translators``)."""

from __future__ import annotations

from studioflow.plugins import PluginRegistry
from studioflow.translate.translator_base import Translator


class TranslatorRegistry(PluginRegistry[Translator]):
    group = "studioflow.translators"
    kind = "translator"
    path = "translator"
