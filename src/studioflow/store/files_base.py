"""The file store protocol: image bytes by key (local folder, S3 ...)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from studioflow.errors import ErrorDetail, InputError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def check_key(key: str) -> str:
    """Keys become paths and URLs: plain segments only, no '..', no leading '/'."""
    if not _KEY.match(key) or ".." in key.split("/") or len(key) > 500:
        raise InputError(f"invalid file key {key!r}", [ErrorDetail("key", "unsafe file key")])
    return key


class FileStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str = "image/png") -> None:
        """Write atomically: readers see the whole file or nothing."""

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def local_path(self, key: str) -> Path | None:
        """A path on this machine, when the store has one."""

    def url(self, key: str, expires: int = 3600) -> str: ...
