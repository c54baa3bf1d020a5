"""16-bit RGB TIFF exports (tifffile, from the ``export`` extra).

Tags: ImageDescription (270) holds the ``studioflow`` JSON record (ASCII, as TIFF wants:
non-ASCII characters are JSON ``\\u`` escapes), Software (305), DateTime (306), XMP (700)
and the sRGB ICC profile (34675). Deflate with the horizontal predictor, lossless.
"""

from __future__ import annotations

import io

import numpy as np

from studioflow.errors import missing_extra
from studioflow.export.colorspace import to_uint16
from studioflow.export.icc import srgb_profile
from studioflow.export.png import METADATA_FORMAT
from studioflow.export.provenance import CREATOR_TOOL, Provenance, safe_json
from studioflow.export.xmp import build_xmp

TAG_XMP = 700
_BYTE = 1  # TIFF type code of the XMP tag's values


def write_tiff(pixels: np.ndarray, prov: Provenance) -> bytes:
    try:
        import tifffile
    except ImportError:
        raise missing_extra("export", "tifffile") from None
    xmp = build_xmp(prov, "image/tiff").encode("utf-8")
    description = safe_json({"format": METADATA_FORMAT, **prov.record()}, ascii_only=True)
    out = io.BytesIO()
    # metadata=None: no tifffile JSON of its own in front of our ImageDescription
    tifffile.imwrite(out, to_uint16(pixels), photometric="rgb", planarconfig="contig",
                     compression="zlib", predictor=True, metadata=None,
                     description=description, software=CREATOR_TOOL,
                     datetime=prov.created_exif(), iccprofile=srgb_profile(),
                     extratags=[(TAG_XMP, _BYTE, len(xmp), xmp, True)])
    return out.getvalue()
