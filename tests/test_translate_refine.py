"""Refinements change only what the instruction addresses.

Every verb is checked twice: the addressed field moved the right way, and every other leaf of
the manifest is byte-identical (``json.dumps``) to what it was, the disentangled control the
evaluation measures.
"""

from __future__ import annotations

import copy
import json

import pytest

from manifests import minimal_manifest
from studioflow.core.config import Settings
from studioflow.errors import PromptError
from studioflow.schema import validate_manifest
from studioflow.translate.evaluate import load_cases, untouched_diff
from studioflow.translate.rules import RulesTranslator, create

BASE = ("frosted glass perfume bottle with a gold cap on white marble, three lemons beside it, "
        "soft window light from the left, 85mm, f/8, text 'NOIR' at the top")
LIGHTS = ["controls.lights", "fibo.lighting", "fibo.aesthetics.color_scheme"]
SUMMARY = ["fibo.short_description"]


@pytest.fixture(scope="module")
def t() -> RulesTranslator:
    return create(Settings())


@pytest.fixture
def base(t) -> dict:
    return t.translate(BASE)


def refine(t: RulesTranslator, m: dict, instruction: str, may_change: list[str]) -> dict:
    """Refine and check validity, no mutation of the input, and that only ``may_change``
    prefixes moved."""
    before = json.loads(json.dumps(m))
    out = t.refine(m, instruction)
    assert m == before, "refine mutated its input"
    assert validate_manifest(out) == []
    _, _, changed = untouched_diff(before, out, may_change)
    assert changed == [], f"{instruction!r} changed {changed}"
    return out


def key(m: dict) -> dict:
    return next(x for x in m["controls"]["lights"] if x["role"] == "key")


def role(m: dict, name: str) -> dict | None:
    return next((x for x in m["controls"]["lights"] if x["role"] == name), None)


# ---------------------------------------------------------------- light
def test_light_direction_moves_the_key_and_its_fill(t, base):
    out = refine(t, base, "light from the right", ["controls.lights", "fibo.lighting.direction",
                                                   "fibo.lighting.shadows", *SUMMARY])
    assert key(out)["azimuth"] > 15 > -15 > role(out, "fill")["azimuth"]
    assert "from the right" in out["fibo"]["lighting"]["direction"]
    assert "from the right" in out["fibo"]["short_description"]


def test_move_the_key_light_behind(t, base):
    out = refine(t, base, "move the key light behind", [*LIGHTS, *SUMMARY])
    assert abs(key(out)["azimuth"]) >= 150
    assert "behind" in out["fibo"]["lighting"]["direction"]


@pytest.mark.parametrize("instruction, field, sign", [
    ("softer light", "softness", +1), ("harder light", "softness", -1),
    ("make it darker", "intensity", -1), ("warmer", "color_temperature", -1),
    ("cooler light", "color_temperature", +1),
])
def test_relative_light_words(t, instruction, field, sign):
    base = t.translate("ceramic mug, studio light")  # key at mid values, room to move
    out = refine(t, base, instruction, [*LIGHTS, *SUMMARY])
    assert (key(out)[field] - key(base)[field]) * sign > 0


def test_warmer_reads_warm_and_moves_every_light_together(t, base):
    out = refine(t, base, "make the light warmer", ["controls.lights", "fibo.lighting.conditions",
                                                    "fibo.aesthetics.color_scheme", *SUMMARY])
    temperatures = {x["color_temperature"] for x in out["controls"]["lights"]}
    assert len(temperatures) == 1 and temperatures.pop() < 5000
    assert "warm" in out["fibo"]["lighting"]["conditions"]


def test_brighter_lifts_the_fill_when_the_key_is_at_full_power(t, base):
    out = refine(t, base, "make it brighter", [*LIGHTS, *SUMMARY])
    assert key(out)["intensity"] == key(base)["intensity"] == 1
    assert role(out, "fill")["intensity"] > role(base, "fill")["intensity"]


def test_rim_light_added_and_removed(t, base):
    out = refine(t, base, "add a blue rim light from the left", [*LIGHTS, *SUMMARY])
    rim = role(out, "rim")
    assert rim["azimuth"] < -90 and "blue" in rim["source"]
    assert "blue" in out["fibo"]["lighting"]["direction"]
    gone = refine(t, out, "turn off the rim light", [*LIGHTS, *SUMMARY])
    assert role(gone, "rim") is None


