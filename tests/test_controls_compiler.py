"""The controls compiler: numeric studio controls -> FIBO text a photographer agrees with.

Expected words come from photographic reasoning (shadows fall opposite the key, a wider
aperture is shallower, 85mm is a portrait telephoto), not from the compiler's own output.
"""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studioflow.core.controls import apply_controls, compile_controls, describe_light_direction
from studioflow.core.controls_camera import depth_of_field_mm
from studioflow.schema import default_for, field_order, validate_manifest

# ------------------------------------------------------------------ helpers

DARKNESS_ORDER = ("barely visible", "light and open", "of medium density", "dark and dense",
                  "deep, almost black")
DOF_ORDER = ("very shallow", "shallow", "moderate", "deep")


def base_manifest() -> dict:
    return {
        "schema_version": "1.0",
        "fibo": {
            "short_description": "A frosted glass perfume bottle on white marble.",
            "objects": [{"description": "a frosted glass perfume bottle", "location": "center",
                         "relationship": "the only product"}],
            "background_setting": "hand-written backdrop text",
            "lighting": {"conditions": "hand-written conditions",
                         "direction": "hand-written direction",
                         "shadows": "hand-written shadows"},
            "aesthetics": {"composition": "centered", "color_scheme": "hand-written colours",
                           "mood_atmosphere": "serene"},
            "photographic_characteristics": {"depth_of_field": "hand-written dof",
                                             "focus": "sharp focus on the label",
                                             "camera_angle": "hand-written angle",
                                             "lens_focal_length": "hand-written lens"},
            "context": "a product page hero image",
        },
        "render": {"engine": "preview"},
    }


def lighting(*lights: dict, shadows: dict | None = None) -> dict:
    controls: dict = {"lights": list(lights)}
    if shadows is not None:
        controls["shadows"] = shadows
    return compile_controls(controls)["lighting"]


def key(azimuth: float, elevation: float, **extra) -> dict:
    return {"role": "key", "azimuth": azimuth, "elevation": elevation, **extra}


def camera(**values) -> dict:
    return compile_controls({"camera": values})["photographic_characteristics"]


def rank(text: str, order: tuple[str, ...]) -> int:
    """Index of the word from ``order`` the text starts its class with (longest match)."""
    hits = [i for i, word in enumerate(order) if word in text]
    assert hits, f"none of {order} in {text!r}"
    return max(hits, key=lambda i: len(order[i]))


def dof_rank(text: str) -> int:
    return DOF_ORDER.index(text.split(" depth of field")[0])


# ------------------------------------------------------------ light direction


@pytest.mark.parametrize(("azimuth", "elevation", "words"), [
    (-60, 45, "upper left"),
    (60, 45, "upper right"),
    (-90, 0, "left"),
    (90, 10, "right"),
    (-45, -40, "lower left"),
    (0, 0, "front"),
    (0, 40, "above the camera"),
    (180, 0, "behind"),
    (-180, 0, "behind"),
    (-150, 30, "high behind left"),
    (135, 5, "behind right"),
    (30, 90, "directly above"),
    (0, -90, "directly below"),
])
def test_describe_light_direction(azimuth, elevation, words):
    assert describe_light_direction(azimuth, elevation) == words


def _swap_sides(text: str) -> str:
    return text.replace("left", "\0").replace("right", "left").replace("\0", "right")


@given(st.floats(-180, 180), st.floats(-90, 90))
def test_direction_words_mirror_left_and_right(azimuth, elevation):
    assert describe_light_direction(-azimuth, elevation) == \
        _swap_sides(describe_light_direction(azimuth, elevation))


def test_key_light_wording_names_side_angles_and_size():
    out = lighting(key(-60, 45, softness=0.8))
    assert out["direction"].startswith(
        "key light from the upper left, about 60 degrees off camera and 45 degrees high, "
        "large soft source")
    assert out["shadows"].startswith("soft shadows falling to the lower right")


@pytest.mark.parametrize(("softness", "size"), [
    (0.1, "hard, bare source"), (0.4, "medium"), (0.7, "large soft source"),
    (0.95, "very soft wrap-around"),
])
def test_softness_words(softness, size):
    assert size in lighting(key(-45, 30, softness=softness))["direction"]


# ------------------------------------------------------------------- shadows


