"""The XMP packet of an export: standard Dublin Core / XMP / IPTC fields plus every
provenance field in StudioFlow's own namespace (``studioflow:manifest`` holds the
manifest as JSON). Exiftool, Adobe tools and Pillow's ``getxmp()`` read it."""

from __future__ import annotations

from xml.sax.saxutils import escape

from studioflow.export.provenance import CREATOR_TOOL, DIGITAL_SOURCE_TYPE, Provenance

NAMESPACE = "https://studioflow.dev/ns/1.0/"
PREFIX = "studioflow"
NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    PREFIX: NAMESPACE,
}
# the packet wrapper: the id is fixed by the XMP specification
_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
_END = '<?xpacket end="w"?>'


def _text(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _element(name: str, value: str) -> str:
    return f"   <{name}>{_text(value)}</{name}>"


def build_xmp(prov: Provenance, media_type: str) -> str:
    """The XMP packet (text; encode it as UTF-8)."""
    declarations = " ".join(f'xmlns:{p}="{_text(uri)}"' for p, uri in NAMESPACES.items()
                            if p not in ("x", "rdf"))
    lines = [
        _BEGIN,
        f'<x:xmpmeta xmlns:x="{NAMESPACES["x"]}" x:xmptk="{_text(CREATOR_TOOL)}">',
        f' <rdf:RDF xmlns:rdf="{NAMESPACES["rdf"]}">',
        f'  <rdf:Description rdf:about="" {declarations}>',
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        f"{_text(prov.short_description)}</rdf:li></rdf:Alt></dc:description>",
        _element("dc:format", media_type),
        _element("xmp:CreatorTool", CREATOR_TOOL),
        _element("xmp:CreateDate", prov.created_iso()),
        _element("Iptc4xmpExt:DigitalSourceType", DIGITAL_SOURCE_TYPE),
        *(_element(f"{PREFIX}:{name}", value) for name, value in prov.fields().items()),
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
        _END,
    ]
    return "\n".join(lines)
