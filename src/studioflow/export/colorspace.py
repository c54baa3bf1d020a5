"""Pixel conversions between the stored master and the export encodings.

Masters are uint8 (8-bit engines) or float32 in 0..1 (16-bit masters of float engines,
holding k / 65535); both are sRGB-encoded. float32 carries 24 bits, so 16-bit values
survive every step exactly and nothing rounds through 8 bits; it also halves the memory
of float64 on large images.
"""

from __future__ import annotations

import numpy as np

# IEC 61966-2-1: the sRGB transfer function, linear below the knee and a 2.4 power above
_KNEE = 0.04045
_SLOPE = 12.92
_OFFSET = 0.055
_GAMMA = 2.4


def to_unit(pixels: np.ndarray) -> np.ndarray:
    """float32 values in 0..1 (uint8 masters are divided by 255)."""
    if pixels.dtype == np.uint8:
        return pixels.astype(np.float32) / np.float32(255.0)
    return np.clip(pixels.astype(np.float32, copy=False), 0.0, 1.0)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    if pixels.dtype == np.uint8:
        return np.ascontiguousarray(pixels)
    return np.rint(to_unit(pixels) * np.float32(255.0)).astype(np.uint8)


def to_uint16(pixels: np.ndarray) -> np.ndarray:
    """16-bit samples; an 8-bit value v becomes v * 257 (so 255 -> 65535 exactly)."""
    if pixels.dtype == np.uint8:
        return pixels.astype(np.uint16) * np.uint16(257)
    return np.rint(to_unit(pixels) * np.float32(65535.0)).astype(np.uint16)


def srgb_to_linear(encoded: np.ndarray) -> np.ndarray:
    """The exact sRGB EOTF: sRGB-encoded values in 0..1 -> linear light in 0..1."""
    c = np.asarray(encoded)
    c = c.astype(np.promote_types(c.dtype, np.float32), copy=False)
    return np.where(c <= _KNEE, c / _SLOPE, ((c + _OFFSET) / (1.0 + _OFFSET)) ** _GAMMA)

