"""The rule-based translator: sentence -> complete, schema-valid manifest.

Each test states what a photographer would expect from the words; angles follow the schema
(azimuth negative = frame left, positive = frame right, 180 = behind; elevation 90 = above).
"""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studioflow.core.colors import luminance, name_to_hex
from studioflow.core.config import Settings
from studioflow.errors import PromptError
from studioflow.schema import default_for, field_order, validate_manifest
from studioflow.translate import TranslatorRegistry
from studioflow.translate.evaluate import SECOND_CASES, load_cases
from studioflow.translate.rules import RulesTranslator, create


@pytest.fixture(scope="module")
def t() -> RulesTranslator:
    return create(Settings())


def light(m: dict, role: str = "key") -> dict:
    found = [x for x in m["controls"]["lights"] if x["role"] == role]
    assert found, f"no {role} light in {m['controls']['lights']}"
    return found[0]


def obj(m: dict, word: str) -> dict:
    hits = [o for o in m["fibo"]["objects"] if re.search(rf"\b{word}s?\b", o["description"])]
    assert hits, f"no object mentions {word!r}: {m['fibo']['objects']}"
    return hits[0]


def assert_valid(m: dict) -> None:
    assert validate_manifest(m) == []


# ---------------------------------------------------------------- shape of the result
def test_registered_under_the_rules_entry_point():
    translator = TranslatorRegistry(Settings()).require("rules")
    assert translator.name == "rules"
    assert_valid(translator.translate("a ceramic mug"))


def test_full_manifest_in_schema_order_with_schema_defaults(t):
    m = t.translate("a ceramic mug")
    assert_valid(m)
    assert list(m["fibo"]) == [k for k in field_order("fibo") if k in m["fibo"]]
    assert m["render"] == {"engine": default_for("render.engine")}  # nothing unasked
    # nothing said about light, camera or set: the schema's product-photo defaults
    assert m["controls"]["lights"] == default_for("controls.lights")
    for key in ("azimuth", "elevation", "focal_length_mm", "aperture", "distance_m"):
        assert m["controls"]["camera"][key] == default_for(f"controls.camera.{key}")
    assert m["controls"]["background"]["color"] == default_for("controls.background.color")
    assert m["fibo"]["style_medium"] == default_for("fibo.style_medium")
    assert m["fibo"]["text_render"] == []


def test_owned_text_is_compiled_from_controls(t):
    from studioflow.core.controls import apply_controls

    m = t.translate("perfume bottle, soft window light from the left, 85mm")
    assert apply_controls(m) == m  # a fixed point: re-rendering changes no word


def test_terse_prompt_gets_a_clean_summary(t):
    raw = "red sneaker, white bg, hard light, low angle"
    summary = t.translate(raw)["fibo"]["short_description"]
    assert summary != raw and "bg" not in summary.split()
    assert "sneaker" in summary and "background" in summary or "backdrop" in summary
    assert summary[0].isupper() and summary.endswith(".")


# ---------------------------------------------------------------- objects
def test_main_product_first_and_counted_props(t):
    m = t.translate("three lemons and a glass bottle of lemonade on a wooden table")
    assert "bottle" in m["fibo"]["objects"][0]["description"]
    lemons = obj(m, "lemon")
    assert lemons["number_of_objects"] == 3
    assert "bottle" in lemons["relationship"]


def test_pair_of_counts_two(t):
    m = t.translate("a pair of white leather sneakers")
    product = m["fibo"]["objects"][0]
    assert product["number_of_objects"] == 2 and "sneakers" in product["description"]


def test_colour_material_and_details_of_the_product(t):
    product = t.translate("a matte black ceramic mug with a gold rim")["fibo"]["objects"][0]
    assert "black" in product["shape_and_color"]
    assert "matte" in product["texture"] and "ceramic" in product["texture"]
    assert "gold rim" in product["appearance_details"]


