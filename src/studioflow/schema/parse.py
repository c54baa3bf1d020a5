"""Reading JSON text with errors that point at a line and column."""

from __future__ import annotations

import json
from typing import Any

from studioflow.errors import ErrorDetail, InputError, JSONSyntaxError, ManifestError

MAX_MANIFEST_BYTES = 1_000_000


def decode_text(data: bytes | str, source: str = "input") -> str:
    """UTF-8 text from bytes (a BOM is allowed); bad bytes are reported by offset."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not valid UTF-8 text",
            [ErrorDetail(f"byte {exc.start}", f"cannot decode {data[exc.start:exc.start + 1]!r}")],
        ) from None


def parse_json(data: bytes | str, source: str = "input") -> Any:
    """Parse JSON; broken JSON raises ``JSONSyntaxError`` naming line and column."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise InputError(f"{source} is larger than {MAX_MANIFEST_BYTES} bytes")
    text = decode_text(data, source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONSyntaxError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            [ErrorDetail(f"line {exc.lineno}, column {exc.colno}", exc.msg)],
            line=exc.lineno,
            column=exc.colno,
        ) from None


def parse_manifest_text(data: bytes | str, source: str = "manifest") -> dict[str, Any]:
    """Parse a manifest document: it must be a JSON object."""
    value = parse_json(data, source)
    if not isinstance(value, dict):
        raise ManifestError(
            f"{source} must be a JSON object",
            [ErrorDetail("$", f"expected an object, got {type(value).__name__}")],
        )
    return value
