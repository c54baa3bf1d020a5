"""What every export embeds: the render's provenance, in one place for every format.

The fields mirror the ``studioflow`` chunk of the stored PNG masters (see ``png.py``), so
an exported PNG can be fed back to ``studioflow render --from-image`` like a master.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from studioflow import __version__
from studioflow.store.records_base import RenderRecord

CREATOR_TOOL = f"StudioFlow {__version__}"
# IPTC NewsCodes digital source type for media created by a trained model
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

# characters that UTF-8 cannot carry (lone surrogates) or XML 1.0 forbids even escaped
_UNSAFE = re.compile("[\ud800-\udfff\ufffe\uffff]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Provenance:
    render_id: str
    parent_id: str | None
    created_at: datetime  # UTC
    engine: str
    model: str | None
    model_revision: str | None
    seed: int
    schema_version: str
    image_index: int
    manifest: dict[str, Any]

    @classmethod
    def of(cls, record: RenderRecord, index: int) -> Provenance:
        created = record.created_at
        if created.tzinfo is None:  # stores only ever hold UTC
            created = created.replace(tzinfo=UTC)
        return cls(record.id, record.parent_id, created.astimezone(UTC), record.engine,
                   record.model, record.model_revision, int(record.seed),
                   str(record.manifest.get("schema_version", record.schema_version)),
                   index, record.manifest)

    @property
    def short_description(self) -> str:
        text = (self.manifest.get("fibo") or {}).get("short_description") or ""
        return xml_text(str(text))

    def created_iso(self) -> str:
        """ISO 8601 with the zone, as XMP dates want (``2024-05-01T12:00:00.123456+00:00``)."""
        return self.created_at.isoformat()

    def created_exif(self) -> str:
        """EXIF/TIFF DateTime (``YYYY:MM:DD HH:MM:SS``, here in UTC)."""
        return self.created_at.strftime("%Y:%m:%d %H:%M:%S")

    def fields(self) -> dict[str, str]:
        """Every field as text, by its name in the StudioFlow XMP namespace (absent
        values left out). Seeds are text: EXR's integers are 32-bit and XMP is text."""
        values = {"renderId": self.render_id, "parentId": self.parent_id,
                  "createdAt": self.created_iso(), "engine": self.engine, "model": self.model,
                  "modelRevision": self.model_revision, "seed": str(self.seed),
                  "schemaVersion": self.schema_version, "imageIndex": str(self.image_index),
                  "manifest": self.manifest_json()}
        return {k: xml_text(v) for k, v in values.items() if v is not None}

    def manifest_json(self) -> str:
        return safe_json(self.manifest)

    def record(self) -> dict[str, Any]:
        """The JSON record of the ``studioflow`` PNG chunk (also TIFF's ImageDescription),
        without its ``format`` key, which ``encode_png`` adds."""
        return {"render_id": self.render_id,
                "parent_id": self.parent_id, "created_at": self.created_iso(),
                "engine": self.engine, "model": self.model,
                "model_revision": self.model_revision, "seed": self.seed,
                "schema_version": self.schema_version, "manifest": self.manifest,
                "image_index": self.image_index}


def safe_json(value: Any, ascii_only: bool = False) -> str:
    """Compact JSON that survives UTF-8 and XML: the few characters they cannot carry are
    written as JSON ``\\uXXXX`` escapes, so ``json.loads`` gives back the exact value."""
    text = json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_text(text: str) -> str:
    """Free text (not JSON) with the characters XML 1.0 cannot hold removed."""
    return _XML_INVALID.sub("", text)