def test_props_keep_their_place(t):
    m = t.translate("a perfume bottle with a towel in the background and two pebbles in "
                    "front of it")
    assert "background" in obj(m, "towel")["location"]
    pebbles = obj(m, "pebble")
    assert pebbles["number_of_objects"] == 2 and "foreground" in pebbles["location"]


def test_food_words_are_not_colours(t):
    product = t.translate("a honey jar next to a wine bottle")["fibo"]["objects"][0]
    assert "shape_and_color" not in product  # "honey" names what is inside


def test_category_heading_is_not_an_object(t):
    m = t.translate("flat lay of skincare: a serum bottle, two jade rollers and a towel")
    assert "serum" in m["fibo"]["objects"][0]["description"]
    assert obj(m, "roller")["number_of_objects"] == 2


# ---------------------------------------------------------------- set
def test_surface_and_backdrop_colour(t):
    m = t.translate("perfume bottle on white marble against a sage green backdrop")
    background = m["controls"]["background"]
    assert background["surface"] == "white marble"
    assert background["color"] == name_to_hex("sage green")
    assert "marble" in m["fibo"]["background_setting"] and "sage" in m["fibo"]["background_setting"]


def test_gradient_backdrop(t):
    background = t.translate("serum bottle, gradient from navy to black")["controls"]["background"]
    assert background["style"] == "gradient"
    assert background["color"] == name_to_hex("navy") and background["gradient_to"] == \
        name_to_hex("black")


def test_hex_colours_are_kept_exactly(t):
    background = t.translate("lip gloss on a #F4C2C2 seamless backdrop")["controls"]["background"]
    assert background["color"] == "#F4C2C2"


@pytest.mark.parametrize("prompt, word", [
    ("sunscreen on the beach", "beach"),
    ("candle on a bathroom shelf", "bathroom"),
    ("coffee cup in a cozy cafe", "cafe"),
])
def test_scenes(t, prompt, word):
    m = t.translate(prompt)
    assert m["controls"]["background"]["style"] == "scene"
    assert word in m["fibo"]["background_setting"]


def test_dark_velvet_surface_darkens_the_backdrop(t):
    m = t.translate("gold watch on black velvet")
    assert luminance(m["controls"]["background"]["color"]) < 0.1


# ---------------------------------------------------------------- light
def test_window_light_from_the_left(t):
    m = t.translate("bottle, soft window light from the left")
    key = light(m)
    assert key["azimuth"] < -15 and key["source"] == "window" and key["softness"] >= 0.55
    assert "window" in m["fibo"]["lighting"]["conditions"]


def test_upper_right_and_exact_degrees(t):
    upper = light(t.translate("mug, key light from the upper right"))
    assert upper["azimuth"] > 15 and upper["elevation"] >= 30
    assert light(t.translate("mug, softbox at 45 degrees from the left"))["azimuth"] == -45


def test_golden_hour_is_low_and_warm(t):
    key = light(t.translate("backpack on a bench, golden hour"))
    assert key["color_temperature"] < 4000 and key["elevation"] <= 15


def test_hard_noon_sun_is_hard_and_high(t):
    key = light(t.translate("sunscreen on sand, hard noon sun"))
    assert key["softness"] < 0.3 and key["elevation"] >= 50


def test_backlit_and_rim(t):
    assert abs(light(t.translate("perfume bottle, backlit"))["azimuth"]) >= 150
    m = t.translate("watch, dramatic rim light")
    assert light(m, "rim") and "rim" in m["fibo"]["lighting"]["direction"]


@pytest.mark.parametrize("kelvin", [3200, 5600, 7500])
def test_kelvin_numbers(t, kelvin):
    assert light(t.translate(f"bottle lit at {kelvin}K"))["color_temperature"] == kelvin


