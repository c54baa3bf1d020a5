"""The one schema: its shape, validation messages, semantic rules and upgrades."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from manifests import manifest_with_controls, minimal_manifest
from studioflow.engines import Capabilities
from studioflow.errors import JSONSyntaxError, ManifestError
from studioflow.schema import (
    SCHEMA_VERSION,
    check_manifest,
    default_for,
    field_order,
    get_path,
    load_schema,
    ordered,
    parse_manifest_text,
    resolve_size,
    set_path,
    upgrade,
    validate_manifest,
)

# Bria's FIBO caption fields in Bria's order (from FIBO's public caption tooling)
FIBO_ORDER = ["short_description", "objects", "background_setting", "lighting", "aesthetics",
              "photographic_characteristics", "style_medium", "text_render", "context",
              "artistic_style"]


def test_schema_is_valid_2020_12_and_versioned():
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["schema_version"] == SCHEMA_VERSION
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_fibo_fields_are_exactly_fibos_in_fibos_order():
    assert field_order("fibo") == FIBO_ORDER
    assert field_order("fibo.lighting") == ["conditions", "direction", "shadows"]
    assert field_order("fibo.photographic_characteristics") == [
        "depth_of_field", "focus", "camera_angle", "lens_focal_length"]


def test_defaults_alone_make_a_valid_fibo_prompt():
    fibo = {name: default_for(f"fibo.{name}") for name in FIBO_ORDER}
    fibo["short_description"] = "a product"
    fibo["objects"] = [{"description": "a jar", "location": "center", "relationship": "alone"}]
    manifest = {"schema_version": SCHEMA_VERSION, "fibo": fibo,
                "render": {"engine": default_for("render.engine")}}
    assert validate_manifest(manifest) == []


def test_valid_manifests_pass():
    assert validate_manifest(minimal_manifest()) == []
    assert validate_manifest(manifest_with_controls()) == []


@pytest.mark.parametrize("path,value,fragment", [
    ("fibo.lighting.direction", 42, "expected text"),
    ("render.seed", -1, "at least 0"),
    ("controls.lights[0].azimuth", 181, "at most 180"),
    ("controls.lights[0].role", "hair", "expected one of"),
    ("controls.background.color", "beige", "colour like"),
    ("fibo.objects[0].description", "", "must not be empty"),
    ("render.aspect", "7:3", "expected one of"),
])
def test_schema_errors_name_the_json_path(path, value, fragment):
    m = manifest_with_controls()
    set_path(m, path, value)
    errors = validate_manifest(m)
    assert len(errors) == 1
    expected_path = "$." + path
    assert errors[0].path == expected_path
    assert fragment in errors[0].message


def test_missing_and_unknown_fields_point_at_the_field():
    m = minimal_manifest()
    del m["fibo"]["lighting"]["direction"]
    m["fibo"]["lightng"] = {}
    paths = {e.path: e.message for e in validate_manifest(m)}
    assert paths["$.fibo.lighting.direction"] == "required field is missing"
    assert paths["$.fibo.lightng"].startswith("unknown field; expected one of:")


def test_broken_json_reports_line_and_column():
    with pytest.raises(JSONSyntaxError) as info:
        parse_manifest_text('{\n  "fibo": {\n    "x": ,\n  }\n}', "m.json")
    assert (info.value.line, info.value.column) == (3, 10)
    assert "line 3 column 10" in info.value.message


def test_non_object_manifest_is_refused():
    with pytest.raises(ManifestError) as info:
        parse_manifest_text("[1, 2]")
    assert info.value.details[0].path == "$"


FIXED16 = Capabilities(label="test", size_multiple=16, min_side=64, max_side=2048,
                       max_pixels=2048 * 2048, max_images=2, steps=(1, 50))


def caps_lookup(name):
    if name != "fixed":
        raise KeyError(name, ["fixed"])
    return FIXED16


@pytest.mark.parametrize("render,path,fragment", [
    ({"width": 1000, "height": 1024}, "$.render.width", "multiple of 16"),
    ({"width": 1024, "height": 4000}, "$.render.height", "outside"),
    ({"num_images": 3}, "$.render.num_images", "at most 2"),
    ({"steps": 80}, "$.render.steps", "1-50"),
])
def test_engine_rules_are_checked(render, path, fragment):
    m = minimal_manifest(engine="fixed", **render)
    errors = validate_manifest(m, caps_lookup)
    assert [e.path for e in errors] == [path]
    assert fragment in errors[0].message


def test_unknown_engine_lists_installed_ones():
    errors = validate_manifest(minimal_manifest(engine="nope"), caps_lookup)
    assert errors[0].path == "$.render.engine"
    assert "unknown engine 'nope'" in errors[0].message and "fixed" in errors[0].message


def test_semantic_rules_across_fields():
    m = manifest_with_controls()
    m["controls"]["lights"][1]["role"] = "key"
    m["controls"]["background"]["gradient_to"] = "#000000"
    paths = [e.path for e in validate_manifest(m)]
    assert "$.controls.lights[1].role" in paths
    assert "$.controls.background.gradient_to" in paths


def test_check_manifest_raises_with_every_problem():
    m = minimal_manifest()
    m["render"]["seed"] = "x"
    m["fibo"]["context"] = ""
    with pytest.raises(ManifestError) as info:
        check_manifest(m)
    assert len(info.value.details) == 2
    assert "2 problems" in info.value.message


def test_sizes_come_from_aspect_presets_in_the_schema():
    assert resolve_size({"aspect": "1:1"}) == (1024, 1024)
    assert resolve_size({"aspect": "16:9"}) == (1344, 768)
    assert resolve_size({}) == (1024, 1024)
    assert resolve_size({"width": 640, "height": 480}) == (640, 480)
    w, h = resolve_size({"aspect": "4:5", "width": 800})
    assert w == 800 and h % 16 == 0 and abs(h / w - 1.25) < 0.03


def test_bare_fibo_caption_is_upgraded_into_a_manifest():
    caption = minimal_manifest()["fibo"]
    caption["objects"][0]["pose"] = None  # Bria's tools emit nulls; they are dropped
    caption["artistic_style"] = ""
    m = upgrade(json.loads(json.dumps(caption)))
    assert m["schema_version"] == SCHEMA_VERSION
    assert "pose" not in m["fibo"]["objects"][0]
    assert "artistic_style" not in m["fibo"]
    assert validate_manifest(m) == []


def test_current_manifest_is_returned_unchanged_and_unknown_versions_refused():
    m = minimal_manifest()
    assert upgrade(m) is m
    m["schema_version"] = "9.0"
    with pytest.raises(ManifestError) as info:
        upgrade(m)
    assert info.value.details[0].path == "$.schema_version"


def test_ordered_puts_fields_in_schema_order_and_paths_work():
    m = minimal_manifest()
    shuffled = {"render": m["render"], "fibo": dict(reversed(list(m["fibo"].items()))),
                "schema_version": m["schema_version"]}
    out = ordered(shuffled)
    assert list(out) == ["schema_version", "fibo", "render"]
    assert list(out["fibo"]) == [k for k in FIBO_ORDER if k in m["fibo"]]
    assert get_path(out, "fibo.objects[0].location") == "center"
    assert get_path(out, "fibo.objects[3].location", "none") == "none"
