"""One error shape for every failure: ``{"error": {"code", "message", "details": [...]}}``.

StudioFlow's own errors carry their HTTP status; FastAPI's request validation, unknown
routes, wrong methods and oversized bodies are turned into the same shape; anything else
is logged and answered as ``internal_error`` without leaking the exception.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from studioflow.api.schemas import ErrorBody
from studioflow.errors import ErrorDetail, QueueFullError, StudioFlowError

log = logging.getLogger("studioflow.api")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
               415: "unsupported_media_type"}
_DESCRIPTIONS = {400: "Malformed request (e.g. broken JSON)", 404: "Unknown id or route",
                 409: "Conflict", 413: "Request body too large",
                 422: "Invalid input, with details at JSON paths",
                 429: "Queue full: retry after the Retry-After header's seconds",
                 500: "Internal error (a bug: it is logged)",
                 503: "An engine or the database is not available"}


def documented(*statuses: int, streaming: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error responses a route can give (always with 500).

    ``streaming``: the route's own media type is not JSON (FastAPI would file the error
    model under it), so the JSON content is spelt out."""
    if streaming:
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        return {s: {"description": _DESCRIPTIONS.get(s, "Error"), "content": ref}
                for s in sorted({*statuses, 500})}
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS.get(s, "Error")}
            for s in sorted({*statuses, 500})}


def error_response(status: int, code: str, message: str,
                   details: Iterable[ErrorDetail] = (),
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message,
                      "details": [d.as_dict() for d in details]}}
    return JSONResponse(body, status_code=status, headers=headers)


def _param_path(loc: Sequence[Any]) -> str:
    """FastAPI's error location as a path: body fields as JSON paths ($.manifest.render),
    parameters as ``query.limit`` / ``path.render_id``."""
    where, *rest = loc or ("body",)
    out = "$" if where == "body" else str(where)
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


async def _on_studioflow_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StudioFlowError)
    headers = None
    if isinstance(exc, QueueFullError):
        headers = {"Retry-After": str(max(1, round(exc.retry_after)))}
    return error_response(exc.http_status, exc.code, exc.message, exc.details, headers)


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    broken = [e for e in errors if e.get("type") == "json_invalid"]
    if broken:
        loc = broken[0].get("loc", ())
        where = f" at character {loc[1]}" if len(loc) > 1 else ""
        reason = (broken[0].get("ctx") or {}).get("error", "invalid JSON")
        return error_response(400, "invalid_json", "the request body is not valid JSON",
                              [ErrorDetail("$", f"{reason}{where}")])
    details = [ErrorDetail(_param_path(e.get("loc", ())), str(e.get("msg", "invalid")))
               for e in errors]
    return error_response(422, "invalid_request", "the request is not valid", details)


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, f"http_{status}")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(status, code, message.lower() if message else code,
                          headers=dict(exc.headers or {}))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error",
                          "internal error; it has been logged (this is a bug in StudioFlow)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StudioFlowError, _on_studioflow_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` (413) before they are read into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "bad_request", "invalid Content-Length header")(
                    scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # a chunked body without Content-Length
                raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, limited, send)

    def _too_large(self) -> JSONResponse:
        return error_response(413, "payload_too_large", "request body too large",
                              [ErrorDetail("$", f"at most {self.max_bytes} bytes are accepted")])
