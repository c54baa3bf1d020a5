"""Decoding an uploaded image without trusting it, for Inspire.

The checks are the shared ones of ``studioflow.export.safe_image.safe_open_image``: the
header's pixel count is compared with ``STUDIOFLOW_MAX_IMAGE_PIXELS`` before any pixel is
decoded (a 40-byte PNG can claim 100000 x 100000 pixels: a decompression bomb), only PNG,
JPEG and WebP are read, and a truncated or corrupt file is a clear ``InputError`` (422) at
path ``image``. This module adds what Inspire needs on top: transparency flattened onto
white, and the sizes the analyser and the vision models work at.
"""

from __future__ import annotations

import io

from studioflow.export.safe_image import safe_open_image

ANALYSIS_SIDE = 512  # the analyser works on at most this many pixels a side
MODEL_SIDE = 1024  # what is sent to a vision model


def open_image(data: bytes, max_pixels: int, source: str = "image"):
    """``(image, (width, height))``: the upload checked and decoded, as RGB of at most
    ``ANALYSIS_SIDE`` pixels a side, and its own size."""
    with safe_open_image(data, max_pixels, source) as img:
        size = img.size
        flat = _flatten(img)
    flat.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE))
    return flat, size


def encode_for_model(data: bytes, max_pixels: int, source: str = "image") -> tuple[bytes, str]:
    """The upload checked, flattened, downscaled to ``MODEL_SIDE`` and re-encoded as JPEG
    (fewer tokens, no metadata) for a vision model: ``(bytes, "image/jpeg")``."""
    with safe_open_image(data, max_pixels, source) as img:
        flat = _flatten(img)
    flat.thumbnail((MODEL_SIDE, MODEL_SIDE))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=90)
    return out.getvalue(), "image/jpeg"


def _flatten(img):
    """RGB pixels; transparency is flattened onto white (product cut-outs)."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img.convert("RGB")
