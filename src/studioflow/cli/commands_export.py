"""export: one image of a render as PNG, 16-bit PNG, JPEG, WebP, 16-bit TIFF or OpenEXR,
with the render's provenance embedded."""

from __future__ import annotations

from pathlib import Path

import click

from studioflow.cli.context import AppContext
from studioflow.errors import UnsupportedError
from studioflow.export.formats import FORMAT_NAMES, JPEG_QUALITY, WEBP_QUALITY, get_format

pass_app = click.make_pass_decorator(AppContext)


def _target(out: str | None, filename: str) -> Path:
    """``out`` itself, or ``filename`` inside it when it is a folder (default: here)."""
    path = Path(out) if out else Path.cwd()
    if path.is_dir():
        path = path / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@click.command("export")
@click.argument("render_id", metavar="ID")
@click.option("-f", "--format", "format_name", required=True, metavar="FORMAT",
              help=f"One of: {', '.join(FORMAT_NAMES)}.")
@click.option("-o", "--out", metavar="FILE",
              help="File to write; a folder gets <id>-<index>.<ext> inside it "
                   "(default: that name in the current folder).")
@click.option("--index", type=click.IntRange(min=0), default=0, show_default=True,
              help="Which image of the render.")
@click.option("--quality", type=int, default=None,
              help=f"JPEG / WebP quality 1-100 (defaults {JPEG_QUALITY} / {WEBP_QUALITY}).")
@click.option("--lossless", is_flag=True, help="WebP only: lossless.")
@pass_app
def export(app: AppContext, render_id: str, format_name: str, out: str | None, index: int,
           quality: int | None, lossless: bool) -> None:
    """Export an image of render ID with its provenance (manifest, seed, engine, model,
    ids, time) embedded as XMP and the format's own metadata, plus an sRGB profile."""
    from studioflow.export.exporter import export_image
    from studioflow.export.formats import ExportOptions

    try:
        get_format(format_name)
    except UnsupportedError as exc:  # the message lists the formats: one line says it all
        raise UnsupportedError(exc.message) from None
    exported = export_image(app.studio, render_id, format_name, index,
                            ExportOptions(quality=quality, lossless=lossless))
    target = _target(out, exported.filename)
    target.write_bytes(exported.data)
    click.echo(str(target))


COMMANDS = [export]
