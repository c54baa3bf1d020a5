"""`studioflow batch`: dry runs, real runs with bad rows, reproducible pixels, results files
with safe names and neutralised cells, cancel and resume in the same process."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile

import pytest

from api_support import SlowEngine
from batch_support import stores
from cli_runner import run_cli
from studioflow.batch.csv_reader import parse_csv
from studioflow.batch.planner import BatchOptions, Planner
from studioflow.batch.runner import BatchRunner
from studioflow.errors import EngineError

CATALOGUE = ("sku,prompt,variants,seed,width\n"
             "BAG-1,red leather handbag,2,,\n"
             "MUG-2,blue ceramic mug,,,\n"
             "BAD-3,watch,,not-a-seed,\n"
             "BAD-4,shoe,,,100\n"
             "HAT-5,straw hat,,,\n")


@pytest.fixture
def cli(settings, capsys):
    return lambda *args: run_cli(capsys, *args)


def write(tmp_path, text, name="catalogue.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_dry_run_prints_the_table_and_renders_nothing(cli, settings, tmp_path, studio):
    result = cli("batch", write(tmp_path, CATALOGUE), "--dry-run", "--width", "128",
                 "--height", "128")
    assert result.code == 1
    assert "dry run: 5 rows, 3 valid (4 images), 2 errors" in result.out
    for fragment in ("│ 4   │ seed", "'not-a-seed' is not a whole number", "│ 5   │ width",
                     "100 is not a multiple of 8"):
        assert fragment in result.out
    assert studio.history().items == [] and stores(studio)[0].list() == []

    as_json = cli("batch", write(tmp_path, CATALOGUE), "--dry-run", "--json")
    body = as_json.json()
    assert body["batch_id"] is None and body["rendered"] == 0 and body["failed"] == 2
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "seed"), (5, "width")]
    assert set(body["errors"][0]) == {"row", "column", "message"}

    clean = cli("batch", write(tmp_path, "sku,prompt\nA,mug\n"), "--dry-run")
    assert clean.code == 0 and "1 valid (1 images), 0 errors" in clean.out


def test_bad_rows_are_reported_and_good_rows_render(cli, settings, tmp_path, studio):
    out = tmp_path / "out"
    result = cli("batch", write(tmp_path, CATALOGUE), "--width", "128", "--height", "128",
                 "--seed", "3", "--out", str(out), "--json")
    assert result.code == 2, result.err
    body = result.json()
    assert {"batch_id", "rendered", "failed", "errors", "results"} <= set(body)
    assert body["rendered"] == 4 and body["failed"] == 2 and body["status"] == "completed"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "seed"), (5, "width")]
    lines = body["results"]
    assert [(r["row"], r["variant"], r["status"]) for r in lines] == [
        (2, 0, "done"), (2, 1, "done"), (3, 0, "done"), (4, None, "invalid"),
        (5, None, "invalid"), (6, 0, "done")]
    assert body["files"]["csv"] == str(out / "results.csv")
    # every render knows its batch, row and variant; history by SKU finds batch renders
    for line in lines:
        if line["status"] == "done":
            record = studio.get(line["render_id"])
            assert record.engine_meta["batch_id"] == body["batch_id"]
            assert (record.engine_meta["batch_row"], record.engine_meta["batch_variant"]) == \
                (line["row"], line["variant"])
            assert record.sku == line["sku"] and record.seed == line["seed"]
    assert len(studio.history(sku="BAG-1").items) == 2
    history = cli("history", "--sku", "MUG-2", "--json").json()["items"]
    assert [h["sku"] for h in history] == ["MUG-2"]


def digests(studio, body):
    return {(r["sku"], r["variant"]): studio.get(r["render_id"]).images[0].sha256
            for r in body["results"] if r["status"] == "done"}


def test_the_same_csv_twice_gives_the_same_pixels(cli, settings, tmp_path, studio):
    path = write(tmp_path, "sku,prompt,variants\nA,red handbag,2\nB,blue mug,1\n")
    args = ("batch", path, "--width", "96", "--height", "96", "--seed", "9", "--json")
    first, second = cli(*args).json(), cli(*args).json()
    assert first["batch_id"] != second["batch_id"]
    assert digests(studio, first) == digests(studio, second)
    assert len(set(digests(studio, first).values())) == 3  # variants differ from each other
    other_seed = cli("batch", path, "--width", "96", "--height", "96", "--seed", "10",
                     "--json").json()
    assert set(digests(studio, other_seed).values()).isdisjoint(digests(studio, first).values())


EVIL = ('sku,prompt\n'
        '../../x,mug\n'
        'CON,mug\n'
        '"=cmd|\' /C calc\'!A0",mug\n'
        'Bag,mug\n'
        'bag,mug\n'
        '@SUM(1+1),mug\n')


def test_results_have_safe_unique_names_and_neutralised_cells(cli, settings, tmp_path):
    out = tmp_path / "out"
    body = cli("batch", write(tmp_path, EVIL), "--width", "64", "--height", "64", "--out",
               str(out), "--json").json()
    files = [r["file"] for r in body["results"]]
    assert files == ["x.png", "_CON.png", "cmd_'_C_calc'!A0.png", "Bag.png", "bag_2.png",
                     "SUM(1+1).png"]
    with zipfile.ZipFile(out / "results.zip") as archive:
        names = archive.namelist()
        assert names == [f"images/{f}" for f in files] + ["results.csv"]
        for name in names:
            assert not name.startswith("/") and ".." not in name.split("/")
        assert len({n.casefold() for n in names}) == len(names)
        png = archive.read("images/x.png")
        assert png.startswith(b"\x89PNG")
    rows = list(csv.reader(io.StringIO((out / "results.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["row", "sku", "variant", "status", "render_id", "seed", "file", "image",
                       "error"]
    skus = [r[1] for r in rows[1:]]
    assert skus == ["../../x", "CON", "'=cmd|' /C calc'!A0", "Bag", "bag", "'@SUM(1+1)"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert saved["results"][2]["sku"] == "=cmd|' /C calc'!A0"  # JSON keeps the real value


def test_an_engine_failure_on_one_item_does_not_stop_the_batch(studio):
    class Picky(SlowEngine):
        def render(self, request, on_progress=None):
            if request.manifest["product"]["sku"] == "BOOM":
                raise EngineError("the engine refused this one")
            return super().render(request, on_progress)

    studio.engines.add("picky", lambda settings: Picky(settings, steps=1, delay=0))
    batches, templates = stores(studio)
    plan = Planner(studio, templates, BatchOptions(engine="picky", width=64, height=64)).plan(
        parse_csv(b"sku,prompt\nA,mug\nBOOM,bag\nC,hat\n"))
    batch = batches.create(plan.items, options={}, issues=plan.issues, total_rows=3,
                           source="t.csv", mode="cli")
    seen = []
    BatchRunner(studio, batches, concurrency=2,
                on_item=lambda kind, item, _: seen.append((kind, item.sku))).run(batch.id)
    assert sorted(seen) == [("done", "A"), ("done", "C"), ("failed", "BOOM")]
    assert batches.get(batch.id).status == "completed"
    failed = batches.items(batch.id, ["failed"])
    assert [i.sku for i in failed] == ["BOOM"]
    assert failed[0].error["code"] == "engine_error"


def test_cancel_then_resume_renders_every_item_once(cli, settings, studio, tmp_path):
    studio.engines.add("slow", lambda settings: SlowEngine(settings, steps=4, delay=0.02))
    batches, templates = stores(studio)
    rows = "".join(f"S{i},product {i}\n" for i in range(12))
    plan = Planner(studio, templates, BatchOptions(engine="slow", width=64, height=64)).plan(
        parse_csv(("sku,prompt\n" + rows).encode()))
    batch = batches.create(plan.items, options={}, issues=[], total_rows=12, source="t.csv",
                           mode="cli")
    runner = BatchRunner(studio, batches, concurrency=2)
    done = threading.Event()

    def cancel_soon():
        while batches.counts(batch.id)["done"] < 3:
            time.sleep(0.01)
        runner.cancel(batch.id)
        done.set()

    threading.Thread(target=cancel_soon, daemon=True).start()
    runner.run(batch.id)
    assert done.wait(5)
    counts = batches.counts(batch.id)
    assert batches.get(batch.id).status == "cancelled"
    assert counts["pending"] == counts["running"] == 0 and counts["cancelled"] > 0
    finished_before = {i.id: i.render_id for i in batches.items(batch.id, ["done"])}
    # the CLI resumes it (its own Studio has no "slow" engine: register it the same way)
    from studioflow.cli.context import AppContext
    from studioflow.core.wiring import open_studio

    original = AppContext.studio.func

    def studio_with_slow(self):
        fresh = open_studio(self.settings)
        fresh.engines.add("slow", lambda s: SlowEngine(s, steps=1, delay=0))
        return fresh

    AppContext.studio.func = studio_with_slow
    try:
        result = cli("batch", "--resume", batch.id[:12], "--json", "--out", str(tmp_path / "o"))
    finally:
        AppContext.studio.func = original
    assert result.code == 0, result.err
    body = result.json()
    assert body["status"] == "completed" and body["rendered"] == 12
    items = batches.items(batch.id)
    assert all(i.status == "done" for i in items)
    for item_id, render_id in finished_before.items():  # never rendered again
        assert next(i for i in items if i.id == item_id).render_id == render_id
    renders = [r for r in studio.history(limit=100).items
               if r.engine_meta.get("batch_id") == batch.id]
    assert len(renders) == 12 and len({r.job_id for r in renders}) == 12


def test_usage_errors(cli, tmp_path):
    both = cli("batch", write(tmp_path, "sku,prompt\nA,mug\n"), "--resume", "X")
    assert both.code == 1 and "give a CSV file or --resume ID" in both.err
    missing = cli("batch", str(tmp_path / "nope.csv"))
    assert missing.code == 1 and "does not exist" in missing.err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("sku,prompt\nA,café\n".encode("latin-1"))
    bad = cli("batch", str(latin), "--dry-run")
    assert bad.code == 1 and "not UTF-8" in bad.err and "line 2" in bad.err
    nothing = cli("batch", write(tmp_path, "sku,prompt\nA,\n"))
    assert nothing.code == 1 and "no row of the CSV file can be rendered" in nothing.err
    unknown = cli("batch", "--resume", "01ZZZZZZZZZZZZZZZZZZZZZZZZ")
    assert unknown.code == 1 and "no batch" in unknown.err
    option = cli("batch", write(tmp_path, "sku,prompt\nA,mug\n"), "--template", "nope")
    assert option.code == 1 and "no template named 'nope'" in option.err


def test_presets_command(cli):
    table = cli("presets", "--json").json()
    assert {p["name"] for p in table} >= {"amazon-main", "shopify", "etsy", "instagram-feed",
                                         "instagram-story"}
    amazon = next(p for p in table if p["name"] == "amazon-main")
    assert amazon["engine"] == "preview" and amazon["engine_size"] == [2000, 2000]


def test_a_render_stored_before_a_crash_is_used_not_made_again(studio):
    """The process stored the item's render, then died before marking the item done."""
    from studioflow.batch.runner import batch_origin

    batches, templates = stores(studio)
    plan = Planner(studio, templates, BatchOptions(width=64, height=64)).plan(
        parse_csv(b"sku,prompt\nA,mug\nB,bag\n"))
    batch = batches.create(plan.items, options={}, issues=[], total_rows=2, source="t.csv",
                           mode="cli")
    first = batches.claim(batches.items(batch.id)[0].id)
    stored = studio.render(first.manifest, origin=batch_origin(first))  # ... then the crash
    batches.resume(batch.id, mode="cli")
    renders_before = len(studio.history(limit=50).items)
    BatchRunner(studio, batches).run(batch.id)
    items = batches.items(batch.id)
    assert [i.status for i in items] == ["done", "done"]
    assert items[0].render_id == stored.id
    assert len(studio.history(limit=50).items) == renders_before + 1  # only B was rendered


def test_the_documented_sample_file_passes_a_dry_run(cli, settings):
    """examples/catalogue.csv and its template, as docs/batch.md uses them."""
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    imported = cli("template", "import", "studio-white",
                   str(examples / "templates" / "studio-white.json"))
    assert imported.code == 0, imported.err
    result = cli("batch", str(examples / "catalogue.csv"), "--template", "studio-white",
                 "--dry-run", "--json")
    assert result.code == 0, result.out
    body = result.json()
    assert (body["rows"], body["valid_rows"], body["items"]) == (8, 8, 11)
    assert body["errors"] == []
    assert [(w["row"], w["column"]) for w in body["warnings"]] == [(6, "prompt")]
