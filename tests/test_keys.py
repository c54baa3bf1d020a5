"""API keys: the CLI shows a key once, stores only its SHA-256, lists and revokes by prefix."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cli_runner import run_cli
from studioflow.errors import InputError, NotFoundError
from studioflow.store.db import connect, migrate
from studioflow.store.keys_sql import SQLKeyStore
from studioflow.store.tables import ApiKeyRow

KEY = re.compile(r"^sf_[a-z0-9]{8}_[A-Za-z0-9]{40}$")


@pytest.fixture
def keys(database_url):
    engine = connect(database_url)
    migrate(engine)
    yield SQLKeyStore(engine)
    engine.dispose()


def _database_bytes(home: Path) -> bytes:
    """Everything SQLite holds on disk (the file and its write-ahead log)."""
    return b"".join(p.read_bytes() for p in home.glob("studioflow.db*"))


def test_create_prints_the_key_once_and_the_database_holds_only_its_hash(capsys, settings):
    created = run_cli(capsys, "keys", "create", "ci runner", "--rate-limit", "30")
    assert created.code == 0, created.err
    secret = created.out.strip()
    assert KEY.match(secret), created.out  # stdout is the key alone: KEY=$(... keys create)
    assert "not shown again" in created.err and secret not in created.err

    listed = run_cli(capsys, "keys", "list")
    as_json = run_cli(capsys, "keys", "list", "--json")
    assert secret not in listed.out + listed.err + as_json.out + as_json.err
    [key] = as_json.json()
    assert key["name"] == "ci runner" and key["rate_limit_per_minute"] == 30
    assert key["prefix"] == secret[:11] and key["prefix"] in listed.out
    assert key["active"] and key["revoked_at"] is None and key["last_used_at"] is None
    assert "hash" not in str(key)

    engine = connect(settings.resolved_database_url)
    with engine.connect() as conn:
        row = conn.execute(select(ApiKeyRow)).one()
    engine.dispose()
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = _database_bytes(settings.home)
    assert secret.encode() not in stored and secret[12:].encode() not in stored


def test_revoke_by_prefix_stops_the_key(capsys, settings):
    secret = run_cli(capsys, "keys", "create", "laptop").out.strip()
    other = run_cli(capsys, "keys", "create", "server").out.strip()
    revoked = run_cli(capsys, "keys", "revoke", secret[:11])
    assert revoked.code == 0 and secret[:11] in revoked.out and secret not in revoked.out
    listed = {k["name"]: k for k in run_cli(capsys, "keys", "list", "--json").json()}
    assert listed["laptop"]["revoked_at"] and not listed["laptop"]["active"]
    assert listed["server"]["active"]
    assert run_cli(capsys, "keys", "revoke", other[3:11]).code == 0  # without "sf_" too
    assert not any(k["active"] for k in run_cli(capsys, "keys", "list", "--json").json())


def test_revoke_by_id_and_unknown_keys(capsys, settings):
    run_cli(capsys, "keys", "create", "one")
    [key] = run_cli(capsys, "keys", "list", "--json").json()
    assert run_cli(capsys, "keys", "revoke", key["id"].lower()).code == 0
    for wrong in ("sf_zzzzzzzz", "../../etc/passwd", "x" * 5000, "01ABCD"):
        result = run_cli(capsys, "keys", "revoke", wrong)
        assert result.code == 1 and "no API key" in result.err
    leaked = "sf_abcdefgh_" + "Q" * 40  # a whole key that is not ours is never echoed
    result = run_cli(capsys, "keys", "revoke", leaked)
    assert result.code == 1 and leaked not in result.err


def test_list_without_keys_says_how_to_create_one(capsys, settings):
    result = run_cli(capsys, "keys", "list")
    assert result.code == 0 and "studioflow keys create" in result.out
    assert run_cli(capsys, "keys", "list", "--json").json() == []


@pytest.mark.parametrize("args", [("keys", "create", " "), ("keys", "create", "x", "--rate-limit",
                                                                "0")])
def test_invalid_key_options_are_refused(capsys, settings, args):
    result = run_cli(capsys, *args)
    assert result.code != 0 and result.err


def test_verify_accepts_only_the_exact_key(keys):
    key, secret = keys.create("app")
    assert keys.verify(secret).id == key.id
    tampered = secret[:-1] + ("a" if secret[-1] != "a" else "b")  # same prefix, other secret
    for wrong in (tampered, secret + "x", secret.upper(), secret[:11], "", "Bearer " + secret):
        assert keys.verify(wrong) is None
    revoked = keys.revoke(secret[:11])
    assert not revoked.active and keys.verify(secret).revoked_at == revoked.revoked_at
    assert keys.revoke(key.id).revoked_at == revoked.revoked_at  # revoking twice changes nothing
    assert not keys.has_active()


def test_keys_sharing_a_prefix_are_told_apart(keys, monkeypatch):
    from studioflow.store import keys_sql

    fresh = keys_sql.new_key
    # a prefix collision (1 in 36^8 by chance): both keys get the same prefix
    monkeypatch.setattr(keys_sql, "new_key",
                        lambda: ("sf_samesame" + fresh()[0][11:], "sf_samesame"))
    first, one = keys.create("one")
    second, two = keys.create("two")
    assert first.prefix == second.prefix and one != two
    assert keys.verify(one).id == first.id and keys.verify(two).id == second.id
    with pytest.raises(InputError):
        keys.revoke("sf_samesame")  # ambiguous: the id (or the whole key) is needed
    assert keys.revoke(two).id == second.id  # a whole key revokes exactly that key
    assert keys.verify(one).active and not keys.verify(two).active


def test_last_used_is_noted_at_most_once_a_minute(keys):
    key, secret = keys.create("app")
    keys.touch(keys.verify(secret))
    first = keys.verify(secret).last_used_at
    assert first is not None and datetime.now(UTC) - first < timedelta(seconds=30)
    keys.touch(keys.verify(secret))
    assert keys.verify(secret).last_used_at == first
    with keys.engine.begin() as conn:
        conn.execute(update(ApiKeyRow).values(last_used_at=first - timedelta(minutes=5)))
    keys.touch(keys.verify(secret))
    assert keys.verify(secret).last_used_at > first - timedelta(minutes=5)


def test_unknown_ids_are_not_found(keys):
    with pytest.raises(NotFoundError):
        keys.find("01ARZ3NDEKTSV4RRFFQ69G5FAV")
