"""Limits on what a client may send: body size, text reaching the translator, image sizes
a render may ask for, and uploaded images (decompression bombs, checked before decoding)."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageFile

from api_support import assert_error, make_app, slow_manifest
from studioflow.errors import InputError
from studioflow.export.safe_image import checked_size, safe_open_image


@pytest.fixture
def client(settings):
    app = make_app(settings, workers=0, max_render_width=512, max_render_height=512,
                   max_render_pixels=512 * 384)
    with TestClient(app) as client:
        yield client


def job_count(client) -> int:
    return sum(client.get("/healthz").json()["jobs"].values())


# bodies and text ---------------------------------------------------------------------------
def test_bodies_over_the_limit_are_413_with_or_without_a_length(client, settings):
    big = b'{"prompt": "' + b"x" * settings.max_body_bytes + b'"}'
    headers = {"content-type": "application/json"}
    assert_error(client.post("/v1/translate", content=big, headers=headers), 413,
                 "payload_too_large")

    def chunks():  # chunked transfer: no Content-Length to refuse up front
        for start in range(0, len(big), 65536):
            yield big[start:start + 65536]

    assert_error(client.post("/v1/translate", content=chunks(), headers=headers), 413,
                 "payload_too_large")


def test_every_text_reaching_the_translator_is_bounded(client, settings):
    long = "a mug " * (settings.max_prompt_chars // 6 + 1)
    assert_error(client.post("/v1/translate", json={"prompt": long}), 422, "invalid_prompt",
                 "prompt")
    assert_error(client.post("/v1/renders", json={"prompt": long}), 422, "invalid_prompt",
                 "prompt")
    base = slow_manifest()
    base["fibo"]["short_description"] = "x" * 5000  # the schema bounds every text field
    assert_error(client.post("/v1/translate", json={"prompt": "a mug", "base": base}), 422,
                 "invalid_manifest", "$.fibo.short_description")
    parent = client.app.state.studio.render(slow_manifest())
    assert_error(client.post(f"/v1/renders/{parent.id}/refine", json={"instruction": long}),
                 422, "invalid_prompt", "instruction")
    assert job_count(client) == 0


# sizes a render may ask for ----------------------------------------------------------------
@pytest.mark.parametrize(("body", "path"), [
    ({"manifest": slow_manifest(), "width": 1024, "height": 256}, "$.render.width"),
    ({"manifest": slow_manifest(), "width": 256, "height": 1024}, "$.render.height"),
    ({"manifest": slow_manifest(), "width": 512, "height": 512}, "$.render.width"),  # pixels
    ({"manifest": {**slow_manifest(), "render": {"engine": "slow", "width": 640,
                                                 "height": 64}}}, "$.render.width"),
    ({"prompt": "a mug, 4:5", "engine": "slow", "aspect": "4:5"}, "$.render.aspect"),
])
def test_images_larger_than_the_server_allows_are_refused_at_submit(client, body, path):
    error = assert_error(client.post("/v1/renders", json=body), 422, "invalid_manifest", path)
    assert "this server" in error["details"][0]["message"]
    assert job_count(client) == 0  # nothing was queued


def test_sizes_within_the_limits_are_accepted(client):
    response = client.post("/v1/renders", json={"manifest": slow_manifest(), "width": 512,
                                                "height": 384})
    assert response.status_code == 202, response.text


# uploads -----------------------------------------------------------------------------------
def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` RGB pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decoding fails the test."""
    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.parametrize("size", [(5000, 5000), (100_000, 100_000), (1, 2_000_000)])
def test_bombs_are_refused_from_their_header_alone(no_decoding, size):
    bomb = png_claiming(*size)
    assert len(bomb) < 200
    for check in (safe_open_image, checked_size):
        with pytest.raises(InputError) as info:
            check(bomb, 1_000_000, "$.image")
        assert info.value.code == "image_too_large" and info.value.http_status == 422
        assert info.value.details[0].path == "$.image"


def test_real_images_open_and_broken_ones_are_refused():
    buffer = io.BytesIO()
    Image.fromarray(np.full((30, 40, 3), 200, np.uint8)).save(buffer, "PNG")
    data = buffer.getvalue()
    image = safe_open_image(data, 40 * 30)
    assert image.size == (40, 30) and image.getpixel((0, 0)) == (200, 200, 200)
    assert checked_size(data, 40 * 30) == (40, 30)
    for broken in (data[: len(data) // 2], b"not an image", b""):
        with pytest.raises(InputError) as info:
            safe_open_image(broken, 10_000)
        assert info.value.code == "invalid_image"
    gif = io.BytesIO()
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(gif, "GIF")
    with pytest.raises(InputError):  # only the formats asked for
        safe_open_image(gif.getvalue(), 10_000)


def test_from_image_checks_the_size_before_decoding(studio, no_decoding):
    settings = studio.settings.model_copy(update={"max_image_pixels": 1_000_000})
    studio.settings = settings
    with pytest.raises(InputError) as info:
        studio.manifest_from_image(png_claiming(5000, 5000), "upload.png")
    assert info.value.code == "image_too_large"
    assert info.value.details[0].path == "upload.png"
