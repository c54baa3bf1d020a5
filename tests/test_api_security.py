"""Who may call the API: keys beyond loopback, CORS, browser checks without keys, rate
limits shared by API processes, and ids that never become file paths. A public bind is
simulated with settings (host 0.0.0.0); nothing listens on a network."""

from __future__ import annotations

import logging

import pytest
from fastapi import Request, WebSocket
from fastapi.testclient import TestClient

from api_support import assert_error, make_app, slow_manifest, wait_for
from cli_runner import run_cli
from studioflow.api import ratelimit
from studioflow.store.keys_sql import open_key_store

PUBLIC = {"host": "0.0.0.0"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def keys(settings):
    return open_key_store(settings)


@pytest.fixture
def public(settings):
    """A client of an app that serves beyond loopback: keys are required."""
    with TestClient(make_app(settings, workers=0, **PUBLIC)) as client:
        yield client


# authentication ----------------------------------------------------------------------------
def test_beyond_loopback_every_v1_route_needs_a_key(public, keys):
    _, secret = keys.create("ci")
    for method, path in [("GET", "/v1/engines"), ("GET", "/v1/schema"),
                         ("POST", "/v1/translate"), ("GET", "/v1/renders"),
                         ("GET", "/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV"), ("GET", "/v1/nothing")]:
        response = public.request(method, path, json={"prompt": "a mug"})
        assert_error(response, 401, "unauthorized", "header.authorization")
        assert response.headers["www-authenticate"].startswith("Bearer")
    for path in ("/healthz", "/docs", "/openapi.json"):
        assert public.get(path).status_code == 200
    assert public.get("/v1/engines", headers=bearer(secret)).status_code == 200
    assert public.get("/v1/engines", headers={"X-API-Key": secret}).status_code == 200
    response = public.post("/v1/translate", json={"prompt": "a red mug"}, headers=bearer(secret))
    assert response.status_code == 200 and response.json()["fibo"]


def test_wrong_and_revoked_keys_are_refused(public, keys):
    key, secret = keys.create("laptop")
    for wrong in (secret[:-1] + ("a" if secret[-1] != "a" else "b"), "sf_nope", "hunter2"):
        assert_error(public.get("/v1/engines", headers=bearer(wrong)), 401, "invalid_api_key")
    assert_error(public.get("/v1/engines", headers={"Authorization": f"Basic {secret}"}),
                 401, "unauthorized")
    assert public.get("/v1/engines", headers=bearer(secret)).status_code == 200
    keys.revoke(key.prefix)  # takes effect at once, without a restart
    assert_error(public.get("/v1/engines", headers=bearer(secret)), 403, "api_key_revoked")


def test_loopback_is_open_unless_keys_are_required(settings, keys):
    _, secret = keys.create("local")
    with TestClient(make_app(settings, workers=0)) as client:
        assert client.get("/v1/engines").status_code == 200
        assert client.get("/v1/engines", headers=bearer(secret)).status_code == 200
        # a key that is ours but wrong is an error even where none is needed
        assert_error(client.get("/v1/engines", headers=bearer(secret[:-2] + "zz")), 401,
                     "invalid_api_key")
        # another service's token (say a proxy's own login) is not taken for ours
        assert client.get("/v1/engines", headers=bearer("eyJhbGciOi.x.y")).status_code == 200
    with TestClient(make_app(settings, workers=0, require_api_key=True)) as client:
        assert_error(client.get("/v1/engines"), 401, "unauthorized")
        assert client.get("/v1/engines", headers=bearer(secret)).status_code == 200


def test_routes_know_which_key_asked(settings, keys):
    app = make_app(settings, workers=0)

    @app.get("/v1/whoami")
    def whoami(request: Request) -> dict:
        key = request.state.api_key
        return {"name": key and key.name, "fields": sorted(vars(key)) if key else []}

    _, secret = keys.create("me")
    with TestClient(app) as client:
        assert client.get("/v1/whoami").json() == {"name": None, "fields": []}
        mine = client.get("/v1/whoami", headers={"X-API-Key": secret}).json()
        assert mine["name"] == "me" and "key_hash" not in mine["fields"]


def test_websockets_under_v1_need_a_key_too(settings, keys):
    import asyncio

    app = make_app(settings, workers=0, **PUBLIC)

    @app.websocket("/v1/echo")
    async def echo(websocket: WebSocket):
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    def connect(headers: dict[str, str]) -> list[str]:
        sent, incoming = [], [{"type": "websocket.connect"},
                              {"type": "websocket.disconnect", "code": 1000}]
        scope = {"type": "websocket", "asgi": {"version": "3.0"}, "path": "/v1/echo",
                 "raw_path": b"/v1/echo", "root_path": "", "query_string": b"",
                 "scheme": "ws", "client": ("127.0.0.1", 50000), "subprotocols": [],
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}

        async def receive():
            return incoming.pop(0)

        async def send(message):
            sent.append(message["type"] + str(message.get("code", "")))

        asyncio.run(app(scope, receive, send))
        return sent

    _, secret = keys.create("ws")
    assert connect({}) == ["websocket.close1008"]
    assert connect(bearer(secret))[:2] == ["websocket.accept", "websocket.send"]


def test_the_openapi_document_declares_the_keys(public):
    schema = public.get("/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    submit = schema["paths"]["/v1/renders"]["post"]
    assert {"bearer": []} in submit["security"]
    assert {"401", "403", "429"} <= set(submit["responses"])
    assert "security" not in schema["paths"]["/healthz"]["get"]


def test_serve_refuses_a_public_host_without_an_active_key(capsys, settings, keys,
                                                           monkeypatch):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    result = run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.code == 1 and not started
    assert "studioflow keys create" in result.err and "0.0.0.0" in result.err
    key, _ = keys.create("edge")
    keys.revoke(key.id)  # a revoked key does not count
    assert run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", "0").code == 1
    monkeypatch.setenv("STUDIOFLOW_REQUIRE_API_KEY", "1")
    assert run_cli(capsys, "serve", "--port", "0").code == 1 and not started
    keys.create("edge 2")
    assert run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", "0").code == 0
    assert started == [{"host": "0.0.0.0", "port": 0, "log_level": "info",
                        "timeout_graceful_shutdown": 5}]


def test_keys_never_reach_logs_or_the_database(settings, keys, caplog):
    caplog.set_level(logging.DEBUG)
    key, secret = keys.create("ci")
    app = make_app(settings, workers=1, steps=1, delay=0, **PUBLIC)
    with TestClient(app, headers=bearer(secret)) as client:
        response = client.post("/v1/renders", json={"manifest": slow_manifest()})
        assert response.status_code == 202, response.text
        assert wait_for(client, response.json()["job_id"])["status"] == "succeeded"
        client.get("/v1/engines", headers=bearer(secret[:-1] + "x"))
        keys.revoke(key.id)
        client.get("/v1/engines", headers=bearer(secret))
    assert secret not in caplog.text and secret[12:] not in caplog.text
    stored = b"".join(p.read_bytes() for p in settings.home.glob("studioflow.db*"))
    assert secret[12:].encode() not in stored


# CORS and browsers -------------------------------------------------------------------------
SHOP = "https://shop.example"


def preflight(client, origin: str, method: str = "POST", headers: str = "content-type"):
    return client.options("/v1/renders", headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})


def test_cors_preflights_follow_the_allow_list(settings):
    with TestClient(make_app(settings, workers=0, cors_origins=f"{SHOP}, http://a.test:8080",
                             **PUBLIC)) as client:
        ok = preflight(client, SHOP, headers="authorization, content-type")
        assert ok.status_code == 204  # answered before authentication: no key needed
        assert ok.headers["access-control-allow-origin"] == SHOP
        assert "POST" in ok.headers["access-control-allow-methods"]
        assert "authorization" in ok.headers["access-control-allow-headers"]
        assert "access-control-allow-credentials" not in ok.headers
        assert preflight(client, "http://a.test:8080").status_code == 204
        assert_error(preflight(client, "https://evil.example"), 403, "cors_denied",
                     "header.origin")
        assert_error(preflight(client, SHOP, method="PUT"), 403, "cors_denied",
                     "header.access-control-request-method")
        assert_error(preflight(client, SHOP, headers="x-custom"), 403, "cors_denied",
                     "header.access-control-request-headers")
        # actual requests: the allowed origin may read answers, refusals included
        refused = client.get("/v1/engines", headers={"Origin": SHOP})
        assert_error(refused, 401, "unauthorized")
        assert refused.headers["access-control-allow-origin"] == SHOP
        assert "Origin" in refused.headers["vary"]
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers


def test_no_cors_by_default_and_never_credentials(settings):
    with TestClient(make_app(settings, workers=0)) as client:
        assert_error(preflight(client, SHOP), 403, "cors_denied")
    with TestClient(make_app(settings, workers=0, cors_origins="*", **PUBLIC)) as client:
        ok = preflight(client, "https://anyone.example", headers="x-api-key")
        assert ok.status_code == 204 and ok.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in ok.headers


def test_invalid_cors_origins_are_a_configuration_error(settings):
    from studioflow.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        make_app(settings, workers=0, cors_origins="shop.example")
    assert info.value.details[0].path == "STUDIOFLOW_CORS_ORIGINS"


def test_without_keys_only_loopback_pages_drive_the_api(settings):
    """Other websites (CSRF) and rebound DNS names must not use a key-less local API."""
    with TestClient(make_app(settings, workers=0, cors_origins=SHOP)) as client:
        local = {"Host": "127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}
        assert client.get("/v1/engines", headers=local).status_code == 200
        assert client.get("/v1/engines", headers={
            **local, "Origin": "http://localhost:5173"}).status_code == 200
        assert client.get("/v1/engines", headers={**local, "Origin": SHOP}).status_code == 200
        assert_error(client.post("/v1/translate", json={"prompt": "a mug"}, headers={
            **local, "Origin": "https://evil.example"}), 403, "forbidden", "header.origin")
        rebound = {"Host": "evil.example:8000", "Sec-Fetch-Site": "same-origin"}
        assert_error(client.get("/v1/renders", headers=rebound), 403, "forbidden",
                     "header.host")
        # not a browser (curl, SDKs): no Origin, no Sec-Fetch-Site
        assert client.get("/v1/renders", headers={"Host": "evil.example"}).status_code == 200
    with TestClient(make_app(settings, workers=0, allowed_hosts="studio.lan")) as client:
        assert client.get("/v1/renders", headers={
            "Host": "studio.lan", "Origin": "http://studio.lan"}).status_code == 200


# rate limits -------------------------------------------------------------------------------
class FrozenClock:
    """The limiter's clock, 15 s into a minute: a test never straddles two windows."""

    def __init__(self, now: float = 60 * 28_000_000 + 15) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


def test_rate_limits_are_shared_by_api_processes(settings, keys, monkeypatch):
    clock = FrozenClock()
    monkeypatch.setattr(ratelimit, "time", clock)
    _, secret = keys.create("batch job", rate_limit_per_minute=3)
    _, other = keys.create("other")
    with TestClient(make_app(settings, workers=0, **PUBLIC)) as a, \
            TestClient(make_app(settings, workers=0, **PUBLIC)) as b:
        first = a.get("/v1/engines", headers=bearer(secret))
        assert first.headers["x-ratelimit-limit"] == "3"
        assert first.headers["x-ratelimit-remaining"] == "2"
        assert b.get("/v1/engines", headers=bearer(secret)).status_code == 200
        assert a.get("/v1/engines", headers=bearer(secret)).status_code == 200
        limited = b.get("/v1/engines", headers=bearer(secret))
        error = assert_error(limited, 429, "rate_limited")
        assert "3 requests per minute" in error["message"]
        assert limited.headers["retry-after"] == "45"  # the window ends 45 s later
        assert a.get("/v1/engines", headers=bearer(other)).status_code == 200  # per key
        assert a.get("/healthz").status_code == 200  # only /v1 is limited
        clock.now += 45  # the next minute
        assert a.get("/v1/engines", headers=bearer(secret)).status_code == 200


def test_keys_without_their_own_limit_get_the_default(settings, keys, monkeypatch):
    monkeypatch.setattr(ratelimit, "time", FrozenClock())
    _, secret = keys.create("default")
    with TestClient(make_app(settings, workers=0, rate_limit_per_minute=2, **PUBLIC)) as client:
        assert [client.get("/v1/schema", headers=bearer(secret)).status_code
                for _ in range(3)] == [200, 200, 429]


def test_anonymous_loopback_use_is_unlimited_unless_configured(settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "time", FrozenClock())
    with TestClient(make_app(settings, workers=0)) as client:
        assert all(client.get("/v1/schema").status_code == 200 for _ in range(30))
    with TestClient(make_app(settings, workers=0, anonymous_rate_limit_per_minute=2)) as client:
        codes = [client.get("/v1/schema").status_code for _ in range(3)]
        assert codes == [200, 200, 429]


def test_the_database_counter_is_atomic_under_concurrency(database_url):
    """Two threads counting one bucket: every hit is counted once, on any database."""
    from concurrent.futures import ThreadPoolExecutor

    from studioflow.store.db import connect, migrate

    engine = connect(database_url)
    migrate(engine)
    limiter = ratelimit.SQLRateLimiter(engine)
    now = FrozenClock().now
    with ThreadPoolExecutor(4) as pool:
        verdicts = list(pool.map(lambda _: limiter.hit("key:x", 30, now), range(40)))
    engine.dispose()
    assert sum(v.allowed for v in verdicts) == 30
    assert sorted(v.remaining for v in verdicts if v.allowed) == list(range(30))


def test_redis_counts_when_configured(settings):
    from conftest import service_missing

    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        service_missing("Redis at 127.0.0.1:6379", str(exc))
    from studioflow.store.db import connect

    engine = connect(settings.resolved_database_url)
    prefix = f"sf-test-{settings.home.parent.name}:"
    configured = settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0",
                                             "redis_prefix": prefix})
    a, b = (ratelimit.open_rate_limiter(configured, engine) for _ in range(2))
    assert isinstance(a, ratelimit.RedisRateLimiter)
    now = FrozenClock().now
    assert [a.hit("key:y", 2, now).allowed, b.hit("key:y", 2, now).allowed,
            a.hit("key:y", 2, now).allowed] == [True, True, False]
    a.client.delete(f"{prefix}ratelimit:key:y:{int(now // 60) * 60}")
    gone = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    assert isinstance(ratelimit.open_rate_limiter(gone, engine), ratelimit.SQLRateLimiter)
    assert isinstance(ratelimit.open_rate_limiter(settings, engine), ratelimit.SQLRateLimiter)
    engine.dispose()


