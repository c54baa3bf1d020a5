"""``openai``: any OpenAI-compatible chat completions API (OpenAI, vLLM, Ollama, LM Studio,
llama.cpp server).

``POST {OPENAI_BASE_URL}/chat/completions`` with ``Authorization: Bearer $OPENAI_API_KEY``
and ``response_format: {"type": "json_schema", "json_schema": {"name", "schema",
"strict": true}}``, the schema being ``llm_schema.openai_strict`` of the answer schema. An
image goes in as an ``image_url`` content part holding a ``data:`` URL. The key is required
for api.openai.com only: local servers usually take none.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from urllib.parse import urlparse

from studioflow.translate.llm.llm_base import Answer, LLMRequest, LLMTranslator
from studioflow.translate.llm.llm_http import Provider, post_json, require_key
from studioflow.translate.llm.llm_schema import openai_strict

DEFAULT_BASE_URL = "https://api.openai.com/v1"
PROVIDER = Provider("OpenAI", "OPENAI_API_KEY", "OPENAI_BASE_URL")
SCHEMA_NAME = "studioflow_manifest"


def data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class OpenAITranslator(LLMTranslator):
    name = "openai"
    default_model = "gpt-4o-mini"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base_url = (os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = os.environ.get("OPENAI_API_KEY")

    def _needs_key(self) -> bool:
        return (urlparse(self.base_url).hostname or "").endswith("openai.com")

    def check_config(self) -> None:
        if self._needs_key():
            require_key(PROVIDER, self.api_key)

    def body(self, request: LLMRequest) -> dict[str, Any]:
        user: Any = request.user_text
        if request.image is not None:
            user = [{"type": "text", "text": request.user_text},
                    {"type": "image_url",
                     "image_url": {"url": data_url(request.image.data, request.image.mime)}}]
        messages: list[dict[str, Any]] = [{"role": "system", "content": request.system},
                                          {"role": "user", "content": user}]
        if request.previous is not None:
            messages += [{"role": "assistant", "content": request.previous.text},
                         {"role": "user", "content": request.repair_text}]
        return {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "response_format": {"type": "json_schema", "json_schema": {
                "name": SCHEMA_NAME, "schema": openai_strict(request.schema), "strict": True}},
        }

    def complete(self, request: LLMRequest) -> Answer:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        data = post_json(PROVIDER, f"{self.base_url}/chat/completions", self.body(request),
                         headers, self.timeout_s, self.max_attempts)
        try:
            message = data["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            return Answer(text=str(data)[:2000])
        if message.get("refusal"):
            return Answer(text=f"(refused: {message['refusal']})")
        return Answer(text=message.get("content") or "")


def create(settings: Any = None) -> OpenAITranslator:
    """Entry-point factory (``studioflow.translators``: ``openai``)."""
    from studioflow.core.config import Settings

    return OpenAITranslator(settings if settings is not None else Settings())
