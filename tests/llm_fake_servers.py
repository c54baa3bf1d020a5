"""Local stand-ins for the LLM providers, speaking their documented request and answer shapes.

One threaded ``http.server`` on 127.0.0.1 per test, in the dialect of one provider:

- ``openai``:    POST /v1/chat/completions, ``Authorization: Bearer KEY``; answers
                 ``{"choices": [{"message": {"role": "assistant", "content": TEXT}}]}``;
                 errors ``{"error": {"message", "type", "code"}}``.
- ``anthropic``: POST /v1/messages, ``x-api-key`` and ``anthropic-version`` headers; answers
                 ``{"type": "message", "content": [{"type": "tool_use", "id", "name",
                 "input"}], "stop_reason": "tool_use"}``; errors ``{"type": "error",
                 "error": {"type", "message"}}``.
- ``gemini``:    POST /v1beta/models/{model}:generateContent, ``x-goog-api-key``; answers
                 ``{"candidates": [{"content": {"role": "model", "parts": [{"text"}]}}]}``;
                 errors ``{"error": {"code", "message", "status"}}``.
- ``bria``:      POST /v2/structured_prompt/generate, ``api_token``; ``sync: true`` answers
                 ``{"request_id", "result": {"structured_prompt": "<json>", "seed"}}``, else
                 202 ``{"request_id", "status_url"}`` and GET /v2/status/{id} answers
                 ``{"status": "COMPLETED", "result": {...}}``; errors ``{"error": {"code",
                 "message", "details"}, "request_id"}``.

What the model "answers" is scripted (``replies``: a queue of ``Reply``) or computed by
``responder(body)``; every request is recorded (path, headers, JSON body) for the tests to
check.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "test-key"


@dataclass
class Reply:
    """One answer: ``answer`` (a dict is the model's JSON, a str its raw text), or an error
    ``status`` with ``message``; ``delay`` seconds before answering."""

    answer: Any = None
    status: int = 200
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeProvider:
    def __init__(self, kind: str, key: str | None = KEY) -> None:
        self.kind, self.key = kind, key
        self.replies: deque[Reply] = deque()
        self.responder: Callable[[Any], Any] | None = None
        self.requests: list[Recorded] = []
        self.async_answers = False  # bria: answer 202 and make the client poll
        self._pending: dict[str, Any] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    # lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What goes into the provider's base-URL variable."""
        suffix = {"openai": "/v1", "bria": "/v2"}.get(self.kind, "")
        return self.origin + suffix

    def env(self) -> dict[str, str]:
        """Environment variables that point the backend here."""
        key = self.key or ""
        return {
            "openai": {"OPENAI_BASE_URL": self.base_url, "OPENAI_API_KEY": key},
            "anthropic": {"ANTHROPIC_BASE_URL": self.base_url, "ANTHROPIC_API_KEY": key},
            "gemini": {"GEMINI_BASE_URL": self.base_url, "GEMINI_API_KEY": key},
            "bria": {"BRIA_API_URL": self.base_url, "BRIA_API_TOKEN": key},
        }[self.kind]

    def reply(self, *replies: Reply | Any) -> None:
        for r in replies:
            self.replies.append(r if isinstance(r, Reply) else Reply(answer=r))

    # answering ----------------------------------------------------------------------------
    def next_reply(self, body: Any) -> Reply:
        if self.replies:
            return self.replies.popleft()
        if self.responder is not None:
            return Reply(answer=self.responder(body))
        return Reply(status=500, message="no scripted reply left")

    def authorised(self, headers: dict[str, str]) -> bool:
        if self.key is None:  # a local server that takes no key (Ollama, vLLM ...)
            return True
        h = {k.lower(): v for k, v in headers.items()}
        return {
            "openai": h.get("authorization") == f"Bearer {self.key}",
            "anthropic": h.get("x-api-key") == self.key,
            "gemini": h.get("x-goog-api-key") == self.key,
            "bria": h.get("api_token") == self.key,
        }[self.kind]

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        if self.kind == "openai":
            return {"error": {"message": message, "type": "invalid_request_error",
                              "param": None, "code": None}}
        if self.kind == "anthropic":
            kind = {401: "authentication_error", 429: "rate_limit_error"}.get(status, "api_error")
            return {"type": "error", "error": {"type": kind, "message": message}}
        if self.kind == "gemini":
            return {"error": {"code": status, "message": message, "status": "FAILED"}}
        return {"error": {"code": status, "message": message, "details": ""},
                "request_id": str(uuid.uuid4())}

    def success_body(self, answer: Any, body: Any) -> dict[str, Any]:
        text = answer if isinstance(answer, str) else json.dumps(answer)
        if self.kind == "openai":
            return {"id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": text}}]}
        if self.kind == "anthropic":
            if isinstance(answer, str):
                content = [{"type": "text", "text": answer}]
            else:
                name = (body.get("tool_choice") or {}).get("name", "tool")
                content = [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:8]}",
                            "name": name, "input": answer}]
            return {"id": "msg_1", "type": "message", "role": "assistant",
                    "model": body.get("model"), "content": content, "stop_reason": "tool_use"}
        if self.kind == "gemini":
            return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                    "finishReason": "STOP"}]}
        return {"request_id": str(uuid.uuid4()),
                "result": {"structured_prompt": text, "seed": 7}}

    def valid_path(self, method: str, path: str) -> bool:
        if self.kind == "openai":
            return method == "POST" and path == "/v1/chat/completions"
        if self.kind == "anthropic":
            return method == "POST" and path == "/v1/messages"
        if self.kind == "gemini":
            return method == "POST" and path.startswith("/v1beta/models/") and \
                path.endswith(":generateContent")
        return (method == "POST" and path == "/v2/structured_prompt/generate") or \
            (method == "GET" and path.startswith("/v2/status/"))


def _handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet tests
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            fake.requests.append(Recorded(method, self.path, dict(self.headers), body))
            if not fake.valid_path(method, self.path):
                self._send(404, fake.error_body(404, f"no route {method} {self.path}"))
                return
            if not fake.authorised(dict(self.headers)):
                self._send(401, fake.error_body(401, "invalid API key"))
                return
            if fake.kind == "anthropic" and not self.headers.get("anthropic-version"):
                self._send(400, fake.error_body(400, "anthropic-version header is required"))
                return
            if method == "GET":  # bria status
                request_id = self.path.rsplit("/", 1)[-1]
                result = fake._pending.pop(request_id, None)
                if result is None:
                    self._send(404, {"status": "NOT_FOUND", "request_id": request_id})
                else:
                    self._send(200, {"status": "COMPLETED", "request_id": request_id,
                                     "result": result})
                return
            reply = fake.next_reply(body)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status >= 400:
                self._send(reply.status, fake.error_body(reply.status, reply.message),
                           reply.headers)
                return
            answer = fake.success_body(reply.answer, body)
            if fake.kind == "bria" and fake.async_answers:
                request_id = answer["request_id"]
                fake._pending[request_id] = answer["result"]
                self._send(202, {"request_id": request_id,
                                 "status_url": f"{fake.base_url}/status/{request_id}"})
                return
            self._send(200, answer, reply.headers)

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

    return Handler