def test_candle_and_neon(t):
    assert light(t.translate("jar candle, candlelight"))["color_temperature"] < 2600
    m = t.translate("cocktail, neon pink backlight")
    assert "pink" in light(m)["source"] and "neon" in m["fibo"]["lighting"]["conditions"]


def test_low_key_and_high_key(t):
    low = t.translate("mug, low-key light")
    high = t.translate("mug, high-key light")
    assert light(low, "fill")["intensity"] < light(high, "fill")["intensity"]
    assert "low-key" in low["fibo"]["lighting"]["conditions"]
    assert "high-key" in high["fibo"]["lighting"]["conditions"]


# ---------------------------------------------------------------- shadows
@pytest.mark.parametrize("words, style", [("no shadows", "none"), ("shadowless", "none"),
                                          ("only a soft contact shadow", "contact")])
def test_shadow_styles(t, words, style):
    assert t.translate(f"sneaker, {words}")["controls"]["shadows"]["style"] == style


def test_hard_shadows_come_from_a_harder_light_than_soft_ones(t):
    hard = t.translate("sneaker, hard shadows")
    soft = t.translate("sneaker, soft shadows")
    assert light(hard)["softness"] < light(soft)["softness"]
    assert "hard" in hard["fibo"]["lighting"]["shadows"]


def test_long_shadows_and_reflection(t):
    m = t.translate("shoe on a mirror, long shadows, reflection")
    assert light(m)["elevation"] <= 15 and "long" in m["fibo"]["lighting"]["shadows"]
    assert m["controls"]["shadows"]["reflection"] is True


# ---------------------------------------------------------------- camera
@pytest.mark.parametrize("words, low, high", [
    ("eye-level", -5, 5), ("top-down", 75, 90), ("flat lay", 75, 90), ("low angle", -90, -5),
    ("high angle", 20, 60), ("camera 30 degrees above", 30, 30),
])
def test_camera_elevation(t, words, low, high):
    assert low <= t.translate(f"bottle, {words}")["controls"]["camera"]["elevation"] <= high


def test_three_quarter_and_profile(t):
    assert 30 <= abs(t.translate("sneaker, 3/4 view")["controls"]["camera"]["azimuth"]) <= 60
    assert abs(t.translate("sneaker, side profile view")["controls"]["camera"]["azimuth"]) == 90


@pytest.mark.parametrize("words, check", [
    ("85mm", lambda mm: mm == 85), ("50 mm lens", lambda mm: mm == 50),
    ("wide angle", lambda mm: mm <= 35), ("telephoto", lambda mm: mm >= 135),
    ("macro", lambda mm: mm >= 60),
])
def test_lens(t, words, check):
    assert check(t.translate(f"watch, {words}")["controls"]["camera"]["focal_length_mm"])


@pytest.mark.parametrize("words, aperture", [("f/1.8", 1.8), ("f2.8", 2.8), ("f/11", 11)])
def test_aperture_numbers(t, words, aperture):
    assert t.translate(f"watch, {words}")["controls"]["camera"]["aperture"] == aperture


def test_depth_of_field_words_set_the_aperture_unless_a_number_does(t):
    shallow = t.translate("mug, shallow depth of field")["controls"]["camera"]["aperture"]
    deep = t.translate("mug, everything sharp")["controls"]["camera"]["aperture"]
    assert shallow <= 2.8 < 8 <= deep
    assert t.translate("mug, bokeh, f/5.6")["controls"]["camera"]["aperture"] == 5.6


def test_focus_is_written_from_the_text(t):
    focus = t.translate("jar, focus on the label")["fibo"]["photographic_characteristics"]["focus"]
    assert "label" in focus


# ---------------------------------------------------------------- composition, mood, style
def test_negative_space_moves_the_product_away(t):
    m = t.translate("bottle, negative space on the left for copy")
    assert "negative space on the left" in m["fibo"]["aesthetics"]["composition"]
    assert "right" in m["fibo"]["objects"][0]["location"]


