"""Database connections and migrations: SQLite (WAL) by default, PostgreSQL for teams."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from studioflow.errors import ConfigError, ErrorDetail
from studioflow.store.migrations import HEAD

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def connect(url: str) -> Engine:
    """An SQLAlchemy engine for ``url``; the SQLite file's folder is created."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(f"invalid database URL: {exc}",
                          [ErrorDetail("STUDIOFLOW_DATABASE_URL", url)]) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"the database driver for {parsed.drivername} is not installed ({exc.name}); "
            "for PostgreSQL: pip install 'studioflow[postgres]'") from None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op (no Alembic import) when it is."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # one migrator at a time across processes
                conn.execute(text("SELECT pg_advisory_xact_lock(724031)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception:
        # another process may have migrated between our check and our upgrade
        if current_revision(engine) != HEAD:
            raise
