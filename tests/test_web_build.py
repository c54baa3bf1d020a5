"""The web studio's generated and built files are never stale, and its unit tests pass.

- ``web/src/generated/`` (API client types from the OpenAPI document, manifest types from
  fibo_schema.json) equals a fresh ``scripts/generate-web-types.py`` run;
- ``src/studioflow/web_dist/build-info.json`` records the hash of the sources it was built
  from, which must be the sources' hash now (no Node needed), and a fresh build is byte for
  byte the committed one (Vite's output is reproducible);
- Vitest's component tests (``npm test -- --run``) pass.

The checks that run Node need ``web/node_modules`` (``cd web && npm ci``): they are skipped
without it locally and fail under CI (STUDIOFLOW_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import service_missing
from web_support import DIST, ROOT, WEB

GENERATED = WEB / "src" / "generated"
TEST_FILE = re.compile(r"\.test\.tsx?$")


def need_node_modules() -> None:
    if shutil.which("npm") is None:
        service_missing("Node.js and npm for the web studio checks", "npm is not on PATH")
    if not (WEB / "node_modules").is_dir():
        service_missing("web/node_modules for the web studio checks", "run `cd web && npm ci`")


def build_inputs() -> list[str]:
    """The inputs named in web/scripts/build-info.ts (its INPUTS list and its rule that tests
    are not inputs), as paths relative to web/."""
    source = (WEB / "scripts" / "build-info.ts").read_text()
    listed = re.search(r"export const INPUTS = \[(.*?)\];", source, re.S)
    assert listed, "INPUTS not found in web/scripts/build-info.ts"
    files = []
    for entry in re.findall(r'"([^"]+)"', listed.group(1)):
        path = WEB / entry
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for p in candidates:
            rel = p.relative_to(WEB).as_posix()
            if not TEST_FILE.search(rel) and not rel.startswith("src/test/"):
                files.append(rel)
    return sorted(files)


def inputs_digest() -> str:
    total = hashlib.sha256()
    for rel in build_inputs():
        content = hashlib.sha256((WEB / rel).read_bytes()).hexdigest()
        total.update(f"{rel}\0{content}\n".encode())
    return total.hexdigest()


def test_committed_build_was_made_from_the_current_sources():
    info = json.loads((DIST / "build-info.json").read_text())
    assert info["input_files"] == len(build_inputs())
    assert info["inputs_sha256"] == inputs_digest(), (
        "web/ changed since src/studioflow/web_dist was built: run `cd web && npm run build` "
        "and commit src/studioflow/web_dist")


def test_index_names_only_assets_that_are_shipped():
    index = (DIST / "index.html").read_text()
    names = re.findall(r'(?:src|href)="/assets/([^"]+)"', index)
    assert names, "index.html loads no assets"
    for name in names:
        assert (DIST / "assets" / name).is_file(), name


def test_generated_types_match_the_api_and_the_schema(tmp_path):
    need_node_modules()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate-web-types.py"),
                    "--out", str(tmp_path)], check=True, cwd=ROOT, capture_output=True)
    for name in ("api.d.ts", "manifest.d.ts"):
        fresh = (tmp_path / name).read_text()
        committed = (GENERATED / name).read_text()
        assert fresh == committed, (
            f"web/src/generated/{name} is stale: run `python scripts/generate-web-types.py`, "
            "then `cd web && npm run build`")


def test_a_fresh_build_equals_the_committed_one(tmp_path):
    need_node_modules()
    out = tmp_path / "dist"
    run = subprocess.run(["npm", "run", "build", "--", "--outDir", str(out), "--emptyOutDir"],
                         cwd=WEB, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]  # includes tsc
    fresh = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    committed = {p.relative_to(DIST).as_posix(): p.read_bytes()
                 for p in DIST.rglob("*") if p.is_file()}
    assert sorted(fresh) == sorted(committed), "run `cd web && npm run build`"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"{changed} differ from a fresh build: run `cd web && npm run build`"


@pytest.mark.slow
def test_component_tests_pass():
    need_node_modules()
    run = subprocess.run(["npm", "test", "--", "--run"], cwd=WEB, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert re.search(r"Tests\s+.*\d+ passed", re.sub(r"\x1b\[[0-9;]*m", "", run.stdout))
