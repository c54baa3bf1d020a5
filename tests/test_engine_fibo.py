"""The fibo engine, run for real on a tiny random-weight FIBO pipeline built from diffusers'
own classes (see fibo_tiny.py): loading, prompts, seeds, progress, cancel, reuse, records."""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from cli_runner import run_cli
from engine_contract import check_engine_contract
from manifests import manifest_with_controls, minimal_manifest
from studioflow.core.controls import apply_controls
from studioflow.core.orchestrator import RenderOverrides, build_request, prepare
from studioflow.engines import CancelToken, EngineRegistry
from studioflow.engines.fibo import presets
from studioflow.engines.fibo.engine_fibo import FiboEngine, create
from studioflow.engines.fibo.prompt import negative_prompt, serialize
from studioflow.engines.fibo.settings import FiboSettings
from studioflow.engines.fibo.source import folder_revision
from studioflow.errors import (
    CancelledError,
    ConfigError,
    InputError,
    ManifestError,
    MissingExtraError,
)

pytest.importorskip("diffusers", reason="needs the fibo extra: pip install 'studioflow[fibo]'")

# Bria's caption fields in Bria's order (prepare_clean_caption in Bria's FIBO repository)
BRIA_ORDER = ["short_description", "objects", "background_setting", "lighting", "aesthetics",
              "photographic_characteristics", "style_medium", "text_render", "context",
              "artistic_style"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from fibo_tiny import save_tiny_pipeline

    return save_tiny_pipeline(tmp_path_factory.mktemp("fibo") / "fibo-tiny")


@pytest.fixture(scope="module")
def engine(tiny):
    return FiboEngine(FiboSettings(model=str(tiny)))


def request(seed=3, steps=2, guidance=5.0, width=64, height=64, cancel=None, **render):
    m = minimal_manifest(engine="fibo", width=width, height=height, seed=seed, steps=steps,
                         guidance_scale=guidance, **render)
    return build_request(m, cancel)


# the engine protocol ---------------------------------------------------------------------
@pytest.mark.parametrize("build", [minimal_manifest, manifest_with_controls])
def test_passes_the_engine_contract(engine, build):
    manifest = apply_controls(build(engine="fibo", steps=2, guidance_scale=5))
    check_engine_contract(engine, manifest, width=64, height=48)


def test_same_seed_reproduces_pixels_across_separate_loads(tiny, engine):
    other = FiboEngine(FiboSettings(model=str(tiny)))  # its own pipeline, loaded again
    a = engine.render(request(seed=5)).images[0]
    b = other.render(request(seed=5)).images[0]
    c = other.render(request(seed=6)).images[0]
    assert a.dtype == np.float32 and np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_one_progress_event_per_step(engine):
    events = []
    engine.render(request(steps=3), events.append)
    assert [(e.step, e.total) for e in events] == [(1, 3), (2, 3), (3, 3)]


def test_cancel_stops_the_denoising_loop_mid_run(engine):
    token = CancelToken()
    events = []

    def on_progress(event):
        events.append(event.step)
        if event.step == 2:
            token.cancel()

    with pytest.raises(CancelledError):
        engine.render(request(steps=6, cancel=token), on_progress)
    assert events == [1, 2]  # step 3 never reported: the loop stopped after step 2


# sizes, weights, extras, devices ---------------------------------------------------------
def test_bad_sizes_fail_before_anything_loads(tmp_path):
    engine = FiboEngine(FiboSettings(model=str(tmp_path / "nowhere")))
    with pytest.raises(InputError) as info:
        engine.render(request(width=72, height=64))
    assert [d.path for d in info.value.details] == ["$.render.width"]
    assert engine.pipelines.loads == 0


def test_validator_rejects_sizes_that_are_not_multiples_of_16(engine):
    engines = EngineRegistry(None, {"fibo": lambda _s: engine})
    manifest = minimal_manifest(engine="fibo", width=1000, height=1024)
    with pytest.raises(ManifestError) as info:
        prepare(manifest, engines)
    assert any(d.path == "$.render.width" and "16" in d.message for d in info.value.details)


def test_missing_or_broken_folder_is_reported_and_fails_cleanly(tiny, tmp_path):
    engine = FiboEngine(FiboSettings(model=str(tmp_path / "no-such-folder")))
    status = engine.status()
    assert status.installed and not status.configured and not status.available
    assert "does not exist" in status.reason
    with pytest.raises(ConfigError):
        engine.render(request())
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="not found"):
        FiboEngine(FiboSettings(model=str(tmp_path / "empty"))).render(request())
    shutil.copy(tiny / "model_index.json", tmp_path / "empty")  # the index, no components
    with pytest.raises(ConfigError, match="cannot load FIBO"):
        FiboEngine(FiboSettings(model=str(tmp_path / "empty"))).render(request())


