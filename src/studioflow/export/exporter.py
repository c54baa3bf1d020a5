"""Export one image of a stored render to a format, with the render's provenance in it."""

from __future__ import annotations

from dataclasses import dataclass

from studioflow.core.studio import Studio
from studioflow.errors import ErrorDetail, NotFoundError
from studioflow.export.formats import ExportFormat, ExportOptions, check_options, get_format
from studioflow.export.png import decode_png
from studioflow.export.provenance import Provenance
from studioflow.store.records_base import ImageRef, RenderRecord


@dataclass(frozen=True)
class Exported:
    data: bytes
    filename: str  # from the render's full id, the index and the format: never user input
    format: ExportFormat

    @property
    def media_type(self) -> str:
        return self.format.media_type


def find_image(record: RenderRecord, index: int, where: str = "") -> ImageRef:
    for image in record.images:
        if image.index == index:
            return image
    raise NotFoundError(f"render {record.id} has no image {index}",
                        [ErrorDetail(f"{where}index", f"expected 0-{len(record.images) - 1}")])


def export_image(studio: Studio, render_id: str, format_name: str, index: int = 0,
                 options: ExportOptions | None = None, where: str = "") -> Exported:
    """The export of image ``index`` of a render (``render_id`` may be a unique prefix).

    The source is the stored master: a 16-bit master goes to 16-bit and float formats
    without passing through 8 bits. ``where`` prefixes error detail paths (``query.``)."""
    fmt = get_format(format_name, where)
    options = options or ExportOptions()
    check_options(fmt, options, where)
    record = studio.get(render_id)
    image = find_image(record, index, where)
    pixels = decode_png(studio.files.get(image.key))
    data = fmt.writer(pixels, Provenance.of(record, index), options)
    return Exported(data, fmt.filename(record.id, index), fmt)