def test_composition_and_mood_words(t):
    m = t.translate("luxury watch, rule of thirds, dramatic and elegant")
    assert "rule of thirds" in m["fibo"]["aesthetics"]["composition"]
    mood = m["fibo"]["aesthetics"]["mood_atmosphere"]
    assert "luxurious" in mood and "elegant" in mood


@pytest.mark.parametrize("words, medium", [("watercolor illustration", "watercolor"),
                                           ("3D render", "3D"), ("flat vector art", "vector"),
                                           ("oil painting", "oil")])
def test_non_photographic_media_drop_the_camera(t, words, medium):
    m = t.translate(f"{words} of a teapot")
    assert medium in m["fibo"]["style_medium"]
    assert "camera" not in m["controls"]
    assert "photographic_characteristics" not in m["fibo"]
    assert m["fibo"]["artistic_style"] != default_for("fibo.artistic_style")
    assert_valid(m)


def test_palette(t):
    m = t.translate("toy train, primary colors palette")
    assert "primary" in m["controls"]["color_palette"]
    assert "primary" in m["fibo"]["aesthetics"]["color_scheme"]


# ---------------------------------------------------------------- text, context, render
@pytest.mark.parametrize("prompt", ["sneaker with the text 'SALE' at the top",
                                    'sneaker with the text "SALE" at the top',
                                    "sneaker with the text \u201cSALE\u201d at the top"])
def test_quoted_text_with_position(t, prompt):
    (item,) = t.translate(prompt)["fibo"]["text_render"]
    assert item["text"] == "SALE" and "top" in item["location"]


def test_text_attributes_and_label_text(t):
    (item,) = t.translate("headphones, 'NEW' in large white letters at the bottom left")[
        "fibo"]["text_render"]
    assert (item["size"], item["color"], item["location"]) == ("large", "white", "bottom left")
    (label,) = t.translate("a jar with 'LUMA' printed on the label")["fibo"]["text_render"]
    assert "label" in label["location"]


def test_apostrophes_are_not_quotes(t):
    assert t.translate("the chef's knife and the baker's apron")["fibo"]["text_render"] == []


@pytest.mark.parametrize("words, aspect", [("square", "1:1"), ("4:5", "4:5"), ("16:9", "16:9"),
                                           ("portrait orientation", "4:5"),
                                           ("21:9 crop", "16:9")])
def test_aspect(t, words, aspect):
    assert t.translate(f"bottle, {words}")["render"]["aspect"] == aspect


def test_explicit_size_is_rounded_to_engine_multiples(t):
    render = t.translate("bottle, 1080x1350 px")["render"]
    assert render["width"] % 16 == 0 and render["height"] % 16 == 0
    assert abs(render["width"] - 1080) <= 8 and abs(render["height"] - 1350) <= 8


def test_context_and_implied_aspect(t):
    m = t.translate("hero banner for a luxury watch")
    assert "banner" in m["fibo"]["context"] and m["render"]["aspect"] == "16:9"
    assert "e-commerce" in t.translate("amazon listing of a drill")["fibo"]["context"]


def test_product_sku_and_brand(t):
    m = t.translate("brand: Aurora; SKU AU-1234; moisturizer jar on white marble")
    assert m["product"] == {"sku": "AU-1234", "brand": "Aurora"}
    assert "product" not in t.translate("a moisturizer jar")


# ---------------------------------------------------------------- base manifests
@pytest.fixture
def template(t) -> dict:
    base = t.translate("perfume bottle on black slate, hard light from the right, low angle, "
                       "35mm, f/2.8")
    base["product"] = {"template": "noir-kit", "brand": "Noir", "sku": "OLD-1", "name": "old"}
    return base