@pytest.mark.parametrize(("azimuth", "elevation", "fall"), [
    (-60, 45, "to the lower right"),
    (60, 45, "to the lower left"),
    (-90, 5, "to the right"),
    (90, 0, "to the left"),
    (0, 30, "behind the product"),  # front light: shadow hides behind the product
    (180, 20, "toward the camera"),  # backlight: shadow comes forward
    (-150, 30, "toward the camera and to the right"),
    (0, 90, "directly beneath the product"),  # overhead
    (-70, 85, "directly beneath the product"),
])
def test_shadows_fall_opposite_the_key(azimuth, elevation, fall):
    assert fall in lighting(key(azimuth, elevation))["shadows"]


@given(st.floats(20, 105), st.floats(20, 70), st.sampled_from([-1, 1]))
def test_side_key_shadow_never_on_the_key_side(angle, elevation, sign):
    key_side, other = ("left", "right") if sign < 0 else ("right", "left")
    shadows = lighting(key(sign * angle, elevation))["shadows"]
    assert other in shadows and key_side not in shadows


def test_long_shadows_from_a_low_key_short_from_a_high_one():
    assert "long" in lighting(key(-80, 5))["shadows"]
    assert "short" in lighting(key(-80, 65))["shadows"]


def test_shadow_edge_follows_key_size():
    assert "crisp, hard-edged" in lighting(key(-45, 40, softness=0.05))["shadows"]
    assert "very soft" in lighting(key(-45, 40, softness=0.95))["shadows"]


@given(st.floats(0, 1), st.floats(0, 1))
def test_shadow_darkness_grows_with_intensity(a, b):
    low, high = sorted((a, b))
    dark = [rank(lighting(key(-45, 40), shadows={"intensity": i})["shadows"], DARKNESS_ORDER)
            for i in (low, high)]
    assert dark[0] <= dark[1]


@given(st.floats(0.02, 1), st.floats(0.02, 1), st.floats(0, 1))
def test_fill_opens_up_shadows(fill_a, fill_b, intensity):
    weak, strong = sorted((fill_a, fill_b))
    dark = [rank(lighting(key(-45, 40), {"role": "fill", "azimuth": 60, "intensity": f},
                          shadows={"intensity": intensity})["shadows"], DARKNESS_ORDER)
            for f in (weak, strong)]
    no_fill = rank(lighting(key(-45, 40), shadows={"intensity": intensity})["shadows"],
                   DARKNESS_ORDER)
    assert no_fill >= dark[0] >= dark[1]


def test_shadow_extremes():
    assert "deep, almost black" in lighting(key(-45, 40, softness=0.1),
                                            shadows={"intensity": 1.0})["shadows"]
    assert "barely visible" in lighting(key(-45, 40), shadows={"intensity": 0.05})["shadows"]


def test_shadow_styles():
    contact = lighting(key(-60, 45), shadows={"style": "contact"})["shadows"]
    assert "contact shadow" in contact and "falling" not in contact
    assert "shadowless" in lighting(key(-60, 45), shadows={"style": "none"})["shadows"]
    assert "mirror reflection" in lighting(key(-60, 45),
                                           shadows={"reflection": True})["shadows"]
    assert "reflection" not in lighting(key(-60, 45))["shadows"]


# --------------------------------------------------------- roles and colour


def test_fill_is_described_by_side_and_ratio_in_stops():
    direction = lighting(key(-45, 45), {"role": "fill", "azimuth": 70, "elevation": 0,
                                        "intensity": 0.35})["direction"]
    # log2(1 / 0.35) = 1.5 stops, about a third of the key's power
    assert "fill light from the right at about a third of the key's power" in direction
    assert "1.5 stops under" in direction
    half = lighting(key(-45, 45), {"role": "fill", "azimuth": 70, "intensity": 0.5})
    assert "about half" in half["direction"] and "1 stop under" in half["direction"]


def test_rim_and_background_lights():
    direction = lighting(key(-45, 45),
                         {"role": "rim", "azimuth": 140, "elevation": 10, "intensity": 0.6},
                         {"role": "background", "azimuth": 180, "intensity": 0.5})["direction"]
    assert "rim light from behind right outlining the edges" in direction
    assert "background light brightening the backdrop" in direction


def test_roles_are_listed_key_first_whatever_the_list_order():
    fill = {"role": "fill", "azimuth": 60, "intensity": 0.4}
    a = lighting(fill, key(-45, 45))
    b = lighting(key(-45, 45), fill)
    assert a == b
    assert a["direction"].startswith("key light") and "; fill light" in a["direction"]


