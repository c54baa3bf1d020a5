"""Render records on SQLite and PostgreSQL: round trips, ids, search, lineage, migrations."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from manifests import minimal_manifest
from studioflow.errors import InputError, NotFoundError
from studioflow.store.db import connect, current_revision, migrate
from studioflow.store.ids import new_id
from studioflow.store.migrations import HEAD
from studioflow.store.records_base import ImageRef, RenderRecord
from studioflow.store.records_sql import SQLRenderStore


@pytest.fixture
def store(database_url):
    engine = connect(database_url)
    migrate(engine)
    yield SQLRenderStore(engine)
    engine.dispose()


def make_record(render_id=None, parent_id=None, sku=None, prompt="perfume bottle", when=None,
                manifest=None):
    manifest = manifest or minimal_manifest(seed=7)
    if sku:
        manifest["product"] = {"sku": sku, "name": "Eau de Test"}
    return RenderRecord(
        id=render_id or new_id(), created_at=when or datetime.now(UTC), manifest=manifest,
        schema_version=manifest.get("schema_version", "0"), engine="preview", seed=7,
        width=256, height=256, duration_ms=12.5,
        images=[ImageRef(0, "renders/x-0.png", 256, 256, 8, "ab" * 32, 1234)],
        parent_id=parent_id, model="studioflow-preview", model_revision="preview-1",
        engine_meta={"k": [1, 2]}, prompt=prompt, sku=sku)


def test_round_trip_keeps_every_field_and_the_manifest_bytes(store):
    rec = make_record(sku="SKU-1")
    store.add(rec)
    back = store.get(rec.id)
    assert json.dumps(back.manifest) == json.dumps(rec.manifest)
    assert back.as_dict() == rec.as_dict()
    assert back.created_at.tzinfo is not None


def test_unknown_id_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.get(new_id())
    with pytest.raises(NotFoundError):
        store.resolve("../../etc/passwd")


def test_prefixes_resolve_uniquely(store):
    a, b = make_record("01AAAAAAAAAAAAAAAAAAAAAAAA"), make_record("01AAAAAAAAAAAAAAAAAAAAAAAB")
    store.add(a)
    store.add(b)
    assert store.resolve("01aaaaaaaaaaaaaaaaaaaaaaab") == b.id
    assert store.resolve(a.id) == a.id
    with pytest.raises(InputError, match="ambiguous"):
        store.resolve("01AAAA")
    with pytest.raises(NotFoundError):
        store.resolve("01ZZZZ")


def test_listing_is_newest_first_with_cursor_pages(store):
    base = datetime.now(UTC)
    ids = []
    for i in range(5):
        rec = make_record(when=base + timedelta(seconds=i))
        store.add(rec)
        ids.append(rec.id)
    first = store.list(limit=2)
    assert [r.id for r in first.items] == sorted(ids, reverse=True)[:2]
    second = store.list(limit=2, cursor=first.next_cursor)
    third = store.list(limit=2, cursor=second.next_cursor)
    seen = [r.id for p in (first, second, third) for r in p.items]
    assert seen == sorted(ids, reverse=True)
    assert third.next_cursor is None


def test_filter_by_sku_and_search_text(store):
    store.add(make_record(sku="A-1", prompt="red sneaker on concrete"))
    store.add(make_record(sku="B-2", prompt="gold watch 100% steel_band"))
    assert [r.sku for r in store.list(sku="A-1").items] == ["A-1"]
    assert [r.sku for r in store.list(q="SNEAKER").items] == ["A-1"]
    assert [r.sku for r in store.list(q="100%").items] == ["B-2"]
    assert [r.sku for r in store.list(q="%").items] == ["B-2"]  # a literal %, not "any"
    assert store.list(q="a_1").items == []  # "_" is literal too
    assert [r.sku for r in store.list(q="steel_band").items] == ["B-2"]


def test_ancestors_and_children(store):
    root = make_record()
    store.add(root)
    child = make_record(parent_id=root.id)
    store.add(child)
    grandchild = make_record(parent_id=child.id)
    store.add(grandchild)
    assert [r.id for r in store.ancestors(grandchild.id)] == [child.id, root.id]
    assert [r.id for r in store.children(root.id)] == [child.id]


def test_old_manifests_are_upgraded_when_read(store):
    caption = minimal_manifest()["fibo"]  # a bare FIBO caption: schema "version 0"
    rec = make_record(manifest=caption)
    store.add(rec)
    back = store.get(rec.id)
    assert back.schema_version == "0"
    assert back.manifest["schema_version"] == "1.0"
    assert back.manifest["fibo"]["short_description"] == caption["short_description"]


def test_migrations_reach_head_and_are_idempotent(database_url):
    engine = connect(database_url)
    assert current_revision(engine) is None
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == HEAD
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM renders")).scalar() == 0
    engine.dispose()


def test_head_constant_matches_alembic_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from studioflow.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD


def test_sqlite_uses_wal(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_job_can_store_only_one_render(store):
    first = make_record()
    first.job_id = "01JOBJOBJOBJOBJOBJOBJOBJOB"
    store.add(first)
    assert store.find_by_job(first.job_id).id == first.id
    second = make_record()
    second.job_id = first.job_id
    with pytest.raises(IntegrityError):  # the unique constraint refuses a duplicate
        store.add(second)
    assert store.find_by_job("01NOPENOPENOPENOPENOPENOPE") is None
    assert [r.id for r in store.list().items] == [first.id]


def test_migrations_match_the_table_definitions(database_url):
    """tables.py and the Alembic scripts describe the same schema (no drift)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from studioflow.store.tables import Base

    engine = connect(database_url)
    migrate(engine)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diffs == []
