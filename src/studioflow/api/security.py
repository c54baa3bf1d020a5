"""Who may call the API: API keys, anonymous loopback use, rate limits (docs/security.md).

Keys are required on every ``/v1`` route whenever the server listens beyond loopback
(``STUDIOFLOW_HOST``), or everywhere with ``STUDIOFLOW_REQUIRE_API_KEY``; ``/healthz``,
``/docs`` and ``/openapi.json`` stay open. Without keys (loopback, the default) browsers
may only call from loopback pages with a loopback ``Host``, which stops other websites
and DNS rebinding from driving a local API. Refusals use the one error shape.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studioflow.api.cors import CORSMiddleware, origin_allowed, parse_origins, split_list
from studioflow.api.errors import error_response
from studioflow.api.ratelimit import RateLimiter, Verdict, open_rate_limiter
from studioflow.core.config import Settings
from studioflow.errors import ConfigError, ErrorDetail
from studioflow.store.keys_sql import ApiKey, SQLKeyStore, open_key_store

PROTECTED_PREFIX = "/v1"
_HOW_TO_SEND = "send Authorization: Bearer <key> or X-API-Key: <key>"
_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer",
                       "description": "An API key (studioflow keys create NAME)."},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
_REFUSALS = {401: "No API key, or an unknown one", 403: "Revoked key or refused origin",
             429: "Too many requests (queue full or rate limit): see Retry-After"}


def is_loopback(host: str | None) -> bool:
    host = (host or "").strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def keys_required(settings: Settings) -> bool:
    return settings.require_api_key or not is_loopback(settings.host)


def check_can_serve(settings: Settings, keys: SQLKeyStore | None = None) -> None:
    """Refuse to serve where keys are required but none could ever be accepted."""
    if not keys_required(settings):
        return
    keys = keys or open_key_store(settings)
    if keys.has_active():
        return
    why = ("STUDIOFLOW_REQUIRE_API_KEY is set" if is_loopback(settings.host)
           else f"{settings.host or 'every interface'} is reachable beyond this machine")
    raise ConfigError(f"refusing to serve: API keys are required ({why}) and there is no "
                      "active key", [
                          ErrorDetail("keys", "create one: studioflow keys create NAME"),
                          ErrorDetail("host", "or serve on this machine only: --host 127.0.0.1")])


def presented_key(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return (headers.get("x-api-key") or "").strip() or None


def _hostname(text: str) -> str:
    try:
        return (urlsplit(text if "//" in text else "//" + text).hostname or "").lower()
    except ValueError:
        return ""


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, keys: SQLKeyStore,
                 limiter: RateLimiter, origins: frozenset[str]) -> None:
        self.app, self.keys, self.limiter, self.origins = app, keys, limiter, origins
        self.required = keys_required(settings)
        self.key_limit = settings.rate_limit_per_minute
        self.anonymous_limit = settings.anonymous_rate_limit_per_minute
        self.hosts = frozenset(h.lower() for h in split_list(settings.allowed_hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        if scope["type"] not in ("http", "websocket") or not (
                path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        outcome = await self._admit(Headers(scope=scope), scope)
        if isinstance(outcome, Response):
            if scope["type"] == "websocket":  # refused before the handshake: HTTP 403
                await send({"type": "websocket.close", "code": 1008})
            else:
                await outcome(scope, receive, send)
            return
        key, verdict = outcome
        scope.setdefault("state", {})["api_key"] = key  # for routes: who asked (no secret)

        async def with_limits(message: Message) -> None:
            if message["type"] == "http.response.start" and verdict is not None:
                out = MutableHeaders(scope=message)
                out["X-RateLimit-Limit"] = str(verdict.limit)
                out["X-RateLimit-Remaining"] = str(verdict.remaining)
            await send(message)

        await self.app(scope, receive, with_limits)

    async def _admit(self, headers: Headers, scope: Scope
                     ) -> Response | tuple[ApiKey | None, Verdict | None]:
        token = presented_key(headers)
        # without required keys, a foreign token (say from a proxy's own login) is not ours
        if token is not None and (self.required or token.startswith("sf_")):
            return await run_in_threadpool(self._admit_key, token)
        if self.required:
            return error_response(401, "unauthorized", f"an API key is required: {_HOW_TO_SEND}",
                                  [ErrorDetail("header.authorization", "missing")],
                                  headers={"WWW-Authenticate": "Bearer"})
        refusal = self._browser_refusal(headers)
        if refusal is not None:
            return error_response(403, "forbidden", "this browser request needs an API key",
                                  [refusal])
        if not self.anonymous_limit:
            return None, None
        client = (scope.get("client") or ("unknown",))[0]
        verdict = await run_in_threadpool(self.limiter.hit, f"ip:{client}"[:80],
                                          self.anonymous_limit)
        return _limited(verdict) or (None, verdict)

    def _admit_key(self, token: str) -> Response | tuple[ApiKey, Verdict | None]:
        key = self.keys.verify(token)
        if key is None:
            return error_response(401, "invalid_api_key", f"unknown API key: {_HOW_TO_SEND}",
                                  [ErrorDetail("header.authorization", "not a valid key")],
                                  headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if not key.active:
            return error_response(403, "api_key_revoked", f"API key {key.prefix} was revoked",
                                  [ErrorDetail("header.authorization", "revoked key")])
        self.keys.touch(key)
        limit = key.rate_limit_per_minute or self.key_limit
        if not limit:
            return key, None
        verdict = self.limiter.hit(f"key:{key.id}", limit)
        return _limited(verdict) or (key, verdict)

    def _browser_refusal(self, headers: Headers) -> ErrorDetail | None:
        """Browsers send Origin or Sec-Fetch-Site; other clients are not at risk here."""
        origin = headers.get("origin")
        if origin is None and "sec-fetch-site" not in headers:
            return None
        host = _hostname(headers.get("host", ""))
        if not (is_loopback(host) or host in self.hosts):
            return ErrorDetail("header.host", "without a key, browsers may use this API only "
                                              "at a loopback address (or STUDIOFLOW_ALLOWED_HOSTS)")
        if origin is not None and not origin_allowed(self.origins, origin):
            origin_host = _hostname(origin)
            if not (is_loopback(origin_host) or origin_host in self.hosts):
                return ErrorDetail("header.origin", "pages from this origin may not call the "
                                                    "API (STUDIOFLOW_CORS_ORIGINS)")
        return None


def _limited(verdict: Verdict) -> Response | None:
    if verdict.allowed:
        return None
    return error_response(
        429, "rate_limited", f"rate limit of {verdict.limit} requests per minute reached",
        [ErrorDetail("rate_limit", f"retry in {verdict.retry_after} s")],
        headers={"Retry-After": str(verdict.retry_after),
                 "X-RateLimit-Limit": str(verdict.limit), "X-RateLimit-Remaining": "0"})


def _document(app: FastAPI, required: bool) -> None:
    """The OpenAPI document names the key schemes and the refusals every /v1 route can give."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(_SCHEMES)
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, item in schema.get("paths", {}).items():
            if not path.startswith(PROTECTED_PREFIX + "/"):
                continue
            for operation in item.values():
                if required:
                    operation["security"] = [{"bearer": []}, {"apiKey": []}]
                responses = operation.setdefault("responses", {})
                for status, text in _REFUSALS.items():
                    responses.setdefault(str(status), {"description": text, "content": body})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_security(app: FastAPI, settings: Settings) -> None:
    """Keys, rate limits and CORS around every route: CORS outermost, so that preflights
    are answered before authentication and refusals carry CORS headers."""
    keys = open_key_store(settings)
    origins = parse_origins(settings.cors_origins)
    app.state.keys = keys
    app.add_middleware(SecurityMiddleware, settings=settings, keys=keys,
                       limiter=open_rate_limiter(settings, keys.engine), origins=origins)
    app.add_middleware(CORSMiddleware, origins=origins)
    _document(app, keys_required(settings))
