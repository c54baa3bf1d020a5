"""Following one queued prompt to its end: websocket events, progress, errors, history.

A prompt has finished when ``executing`` arrives with ``node: null`` for its id (every
version; also after errors and interrupts) or ``execution_success`` (newer versions), or
when its history entry appears (the fallback when the socket drops or missed the end).
Progress is one overall count fixed before the run: one step per node of the graph plus the
sampling steps, so that events rise by one up to the same total whatever the server sends:
nodes served from the cache and nodes that run count one each, ``progress`` messages move
through the sampling share.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from studioflow.engines.comfyui.client import ComfyUIClient, EventStream
from studioflow.engines.engine_base import ProgressCallback, ProgressEvent
from studioflow.errors import CancelledError, EngineError, ErrorDetail

POLL_SECONDS = 1.0  # history checks while waiting: the socket may drop or miss the end
EVENT_WAIT = 0.25  # longest wait for one event, so cancel and deadlines are seen quickly
CANCEL_GRACE = 15.0  # how long to wait for an interrupted prompt to confirm its end


class Progress:
    """Maps ComfyUI's node and progress messages onto steps 1..total, one event per step."""

    def __init__(self, graph: dict[str, Any], sampling_steps: int,
                 on_progress: ProgressCallback | None):
        self.graph = graph
        self.total = len(graph) + max(sampling_steps, 0)
        self.sampling = max(sampling_steps, 0)
        self.on_progress = on_progress
        self.done_nodes: set[str] = set()
        self.running: str | None = None
        self.sampled = 0
        self.emitted = 0

    def cached(self, nodes: list[str]) -> None:
        self.done_nodes.update(str(n) for n in nodes)
        self._advance("cached")

    def executing(self, node: str | None) -> None:
        if self.running is not None:
            self.done_nodes.add(self.running)
        self.running = str(node) if node is not None else None
        if node is not None:
            self._advance(f"node {node} ({self._class(node)})")

    def progress(self, value: int, maximum: int, node: Any) -> None:
        if maximum > 0 and self.sampling:
            self.sampled = max(self.sampled, round(self.sampling * min(value, maximum) / maximum))
        self._advance(f"node {node} ({self._class(node)}) {value}/{maximum}")

    def finish(self) -> None:
        self._emit_up_to(self.total, "done")

    def _class(self, node: Any) -> str:
        return str(self.graph.get(str(node), {}).get("class_type", "?"))

    def _advance(self, message: str) -> None:
        # the last step is kept for the end, so that "total" always means finished
        done = len(self.done_nodes & set(self.graph)) + self.sampled
        self._emit_up_to(min(done, self.total - 1), message)

    def _emit_up_to(self, step: int, message: str) -> None:
        while self.emitted < step:
            self.emitted += 1
            if self.on_progress:
                self.on_progress(ProgressEvent(self.emitted, self.total, message))


class Cancel:
    """Connects a request's cancel token to a prompt on the server, whenever it exists."""

    def __init__(self, client: ComfyUIClient):
        self.client = client
        self.lock = threading.Lock()
        self.requested = False
        self.prompt_id: str | None = None
        self.finished = False

    def __call__(self) -> None:  # registered with CancelToken.on_cancel: any thread
        with self.lock:
            self.requested = True
            prompt_id = None if self.finished else self.prompt_id
        if prompt_id:
            self._stop(prompt_id)

    def submitted(self, prompt_id: str) -> None:
        with self.lock:
            self.prompt_id = prompt_id
            stop_now = self.requested
        if stop_now:
            self._stop(prompt_id)

    def _stop(self, prompt_id: str) -> None:
        try:
            self.client.stop(prompt_id)
        except EngineError:
            pass  # the follower still ends the render: by event, history or grace timeout


