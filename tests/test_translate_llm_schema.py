"""The LLM-facing schemas and prompts are derived from fibo_schema.json, and the refinement
merge keeps what the model did not really change."""

from __future__ import annotations

import copy

from jsonschema import Draft202012Validator

from manifests import manifest_with_controls
from studioflow.schema import field_order, load_schema, subschema
from studioflow.translate.evaluate import untouched_diff
from studioflow.translate.llm.llm_schema import (
    answer_schema,
    gemini_schema,
    openai_strict,
    strip_nulls,
)
from studioflow.translate.llm.merge import changed_paths, merge_changes
from studioflow.translate.llm.prompting import field_guide, repair_prompt, system_prompt


def objects(node, path="$"):
    """Every (path, schema node) that describes an object with properties."""
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
            for name, sub in node["properties"].items():
                yield from objects(sub, f"{path}.{name}")
        for key in ("items", "anyOf"):
            if key in node:
                subs = node[key] if isinstance(node[key], list) else [node[key]]
                for sub in subs:
                    yield from objects(sub, f"{path}[]")


def keys_anywhere(node, found=None):
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            keys_anywhere(value, found)
    elif isinstance(node, list):
        for value in node:
            keys_anywhere(value, found)
    return found


def test_answer_schema_accepts_a_manifests_fibo_and_controls():
    m = manifest_with_controls()
    validator = Draft202012Validator(answer_schema(True))
    assert list(validator.iter_errors({"fibo": m["fibo"], "controls": m["controls"]})) == []
    bad = copy.deepcopy(m["fibo"])
    bad["objects"] = []
    assert list(validator.iter_errors({"fibo": bad}))
    assert "controls" not in answer_schema(False)["properties"]


def test_answer_schema_follows_the_schema_file():
    schema = answer_schema(True)
    fibo = schema["properties"]["fibo"]
    assert list(fibo["properties"]) == field_order("fibo")
    assert fibo["required"] == subschema("fibo")["required"]
    assert "$ref" not in keys_anywhere(schema) and "default" not in keys_anywhere(schema)
    # items were inlined from $defs
    assert list(fibo["properties"]["objects"]["items"]["properties"]) == \
        list(load_schema()["$defs"]["fibo_object"]["properties"])


def test_openai_strict_requires_every_property_and_closes_every_object():
    strict = openai_strict(answer_schema(True))
    found = list(objects(strict))
    assert len(found) > 10
    for path, node in found:
        assert node["required"] == list(node["properties"]), path
        assert node["additionalProperties"] is False, path
    fibo = strict["properties"]["fibo"]["properties"]
    # optional in the schema -> nullable; required stays as it is
    assert fibo["style_medium"]["type"] == ["string", "null"]
    assert fibo["short_description"]["type"] == "string"
    role = strict["properties"]["controls"]["properties"]["lights"]["items"]["properties"]
    assert role["role"]["enum"] == ["key", "fill", "rim", "background"]
    style = strict["properties"]["controls"]["properties"]["shadows"]["properties"]["style"]
    assert None in style["enum"] and "null" in style["type"]
    assert not {"minLength", "maxLength", "examples", "x-sizes"} & keys_anywhere(strict)


def test_gemini_schema_is_the_openapi_subset_in_fibo_order():
    gemini = gemini_schema(answer_schema(True))
    assert not {"additionalProperties", "const", "$ref", "exclusiveMinimum"} & \
        keys_anywhere(gemini)
    fibo = gemini["properties"]["fibo"]
    assert fibo["type"] == "OBJECT" and fibo["propertyOrdering"] == field_order("fibo")
    assert fibo["properties"]["objects"]["type"] == "ARRAY"
    camera = gemini["properties"]["controls"]["properties"]["camera"]["properties"]
    assert camera["distance_m"] == {**camera["distance_m"], "type": "NUMBER", "minimum": 0}
    types = {n.get("type") for _, n in objects(gemini)}
    assert types == {"OBJECT"}


def test_prompts_are_built_from_the_schema():
    guide = field_guide(True)
    for name in field_order("fibo"):
        assert f"- fibo.{name} (" in guide
    for name in field_order("fibo.objects[]"):
        assert f"- fibo.objects[].{name} (" in guide
    assert subschema("controls.lights[].azimuth")["description"] in guide
    assert subschema("fibo.lighting.direction")["default"] in guide
    for mode in ("generate", "refine", "inspire"):
        text = system_prompt(mode, True)
        assert guide in text and '"controls"' in text
    assert "controls." not in system_prompt("generate", False)
    assert "$.fibo.objects: expected at least 1 item(s)" in repair_prompt(
        ["$.fibo.objects: expected at least 1 item(s)"])


def test_strip_nulls():
    assert strip_nulls({"a": None, "b": "", "c": {"d": None}, "e": [1, None], "f": 0,
                        "g": []}) == {"e": [1], "f": 0, "g": []}


def test_merge_keeps_bytes_of_what_did_not_really_change():
    current = manifest_with_controls()
    answer = copy.deepcopy(current)
    answer["controls"]["camera"]["focal_length_mm"] = 85.0  # same number
    answer["fibo"]["context"] = " " + answer["fibo"]["context"] + "\n"  # same words
    del answer["fibo"]["objects"][0]["relative_size"]  # left out
    del answer["fibo"]["lighting"]["shadows"]  # left out as well
    answer["fibo"]["aesthetics"] = dict(reversed(list(answer["fibo"]["aesthetics"].items())))
    answer["fibo"]["aesthetics"]["mood_atmosphere"] = "playful"  # the one real change
    merged = merge_changes(current, answer)
    assert merged["fibo"]["aesthetics"]["mood_atmosphere"] == "playful"
    assert untouched_diff(current, merged, ["fibo.aesthetics.mood_atmosphere"])[2] == []
    assert changed_paths(current, merged) == ["fibo.aesthetics.mood_atmosphere"]
    assert current == manifest_with_controls()  # inputs untouched


def test_merge_takes_lists_whose_length_changed_and_new_keys():
    current = manifest_with_controls()
    answer = copy.deepcopy(current)
    answer["fibo"]["objects"].append({"description": "lemon", "location": "left",
                                      "relationship": "beside the bottle"})
    answer["controls"]["color_palette"] = "lemon yellow"
    answer["fibo"]["style_medium"] = None  # an explicit null removes the value
    merged = merge_changes(current, answer)
    assert len(merged["fibo"]["objects"]) == 2
    assert merged["controls"]["color_palette"] == "lemon yellow"
    assert "style_medium" not in merged["fibo"]
    assert sorted(changed_paths(current, merged)) == ["controls.color_palette", "fibo.objects",
                                                      "fibo.style_medium"]
