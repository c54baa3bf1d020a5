"""The one schema: ``fibo_schema.json`` describes the whole manifest.

Validation, defaults, FIBO field order, the API's ``/v1/schema`` and the web editor's
types all come from this file; nothing restates it by hand.
"""

from studioflow.schema.loader import SCHEMA_PATH, SCHEMA_VERSION, load_schema, subschema
from studioflow.schema.manifest import (
    default_for,
    field_order,
    get_path,
    ordered,
    resolve_size,
    set_path,
)
from studioflow.schema.migrate import upgrade
from studioflow.schema.parse import parse_json, parse_manifest_text
from studioflow.schema.validate import check_manifest, validate_manifest

__all__ = [
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "check_manifest",
    "default_for",
    "field_order",
    "get_path",
    "load_schema",
    "ordered",
    "parse_json",
    "parse_manifest_text",
    "resolve_size",
    "set_path",
    "subschema",
    "upgrade",
    "validate_manifest",
]
