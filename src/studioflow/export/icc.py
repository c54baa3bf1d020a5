"""The sRGB ICC profile embedded in exports, built locally by LittleCMS (via Pillow)."""

from __future__ import annotations

import struct
from functools import cache

# PNG's iCCP chunk names the profile (Latin-1, 1-79 characters)
PROFILE_NAME = "sRGB"
# LittleCMS stamps the profile with the time it was made; a fixed date makes every export
# of a render byte-identical (the header's profile ID is 0, so no checksum covers it)
_DATE_OFFSET = 24
_FIXED_DATE = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)


@cache
def srgb_profile() -> bytes:
    """An ICC v4 sRGB display profile (~600 bytes); nothing is downloaded."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile[:_DATE_OFFSET] + _FIXED_DATE + profile[_DATE_OFFSET + len(_FIXED_DATE):]
