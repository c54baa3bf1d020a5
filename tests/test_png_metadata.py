"""PNG files carry their provenance; 16-bit masters keep float precision."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from studioflow.errors import InputError
from studioflow.export.png import decode_png, encode_png, read_metadata


def test_8bit_round_trip_with_metadata():
    pixels = np.random.default_rng(1).integers(0, 256, (40, 30, 3), dtype=np.uint8)
    data = encode_png(pixels, {"render_id": "X", "seed": 5, "manifest": {"a": "é"}})
    assert np.array_equal(decode_png(data), pixels)
    meta = read_metadata(data)
    assert meta["seed"] == 5 and meta["manifest"] == {"a": "é"}
    assert meta["format"] == "studioflow.render/1"


def test_16bit_round_trip_keeps_more_than_8_bits():
    rng = np.random.default_rng(2)
    pixels = rng.random((33, 47, 3), dtype=np.float32)
    data = encode_png(pixels, {"manifest": {}})
    back = decode_png(data)
    assert back.dtype == np.float32
    assert np.abs(back - pixels).max() <= 0.5 / 65535 + 1e-7
    # distinct values that 8 bits would merge stay distinct
    ramp = np.linspace(0.5, 0.5 + 1 / 255, 64, dtype=np.float32)
    img = np.repeat(np.repeat(ramp[None, :, None], 2, axis=0), 3, axis=2)
    assert len(np.unique(decode_png(encode_png(img, {"manifest": {}})))) > 32


def test_16bit_file_is_a_standard_png():
    data = encode_png(np.full((8, 8, 3), 0.25, np.float32), {"manifest": {"x": 1}})
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert img.size == (8, 8) and img.format == "PNG"
    assert read_metadata(data)["manifest"] == {"x": 1}


def test_png_without_metadata_is_refused_clearly():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="PNG")
    with pytest.raises(InputError, match="no StudioFlow metadata"):
        read_metadata(buf.getvalue(), "plain.png")


def test_non_png_and_garbage_are_refused_clearly():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="JPEG")
    with pytest.raises(InputError, match="not a PNG"):
        read_metadata(buf.getvalue(), "photo.jpg")
    with pytest.raises(InputError, match="not a readable image"):
        read_metadata(b"not an image at all", "junk.bin")


def test_pngs_from_other_tools_decode_through_pillow():
    pixels = np.random.default_rng(3).integers(0, 256, (20, 17, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", compress_level=9)  # adaptive filters
    assert np.array_equal(decode_png(buf.getvalue()), pixels)


def test_encoded_files_are_read_identically_by_pillow():
    pixels = np.random.default_rng(4).integers(0, 256, (31, 29, 3), dtype=np.uint8)
    with Image.open(io.BytesIO(encode_png(pixels, {"manifest": {}}))) as img:
        assert np.array_equal(np.asarray(img), pixels)
