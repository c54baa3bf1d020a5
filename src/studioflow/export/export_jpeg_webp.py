"""JPEG and WebP exports (8-bit): XMP, an sRGB ICC profile and EXIF, written by Pillow.

EXIF's ImageDescription is ASCII only, so it carries the short description only when that
is plain ASCII; the XMP ``dc:description`` always carries it in full.
"""

from __future__ import annotations

import io

import numpy as np

from studioflow.errors import ErrorDetail, UnsupportedError, missing_extra
from studioflow.export.colorspace import to_uint8
from studioflow.export.icc import srgb_profile
from studioflow.export.provenance import CREATOR_TOOL, Provenance
from studioflow.export.xmp import build_xmp

# one JPEG APP1 segment: 65533 payload bytes less the 29 of the XMP namespace header
JPEG_XMP_MAX = 65533 - 29
_EXIF_DESCRIPTION, _EXIF_SOFTWARE, _EXIF_DATETIME = 0x010E, 0x0131, 0x0132


def _exif(prov: Provenance) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    if prov.short_description.isascii() and prov.short_description:
        exif[_EXIF_DESCRIPTION] = prov.short_description
    exif[_EXIF_SOFTWARE] = CREATOR_TOOL
    exif[_EXIF_DATETIME] = prov.created_exif()
    return exif.tobytes()


def _image(pixels: np.ndarray):
    from PIL import Image

    return Image.fromarray(to_uint8(pixels), "RGB")


def write_jpeg(pixels: np.ndarray, prov: Provenance, quality: int) -> bytes:
    import PIL

    if int(PIL.__version__.split(".")[0]) < 11:  # older Pillow drops the xmp argument
        raise missing_extra("export", "Pillow>=11.1")
    xmp = build_xmp(prov, "image/jpeg").encode("utf-8")
    if len(xmp) > JPEG_XMP_MAX:
        raise UnsupportedError(
            f"the provenance ({len(xmp)} bytes of XMP) does not fit in a JPEG "
            f"(at most {JPEG_XMP_MAX} bytes)",
            [ErrorDetail("format", "export this render as png, webp, tiff or exr")])
    out = io.BytesIO()
    # 4:4:4 chroma: product shots have sharp coloured edges that 4:2:0 smears
    _image(pixels).save(out, "JPEG", quality=quality, subsampling=0, optimize=True,
                        icc_profile=srgb_profile(), exif=_exif(prov), xmp=xmp)
    return out.getvalue()


def write_webp(pixels: np.ndarray, prov: Provenance, quality: int, lossless: bool) -> bytes:
    out = io.BytesIO()
    # with lossless=True, Pillow reads quality as the compression effort
    _image(pixels).save(out, "WEBP", quality=quality, lossless=lossless, method=4, exact=True,
                        icc_profile=srgb_profile(), exif=_exif(prov),
                        xmp=build_xmp(prov, "image/webp").encode("utf-8"))
    return out.getvalue()
