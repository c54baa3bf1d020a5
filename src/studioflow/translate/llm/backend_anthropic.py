"""``anthropic``: Claude through the Messages API, the answer forced through a tool.

``POST {ANTHROPIC_BASE_URL}/v1/messages`` with headers ``x-api-key: $ANTHROPIC_API_KEY``
and ``anthropic-version``; the answer schema is the ``input_schema`` of one tool and
``tool_choice`` forces that tool, so the answer arrives as the ``tool_use`` block's
``input``. An image is a ``{"type": "image", "source": {"type": "base64", ...}}`` block. The
repair round answers the tool call with a ``tool_result`` marked ``is_error``.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from studioflow.translate.llm.llm_base import Answer, LLMRequest, LLMTranslator
from studioflow.translate.llm.llm_http import Provider, post_json, require_key

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
PROVIDER = Provider("Anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")
TOOL = "write_manifest"
MAX_TOKENS = 8192


class AnthropicTranslator(LLMTranslator):
    name = "anthropic"
    default_model = "claude-sonnet-4-5"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base_url = (os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.api_key = os.environ.get("ANTHROPIC_API_KEY")

    def check_config(self) -> None:
        require_key(PROVIDER, self.api_key)

    def body(self, request: LLMRequest) -> dict[str, Any]:
        user: list[dict[str, Any]] = []
        if request.image is not None:
            user.append({"type": "image", "source": {
                "type": "base64", "media_type": request.image.mime,
                "data": base64.b64encode(request.image.data).decode("ascii")}})
        user.append({"type": "text", "text": request.user_text})
        messages: list[dict[str, Any]] = [{"role": "user", "content": user}]
        if request.previous is not None:
            call_id = request.previous.meta.get("tool_use_id", "toolu_previous")
            given = request.previous.data if request.previous.data is not None else {}
            messages += [
                {"role": "assistant", "content": [
                    {"type": "tool_use", "id": call_id, "name": TOOL, "input": given}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": call_id, "is_error": True,
                     "content": request.repair_text}]},
            ]
        return {
            "model": self.model,
            "max_tokens": MAX_TOKENS,
            "temperature": 0,
            "system": request.system,
            "messages": messages,
            "tools": [{"name": TOOL, "description": "Write the StudioFlow manifest's fibo "
                       "caption (and controls) for the shot.", "input_schema": request.schema}],
            "tool_choice": {"type": "tool", "name": TOOL},
        }

    def complete(self, request: LLMRequest) -> Answer:
        headers = {"x-api-key": self.api_key or "", "anthropic-version": API_VERSION}
        data = post_json(PROVIDER, f"{self.base_url}/v1/messages", self.body(request),
                         headers, self.timeout_s, self.max_attempts)
        blocks = data.get("content") if isinstance(data, dict) else None
        for block in blocks or []:
            if block.get("type") == "tool_use" and isinstance(block.get("input"), dict):
                return Answer(text=json.dumps(block["input"], ensure_ascii=False),
                              data=block["input"], meta={"tool_use_id": block.get("id")})
        text = " ".join(b.get("text", "") for b in blocks or [] if b.get("type") == "text")
        return Answer(text=text or str(data)[:2000])


def create(settings: Any = None) -> AnthropicTranslator:
    """Entry-point factory (``studioflow.translators``: ``anthropic``)."""
    from studioflow.core.config import Settings

    return AnthropicTranslator(settings if settings is not None else Settings())
