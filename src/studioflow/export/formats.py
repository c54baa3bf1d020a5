"""The export formats: one registry that the exporter, the CLI, the API and the docs use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from studioflow.errors import ErrorDetail, UnsupportedError
from studioflow.export.export_exr import write_exr
from studioflow.export.export_jpeg_webp import write_jpeg, write_webp
from studioflow.export.export_png import write_png
from studioflow.export.export_tiff import write_tiff
from studioflow.export.provenance import Provenance

JPEG_QUALITY = 92
WEBP_QUALITY = 90
QUALITY_RANGE = (1, 100)


@dataclass(frozen=True)
class ExportOptions:
    quality: int | None = None  # JPEG and WebP; None: the format's default
    lossless: bool = False  # WebP only


Writer = Callable[[np.ndarray, Provenance, ExportOptions], bytes]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    extension: str
    media_type: str
    writer: Writer
    options: frozenset[str] = frozenset()  # which ExportOptions fields apply
    suffix: str = ""  # in file names, tells formats with the same extension apart

    def filename(self, render_id: str, index: int) -> str:
        return f"{render_id}-{index}{self.suffix}.{self.extension}"


def _quality(options: ExportOptions, default: int) -> int:
    return default if options.quality is None else options.quality


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("png", "PNG, 8-bit sRGB", "png", "image/png",
                 lambda p, prov, _o: write_png(p, prov, sixteen=False)),
    ExportFormat("png16", "PNG, 16-bit sRGB", "png", "image/png",
                 lambda p, prov, _o: write_png(p, prov, sixteen=True), suffix="-16bit"),
    ExportFormat("jpeg", "JPEG, 8-bit sRGB", "jpg", "image/jpeg",
                 lambda p, prov, o: write_jpeg(p, prov, _quality(o, JPEG_QUALITY)),
                 frozenset({"quality"})),
    ExportFormat("webp", "WebP, 8-bit sRGB, lossy or lossless", "webp", "image/webp",
                 lambda p, prov, o: write_webp(p, prov, _quality(o, WEBP_QUALITY), o.lossless),
                 frozenset({"quality", "lossless"})),
    ExportFormat("tiff", "TIFF, 16-bit sRGB, deflate", "tif", "image/tiff",
                 lambda p, prov, _o: write_tiff(p, prov)),
    ExportFormat("exr", "OpenEXR, half float, linear Rec.709", "exr", "image/x-exr",
                 lambda p, prov, _o: write_exr(p, prov)),
)}
FORMAT_NAMES = tuple(FORMATS)
# the names as an enum, for the API's query parameter (and so its OpenAPI document)
ExportFormatName = StrEnum("ExportFormatName", [(n, n) for n in FORMAT_NAMES])


def get_format(name: str, where: str = "") -> ExportFormat:
    """The format called ``name``; otherwise an error listing them (``where`` prefixes the
    detail path, e.g. ``query.`` for the API)."""
    fmt = FORMATS.get(name.strip().lower())
    if fmt is None:
        choices = ", ".join(FORMAT_NAMES)
        raise UnsupportedError(f"unknown export format {name!r}; choose one of: {choices}",
                               [ErrorDetail(f"{where}format", f"expected one of: {choices}")])
    return fmt


def check_options(fmt: ExportFormat, options: ExportOptions, where: str = "") -> None:
    """Refuse options that do not apply to the format or are out of range."""
    problems = []
    if options.quality is not None:
        low, high = QUALITY_RANGE
        if "quality" not in fmt.options:
            problems.append(ErrorDetail(f"{where}quality", "only jpeg and webp have a quality"))
        elif not low <= options.quality <= high:
            problems.append(ErrorDetail(f"{where}quality", f"expected {low}-{high}"))
    if options.lossless and "lossless" not in fmt.options:
        problems.append(ErrorDetail(f"{where}lossless", "only webp has a lossless mode"))
    if problems:
        raise UnsupportedError(f"invalid options for {fmt.name} export", problems)
