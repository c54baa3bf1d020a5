"""The bria engine against a local fake of Bria's v2 API (tests/bria_fake_server.py).

What matters most: an accepted (billed) request is never submitted twice, only failures that
prove nothing reached Bria are retried, and every failure reads as a clear error.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image

from bria_fake_server import FakeBria, Fault
from cli_runner import run_cli
from engine_contract import check_engine_contract
from manifests import manifest_with_controls, minimal_manifest
from studioflow.core.controls import apply_controls
from studioflow.core.orchestrator import build_request
from studioflow.engines import CancelToken, Engine
from studioflow.engines.bria.config import BriaSettings
from studioflow.engines.bria.engine_bria import BriaEngine, create
from studioflow.engines.bria.payload import build_body, structured_prompt
from studioflow.engines.bria.retry import backoff_delay, retry_after_seconds
from studioflow.engines.fibo.prompt import serialize
from studioflow.errors import (
    CancelledError,
    ConfigError,
    EngineError,
    InputError,
    UnsupportedError,
)
from studioflow.schema import field_order

TOKEN = "test-token"


@pytest.fixture(autouse=True)
def no_bria_env(monkeypatch):
    for var in list(os.environ):
        if var.startswith("BRIA_"):
            monkeypatch.delenv(var)


@pytest.fixture
def fake():
    server = FakeBria(TOKEN)
    yield server
    server.close()


def fast(url: str, **overrides) -> BriaSettings:
    values = dict(api_token=TOKEN, api_url=url, poll_interval=0.01, poll_max_interval=0.02,
                  backoff=0.01, max_backoff=1.0, timeout=10.0, read_timeout=5.0,
                  connect_timeout=1.0)
    return BriaSettings(**{**values, **overrides})


def request(width=1024, height=1024, seed=11, cancel=None, **render):
    manifest = apply_controls(manifest_with_controls(engine="bria", width=width, height=height,
                                                     seed=seed, **render))
    return build_request(manifest, cancel)


class Retries(list):
    def __call__(self, what, attempt, delay):
        self.append((what, attempt, delay))


# the body ---------------------------------------------------------------------------------
def test_structured_prompt_is_fibo_order_compact_and_without_empty_values():
    manifest = minimal_manifest()
    fibo = manifest["fibo"]
    manifest["fibo"] = dict(reversed(list(fibo.items())))  # scramble the key order
    manifest["fibo"]["lighting"]["shadows"] = ""
    text = structured_prompt(manifest)
    data = json.loads(text)
    assert list(data) == [k for k in field_order("fibo") if k in data]
    assert "text_render" not in data  # it was [] in the manifest
    assert "shadows" not in data["lighting"] and data["lighting"]["direction"] == "from the left"
    assert text == json.dumps(data, separators=(",", ":"))  # compact, like Bria's ujson
    assert text == serialize(manifest["fibo"])  # the local fibo engine sends the same text


@pytest.mark.parametrize("size, ratio, resolution", [
    ((1024, 1024), "1:1", None), ((896, 1120), "4:5", None), ((1344, 768), "16:9", None),
    ((1280, 800), "16:10", None), ((2048, 2048), "1:1", "4MP"), ((1792, 2240), "4:5", "4MP"),
])
def test_sizes_map_to_bria_aspect_ratio_and_resolution(size, ratio, resolution):
    body, _ = build_body(request(*size), sync=True)
    assert body["aspect_ratio"] == ratio
    assert body.get("resolution") == resolution
    assert body["sync"] is (resolution is None)  # Bria refuses sync with 4MP


@pytest.mark.parametrize("size", [(1000, 1000), (768, 768), (2560, 1600), (1024, 1025)])
def test_other_sizes_are_refused_before_sending(fake, size):
    engine = BriaEngine(fast(fake.url))
    with pytest.raises(UnsupportedError) as info:
        engine.render(request(*size))
    assert {d.path for d in info.value.details} == {"$.render.width", "$.render.height"}
    assert "1024x1024 (1:1 1MP)" in str(info.value.details[0])
    assert fake.submits == []


def test_options_are_sent_in_bria_names(fake):
    engine = BriaEngine(fast(fake.url))
    engine.render(request(steps=30, guidance_scale=4.0, negative_prompt="blurry, watermark",
                          model="FIBO"))
    body = fake.submits[0]
    assert body["steps_num"] == 30 and body["guidance_scale"] == 4
    assert body["negative_prompt"] == "blurry, watermark" and body["model_version"] == "FIBO"
    assert "prompt" not in body  # the structured prompt alone, so the VLM bridge is skipped


def test_negative_caption_is_sent_as_compact_json():
    body, _ = build_body(request(negative_prompt={"style_medium": "illustration",
                                                  "context": ""}), sync=False)
    assert body["negative_prompt"] == '{"style_medium":"illustration"}'


def test_guidance_outside_bria_range_is_refused_before_sending(fake):
    with pytest.raises(UnsupportedError) as info:
        BriaEngine(fast(fake.url)).render(request(guidance_scale=7.5))
    assert info.value.details[0].path == "$.render.guidance_scale"
    assert fake.submits == []


# happy paths ------------------------------------------------------------------------------
def test_async_render_submits_once_polls_and_records_what_bria_reports(fake):
    fake.running_polls = 3
    events = []
    req = request(seed=42)
    result = BriaEngine(fast(fake.url)).render(req, events.append)

    assert len(fake.submits) == 1 and len(fake.accepted) == 1
    job = fake.accepted[0]
    assert job.body["structured_prompt"] == structured_prompt(req.manifest)
    assert job.body["seed"] == 42 and job.body["aspect_ratio"] == "1:1"
    assert job.body["sync"] is False
    assert fake.count("GET", "/v2/status/") == 4  # three IN_PROGRESS, then COMPLETED
    assert [e.step for e in events] == [1, 2, 3, 4] and {e.total for e in events} == {4}
    assert job.request_id in events[0].message

    image = result.images[0]
    assert image.shape == (1024, 1024, 3) and image.dtype == np.uint8
    assert tuple(image[0, 0]) == (42 * 37 % 256, 42 * 91 % 256, 42 * 53 % 256)
    meta = result.metadata
    assert meta["bria_request_id"] == job.request_id and meta["bria_seed"] == 42
    assert meta["bria_structured_prompt"] == json.loads(job.body["structured_prompt"])
    assert meta["bria_sync"] is False and meta["bria_model_version"] is None
    assert result.model == "FIBO"


def test_token_goes_to_the_api_but_not_to_the_image_storage(fake):
    BriaEngine(fast(fake.url)).render(request())
    for method, path, headers in fake.calls:
        assert (headers.get("api_token") == TOKEN) == path.startswith("/v2/"), (method, path)


def test_sync_render_gets_the_image_without_polling(fake):
    events = []
    result = BriaEngine(fast(fake.url, sync=True)).render(request(), events.append)
    assert fake.accepted[0].body["sync"] is True
    assert fake.count("GET", "/v2/status/") == 0
    assert [e.step for e in events] == [1, 2, 3, 4]
    assert result.metadata["bria_sync"] is True
    assert result.metadata["bria_request_id"] == fake.accepted[0].request_id


def test_bria_native_size_is_fitted_to_the_requested_size(fake):
    # the fake delivers 832x1216 for 2:3 (Bria picks its own pixels); we asked for 832x1248
    result = BriaEngine(fast(fake.url)).render(request(832, 1248))
    assert result.images[0].shape == (1248, 832, 3)
    assert result.metadata["bria_image_size"] == [832, 1216]
    assert result.metadata["bria_aspect_ratio"] == "2:3"


def test_4mp_is_always_polled(fake):
    BriaEngine(fast(fake.url, sync=True)).render(request(2048, 2048))
    body = fake.accepted[0].body
    assert body["resolution"] == "4MP" and body["sync"] is False
    assert fake.count("GET", "/v2/status/") >= 1


# retries that are safe --------------------------------------------------------------------
def test_429_is_retried_after_retry_after_and_billed_once(fake):
    fake.submit_faults.append(Fault(429, {"error": {"code": 429, "message": "Too Many"}},
                                    {"Retry-After": "0"}))
    retries = Retries()
    result = BriaEngine(fast(fake.url), on_retry=retries).render(request())
    assert len(fake.submits) == 2 and len(fake.accepted) == 1
    assert retries == [("submit", 1, 0.0)]  # Retry-After: 0 beat the 0.01 s back-off
    assert result.metadata["bria_request_id"] == fake.accepted[0].request_id


def test_retry_after_longer_than_allowed_gives_up_without_resubmitting(fake):
    fake.submit_faults.append(Fault(429, {"error": {"message": "slow down"}},
                                    {"Retry-After": "120"}))
    with pytest.raises(EngineError, match="retry after 120 s"):
        BriaEngine(fast(fake.url)).render(request())
    assert len(fake.submits) == 1 and fake.accepted == []


def test_500_on_submit_is_retried(fake):
    fake.submit_faults.append(Fault(500, {"error": {"code": 500, "message": "boom"}}))
    retries = Retries()
    BriaEngine(fast(fake.url), on_retry=retries).render(request())
    assert len(fake.submits) == 2 and len(fake.accepted) == 1
    assert retries == [("submit", 1, 0.01)]


def test_persistent_5xx_gives_up_after_max_attempts(fake):
    for _ in range(5):
        fake.submit_faults.append(Fault(503, {"error": {"message": "overloaded"}}))
    with pytest.raises(EngineError, match="overloaded.*gave up after 3 tries"):
        BriaEngine(fast(fake.url, max_attempts=3)).render(request())
    assert len(fake.submits) == 3 and fake.accepted == []


def test_connection_refused_then_success():
    server = FakeBria(TOKEN, listen=False)  # bound but not listening: connects are refused
    try:
        retries = Retries()

        def start_listening(what, attempt, delay):
            retries(what, attempt, delay)
            server.listen()

        result = BriaEngine(fast(server.url), on_retry=start_listening).render(request())
        assert [r[0] for r in retries] == ["submit"]
        assert len(server.submits) == 1 and len(server.accepted) == 1
        assert result.images[0].shape == (1024, 1024, 3)
    finally:
        server.close()


def test_status_errors_are_polled_again_never_resubmitted(fake):
    fake.status_faults.extend([Fault(500, {"error": {"message": "status down"}}),
                               Fault(503, {"error": {"message": "busy"}}, {"Retry-After": "0"}),
                               Fault(200, b"<html>proxy error</html>")])
    retries = Retries()
    result = BriaEngine(fast(fake.url), on_retry=retries).render(request())
    assert len(fake.submits) == 1 and len(fake.accepted) == 1
    assert [r[0] for r in retries] == ["status"] * 3
    assert fake.count("GET", "/v2/status/") == 3 + 2  # three faults, IN_PROGRESS, COMPLETED
    assert result.metadata["bria_request_id"] == fake.accepted[0].request_id


def test_status_that_keeps_failing_names_the_billed_request(fake):
    for _ in range(10):
        fake.status_faults.append(Fault(502, {"error": {"message": "bad gateway"}}))
    with pytest.raises(EngineError) as info:
        BriaEngine(fast(fake.url, max_attempts=3)).render(request())
    assert fake.accepted[0].request_id in info.value.message
    assert "billed" in info.value.message and len(fake.submits) == 1


# retries that are not safe ----------------------------------------------------------------
def test_read_timeout_on_submit_is_not_retried(fake):
    fake.submit_faults.append(Fault(202, {"request_id": "late"}, accept=True, hang=1.0))
    with pytest.raises(EngineError) as info:
        BriaEngine(fast(fake.url, read_timeout=0.2)).render(request())
    assert "may have been accepted" in info.value.message
    assert "Bria dashboard" in info.value.message
    assert len(fake.submits) == 1 and len(fake.accepted) == 1


def test_invalid_json_answer_to_submit_is_not_retried(fake):
    fake.submit_faults.append(Fault(202, b"<html>gateway</html>", accept=True))
    with pytest.raises(EngineError, match="may have been accepted"):
        BriaEngine(fast(fake.url)).render(request())
    assert len(fake.submits) == 1


def test_gateway_timeout_on_submit_is_not_retried(fake):
    fake.submit_faults.append(Fault(504, {"error": {"message": "Gateway Timeout"}}, accept=True))
    with pytest.raises(EngineError, match="may still be running"):
        BriaEngine(fast(fake.url)).render(request())
    assert len(fake.submits) == 1


# refusals and failures --------------------------------------------------------------------
@pytest.mark.parametrize("setup, error, words, path", [
    ("bad_token", ConfigError, "missing or invalid api_token", "BRIA_API_TOKEN"),
    ("bad_request", InputError, "seed must be an integer", "$.fibo"),
    ("moderated", InputError, "Prompt moderation failed", "$.fibo"),
])
def test_4xx_answers_are_clear_errors_with_bria_message(fake, setup, error, words, path):
    settings = fast(fake.url, api_token="wrong" if setup == "bad_token" else TOKEN)
    if setup == "bad_request":
        fake.submit_faults.append(Fault(400, {"error": {"code": 400, "message": "Bad Request",
                                                        "details": "seed must be an integer"}}))
    if setup == "moderated":
        fake.blocked_words = ("perfume",)
    with pytest.raises(error) as info:
        BriaEngine(settings).render(request())
    assert words in info.value.message and type(info.value) is error
    assert info.value.details[0].path == path
    assert len(fake.submits) == 1 and fake.accepted == []


@pytest.mark.parametrize("outcome, words", [
    ("ERROR", "Visual output moderation failed"),
    ("UNKNOWN", "contact Bria support"),
])
def test_failed_generation_is_an_error_not_an_image(fake, outcome, words):
    fake.outcome = outcome
    fake.outcome_error = {"code": 422, "message": "Visual output moderation failed",
                          "details": "the generated image was blocked"}
    with pytest.raises(EngineError) as info:
        BriaEngine(fast(fake.url)).render(request())
    assert words in info.value.message
    assert fake.accepted[0].request_id in info.value.message
    assert fake.count("GET", "/files/") == 0 and len(fake.submits) == 1


def test_overall_timeout_names_the_request(fake):
    fake.outcome = "NEVER"
    with pytest.raises(EngineError) as info:
        BriaEngine(fast(fake.url, timeout=0.3)).render(request())
    assert "BRIA_TIMEOUT" in info.value.message
    assert fake.accepted[0].request_id in info.value.message and len(fake.submits) == 1


# cancellation -----------------------------------------------------------------------------
def test_cancel_during_polling_stops_polling_and_warns_about_billing(fake):
    fake.outcome = "NEVER"
    token = CancelToken()
    polls_at_cancel = []

    def on_progress(event):
        if event.step == 2:  # Bria is generating
            polls_at_cancel.append(fake.count("GET", "/v2/status/"))
            token.cancel()

    with pytest.raises(CancelledError, match="may still be billed"):
        BriaEngine(fast(fake.url, poll_interval=0.05)).render(request(cancel=token), on_progress)
    assert fake.count("GET", "/v2/status/") == polls_at_cancel[0]
    assert len(fake.submits) == 1


def test_cancel_before_submit_sends_nothing(fake):
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        BriaEngine(fast(fake.url)).render(request(cancel=token))
    assert fake.calls == []


# setup ------------------------------------------------------------------------------------
def test_missing_token_makes_the_engine_unavailable_and_render_say_what_to_do(fake):
    engine = BriaEngine(fast(fake.url, api_token=None))
    status = engine.status()
    assert not status.configured and not status.available
    assert "BRIA_API_TOKEN" in status.reason and "export" in status.reason
    with pytest.raises(ConfigError) as info:
        engine.render(request())
    assert info.value.details[0].path == "BRIA_API_TOKEN"
    assert fake.calls == []


def test_status_is_offline_and_never_shows_the_token(fake):
    engine = BriaEngine(fast(fake.url))
    status = engine.status()
    assert status.installed and status.configured and status.available
    assert TOKEN not in json.dumps(status.as_dict()) and TOKEN not in repr(engine.settings)
    assert fake.calls == []


def test_malformed_base_url_makes_the_engine_unavailable():
    status = BriaEngine(fast("engine.prod.bria-api.com/v2")).status()
    assert status.configured and not status.available and "BRIA_API_URL" in status.reason


def test_create_reads_bria_environment(monkeypatch):
    monkeypatch.setenv("BRIA_API_TOKEN", "from-env")
    monkeypatch.setenv("BRIA_API_URL", "http://127.0.0.1:9/v2/")
    engine = create(None)
    assert isinstance(engine, Engine) and engine.settings.token == "from-env"
    assert engine.settings.base_url == "http://127.0.0.1:9/v2"


# retry arithmetic -------------------------------------------------------------------------
def test_retry_after_reads_seconds_and_http_dates():
    from datetime import UTC, datetime

    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("3", now) == 3.0
    assert retry_after_seconds("Wed, 01 Jan 2025 12:00:05 GMT", now) == 5.0
    assert retry_after_seconds("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None) is None


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, 0.5, 3.0, None) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3.0]
    assert backoff_delay(1, 0.5, 3.0, 2.5) == 2.5


# the shared contract and the CLI ----------------------------------------------------------
def test_engine_contract(fake):
    engine = BriaEngine(fast(fake.url))
    assert engine.capabilities.deterministic is False and engine.capabilities.remote
    check_engine_contract(engine, apply_controls(minimal_manifest(engine="bria")), 1024, 1024)


@pytest.fixture
def cli(fake, settings, capsys, monkeypatch):
    monkeypatch.setenv("BRIA_API_URL", fake.url)
    for key, value in {"BRIA_POLL_INTERVAL": "0.01", "BRIA_BACKOFF": "0.01"}.items():
        monkeypatch.setenv(key, value)
    return lambda *args: run_cli(capsys, *args)


def test_cli_render_with_bria_engine(fake, cli, monkeypatch):
    monkeypatch.setenv("BRIA_API_TOKEN", TOKEN)
    r = cli("render", "perfume bottle on white marble, soft window light",
            "--engine", "bria", "--seed", "5", "--json")
    assert r.code == 0, r.err
    rec = r.json()
    job = fake.accepted[0]
    assert rec["engine"] == "bria" and rec["seed"] == 5 and len(fake.submits) == 1
    assert job.body["seed"] == 5
    assert json.loads(job.body["structured_prompt"]) == rec["engine_meta"][
        "bria_structured_prompt"]
    assert rec["engine_meta"]["bria_request_id"] == job.request_id
    assert Image.open(rec["image_path"]).size == (rec["width"], rec["height"]) == (1024, 1024)


def test_cli_render_without_token_says_what_to_set(fake, cli, tmp_path):
    path = tmp_path / "shot.json"
    manifest = minimal_manifest(engine="bria")
    for key in ("width", "height"):
        manifest["render"].pop(key)
    path.write_text(json.dumps(manifest))
    r = cli("render", "--manifest", str(path), "--json")
    assert r.code == 1 and "BRIA_API_TOKEN" in r.err, r.err
    assert fake.calls == []
