"""What a batch row starts from, looked up once per file: templates, reference images,
manifest cells and files, and translations of its prompts.

Translations are cached by prompt and starting point (a catalogue repeats the same product
phrases); many distinct prompts are translated in worker processes (CLI only: forking a
threaded server is unsafe). Files come only from allowed folders (``safety``).
"""

from __future__ import annotations

import copy
import json
import logging
import multiprocessing
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from studioflow.batch.presets import Preset, apply_preset
from studioflow.batch.safety import fetch_url, read_limited, resolve_inside
from studioflow.batch.templates import Template, TemplateStore
from studioflow.core.controls import apply_controls
from studioflow.core.prompts import clean_text
from studioflow.errors import ErrorDetail, InputError, StudioFlowError
from studioflow.export.safe_image import checked_size
from studioflow.schema import check_manifest, parse_manifest_text, upgrade
from studioflow.schema.parse import MAX_MANIFEST_BYTES
from studioflow.store.sql_common import dump_json

log = logging.getLogger("studioflow.batch")

_URL = re.compile(r"^https?://", re.IGNORECASE)
PARALLEL_MIN = 400  # distinct prompts before worker processes pay for their start
PARALLEL_CHUNK = 100


dump = dump_json  # the manifest text that identifies a translation in the cache


def _translate_chunk(plugin: Any, base: dict[str, Any] | None,
                     texts: list[str]) -> list[str | None]:
    """Run in a worker process: translations as JSON (``None`` where one failed)."""
    out: list[str | None] = []
    for text in texts:
        try:
            out.append(dump(plugin.translate(text, copy.deepcopy(base) if base else None)))
        except Exception:  # noqa: BLE001 - the row is translated again in the main process
            out.append(None)
    return out


def _remembered(cache: dict[str, Any], key: str, load: Callable[[], Any]) -> Any:
    """``load()`` once per key, its error included."""
    if key not in cache:
        try:
            cache[key] = load()
        except StudioFlowError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, StudioFlowError):
        raise found
    return found