# ids never become paths --------------------------------------------------------------------
TRAVERSALS = ["..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "%2e%2e", "01ARZ3NDEK%00", "%00", "renders%2f..%2f..%2fstudioflow.db",
              "C:%5cWindows%5cwin.ini", "0" * 5000, "~root", "%252e%252e%252f"]


def raw_request(app, method: str, path: str) -> tuple[int, dict]:
    """Send ``path`` exactly as written, like ``curl --path-as-is``: HTTP clients would
    resolve dot segments themselves. The server decodes it as uvicorn does."""
    import asyncio
    import json
    from urllib.parse import unquote

    messages = []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": unquote(path),
             "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1:8000")], "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8000)}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    asyncio.run(asyncio.wait_for(app(scope, receive, send), 10))  # no endless stream
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return messages[0]["status"], json.loads(body)


def id_requests(app, bad: str, known: str) -> list[tuple[str, str]]:
    """Every /v1 operation with ids in its path (present and future ones), with ``bad`` in
    each id, and once more with ``bad`` only in the last one."""
    import re

    out = []
    for template, item in app.openapi()["paths"].items():
        names = re.findall(r"{(\w+)}", template)
        if not template.startswith("/v1/") or not names:
            continue
        for ids in {tuple([bad] * len(names)), tuple([known] * (len(names) - 1) + [bad])}:
            path = template
            for name, value in zip(names, ids, strict=True):
                path = path.replace("{" + name + "}", value)
            out += [(method.upper(), path) for method in item]
    return out


