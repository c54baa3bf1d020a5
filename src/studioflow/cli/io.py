"""Reading inputs and writing outputs for commands."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from studioflow.core.studio import Studio
from studioflow.errors import ErrorDetail, InputError
from studioflow.schema import parse_manifest_text
from studioflow.store.records_base import RenderRecord


def read_bytes(path: str, what: str = "file") -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} {path!r} does not exist",
                         [ErrorDetail(path, "not found")]) from None
    except IsADirectoryError:
        raise InputError(f"{what} {path!r} is a folder",
                         [ErrorDetail(path, "expected a file")]) from None
    except PermissionError:
        raise InputError(f"{what} {path!r} is not readable",
                         [ErrorDetail(path, "permission denied")]) from None


def read_manifest(path: str) -> dict[str, Any]:
    source = "standard input" if path == "-" else path
    return parse_manifest_text(read_bytes(path, "manifest"), source)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def image_paths(studio: Studio, record: RenderRecord, out: str | None) -> list[str]:
    """Where the images are for the user: copies in ``out`` when given, else the store."""
    paths = []
    for image in record.images:
        local = studio.files.local_path(image.key)
        if out:
            target = Path(out) / f"{record.id}-{image.index}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            if local is not None:
                shutil.copyfile(local, target)
            else:
                target.write_bytes(studio.files.get(image.key))
            paths.append(str(target))
        else:
            paths.append(str(local) if local is not None else studio.files.url(image.key))
    return paths


def record_json(record: RenderRecord, paths: list[str]) -> dict[str, Any]:
    d = record.as_dict()
    d["image_path"] = paths[0] if paths else None
    d["image_paths"] = paths
    return d
