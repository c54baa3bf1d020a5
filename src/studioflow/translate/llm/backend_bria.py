"""``bria``: Bria's hosted structured-prompt generation (its Gemini-based "VLM bridge").

``POST {BRIA_API_URL}/structured_prompt/generate`` with header ``api_token:
$BRIA_API_TOKEN`` and one of Bria's documented input combinations: ``prompt`` (generate),
``images`` (+ ``prompt``) (inspire, a base64 image) or ``structured_prompt`` + ``prompt``
(refine). We ask for ``sync: true``; the answer is ``{"result": {"structured_prompt":
"<JSON text>", "seed"}}`` (a top-level ``structured_prompt`` is accepted too). When Bria
answers ``202 {request_id, status_url}`` instead, ``GET {BRIA_API_URL}/status/{id}`` is
polled until ``COMPLETED``. The structured prompt is FIBO's caption, so it becomes the
manifest's ``fibo``; Bria writes no studio controls.

The repair round is a Bria refinement: the invalid caption as ``structured_prompt`` and
the validator's problems as the ``prompt``. Sources: docs/translators.md.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import quote

from studioflow.errors import EngineError
from studioflow.translate.llm.llm_base import Answer, LLMRequest, LLMTranslator
from studioflow.translate.llm.llm_http import (
    Provider,
    TranslatorTimeoutError,
    httpx_module,
    post_json,
    provider_message,
    require_key,
)

PROVIDER = Provider("Bria", "BRIA_API_TOKEN", "BRIA_API_URL")
POLL_INTERVAL_S = 0.5


class BriaTranslator(LLMTranslator):
    name = "bria"
    default_model = "bria-vlm-bridge"
    controls_supported = False

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        from studioflow.engines.bria.config import BriaSettings

        bria = getattr(settings, "bria", None) or BriaSettings()
        self.base_url, self.token = bria.base_url, bria.token

    def check_config(self) -> None:
        require_key(PROVIDER, self.token)

    def body(self, request: LLMRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"sync": True}
        if request.previous is not None:
            body["structured_prompt"] = _caption_text(request.previous)
            body["prompt"] = request.repair_text
            return body
        if request.mode == "refine" and request.current is not None:
            body["structured_prompt"] = json.dumps(request.current["fibo"], ensure_ascii=False)
        if request.image is not None:
            body["images"] = [base64.b64encode(request.image.data).decode("ascii")]
        if request.prompt:
            body["prompt"] = request.prompt
        return body

    def complete(self, request: LLMRequest) -> Answer:
        headers = {"api_token": self.token or ""}
        started = time.monotonic()
        data = post_json(PROVIDER, f"{self.base_url}/structured_prompt/generate",
                         self.body(request), headers, self.timeout_s, self.max_attempts)
        if _caption(data) is None and isinstance(data, dict) and data.get("request_id"):
            remaining = self.timeout_s - (time.monotonic() - started)
            data = self._poll(str(data["request_id"]), headers, remaining)
        caption = _caption(data)
        if caption is None:
            return Answer(text=str(data)[:2000])
        seed = (data.get("result") or {}).get("seed") if isinstance(data, dict) else None
        return Answer(text=caption, meta={"bria_seed": seed})

    def _poll(self, request_id: str, headers: dict[str, str], remaining: float) -> Any:
        httpx = httpx_module()
        url = f"{self.base_url}/status/{quote(request_id, safe='')}"
        deadline = time.monotonic() + remaining
        with httpx.Client(follow_redirects=False) as client:
            while time.monotonic() < deadline:
                try:
                    response = client.get(url, headers=headers,
                                          timeout=max(0.01, deadline - time.monotonic()))
                except httpx.TimeoutException:
                    break
                except httpx.TransportError as exc:
                    raise EngineError(f"cannot reach Bria at {url}: {exc}") from None
                if response.status_code >= 400:
                    raise EngineError(f"Bria status {request_id} answered HTTP "
                                      f"{response.status_code}: {provider_message(response)}")
                try:
                    data = response.json()
                except ValueError:
                    data = {}
                status = data.get("status") if isinstance(data, dict) else None
                if status == "COMPLETED":
                    return data
                if status in ("ERROR", "UNKNOWN"):
                    raise EngineError(f"Bria failed request {request_id} ({status}): "
                                      f"{provider_message(response)}")
                time.sleep(min(POLL_INTERVAL_S, max(0.0, deadline - time.monotonic())))
        raise TranslatorTimeoutError(f"Bria did not finish request {request_id} within "
                                     f"{self.timeout_s:g} s")


def _caption(data: Any) -> str | None:
    """The structured prompt (JSON text) from a sync answer or a completed status."""
    if not isinstance(data, dict):
        return None
    result = data.get("result")
    value = result.get("structured_prompt") if isinstance(result, dict) else None
    value = value if value is not None else data.get("structured_prompt")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else None


def _caption_text(answer: Answer) -> str:
    """The caption being repaired, as Bria takes it (JSON text); its ``fibo`` part when the
    answer was wrapped."""
    try:
        data = json.loads(answer.text)
    except ValueError:
        return answer.text
    if isinstance(data, dict) and isinstance(data.get("fibo"), dict):
        data = data["fibo"]
    return json.dumps(data, ensure_ascii=False)


def create(settings: Any = None) -> BriaTranslator:
    """Entry-point factory (``studioflow.translators``: ``bria``)."""
    from studioflow.core.config import Settings

    return BriaTranslator(settings if settings is not None else Settings())