def test_uncached_hub_id_is_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    engine = FiboEngine(FiboSettings(model="briaai/FIBO", allow_download=True))
    assert not engine.status().available
    with pytest.raises(ConfigError) as info:
        engine.render(request())
    assert "hf download briaai/FIBO" in info.value.details[0].message


def test_loads_a_hub_id_from_the_local_cache_with_its_commit(tiny, tmp_path, monkeypatch):
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--acme--fibo-tiny"
    shutil.copytree(tiny, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    engine = FiboEngine(FiboSettings(model="acme/fibo-tiny"))
    status = engine.status()
    assert status.available and status.details["revision"] == commit
    result = engine.render(request())
    assert result.model == "acme/fibo-tiny" and result.model_revision == commit


def test_missing_extra_names_the_install_command(tiny, monkeypatch):
    import studioflow.engines.fibo.engine_fibo as module

    real = module.importlib.util.find_spec
    monkeypatch.setattr(module.importlib.util, "find_spec",
                        lambda name, *a: None if name == "diffusers" else real(name, *a))
    status = create(FiboSettings(model=str(tiny))).status()
    assert not status.installed and "pip install 'studioflow[fibo]'" in status.reason
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "diffusers", None)  # import diffusers -> ImportError
    with pytest.raises(MissingExtraError) as info:
        FiboEngine(FiboSettings(model=str(tiny))).render(request())
    assert info.value.extra == "fibo" and "pip install 'studioflow[fibo]'" in str(info.value)


def test_cuda_or_offload_on_a_cpu_only_machine_say_what_to_do(tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConfigError, match="cuda") as info:
        FiboEngine(FiboSettings(model=str(tiny), device="cuda")).render(request())
    assert "STUDIOFLOW_FIBO_DEVICE=cpu" in info.value.details[0].message
    with pytest.raises(ConfigError, match="needs a GPU"):
        FiboEngine(FiboSettings(model=str(tiny), offload="model")).render(request())


