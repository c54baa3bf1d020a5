"""From rows to items: presets, seeds, product overrides, manifests from cells, files and
reference images, and row errors at the right column; the fast path equals Studio.prepare."""

from __future__ import annotations

import copy
import json

import pytest

from batch_support import manifests, plan_csv, save_template
from studioflow.batch.presets import PRESETS, apply_preset, fit_size, get_preset
from studioflow.batch.seeds import item_seed
from studioflow.batch.validation import RowPreparer
from studioflow.core.orchestrator import RenderOverrides
from studioflow.engines import Capabilities
from studioflow.errors import InputError
from studioflow.schema import validate_manifest

PREVIEW = Capabilities(label="preview", size_multiple=8, max_side=4096, max_pixels=4096 * 4096)
FIBO = Capabilities(label="FIBO", size_multiple=16, max_side=2048, max_pixels=2048 * 2048)


# presets -------------------------------------------------------------------------------------


@pytest.mark.parametrize("caps", [PREVIEW, FIBO], ids=["preview", "fibo"])
@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_sizes_are_on_the_engine_grid_within_its_limits(name, caps):
    preset = PRESETS[name]
    width, height = fit_size(preset.width, preset.height, caps)
    assert width % caps.size_multiple == 0 and height % caps.size_multiple == 0
    assert max(width, height) <= caps.max_side and width * height <= caps.max_pixels
    # close to the nominal size and aspect ratio
    assert abs(width / height - preset.width / preset.height) < 0.01 * preset.width / preset.height
    assert abs(width - preset.width) <= 4 * caps.size_multiple


def test_documented_sizes():
    """The sizes docs/batch.md lists, worked out by hand from the rounding rule."""
    assert fit_size(2000, 2000, FIBO) == (2000, 2000)  # 2000 = 125 x 16
    assert fit_size(2048, 2048, FIBO) == (2048, 2048)
    assert fit_size(1080, 1350, FIBO) == (1088, 1360)  # exactly 4:5 (68 x 16, 85 x 16)
    assert fit_size(1080, 1920, PREVIEW) == (1080, 1920)  # already multiples of 8
    assert fit_size(2000, 1500, FIBO) == (1984, 1488)  # exactly 4:3 (124 x 16, 93 x 16)


def test_sizes_shrink_to_the_engine_maximum():
    small = Capabilities(label="small", size_multiple=16, max_side=1024, max_pixels=1024 * 1024)
    assert fit_size(2000, 2000, small) == (1024, 1024)
    assert fit_size(2000, 1500, small) == (1024, 768)


def test_amazon_forces_pure_white_contact_shadows_product_only_and_no_text(studio):
    plan = plan_csv(studio, "sku,prompt\nW1,\"silver watch on black slate with eucalyptus "
                            "leaves, hard light, the text 'SALE' at the top\"\n", preset="amazon")
    manifest = manifests(plan)[(2, 0)]
    controls, fibo = manifest["controls"], manifest["fibo"]
    assert controls["background"] == {"color": "#FFFFFF", "style": "sweep"}
    assert controls["shadows"]["style"] == "contact" and controls["shadows"]["intensity"] <= 0.3
    assert fibo["text_render"] == [] and len(fibo["objects"]) == 1
    assert "85%" in fibo["objects"][0]["relative_size"]
    assert "#FFFFFF" in fibo["background_setting"] and "slate" not in fibo["background_setting"]
    assert (manifest["render"]["width"], manifest["render"]["height"]) == (2000, 2000)
    assert {w.column for w in plan.warnings} == {"preset"}
    assert any("eucalyptus" in w.message for w in plan.warnings)
    assert any("SALE" in w.message for w in plan.warnings)


def test_preset_aliases_and_unknown_presets():
    assert get_preset(" Amazon ").name == "amazon-main"
    with pytest.raises(InputError, match="unknown preset"):
        get_preset("ebay")


def test_apply_preset_keeps_no_shadow_and_caps_darkness():
    manifest = {"fibo": {"objects": [{"description": "mug", "location": "center",
                                      "relationship": "alone"}]},
                "controls": {"shadows": {"style": "none", "intensity": 0.9}}}
    apply_preset(manifest, PRESETS["amazon-main"])
    assert manifest["controls"]["shadows"] == {"style": "none", "intensity": 0.3,
                                               "reflection": False}


