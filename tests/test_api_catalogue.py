"""/v1/templates and /v1/presets: what the batch form offers as choices (read-only)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import assert_error, make_app
from batch_support import save_template, stores
from cli_runner import run_cli
from studioflow.batch.presets import PRESETS

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "templates" / "studio-white.json"


@pytest.fixture
def client(settings):
    with TestClient(make_app(settings, workers=0)) as c:
        yield c


def test_no_templates_yet_is_an_empty_list(client):
    response = client.get("/v1/templates")
    assert response.status_code == 200, response.text
    assert response.json() == {"items": []}


def test_templates_are_listed_by_name_with_their_look_in_a_few_words(client):
    studio = client.app.state.studio
    # the prompt asks for black velvet, a rim and a key light and a 50mm lens (batch_support)
    noir = save_template(studio, "noir", size=192)
    _, templates = stores(studio)
    templates.save("Studio White", json.loads(EXAMPLE.read_text()))

    items = client.get("/v1/templates").json()["items"]
    assert [t["name"] for t in items] == ["noir", "Studio White"]  # by name, ignoring case
    by_name = {t["name"]: t for t in items}

    assert by_name["noir"]["source_render_id"] == noir.source_render_id
    assert by_name["Studio White"]["source_render_id"] is None
    for item in items:
        assert set(item) == {"name", "created_at", "updated_at", "source_render_id", "summary"}
        assert datetime.fromisoformat(item["created_at"]) <= datetime.fromisoformat(
            item["updated_at"])

    summary = by_name["noir"]["summary"]
    for words in ("black", "key", "rim", "50 mm", "192×192"):
        assert words in summary, summary
    # the example template: a white #FFFFFF sweep, key and fill lights, 85 mm, 1024 x 1024
    assert by_name["Studio White"]["summary"] == ("white sweep · key + fill lights · 85 mm · "
                                                  "1024×1024")


def test_a_template_without_controls_is_summarised_from_its_fibo_text(client):
    manifest = json.loads(EXAMPLE.read_text())
    del manifest["controls"]
    _, templates = stores(client.app.state.studio)
    templates.save("plain", manifest)
    summary = client.get("/v1/templates").json()["items"][0]["summary"]
    backdrop, light, size = summary.split(" · ")
    # the first words of background_setting and of lighting.direction, cut short
    assert manifest["fibo"]["background_setting"].startswith(backdrop.rstrip("…"))
    assert len(backdrop.split()) <= 6 and backdrop.endswith("…")
    assert light == "key light from the upper left"
    assert size == "1024×1024"


def test_a_template_saved_by_the_cli_is_listed(client, capsys):
    code = run_cli(capsys, "template", "import", "cli-kit", str(EXAMPLE)).code
    assert code == 0
    assert [t["name"] for t in client.get("/v1/templates").json()["items"]] == ["cli-kit"]


def test_presets_have_sizes_on_the_default_engines_grid_and_their_rules(client):
    response = client.get("/v1/presets")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["engine"] == "preview"  # the test settings' default engine
    items = {p["name"]: p for p in body["items"]}
    assert list(items) == list(PRESETS)
    amazon = items["amazon-main"]
    assert (amazon["title"], amazon["aspect"]) == ("Amazon main image", "1:1")
    assert amazon["rules"] == list(PRESETS["amazon-main"].rules)
    assert any("#FFFFFF" in rule for rule in amazon["rules"])
    # docs/batch.md's table: nominal size -> the preview engine's (multiples of 8)
    expected = {"amazon-main": (2000, 2000, "1:1"), "shopify": (2048, 2048, "1:1"),
                "etsy": (2016, 1512, "4:3"), "instagram-feed": (1088, 1360, "4:5"),
                "instagram-story": (1080, 1920, "9:16")}
    assert {n: (p["width"], p["height"], p["aspect"]) for n, p in items.items()} == expected
    assert (items["etsy"]["nominal_width"], items["etsy"]["nominal_height"]) == (2000, 1500)
    assert all(p["source"] for p in items.values())


def test_presets_for_another_engine_match_the_cli(client, capsys):
    body = client.get("/v1/presets", params={"engine": "fibo"}).json()
    assert body["engine"] == "fibo"
    sizes = {p["name"]: (p["width"], p["height"]) for p in body["items"]}
    # FIBO's grid is 16 px (docs/batch.md): 4:3 and 9:16 land elsewhere than on preview's
    assert sizes["etsy"] == (1984, 1488) and sizes["instagram-story"] == (1088, 1936)
    cli = run_cli(capsys, "presets", "--engine", "fibo", "--json").json()
    assert sizes == {p["name"]: tuple(p["engine_size"]) for p in cli}


def test_an_unknown_engine_is_refused_at_its_parameter(client):
    response = client.get("/v1/presets", params={"engine": "no-such-engine"})
    error = assert_error(response, 422, "invalid_input", "query.engine")
    assert "no-such-engine" in error["message"]
    assert "preview" in error["details"][0]["message"]  # the installed engines are named


def test_both_routes_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, model, errors in (("/v1/templates", "TemplatePage", {"500"}),
                                ("/v1/presets", "PresetPage", {"422", "500"})):
        responses = paths[path]["get"]["responses"]
        schema = responses["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}
        assert set(responses) >= {"200", *errors}  # (and the security layer's 401/403/429)
        for status in errors:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody")
