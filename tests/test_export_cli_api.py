"""`studioflow export` and `GET /v1/renders/{id}/export`: files, names, media types, errors."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from api_support import assert_error, make_app, slow_manifest
from cli_runner import run_cli
from export_support import exr_read, pillow_image, tiff_tags, xmp_fields, xmp_of
from manifests import minimal_manifest
from studioflow.errors import MissingExtraError, UnsupportedError
from studioflow.export.exporter import export_image
from studioflow.export.formats import FORMAT_NAMES, ExportOptions
from studioflow.export.provenance import Provenance

EXTENSIONS = {"png": "png", "png16": "png", "jpeg": "jpg", "webp": "webp", "tiff": "tif",
              "exr": "exr"}
MEDIA_TYPES = {"png": "image/png", "png16": "image/png", "jpeg": "image/jpeg",
               "webp": "image/webp", "tiff": "image/tiff", "exr": "image/x-exr"}


def opens_as(fmt: str, data: bytes) -> None:
    """The bytes are a file of that format, for a reader of that format."""
    if fmt == "tiff":
        assert tiff_tags(data)[0].shape[2] == 3
    elif fmt == "exr":
        assert exr_read(data)[0].shape[2] == 3
    else:
        assert pillow_image(data).format == {"jpeg": "JPEG", "webp": "WEBP"}.get(fmt, "PNG")


# CLI -------------------------------------------------------------------------------------
@pytest.fixture
def cli(settings, capsys):
    return lambda *args: run_cli(capsys, *args)


@pytest.fixture
def rendered(studio):
    return studio.render(minimal_manifest(width=64, height=64, num_images=1))


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_cli_exports_into_a_folder_with_the_render_s_name(cli, rendered, tmp_path, fmt):
    r = cli("export", rendered.id[:10], "--format", fmt, "--out", str(tmp_path))
    assert r.code == 0, r.err
    suffix = "-16bit" if fmt == "png16" else ""
    target = tmp_path / f"{rendered.id}-0{suffix}.{EXTENSIONS[fmt]}"
    assert r.out.strip() == str(target)
    data = target.read_bytes()
    opens_as(fmt, data)
    assert xmp_fields(xmp_of(fmt, data))["renderId"] == rendered.id


def test_cli_writes_the_named_file_with_options(cli, studio, rendered, tmp_path):
    target = tmp_path / "deep" / "shot.webp"
    r = cli("export", rendered.id, "-f", "webp", "-o", str(target), "--lossless",
            "--quality", "50")
    assert r.code == 0, r.err
    assert target.read_bytes() == export_image(
        studio, rendered.id, "webp", options=ExportOptions(quality=50, lossless=True)).data


@pytest.mark.parametrize("args,fragments", [
    (["--format", "gif"], ["unknown export format 'gif'", *FORMAT_NAMES]),
    (["--format", "png", "--index", "3"], ["has no image 3"]),
    (["--format", "png", "--quality", "80"], ["invalid options for png", "quality"]),
    (["--format", "jpeg", "--quality", "0"], ["invalid options for jpeg", "1-100"]),
    (["--format", "jpeg", "--lossless"], ["lossless"]),
])
def test_cli_errors_are_clear_and_write_nothing(cli, rendered, tmp_path, args, fragments):
    out = tmp_path / "out"
    out.mkdir()
    r = cli("export", rendered.id, *args, "--out", str(out))
    assert r.code == 1 and r.err.startswith("error: "), r.err
    for fragment in fragments:
        assert fragment in r.err
    assert list(out.iterdir()) == []


def test_cli_defaults_to_the_export_s_name_in_the_current_folder(cli, rendered, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("export", rendered.id, "--format", "exr")
    assert r.code == 0, r.err
    assert (tmp_path / f"{rendered.id}-0.exr").is_file()


def test_cli_unknown_format_is_one_line_and_unknown_id_is_not_found(cli, rendered, tmp_path):
    r = cli("export", rendered.id, "--format", "bmp", "--out", str(tmp_path))
    assert len(r.err.strip().splitlines()) == 1
    r = cli("export", "ZZZZZZZZ", "--format", "png", "--out", str(tmp_path))
    assert r.code == 1 and "no render" in r.err


# API -------------------------------------------------------------------------------------
@pytest.fixture
def api(settings):
    from fastapi.testclient import TestClient

    app = make_app(settings, workers=0)
    record = app.state.studio.render(slow_manifest(5, num_images=2))
    with TestClient(app) as client:
        yield client, record


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_api_streams_each_format_with_its_type_and_name(api, fmt):
    client, record = api
    response = client.get(f"/v1/renders/{record.id[:8]}/export", params={"format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPES[fmt]
    suffix = "-16bit" if fmt == "png16" else ""
    # the name comes from the full id, not from the prefix in the request
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{record.id}-0{suffix}.{EXTENSIONS[fmt]}"')
    assert int(response.headers["content-length"]) == len(response.content)
    opens_as(fmt, response.content)
    found = xmp_fields(xmp_of(fmt, response.content))
    assert found["renderId"] == record.id and found["seed"] == "5"
    assert json.loads(found["manifest"]) == record.manifest


def test_api_exports_the_asked_image(api):
    client, record = api
    response = client.get(f"/v1/renders/{record.id}/export", params={"format": "tiff",
                                                                   "index": 1})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith(f'{record.id}-1.tif"')
    assert xmp_fields(xmp_of("tiff", response.content))["imageIndex"] == "1"


def test_api_missing_extra_is_503(api, monkeypatch):
    client, record = api
    monkeypatch.setitem(sys.modules, "OpenEXR", None)
    error = assert_error(client.get(f"/v1/renders/{record.id}/export", params={"format": "exr"}),
                         503, "missing_extra")
    assert "studioflow[export]" in error["message"]


def test_api_options_reach_the_encoder(api):
    client, record = api
    sizes = [len(client.get(f"/v1/renders/{record.id}/export",
                            params={"format": "jpeg", "quality": q}).content) for q in (5, 95)]
    assert sizes[0] < sizes[1]
    lossless = client.get(f"/v1/renders/{record.id}/export",
                          params={"format": "webp", "lossless": "true"})
    assert lossless.status_code == 200
    assert lossless.content == export_image(
        client.app.state.studio, record.id, "webp", options=ExportOptions(lossless=True)).data


@pytest.mark.parametrize("params,status,code,path", [
    ({"format": "gif"}, 422, "invalid_request", "query.format"),
    ({}, 422, "invalid_request", "query.format"),
    ({"format": "png", "index": 2}, 404, "not_found", "query.index"),
    ({"format": "png", "index": -1}, 422, "invalid_request", "query.index"),
    ({"format": "png", "quality": 80}, 422, "unsupported", "query.quality"),
    ({"format": "jpeg", "quality": 101}, 422, "invalid_request", "query.quality"),
    ({"format": "tiff", "lossless": "true"}, 422, "unsupported", "query.lossless"),
])
def test_api_errors(api, params, status, code, path):
    client, record = api
    error = assert_error(client.get(f"/v1/renders/{record.id}/export", params=params),
                         status, code, path)
    if params.get("format") == "gif":
        for name in FORMAT_NAMES:
            assert f"'{name}'" in error["details"][0]["message"]


def test_api_unknown_render_is_404(api):
    client, _record = api
    assert_error(client.get("/v1/renders/ZZZZZZZZZZ/export", params={"format": "png"}),
                 404, "not_found")


# the exporter's own refusals -------------------------------------------------------------
def test_unknown_format_error_lists_the_formats(studio, rendered):
    with pytest.raises(UnsupportedError) as info:
        export_image(studio, rendered.id, "gif")
    assert [d.path for d in info.value.details] == ["format"]
    assert all(name in info.value.message for name in FORMAT_NAMES)


@pytest.mark.parametrize("module,fmt", [("tifffile", "tiff"), ("OpenEXR", "exr")])
def test_a_missing_library_names_the_extra(studio, rendered, monkeypatch, module, fmt):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(MissingExtraError) as info:
        export_image(studio, rendered.id, fmt)
    assert info.value.extra == "export" and "studioflow[export]" in info.value.message


def test_a_pillow_that_cannot_write_jpeg_xmp_is_refused(studio, rendered, monkeypatch):
    import PIL

    monkeypatch.setattr(PIL, "__version__", "10.4.0")  # its save() drops the xmp argument
    with pytest.raises(MissingExtraError, match="Pillow"):
        export_image(studio, rendered.id, "jpeg")


def test_provenance_too_large_for_a_jpeg_is_refused(studio, rendered):
    from studioflow.export.export_jpeg_webp import write_jpeg

    record = studio.get(rendered.id)
    huge = {**record.manifest, "padding": "x" * 70_000}
    prov = Provenance.of(record, 0)
    prov = Provenance(**{**prov.__dict__, "manifest": huge})
    pixels = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(UnsupportedError, match="does not fit in a JPEG"):
        write_jpeg(pixels, prov, 90)


def test_characters_xml_cannot_hold_still_round_trip_through_xmp(studio, rendered):
    """Lone surrogates, U+FFFE and control characters: XML 1.0 cannot carry them raw; the
    manifest JSON escapes them, so the parsed manifest is exactly the original."""
    from studioflow.export.xmp import build_xmp

    record = studio.get(rendered.id)
    odd = {**record.manifest, "odd": "a\ud800b\ufffec\x01d\x7f<&>\"'"}
    prov = Provenance(**{**Provenance.of(record, 0).__dict__, "manifest": odd})
    packet = build_xmp(prov, "image/png").encode("utf-8")
    assert json.loads(xmp_fields(packet)["manifest"]) == odd
