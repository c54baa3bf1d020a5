"""OpenEXR exports: half-float, LINEAR light (the sRGB EOTF undone exactly), ZIP-compressed.

EXR has no XMP container: provenance goes into header attributes, all strings, because
EXR's integer attributes are 32-bit (seeds are not) and its floats are float32:
``studioflow:<field>`` for every field (as in the XMP namespace), the whole XMP packet in
``xmp``, the standard ``comments`` (short description), ``capDate`` and ``utcOffset``,
and ``chromaticities`` (Rec. 709 / sRGB primaries, D65 white) in place of an ICC profile.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from studioflow.errors import missing_extra
from studioflow.export.colorspace import srgb_to_linear, to_unit
from studioflow.export.provenance import CREATOR_TOOL, Provenance
from studioflow.export.xmp import PREFIX, build_xmp

# x, y of red, green, blue and white (ITU-R BT.709 = sRGB, D65)
REC709_CHROMATICITIES = (0.64, 0.33, 0.30, 0.60, 0.15, 0.06, 0.3127, 0.3290)


def header(prov: Provenance) -> dict[str, Any]:
    attrs: dict[str, Any] = {f"{PREFIX}:{name}": value for name, value in prov.fields().items()}
    attrs.update({
        f"{PREFIX}:software": CREATOR_TOOL,
        "xmp": build_xmp(prov, "image/x-exr"),
        "capDate": prov.created_exif(),
        "utcOffset": 0.0,  # capDate is UTC
        "chromaticities": REC709_CHROMATICITIES,
    })
    if prov.short_description:
        attrs["comments"] = prov.short_description
    return attrs


def write_exr(pixels: np.ndarray, prov: Provenance) -> bytes:
    try:
        import OpenEXR
    except ImportError:
        raise missing_extra("export", "openexr") from None
    linear = srgb_to_linear(to_unit(pixels)).astype(np.float16)
    attrs = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage,
             **header(prov)}
    out = io.BytesIO()
    with OpenEXR.File(attrs, {"RGB": np.ascontiguousarray(linear)}) as exr:
        exr.write(out)
    return out.getvalue()
