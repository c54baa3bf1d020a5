"""The preview engine draws what the manifest says: light direction, colours, horizon,
depth of field and text, deterministically per seed."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from studioflow.engines import CancelToken, EngineRegistry, RenderRequest
from studioflow.engines.preview.engine_preview import MODEL, PreviewEngine, create
from studioflow.errors import CancelledError, UnsupportedError
from studioflow.schema import validate_manifest

SIZE = 256


@pytest.fixture
def engine() -> PreviewEngine:
    return create(None)


@pytest.fixture
def make():
    """Build a manifest from parts and check it against the schema before it is used."""

    def build(*, description: str = "white bottle", location: str = "center",
              background: str = "seamless white paper sweep",
              direction: str = "key light from the upper left", controls: dict | None = None,
              photo: dict | None = None, texts: list | None = None, **obj) -> dict:
        m = {
            "schema_version": "1.0",
            "fibo": {
                "short_description": f"A {description} in a studio.",
                "objects": [{"description": description, "location": location,
                             "relationship": "alone on the surface", "relative_size": "large",
                             **obj}],
                "background_setting": background,
                "lighting": {"conditions": "studio lighting", "direction": direction,
                             "shadows": "soft shadows"},
                "aesthetics": {"composition": "centered", "color_scheme": "neutral",
                               "mood_atmosphere": "clean"},
                "style_medium": "photograph",
                "text_render": texts or [],
                "context": "e-commerce product photograph",
            },
            "render": {"engine": "preview", "width": SIZE, "height": SIZE},
        }
        if photo:
            m["fibo"]["photographic_characteristics"] = {
                "depth_of_field": "moderate", "focus": "sharp focus on the product",
                "camera_angle": "eye-level", "lens_focal_length": "85mm", **photo}
        if controls:
            m["controls"] = controls
        assert validate_manifest(m) == []
        return m

    return build


def render(engine: PreviewEngine, manifest: dict, *, seed: int = 1, width: int = SIZE,
           height: int = SIZE, num_images: int = 1, events: list | None = None,
           cancel: CancelToken | None = None):
    request = RenderRequest(manifest, width, height, seed, num_images=num_images,
                            cancel=cancel or CancelToken())
    return engine.render(request, events.append if events is not None else None)


def image(engine, manifest, **kw) -> np.ndarray:
    return render(engine, manifest, **kw).images[0].astype(np.float64)


def key_light(azimuth: float, **extra) -> dict:
    return {"lights": [{"role": "key", "azimuth": azimuth, "elevation": 35, "intensity": 1.0,
                        "softness": 0.3}], **extra}


def neutral_mask(img: np.ndarray) -> np.ndarray:
    """Pixels without colour: a white product in front of a saturated backdrop."""
    saturation = img.max(axis=2) - img.min(axis=2)
    mask = saturation < 18
    mask[:, : SIZE // 5] = False  # the PREVIEW label lives in the bottom-left corner
    return mask


def luminance(img: np.ndarray) -> np.ndarray:
    return img @ np.array([0.2126, 0.7152, 0.0722])


def high_frequency(img: np.ndarray, block: int = 4) -> float:
    """Mean absolute Laplacian of the luminance after averaging ``block``-pixel squares, so
    that the one-pixel dithering grain averages out and surface detail remains."""
    lum = luminance(img)
    h, w = lum.shape[0] // block, lum.shape[1] // block
    lum = lum[: h * block, : w * block].reshape(h, block, w, block).mean(axis=(1, 3))
    lap = 4 * lum[1:-1, 1:-1] - lum[:-2, 1:-1] - lum[2:, 1:-1] - lum[1:-1, :-2] - lum[1:-1, 2:]
    return float(np.mean(np.abs(lap)))


# --- contract and determinism -------------------------------------------------------------

def test_engine_contract(engine, make):
    assert engine.name == "preview"
    assert engine.capabilities.label == "preview"
    assert engine.capabilities.deterministic and not engine.capabilities.float_output
    status = engine.status()
    assert status.installed and status.configured and status.available
    result = render(engine, make())
    assert result.model == MODEL and result.model_revision
    assert result.metadata["label"] == "preview" and result.metadata["total_ms"] >= 0
    (img,) = result.images
    assert img.dtype == np.uint8 and img.shape == (SIZE, SIZE, 3)


def test_entry_point_loads_the_preview_engine():
    engine = EngineRegistry(None).get("preview")
    assert isinstance(engine, PreviewEngine)


def test_same_seed_gives_identical_bytes(engine, make):
    m = make(photo={"depth_of_field": "shallow, bokeh"}, background="white marble surface")
    a = render(engine, m, seed=42).images[0]
    b = render(engine, copy.deepcopy(m), seed=42).images[0]
    assert a.tobytes() == b.tobytes()


def test_different_seed_gives_different_pixels(engine, make):
    m = make(background="light oak wood tabletop in front of a white wall")
    a, b = image(engine, m, seed=1), image(engine, m, seed=2)
    assert np.mean(a != b) > 0.05


@pytest.mark.parametrize(("width", "height"), [(256, 128), (96, 200), (64, 64)])
def test_requested_size_is_honoured(engine, make, width, height):
    img = render(engine, make(), width=width, height=height).images[0]
    assert img.shape == (height, width, 3)


def test_num_images_uses_consecutive_seeds(engine, make):
    m = make(background="grey concrete backdrop")
    result = render(engine, m, seed=10, num_images=3)
    assert len(result.images) == 3
    assert result.metadata["seeds"] == [10, 11, 12]
    assert np.array_equal(result.images[1], render(engine, m, seed=11).images[0])
    assert not np.array_equal(result.images[0], result.images[1])


def test_sizes_outside_the_capabilities_are_refused(engine, make):
    with pytest.raises(UnsupportedError) as err:
        render(engine, make(), width=100, height=256)
    assert err.value.details[0].path == "$.render.width"


# --- light ---------------------------------------------------------------------------------

@pytest.mark.parametrize("via", ["controls", "words"])
def test_key_light_side_swaps_lit_side_and_shadow(engine, make, via):
    blue = {"background": {"color": "#1E63C6", "style": "sweep"}}

    def scene(side: str, shadows: str) -> dict:
        shadow_control = {"shadows": {"style": shadows, "intensity": 0.8}}
        if via == "controls":
            return make(controls=key_light(-70 if side == "left" else 70, **blue,
                                           **shadow_control))
        return make(direction=f"hard key light from the {side}",
                    controls={**blue, **shadow_control})

    measured = {}
    for side in ("left", "right"):
        lit = image(engine, scene(side, "cast"))
        unshadowed = image(engine, scene(side, "none"))
        mask = neutral_mask(lit)
        ys, xs = np.nonzero(mask)
        centre = xs.mean()
        lum = luminance(lit)
        left_half = lum[mask & (np.arange(SIZE)[None, :] < centre)].mean()
        right_half = lum[mask & (np.arange(SIZE)[None, :] >= centre)].mean()
        darkening = np.clip(luminance(unshadowed) - lum, 0, None)
        darkening[mask] = 0
        shadow_x = (darkening.sum(axis=0) * np.arange(SIZE)).sum() / darkening.sum()
        measured[side] = (left_half - right_half, shadow_x - centre)
    assert measured["left"][0] > 10, "light from the left brightens the product's left side"
    assert measured["right"][0] < -10, "light from the right brightens its right side"
    assert measured["left"][1] > 5, "light from the left throws the shadow to the right"
    assert measured["right"][1] < -5, "light from the right throws it to the left"


def shadow_darkening(engine, make, style: str = "cast", **controls) -> np.ndarray:
    """How much the shadows darken each pixel: a render without shadows minus this one."""
    def lum(shadow_style: str) -> np.ndarray:
        c = {**controls, "shadows": {"style": shadow_style, "intensity": 0.8}}
        return luminance(image(engine, make(controls=c)))

    return np.clip(lum("none") - lum(style), 0, None)


def test_shadow_styles_cast_contact_none(engine, make):
    lights = key_light(-60)
    cast = shadow_darkening(engine, make, **lights)
    contact = shadow_darkening(engine, make, style="contact", **lights)
    assert (cast > 8).sum() > 1.5 * (contact > 8).sum() > 0
    # a contact shadow hugs the base: it reaches less far from the product's axis
    cols = np.arange(SIZE)
    reach = [np.abs(cols[(d > 8).any(axis=0)] - SIZE / 2).max() for d in (cast, contact)]
    assert reach[0] > reach[1]


def edge_sharpness(darkening: np.ndarray) -> float:
    """Steepest change of a shadow, relative to its depth."""
    steepest = max(np.abs(np.diff(darkening, axis=0)).max(),
                   np.abs(np.diff(darkening, axis=1)).max())
    return float(steepest / darkening.max())


def test_soft_light_blurs_the_shadow_edge(engine, make):
    def cast_shadow(softness: float) -> np.ndarray:
        lights = {"lights": [{"role": "key", "azimuth": -80, "elevation": 30,
                              "softness": softness}]}
        # light from the left: the cast shadow runs right, clear of the product and its base
        return shadow_darkening(engine, make, **lights)[:, int(0.72 * SIZE):]

    hard, soft = cast_shadow(0.05), cast_shadow(0.95)
    assert hard.max() > 10 and soft.max() > 5
    assert edge_sharpness(hard) > 2 * edge_sharpness(soft)


def test_fill_light_lifts_the_shadow_side(engine, make):
    def right_half(fill: float) -> float:
        lights = [{"role": "key", "azimuth": -70, "elevation": 35},
                  {"role": "fill", "azimuth": 70, "elevation": 10, "intensity": fill}]
        img = image(engine, make(controls={"lights": lights,
                                           "background": {"color": "#1E63C6"}}))
        mask = neutral_mask(img)
        centre = np.nonzero(mask)[1].mean()
        return luminance(img)[mask & (np.arange(SIZE)[None, :] > centre)].mean()

    assert right_half(0.8) > right_half(0.0) + 15


def test_reflection_mirrors_the_product_below_it(engine, make):
    def below_product(reflection: bool) -> np.ndarray:
        controls = {"background": {"color": "#101010", "surface": "black acrylic",
                                   "style": "flat"},
                    "shadows": {"style": "none", "reflection": reflection}}
        img = image(engine, make(description="red bottle", controls=controls))
        return img[int(0.86 * SIZE):, SIZE // 2 - 10: SIZE // 2 + 10]

    plain, mirrored = below_product(False), below_product(True)
    assert (mirrored[..., 0] - plain[..., 0]).mean() > 8, "a red glow below the red bottle"
    assert np.abs(mirrored[..., 1] - plain[..., 1]).mean() < (mirrored[..., 0]
                                                               - plain[..., 0]).mean()


def test_warm_light_tints_the_scene(engine, make):
    def with_kelvin(kelvin):
        lights = [{"role": "key", "azimuth": -45, "elevation": 40, "color_temperature": kelvin}]
        return image(engine, make(controls={"lights": lights}))

    warm, cool = with_kelvin(3000), with_kelvin(8000)
    assert (warm[..., 0] - warm[..., 2]).mean() > (cool[..., 0] - cool[..., 2]).mean() + 20


# --- colour --------------------------------------------------------------------------------

@pytest.mark.parametrize(("description", "channel"), [("red bottle", 0), ("green bottle", 1),
                                                      ("blue bottle", 2)])
def test_object_colour_follows_its_description(engine, make, description, channel):
    img = image(engine, make(description=description))
    centre = img[SIZE // 3: 2 * SIZE // 3, 2 * SIZE // 5: 3 * SIZE // 5].reshape(-1, 3)
    coloured = centre[(centre.max(axis=1) - centre.min(axis=1)) > 30]
    assert len(coloured) > 0.3 * len(centre), "the product fills the centre in its colour"
    dominant = np.bincount(coloured.argmax(axis=1), minlength=3)
    assert dominant.argmax() == channel


def red_runs(img: np.ndarray) -> int:
    """How many separate red objects a horizontal scan through the middle crosses."""
    row = img[SIZE // 2 - 20: SIZE // 2 + 20].mean(axis=0)
    red = (row[:, 0] > row[:, 1] + 40) & (row[:, 0] > row[:, 2] + 40)
    return int(np.sum(red[1:] & ~red[:-1]) + red[0])


def test_number_of_objects_draws_copies(engine, make):
    one = image(engine, make(description="red apple", relative_size="small"))
    three = image(engine, make(description="red apple", relative_size="small",
                               number_of_objects=3))
    assert red_runs(one) == 1
    assert red_runs(three) == 3


def test_location_moves_the_object(engine, make):
    def red_centre(location: str) -> float:
        img = image(engine, make(description="red box", location=location,
                                 relative_size="small"))
        red = (img[..., 0] > img[..., 1] + 40) & (img[..., 0] > img[..., 2] + 40)
        return float(np.nonzero(red)[1].mean())

    assert red_centre("left") < SIZE * 0.4 < SIZE * 0.6 < red_centre("right")


@pytest.mark.parametrize(("hex_colour", "channel"), [("#C62828", 0), ("#2E7D32", 1),
                                                     ("#1E63C6", 2)])
def test_background_colour_follows_the_control(engine, make, hex_colour, channel):
    img = image(engine, make(controls={"background": {"color": hex_colour, "style": "flat"}}))
    corner = img[: SIZE // 6, -SIZE // 6:].reshape(-1, 3).mean(axis=0)
    assert corner.argmax() == channel
    assert corner[channel] - np.delete(corner, channel).max() > 40


def test_background_colour_from_words_without_controls(engine, make):
    img = image(engine, make(background="seamless pink paper sweep"))
    corner = img[: SIZE // 6, -SIZE // 6:].reshape(-1, 3).mean(axis=0)
    assert corner[0] > corner[1] + 20 and corner[0] > corner[2] + 10


# --- camera --------------------------------------------------------------------------------

def horizon_row(img: np.ndarray) -> int | None:
    """First row from the top where a white wall gives way to a dark surface (right edge)."""
    column = luminance(img[:, -SIZE // 12:]).mean(axis=1)
    dark = np.nonzero(column < 110)[0]
    return int(dark[0]) if len(dark) else None


def test_horizon_follows_camera_elevation(engine, make):
    def at(elevation: float) -> np.ndarray:
        controls = {"camera": {"elevation": elevation},
                    "background": {"color": "#FFFFFF", "surface": "black slate", "style": "flat"}}
        return image(engine, make(controls=controls))

    eye, high, top_down = at(0), at(35), at(90)
    eye_row, high_row = horizon_row(eye), horizon_row(high)
    assert eye_row is not None and high_row is not None
    assert eye_row > SIZE // 2, "eye level: low horizon"
    assert high_row < eye_row - SIZE // 8, "a higher camera raises the horizon"
    assert horizon_row(top_down) == 0, "top-down: the whole frame is surface"
    assert luminance(top_down[:5, -SIZE // 12:]).mean() < 110


def test_horizon_from_camera_angle_words(engine, make):
    slate = {"background": {"color": "#FFFFFF", "surface": "black slate", "style": "flat"}}
    eye = image(engine, make(photo={"camera_angle": "eye-level"}, controls=slate))
    high = image(engine, make(photo={"camera_angle": "high angle"}, controls=slate))
    assert horizon_row(high) < horizon_row(eye)


def test_shallow_depth_of_field_blurs_backdrop_not_product(engine, make):
    def with_aperture(aperture: float) -> np.ndarray:
        controls = {"camera": {"aperture": aperture, "focal_length_mm": 100},
                    "background": {"color": "#B0B0B0"}}
        return image(engine, make(background="grey concrete backdrop", controls=controls,
                                  description="red bottle"))

    sharp, shallow = with_aperture(16), with_aperture(1.4)
    wall = (slice(4, SIZE // 4), slice(SIZE // 2 + SIZE // 5, SIZE - 4))
    assert high_frequency(shallow[wall]) < 0.6 * high_frequency(sharp[wall])
    product = (slice(SIZE // 3, 2 * SIZE // 3), slice(SIZE // 2 - 12, SIZE // 2 + 12))
    ratio = high_frequency(shallow[product]) / high_frequency(sharp[product])
    assert 0.85 < ratio < 1.15


# --- text ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("location", "inside", "outside"), [
    ("top", slice(0, SIZE // 5), slice(SIZE // 3, SIZE)),
    ("bottom center", slice(4 * SIZE // 5, SIZE), slice(0, 2 * SIZE // 3)),
])
def test_text_render_draws_in_the_stated_region(engine, make, location, inside, outside):
    text = {"text": "SALE 50%", "location": location, "size": "large", "color": "black",
            "font": "bold sans-serif"}
    plain = image(engine, make())
    with_text = image(engine, make(texts=[text]))
    changed = np.abs(with_text - plain).max(axis=2) > 40
    assert changed[inside].sum() > 100
    assert changed[outside].sum() == 0


# --- progress and cancellation -------------------------------------------------------------

def test_progress_events_arrive_in_order_with_totals(engine, make):
    events: list = []
    render(engine, make(), num_images=2, events=events)
    assert [e.step for e in events] == list(range(1, len(events) + 1))
    assert len(events) >= 4 and len(events) % 2 == 0
    assert {e.total for e in events} == {len(events)}
    assert events[0].message.startswith("image 1/2") and events[-1].message.startswith("image 2/2")
    assert events[-1].fraction == 1.0


def test_a_cancelled_token_raises(engine, make):
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        render(engine, make(), cancel=token)


def test_cancelling_mid_render_stops_at_the_next_stage(engine, make):
    token = CancelToken()
    events: list = []

    def on_progress(event):
        events.append(event)
        token.cancel()

    request = RenderRequest(make(), SIZE, SIZE, 1, num_images=2, cancel=token)
    with pytest.raises(CancelledError):
        engine.render(request, on_progress)
    assert len(events) == 1