def test_sources_are_named():
    window = lighting(key(-90, 0, source="window", softness=0.7))
    assert "soft window light from the left" in window["direction"]
    assert "natural window light" in window["conditions"]
    assert "strip box" in lighting(key(-45, 45), {"role": "rim", "azimuth": 150,
                                                  "source": "strip box"})["direction"]
    sun = lighting(key(-120, 5, source="sun", color_temperature=3200, softness=0.1))
    assert "golden hour sun" in sun["direction"]
    assert "tungsten" not in sun["conditions"]  # the sun is warm, but not a tungsten lamp


@pytest.mark.parametrize(("kelvin", "words"), [
    (3200, "warm tungsten 3200K"), (5600, "neutral daylight 5600K"), (7500, "cool 7500K"),
    (3213, "warm tungsten 3200K"),  # stated to 100 K
])
def test_colour_temperature_in_conditions(kelvin, words):
    assert words in lighting(key(-45, 45, color_temperature=kelvin))["conditions"]


def test_mixed_colour_temperature_is_called_out():
    out = lighting(key(-45, 45), {"role": "rim", "azimuth": 150, "color_temperature": 3200})
    assert "warm tungsten 3200K" in out["direction"]
    assert "mixed colour temperatures" in out["conditions"]


def test_contrast_follows_the_fill_ratio():
    lone_hard_key = lighting(key(-60, 40, softness=0.1))
    assert "high-contrast, low-key" in lone_hard_key["conditions"]
    weak_fill = lighting(key(-60, 40), {"role": "fill", "azimuth": 60, "intensity": 0.1})
    assert "high-contrast, low-key" in weak_fill["conditions"]  # more than 3 stops under
    even = lighting(key(-20, 30, softness=0.9), {"role": "fill", "azimuth": 40, "intensity": 0.7},
                    {"role": "background", "intensity": 0.8})
    assert "high-key" in even["conditions"]


def test_without_a_key_the_brightest_light_leads():
    out = lighting({"role": "rim", "azimuth": 170, "elevation": 10, "softness": 0.2})
    assert "toward the camera" in out["shadows"]  # the lone rim throws shadows forward
    assert "low-key" in out["conditions"] and "no separate key light" in out["conditions"]
    backdrop_only = lighting({"role": "background", "intensity": 0.9})
    assert "silhouette" in backdrop_only["conditions"]


def test_fill_brighter_than_the_key_is_said_so():
    direction = lighting(key(-45, 45, intensity=0.5), {"role": "fill", "azimuth": 60,
                                                       "intensity": 1.0})["direction"]
    assert "about 1 stop brighter than the key" in direction


def test_longest_hand_written_sources_still_fit_the_schema():
    long_source = "very long hand-written light source name " * 3
    lights = [key(-150, 70, source=long_source[:100], color_temperature=12000, softness=1)]
    lights += [{"role": "fill", "azimuth": -150, "elevation": 70, "intensity": 0.004,
                "source": long_source[:100], "color_temperature": 1500, "softness": 1}] * 7
    out = apply_controls(base_manifest() | {"controls": {"lights": lights}})
    assert validate_manifest(out) == []


def test_empty_lights_mean_ambient_light():
    out = lighting()
    assert "ambient" in out["conditions"] and "ambient" in out["direction"]
    assert "ambient" in out["shadows"]
    switched_off = lighting(key(-45, 45, intensity=0), {"role": "fill", "intensity": 0})
    assert switched_off == out


def test_missing_light_values_take_schema_defaults():
    names = ("azimuth", "elevation", "intensity", "softness", "color_temperature")
    explicit = {"role": "key", **{n: default_for(f"controls.lights[].{n}") for n in names}}
    assert lighting({"role": "key"}) == lighting(explicit)


def test_shadows_without_lights_state_no_direction():
    out = compile_controls({"shadows": {"intensity": 0.8}})
    assert set(out) == {"lighting"} and set(out["lighting"]) == {"shadows"}
    assert not any(side in out["lighting"]["shadows"] for side in ("left", "right"))


# -------------------------------------------------------------------- camera


@pytest.mark.parametrize(("focal", "words", "not_words"), [
    (14, "ultra-wide", "telephoto"),
    (28, "28mm wide-angle", "ultra"),
    (50, "50mm standard", "telephoto"),
    (85, "85mm portrait telephoto", "super"),
    (200, "200mm telephoto", "super"),
    (600, "600mm super-telephoto", "portrait"),
])
def test_focal_length_categories(focal, words, not_words):
    lens = camera(focal_length_mm=focal, distance_m=20)["lens_focal_length"]
    assert words in lens and not_words not in lens