class RowSources:
    def __init__(self, studio: Any, templates: TemplateStore, translator: str,
                 base_dir: Path | None = None, fetch: Any = fetch_url,
                 workers: int = 1) -> None:
        self.studio, self.settings = studio, studio.settings
        self.templates, self.translator = templates, translator
        self.base_dir = base_dir  # the CSV's folder (CLI): manifest files may be there
        self.fetch, self.workers = fetch, workers
        self.translations: dict[tuple[str, str | None], str | StudioFlowError] = {}
        self._templates: dict[str, Template | StudioFlowError] = {}
        self._references: dict[str, Any] = {}
        self._bases: dict[str, dict[str, Any]] = {}

    # starting points ------------------------------------------------------------------------
    def template(self, name: str) -> Template:
        return _remembered(self._templates, name.strip().casefold(),
                           lambda: self.templates.get(name))

    def reference(self, value: str) -> dict[str, Any]:
        return _remembered(self._references, value, lambda: self._load_reference(value))

    def with_preset(self, start: dict[str, Any] | None, key: str | None,
                    preset: Preset | None) -> tuple[dict[str, Any] | None, str | None]:
        """``start`` with the preset's rules applied and compiled, and its cache key."""
        if start is None or preset is None:
            return start, key
        full_key = f"{key}|preset:{preset.name}"
        if full_key not in self._bases:
            based = copy.deepcopy(start)
            apply_preset(based, preset)
            self._bases[full_key] = apply_controls(based)  # its text matches its controls
        return self._bases[full_key], full_key

    # the row's own manifest -------------------------------------------------------------------
    def manifest(self, value: str) -> dict[str, Any]:
        """A ``manifest`` cell: JSON, or the path of a file in an allowed folder."""
        if value.lstrip().startswith("{"):
            data, source = value.encode("utf-8"), "manifest cell"
        else:
            path = self.local_file(value, "manifest", allow_csv_folder=True)
            data, source = read_limited(path, MAX_MANIFEST_BYTES, "manifest"), \
                f"manifest {value}"
        return copy.deepcopy(upgrade(parse_manifest_text(data, source)))

    def translate(self, prompt: str, base: dict[str, Any] | None,
                  base_key: str | None) -> dict[str, Any]:
        text = clean_text(prompt, self.settings.max_prompt_chars, "prompt")
        key = (text, base_key)
        cached = self.translations.get(key)
        if cached is None:
            try:
                plugin = self.studio.translators.require(self.translator)
                cached = dump(plugin.translate(text, copy.deepcopy(base) if base else None))
            except StudioFlowError as exc:
                cached = exc
            self.translations[key] = cached
        if isinstance(cached, StudioFlowError):
            raise cached
        return json.loads(cached)  # a fresh copy for this row (faster than deepcopy)

    def prefetch(self, wanted: Iterable[tuple[str, dict[str, Any] | None, str | None]]) -> None:
        """Translate many distinct ``(prompt, base, base_key)`` in worker processes; what
        fails here is translated again one by one, so its errors read as usual."""
        groups: dict[str | None, tuple[dict[str, Any] | None, list[str]]] = {}
        seen: set[tuple[str, str | None]] = set()
        for prompt, base, key in wanted:
            try:
                text = clean_text(prompt, self.settings.max_prompt_chars, "prompt")
            except StudioFlowError:
                continue
            if (text, key) not in self.translations and (text, key) not in seen:
                seen.add((text, key))
                groups.setdefault(key, (base, []))[1].append(text)
        if self.workers <= 1 or len(seen) < PARALLEL_MIN:
            return
        plugin = self.studio.translators.require(self.translator)
        jobs = [(key, base, texts[i:i + PARALLEL_CHUNK])
                for key, (base, texts) in groups.items()
                for i in range(0, len(texts), PARALLEL_CHUNK)]
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(self.workers, mp_context=context) as pool:
                futures = [pool.submit(_translate_chunk, plugin, base, texts)
                           for _, base, texts in jobs]
                for (key, _, texts), future in zip(jobs, futures, strict=True):
                    for text, dumped in zip(texts, future.result(), strict=True):
                        if dumped is not None:
                            self.translations[(text, key)] = dumped
        except Exception:  # noqa: BLE001 - no fork here, or a plugin that cannot be pickled
            log.info("translating in one process", exc_info=True)

    # files ------------------------------------------------------------------------------------
    def _load_reference(self, value: str) -> dict[str, Any]:
        """The manifest inside a StudioFlow PNG, from the allowed folder or a public URL."""
        limit = self.settings.batch_max_image_bytes
        if _URL.match(value):
            if not self.settings.batch_allow_urls:
                raise InputError("image URLs are turned off",
                                 [ErrorDetail("reference_image", "set STUDIOFLOW_BATCH_ALLOW_URLS"
                                                                 "=1 to allow public URLs")])
            data = self.fetch(value, limit)
        else:
            data = read_limited(self.local_file(value, "reference_image"), limit,
                                "reference_image")
        # only PNGs carry a manifest; the header's size is checked before any decoding
        checked_size(data, self.settings.max_image_pixels, "reference_image", ("PNG",))
        return check_manifest(self.studio.manifest_from_image(data, "reference_image"),
                              source="reference image manifest")

    def local_file(self, value: str, what: str, allow_csv_folder: bool = False) -> Path:
        folders = [self.settings.batch_reference_dir]
        if allow_csv_folder:
            folders.insert(0, self.base_dir)
        folders = [f for f in folders if f is not None]
        if not folders:
            raise InputError(f"{what} files are not allowed here",
                             [ErrorDetail(what, "set STUDIOFLOW_BATCH_REFERENCE_DIR to the folder"
                                                " they may come from")])
        last: StudioFlowError | None = None
        for folder in folders:
            try:
                return resolve_inside(Path(folder), value, what)
            except StudioFlowError as exc:
                last = exc
        assert last is not None
        raise last
