"""The web studio: the built app (``studioflow/web_dist``, made by ``web/``'s ``npm run build``)
served at ``/``.

Only the app's own paths are answered here: ``/``, the client-side pages (``/renders/{id}``,
``/history``, ``/batches``, ``/batches/{id}``, which all get ``index.html``), and the hashed
files under ``/assets/`` (cached for a year: their names change with their content). The API
(``/v1``), ``/docs``, ``/openapi.json`` and ``/healthz`` are never shadowed, whatever order
routers are included in, and unknown paths keep the API's JSON 404.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from studioflow.errors import ErrorDetail, NotFoundError

DIST = Path(__file__).resolve().parent.parent.parent / "web_dist"
# the client-side routes of web/src/lib/router.ts
PAGES = ("/", "/history", "/batches", "/batches/{page_id}", "/renders/{page_id}")
IMMUTABLE = "public, max-age=31536000, immutable"
# index.html names the current hashed assets: always revalidated
REVALIDATE = "no-cache"
_ASSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")

_NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>StudioFlow</title>
<body style="font-family: system-ui; max-width: 40rem; margin: 3rem auto">
<h1>StudioFlow</h1><p>The web studio is not built in this installation
(<code>studioflow/web_dist</code> is missing). Build it with
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>,
or use the API: <a href="/docs">/docs</a>.</p>
</body></html>"""

router = APIRouter(include_in_schema=False)


def _index() -> Response:
    index = DIST / "index.html"
    if not index.is_file():
        return HTMLResponse(_NOT_BUILT, headers={"Cache-Control": REVALIDATE})
    return FileResponse(index, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": REVALIDATE})


def _page() -> Response:
    return _index()


for _path in PAGES:
    router.add_api_route(_path, _page, methods=["GET", "HEAD"], include_in_schema=False)


@lru_cache(maxsize=64)
def _gzipped(path: Path, mtime_ns: int) -> bytes:  # noqa: ARG001 - mtime keys the cache
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@router.api_route("/assets/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def asset(name: str, request: Request) -> Response:
    """A hashed build file; compressed text assets when the browser accepts gzip (the API
    has no compression middleware, and the JS is most of what a first visit loads)."""
    path = DIST / "assets" / name
    if not _ASSET_NAME.match(name) or not path.is_file():
        raise NotFoundError(f"no web asset {name!r}", [ErrorDetail("path.name", "not found")])
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if path.suffix in {".js", ".css", ".svg", ".json"} and \
            "gzip" in request.headers.get("accept-encoding", ""):
        body = _gzipped(path, path.stat().st_mtime_ns)
        return Response(body, media_type=media_type,
                        headers={**headers, "Content-Encoding": "gzip"})
    return FileResponse(path, media_type=media_type, headers=headers)