@pytest.mark.parametrize("bad", TRAVERSALS)
def test_ids_that_try_to_traverse_are_never_read(settings, bad, monkeypatch):
    app = make_app(settings, workers=0)
    studio = app.state.studio
    record = studio.render(slow_manifest())
    opened = []
    files = type(studio.files)
    for name in ("get", "exists", "local_path", "url"):
        original = getattr(files, name)
        monkeypatch.setattr(files, name, lambda self, key, *a, _o=original, **k:
                            (opened.append(key), _o(self, key, *a, **k))[1])
    requests = id_requests(app, bad, record.id)
    assert len(requests) >= 10
    for method, path in requests:
        status, body = raw_request(app, method, path)
        # 422: a POST without its body is refused before its id is even looked at
        assert status in (404, 405, 422), (method, path, body)
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    with TestClient(app) as client:  # the same through an HTTP client, with a body
        refine = client.post(f"/v1/renders/{bad}/refine", json={"instruction": "warmer"})
        assert refine.status_code in (404, 405), refine.text
        assert client.get(f"/v1/renders/{record.id}/image").status_code == 200
    assert opened == [record.images[0].key]  # only the real image was ever read


@pytest.mark.parametrize("bad", ["../../etc/passwd", "..", "\x00", "0" * 5000])
def test_cli_ids_that_try_to_traverse_are_not_found(capsys, settings, bad):
    for command in ("show", "lineage"):
        result = run_cli(capsys, command, bad)
        assert result.code == 1 and "no render" in result.err


@pytest.mark.parametrize("key", ["../x.png", "renders/../../x", "/etc/passwd", "a/./b",
                                 "a\x00b", "renders\\..\\x", "", "a//b", "x" * 600])
def test_file_keys_that_leave_the_store_are_refused(settings, key):
    from studioflow.errors import InputError
    from studioflow.store.files_base import check_key
    from studioflow.store.files_local import LocalFileStore

    with pytest.raises(InputError):
        check_key(key)
    with pytest.raises(InputError):
        LocalFileStore(settings.home / "files").get(key)
