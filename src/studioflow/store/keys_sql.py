"""API keys in the database. Only a SHA-256 of each key is stored: the key itself is
shown once, when it is created, and cannot be recovered afterwards.

A key reads ``sf_<prefix>_<secret>``: the prefix (8 characters) is stored in clear so a
key can be named in listings, logs and ``keys revoke``; the secret adds 238 random bits,
which is why a plain, fast hash is enough (there is nothing to brute-force).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from studioflow.errors import ErrorDetail, InputError, NotFoundError
from studioflow.store.ids import ID_PATTERN, new_id
from studioflow.store.sql_common import as_utc
from studioflow.store.tables import ApiKeyRow

_PREFIX_CHARS = string.ascii_lowercase + string.digits
_SECRET_CHARS = string.ascii_letters + string.digits
KEY_PATTERN = re.compile(r"^(sf_[a-z0-9]{8})_[A-Za-z0-9]{40}$")
PREFIX_PATTERN = re.compile(r"^(?:sf_)?([a-z0-9]{8})$")
# last_used_at is a hint, not an audit log: one write a minute per key at most
TOUCH_EVERY = timedelta(seconds=60)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh key and its displayed prefix (``sf_xxxxxxxx``)."""
    prefix = "sf_" + "".join(secrets.choice(_PREFIX_CHARS) for _ in range(8))
    return f"{prefix}_{''.join(secrets.choice(_SECRET_CHARS) for _ in range(40))}", prefix




@dataclass(frozen=True)
class ApiKey:
    """What is known about a key; never its secret nor its hash."""

    id: str
    name: str
    prefix: str
    rate_limit_per_minute: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {"id": self.id, "name": self.name, "prefix": self.prefix,
                "rate_limit_per_minute": self.rate_limit_per_minute,
                "created_at": iso(self.created_at), "last_used_at": iso(self.last_used_at),
                "revoked_at": iso(self.revoked_at), "active": self.active}


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(id=row.id, name=row.name, prefix=row.prefix,
                  rate_limit_per_minute=row.rate_limit_per_minute,
                  created_at=as_utc(row.created_at), last_used_at=as_utc(row.last_used_at),
                  revoked_at=as_utc(row.revoked_at))


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200 or not name.isprintable():
        raise InputError("invalid key name", [ErrorDetail("name", "1-200 printable characters")])
    return name


class SQLKeyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, rate_limit_per_minute: int | None = None) -> tuple[ApiKey, str]:
        """A new key and its secret, which is not stored anywhere: show it once."""
        if rate_limit_per_minute is not None and rate_limit_per_minute < 1:
            raise InputError("invalid rate limit", [ErrorDetail("rate_limit", "at least 1")])
        key, prefix = new_key()
        row = ApiKeyRow(id=new_id(), name=_check_name(name), prefix=prefix,
                        key_hash=hash_key(key), rate_limit_per_minute=rate_limit_per_minute,
                        created_at=datetime.now(UTC))
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        return _key(row), key

    def list(self) -> list[ApiKey]:
        with Session(self.engine) as session:
            return [_key(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def has_active(self) -> bool:
        stmt = select(ApiKeyRow.id).where(ApiKeyRow.revoked_at.is_(None)).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(stmt).first() is not None

    def find(self, id_or_prefix: str) -> ApiKey:
        """A key by its id, its prefix (``sf_xxxxxxxx`` or ``xxxxxxxx``) or the whole key."""
        text = id_or_prefix.strip()
        whole, short = KEY_PATTERN.match(text), PREFIX_PATTERN.match(text)
        stmt = None
        if whole:
            stmt = select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(text))
        elif short:
            stmt = select(ApiKeyRow).where(ApiKeyRow.prefix == "sf_" + short.group(1))
        elif ID_PATTERN.match(text.upper()):
            stmt = select(ApiKeyRow).where(ApiKeyRow.id == text.upper())
        with Session(self.engine) as session:
            rows = list(session.scalars(stmt.limit(2))) if stmt is not None else []
        if not rows:
            known_shape = short or ID_PATTERN.match(text.upper())  # never echo secrets
            shown = repr(text) if known_shape else "the given text"
            raise NotFoundError(f"no API key matches {shown}",
                                [ErrorDetail("key", "expected a key id or prefix "
                                                    "(see: studioflow keys list)")])
        if len(rows) > 1:
            raise InputError(f"several keys have the prefix {text!r}",
                             [ErrorDetail("key", "give the key's id instead")])
        return _key(rows[0])

    def revoke(self, id_or_prefix: str) -> ApiKey:
        """Revoke a key for good (revoking it again changes nothing)."""
        key = self.find(id_or_prefix)
        with self.engine.begin() as conn:
            conn.execute(update(ApiKeyRow).where(ApiKeyRow.id == key.id,
                                                 ApiKeyRow.revoked_at.is_(None))
                         .values(revoked_at=datetime.now(UTC)))
        return self.find(key.id)

    def verify(self, presented: str) -> ApiKey | None:
        """The key ``presented`` is, revoked or not; ``None`` when it is no key of ours.
        Hashes are compared in constant time."""
        match = KEY_PATTERN.match(presented)
        if match is None:
            return None
        digest = hash_key(presented)
        with Session(self.engine) as session:
            rows = session.scalars(select(ApiKeyRow).where(ApiKeyRow.prefix == match.group(1)))
            found = [r for r in rows if hmac.compare_digest(r.key_hash, digest)]
            return _key(found[0]) if found else None

    def touch(self, key: ApiKey) -> None:
        """Note that ``key`` was used (at most once a minute)."""
        now = datetime.now(UTC)
        if key.last_used_at is not None and now - key.last_used_at < TOUCH_EVERY:
            return
        with self.engine.begin() as conn:
            conn.execute(update(ApiKeyRow).where(ApiKeyRow.id == key.id)
                         .values(last_used_at=now))


def open_key_store(settings: Any) -> SQLKeyStore:
    from studioflow.store.db import connect, migrate

    engine = connect(settings.resolved_database_url)
    migrate(engine)
    return SQLKeyStore(engine)
