"""Render and job ids: 26-character, time-sortable (ULID layout, Crockford base32)."""

from __future__ import annotations

import os
import re
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ID_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
PREFIX_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4,26}$")


def new_id() -> str:
    """48 bits of milliseconds then 80 random bits: ids sort by creation time."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def normalize_id(text: str) -> str | None:
    """Upper-cased id or id prefix when it looks like one; ``None`` otherwise.

    Ids reach file paths and SQL LIKE patterns, so anything outside the alphabet is refused.
    """
    candidate = text.strip().upper()
    return candidate if PREFIX_PATTERN.match(candidate) else None