def test_create_and_status_do_not_import_torch(tiny):
    import subprocess

    code = ("import sys; from studioflow.engines.fibo.engine_fibo import create; "
            "from studioflow.engines.fibo.settings import FiboSettings; "
            f"s = create(FiboSettings(model={str(tiny)!r})).status(); "
            "assert s.available, s; assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# prompt serialisation: Bria's rules ------------------------------------------------------
def _walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def _messy_caption():
    fibo = minimal_manifest()["fibo"]
    reordered = dict(reversed(list(fibo.items())))  # keys in the opposite of FIBO's order
    reordered["artistic_style"] = ""
    reordered["text_render"] = []
    reordered["photographic_characteristics"] = {"depth_of_field": None, "focus": ""}
    reordered["objects"].append({"description": "", "location": None})
    reordered["objects"][0]["shape_and_color"] = float("nan")
    reordered["aesthetics"]["preference_score"] = "low"
    reordered["not_a_fibo_field"] = "dropped"
    return fibo, reordered


def test_prompt_keeps_fibo_fields_in_brias_order():
    fibo, messy = _messy_caption()
    keys = list(json.loads(serialize(messy)))
    assert keys == [k for k in BRIA_ORDER if k in keys]
    assert "not_a_fibo_field" not in keys
    assert set(keys) == {k for k, v in fibo.items() if v not in ("", [], {}, None)}


def test_prompt_drops_empty_values_recursively():
    _fibo, messy = _messy_caption()
    parsed = json.loads(serialize(messy))
    for value in _walk(parsed):
        assert value not in ("", [], {}, None)
        assert not (isinstance(value, float) and math.isnan(value))
    assert "photographic_characteristics" not in parsed  # only empties inside -> dropped
    assert len(parsed["objects"]) == 1  # the all-empty object is gone
    assert parsed["objects"][0]["description"] == messy["objects"][0]["description"]


def test_prompt_sets_both_scores_to_very_high():
    _fibo, messy = _messy_caption()
    aesthetics = json.loads(serialize(messy))["aesthetics"]
    assert aesthetics["preference_score"] == "very high"
    assert aesthetics["aesthetic_score"] == "very high"
    no_aesthetics = {k: v for k, v in messy.items() if k != "aesthetics"}
    assert json.loads(serialize(no_aesthetics))["aesthetics"] == {
        "preference_score": "very high", "aesthetic_score": "very high"}


def test_prompt_is_compact_ascii_json():
    fibo = minimal_manifest()["fibo"]
    fibo["background_setting"] = "crème marble, 50% grey: \"soft\""
    text = serialize(fibo)
    assert text.isascii() and "\\u00e8" in text  # ujson's default ASCII escapes
    # no whitespace between tokens: re-dumping the parse with compact separators is identical
    assert text == json.dumps(json.loads(text), separators=(",", ":"))
    assert "\n" not in text and json.loads(text)["background_setting"] == fibo["background_setting"]


def test_negative_prompt_rules():
    photo = {"style_medium": "Photograph"}
    default = negative_prompt(None, photo, guidance_scale=5)
    assert json.loads(default) == {"style_medium": "digital illustration",
                                   "artistic_style": "non-realistic"}
    assert " " not in default.replace("digital illustration", "").replace("non-realistic", "")
    assert negative_prompt(None, photo, guidance_scale=1) is None  # FIBO ignores it then
    assert negative_prompt(None, {"style_medium": "3D render"}, guidance_scale=5) == ""
    assert negative_prompt("blurry, text", photo, guidance_scale=5) == "blurry, text"
    given = {"artistic_style": "cartoon", "style_medium": "sketch", "lighting": {}}
    expected = '{"style_medium":"sketch","artistic_style":"cartoon"}'  # FIBO order, compact
    assert negative_prompt(given, photo, 5) == expected


def test_render_uses_the_default_negative_prompt_for_photographs(engine):
    result = engine.render(request(guidance=5))
    assert json.loads(result.metadata["negative_prompt"])["style_medium"] == "digital illustration"
    assert engine.render(request(guidance=1)).metadata["negative_prompt"] is None


# presets and overrides -------------------------------------------------------------------
def test_presets_follow_the_model_name_and_yield_to_overrides():
    assert presets.preset_for("briaai/FIBO").steps == 50
    assert presets.preset_for("briaai/FIBO").guidance_scale == 5
    assert presets.preset_for("/models/FIBO-lite").name == "fibo-lite"
    assert presets.preset_for("briaai/FIBO-1.5").name == "fibo-1.5"
    assert presets.preset_for("briaai/FIBO", "fibo-lite").name == "fibo-lite"
    assert presets.resolve(presets.PRESETS["fibo"], 12, None) == (12, 5.0)
    assert presets.resolve(presets.PRESETS["fibo"], None, 2.5) == (50, 2.5)
    with pytest.raises(ConfigError):
        presets.preset_for("briaai/FIBO", "fibo-9")
    assert all(w % 16 == 0 and h % 16 == 0 for w, h in presets.BRIA_SIZES)


def test_preset_defaults_reach_the_pipeline(tiny):
    engine = FiboEngine(FiboSettings(model=str(tiny), preset="fibo-lite"))
    events = []
    m = minimal_manifest(engine="fibo", width=64, height=64, seed=1)
    result = engine.render(build_request(m), events.append)
    assert (result.steps, result.guidance_scale) == (8, 1.0) and len(events) == 8
    override = engine.render(request(steps=3, guidance=4.0))
    assert (override.steps, override.guidance_scale) == (3, 4.0)


# reuse and memory budget -----------------------------------------------------------------
def test_pipeline_is_loaded_once_and_reused(tiny):
    engine = FiboEngine(FiboSettings(model=str(tiny)))
    first = engine.render(request())
    second = engine.render(request(seed=4))
    assert engine.pipelines.loads == 1
    assert first.metadata["loaded_now"] and not second.metadata["loaded_now"]


def test_memory_budget_evicts_the_least_recently_used_pipeline(tiny, tmp_path):
    copy = shutil.copytree(tiny, tmp_path / "fibo-copy")
    small = FiboEngine(FiboSettings(model=str(tiny), memory_budget_gb=0))
    small.render(request())
    small.render(request(model=str(copy)))
    assert small.pipelines.loads == 2 and [k[0] for k in small.pipelines.keys()] == [str(copy)]
    roomy = FiboEngine(FiboSettings(model=str(tiny), memory_budget_gb=1))
    roomy.render(request())
    roomy.render(request(model=str(copy)))
    roomy.render(request())
    assert roomy.pipelines.loads == 2 and len(roomy.pipelines.keys()) == 2


def test_folder_revision_is_stable_and_follows_content(tiny, tmp_path):
    copy = shutil.copytree(tiny, tmp_path / "moved")
    assert folder_revision(copy) == folder_revision(tiny)  # location does not matter
    config = copy / "scheduler" / "scheduler_config.json"
    config.write_text(config.read_text().replace("1.15", "1.2"))
    assert folder_revision(copy) != folder_revision(tiny)


# speed options ---------------------------------------------------------------------------
def _psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def test_speed_options_keep_the_image(tiny, engine):
    stock = engine.render(request(steps=6)).images[0]
    split = FiboEngine(FiboSettings(model=str(tiny), cfg="split"))
    assert _psnr(split.render(request(steps=6)).images[0], stock) > 80  # same maths
    never_skip = FiboEngine(FiboSettings(model=str(tiny), cache="teacache",
                                         cache_threshold=1e-9))
    result = never_skip.render(request(steps=6))
    assert np.array_equal(result.images[0], stock)
    assert result.metadata["transformer_calls"]["skipped"] == 0
    caching = FiboEngine(FiboSettings(model=str(tiny), cache="teacache", cache_threshold=100))
    cached = caching.render(request(steps=6))
    calls = cached.metadata["transformer_calls"]
    assert calls["skipped"] == 4 and calls["computed"] == 2  # first and last always run
    assert cached.images[0].shape == stock.shape and np.isfinite(cached.images[0]).all()


# the record, end to end ------------------------------------------------------------------
def _cli_source(kind, tmp_path):
    if kind == "manifest":
        path = tmp_path / "shot.json"
        path.write_text(json.dumps(minimal_manifest(engine="fibo")))
        return ["--manifest", str(path)]
    return ["a frosted glass perfume bottle on white marble"]


@pytest.mark.parametrize("kind", ["text", "manifest"])
def test_cli_render_records_model_revision_versions_and_settings(kind, tiny, settings, capsys,
                                                                 tmp_path):
    result = run_cli(capsys, "render", *_cli_source(kind, tmp_path), "--engine", "fibo",
                     "--model", str(tiny), "--steps", "2", "--guidance", "5", "--seed", "3",
                     "--width", "64", "--height", "64", "--json")
    assert result.code == 0, result.err
    record = result.json()
    assert record["engine"] == "fibo" and record["model"] == str(tiny)
    assert record["model_revision"] == folder_revision(tiny)
    meta = record["engine_meta"]
    assert meta["steps"] == 2 and meta["guidance_scale"] == 5
    assert meta["dtype"] == "float32" and meta["device"] == "cpu"
    assert set(meta["versions"]) >= {"diffusers", "torch"}
    assert len(meta["step_seconds"]) == 2 and meta["load_seconds"] > 0
    assert (record["width"], record["height"]) == (64, 64)
    assert record["images"][0]["bit_depth"] == 16  # float output kept for a 16-bit PNG


def test_prepare_accepts_fibo_overrides(engine):
    engines = EngineRegistry(None, {"fibo": lambda _s: engine})
    final = prepare(minimal_manifest(), engines,
                    RenderOverrides(engine="fibo", width=64, height=64, steps=2, seed=1))
    assert final["render"]["engine"] == "fibo" and final["render"]["steps"] == 2


# the GPU bench, as a CPU smoke run ------------------------------------------------------
def test_gpu_bench_runs_tiny_on_cpu_and_its_exact_paths_match_stock(capsys):
    path = Path(__file__).parents[1] / "bench" / "fibo_gpu.py"
    spec = importlib.util.spec_from_file_location("fibo_gpu_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--tiny", "--steps", "2", "--fast-steps", "1", "--repeats", "1",
                          "--no-compile"])
    assert set(results["stock"]) == {(2, 5.0), (1, 1.0)}
    variants = results["variants"]
    assert variants["trim text-encoder logits"]["psnr"] == math.inf  # bit-identical
    assert variants["split guidance"]["psnr"] > 80  # same maths, other rounding
    printed = capsys.readouterr().out
    assert "VAE decode" in printed and "PSNR" in printed and "speed-up" in printed