def test_golden_hour_preset(t, base):
    out = refine(t, base, "make it golden hour", [*LIGHTS, *SUMMARY])
    assert key(out)["color_temperature"] < 4000
    assert "golden" in out["fibo"]["lighting"]["conditions"]


# ---------------------------------------------------------------- shadows
def test_shadow_verbs(t, base):
    none = refine(t, base, "no shadows", ["controls.shadows", "fibo.lighting.shadows"])
    assert none["controls"]["shadows"]["style"] == "none"
    reflection = refine(t, base, "add a reflection", ["controls.shadows", "fibo.lighting.shadows"])
    assert reflection["controls"]["shadows"]["reflection"] is True
    hard = t.translate("white sneaker on concrete, hard noon sun from above, hard shadows")
    softer = refine(t, hard, "make the shadows softer", [*LIGHTS, "controls.shadows", *SUMMARY])
    assert "soft" in softer["fibo"]["lighting"]["shadows"]
    assert "hard" not in softer["fibo"]["lighting"]["shadows"]
    longer = refine(t, hard, "longer shadows", [*LIGHTS, "controls.shadows", *SUMMARY])
    assert key(longer)["elevation"] <= 15 and "long" in longer["fibo"]["lighting"]["shadows"]


def test_a_mirror_reflection_shows_in_the_set(t):
    m = t.translate("smartwatch on a white glossy acrylic surface, soft light")
    out = refine(t, m, "add a mirror reflection under the watch",
                 ["controls.shadows", "controls.background", "fibo.background_setting",
                  "fibo.lighting.shadows", *SUMMARY])
    assert out["controls"]["shadows"]["reflection"] is True
    assert "mirror" in out["fibo"]["background_setting"]


def test_harder_light_words_are_not_a_new_mood(t):
    m = t.translate("skincare jar on beige linen, soft diffused light from the right")
    out = refine(t, m, "make the lighting harder with crisp, defined shadows",
                 [*LIGHTS, "controls.shadows", *SUMMARY])
    assert key(out)["softness"] <= 0.4
    assert out["fibo"]["aesthetics"]["mood_atmosphere"] == m["fibo"]["aesthetics"][
        "mood_atmosphere"]


def test_raise_the_key_to_high_above(t):
    m = t.translate("perfume bottle, key light from the left at eye level, black background")
    out = refine(t, m, "raise the key light so it comes from high above", [*LIGHTS, *SUMMARY])
    assert key(out)["elevation"] >= 55


# ---------------------------------------------------------------- set
def test_backdrop_colour(t, base):
    out = refine(t, base, "make the backdrop sage green",
                 ["controls.background", "fibo.background_setting", "fibo.aesthetics.color_scheme",
                  *SUMMARY])
    assert "sage green" in out["fibo"]["background_setting"]
    assert "sage green" in out["fibo"]["short_description"]


def test_velvet_background(t, base):
    out = refine(t, base, "black velvet background",
                 ["controls.background", "fibo.background_setting", "fibo.aesthetics.color_scheme",
                  *SUMMARY])
    assert "velvet" in out["fibo"]["background_setting"]
    assert "black" in out["fibo"]["background_setting"]


def test_replace_the_surface(t, base):
    # the surface belongs to the set: the objects (their relationships included) stay as they
    # were, so a surface swap never leaves a stale "resting on marble" behind
    out = refine(t, base, "replace the marble with black slate",
                 ["controls.background", "fibo.background_setting", "fibo.aesthetics.color_scheme",
                  *SUMMARY])
    assert "marble" not in json.dumps(out["fibo"])
    assert "slate" in out["fibo"]["background_setting"]
    assert out["fibo"]["objects"] == base["fibo"]["objects"]


def test_scene(t, base):
    out = refine(t, base, "put it on a beach",
                 ["controls.background", "fibo.background_setting", "fibo.aesthetics.color_scheme",
                  *SUMMARY])
    assert out["controls"]["background"]["style"] == "scene"
    assert "beach" in out["fibo"]["background_setting"]


