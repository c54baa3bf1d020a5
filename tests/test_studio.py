"""The Studio core: render, refine, rerender, from-image, atomic storage, lineage, diff."""

from __future__ import annotations

import numpy as np
import pytest

from manifests import manifest_with_controls, minimal_manifest
from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.studio import Origin, pixels_digest
from studioflow.engines import Capabilities, EngineStatus, RenderResult
from studioflow.errors import ConfigError, EngineError, InputError, ManifestError, NotFoundError
from studioflow.export.png import decode_png, read_metadata


def stored_files(studio) -> list:
    root = studio.files.root
    return sorted(p for p in root.rglob("*") if p.is_file() and ".tmp" not in p.parts)


def test_render_stores_record_image_and_embedded_provenance(studio):
    record = studio.render(manifest_with_controls(seed=42), origin=Origin(prompt="p"))
    assert record.seed == 42 and record.engine == "preview"
    assert (record.width, record.height) == (256, 256)
    data = studio.image_bytes(record.id)
    meta = read_metadata(data)
    assert meta["render_id"] == record.id and meta["seed"] == 42
    assert meta["manifest"] == record.manifest
    assert meta["model_revision"] == record.model_revision
    assert pixels_digest(decode_png(data)) == record.images[0].sha256
    assert studio.get(record.id[:10]).id == record.id


def test_stored_manifest_has_seed_and_compiled_controls(studio):
    m = manifest_with_controls()
    m["render"].pop("seed", None)
    record = studio.render(m)
    assert 0 <= record.manifest["render"]["seed"] <= 2**32 - 1
    # the key light stands at frame left: the compiled text says so
    assert "left" in record.manifest["fibo"]["lighting"]["direction"]


def test_rerender_reproduces_the_same_pixels(studio):
    first = studio.render(manifest_with_controls())
    again = studio.rerender(first.id)
    assert again.parent_id == first.id and again.id != first.id
    assert again.images[0].sha256 == first.images[0].sha256
    assert again.manifest == first.manifest


def test_refine_keeps_seed_and_links_parent(studio):
    first = studio.render(manifest_with_controls(seed=5), origin=Origin(prompt="x"))
    child = studio.refine(first.id, "make the key light come from the right")
    assert child.parent_id == first.id and child.seed == 5
    assert child.instruction == "make the key light come from the right"
    assert "right" in child.manifest["fibo"]["lighting"]["direction"]
    assert child.images[0].sha256 != first.images[0].sha256
    other = studio.refine(first.id, "warmer light", seed=9)
    assert other.seed == 9
    tree = studio.lineage(child.id)
    assert tree.record.id == first.id
    assert {c.record.id for c in tree.children} == {child.id, other.id}


def test_diff_names_changed_paths(studio):
    a = studio.render(manifest_with_controls(seed=1))
    b = studio.refine(a.id, "make the key light come from the right")
    paths = {c.path for c in studio.diff(a.id, b.id)}
    assert "$.fibo.lighting.direction" in paths
    assert not any(p.startswith("$.fibo.objects") for p in paths)


def test_render_from_image_round_trips(studio):
    first = studio.render(manifest_with_controls(seed=77))
    manifest = studio.manifest_from_image(studio.image_bytes(first.id))
    again = studio.render(manifest)
    assert again.images[0].sha256 == first.images[0].sha256


def test_overrides_win_over_the_manifest(studio):
    record = studio.render(minimal_manifest(seed=1),
                           RenderOverrides(seed=3, width=128, height=64, num_images=2))
    assert record.seed == 3 and (record.width, record.height) == (128, 64)
    assert [i.index for i in record.images] == [0, 1]


@pytest.mark.parametrize("overrides,path", [
    (RenderOverrides(width=100, height=128), "$.render.width"),
    (RenderOverrides(engine="nope"), "$.render.engine"),
])
def test_bad_requests_fail_before_anything_is_written(studio, overrides, path):
    with pytest.raises((ManifestError, InputError)) as info:
        studio.render(minimal_manifest(), overrides)
    assert path in [d.path for d in info.value.details]
    assert studio.history().items == [] and stored_files(studio) == []


class BrokenEngine:
    name = "broken"
    capabilities = Capabilities(label="broken", size_multiple=8)

    def __init__(self, settings=None, available=True):
        self.available = available

    def status(self):
        return EngineStatus(True, self.available, self.available,
                            None if self.available else "no token set: export BROKEN_TOKEN")

    def render(self, request, on_progress=None):
        raise RuntimeError("GPU on fire")


def test_engine_crash_is_an_engine_error_and_stores_nothing(studio):
    studio.engines.add("broken", BrokenEngine)
    with pytest.raises(EngineError, match="GPU on fire"):
        studio.render(minimal_manifest(engine="broken"))
    assert studio.history().items == [] and stored_files(studio) == []


def test_unavailable_engine_says_why(studio):
    studio.engines.add("broken", lambda s: BrokenEngine(available=False))
    with pytest.raises(ConfigError, match="BROKEN_TOKEN"):
        studio.render(minimal_manifest(engine="broken"))


def test_database_failure_removes_the_written_files(studio, monkeypatch):
    def fail(record):
        raise RuntimeError("disk full")

    monkeypatch.setattr(studio.records, "add", fail)
    with pytest.raises(RuntimeError):
        studio.render(minimal_manifest())
    assert stored_files(studio) == []


def test_float_engines_are_stored_as_16_bit(studio):
    class FloatEngine(BrokenEngine):
        capabilities = Capabilities(label="float", size_multiple=8, float_output=True)

        def render(self, request, on_progress=None):
            img = np.linspace(0, 1, request.width * request.height * 3, dtype=np.float32)
            return RenderResult([img.reshape(request.height, request.width, 3)], model="f")

    studio.engines.add("float", FloatEngine)
    record = studio.render(minimal_manifest(engine="float"))
    assert record.images[0].bit_depth == 16
    assert decode_png(studio.image_bytes(record.id)).dtype == np.float32


def test_unknown_ids_and_images(studio):
    with pytest.raises(NotFoundError):
        studio.get("01ZZZZZZZZZZZZZZZZZZZZZZZZ")
    record = studio.render(minimal_manifest())
    with pytest.raises(NotFoundError):
        studio.image_bytes(record.id, 3)