def test_an_engine_too_small_for_amazon_is_a_row_error(studio):
    from api_support import SlowEngine

    class Tiny(SlowEngine):
        capabilities = Capabilities(label="tiny", size_multiple=8, max_side=512,
                                    max_pixels=512 * 512)

    studio.engines.add("tiny", lambda settings: Tiny(settings))
    plan = plan_csv(studio, "sku,prompt\nA,mug\n", preset="amazon-main", engine="tiny")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "preset")]
    assert "1000 px" in plan.errors[0].message


def test_size_precedence(studio):
    text = ("sku,prompt,preset,width,height\n"
            "A,mug,,,\n"  # the batch size
            "B,mug,etsy,,\n"  # the row's preset beats the batch size
            "C,mug,etsy,320,240\n")  # the row's size beats everything
    found = manifests(plan_csv(studio, text, preset="amazon", width=256, height=256))
    sizes = {k[0]: (m["render"]["width"], m["render"]["height"]) for k, m in found.items()}
    assert sizes == {2: (256, 256), 3: (2016, 1512), 4: (320, 240)}


# seeds ---------------------------------------------------------------------------------------


def test_item_seed_is_the_documented_hash():
    import hashlib

    digest = hashlib.sha256(b"7:BAG-1:2").digest()
    assert item_seed(7, "BAG-1", 2) == int.from_bytes(digest, "big") % 2**32
    assert item_seed(7, "BAG-1", 2) != item_seed(7, "BAG-1", 1) != item_seed(8, "BAG-1", 1)
    assert item_seed(7, "BAG-1", 2, row_seed=2**32 - 1) == 1  # wraps


def test_seeds_follow_the_sku_not_the_row_order(studio):
    first = plan_csv(studio, "sku,prompt,variants\nA,mug,2\nB,bag,1\n", seed=11)
    swapped = plan_csv(studio, "sku,prompt,variants\nB,bag,1\nZ,hat,1\nA,mug,2\n", seed=11)
    seeds = {(i.sku, i.variant): i.seed for i in first.items}
    assert seeds == {(i.sku, i.variant): i.seed for i in swapped.items if i.sku != "Z"}
    other = plan_csv(studio, "sku,prompt,variants\nA,mug,2\nB,bag,1\n", seed=12)
    assert not set(seeds.values()) & {i.seed for i in other.items}


def test_a_row_seed_wins_and_its_variants_follow(studio):
    plan = plan_csv(studio, "sku,prompt,seed,variants\nA,mug,41,3\n")
    assert [i.seed for i in plan.items] == [41, 42, 43]
    assert [json.loads(i.manifest_json)["render"]["seed"] for i in plan.items] == [41, 42, 43]


# product fields ------------------------------------------------------------------------------


def test_color_and_material_replace_the_prompts_words(studio):
    text = ("sku,prompt,color,material,name,brand\n"
            "A,red leather handbag,navy blue,suede,Tote,Acme\n"
            "B,ceramic mug,green,,,\n"
            "C,handbag,,canvas,,\n")
    found = manifests(plan_csv(studio, text))
    bag = found[(2, 0)]
    main = bag["fibo"]["objects"][0]
    assert main["description"] == "navy blue suede handbag"
    assert (main["shape_and_color"], main["texture"]) == ("navy blue", "suede")
    assert "navy blue suede handbag" in bag["fibo"]["short_description"]
    assert "red" not in bag["fibo"]["short_description"]
    assert bag["product"] == {"sku": "A", "name": "Tote", "brand": "Acme"}
    assert found[(3, 0)]["fibo"]["objects"][0]["description"] == "green ceramic mug"
    assert found[(4, 0)]["fibo"]["objects"][0]["description"] == "canvas handbag"


# manifests from cells, files and images ------------------------------------------------------


def test_manifest_cells_and_files(studio, tmp_path):
    from manifests import minimal_manifest

    cell = json.dumps(minimal_manifest()).replace('"', '""')
    (tmp_path / "m.json").write_text(json.dumps(minimal_manifest()))
    outside = tmp_path.parent / "outside.json"
    outside.write_text(json.dumps(minimal_manifest()))
    text = (f'sku,manifest\nA,"{cell}"\nB,m.json\nC,../outside.json\nD,"{{broken"\n'
            f'E,missing.json\n')
    plan = plan_csv(studio, text, base_dir=tmp_path)
    assert sorted(i.sku for i in plan.items) == ["A", "B"]
    errors = {(e.row, e.column): e.message for e in plan.errors}
    assert set(errors) == {(4, "manifest"), (5, "manifest"), (6, "manifest")}
    assert "outside the allowed folder" in errors[(4, "manifest")]
    assert "line 1" in errors[(5, "manifest")]
    found = manifests(plan)
    assert found[(2, 0)]["product"]["sku"] == "A"
    assert found[(2, 0)]["fibo"]["objects"] == minimal_manifest()["fibo"]["objects"]