# ---------------------------------------------------------------- camera
def test_lens_keeps_the_aperture(t, base):
    out = refine(t, base, "use a 35mm lens", ["controls.camera",
                                              "fibo.photographic_characteristics", *SUMMARY])
    assert out["controls"]["camera"]["focal_length_mm"] == 35
    assert out["controls"]["camera"]["aperture"] == base["controls"]["camera"]["aperture"]


def test_more_and_less_blur(t, base):
    camera_only = ["controls.camera.aperture", "fibo.photographic_characteristics.depth_of_field"]
    blurred = refine(t, base, "more background blur", camera_only)
    assert blurred["controls"]["camera"]["aperture"] < base["controls"]["camera"]["aperture"]
    assert "shallow" in blurred["fibo"]["photographic_characteristics"]["depth_of_field"]
    sharp = refine(t, blurred, "less blur", camera_only)
    assert sharp["controls"]["camera"]["aperture"] > blurred["controls"]["camera"]["aperture"]


@pytest.mark.parametrize("instruction, low, high", [
    ("shoot it from above", 75, 90), ("from a high angle", 20, 60), ("lower angle", -90, 5),
    ("put the camera 30 degrees above the product", 30, 30),
])
def test_camera_angle(t, base, instruction, low, high):
    out = refine(t, base, instruction, ["controls.camera", "fibo.photographic_characteristics",
                                        "fibo.aesthetics.composition", *SUMMARY])
    assert low <= out["controls"]["camera"]["elevation"] <= high


def test_closer_and_wider(t, base):
    may = ["controls.camera", "fibo.photographic_characteristics", "fibo.aesthetics.composition"]
    closer = refine(t, base, "closer", may)
    wider = refine(t, base, "zoom out", may)
    assert closer["controls"]["camera"]["distance_m"] < base["controls"]["camera"]["distance_m"] \
        < wider["controls"]["camera"]["distance_m"]


# ---------------------------------------------------------------- objects
def test_recolour_the_product(t):
    base = t.translate("red sneaker on a white seamless, 3/4 view")
    out = refine(t, base, "make the sneaker blue", ["fibo.objects[0]", *SUMMARY])
    product = json.dumps(out["fibo"]["objects"][0])
    assert "blue" in product and "red" not in product
    assert "blue sneaker" in out["fibo"]["short_description"]


def test_material(t, base):
    out = refine(t, base, "make it matte", ["fibo.objects[0]", *SUMMARY])
    assert "matte" in out["fibo"]["objects"][0]["texture"]


def test_add_props(t, base):
    out = refine(t, base, "add two limes next to it",
                 ["fibo.objects[0].relationship", "fibo.objects[2]", *SUMMARY])
    limes = out["fibo"]["objects"][2]
    assert "lime" in limes["description"] and limes["number_of_objects"] == 2
    assert "bottle" in limes["relationship"]
    assert "two limes" in out["fibo"]["short_description"]


def test_remove_props_everywhere(t, base):
    out = refine(t, base, "remove the lemons", ["fibo.objects", *SUMMARY])
    assert "lemon" not in json.dumps(out["fibo"])
    assert len(out["fibo"]["objects"]) == 1


def test_remove_one_part_of_a_prop(t):
    base = t.translate("stack of pancakes with blueberries and maple syrup on a white plate")
    out = refine(t, base, "remove the syrup", ["fibo.objects", *SUMMARY])
    assert "syrup" not in json.dumps(out["fibo"]) and "blueberr" in json.dumps(out["fibo"])


def test_the_only_object_cannot_be_removed(t):
    base = t.translate("a ceramic mug")
    with pytest.raises(PromptError):
        t.refine(base, "remove the mug")


def test_recolour_instead_of_drops_the_old_colour(t):
    m = t.translate("matte black water bottle on a rock by a lake")
    out = refine(t, m, "make the bottle red instead of black",
                 ["fibo.objects[0]", "fibo.aesthetics.color_scheme", *SUMMARY])
    assert "red" in out["fibo"]["objects"][0]["description"]
    assert "black" not in json.dumps(out["fibo"]["objects"][0])


