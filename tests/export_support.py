"""Shared by the export tests: a float engine, a manifest full of XML-hostile text, and
readers that use other libraries than the exporter (Pillow, tifffile, OpenEXR, ElementTree)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np

from manifests import minimal_manifest
from studioflow.engines import Capabilities, EngineStatus, RenderResult

NS = "https://studioflow.dev/ns/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# unicode, and every character XML or JSON must escape
HOSTILE = ('Flacon « Ümlaut » 香水 🧴 <b>bold</b> & "double" \'single\' ]]> <!-- x --> '
           'back\\slash tab\there')
BIG_SEED = 4_000_000_000  # over 2**31 and 2**32 / 2: breaks any 32-bit integer field


class RampEngine:
    """A float engine: smooth ramps with far more than 256 levels per channel."""

    name = "ramp"
    capabilities = Capabilities(label="ramp", size_multiple=8, float_output=True)

    def __init__(self, settings: Any = None) -> None:
        pass

    def status(self) -> EngineStatus:
        return EngineStatus(True, True, True)

    def render(self, request, on_progress=None) -> RenderResult:
        h, w = request.height, request.width
        x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :].repeat(h, 0)
        y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None].repeat(w, 1)
        image = np.stack([x, 1.0 - x, (x + y) / 2], axis=2)
        image[0, 0] = (0.5, 0.04, 1.0)  # known values for the linear-light checks
        return RenderResult([image], model="ramp-model", model_revision="r1")


def hostile_manifest(**render) -> dict:
    m = minimal_manifest(**render)
    m["fibo"]["short_description"] = HOSTILE
    m["fibo"]["objects"][0]["description"] = "bottle\nwith a 'cap' & <label>"
    return m


def ramp_render(studio, width: int = 512, height: int = 64):
    studio.engines.add("ramp", RampEngine)
    return studio.render(minimal_manifest(engine="ramp", width=width, height=height, seed=3))


# readers ---------------------------------------------------------------------------------
def xmp_fields(packet: bytes | str) -> dict[str, Any]:
    """Parse an XMP packet with ElementTree: StudioFlow fields by local name, plus the
    standard ones under their prefixed names."""
    root = ET.fromstring(packet.encode("utf-8") if isinstance(packet, str) else packet)
    desc = root.find(f"{{{RDF}}}RDF/{{{RDF}}}Description")
    assert desc is not None
    out: dict[str, Any] = {}
    for child in desc:
        uri, local = child.tag[1:].split("}")
        if uri == NS:
            out[local] = child.text
        elif local == "description":
            out["dc:description"] = child.find(f"{{{RDF}}}Alt/{{{RDF}}}li").text
        else:
            out[local] = child.text
    return out


def pillow_image(data: bytes):
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def tiff_tags(data: bytes) -> tuple[np.ndarray, dict[int, Any]]:
    import tifffile

    with tifffile.TiffFile(io.BytesIO(data)) as tif:
        page = tif.pages[0]
        return page.asarray(), {tag.code: tag.value for tag in page.tags}


def exr_read(data: bytes) -> tuple[np.ndarray, dict[str, Any]]:
    import OpenEXR

    with OpenEXR.File(io.BytesIO(data)) as exr:
        header = dict(exr.header())
        pixels = exr.channels()["RGB"].pixels
    return pixels, header


def xmp_of(fmt: str, data: bytes) -> bytes | str:
    """The raw XMP packet of an export, found by a reader of that format."""
    if fmt == "tiff":
        return tiff_tags(data)[1][700]
    if fmt == "exr":
        return exr_read(data)[1]["xmp"]
    return pillow_image(data).info["xmp"]


def icc_of(fmt: str, data: bytes) -> bytes:
    if fmt == "tiff":
        return tiff_tags(data)[1][34675]
    return pillow_image(data).info["icc_profile"]


def expected_fields(record, index: int = 0) -> dict[str, str]:
    fields = {"renderId": record.id, "engine": record.engine, "model": record.model,
              "modelRevision": record.model_revision, "seed": str(record.seed),
              "schemaVersion": record.manifest["schema_version"], "imageIndex": str(index)}
    if record.parent_id:
        fields["parentId"] = record.parent_id
    return fields


def check_fields(found: dict[str, Any], record, index: int = 0) -> None:
    """Every provenance field as the record has it (manifest and time parsed)."""
    from datetime import datetime

    for key, value in expected_fields(record, index).items():
        assert found[key] == value, key
    assert ("parentId" in found) == (record.parent_id is not None)
    assert json.loads(found["manifest"]) == record.manifest
    assert datetime.fromisoformat(found["createdAt"]) == record.created_at