def test_manifest_files_are_refused_without_a_folder(studio):
    plan = plan_csv(studio, "sku,manifest\nA,m.json\n")  # as over the API: no CSV folder
    (error,) = plan.errors
    assert error.column == "manifest" and "not allowed" in error.message


def test_reference_images_come_only_from_the_allowed_folder(studio, tmp_path, monkeypatch):
    refs = tmp_path / "refs"
    refs.mkdir()
    record = studio.render_prompt("perfume bottle on white marble, golden hour",
                                  RenderOverrides(width=128, height=128, seed=1))
    (refs / "look.png").write_bytes(studio.image_bytes(record.id))
    (refs / "plain.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (refs / "bomb.png").write_bytes(png_header(100_000, 100_000))
    (refs / "link.png").symlink_to(tmp_path / "elsewhere.png")
    (tmp_path / "elsewhere.png").write_bytes(studio.image_bytes(record.id))
    text = ("sku,prompt,reference_image\nA,red handbag,look.png\nB,mug,plain.png\n"
            "C,mug,link.png\nD,mug,https://example.com/look.png\nE,mug,bomb.png\n")
    refused = plan_csv(studio, text)
    assert {e.column for e in refused.errors} == {"reference_image"} and not refused.items

    studio.settings.batch_reference_dir = refs
    plan = plan_csv(studio, text)
    assert [i.sku for i in plan.items] == ["A"]
    errors = {e.row: e.message for e in plan.errors}
    assert "not a readable image" in errors[3] or "StudioFlow" in errors[3]
    assert "outside the allowed folder" in errors[4]
    assert "URLs are turned off" in errors[5]
    assert "too large to decode" in errors[6] or "too many pixels" in errors[6]
    lighting = manifests(plan)[(2, 0)]["fibo"]["lighting"]
    assert lighting == record.manifest["fibo"]["lighting"]  # the reference's look


def test_reference_image_urls_use_the_fetcher_when_allowed(studio):
    from batch_support import stores
    from studioflow.batch.csv_reader import parse_csv
    from studioflow.batch.planner import BatchOptions, Planner

    record = studio.render_prompt("perfume bottle, golden hour",
                                  RenderOverrides(width=128, height=128, seed=1))
    fetched = []

    def fetch(url, limit):
        fetched.append(url)
        return studio.image_bytes(record.id)

    studio.settings.batch_allow_urls = True
    planner = Planner(studio, stores(studio)[1], BatchOptions(), fetch=fetch)
    plan = planner.plan(parse_csv(b"sku,prompt,reference_image\nA,mug,https://cdn.example/l.png"
                                  b"\nB,bag,https://cdn.example/l.png\n"))
    assert len(plan.items) == 2 and fetched == ["https://cdn.example/l.png"]  # fetched once


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be huge but carries almost no data (a decompression bomb's
    header): its size is known without decoding anything."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def test_reference_images_are_size_limited(studio, tmp_path):
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "big.png").write_bytes(png_header(8_000, 8_000) + b"\0" * 2048)
    studio.settings.batch_reference_dir = refs
    studio.settings.max_image_pixels = 40_000_000
    plan = plan_csv(studio, "sku,prompt,reference_image\nA,mug,big.png\n")
    assert "too many pixels" in plan.errors[0].message
    studio.settings.batch_max_image_bytes = 1024
    plan = plan_csv(studio, "sku,prompt,reference_image\nA,mug,big.png\n")
    assert "larger than 1024 bytes" in plan.errors[0].message


# errors at their column ----------------------------------------------------------------------


