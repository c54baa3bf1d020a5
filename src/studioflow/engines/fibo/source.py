"""Where FIBO's weights are: a local folder or the Hugging Face cache, never the network
unless downloads are explicitly allowed. Cheap: no torch import, no weight reads beyond a
few sampled chunks for a folder's revision."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

from studioflow.errors import ConfigError, ErrorDetail

_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_WEIGHT_SUFFIXES = {".json", ".safetensors", ".bin", ".txt", ".model", ".pt", ".pth",
                    ".ckpt", ".gguf", ".jinja"}
_SMALL = 1 << 20  # files up to this size are hashed whole
_SAMPLES, _SAMPLE = 8, 1 << 16  # larger ones: their header plus 8 evenly spread 64 KiB chunks


@dataclass(frozen=True)
class ModelSource:
    name: str  # as the user gave it: a path or a Hugging Face id
    path: Path | None  # the folder to load; None when it must be downloaded first
    revision: str | None  # Hugging Face commit hash; folders get theirs at load time
    downloadable: bool = False


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _looks_like_path(model: str) -> bool:
    return (os.path.isabs(model) or model.startswith(("./", "../", "~", ".\\"))
            or "\\" in model or not _HF_ID.match(model))


def locate(model: str, allow_download: bool = False) -> ModelSource:
    """Find ``model`` locally; ``ConfigError`` saying what to do when it is not there."""
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "model_index.json").is_file():
            raise _missing(model, f"{folder} has no model_index.json: point at the folder of a "
                                  "diffusers BriaFiboPipeline (the one holding model_index.json)")
        return ModelSource(model, folder.resolve(), None)
    if _looks_like_path(model):
        raise _missing(model, f"folder {folder} does not exist")
    snapshot = _cached_snapshot(model)
    if snapshot is not None:
        return ModelSource(model, snapshot, snapshot.name if _COMMIT.match(snapshot.name)
                           else None)
    if allow_download and not offline():
        return ModelSource(model, None, None, downloadable=True)
    why = (f"{model} is not in the local Hugging Face cache; download it once with "
           f"`hf download {model}` (accept the licence on its model page first), "
           "or set STUDIOFLOW_FIBO_MODEL / --model to a local folder")
    if allow_download:
        why += "; downloads are off because HF_HUB_OFFLINE is set"
    raise _missing(model, why)


def _missing(model: str, why: str) -> ConfigError:
    return ConfigError(f"FIBO weights not found: {model}",
                       [ErrorDetail("$.render.model", why)])


def _cached_snapshot(repo_id: str) -> Path | None:
    if importlib.util.find_spec("huggingface_hub") is None:
        return None
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, "model_index.json", cache_dir=hub_cache_dir())
    return Path(found).parent if isinstance(found, str) else None


def hub_cache_dir() -> str | None:
    """The Hugging Face cache folder as the environment says now (None: the library's)."""
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    if os.environ.get("HF_HOME"):
        return os.path.join(os.environ["HF_HOME"], "hub")
    return None


def download(model: str) -> ModelSource:
    """Fetch ``model`` from the Hugging Face Hub (only when the user allowed downloads)."""
    from huggingface_hub import snapshot_download

    path = Path(snapshot_download(model, cache_dir=hub_cache_dir()))
    return ModelSource(model, path, path.name if _COMMIT.match(path.name) else None)


def folder_revision(folder: Path) -> str:
    """A stable fingerprint of a model folder's files: names, sizes, small files whole and
    sampled chunks of large ones (weights differing anywhere in a sample change it). Reads a
    few megabytes, not the gigabytes of weights, so it is computed on every load."""
    h = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*")
                   if p.is_file() and p.suffix in _WEIGHT_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    for path in files:
        size = path.stat().st_size
        h.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode())
        with path.open("rb") as f:
            if size <= _SMALL:
                h.update(f.read())
                continue
            if path.suffix == ".safetensors":  # the header names every tensor, dtype, shape
                length = int.from_bytes(f.read(8), "little")
                h.update(f.read(min(length, 1 << 24)))
            for i in range(_SAMPLES):
                f.seek((size - _SAMPLE) * i // (_SAMPLES - 1))
                h.update(f.read(_SAMPLE))
    return "sha256:" + h.hexdigest()[:16]
