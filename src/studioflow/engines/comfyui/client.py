"""HTTP and websocket calls to one ComfyUI server.

Only the routes every ComfyUI version since early 2024 serves are used, without the ``/api``
prefix that newer versions add (they serve both). Every call has a timeout; every failure
becomes an ``EngineError`` that names the server and what was being done. ComfyUI's own
words (validation ``node_errors``, text bodies of 500 answers) are kept in the message.
"""

from __future__ import annotations

import json
import mimetypes
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from studioflow.errors import EngineError, ErrorDetail, missing_extra


def _httpx():
    try:
        import httpx
    except ImportError:
        raise missing_extra("comfyui", "httpx") from None
    return httpx


def _websocket():
    try:
        import websocket  # websocket-client
    except ImportError:
        raise missing_extra("comfyui", "websocket-client") from None
    return websocket


@dataclass(frozen=True)
class ImageRef:
    """Where ComfyUI keeps one output image (``/view`` arguments)."""

    filename: str
    subfolder: str = ""
    type: str = "output"


class RejectedGraphError(EngineError):
    """ComfyUI refused the graph (HTTP 400 with ``node_errors``)."""


def node_error_details(node_errors: dict[str, Any]) -> list[ErrorDetail]:
    """One detail per problem in ComfyUI's ``node_errors``, pointing at the node's input."""
    details = []
    for node_id, entry in sorted(node_errors.items(), key=lambda kv: str(kv[0])):
        class_type = entry.get("class_type", "?")
        for err in entry.get("errors") or [{}]:
            extra = err.get("extra_info") or {}
            where = f"$['{node_id}']"
            if extra.get("input_name"):
                where += f".inputs.{extra['input_name']}"
            text = err.get("message") or "invalid"
            if err.get("details"):
                text += f": {err['details']}"
            details.append(ErrorDetail(where, f"node {node_id} ({class_type}): {text}"))
    return details


