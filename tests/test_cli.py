"""The CLI contract: commands, JSON shapes, and one clear error line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from cli_runner import run_cli

PROMPT = ("perfume bottle on white marble, soft window light from the left, 85mm, "
          "shallow depth of field")


@pytest.fixture
def cli(settings, capsys):
    return lambda *args: run_cli(capsys, *args)


def count_state(settings):
    images = settings.home / "images"
    files = [p for p in images.rglob("*.png")] if images.exists() else []
    return len(files)


def test_render_refine_history_show_diff(cli, settings, tmp_path):
    r = cli("render", PROMPT, "--seed", "7", "--width", "256", "--height", "256", "--json")
    assert r.code == 0, r.err
    rec = r.json()
    assert {"id", "image_path", "seed", "manifest", "parent_id"} <= rec.keys()
    assert rec["seed"] == 7 and rec["parent_id"] is None
    assert os.path.isfile(rec["image_path"])
    assert "85mm" in rec["manifest"]["fibo"]["photographic_characteristics"]["lens_focal_length"]

    r2 = cli("refine", rec["id"][:12], "make the key light come from the right", "--json")
    assert r2.code == 0, r2.err
    child = r2.json()
    assert child["parent_id"] == rec["id"] and child["seed"] == 7

    hist = cli("history", "--json").json()
    assert [i["id"] for i in hist["items"]] == [child["id"], rec["id"]]
    assert cli("history").code == 0

    shown = cli("show", rec["id"], "--json").json()
    assert shown["manifest"] == rec["manifest"]
    assert rec["id"] in cli("show", rec["id"]).out

    d = cli("diff", rec["id"], child["id"])
    assert d.code == 0 and "$.fibo.lighting.direction" in d.out
    assert "$.fibo.objects" not in d.out

    again = cli("rerender", rec["id"], "--out", str(tmp_path / "out"), "--json").json()
    assert again["image_path"].startswith(str(tmp_path / "out"))
    a = np.asarray(Image.open(rec["image_path"]))
    b = np.asarray(Image.open(again["image_path"]))
    assert np.array_equal(a, b)

    tree = cli("lineage", child["id"], "--json").json()
    assert tree["id"] == rec["id"] and tree["children"][0]["id"] in {child["id"], again["id"]}


def test_render_from_manifest_and_from_image(cli, tmp_path):
    manifest = cli("translate", "red sneaker on concrete, hard light from the right").json()
    path = tmp_path / "m.json"
    path.write_text(json.dumps(manifest))
    first = cli("render", "--manifest", str(path), "--width", "128", "--height", "128",
                "--json").json()
    second = cli("render", "--from-image", first["image_path"], "--json").json()
    assert second["manifest"] == first["manifest"]
    assert np.array_equal(np.asarray(Image.open(first["image_path"])),
                          np.asarray(Image.open(second["image_path"])))


def test_translate_validate_schema_engines(cli, tmp_path):
    manifest = cli("translate", PROMPT).json()
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(manifest))
    ok = cli("validate", str(path))
    assert ok.code == 0 and "valid" in ok.out
    schema = cli("schema").json()
    assert schema["$schema"].endswith("2020-12/schema")
    engines = cli("engines", "--json").json()
    assert any(e["name"] == "preview" and e["available"] for e in engines)


def test_translate_with_base_keeps_unmentioned_fields(cli, tmp_path):
    base = cli("translate", "jar on black slate, hard light from the right, 100mm macro").json()
    path = tmp_path / "base.json"
    path.write_text(json.dumps(base))
    out = cli("translate", "a ceramic mug", "--base", str(path)).json()
    assert "mug" in out["fibo"]["objects"][0]["description"]
    assert out["controls"]["camera"] == base["controls"]["camera"]
    assert out["fibo"]["background_setting"] == base["fibo"]["background_setting"]


def test_validate_reports_each_error_with_its_path(cli, tmp_path):
    manifest = cli("translate", PROMPT).json()
    manifest["render"]["width"] = 1001
    manifest["fibo"]["lighting"]["direction"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(manifest))
    r = cli("validate", str(path))
    assert r.code == 1
    lines = r.err.strip().splitlines()
    assert lines == ["$.fibo.lighting.direction: expected text, got a whole number"] or \
        any(line.startswith("$.fibo.lighting.direction:") for line in lines)
    assert "Traceback" not in r.err


def bad_inputs(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"fibo": {\n  "objects": [}\n}')
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"schema_version": "1.0", "fibo": {},
                                   "render": {"engine": "preview"}}))
    plain = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(plain)
    return [
        (("render", ""), "prompt is empty"),
        (("render", "   \n\t "), "prompt is empty"),
        (("render", "x" * 1_000_000), "too long"),
        (("render", "--manifest", str(broken)), "line 2 column 15"),
        (("render", "--manifest", str(invalid)), "$.fibo.short_description"),
        (("render", "bottle", "--engine", "warp-drive"), "unknown engine 'warp-drive'"),
        (("render", "bottle", "--width", "1001", "--height", "1024"), "multiple of 8"),
        (("render", "--from-image", str(plain)), "no StudioFlow metadata"),
        (("render", "--manifest", str(tmp_path / "missing.json")), "does not exist"),
        (("refine", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "warmer"), "no render with id"),
        (("show", "nope!"), "no render with id"),
        (("rerender", "01ZZZZZZZZZZ"), "no render with id"),
        (("render",), "exactly one of"),
        (("validate", str(broken)), "line 2 column 15"),
    ]


def test_bad_input_gets_one_clear_error_and_writes_nothing(cli, settings, tmp_path):
    assert cli("render", "bottle", "--width", "128", "--height", "128").code == 0
    before_files = count_state(settings)
    before_hist = cli("history", "--json").json()["items"]
    for args, fragment in bad_inputs(tmp_path):
        r = cli(*args)
        assert r.code == 1, (args, r.out, r.err)
        assert fragment in r.err, (args, r.err)
        assert r.err.startswith("error: ") or args[0] == "validate", (args, r.err)
        assert "Traceback" not in r.err
    assert count_state(settings) == before_files
    assert cli("history", "--json").json()["items"] == before_hist


def test_non_utf8_prompt_bytes_are_refused(settings):
    env = {**os.environ, "STUDIOFLOW_HOME": str(settings.home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "studioflow", "render", b"caf\xe9 bottle"],
                          capture_output=True, env=env)
    assert proc.returncode == 1
    assert b"not valid UTF-8" in proc.stderr and b"Traceback" not in proc.stderr
