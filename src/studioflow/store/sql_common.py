"""Small helpers every SQL store shares: UTC timestamps and compact JSON columns."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite drops the time zone of stored timestamps; we only ever store UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def dump_json(value: Any) -> str:
    """Compact JSON for text columns (kept as written, so it reads back byte-identical)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