def test_close_focus_reads_as_macro():
    # 100mm focused at 0.3 m: magnification f / (s - f) = 100 / 200 = 1:2
    lens = camera(focal_length_mm=100, distance_m=0.3)["lens_focal_length"]
    assert "macro" in lens and "1:2" in lens
    assert "macro" not in camera(focal_length_mm=100, distance_m=2)["lens_focal_length"]


def test_depth_of_field_matches_the_hyperfocal_formula():
    # H = f^2 / (N c) + f = 85^2 / (2 * 0.03) + 85 = 120502 mm; near = s (H - f) / (H + s - 2f)
    # = 1189.0 mm, far = s (H - f) / (H - s) = 1211.2 mm: 22.2 mm sharp at 85mm f/2 from 1.2 m
    assert depth_of_field_mm(85, 2, 1.2) == pytest.approx(22.2, rel=0.01)
    assert math.isinf(depth_of_field_mm(24, 16, 5))  # beyond the hyperfocal distance


@pytest.mark.parametrize(("focal", "aperture", "distance", "cls"), [
    (100, 2.8, 0.3, "very shallow"),  # ~1.5 mm sharp
    (85, 2, 1.2, "shallow"),  # ~2.4 cm: the front of a bottle
    (85, 8, 1.2, "moderate"),  # ~10 cm: a product sharp
    (24, 11, 3, "deep"),  # past the hyperfocal distance
])
def test_depth_of_field_classes(focal, aperture, distance, cls):
    dof = camera(focal_length_mm=focal, aperture=aperture, distance_m=distance)["depth_of_field"]
    assert dof.startswith(f"{cls} depth of field at f/{aperture:g}")


def test_shallow_depth_of_field_wording():
    dof = camera(focal_length_mm=85, aperture=2)["depth_of_field"]
    assert dof.startswith("shallow depth of field at f/2,") and "bokeh" in dof


positive = st.floats(0.7, 64)


@given(positive, positive, st.floats(8, 1200), st.floats(0.05, 100))
def test_wider_aperture_is_never_deeper(a, b, focal, distance):
    wide, narrow = sorted((a, b))
    ranks = [dof_rank(camera(focal_length_mm=focal, aperture=n, distance_m=distance)
                      ["depth_of_field"]) for n in (wide, narrow)]
    assert ranks[0] <= ranks[1]


@given(st.floats(8, 1200), st.floats(8, 1200), positive, st.floats(0.05, 100))
def test_longer_lens_is_never_deeper(f1, f2, aperture, distance):
    short, long = sorted((f1, f2))
    ranks = [dof_rank(camera(focal_length_mm=f, aperture=aperture, distance_m=distance)
                      ["depth_of_field"]) for f in (short, long)]
    assert ranks[0] >= ranks[1]


@given(st.floats(0.05, 100), st.floats(0.05, 100), positive, st.floats(8, 1200))
def test_closer_camera_is_never_deeper(d1, d2, aperture, focal):
    near, far = sorted((d1, d2))
    ranks = [dof_rank(camera(focal_length_mm=focal, aperture=aperture, distance_m=d)
                      ["depth_of_field"]) for d in (near, far)]
    assert ranks[0] <= ranks[1]


@pytest.mark.parametrize(("azimuth", "elevation", "words"), [
    (0, 90, "top-down flat lay"),
    (0, 30, "high angle looking down about 30 degrees"),
    (0, 10, "slightly elevated"),
    (0, 0, "eye-level, straight-on front view"),
    (0, -20, "low angle looking up about 20 degrees"),
    (-45, 0, "three-quarter view from the left"),
    (45, 0, "three-quarter view from the right"),
    (90, 0, "side profile from the right"),
    (180, 0, "rear view"),
])
def test_camera_angle(azimuth, elevation, words):
    assert words in camera(azimuth=azimuth, elevation=elevation)["camera_angle"]


def test_missing_camera_values_take_schema_defaults():
    names = ("azimuth", "elevation", "focal_length_mm", "aperture", "distance_m")
    assert camera() == camera(**{n: default_for(f"controls.camera.{n}") for n in names})