def test_count_of_the_product(t):
    m = t.translate("a single glass bottle of cold brew on ice, blue background")
    out = refine(t, m, "make it three bottles standing in a row",
                 ["fibo.objects", "fibo.aesthetics.composition", *SUMMARY])
    assert out["fibo"]["objects"][0]["number_of_objects"] == 3
    assert "single" not in out["fibo"]["objects"][0]["description"]
    assert "row" in out["fibo"]["aesthetics"]["composition"]


# ---------------------------------------------------------------- text
def test_text_verbs(t):
    base = t.translate("supplement bottle on a mint green seamless")
    added = refine(t, base, "add the text 'SALE' at the top", ["fibo.text_render", *SUMMARY])
    (item,) = added["fibo"]["text_render"]
    assert item["text"] == "SALE" and "top" in item["location"]
    changed = refine(t, added, "change the text to 'NEW'", ["fibo.text_render", *SUMMARY])
    assert changed["fibo"]["text_render"][0]["text"] == "NEW"
    assert changed["fibo"]["text_render"][0]["location"] == item["location"]
    removed = refine(t, changed, "remove the text", ["fibo.text_render", *SUMMARY])
    assert removed["fibo"]["text_render"] == []
    assert "NEW" not in removed["fibo"]["short_description"]


def test_text_font_from_the_instruction_is_not_a_mood(t, base):
    out = refine(t, base, "add the text 'SUMMER' in the center in bold",
                 ["fibo.text_render", *SUMMARY])
    assert "bold" in out["fibo"]["text_render"][-1]["font"]


# ---------------------------------------------------------------- mood, composition, style
def test_mood_composition_aspect(t, base):
    mood = refine(t, base, "make it more luxurious", ["fibo.aesthetics.mood_atmosphere"])
    assert "luxurious" in mood["fibo"]["aesthetics"]["mood_atmosphere"]
    space = refine(t, base, "leave negative space on the right for copy",
                   ["fibo.aesthetics.composition", "fibo.objects[0].location"])
    assert "right" in space["fibo"]["aesthetics"]["composition"]
    square = refine(t, base, "make it square", ["render"])
    assert square["render"]["aspect"] == "1:1"


def test_style_medium_drops_and_restores_the_camera(t, base):
    painting = refine(t, base, "make it a watercolor illustration",
                      ["fibo.style_medium", "fibo.artistic_style", "controls.camera",
                       "fibo.photographic_characteristics", *SUMMARY])
    assert "watercolor" in painting["fibo"]["style_medium"]
    assert "photographic_characteristics" not in painting["fibo"]
    photo = t.refine(painting, "make it a photo")
    assert "photographic_characteristics" in photo["fibo"] and "camera" in photo["controls"]


# ---------------------------------------------------------------- robustness
@pytest.mark.parametrize("instruction", ["xyzzy frobnicate", "the", "'"])
def test_unknown_instruction_is_an_error(t, base, instruction):
    with pytest.raises(PromptError, match="could not find anything to change"):
        t.refine(base, instruction)


def test_empty_instruction(t, base):
    with pytest.raises(PromptError, match="empty"):
        t.refine(base, "  ")


def test_hand_written_manifest_without_controls(t):
    manifest = minimal_manifest()
    out = refine(t, manifest, "make the light warmer",
                 ["controls", "fibo.lighting", "fibo.aesthetics.color_scheme", *SUMMARY])
    assert out["fibo"]["background_setting"] == manifest["fibo"]["background_setting"]
    assert "warm" in out["fibo"]["lighting"]["conditions"]


def test_seed_and_render_settings_survive(t, base):
    seeded = copy.deepcopy(base)
    seeded["render"].update(seed=1234, steps=30)
    out = t.refine(seeded, "use a 50mm lens")
    assert out["render"] == seeded["render"]


def test_every_eval_refinement_is_valid_and_disentangled_on_dev(t):
    cases = load_cases(split="dev", mode="refine")
    identical = total = 0
    for case in cases:
        before = t.translate(case.prompt)
        after = t.refine(before, case.instruction)
        assert validate_manifest(after) == []
        same, n, _ = untouched_diff(before, after, case.may_change)
        identical, total = identical + same, total + n
    assert identical / total > 0.98
