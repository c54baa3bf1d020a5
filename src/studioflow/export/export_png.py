"""PNG exports, 8-bit (``png``) and 16-bit (``png16``).

The image is written by the masters' own encoder (``png.encode_png``: float samples make a
16-bit PNG, so a 16-bit master keeps every bit), with its ``studioflow`` iTXt record; then
an iCCP sRGB profile, the XMP packet (iTXt ``XML:com.adobe.xmp``, uncompressed as the XMP
specification asks) and PNG's standard Description / Software / Creation Time keywords
are put right after the header, where iCCP must stand (before the image data).
"""

from __future__ import annotations

import zlib

import numpy as np

from studioflow.export.colorspace import to_uint8, to_unit
from studioflow.export.icc import PROFILE_NAME, srgb_profile
from studioflow.export.png import _chunk, encode_png
from studioflow.export.provenance import CREATOR_TOOL, Provenance
from studioflow.export.xmp import build_xmp

XMP_KEYWORD = "XML:com.adobe.xmp"
_HEADER_END = 8 + 4 + 4 + 13 + 4  # signature, then IHDR's length, type, data and CRC


def _itxt_plain(keyword: str, text: str) -> bytes:
    # keyword, null, compression flag 0 and method 0, empty language and translated keyword
    return _chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00"
                  + text.encode("utf-8"))


def _iccp(profile: bytes) -> bytes:
    return _chunk(b"iCCP", PROFILE_NAME.encode("latin-1") + b"\x00\x00"
                  + zlib.compress(profile, 9))


def provenance_chunks(prov: Provenance) -> bytes:
    """iCCP, XMP and the standard text keywords, as PNG chunks."""
    chunks = [_iccp(srgb_profile()), _itxt_plain(XMP_KEYWORD, build_xmp(prov, "image/png")),
              _itxt_plain("Software", CREATOR_TOOL),
              _itxt_plain("Creation Time", prov.created_iso())]
    if prov.short_description:
        chunks.append(_itxt_plain("Description", prov.short_description))
    return b"".join(chunks)


def write_png(pixels: np.ndarray, prov: Provenance, sixteen: bool) -> bytes:
    samples = to_unit(pixels) if sixteen else to_uint8(pixels)
    data = encode_png(samples, prov.record())
    return data[:_HEADER_END] + provenance_chunks(prov) + data[_HEADER_END:]