def test_slider_jitter_does_not_churn_but_real_moves_do():
    base = camera(azimuth=-45, elevation=30, focal_length_mm=85, aperture=2.8, distance_m=1.2)
    jitter = camera(azimuth=-45.8, elevation=30.9, focal_length_mm=85.3, aperture=2.81,
                    distance_m=1.21)
    assert base == jitter
    assert camera(azimuth=-45, elevation=30, focal_length_mm=85, aperture=5.6,
                  distance_m=1.2)["depth_of_field"] != base["depth_of_field"]
    assert camera(azimuth=-30, elevation=30)["camera_angle"] != base["camera_angle"]
    lit = lighting(key(-60, 45))
    assert lighting(key(-60.9, 45.4)) == lit
    assert lighting(key(-75, 45))["direction"] != lit["direction"]


# ---------------------------------------------------------------- background


def test_background_setting_names_colour_hex_style_and_surface():
    flat = compile_controls({"background": {"color": "#101010", "style": "flat",
                                            "surface": "black slate"}})["background_setting"]
    assert "black" in flat and "#101010" in flat and "flat" in flat and "black slate" in flat
    sweep = compile_controls({"background": {}})["background_setting"]
    assert "white" in sweep and "#FFFFFF" in sweep and "sweep" in sweep  # schema defaults
    gradient = compile_controls({"background": {"color": "#1B2A4A", "style": "gradient",
                                                "gradient_to": "#101010"}})
    assert "#1B2A4A" in gradient["background_setting"] and "#101010" in gradient[
        "background_setting"] and "gradient" in gradient["background_setting"]
    scene = compile_controls({"background": {"style": "scene",
                                             "description": "a sunlit bathroom shelf"}})
    assert "a sunlit bathroom shelf" in scene["background_setting"]


def test_color_scheme_ownership_and_words():
    assert "aesthetics" not in compile_controls({"background": {"style": "flat"}})
    palette = compile_controls({"color_palette": "black and gold"})["aesthetics"]
    assert set(palette) == {"color_scheme"} and "black and gold" in palette["color_scheme"]
    backdrop = compile_controls({"background": {"color": "#F4A6C0"}})["aesthetics"]
    assert "pink" in backdrop["color_scheme"] and "#F4A6C0" in backdrop["color_scheme"]
    warm = compile_controls({"color_palette": "earthy neutrals",
                             "lights": [key(-45, 45, color_temperature=3200)]})
    assert "warm" in warm["aesthetics"]["color_scheme"]
    daylight = compile_controls({"color_palette": "earthy neutrals", "lights": [key(-45, 45)]})
    assert "neutral daylight" in daylight["aesthetics"]["color_scheme"]


# ---------------------------------------------------- ownership and manifests


def test_compile_owns_only_what_is_present():
    assert compile_controls({}) == {}
    assert set(compile_controls({"camera": {}})) == {"photographic_characteristics"}
    assert set(compile_controls({"lights": []})) == {"lighting"}
    assert set(compile_controls({"background": {}})) == {"background_setting"}
    assert set(compile_controls({"lights": [], "shadows": {}})["lighting"]) == {
        "conditions", "direction", "shadows"}


def _changed_fibo_paths(before: dict, after: dict) -> set[str]:
    changed = set()
    for field in set(before) | set(after):
        a, b = before.get(field), after.get(field)
        if isinstance(a, dict) and isinstance(b, dict):
            changed |= {f"{field}.{k}" for k in set(a) | set(b) if a.get(k) != b.get(k)}
        elif a != b:
            changed.add(field)
    return changed


@pytest.mark.parametrize(("controls", "owned"), [
    ({"camera": {"focal_length_mm": 35}},
     {"photographic_characteristics.camera_angle", "photographic_characteristics.depth_of_field",
      "photographic_characteristics.lens_focal_length"}),
    ({"lights": [key(-45, 45)]},
     {"lighting.conditions", "lighting.direction", "lighting.shadows"}),
    ({"shadows": {"style": "contact"}}, {"lighting.shadows"}),
    ({"background": {"style": "flat"}}, {"background_setting"}),
    ({"background": {"color": "#101010"}}, {"background_setting", "aesthetics.color_scheme"}),
    ({"color_palette": "black and gold"}, {"aesthetics.color_scheme"}),
])
def test_apply_overwrites_exactly_the_owned_fields(controls, owned):
    manifest = base_manifest() | {"controls": controls}
    out = apply_controls(manifest)
    assert _changed_fibo_paths(manifest["fibo"], out["fibo"]) == owned
    assert validate_manifest(out) == []


