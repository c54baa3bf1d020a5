"""Shared by the API and job tests: a slow engine, an app factory, SSE parsing, waiting."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from manifests import minimal_manifest
from studioflow.engines import Capabilities, EngineStatus, ProgressEvent, RenderResult


class SlowEngine:
    """A real engine that takes ``steps * delay`` seconds, reports every step and honours
    its cancel token at step boundaries: long enough to watch, cancel or kill a job."""

    name = "slow"
    capabilities = Capabilities(label="slow", size_multiple=8, max_images=4)

    def __init__(self, settings: Any = None, steps: int = 5, delay: float = 0.05,
                 available: bool = True) -> None:
        self.steps, self.delay, self.available = steps, delay, available

    def status(self) -> EngineStatus:
        return EngineStatus(True, self.available, self.available,
                            None if self.available else "no GPU here: set SLOW_GPU")

    def render(self, request, on_progress=None) -> RenderResult:
        for step in range(1, self.steps + 1):
            request.cancel.raise_if_cancelled()
            time.sleep(self.delay)
            if on_progress is not None:
                on_progress(ProgressEvent(step, self.steps, f"step {step}"))
        request.cancel.raise_if_cancelled()
        rng = np.random.default_rng(request.seed)
        color = rng.integers(0, 256, size=3, dtype=np.uint8)
        image = np.broadcast_to(color, (request.height, request.width, 3)).copy()
        return RenderResult(images=[image] * request.num_images, model="slow-test",
                            model_revision="1")


def slow_factory(steps: int = 5, delay: float = 0.05, available: bool = True):
    return lambda settings: SlowEngine(settings, steps, delay, available)


def make_app(settings, *, steps: int = 5, delay: float = 0.05, **overrides):
    """An app whose Studio also has the ``slow`` engine; ``overrides`` change settings."""
    from studioflow.api.app import create_app
    from studioflow.core.wiring import open_studio

    settings = settings.model_copy(update=overrides)
    studio = open_studio(settings)
    studio.engines.add("slow", slow_factory(steps, delay))
    return create_app(settings, studio)


@dataclass(frozen=True)
class Event:
    id: int
    type: str
    data: dict[str, Any]


def parse_sse(text: str) -> list[Event]:
    """Events of a text/event-stream body (comments and retry lines skipped)."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line and not line.startswith(":") and ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.removeprefix(" ")
        if "event" in fields:
            events.append(Event(int(fields["id"]), fields["event"], json.loads(fields["data"])))
    return events


def wait_for(client, job_id: str, statuses=("succeeded", "failed", "cancelled"),
             timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout}s")
        time.sleep(0.02)


def slow_manifest(seed: int = 1, **render) -> dict[str, Any]:
    return minimal_manifest(engine="slow", seed=seed, width=64, height=64, **render)


def assert_error(response, status: int, code: str, path: str | None = None) -> dict[str, Any]:
    """The one error shape, with the expected status, code and (optionally) a detail path."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    for detail in body["error"]["details"]:
        assert set(detail) == {"path", "message"}
    if path is not None:
        assert path in [d["path"] for d in body["error"]["details"]], body
    return body["error"]
