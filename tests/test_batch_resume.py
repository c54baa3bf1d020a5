"""A real `studioflow batch` process killed (SIGKILL) or interrupted (SIGINT, Ctrl-C) in the
middle of a batch, then resumed: exactly one render per good row and variant, and complete
results files."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from sqlalchemy import select

from batch_support import stores
from cli_runner import run_cli
from studioflow.store.tables import RenderRow

ROWS = 30
BAD_ROWS = {7: "seed", 19: "width"}  # data row index -> the column that is wrong


def catalogue() -> tuple[str, int]:
    """30 rows, every third with two variants, two bad ones; returns (text, good items)."""
    lines, items = ["sku,prompt,variants,seed,width"], 0
    for i in range(ROWS):
        variants = 2 if i % 3 == 0 else 1
        seed = "oops" if BAD_ROWS.get(i) == "seed" else ""
        width = "99" if BAD_ROWS.get(i) == "width" else ""
        lines.append(f"SKU-{i:03d},product number {i} in {['red', 'blue', 'green'][i % 3]},"
                     f"{variants},{seed},{width}")
        items += 0 if i in BAD_ROWS else variants
    return "\n".join(lines) + "\n", items


def start(path, out, home):
    env = {**os.environ, "STUDIOFLOW_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "studioflow", "batch", str(path), "--width", "320", "--height",
         "320", "--seed", "5", "--concurrency", "2", "--out", str(out), "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def batch_id_from(proc) -> str:
    """From "batch <ID>: N images from M rows", printed before any render."""
    seen = []
    for line in proc.stderr:
        if line.startswith("batch "):
            return line.split()[1].rstrip(":")
        seen.append(line)
    raise AssertionError("no batch id on stderr:\n" + "".join(seen))


def wait_until_done(batches, batch_id, count, proc, timeout=60.0):
    deadline = time.monotonic() + timeout
    while batches.counts(batch_id)["done"] < count:
        assert proc.poll() is None, "the batch finished before the chosen kill point"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.005)


def check_complete(studio, batch_id, good_items, out, report):
    batches, _ = stores(studio)
    items = batches.items(batch_id)
    assert len(items) == good_items and all(i.status == "done" for i in items)
    # exactly one render per item, tied to its batch, row and variant
    with batches.engine.connect() as conn:
        metas = [json.loads(m) for m in conn.execute(select(RenderRow.engine_meta)).scalars()]
    mine = [m for m in metas if m.get("batch_id") == batch_id]
    keys = [(m["batch_row"], m["batch_variant"]) for m in mine]
    assert len(keys) == len(set(keys)) == good_items
    assert set(keys) == {(i.row, i.variant) for i in items}
    # and exactly one image file per render once uncommitted leftovers are swept
    studio.recover(older_than_s=0)
    files = list((studio.settings.home / "images" / "renders").rglob("*.png"))
    assert len(files) == good_items
    # complete results: every item and every bad row, images in the ZIP
    rows = list(csv.DictReader(io.StringIO((out / "results.csv").read_text("utf-8"))))
    assert len(rows) == good_items + len(BAD_ROWS)
    assert sorted(r["status"] for r in rows) == ["done"] * good_items + ["invalid"] * 2
    bad_lines = {int(r["row"]) for r in rows if r["status"] == "invalid"}
    assert bad_lines == {i + 2 for i in BAD_ROWS}  # data row i is on line i + 2
    with zipfile.ZipFile(out / "results.zip") as archive:
        images = [n for n in archive.namelist() if n.startswith("images/")]
    assert len(images) == good_items
    assert report["rendered"] == good_items and report["failed"] == len(BAD_ROWS)


# items done before the kill, out of 38: a fixed draw, so the test is repeatable
KILL_POINTS = random.Random(20261125).sample(range(0, 36), 2)


@pytest.mark.parametrize("done_before_kill", KILL_POINTS)
def test_killed_batch_resumes_without_rendering_anything_twice(settings, tmp_path, capsys,
                                                               studio, done_before_kill):
    text, good_items = catalogue()
    path = tmp_path / "catalogue.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = start(path, out, settings.home)
    try:
        batch_id = batch_id_from(proc)
        batches, _ = stores(studio)
        wait_until_done(batches, batch_id, done_before_kill, proc)
        time.sleep(random.Random(done_before_kill).uniform(0, 0.02))  # mid-render, maybe
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert batches.counts(batch_id)["done"] < good_items  # it really was cut short
    result = run_cli(capsys, "batch", "--resume", batch_id, "--concurrency", "2", "--out",
                     str(out), "--json")
    assert result.code == 2, result.err  # 2: the bad rows
    check_complete(studio, batch_id, good_items, out, result.json())


def test_ctrl_c_cancels_and_resume_finishes(settings, tmp_path, capsys, studio):
    text, good_items = catalogue()
    path = tmp_path / "catalogue.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = start(path, out, settings.home)
    try:
        batch_id = batch_id_from(proc)
        batches, _ = stores(studio)
        wait_until_done(batches, batch_id, 5, proc)
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    report = json.loads(stdout)
    assert report["status"] == "cancelled" and 5 <= report["rendered"] < good_items
    assert batches.get(batch_id).status == "cancelled"
    counts = batches.counts(batch_id)
    assert counts["pending"] == counts["running"] == 0 and counts["cancelled"] > 0, counts
    result = run_cli(capsys, "batch", "--resume", batch_id, "--out", str(out), "--json")
    assert result.code == 2, result.err
    check_complete(studio, batch_id, good_items, out, result.json())
