"""``gemini``: Google's Gemini API, ``generateContent`` with a response schema.

``POST {GEMINI_BASE_URL}/v1beta/models/{model}:generateContent`` with header
``x-goog-api-key`` (``GEMINI_API_KEY``, else ``GOOGLE_API_KEY``), ``systemInstruction``,
and ``generationConfig.responseMimeType: application/json`` plus ``responseSchema``:
``llm_schema.gemini_schema`` of the answer schema (Gemini's OpenAPI subset, with
``propertyOrdering`` keeping FIBO's field order). An image is an ``inlineData`` part.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from urllib.parse import quote

from studioflow.translate.llm.llm_base import Answer, LLMRequest, LLMTranslator
from studioflow.translate.llm.llm_http import Provider, post_json, require_key
from studioflow.translate.llm.llm_schema import gemini_schema

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"
PROVIDER = Provider("Gemini", "GEMINI_API_KEY (or GOOGLE_API_KEY)", "GEMINI_BASE_URL")


class GeminiTranslator(LLMTranslator):
    name = "gemini"
    default_model = "gemini-2.5-flash"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base_url = (os.environ.get("GEMINI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")

    def check_config(self) -> None:
        require_key(PROVIDER, self.api_key)

    def body(self, request: LLMRequest) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"text": request.user_text}]
        if request.image is not None:
            parts.append({"inlineData": {
                "mimeType": request.image.mime,
                "data": base64.b64encode(request.image.data).decode("ascii")}})
        contents: list[dict[str, Any]] = [{"role": "user", "parts": parts}]
        if request.previous is not None:
            contents += [{"role": "model", "parts": [{"text": request.previous.text}]},
                         {"role": "user", "parts": [{"text": request.repair_text}]}]
        return {
            "systemInstruction": {"parts": [{"text": request.system}]},
            "contents": contents,
            "generationConfig": {"temperature": 0, "responseMimeType": "application/json",
                                 "responseSchema": gemini_schema(request.schema)},
        }

    def complete(self, request: LLMRequest) -> Answer:
        url = f"{self.base_url}/v1beta/models/{quote(self.model, safe='')}:generateContent"
        data = post_json(PROVIDER, url, self.body(request),
                         {"x-goog-api-key": self.api_key or ""}, self.timeout_s,
                         self.max_attempts)
        try:
            candidate = data["candidates"][0]
            text = "".join(p.get("text", "") for p in candidate["content"]["parts"])
        except (KeyError, IndexError, TypeError):
            blocked = (data.get("promptFeedback") or {}).get("blockReason") \
                if isinstance(data, dict) else None
            return Answer(text=f"(no answer: {blocked})" if blocked else str(data)[:2000])
        return Answer(text=text)


def create(settings: Any = None) -> GeminiTranslator:
    """Entry-point factory (``studioflow.translators``: ``gemini``)."""
    from studioflow.core.config import Settings

    return GeminiTranslator(settings if settings is not None else Settings())