def follow(client: ComfyUIClient, events: EventStream, prompt_id: str, progress: Progress,
           cancel: Cancel, deadline: float, timeout: float) -> dict[str, Any]:
    """Wait for ``prompt_id`` to end; returns its history entry or raises ``EngineError``
    (failed, timed out) or ``CancelledError``."""
    next_poll = time.monotonic() + POLL_SECONDS
    cancel_seen_at: float | None = None
    while True:
        now = time.monotonic()
        if cancel.requested and cancel_seen_at is None:
            cancel_seen_at = now
        if cancel_seen_at is not None and now - cancel_seen_at > CANCEL_GRACE:
            raise CancelledError("render cancelled (ComfyUI did not confirm the interrupt)")
        if now > deadline:
            _stop_quietly(client, prompt_id)
            raise EngineError(f"ComfyUI did not finish within {timeout:g} s; prompt "
                              f"{prompt_id} was stopped on the server")
        event = events.next(min(EVENT_WAIT, max(deadline - now, 0.01)))
        if event is not None and _handle(event, prompt_id, progress, cancel):
            return _history_when_done(client, prompt_id, cancel, deadline)
        if event is None and time.monotonic() >= next_poll:
            next_poll = time.monotonic() + POLL_SECONDS
            entry = client.history(prompt_id)
            if entry is not None:
                return _checked(entry, prompt_id, cancel)
            if cancel.requested and _left_queue(client, prompt_id):
                raise CancelledError("render cancelled before ComfyUI started it")


def _handle(event: dict[str, Any], prompt_id: str, progress: Progress, cancel: Cancel) -> bool:
    """Update progress; True when the prompt has ended. Errors raise at once."""
    kind, data = event.get("type"), event.get("data") or {}
    if not isinstance(data, dict) or data.get("prompt_id") not in (None, prompt_id):
        return False
    if kind == "execution_cached":
        progress.cached(data.get("nodes") or [])
    elif kind == "executing":
        if data.get("node") is None:
            return data.get("prompt_id") == prompt_id
        progress.executing(data["node"])
    elif kind == "progress":
        progress.progress(int(data.get("value", 0)), int(data.get("max", 0)), data.get("node"))
    elif kind == "execution_error":
        raise execution_error(data)
    elif kind == "execution_interrupted":
        raise _interrupted(cancel, data)
    elif kind == "execution_success":
        return True
    return False


def _history_when_done(client: ComfyUIClient, prompt_id: str, cancel: Cancel,
                       deadline: float) -> dict[str, Any]:
    while True:  # the entry is written just before the end event, but be patient
        entry = client.history(prompt_id)
        if entry is not None:
            return _checked(entry, prompt_id, cancel)
        if time.monotonic() > deadline:
            raise EngineError(f"ComfyUI finished prompt {prompt_id} but kept no history of it")
        time.sleep(0.1)


def _checked(entry: dict[str, Any], prompt_id: str, cancel: Cancel) -> dict[str, Any]:
    status = entry.get("status") or {}
    for kind, data in status.get("messages") or []:
        if kind == "execution_error":
            raise execution_error({**data, "prompt_id": prompt_id})
        if kind == "execution_interrupted":
            raise _interrupted(cancel, data)
    if status.get("status_str") == "error" or status.get("completed") is False:
        raise EngineError(f"ComfyUI reports prompt {prompt_id} as failed")
    if cancel.requested:
        raise CancelledError("render cancelled")
    return entry


def _stop_quietly(client: ComfyUIClient, prompt_id: str) -> None:
    try:
        client.stop(prompt_id)
    except EngineError:
        pass  # the timeout is the error worth reporting


def _left_queue(client: ComfyUIClient, prompt_id: str) -> bool:
    running, pending = client.queued_ids()
    return prompt_id not in running and prompt_id not in pending \
        and client.history(prompt_id) is None


def _interrupted(cancel: Cancel, data: dict[str, Any]) -> Exception:
    if cancel.requested:
        return CancelledError("render cancelled; ComfyUI interrupted the prompt")
    where = f"node {data.get('node_id')} ({data.get('node_type')})"
    return EngineError(f"ComfyUI interrupted the prompt at {where}; someone else stopped it "
                       "on the server")


def execution_error(data: dict[str, Any]) -> EngineError:
    """ComfyUI's ``execution_error`` as an error naming the node, its class and the cause."""
    node, class_type = data.get("node_id"), data.get("node_type")
    cause = str(data.get("exception_message") or "").strip() or "no message"
    kind = data.get("exception_type") or "error"
    detail = ErrorDetail(f"$['{node}']", f"{kind}: {cause}")
    return EngineError(f"ComfyUI failed in node {node} ({class_type}): {cause}", [detail])

