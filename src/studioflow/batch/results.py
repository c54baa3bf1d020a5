"""A batch's results: one line per item and per rejected row, as CSV and JSON, and a ZIP
of the images named after their SKUs.

File names are safe (``safety.safe_filename``) and unique ignoring case; they are given to
every item in CSV order whether it is rendered yet or not, so a name never changes when a
resumed batch renders more items. Every CSV cell is neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from studioflow.batch.safety import UniqueNames, check_zip_entry, neutralise_row, safe_filename
from studioflow.batch.store import DONE, Batch, BatchStore
from studioflow.store.tables import ImageRow

RESULT_FIELDS = ("row", "sku", "variant", "status", "render_id", "seed", "file", "image",
                 "error")
INVALID = "invalid"  # a row rejected before rendering
_CHUNK = 500

# (render id, file-store key) -> what the results show: a local path or a URL
ImageRef = Callable[[str, str], str]


@dataclass
class ResultLine:
    row: int
    sku: str | None
    variant: int | None
    status: str
    render_id: str | None = None
    seed: int | None = None
    file: str | None = None  # the image's name in the ZIP
    image: str | None = None  # path or URL of the stored image
    error: str | None = None
    key: str | None = None  # file-store key (internal)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("key")
        return d


def image_keys(store: BatchStore, render_ids: list[str]) -> dict[str, str]:
    """The first image's file-store key of each render, in a few queries."""
    images = ImageRow.__table__
    keys: dict[str, str] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(render_ids), _CHUNK):
            chunk = render_ids[start:start + _CHUNK]
            rows = conn.execute(select(images.c.render_id, images.c.key).where(
                images.c.render_id.in_(chunk), images.c.idx == 0)).all()
            keys.update({r.render_id: r.key for r in rows})
    return keys


def result_lines(store: BatchStore, batch: Batch, image_ref: ImageRef) -> list[ResultLine]:
    items = store.items(batch.id)
    keys = image_keys(store, [i.render_id for i in items if i.render_id and i.status == DONE])
    names = UniqueNames()
    lines = []
    for item in items:
        name = names.claim(safe_filename(item.sku) + (f"-v{item.variant}" if item.variant
                                                      else ""), ".png")
        line = ResultLine(item.row, item.sku, item.variant, item.status, item.render_id,
                          item.seed, error=(item.error or {}).get("message"))
        key = keys.get(item.render_id or "")
        if item.status == DONE and key:
            line.file, line.key, line.image = name, key, image_ref(item.render_id or "", key)
        lines.append(line)
    rejected: dict[int, list[str]] = {}
    skus: dict[int, str | None] = {}
    for issue in batch.issues:
        if issue.level == "error" and issue.row > 1:
            rejected.setdefault(issue.row, []).append(
                f"{issue.column}: {issue.message}" if issue.column else issue.message)
            skus[issue.row] = skus.get(issue.row) or issue.sku
    lines += [ResultLine(row, skus[row], None, INVALID, error="; ".join(messages))
              for row, messages in rejected.items()]
    lines.sort(key=lambda line: (line.row, line.variant or 0))
    return lines


def results_csv(lines: list[ResultLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RESULT_FIELDS)
    for line in lines:
        d = line.as_dict()
        writer.writerow(neutralise_row("" if d[f] is None else d[f] for f in RESULT_FIELDS))
    return out.getvalue()


def summary(batch: Batch, counts: dict[str, int], lines: list[ResultLine]) -> dict[str, Any]:
    """The batch in numbers with its errors: what ``--json`` and results.json hold."""
    errors = [i.as_dict() for i in batch.issues if i.level == "error"]
    errors += [{"row": line.row, "column": None,
                "message": f"variant {line.variant}: {line.error}"}
               for line in lines if line.status == "failed"]
    errors.sort(key=lambda e: e["row"])
    rejected = len({line.row for line in lines if line.status == INVALID})
    return {"batch_id": batch.id, "status": batch.status, "rendered": counts.get(DONE, 0),
            "failed": counts.get("failed", 0) + rejected, "rejected_rows": rejected,
            "counts": counts, "errors": errors,
            "warnings": [i.as_dict() for i in batch.issues if i.level == "warning"],
            "results": [line.as_dict() for line in lines]}


def _entries(files: Callable[[str], bytes], lines: list[ResultLine],
             csv_text: str) -> Iterator[tuple[zipfile.ZipInfo, bytes, int]]:
    stamp = time.localtime()[:6]
    for line in lines:
        if line.file and line.key:
            info = zipfile.ZipInfo(f"images/{check_zip_entry(line.file)}", stamp)
            yield info, files(line.key), zipfile.ZIP_STORED  # PNGs are compressed already
    yield zipfile.ZipInfo("results.csv", stamp), csv_text.encode("utf-8"), zipfile.ZIP_DEFLATED


def write_zip(target: Path | IO[bytes], files: Callable[[str], bytes],
              lines: list[ResultLine]) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for info, data, method in _entries(files, lines, results_csv(lines)):
            info.compress_type = method
            archive.writestr(info, data)


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are handed out as they come (no seeking, so
    ``zipfile`` writes data descriptors and the archive can be streamed)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_zip(files: Callable[[str], bytes], lines: list[ResultLine]) -> Iterator[bytes]:
    """The ZIP as chunks, one image at a time (the archive is never all in memory)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for info, data, method in _entries(files, lines, results_csv(lines)):
            info.compress_type = method
            archive.writestr(info, data)
            yield sink.take()
    yield sink.take()
