"""A local stand-in for Bria's v2 API, speaking its documented shapes (docs/engine-bria.md):

    POST /v2/image/generate   header api_token; JSON body with structured_prompt | prompt,
                              seed, aspect_ratio, resolution, sync, negative_prompt, ...
        sync=false -> 202 {"request_id", "status_url"}
        sync=true  -> 200 {"request_id", "result": {"image_url", "seed", "structured_prompt"}}
        errors     -> 4xx/5xx {"error": {"code", "message", "details"}, "request_id"}
    GET  /v2/status/{id}      200 {"status": "IN_PROGRESS" | "COMPLETED" | "ERROR" | "UNKNOWN",
                                   "request_id", "result"?, "error"?}; 404 {"status": "NOT_FOUND"}

Images are served at /files/{id}.png without a token, like Bria's storage links. Faults are
scripted per call (``submit_faults``, ``status_faults``) and every call is recorded, so tests
can count billed (accepted) requests.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from typing import Any

from PIL import Image

ASPECTS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9")
ONE_MP_ONLY = ("16:10",)
# Bria does not document its pixel sizes; these follow a third-party listing of FIBO's
# 1K sizes (runware.ai/docs/models/bria-fibo), 16:10 is a guess. 4MP doubles each side.
NATIVE_1MP = {"1:1": (1024, 1024), "2:3": (832, 1216), "3:2": (1216, 832),
              "3:4": (896, 1152), "4:3": (1152, 896), "4:5": (896, 1088),
              "5:4": (1088, 896), "9:16": (768, 1344), "16:9": (1344, 768),
              "16:10": (1280, 800)}


@dataclass
class Fault:
    """What to do instead of the normal answer, once."""

    status: int = 500
    body: Any = None  # dict -> JSON, bytes -> raw
    headers: dict[str, str] = field(default_factory=dict)
    accept: bool = False  # register (bill) the job before answering
    hang: float = 0.0  # seconds to sleep before answering


@dataclass
class Job:
    request_id: str
    body: dict[str, Any]
    polls: int = 0


def _error(code: int, message: str, details: str = "") -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details},
            "request_id": str(uuid.uuid4())}


class FakeBria:
    def __init__(self, token: str = "test-token", listen: bool = True) -> None:
        self.token = token
        self.running_polls = 1  # IN_PROGRESS answers before the outcome
        self.outcome = "COMPLETED"  # or "ERROR", "UNKNOWN", "NEVER" (stays IN_PROGRESS)
        self.outcome_error = {"code": 500, "message": "Internal pipeline error", "details": ""}
        self.blocked_words: tuple[str, ...] = ()  # prompt moderation: 422 at submit
        self.submit_faults: deque[Fault] = deque()
        self.status_faults: deque[Fault] = deque()
        self.jobs: dict[str, Job] = {}
        self.calls: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.submits: list[Any] = []  # every POST body that arrived, accepted or not
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self),
                                           bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.server_bind()
        self._thread: threading.Thread | None = None
        if listen:
            self.listen()

    # lifecycle ------------------------------------------------------------------------------
    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return f"{self.root}/v2"

    def listen(self) -> None:
        """Start accepting connections (before this, connects are refused)."""
        if self._thread is None:
            self._server.server_activate()
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.02}, daemon=True)
            self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()

    # what happened --------------------------------------------------------------------------
    @property
    def accepted(self) -> list[Job]:
        """Jobs Bria would bill."""
        return list(self.jobs.values())

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, p, _ in self.calls if m == method and p.startswith(prefix))

    # behaviour ------------------------------------------------------------------------------
    def submit(self, headers: dict[str, str], raw: bytes) -> tuple[int, Any, dict[str, str]]:
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        with self._lock:
            self.submits.append(body)
            fault = self.submit_faults.popleft() if self.submit_faults else None
        if headers.get("api_token") != self.token:
            return 401, _error(401, "Unauthorized", "missing or invalid api_token"), {}
        if fault is not None:
            if fault.accept and isinstance(body, dict):
                self._register(body)
            time.sleep(fault.hang)
            return fault.status, fault.body, fault.headers
        problem = self._invalid(body)
        if problem:
            return problem
        job = self._register(body)
        if body.get("sync"):
            job.polls = self.running_polls  # generated while the caller waited
            return 200, {"request_id": job.request_id, "result": self._result(job)}, {}
        return 202, {"request_id": job.request_id,
                     "status_url": f"{self.url}/status/{job.request_id}"}, {}

    def _invalid(self, body: Any) -> tuple[int, Any, dict[str, str]] | None:
        if not isinstance(body, dict):
            return 400, _error(400, "Bad Request", "body must be a JSON object"), {}
        if not any(body.get(k) for k in ("prompt", "structured_prompt", "images")):
            return 422, _error(422, "Unprocessable Entity",
                               "one of prompt, structured_prompt or images is required"), {}
        sp = body.get("structured_prompt")
        if sp is not None:
            try:
                ok = isinstance(sp, str) and isinstance(json.loads(sp), dict)
            except ValueError:
                ok = False
            if not ok:
                return 422, _error(422, "Unprocessable Entity",
                                   "structured_prompt must be a JSON object string"), {}
        ratio, res = body.get("aspect_ratio", "1:1"), body.get("resolution", "1MP")
        if ratio not in ASPECTS + ONE_MP_ONLY or res not in ("1MP", "4MP") or \
                (res == "4MP" and (ratio in ONE_MP_ONLY or body.get("sync"))):
            return 422, _error(422, "Unprocessable Entity",
                               f"unsupported aspect_ratio/resolution {ratio}/{res}"), {}
        text = json.dumps(body).lower()
        if any(word in text for word in self.blocked_words):
            return 422, _error(422, "Prompt moderation failed",
                               "the prompt did not pass content moderation"), {}
        return None

    def _register(self, body: dict[str, Any]) -> Job:
        job = Job(str(uuid.uuid4()), body)
        with self._lock:
            self.jobs[job.request_id] = job
        return job

    def _result(self, job: Job) -> dict[str, Any]:
        return {"image_url": f"{self.root}/files/{job.request_id}.png",
                "seed": job.body.get("seed"),
                "structured_prompt": job.body.get("structured_prompt")}

    def status(self, request_id: str) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            fault = self.status_faults.popleft() if self.status_faults else None
            job = self.jobs.get(request_id)
        if fault is not None:
            time.sleep(fault.hang)
            return fault.status, fault.body, fault.headers
        if job is None:
            return 404, {"status": "NOT_FOUND"}, {}
        job.polls += 1
        base = {"request_id": request_id}
        if self.outcome == "NEVER" or job.polls <= self.running_polls:
            return 200, {**base, "status": "IN_PROGRESS"}, {}
        if self.outcome == "COMPLETED":
            return 200, {**base, "status": "COMPLETED", "result": self._result(job)}, {}
        return 200, {**base, "status": self.outcome, "error": self.outcome_error}, {}

    def image(self, request_id: str) -> tuple[int, Any, dict[str, str]]:
        job = self.jobs.get(request_id)
        if job is None:
            return 404, b"no such file", {}
        w, h = NATIVE_1MP[job.body.get("aspect_ratio", "1:1")]
        if job.body.get("resolution") == "4MP":
            w, h = 2 * w, 2 * h
        seed = int(job.body.get("seed") or 0)
        color = (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256)
        buf = BytesIO()
        Image.new("RGB", (w, h), color).save(buf, format="PNG")
        return 200, buf.getvalue(), {"Content-Type": "image/png"}


def _handler(fake: FakeBria) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _record(self) -> dict[str, str]:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake._lock:
                fake.calls.append((self.command, self.path, headers))
            return headers

        def do_POST(self) -> None:
            headers = self._record()
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/v2/image/generate":
                self._send(*fake.submit(headers, raw))
            else:
                self._send(404, _error(404, "Not Found"), {})

        def do_GET(self) -> None:
            headers = self._record()
            if self.path.startswith("/v2/status/"):
                if headers.get("api_token") != fake.token:
                    self._send(401, _error(401, "Unauthorized"), {})
                else:
                    self._send(*fake.status(self.path.rsplit("/", 1)[-1]))
            elif self.path.startswith("/files/") and self.path.endswith(".png"):
                self._send(*fake.image(self.path[len("/files/"):-len(".png")]))
            else:
                self._send(404, _error(404, "Not Found"), {})

        def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            try:
                self.send_response(status)
                if not isinstance(body, bytes):
                    self.send_header("Content-Type", "application/json")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (read timeout tests)

    return Handler
