"""Opening images from untrusted sources (uploads) without decompression bombs.

A small file can claim a gigantic size (a PNG of zeros compresses about 1000:1), so the
size is read from the header and checked against ``max_pixels`` before a single pixel is
decoded. Pillow's own guard (``Image.MAX_IMAGE_PIXELS``: a warning, then
``DecompressionBombError`` at twice it) is process-wide and looser; it is not changed
here, since other code shares it across threads, but its error is turned into ours.
Every upload path (from-image, Inspire, batches) goes through ``safe_open_image`` or, when
it needs no pixels, ``checked_size``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from studioflow.errors import ErrorDetail, InputError

if TYPE_CHECKING:
    from PIL import Image

FORMATS = ("PNG", "JPEG", "WEBP")


def _refuse(what: str, message: str, detail: str, code: str = "invalid_image") -> InputError:
    return InputError(message, [ErrorDetail(what, detail)], code=code, http_status=422)


def _open(data: bytes, what: str, formats: tuple[str, ...] | None) -> Image.Image:
    """The image with only its header parsed (Pillow decodes lazily)."""
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(io.BytesIO(data), formats=list(formats) if formats else None)
    except Image.DecompressionBombError:
        raise _refuse(what, f"the {what} is too large to decode",
                      "its header claims more pixels than are ever decoded here",
                      "image_too_large") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        expected = f"expected one of {', '.join(formats)}" if formats else "expected an image"
        raise _refuse(what, f"the {what} is not a readable image", expected) from None


def _check(size: tuple[int, int], max_pixels: int, what: str) -> tuple[int, int]:
    width, height = size
    if width < 1 or height < 1:
        raise _refuse(what, f"the {what} is empty", f"{width}x{height} pixels")
    if width * height > max_pixels:
        raise _refuse(what, f"the {what} has too many pixels ({width}x{height})",
                      f"at most {max_pixels} pixels are accepted", "image_too_large")
    return width, height


def checked_size(data: bytes, max_pixels: int, what: str = "image",
                 formats: tuple[str, ...] | None = FORMATS) -> tuple[int, int]:
    """Width and height from the header alone; an ``InputError`` (422) when the data is
    no image of ``formats`` (``None``: any Pillow reads) or has more than ``max_pixels``."""
    with _open(data, what, formats) as image:
        return _check(image.size, max_pixels, what)


def safe_open_image(data: bytes, max_pixels: int, what: str = "image",
                    formats: tuple[str, ...] | None = FORMATS) -> Image.Image:
    """The decoded image (first frame), or an ``InputError`` (422) at path ``what`` when it
    is unreadable, truncated or claims more than ``max_pixels`` pixels: checked before
    anything is decoded."""
    image = _open(data, what, formats)
    try:
        _check(image.size, max_pixels, what)
        image.load()
    except InputError:
        image.close()
        raise
    except Exception:  # noqa: BLE001 - any decoder failure is a broken upload
        image.close()
        raise _refuse(what, f"the {what} could not be decoded",
                      "the file is truncated or damaged") from None
    return image
