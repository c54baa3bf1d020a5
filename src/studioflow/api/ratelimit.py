"""Requests per client per minute, counted where every API process sees the same numbers:
the database (table ``rate_limits``), or Redis when one is configured and answers.

A fixed window per minute: simple, one atomic statement per request, and a client can at
most double its rate across a window boundary, which is fine for protecting renderers.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from studioflow.store.tables import RateLimitRow

log = logging.getLogger("studioflow.api")
WINDOW_S = 60
_TABLE = RateLimitRow.__table__


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


def _verdict(hits: int, limit: int, now: float, window_start: int) -> Verdict:
    retry = max(1, math.ceil(window_start + WINDOW_S - now))
    return Verdict(hits <= limit, limit, max(0, limit - hits), retry)


class RateLimiter(Protocol):
    def hit(self, bucket: str, limit: int) -> Verdict:
        """Count one request of ``bucket`` and say whether it is within ``limit``."""


class SQLRateLimiter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def hit(self, bucket: str, limit: int, now: float | None = None) -> Verdict:
        now = time.time() if now is None else now
        window = int(now // WINDOW_S) * WINDOW_S
        stmt = self._insert(_TABLE).values(bucket=bucket, window_start=window, hits=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[_TABLE.c.bucket, _TABLE.c.window_start],
            set_={"hits": _TABLE.c.hits + 1}).returning(_TABLE.c.hits)
        with self.engine.begin() as conn:
            hits = conn.execute(stmt).scalar_one()
            if hits == 1:  # a new window somewhere: forget the finished ones
                conn.execute(delete(_TABLE).where(_TABLE.c.window_start < window - WINDOW_S))
        return _verdict(hits, limit, now, window)


class RedisRateLimiter:
    def __init__(self, client: Any, prefix: str, fallback: RateLimiter) -> None:
        self.client, self.prefix, self.fallback = client, prefix, fallback

    def hit(self, bucket: str, limit: int, now: float | None = None) -> Verdict:
        import redis

        now = time.time() if now is None else now
        window = int(now // WINDOW_S) * WINDOW_S
        name = f"{self.prefix}ratelimit:{bucket}:{window}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, 2 * WINDOW_S)
            hits = int(pipe.execute()[0])
        except redis.RedisError as exc:  # Redis went away: the database still counts
            log.warning("rate limit: Redis failed (%s); counting in the database",
                        type(exc).__name__)
            return self.fallback.hit(bucket, limit)
        return _verdict(hits, limit, now, window)


def open_rate_limiter(settings: Any, engine: Engine) -> RateLimiter:
    """Redis when ``STUDIOFLOW_REDIS_URL`` is set (or the Celery queue uses it) and answers;
    the database otherwise."""
    database = SQLRateLimiter(engine)
    if "redis_url" not in settings.model_fields_set and settings.queue != "celery":
        return database
    try:
        import redis

        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2,
                                      socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - missing package or server: use the database
        log.warning("rate limit: Redis at the configured URL is not usable (%s); counting in "
                    "the database", type(exc).__name__)
        return database
    return RedisRateLimiter(client, settings.redis_prefix, database)
