"""Export pixels: lossless formats equal the master, 16-bit and float formats keep a
16-bit master's precision, EXR holds linear light, JPEG and WebP stay close."""

from __future__ import annotations

import numpy as np
import pytest

from export_support import exr_read, pillow_image, ramp_render, tiff_tags
from manifests import minimal_manifest
from studioflow.export.exporter import export_image
from studioflow.export.formats import ExportOptions
from studioflow.export.png import decode_png


def srgb_eotf(v):
    """IEC 61966-2-1, written out here independently of the exporter."""
    v = np.asarray(v, dtype=np.float64)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / mse))


@pytest.fixture
def ramp(studio):
    record = ramp_render(studio)
    master = decode_png(studio.image_bytes(record.id))
    assert master.dtype == np.float32  # a 16-bit master
    return record, master


@pytest.fixture
def photo(studio):
    record = studio.render(minimal_manifest(seed=11))
    master = decode_png(studio.image_bytes(record.id))
    assert master.dtype == np.uint8
    return record, master


def master16(master: np.ndarray) -> np.ndarray:
    return np.rint(master.astype(np.float64) * 65535).astype(np.uint16)


def test_16_bit_png_and_tiff_keep_every_bit_of_a_16_bit_master(studio, ramp):
    record, master = ramp
    expected = master16(master)
    assert len(np.unique(expected[..., 0])) > 500  # the ramp has far more than 256 levels
    png = export_image(studio, record.id, "png16").data
    png_pixels = master16(decode_png(png))
    assert np.array_equal(png_pixels, expected)
    # Pillow reads 16-bit RGB PNGs as their high bytes: the same file, another decoder
    assert np.array_equal(np.asarray(pillow_image(png)), (expected >> 8).astype(np.uint8))
    tiff, _tags = tiff_tags(export_image(studio, record.id, "tiff").data)
    assert tiff.dtype == np.uint16 and np.array_equal(tiff, expected)


def test_exr_is_half_float_linear_light(studio, ramp):
    record, master = ramp
    pixels, _header = exr_read(export_image(studio, record.id, "exr").data)
    assert pixels.dtype == np.float16 and pixels.shape == master.shape
    linear = pixels.astype(np.float64)
    # sRGB 0.5 is 0.214 in linear light; 0.04 lies on the linear toe (0.04 / 12.92)
    assert linear[0, 0, 0] == pytest.approx(0.2140, abs=5e-4)
    assert linear[0, 0, 1] == pytest.approx(0.04 / 12.92, rel=2e-3)
    assert linear[0, 0, 2] == 1.0
    assert np.allclose(linear, srgb_eotf(master), rtol=1e-3, atol=1e-6)
    assert len(np.unique(pixels[..., 0])) > 500  # not rounded through 8 bits


def test_8_bit_exports_of_a_16_bit_master_round_once(studio, ramp):
    record, master = ramp
    png = decode_png(export_image(studio, record.id, "png").data)
    assert png.dtype == np.uint8
    assert np.array_equal(png, np.rint(master.astype(np.float64) * 255).astype(np.uint8))


def test_lossless_exports_of_an_8_bit_master_are_exact(studio, photo):
    record, master = photo
    png = np.asarray(pillow_image(export_image(studio, record.id, "png").data))
    assert np.array_equal(png, master)
    webp = export_image(studio, record.id, "webp", options=ExportOptions(lossless=True)).data
    assert np.array_equal(np.asarray(pillow_image(webp).convert("RGB")), master)
    # 16-bit outputs widen 8-bit values exactly: v * 257 (255 -> 65535)
    wide = master.astype(np.uint16) * 257
    assert np.array_equal(master16(decode_png(export_image(studio, record.id, "png16").data)),
                          wide)
    tiff, _tags = tiff_tags(export_image(studio, record.id, "tiff").data)
    assert np.array_equal(tiff, wide)
    exr, _header = exr_read(export_image(studio, record.id, "exr").data)
    assert np.allclose(exr.astype(np.float64), srgb_eotf(master / 255.0), rtol=1e-3,
                       atol=1e-6)


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_lossy_exports_stay_close_and_quality_matters(studio, photo, fmt):
    record, master = photo
    good = export_image(studio, record.id, fmt).data
    assert psnr(np.asarray(pillow_image(good).convert("RGB")), master) > 40
    low = export_image(studio, record.id, fmt, options=ExportOptions(quality=10)).data
    assert len(low) < len(good)
    assert psnr(np.asarray(pillow_image(low).convert("RGB")), master) < psnr(
        np.asarray(pillow_image(good).convert("RGB")), master)
