"""How the API process serves the built web studio (studioflow.api.routes.ui)."""

from __future__ import annotations

import gzip

import pytest
from fastapi.testclient import TestClient

from web_support import DIST

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def client(settings):
    from studioflow.api.app import create_app

    with TestClient(create_app(settings)) as c:
        yield c


def a_script() -> str:
    return next(p.name for p in (DIST / "assets").glob("index-*.js"))


@pytest.mark.parametrize("path", ["/", "/history", "/batches", "/batches/01ABC",
                                  "/renders/01JD5K"])
def test_the_app_and_its_pages_get_index_html(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<div id="root">' in r.text and "/assets/index-" in r.text
    assert r.headers["cache-control"] == "no-cache"  # it names the current asset hashes


def test_hashed_assets_are_cached_for_good_and_compressed(client):
    name = a_script()
    plain = client.get(f"/assets/{name}", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.content == (DIST / "assets" / name).read_bytes()
    assert "javascript" in plain.headers["content-type"]
    assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"
    zipped = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes it
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


@pytest.mark.parametrize("path", ["/v1/nope", "/v1/renders/NOPE1234", "/favicon.ico", "/x/y",
                                  "/assets/missing.js", "/assets/..%2fbuild-info.json"])
def test_unknown_paths_keep_the_api_404_even_for_browsers(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_the_api_and_its_docs_are_not_shadowed(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert "paths" in client.get("/openapi.json").json()
    assert "swagger" in client.get("/docs", headers=HTML).text.lower()
    assert client.get("/v1/schema").json()["title"] == "StudioFlow manifest"
    # the UI's routes are not part of the API's description
    assert not [p for p in client.get("/openapi.json").json()["paths"] if not p.startswith(
        ("/v1/", "/healthz"))]


def test_pages_refuse_other_methods(client):
    r = client.post("/history", json={})
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