def test_apply_does_not_mutate_and_keeps_schema_order():
    manifest = base_manifest() | {"controls": {"camera": {}, "lights": [key(-45, 45)],
                                               "background": {"color": "#F2EDE4"}}}
    manifest["fibo"] = dict(reversed(list(manifest["fibo"].items())))
    snapshot = copy.deepcopy(manifest)
    out = apply_controls(manifest)
    assert manifest == snapshot
    assert list(out["fibo"]) == [k for k in field_order("fibo") if k in out["fibo"]]
    assert list(out["fibo"]["lighting"]) == field_order("fibo.lighting")
    assert list(out) == [k for k in field_order() if k in out]


def test_apply_without_controls_returns_an_equal_copy():
    manifest = base_manifest()
    out = apply_controls(manifest)
    assert out == manifest and out is not manifest
    out["fibo"]["lighting"]["direction"] = "changed"
    assert manifest["fibo"]["lighting"]["direction"] == "hand-written direction"
    assert apply_controls(manifest | {"controls": {}}) == manifest | {"controls": {}}


def test_apply_creates_photographic_characteristics_from_schema_defaults():
    manifest = base_manifest() | {"controls": {"camera": {"aperture": 2}}}
    del manifest["fibo"]["photographic_characteristics"]
    out = apply_controls(manifest)
    photo = out["fibo"]["photographic_characteristics"]
    assert photo["focus"] == default_for("fibo.photographic_characteristics.focus")
    assert "f/2" in photo["depth_of_field"]
    assert validate_manifest(out) == []


# ----------------------------------------------------- properties: random controls

angle_az = st.floats(-180, 180)
angle_el = st.floats(-90, 90)
unit = st.floats(0, 1)
hex_color = st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True)


def _light(role: str) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"role": st.just(role)}, optional={
        "azimuth": angle_az, "elevation": angle_el, "intensity": unit, "softness": unit,
        "color_temperature": st.floats(1500, 12000), "source": st.text(min_size=1, max_size=100),
    })


lights_strategy = st.tuples(
    st.lists(_light("key"), max_size=1),
    st.lists(st.sampled_from(["fill", "rim", "background"]).flatmap(_light), max_size=7),
).map(lambda pair: pair[0] + pair[1])

camera_strategy = st.fixed_dictionaries({}, optional={
    "azimuth": angle_az, "elevation": angle_el, "focal_length_mm": st.floats(8, 1200),
    "aperture": st.floats(0.7, 64), "distance_m": st.floats(0, 100, exclude_min=True),
})


@st.composite
def background_strategy(draw) -> dict:
    bg = draw(st.fixed_dictionaries({}, optional={
        "color": hex_color, "style": st.sampled_from(["sweep", "gradient", "flat", "scene"]),
        "surface": st.text(min_size=1, max_size=300),
        "description": st.text(min_size=1, max_size=500),
    }))
    if bg.get("style") == "gradient" and draw(st.booleans()):
        bg["gradient_to"] = draw(hex_color)
    return bg


controls_strategy = st.fixed_dictionaries({}, optional={
    "camera": camera_strategy,
    "lights": lights_strategy,
    "background": background_strategy(),
    "color_palette": st.text(min_size=1, max_size=300),
    "shadows": st.fixed_dictionaries({}, optional={
        "style": st.sampled_from(["cast", "contact", "none"]), "intensity": unit,
        "reflection": st.booleans()}),
})


def _strings(compiled: dict) -> list[str]:
    return [v for value in compiled.values()
            for v in (value.values() if isinstance(value, dict) else [value])]


@settings(max_examples=300, deadline=None)
@given(controls_strategy)
def test_random_controls_compile_to_a_valid_manifest(controls):
    manifest = base_manifest() | {"controls": controls}
    assert validate_manifest(manifest) == []  # the strategy only draws valid controls
    compiled = compile_controls(controls)
    assert all(isinstance(s, str) and s.strip() for s in _strings(compiled))
    out = apply_controls(manifest)
    assert validate_manifest(out) == []
    # deterministic: byte-identical on a second run and from a copy
    assert json.dumps(compile_controls(copy.deepcopy(controls))) == json.dumps(compiled)


@settings(max_examples=150, deadline=None)
@given(controls_strategy, camera_strategy, lights_strategy)
def test_camera_and_lighting_are_disentangled(controls, other_camera, other_lights):
    before = compile_controls(controls)
    moved_camera = compile_controls(controls | {"camera": other_camera})
    for field in ("lighting", "background_setting", "aesthetics"):
        assert moved_camera.get(field) == before.get(field)
    relit = compile_controls(controls | {"lights": other_lights})
    assert relit.get("photographic_characteristics") == before.get(
        "photographic_characteristics")
    assert relit.get("background_setting") == before.get("background_setting")
