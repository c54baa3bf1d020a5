"""Every export carries the render's provenance, read back by other libraries than ours:
XMP (Pillow for PNG/JPEG/WebP, tifffile for TIFF, OpenEXR for EXR, parsed by ElementTree),
each format's own fields, and an sRGB ICC profile (chromaticities for EXR)."""

from __future__ import annotations

import io
import json
import struct
from datetime import datetime

import pytest

from export_support import (
    BIG_SEED,
    HOSTILE,
    check_fields,
    exr_read,
    hostile_manifest,
    icc_of,
    pillow_image,
    tiff_tags,
    xmp_fields,
    xmp_of,
)
from manifests import minimal_manifest
from studioflow import __version__
from studioflow.export.exporter import export_image
from studioflow.export.formats import FORMAT_NAMES

FORMATS = list(FORMAT_NAMES)
ICC_FORMATS = ["png", "png16", "jpeg", "webp", "tiff"]
AI_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


@pytest.fixture
def child(studio):
    """A render with a parent, a seed no 32-bit field can hold, and hostile text."""
    parent = studio.render(hostile_manifest(seed=BIG_SEED, width=64, height=64))
    record = studio.rerender(parent.id)
    assert record.parent_id == parent.id
    assert record.manifest["fibo"]["short_description"] == HOSTILE
    return studio.get(record.id)


@pytest.mark.parametrize("fmt", FORMATS)
def test_xmp_holds_every_provenance_field(studio, child, fmt):
    data = export_image(studio, child.id, fmt).data
    found = xmp_fields(xmp_of(fmt, data))
    check_fields(found, child)
    assert found["seed"] == str(BIG_SEED)
    assert found["dc:description"] == HOSTILE
    assert found["CreatorTool"] == f"StudioFlow {__version__}"
    assert datetime.fromisoformat(found["CreateDate"]) == child.created_at
    assert found["DigitalSourceType"] == AI_MEDIA


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_pillow_reads_the_xmp_too(studio, child, fmt):
    data = export_image(studio, child.id, fmt).data
    desc = pillow_image(data).getxmp()["xmpmeta"]["RDF"]["Description"]
    assert desc["renderId"] == child.id and desc["seed"] == str(BIG_SEED)
    assert json.loads(desc["manifest"]) == child.manifest


def test_a_root_render_has_no_parent_field(studio):
    record = studio.render(minimal_manifest(width=64, height=64))
    for fmt in ("png", "exr"):
        found = xmp_fields(xmp_of(fmt, export_image(studio, record.id, fmt).data))
        check_fields(found, record)


@pytest.mark.parametrize("fmt", ["png", "png16"])
def test_png_text_chunks_and_the_studioflow_record(studio, child, fmt):
    data = export_image(studio, child.id, fmt).data
    img = pillow_image(data)
    record = json.loads(img.text["studioflow"])
    assert record["format"] == "studioflow.render/1"
    assert record["render_id"] == child.id and record["parent_id"] == child.parent_id
    assert record["seed"] == BIG_SEED and record["engine"] == child.engine
    assert record["model"] == child.model and record["model_revision"] == child.model_revision
    assert record["manifest"] == child.manifest and record["image_index"] == 0
    assert datetime.fromisoformat(record["created_at"]) == child.created_at
    assert img.text["Description"] == HOSTILE
    assert img.text["Software"] == f"StudioFlow {__version__}"
    # an exported PNG is as good as a master for `render --from-image`
    assert studio.manifest_from_image(data) == child.manifest


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_exif_software_date_and_ascii_description(studio, child, fmt):
    exif = pillow_image(export_image(studio, child.id, fmt).data).getexif()
    assert exif[0x0131] == f"StudioFlow {__version__}"
    assert exif[0x0132] == child.created_at.strftime("%Y:%m:%d %H:%M:%S")
    assert 0x010E not in exif  # EXIF text is ASCII: the unicode description is XMP only
    plain = studio.render(minimal_manifest(width=64, height=64))
    exif = pillow_image(export_image(studio, plain.id, fmt).data).getexif()
    assert exif[0x010E] == plain.manifest["fibo"]["short_description"]


def test_tiff_tags(studio, child):
    _pixels, tags = tiff_tags(export_image(studio, child.id, "tiff").data)
    described = json.loads(tags[270])
    assert described["render_id"] == child.id and described["seed"] == BIG_SEED
    assert described["parent_id"] == child.parent_id
    assert described["manifest"] == child.manifest
    assert tags[305] == f"StudioFlow {__version__}"
    assert tags[306] == child.created_at.strftime("%Y:%m:%d %H:%M:%S")


def test_exr_header_attributes(studio, child):
    _pixels, header = exr_read(export_image(studio, child.id, "exr").data)
    assert header["studioflow:seed"] == str(BIG_SEED)  # a string: EXR ints are 32-bit
    found = {k.split(":", 1)[1]: v for k, v in header.items() if k.startswith("studioflow:")}
    check_fields(found, child)
    assert header["comments"] == HOSTILE
    assert header["capDate"] == child.created_at.strftime("%Y:%m:%d %H:%M:%S")
    assert header["utcOffset"] == 0.0
    # Rec. 709 / sRGB primaries and D65 white, as float32
    assert header["chromaticities"] == pytest.approx(
        (0.64, 0.33, 0.30, 0.60, 0.15, 0.06, 0.3127, 0.3290), abs=1e-6)


def _xyz_tag(profile: bytes, signature: bytes) -> tuple[float, float, float]:
    (count,) = struct.unpack(">I", profile[128:132])
    for i in range(count):
        sig, offset, _size = struct.unpack(">4sII", profile[132 + 12 * i:144 + 12 * i])
        if sig == signature:
            assert profile[offset:offset + 4] == b"XYZ "
            values = struct.unpack(">3i", profile[offset + 8:offset + 20])
            return tuple(v / 65536 for v in values)  # s15Fixed16
    raise AssertionError(f"no {signature!r} tag")


@pytest.mark.parametrize("fmt", ICC_FORMATS)
def test_an_srgb_icc_profile_is_embedded(studio, child, fmt):
    from PIL import ImageCms

    profile = icc_of(fmt, export_image(studio, child.id, fmt).data)
    assert profile[36:40] == b"acsp" and profile[12:20] == b"mntrRGB "
    (size,) = struct.unpack(">I", profile[:4])
    assert size == len(profile)
    # sRGB's primaries in the D50 connection space (IEC 61966-2-1, Bradford-adapted)
    expected = {b"rXYZ": (0.4361, 0.2225, 0.0139), b"gXYZ": (0.3851, 0.7169, 0.0971),
                b"bXYZ": (0.1431, 0.0606, 0.7141)}
    for signature, xyz in expected.items():
        assert _xyz_tag(profile, signature) == pytest.approx(xyz, abs=2e-3)
    description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    assert "sRGB" in description


def test_exports_of_a_render_are_byte_identical(studio, child):
    for fmt in FORMATS:
        assert export_image(studio, child.id, fmt).data == export_image(studio, child.id,
                                                                        fmt).data, fmt