class ComfyUIClient:
    """A thin, typed wrapper over ComfyUI's routes; one instance per engine."""

    def __init__(self, url: str, connect_timeout: float = 5.0, read_timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    # -- plumbing -------------------------------------------------------------------------

    def _request(self, method: str, path: str, what: str, *, timeout: float | None = None,
                 **kwargs: Any) -> Any:
        httpx = _httpx()
        limit = httpx.Timeout(timeout or self.read_timeout, connect=self.connect_timeout)
        try:
            with httpx.Client(timeout=limit) as http:
                return http.request(method, self.url + path, **kwargs)
        except httpx.ConnectTimeout:
            raise EngineError(f"could not connect to ComfyUI at {self.url} within "
                              f"{self.connect_timeout:g} s ({what})") from None
        except httpx.ConnectError as exc:
            raise EngineError(f"cannot reach ComfyUI at {self.url} ({what}): {exc}") from None
        except httpx.TimeoutException:
            raise EngineError(f"ComfyUI at {self.url} did not answer within "
                              f"{timeout or self.read_timeout:g} s ({what})") from None
        except httpx.HTTPError as exc:
            raise EngineError(f"ComfyUI at {self.url} failed ({what}): {exc}") from None

    def _json(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        response = self._request(method, path, what, **kwargs)
        if response.status_code >= 400:
            raise EngineError(f"ComfyUI at {self.url} answered HTTP {response.status_code} "
                              f"({what}): {_body_text(response)}")
        try:
            return response.json()
        except ValueError:
            raise EngineError(f"ComfyUI at {self.url} sent a non-JSON answer ({what}): "
                              f"{_body_text(response)}") from None

    # -- routes ---------------------------------------------------------------------------

    def system_stats(self, timeout: float | None = None) -> dict[str, Any]:
        return self._json("GET", "/system_stats", "system stats", timeout=timeout)

    def object_info(self) -> dict[str, Any]:
        return self._json("GET", "/object_info", "node definitions")

    def submit(self, graph: dict[str, Any], client_id: str, prompt_id: str) -> str:
        """Queue ``graph``; returns ComfyUI's prompt id. A refused graph raises
        ``RejectedGraphError`` with one detail per node error."""
        body = {"prompt": graph, "client_id": client_id, "prompt_id": prompt_id,
                "extra_data": {"client_id": client_id}}
        response = self._request("POST", "/prompt", "submitting the workflow", json=body)
        data = _try_json(response)
        if response.status_code == 400 and isinstance(data, dict):
            err = data.get("error") or {}
            message = err.get("message") if isinstance(err, dict) else str(err)
            details = node_error_details(data.get("node_errors") or {})
            if isinstance(err, dict) and err.get("details"):
                details.insert(0, ErrorDetail("$", str(err["details"])))
            raise RejectedGraphError(f"ComfyUI rejected the workflow: {message or 'invalid'}",
                                     details)
        if response.status_code >= 400 or not isinstance(data, dict):
            raise EngineError(f"ComfyUI at {self.url} answered HTTP {response.status_code} "
                              f"to the workflow: {_body_text(response)}")
        queued_id = str(data.get("prompt_id") or prompt_id)
        if data.get("node_errors"):  # queued, but some output nodes were dropped: a partial
            self.stop(queued_id)  # render would look like a whole one, so stop it
            raise RejectedGraphError("ComfyUI dropped part of the workflow",
                                     node_error_details(data["node_errors"]))
        return queued_id

    def history(self, prompt_id: str) -> dict[str, Any] | None:
        """The prompt's history entry, or None while it is queued or running."""
        data = self._json("GET", f"/history/{prompt_id}", "reading the history")
        return data.get(prompt_id) if isinstance(data, dict) else None

    def queue(self) -> dict[str, list]:
        return self._json("GET", "/queue", "reading the queue")

    def queued_ids(self) -> tuple[set[str], set[str]]:
        """Prompt ids (running, pending); a queue item is ``[number, prompt_id, ...]``."""
        data = self.queue()
        ids = ({str(item[1]) for item in data.get(key, []) if len(item) > 1}
               for key in ("queue_running", "queue_pending"))
        return next(ids), next(ids)

    def delete_queued(self, prompt_id: str) -> None:
        self._request("POST", "/queue", "removing the prompt from the queue",
                      json={"delete": [prompt_id]})

    def interrupt(self, prompt_id: str) -> None:
        # newer servers interrupt only this prompt; older ones ignore the body
        self._request("POST", "/interrupt", "interrupting the prompt",
                      json={"prompt_id": prompt_id})

    def stop(self, prompt_id: str) -> str:
        """Stop one prompt without touching anyone else's: delete it while it waits, interrupt
        it while it runs (old servers interrupt whatever runs, so check first). Returns
        "deleted", "interrupted" or "gone" (already finished or never queued)."""
        running, pending = self.queued_ids()
        if prompt_id in pending:
            self.delete_queued(prompt_id)
            running, pending = self.queued_ids()  # it may have started meanwhile
            if prompt_id not in running:
                return "deleted"
        if prompt_id in running:
            self.interrupt(prompt_id)
            return "interrupted"
        return "gone"

    def view(self, ref: ImageRef) -> bytes:
        query = urlencode({"filename": ref.filename, "subfolder": ref.subfolder,
                           "type": ref.type})
        response = self._request("GET", f"/view?{query}", f"downloading {ref.filename}")
        if response.status_code != 200:
            raise EngineError(f"ComfyUI at {self.url} answered HTTP {response.status_code} "
                              f"for image {ref.filename!r}")
        return response.content

    def upload_image(self, name: str, data: bytes) -> str:
        """Upload an input image; returns the name a LoadImage node takes."""
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        result = self._json("POST", "/upload/image", f"uploading {name}",
                            files={"image": (name, data, mime)},
                            data={"overwrite": "true", "type": "input"})
        sub = result.get("subfolder") or ""
        return f"{sub}/{result['name']}" if sub else str(result["name"])

    def events(self, client_id: str) -> EventStream:
        return EventStream(self.ws_url(client_id), self.connect_timeout)

    def ws_url(self, client_id: str) -> str:
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urlunsplit((scheme, parts.netloc, parts.path + "/ws",
                           urlencode({"clientId": client_id}), ""))


class EventStream:
    """ComfyUI's websocket for one client id: ``next(timeout)`` gives the next text event
    ``{type, data}``, or None when nothing came in time. Binary frames (previews) are
    skipped. A closed socket reports ``closed``; callers then poll the history instead."""

    def __init__(self, url: str, connect_timeout: float):
        websocket = _websocket()
        self._errors = (websocket.WebSocketException, OSError)
        self._timeout_error = websocket.WebSocketTimeoutException
        try:
            self._ws = websocket.create_connection(url, timeout=connect_timeout)
        except self._errors as exc:
            raise EngineError(f"cannot open ComfyUI's websocket {url}: {exc}") from None
        self.closed = False

    def next(self, timeout: float) -> dict[str, Any] | None:
        if self.closed:
            time.sleep(timeout)  # keeps the caller's loop (which polls history) unhurried
            return None
        self._ws.settimeout(max(timeout, 0.01))
        try:
            frame = self._ws.recv()
        except self._timeout_error:
            return None
        except self._errors:
            self.closed = True
            return None
        if not isinstance(frame, str):
            return None
        try:
            event = json.loads(frame)
        except ValueError:
            return None
        return event if isinstance(event, dict) else None

    def close(self) -> None:
        self.closed = True
        try:
            self._ws.close()
        except self._errors:
            pass


def _try_json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _body_text(response: Any) -> str:
    text = " ".join((response.text or "").split())
    return text[:300] or "(empty body)"