def test_base_keeps_everything_the_prompt_does_not_mention(t, template):
    m = t.translate("a blue ceramic mug", base=copy.deepcopy(template))
    assert m["controls"] == template["controls"]
    for key in ("lighting", "background_setting", "photographic_characteristics"):
        assert m["fibo"][key] == template["fibo"][key]
    assert "mug" in m["fibo"]["objects"][0]["description"]
    assert m["product"] == {"template": "noir-kit", "brand": "Noir"}  # old name and SKU go
    assert_valid(m)


def test_base_changes_only_what_is_mentioned(t, template):
    m = t.translate("a blue ceramic mug, golden hour", base=copy.deepcopy(template))
    assert m["controls"]["camera"] == template["controls"]["camera"]
    assert m["controls"]["background"] == template["controls"]["background"]
    assert light(m)["color_temperature"] < light(template)["color_temperature"]


def test_base_is_not_mutated(t, template):
    before = copy.deepcopy(template)
    t.translate("a mug, 85mm, watercolor", base=template)
    assert template == before


# ---------------------------------------------------------------- input checks
@pytest.mark.parametrize("prompt", ["", "   \n\t "])
def test_empty_prompt(t, prompt):
    with pytest.raises(PromptError, match="empty"):
        t.translate(prompt)


def test_too_long_prompt_names_the_limit():
    small = create(Settings(max_prompt_chars=50))
    with pytest.raises(PromptError) as err:
        small.translate("a bottle " * 10)
    assert "50" in " ".join(err.value.lines())


def test_undecodable_text(t):
    with pytest.raises(PromptError, match="UTF-8"):
        t.translate("a bottle \udcff on marble")


def test_control_characters_are_stripped(t):
    m = t.translate("a bottle\x07 on\x00 marble")
    assert "\x07" not in str(m) and "\x00" not in str(m)
    assert m["controls"]["background"]["surface"] == "marble"


# ---------------------------------------------------------------- validity everywhere
def test_every_eval_prompt_gives_a_valid_manifest(t):
    for case in load_cases() + load_cases(SECOND_CASES):
        assert_valid(t.translate(case.prompt))


_WORDS = st.sampled_from([
    "bottle", "on", "white", "marble", "from", "the", "left", "'SALE'", '"NEW"', "with", "and",
    "three", "lemons", "f/1.8", "85mm", "16:9", "behind", "backlit", "rim", "light", "shadows",
    "gradient", "to", "#FF00AA", "45", "degrees", "5600K", "watercolor", ",", ".", ":", "&",
    "3/4", "bg", "w/", "top-down", "x", "1080x1350", "no", "in", "a", "of", "\u201c", "\u00e9",
    "\U0001f642", "\u200b", "((", "--", "''",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS | st.text(min_size=1, max_size=12), min_size=1, max_size=40))
def test_word_salads_give_valid_manifests(t, words):
    try:
        m = t.translate(" ".join(words))
    except PromptError as err:  # only blank text (to the prompt cleaner) may be refused
        assert "empty" in str(err)
        return
    assert_valid(m)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_long_unicode_prompts_stay_within_schema_lengths(t, chunk):
    prompt = (chunk + " ") * (3900 // (len(chunk) + 1))
    try:
        m = t.translate(prompt)
    except PromptError as err:  # only blank text (to the prompt cleaner) may be refused
        assert "empty" in str(err)
        return
    assert_valid(m)


def test_punctuation_only_prompt_still_makes_a_manifest(t):
    m = t.translate("!!! ... ,,, ???")
    assert_valid(m)
    assert m["fibo"]["objects"][0]["description"]


def test_hand_written_base_keeps_its_own_text(t):
    from manifests import minimal_manifest

    base = minimal_manifest()
    m = t.translate("golden hour", base=copy.deepcopy(base))
    assert_valid(m)
    assert m["fibo"]["background_setting"] == base["fibo"]["background_setting"]
    assert m["fibo"]["objects"] == base["fibo"]["objects"]
    assert set(m["controls"]) == {"lights"}  # only what the prompt spoke about
    assert "golden" in m["fibo"]["lighting"]["conditions"]
