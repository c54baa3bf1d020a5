"""Inspire: synthetic images with known light, key, palette and placement; the CLI and API
paths; a vision translator getting the image; and uploads that must be refused."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cli_runner import run_cli
from llm_fake_servers import FakeProvider
from manifests import manifest_with_controls
from studioflow.errors import InputError
from studioflow.schema import validate_manifest
from studioflow.translate import TranslatorRegistry
from studioflow.translate.inspire import analyse_upload, inspire_manifest


def png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def lit_sphere(light_x: float, size: int = 200, backdrop: float = 70.0) -> bytes:
    """A grey Lambertian sphere lit from ``light_x`` (-1 frame left .. +1 frame right),
    a little from above, on a plain backdrop."""
    yy, xx = np.mgrid[0:size, 0:size].astype(float)
    nx, ny = (xx - size / 2) / (size * 0.3), (yy - size / 2) / (size * 0.3)
    inside = nx ** 2 + ny ** 2 < 1
    nz = np.sqrt(np.clip(1 - nx ** 2 - ny ** 2, 0, 1))
    light = np.array([light_x, 0.3, 0.6])
    light /= np.linalg.norm(light)
    shade = np.clip(nx * light[0] - ny * light[1] + nz * light[2], 0, 1)
    img = np.full((size, size, 3), backdrop)
    img[inside] = (20 + 215 * shade[inside])[:, None]
    return png(img)


# ---------------------------------------------------------------- what the pixels say


def test_left_lit_sphere_reads_as_light_from_the_left():
    left = analyse_upload(lit_sphere(-0.8))
    assert left.light.dx < -0.1 and left.light.azimuth < -20
    assert "left" in left.as_dict()["light"]["direction"]
    right = analyse_upload(lit_sphere(+0.8))
    assert right.light.dx > 0.1 and right.light.azimuth > 20
    assert "right" in right.as_dict()["light"]["direction"]
    assert left.light.dy > 0  # a little from above: the top half is brighter


def test_frontal_light_is_not_given_a_side():
    front = analyse_upload(lit_sphere(0.0))
    assert abs(front.light.azimuth) <= 15
    assert "left" not in front.as_dict()["light"]["direction"]
    assert "right" not in front.as_dict()["light"]["direction"]


def test_key_and_contrast():
    white = np.full((120, 160, 3), 245.0)
    white[50:70, 70:90] = 215.0  # a pale product on white
    bright = analyse_upload(png(white))
    assert bright.light.key == "high-key" and bright.light.contrast < 0.3
    dark = np.full((120, 160, 3), 20.0)
    dark[40:80, 60:100] = 90.0
    assert analyse_upload(png(dark)).light.key == "low-key"


def test_red_and_blue_palette_is_named():
    img = np.zeros((90, 120, 3))
    img[:, :60] = [200, 25, 30]
    img[:, 60:] = [25, 60, 200]
    found = analyse_upload(png(img))
    names = [s.name for s in found.swatches]
    assert any("red" in n or n in ("crimson",) for n in names), names
    assert any("blue" in n or n in ("cobalt", "navy") for n in names), names
    assert len(names) == 2 and abs(found.swatches[0].share - 0.5) < 0.05
    assert "grey" not in found.color_scheme


def test_subject_in_the_left_third():
    img = np.full((300, 450, 3), 235.0)
    img[110:190, 130:170] = [60, 40, 30]  # centroid x = 150/450 = 1/3
    found = analyse_upload(png(img))
    assert found.placement.found and abs(found.placement.cx - 1 / 3) < 0.03
    assert "left third" in found.composition and "rule of thirds" in found.composition
    assert "negative space on the right" in found.composition
    assert found.aspect == "3:2"


def test_centered_subject():
    img = np.full((200, 200, 3), 240.0)
    img[80:120, 85:115] = 30.0
    assert analyse_upload(png(img)).composition.startswith("centered")


# ---------------------------------------------------------------- the manifest


def test_image_look_merged_with_the_words(settings):
    result = inspire_manifest(TranslatorRegistry(settings), settings, lit_sphere(-0.8),
                              "a ceramic vase with dried flowers")
    m = result.manifest
    assert validate_manifest(m) == []
    assert "vase" in m["fibo"]["objects"][0]["description"]  # from the words
    key = next(li for li in m["controls"]["lights"] if li["role"] == "key")
    assert key["azimuth"] < -20  # from the image ...
    assert "left" in m["fibo"]["lighting"]["direction"]  # ... compiled into FIBO's text
    backdrop = result.analysis["backdrop"]["hex"]
    assert m["controls"]["background"]["color"] == backdrop
    assert result.translator == "rules+image"
    assert result.analysis["objects"].startswith("not analysed")


def test_image_without_words(settings):
    result = inspire_manifest(TranslatorRegistry(settings), settings, lit_sphere(0.8))
    assert validate_manifest(result.manifest) == []
    assert result.manifest["fibo"]["objects"][0]["description"]


# ---------------------------------------------------------------- refused uploads


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid 1x1 PNG whose header claims ``width`` x ``height`` pixels."""
    data = png(np.zeros((1, 1, 3)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:8] + patched + data[8 + 25:]


@pytest.mark.parametrize("data, words", [
    (b"", "not a readable image"),
    (b"this is not an image at all", "not a readable image"),
    (bomb_png(), "too large to decode"),  # Pillow's own guard fires on the header
    (png(np.zeros((64, 64, 3)))[:60], "could not be decoded"),
])
def test_bad_uploads_are_refused_before_decoding(settings, data, words):
    with pytest.raises(InputError) as info:
        inspire_manifest(TranslatorRegistry(settings), settings, data, "a mug")
    assert words in info.value.message
    assert info.value.details[0].path == "image" and info.value.http_status == 422


def test_pixel_limit_is_a_setting(settings):
    small = settings.model_copy(update={"max_image_pixels": 100})
    with pytest.raises(InputError) as info:
        inspire_manifest(TranslatorRegistry(small), small, lit_sphere(0.5), "a mug")
    assert "200x200" in info.value.message and "at most 100 pixels" in str(
        info.value.details[0])


# ---------------------------------------------------------------- a vision translator


def test_vision_translator_gets_a_downscaled_jpeg(settings, monkeypatch):
    big = png(np.full((1600, 2000, 3), 128.0))
    m = manifest_with_controls()
    with FakeProvider("openai") as fake:
        for var, value in fake.env().items():
            monkeypatch.setenv(var, value)
        fake.reply({"fibo": m["fibo"], "controls": m["controls"]})
        result = inspire_manifest(TranslatorRegistry(settings), settings, big, "a vase",
                                  "openai")
        assert validate_manifest(result.manifest) == [] and result.analysis is None
        assert result.translator == "openai" and result.info["mode"] == "inspire"
        url = fake.requests[0].body["messages"][1]["content"][1]["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    sent = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert sent.format == "JPEG" and max(sent.size) == 1024 and sent.size[0] > sent.size[1]


def test_vision_translator_falls_back_to_the_analyser(settings, monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    with_fallback = settings.model_copy(update={"translator_fallback": "rules"})
    result = inspire_manifest(TranslatorRegistry(with_fallback), with_fallback,
                              lit_sphere(-0.8), "a vase", "openai")
    assert result.translator == "openai->rules (fallback)"
    assert "OPENAI_API_KEY" in result.info["fallback"]
    key = next(li for li in result.manifest["controls"]["lights"] if li["role"] == "key")
    assert key["azimuth"] < -20


# ---------------------------------------------------------------- CLI and API


def test_cli(capsys, tmp_path, settings):
    image = tmp_path / "ref.png"
    image.write_bytes(lit_sphere(-0.8))
    out = tmp_path / "m.json"
    result = run_cli(capsys, "inspire", str(image), "--prompt", "a ceramic vase",
                     "--out", str(out))
    assert result.code == 0, result.err
    manifest = result.json()
    assert validate_manifest(manifest) == [] and "vase" in str(manifest["fibo"]["objects"])
    assert "light from the" in result.err and "left" in result.err
    assert out.read_text(encoding="utf-8").strip() == result.out.strip()
    as_json = run_cli(capsys, "inspire", str(image), "--json").json()
    assert set(as_json) == {"manifest", "translator", "analysis", "info"}
    assert as_json["analysis"]["light"]["azimuth"] < -20
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nope")
    result = run_cli(capsys, "inspire", str(bad))
    assert result.code == 1 and "not a readable image" in result.err


def test_api(settings):
    from fastapi.testclient import TestClient

    from api_support import assert_error, make_app

    with TestClient(make_app(settings, workers=0), raise_server_exceptions=False) as client:
        files = {"image": ("ref.png", lit_sphere(0.8), "image/png")}
        response = client.post("/v1/inspire", files=files, data={"prompt": "a teapot"})
        assert response.status_code == 200, response.text
        manifest = response.json()
        assert validate_manifest(manifest) == []
        assert "teapot" in manifest["fibo"]["objects"][0]["description"]
        assert "right" in manifest["fibo"]["lighting"]["direction"]
        files = {"image": ("bomb.png", bomb_png(), "image/png")}
        assert_error(client.post("/v1/inspire", files=files), 422, "image_too_large", "image")
        files = {"image": ("x.png", b"plain text", "image/png")}
        assert_error(client.post("/v1/inspire", files=files, data={"translator": "nope"}),
                     400, "invalid_input")
        assert_error(client.post("/v1/inspire", data={"prompt": "x"}), 422, "invalid_request")
