"""PNG files that carry their own provenance.

Every stored image embeds, in an iTXt chunk named ``studioflow``, the manifest, seed,
engine, model revision and render id, so the PNG alone is enough to reproduce the render.
The encoder is our own (vectorised filtering plus fast deflate): uint8 images become 8-bit
PNGs and float images 16-bit ones (which Pillow cannot write), so exports never round
through 8 bits.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from typing import Any

import numpy as np
from PIL import Image

from studioflow.errors import ErrorDetail, InputError

METADATA_KEY = "studioflow"
METADATA_FORMAT = "studioflow.render/1"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


try:  # ISA-L's deflate is ~4x faster than zlib's at a better ratio; same stream format
    from isal import isal_zlib as _deflate

    _LEVEL = 2
except ImportError:  # pragma: no cover - platforms without an isal wheel
    _deflate = zlib
    _LEVEL = 1


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _itxt(key: str, text: str) -> bytes:
    # keyword, null, compression flag 1 + method 0, empty language tag and translated keyword
    payload = _deflate.compress(text.encode("utf-8"), _LEVEL)
    return _chunk(b"iTXt", key.encode("latin-1") + b"\x00\x01\x00\x00\x00" + payload)


def _samples(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """Big-endian sample bytes per row and the bit depth: uint8 stays 8-bit, floats 16-bit."""
    if pixels.dtype == np.uint8:
        return np.ascontiguousarray(pixels), 8
    values = np.clip(np.rint(pixels.astype(np.float64) * 65535.0), 0, 65535).astype(">u2")
    return values.view(np.uint8), 16


def encode_png(pixels: np.ndarray, metadata: dict[str, Any] | None = None) -> bytes:
    """PNG bytes: uint8 arrays as 8-bit, float arrays (0..1) as 16-bit per channel.

    Rows use PNG's "Sub" filter (each byte minus the same channel of the pixel to its
    left, modulo 256), vectorised; with fast deflate this encodes a 1024x1024 image in
    a few milliseconds instead of Pillow's ~200 ms at its default level.
    """
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 image, got shape {pixels.shape}")
    height, width, _ = pixels.shape
    samples, depth = _samples(pixels)
    bpp = 3 * depth // 8
    rows = samples.reshape(height, width * bpp)
    raw = np.empty((height, width * bpp + 1), np.uint8)
    raw[:, 0] = 1  # filter type Sub
    raw[:, 1:bpp + 1] = rows[:, :bpp]
    np.subtract(rows[:, bpp:], rows[:, :-bpp], out=raw[:, bpp + 1:])
    parts = [_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, 2, 0, 0, 0))]
    if metadata is not None:
        text = json.dumps({"format": METADATA_FORMAT, **metadata},
                          ensure_ascii=False, separators=(",", ":"))
        parts.append(_itxt(METADATA_KEY, text))
    parts += [_chunk(b"IDAT", _deflate.compress(raw.tobytes(), _LEVEL)), _chunk(b"IEND", b"")]
    return b"".join(parts)


def _chunks(data: bytes):
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG file")
    pos = len(_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IEND":
            return


def read_metadata(data: bytes, source: str = "image") -> dict[str, Any]:
    """The StudioFlow metadata of a PNG; a clear error when there is none."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise InputError(f"{source} is a {img.format} image, not a PNG",
                                 [ErrorDetail(source, "expected a PNG written by StudioFlow")])
            raw = img.text.get(METADATA_KEY)  # type: ignore[attr-defined]
    except InputError:
        raise
    except Exception:
        raise InputError(f"{source} is not a readable image",
                         [ErrorDetail(source, "expected a PNG written by StudioFlow")]) from None
    if raw is None:
        raise InputError(f"{source} has no StudioFlow metadata",
                         [ErrorDetail(source, "this PNG was not written by StudioFlow")])
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError:
        meta = None
    if not isinstance(meta, dict) or not isinstance(meta.get("manifest"), dict):
        raise InputError(f"{source} has damaged StudioFlow metadata",
                         [ErrorDetail(f"{source}:{METADATA_KEY}", "not a StudioFlow record")])
    return meta


def decode_png(data: bytes) -> np.ndarray:
    """Pixels of a PNG: float32 0..1 for 16-bit RGB written by ``encode_png``, else uint8."""
    header = next((body for kind, body in _chunks(data) if kind == b"IHDR"), b"")
    if len(header) == 13 and header[9] == 2 and header[8] in (8, 16) and header[12] == 0:
        width, height = struct.unpack(">II", header[:8])
        bpp = 3 * header[8] // 8
        idat = b"".join(body for kind, body in _chunks(data) if kind == b"IDAT")
        raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, width * bpp + 1)
        if np.all(raw[:, 0] == 1):  # our own files: undo "Sub" with a wrapping cumsum
            rows = np.cumsum(raw[:, 1:].reshape(height, width, bpp), axis=1, dtype=np.uint8)
            if header[8] == 8:
                return rows
            values = rows.reshape(height, width * 6).view(">u2").reshape(height, width, 3)
            return values.astype(np.float32) / 65535.0
    with Image.open(io.BytesIO(data)) as img:  # anything else: Pillow, as 8-bit RGB
        return np.asarray(img.convert("RGB"))
