"""Shared fixtures: a fresh StudioFlow home per test, and databases to run the store on."""

from __future__ import annotations

import os
import uuid

import pytest

from studioflow.core.config import Settings

POSTGRES_URL = os.environ.get("STUDIOFLOW_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# CI sets this so that a missing service fails the run instead of skipping tests
REQUIRE_SERVICES = os.environ.get("STUDIOFLOW_REQUIRE_SERVICES") == "1"


def service_missing(what: str, why: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required but unavailable: {why}")
    pytest.skip(f"{what} unavailable: {why}")


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    home = tmp_path / "home"
    monkeypatch.setenv("STUDIOFLOW_HOME", str(home))
    for var in ("STUDIOFLOW_DATABASE_URL", "STUDIOFLOW_STORAGE_URL", "STUDIOFLOW_ENGINE",
                "STUDIOFLOW_TRANSLATOR"):
        monkeypatch.delenv(var, raising=False)
    return Settings(home=home)


@pytest.fixture
def studio(settings):
    from studioflow.core.wiring import open_studio

    return open_studio(settings)


def _postgres_schema_url():
    """A URL whose connections use a fresh, private PostgreSQL schema."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        service_missing("PostgreSQL driver", "pip install 'studioflow[postgres]'")
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    schema = f"sf_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        service_missing("PostgreSQL at " + POSTGRES_URL, str(exc).splitlines()[0])
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    return admin, schema, url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    import sqlalchemy

    admin, schema, url = _postgres_schema_url()
    yield url
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
