"""The Studio: the one core that the CLI, the HTTP API and the queue workers call."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from studioflow.core.config import Settings
from studioflow.core.controls import apply_controls
from studioflow.core.diff import Change, diff_manifests
from studioflow.core.limits import check_render_size
from studioflow.core.orchestrator import RenderOverrides, build_request, prepare
from studioflow.core.prompts import clean_text
from studioflow.engines import CancelToken, EngineRegistry, ProgressCallback, RenderResult
from studioflow.errors import (
    ConfigError,
    EngineError,
    ErrorDetail,
    NotFoundError,
    StudioFlowError,
)
from studioflow.export.png import encode_png, read_metadata
from studioflow.export.safe_image import checked_size
from studioflow.schema import check_manifest, upgrade, validate_manifest
from studioflow.store.files_base import FileStore
from studioflow.store.ids import new_id
from studioflow.store.records_base import ImageRef, Page, RenderRecord, RenderStore
from studioflow.translate import TranslatorRegistry


@dataclass
class Origin:
    """Where a render came from, stored with it."""

    prompt: str | None = None
    instruction: str | None = None
    translator: str | None = None
    parent_id: str | None = None
    job_id: str | None = None  # the queue job rendering this, if any
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LineageNode:
    record: RenderRecord
    children: list[LineageNode]

    def as_dict(self) -> dict[str, Any]:
        r = self.record
        return {"id": r.id, "parent_id": r.parent_id, "created_at": r.created_at.isoformat(),
                "instruction": r.instruction, "prompt": r.prompt, "engine": r.engine,
                "seed": r.seed, "children": [c.as_dict() for c in self.children]}


def pixels_digest(pixels: np.ndarray) -> str:
    """sha256 over shape, dtype and pixel bytes: equal digests mean identical images."""
    h = hashlib.sha256(f"{pixels.shape}{pixels.dtype.str}".encode())
    h.update(np.ascontiguousarray(pixels).tobytes())
    return h.hexdigest()


class Studio:
    def __init__(self, settings: Settings, records: RenderStore, files: FileStore,
                 engines: EngineRegistry, translators: TranslatorRegistry) -> None:
        self.settings = settings
        self.records = records
        self.files = files
        self.engines = engines
        self.translators = translators

    # text -> manifest ------------------------------------------------------------------
    def translate(self, prompt: str | bytes, base: dict[str, Any] | None = None,
                  translator: str | None = None) -> dict[str, Any]:
        text = clean_text(prompt, self.settings.max_prompt_chars, "prompt")
        if base is not None:
            base = check_manifest(upgrade(base), source="base manifest")
        plugin = self.translators.require(translator or self.settings.translator)
        return plugin.translate(text, base)

    def translated_by(self, name: str) -> tuple[str, dict[str, Any]]:
        """The translator to record for the last translation in this thread, and its report.

        A translator may expose ``last_translation_info`` (the LLM translators do): when it
        fell back to another translator its ``label`` says so ("openai->rules
        (fallback)"), and the report, with the reason, is stored with the render under
        ``translation``."""
        info = getattr(self.translators.get(name), "last_translation_info", None)
        if not isinstance(info, dict):
            return name, {}
        return str(info.get("label") or name)[:40], {"translation": info}

    def validate(self, manifest: Any) -> list[ErrorDetail]:
        """Every problem with a manifest (older versions are upgraded first)."""
        if isinstance(manifest, dict):
            try:
                manifest = upgrade(manifest)
            except StudioFlowError as exc:
                return exc.details
        return validate_manifest(manifest, self.engines.capabilities)

    def compile(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """The manifest with its controls compiled into FIBO's text fields."""
        manifest = check_manifest(upgrade(manifest))
        return apply_controls(manifest)

    # rendering ---------------------------------------------------------------------------
    def prepare(self, manifest: dict[str, Any],
                overrides: RenderOverrides = RenderOverrides()) -> dict[str, Any]:
        final = prepare(manifest, self.engines, overrides, self.settings.engine)
        check_render_size(self.settings, final)  # this installation's limits, over the engine's
        return final

    def render(self, manifest: dict[str, Any], overrides: RenderOverrides = RenderOverrides(),
               origin: Origin | None = None, on_progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> RenderRecord:
        """Render a manifest and store the images and the record, atomically."""
        origin = origin or Origin()
        final = self.prepare(manifest, overrides)
        engine_name = final["render"]["engine"]
        engine = self.engines.require(engine_name)
        status = engine.status()
        # status() judges the engine's default model; a render that names its own model
        # goes ahead once the engine is installed, and the engine reports missing weights
        if not status.available and not (status.installed and final["render"].get("model")):
            raise ConfigError(f"engine {engine_name!r} is not available: {status.reason}",
                              [ErrorDetail("$.render.engine", status.reason or "unavailable")])
        request = build_request(final, cancel)
        started = time.perf_counter()
        try:
            result = engine.render(request, on_progress)
        except StudioFlowError:
            raise
        except Exception as exc:  # an engine bug must not look like the user's mistake
            raise EngineError(f"engine {engine_name!r} failed: {exc}") from exc
        duration_ms = (time.perf_counter() - started) * 1000.0
        return self._store(final, request.width, request.height, result, duration_ms, origin)

    def _store(self, manifest: dict[str, Any], width: int, height: int, result: RenderResult,
               duration_ms: float, origin: Origin) -> RenderRecord:
        render_id = new_id()
        created = datetime.now(UTC)
        render = manifest["render"]
        common = {
            "render_id": render_id, "parent_id": origin.parent_id,
            "created_at": created.isoformat(), "engine": render["engine"],
            "model": result.model, "model_revision": result.model_revision,
            "seed": render["seed"], "schema_version": manifest["schema_version"],
            "manifest": manifest,
        }
        keys = [f"renders/{created:%Y/%m/%d}/{render_id}-{i}.png"
                for i in range(len(result.images))]
        self.records.reserve_files(render_id, keys)
        images: list[ImageRef] = []
        try:
            for index, (key, pixels) in enumerate(zip(keys, result.images, strict=True)):
                data = encode_png(pixels, {**common, "image_index": index})
                self.files.put(key, data)
                images.append(ImageRef(index, key, int(pixels.shape[1]), int(pixels.shape[0]),
                                       16 if pixels.dtype != np.uint8 else 8,
                                       pixels_digest(pixels), len(data)))
            record = RenderRecord(
                id=render_id, created_at=created, manifest=manifest,
                schema_version=manifest["schema_version"], engine=render["engine"],
                seed=render["seed"], width=width, height=height, duration_ms=duration_ms,
                images=images, parent_id=origin.parent_id, model=result.model,
                model_revision=result.model_revision,
                engine_meta={**result.metadata, **origin.meta,
                             "steps": result.steps, "guidance_scale": result.guidance_scale},
                prompt=origin.prompt, instruction=origin.instruction,
                translator=origin.translator, sku=(manifest.get("product") or {}).get("sku"),
                job_id=origin.job_id,
            )
            self.records.add(record)
        except BaseException:
            for key in keys:  # no record -> no files; a half render never shows
                self.files.delete(key)
            self.records.release_files(keys)
            raise
        return record

    def recover(self, older_than_s: float = 600.0) -> int:
        """Delete files of renders that a killed process never committed; returns how many."""
        removed = 0
        for _render_id, key, committed in self.records.stale_files(older_than_s):
            if not committed:
                self.files.delete(key)
                removed += 1
            self.records.release_files([key])
        sweep = getattr(self.files, "sweep_partial", None)
        if sweep is not None:
            sweep(older_than_s)
        return removed

    def render_prompt(self, prompt: str | bytes, overrides: RenderOverrides = RenderOverrides(),
                      translator: str | None = None, base: dict[str, Any] | None = None,
                      **kwargs: Any) -> RenderRecord:
        name = translator or self.settings.translator
        text = clean_text(prompt, self.settings.max_prompt_chars)
        manifest = self.translate(text, base=base, translator=name)
        label, meta = self.translated_by(name)
        return self.render(manifest, overrides,
                           Origin(prompt=text, translator=label, meta=meta), **kwargs)

    def refine(self, render_id: str, instruction: str | bytes, seed: int | None = None,
               translator: str | None = None, job_id: str | None = None,
               **kwargs: Any) -> RenderRecord:
        """A new render whose parent is ``render_id``; same seed unless one is given."""
        parent = self.get(render_id)
        text = clean_text(instruction, self.settings.max_prompt_chars, "instruction")
        name = translator or self.settings.translator
        manifest = self.translators.require(name).refine(parent.manifest, text)
        overrides = RenderOverrides(seed=seed if seed is not None else parent.seed)
        label, meta = self.translated_by(name)
        origin = Origin(instruction=text, translator=label, parent_id=parent.id, job_id=job_id,
                        meta=meta)
        return self.render(manifest, overrides, origin, **kwargs)

    def rerender(self, render_id: str, job_id: str | None = None,
                 **kwargs: Any) -> RenderRecord:
        """Reproduce a render exactly: same manifest, seed and engine."""
        source = self.get(render_id)
        origin = Origin(parent_id=source.id, meta={"reproduces": source.id}, job_id=job_id)
        return self.render(source.manifest, RenderOverrides(), origin, **kwargs)

    def manifest_from_image(self, data: bytes, source: str = "image") -> dict[str, Any]:
        """The manifest embedded in a StudioFlow PNG (upgraded and validated)."""
        checked_size(data, self.settings.max_image_pixels, source, None)  # decode no bomb
        meta = read_metadata(data, source)
        return check_manifest(upgrade(meta["manifest"]), source=f"manifest in {source}")

    # history -----------------------------------------------------------------------------
    def get(self, render_id: str) -> RenderRecord:
        return self.records.get(self.records.resolve(render_id))

    def history(self, *, sku: str | None = None, q: str | None = None, limit: int = 20,
                cursor: str | None = None) -> Page:
        return self.records.list(sku=sku, q=q, limit=limit, cursor=cursor)

    def diff(self, a: str, b: str) -> list[Change]:
        return diff_manifests(self.get(a).manifest, self.get(b).manifest)

    def lineage(self, render_id: str) -> LineageNode:
        """The whole family tree of a render, from its root."""
        record = self.get(render_id)
        ancestors = self.records.ancestors(record.id)
        root = ancestors[-1] if ancestors else record
        return self._subtree(root, depth=0)

    def _subtree(self, record: RenderRecord, depth: int) -> LineageNode:
        if depth > 200:
            return LineageNode(record, [])
        return LineageNode(record, [self._subtree(c, depth + 1)
                                    for c in self.records.children(record.id)])

    def image_bytes(self, render_id: str, index: int = 0) -> bytes:
        record = self.get(render_id)
        return self.files.get(self._image(record, index).key)

    @staticmethod
    def _image(record: RenderRecord, index: int) -> ImageRef:
        for image in record.images:
            if image.index == index:
                return image
        raise NotFoundError(f"render {record.id} has no image {index}",
                            [ErrorDetail("index", f"expected 0-{len(record.images) - 1}")])
