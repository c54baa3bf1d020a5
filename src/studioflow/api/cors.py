"""CORS with an explicit allow-list (``STUDIOFLOW_CORS_ORIGINS``; none by default).

Answers preflights itself, before authentication (browsers send no key with them): 204
with the allowed methods and headers, or a 403 in the one error shape. Credentials
(cookies) are never allowed: the API authenticates with headers, so even ``*`` cannot let
another site act with a user's ambient credentials.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studioflow.api.errors import error_response
from studioflow.errors import ConfigError, ErrorDetail

METHODS = ("GET", "POST", "DELETE")
HEADERS = ("authorization", "x-api-key", "content-type", "last-event-id", "if-none-match")
EXPOSED = "Location, Retry-After, ETag, X-RateLimit-Limit, X-RateLimit-Remaining"


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_origins(value: str) -> frozenset[str]:
    """``scheme://host[:port]`` entries (or ``*``), lower-cased; a ``ConfigError`` otherwise."""
    origins = set()
    for origin in split_list(value):
        origin = origin.rstrip("/").lower()
        scheme, sep, rest = origin.partition("://")
        if origin != "*" and (not sep or scheme not in ("http", "https") or not rest
                              or any(c in rest for c in "/?#@ ")):
            raise ConfigError(f"invalid CORS origin {origin!r}", [ErrorDetail(
                "STUDIOFLOW_CORS_ORIGINS", "expected scheme://host[:port], comma-separated")])
        origins.add(origin)
    return frozenset(origins)


def origin_allowed(origins: frozenset[str], origin: str) -> bool:
    return "*" in origins or origin.rstrip("/").lower() in origins


class CORSMiddleware:
    def __init__(self, app: ASGIApp, origins: frozenset[str]) -> None:
        self.app, self.origins = app, origins

    def allows(self, origin: str) -> bool:
        return origin_allowed(self.origins, origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        origin = headers.get("origin") if headers is not None else None
        if headers is None or origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, headers)(scope, receive, send)
            return
        if not self.allows(origin):  # the browser keeps the answer from the page
            await self.app(scope, receive, send)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = "*" if "*" in self.origins else origin
                out["Access-Control-Expose-Headers"] = EXPOSED
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, with_cors)

    def _preflight(self, origin: str, headers: Headers) -> Response:
        method = headers["access-control-request-method"].upper()
        wanted = [h.lower() for h in split_list(headers.get("access-control-request-headers",
                                                            ""))]
        problems = []
        if not self.allows(origin):
            problems.append(ErrorDetail("header.origin", "this origin is not in "
                                                         "STUDIOFLOW_CORS_ORIGINS"))
        if method not in METHODS:
            problems.append(ErrorDetail("header.access-control-request-method",
                                        f"expected one of {', '.join(METHODS)}"))
        refused = [h for h in wanted if h not in HEADERS]
        if refused:
            problems.append(ErrorDetail("header.access-control-request-headers",
                                        f"not allowed: {', '.join(refused)}"))
        if problems:
            response = error_response(403, "cors_denied", "cross-origin request refused",
                                      problems)
            response.headers["Vary"] = "Origin"
            return response
        return Response(status_code=204, headers={
            "Access-Control-Allow-Origin": "*" if "*" in self.origins else origin,
            "Access-Control-Allow-Methods": ", ".join(METHODS),
            "Access-Control-Allow-Headers": ", ".join(HEADERS),
            "Access-Control-Max-Age": "600", "Vary": "Origin"})
