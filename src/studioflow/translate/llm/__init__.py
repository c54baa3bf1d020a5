"""LLM translators: OpenAI-compatible, Anthropic, Gemini, Bria's hosted VLM bridge and a
local FIBO-VLM style model. Each is a ``studioflow.translators`` plugin built on
``llm_base.LLMTranslator`` (see docs/translators.md)."""

from studioflow.translate.llm.llm_base import Answer, ImageInput, LLMRequest, LLMTranslator
from studioflow.translate.llm.llm_http import TranslatorAnswerError, TranslatorTimeoutError

__all__ = ["Answer", "ImageInput", "LLMRequest", "LLMTranslator", "TranslatorAnswerError",
           "TranslatorTimeoutError"]
