"""Health, schema, engines, translate/validate/compile, and the one error shape."""

from __future__ import annotations

import json
import sys

import pytest
from fastapi.testclient import TestClient

from api_support import assert_error, make_app, slow_factory
from manifests import manifest_with_controls, minimal_manifest
from studioflow.schema import SCHEMA_PATH


class BrokenTranslator:
    def __init__(self, settings=None):
        pass

    def translate(self, prompt, base=None):
        raise RuntimeError("a bug in a plugin")

    def refine(self, manifest, instruction):
        raise RuntimeError("a bug in a plugin")


@pytest.fixture
def app(settings):
    app = make_app(settings, workers=0)
    app.state.studio.engines.add("offline", slow_factory(available=False))
    app.state.studio.translators.add("broken", BrokenTranslator)
    return app


@pytest.fixture
def client(app):
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["queue"]["kind"] == "inprocess" and body["jobs"] == {}


def test_schema_is_the_schema_file(client):
    response = client.get("/v1/schema")
    assert response.status_code == 200
    assert response.json() == json.loads(SCHEMA_PATH.read_text())


def test_engines_say_what_they_can_do_and_why_not(client):
    engines = {e["name"]: e for e in client.get("/v1/engines").json()}
    preview = engines["preview"]
    assert preview["label"] == "preview" and preview["available"] and preview["default"]
    assert preview["capabilities"]["size_multiple"] > 0
    offline = engines["offline"]
    assert not offline["available"] and not offline["default"]
    assert "SLOW_GPU" in offline["reason"]


def test_translate_gives_a_valid_manifest(client, app):
    response = client.post("/v1/translate", json={"prompt": "a red lipstick on black glass"})
    assert response.status_code == 200, response.text
    manifest = response.json()
    assert app.state.studio.validate(manifest) == []
    assert "lipstick" in manifest["fibo"]["short_description"].lower()


@pytest.mark.parametrize("body,status,code,path", [
    ({"prompt": "   "}, 422, "invalid_prompt", "prompt"),
    ({"prompt": "x" * 5000}, 422, "invalid_prompt", "prompt"),
    ({"prompt": "a mug", "translator": "nope"}, 400, "invalid_input", None),
    ({"prompt": "a mug", "base": {"fibo": 1}}, 422, "invalid_manifest", "$.fibo"),
    ({"prompt": "a mug", "colour": "red"}, 422, "invalid_request", "$.colour"),
    ({}, 422, "invalid_request", "$.prompt"),
])
def test_translate_errors(client, body, status, code, path):
    assert_error(client.post("/v1/translate", json=body), status, code, path)


def test_validate_answers_200_with_problems_at_paths(client):
    ok = client.post("/v1/validate", json=minimal_manifest())
    assert ok.status_code == 200 and ok.json() == {"valid": True, "errors": []}
    for path, value in (("render.width", 100), ("fibo.objects", "a bottle")):
        bad = minimal_manifest()
        section, key = path.split(".")
        bad[section][key] = value
        body = client.post("/v1/validate", json=bad).json()
        assert body["valid"] is False and f"$.{path}" in {e["path"] for e in body["errors"]}
    assert client.post("/v1/validate", json=[1, 2]).json()["valid"] is False
    assert_error(client.post("/v1/validate", content=b'{"fibo": '), 400, "invalid_json")


def test_compile_turns_controls_into_fibo_text(client):
    response = client.post("/v1/compile", json=manifest_with_controls())
    assert response.status_code == 200, response.text
    assert "left" in response.json()["fibo"]["lighting"]["direction"]  # key light at -60°
    bad = manifest_with_controls()
    bad["controls"]["camera"]["elevation"] = 500
    assert_error(client.post("/v1/compile", json=bad), 422, "invalid_manifest",
                 "$.controls.camera.elevation")
    assert_error(client.post("/v1/compile", json=[1]), 422, "invalid_request", "$")


def test_http_level_errors_have_the_same_shape(client, settings):
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    wrong = client.put("/healthz")
    assert_error(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET"
    assert_error(client.get("/v1/renders", params={"limit": 0}), 422, "invalid_request",
                 "query.limit")
    big = b'{"prompt": "' + b"x" * settings.max_body_bytes + b'"}'
    assert_error(client.post("/v1/translate", content=big,
                             headers={"content-type": "application/json"}),
                 413, "payload_too_large")
    assert_error(client.post("/v1/translate", content=b"{not json",
                             headers={"content-type": "application/json"}),
                 400, "invalid_json")


def test_a_bug_is_a_logged_500_that_leaks_nothing(client, caplog):
    response = client.post("/v1/translate", json={"prompt": "a mug", "translator": "broken"})
    error = assert_error(response, 500, "internal_error")
    assert "plugin" not in error["message"]
    assert any("a bug in a plugin" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_serve_without_the_api_extra_says_what_to_install(capsys, monkeypatch):
    from cli_runner import run_cli

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    result = run_cli(capsys, "serve", "--port", "0")
    assert result.code == 1
    assert "pip install 'studioflow[api]'" in result.err and "uvicorn" in result.err