def test_manifest_errors_name_the_column_that_caused_them(studio):
    text = ("sku,prompt,width,height,template,preset\n"
            "A,mug,100,256,,\n"  # 100 is not a multiple of 8
            "B,mug,,,nope,\n"
            "C,,,,,\n"
            f"D,{'x' * 5000},,,,\n")
    plan = plan_csv(studio, text)
    errors = {(e.row, e.column): e.message for e in plan.errors}
    assert set(errors) == {(2, "width"), (3, "template"), (4, "prompt"), (5, "prompt")}
    assert errors[(2, "width")].startswith("$.render.width: 100 is not a multiple of 8")
    assert "no template named 'nope'" in errors[(3, "template")]
    assert "too long" in errors[(5, "prompt")]


def test_bad_batch_options_stop_before_any_row(studio):
    with pytest.raises(InputError) as info:
        plan_csv(studio, "sku,prompt\nA,mug\n", template="nope", preset="ebay", engine="dali")
    assert [d.path for d in info.value.details] == ["$.template", "$.preset", "$.engine"]


# the fast path -------------------------------------------------------------------------------


def test_fast_preparation_equals_studio_prepare(studio):
    """Rows sharing a template go through RowPreparer's fast path; every one of them must
    be byte-identical to what Studio.prepare makes of the same manifest."""
    save_template(studio)
    prompts = ["red leather handbag", "two green glass bottles", "white sneakers with the "
               "text 'NEW' at the top", "a silver watch", "red leather handbag",
               "ceramic mug with steam", "stack of three books"]
    text = "sku,prompt,variants\n" + "".join(f"S{i},{p},2\n" for i, p in enumerate(prompts))
    preparer_calls = []
    real = RowPreparer.prepare

    def spy(self, manifest):
        preparer_calls.append(copy.deepcopy(manifest))
        return real(self, manifest)

    RowPreparer.prepare = spy
    try:
        plan = plan_csv(studio, text, template="noir", preset="instagram-feed")
    finally:
        RowPreparer.prepare = real
    assert plan.errors == [] and len(preparer_calls) == len(prompts)
    by_row = {i.row: json.loads(i.manifest_json) for i in plan.items if i.variant == 0}
    for row, manifest in zip(sorted(by_row), preparer_calls, strict=True):
        expected = studio.prepare(manifest)
        assert json.dumps(by_row[row]) == json.dumps(expected)
        assert validate_manifest(by_row[row], studio.engines.capabilities) == []


def test_fast_path_is_used_and_still_catches_bad_product_fields(studio):
    preparer = RowPreparer(studio)
    base = studio.translate("red handbag")
    base["render"] = {"engine": "preview", "width": 128, "height": 128, "seed": 1}
    preparer.prepare(base)
    second = copy.deepcopy(base)
    second["fibo"]["objects"][0]["description"] = "blue handbag"
    second["render"]["seed"] = 2
    assert preparer.prepare(second)["fibo"]["objects"][0]["description"] == "blue handbag"
    assert preparer.full == 1  # the second row took the fast path
    broken = copy.deepcopy(base)
    broken["fibo"]["objects"][0]["description"] = ""
    from studioflow.errors import ManifestError

    with pytest.raises(ManifestError) as info:
        preparer.prepare(broken)
    assert info.value.details[0].path == "$.fibo.objects[0].description"


def test_translating_in_worker_processes_gives_the_same_items(studio, monkeypatch):
    import studioflow.batch.sources as sources_module
    from batch_support import stores
    from studioflow.batch.csv_reader import parse_csv
    from studioflow.batch.planner import BatchOptions, Planner

    save_template(studio)
    text = "sku,prompt\n" + "".join(f"S{i},{c} product number {i}\n" for i, c in
                                    enumerate(["red", "blue", "green"] * 4)) + "X,\"\"\n"
    parsed = parse_csv(text.encode())
    serial = Planner(studio, stores(studio)[1], BatchOptions(template="noir")).plan(parsed)
    monkeypatch.setattr(sources_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(sources_module, "PARALLEL_CHUNK", 5)
    parallel_planner = Planner(studio, stores(studio)[1], BatchOptions(template="noir"),
                               workers=2)
    parallel_planner.sources.prefetch(parallel_planner._prompts(parsed.rows))
    assert len(parallel_planner.sources.translations) == 12  # made by the workers, before any row
    parallel = parallel_planner.plan(parsed)
    assert [i.manifest_json for i in parallel.items] == [i.manifest_json for i in serial.items]
    assert parallel.issues == serial.issues and len(serial.errors) == 1
