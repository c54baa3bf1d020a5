"""Files in a local folder, written atomically (temporary file, fsync, rename)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from studioflow.errors import ErrorDetail, NotFoundError
from studioflow.store.files_base import check_key

_TMP = ".tmp"


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        (self.root / _TMP).mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "image/png") -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root / _TMP, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"file {key!r} is missing from the store",
                                [ErrorDetail("key", key)]) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def url(self, key: str, expires: int = 3600) -> str:
        return self._path(key).resolve().as_uri()

    def sweep_partial(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files left by killed writers; returns how many."""
        cutoff = time.time() - older_than_s
        removed = 0
        for tmp in (self.root / _TMP).glob("*.part"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed
