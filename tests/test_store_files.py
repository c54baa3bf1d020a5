"""The file store contract, run against the local folder and a real S3 server (SeaweedFS),
then S3's own behaviour: presigned and CDN URLs, errors that name the setting to fix, and
the Studio, CLI and API working end to end on S3."""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from manifests import manifest_with_controls
from s3_server import s3_server  # noqa: F401 - the session's SeaweedFS (a fixture)
from studioflow.core.config import Settings
from studioflow.errors import ConfigError, InputError, MissingExtraError, NotFoundError
from studioflow.store.files_local import LocalFileStore

PNG_LIKE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
UNSAFE_KEYS = ["../escape.png", "/abs.png", "a//b.png", "a/../b.png", "./a.png", "", "a b.png",
               "renders/", "x" * 501]


def fetch(url: str) -> bytes:
    """GET a store URL the way a browser would (file:// for the local store)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="session")
def session_bucket(s3_server) -> str:  # noqa: F811
    """One bucket for the session (the store never creates buckets); tests keep apart by
    prefix, which also keeps SeaweedFS from making volumes for a bucket per test."""
    s3_server.client().create_bucket(Bucket="sf-tests")
    return "sf-tests"


@pytest.fixture
def s3_env(s3_server, monkeypatch, tmp_path):  # noqa: F811
    """boto3's chain finds the test server's keys in AWS_* variables, and nothing of this
    machine's own AWS set-up (profiles, config files, instance metadata)."""
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION",
                "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_server.secret_key)
    return s3_server


@pytest.fixture
def bucket(s3_env, session_bucket) -> str:
    return session_bucket


@pytest.fixture
def prefix() -> str:
    """This test's own folder in the bucket."""
    return f"t{uuid.uuid4().hex[:12]}/images"


def s3_store(server, bucket: str, prefix: str, **kwargs):
    from studioflow.store.files_s3 import S3FileStore

    return S3FileStore(bucket, prefix, **{"endpoint_url": server.endpoint_url, **kwargs})


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalFileStore(tmp_path / "files")
    return s3_store(request.getfixturevalue("s3_env"), request.getfixturevalue("bucket"),
                    request.getfixturevalue("prefix"))


# the contract: both stores -----------------------------------------------------------------
def test_put_get_round_trip(store):
    key = "renders/2026/11/25/01ABC-0.png"
    assert not store.exists(key)
    store.put(key, PNG_LIKE)
    assert store.exists(key) and store.get(key) == PNG_LIKE


def test_overwrite_replaces_the_whole_file(store):
    store.put("a/b.png", PNG_LIKE)
    store.put("a/b.png", b"short")
    assert store.get("a/b.png") == b"short"


def test_delete_is_idempotent_and_missing_keys_are_not_found(store):
    store.delete("never/written.png")
    store.put("gone.png", b"x")
    store.put("kept.png", b"y")
    store.delete("gone.png")
    assert not store.exists("gone.png") and store.get("kept.png") == b"y"
    with pytest.raises(NotFoundError) as info:
        store.get("gone.png")
    assert [d.path for d in info.value.details] == ["key"]


def test_unsafe_keys_are_refused_by_every_operation(store):
    for key in UNSAFE_KEYS:
        for operation in (store.get, store.exists, store.delete, store.url, store.local_path,
                          lambda k: store.put(k, b"x")):
            with pytest.raises(InputError):
                operation(key)


def test_url_serves_the_bytes(store):
    store.put("renders/url.png", PNG_LIKE)
    assert fetch(store.url("renders/url.png")) == PNG_LIKE


def test_concurrent_puts_never_mix_files(store):
    payloads = {t: bytes([t]) * (50_000 + t) for t in range(8)}
    start = threading.Barrier(len(payloads))

    def writer(t: int) -> None:
        start.wait()
        for i in range(4):
            store.put(f"own/{t}-{i}.png", payloads[t])
            store.put("shared.png", payloads[t])

    with ThreadPoolExecutor(len(payloads)) as pool:
        list(pool.map(writer, payloads))
    for t, data in payloads.items():
        assert all(store.get(f"own/{t}-{i}.png") == data for i in range(4))
    assert store.get("shared.png") in payloads.values()  # one writer's file, whole


# S3 only ------------------------------------------------------------------------------------
def test_keys_live_under_the_prefix_with_their_content_type(s3_env, bucket, prefix):
    store = s3_store(s3_env, bucket, f"/{prefix}/")  # slashes around a prefix are dropped
    store.put("renders/a.png", PNG_LIKE)
    store.put("exports/a.json", b"{}", content_type="application/json")
    client = s3_env.client()
    top = prefix.split("/")[0]
    listed = client.list_objects_v2(Bucket=bucket, Prefix=top)["Contents"]
    assert sorted(o["Key"] for o in listed) == [f"{prefix}/exports/a.json",
                                                 f"{prefix}/renders/a.png"]
    head = client.head_object(Bucket=bucket, Key=f"{prefix}/exports/a.json")
    assert head["ContentType"] == "application/json"
    assert not s3_store(s3_env, bucket, top).exists("renders/a.png")


def test_presigned_urls_are_signed_and_expire(s3_env, bucket, prefix):
    store = s3_store(s3_env, bucket, prefix, presign_expires_s=900)
    store.put("renders/p.png", PNG_LIKE)
    url = store.url("renders/p.png")
    assert url.startswith(f"{s3_env.endpoint_url}/{bucket}/{prefix}/renders/p.png?")
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["900"]  # the configured lifetime
    with urllib.request.urlopen(url) as response:
        assert response.read() == PNG_LIKE
        assert response.headers["Content-Type"] == "image/png"

    signature = query["X-Amz-Signature"][0]
    forged = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert fetch_status(url.replace(signature, forged)) == 403
    assert fetch_status(url.split("?")[0]) == 403  # unsigned: the bucket is private

    short = store.url("renders/p.png", expires=1)
    time.sleep(2.05)  # signing time is truncated to seconds: past 1 s whatever the start
    assert fetch_status(short) == 403
    with pytest.raises(InputError):
        store.url("renders/p.png", expires=8 * 24 * 3600)  # SigV4 allows 7 days at most


@pytest.mark.parametrize("base", ["https://cdn.example.com/shop/images",
                                  "https://cdn.example.com/shop/images/"])
def test_cdn_base_url_replaces_presigning(s3_env, bucket, base):
    store = s3_store(s3_env, bucket, "shop/images", public_base_url=base)
    assert store.url("renders/2026/a-0.png") == "https://cdn.example.com/shop/images/renders/2026/a-0.png"
    assert store.local_path("renders/2026/a-0.png") is None


# errors that say what to fix ---------------------------------------------------------------
def detail_paths(info) -> list[str]:
    return [d.path for d in info.value.details]


def test_missing_bucket_asks_to_create_it(s3_env, settings):
    from studioflow.core.wiring import open_files

    settings = settings.model_copy(update={"s3_endpoint_url": s3_env.endpoint_url})
    with pytest.raises(ConfigError) as info:
        open_files("s3://sf-no-such-bucket/images", settings)
    assert "create it" in info.value.message
    assert detail_paths(info) == ["STUDIOFLOW_STORAGE_URL"]


def test_unreachable_endpoint_names_the_endpoint_setting(s3_env, bucket, prefix):
    from s3_server import free_ports

    with pytest.raises(ConfigError) as info:
        s3_store(s3_env, bucket, prefix, endpoint_url=f"http://127.0.0.1:{free_ports(1)[0]}",
                 max_attempts=1)
    assert detail_paths(info) == ["STUDIOFLOW_S3_ENDPOINT_URL"]


def test_wrong_secret_is_access_denied(s3_env, bucket, prefix, monkeypatch):
    store = s3_store(s3_env, bucket, prefix)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(ConfigError) as info:
        s3_store(s3_env, bucket, prefix)
    assert "denied" in info.value.message and detail_paths(info) == ["AWS_ACCESS_KEY_ID"]
    store.put("still/works.png", b"x")  # a store opened with good keys keeps them


def test_missing_credentials_name_the_aws_variables(s3_env, bucket, prefix, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(ConfigError) as info:
        s3_store(s3_env, bucket, prefix)
    assert detail_paths(info) == ["AWS_ACCESS_KEY_ID"]
    assert "AWS_SECRET_ACCESS_KEY" in info.value.details[0].message


@pytest.mark.parametrize("url", ["s3://", "s3:///images", "s3://key:secret@bucket/images",
                                 "s3://bucket/a/../b"])
def test_bad_s3_urls_are_config_errors(url):
    from studioflow.core.wiring import open_files

    with pytest.raises(ConfigError) as info:
        open_files(url, Settings())
    assert detail_paths(info) == ["STUDIOFLOW_STORAGE_URL"]


def test_missing_boto3_names_the_extra(monkeypatch):
    from studioflow.core.wiring import open_files

    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 now fails
    with pytest.raises(MissingExtraError) as info:
        open_files("s3://bucket/images", Settings())
    assert info.value.extra == "s3" and "studioflow[s3]" in info.value.message


# the Studio, CLI and API on S3 -------------------------------------------------------------
@pytest.fixture
def s3_settings(settings, s3_env, bucket, prefix) -> Settings:
    return settings.model_copy(update={"storage_url": f"s3://{bucket}/{prefix}",
                                       "s3_endpoint_url": s3_env.endpoint_url})


def test_studio_renders_rerenders_and_recovers_on_s3(s3_settings, s3_env, bucket, prefix):
    from studioflow.core.studio import pixels_digest
    from studioflow.core.wiring import open_studio
    from studioflow.export.png import decode_png, read_metadata

    studio = open_studio(s3_settings)
    assert studio.files.local_path("x.png") is None  # really the S3 store
    record = studio.render(manifest_with_controls(seed=42))
    data = studio.image_bytes(record.id)
    assert read_metadata(data)["render_id"] == record.id
    assert pixels_digest(decode_png(data)) == record.images[0].sha256
    stored = s3_env.client().get_object(Bucket=bucket, Key=f"{prefix}/{record.images[0].key}")
    assert stored["Body"].read() == data

    again = studio.rerender(record.id)
    from_image = studio.render(studio.manifest_from_image(data))
    assert again.images[0].sha256 == from_image.images[0].sha256 == record.images[0].sha256

    # a process killed between writing the image and committing the record
    orphan = "renders/2026/01/01/01KILLEDRENDER000000000000-0.png"
    studio.records.reserve_files("01KILLEDRENDER000000000000", [orphan])
    studio.files.put(orphan, data)
    assert studio.recover(older_than_s=0) == 1
    assert not studio.files.exists(orphan)
    assert studio.files.exists(record.images[0].key)


def test_cli_prints_presigned_urls_and_downloads_out(s3_settings, monkeypatch, capsys,
                                                     tmp_path):
    from cli_runner import run_cli

    monkeypatch.setenv("STUDIOFLOW_STORAGE_URL", s3_settings.storage_url)
    monkeypatch.setenv("STUDIOFLOW_S3_ENDPOINT_URL", s3_settings.s3_endpoint_url)
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(manifest_with_controls(seed=5, width=128, height=128)))
    made = run_cli(capsys, "render", "--manifest", str(manifest), "--out", str(tmp_path / "out"),
                   "--json")
    assert made.code == 0, made.err
    copy = Path(made.json()["image_path"])
    assert copy.parent == tmp_path / "out"
    listed = run_cli(capsys, "history", "--json").json()["items"][0]
    assert listed["image_path"].startswith(s3_settings.s3_endpoint_url)
    assert fetch(listed["image_path"]) == copy.read_bytes()


def test_api_links_images_to_presigned_urls(s3_settings, s3_env, bucket, prefix):
    from fastapi.testclient import TestClient

    from api_support import make_app, slow_manifest, wait_for
    from studioflow.core.studio import pixels_digest
    from studioflow.export.png import decode_png

    app = make_app(s3_settings, workers=1, steps=1, delay=0)
    with TestClient(app) as client:
        job = client.post("/v1/renders", json={"manifest": slow_manifest(seed=3)}).json()
        done = wait_for(client, job["job_id"])
        assert done["status"] == "succeeded", done
        record = client.get(f"/v1/renders/{done['render_id']}").json()
        image = record["images"][0]
        assert image["url"].startswith(f"{s3_env.endpoint_url}/{bucket}/{prefix}/renders/")
        assert "X-Amz-Signature=" in image["url"]
        data = fetch(image["url"])
        assert pixels_digest(decode_png(data)) == image["sha256"]
        streamed = client.get(record["links"]["image"])  # the API's own route still works
        assert streamed.status_code == 200 and streamed.content == data
        tree = client.get(f"/v1/renders/{record['id']}/lineage").json()
        assert fetch(tree["image_url"]) == data
