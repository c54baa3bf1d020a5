"""The Celery application shared by the API (which only publishes) and ``studioflow worker``.

A Celery message carries nothing but a job id (it is also the task id, so a queued job can
be revoked by its id). Everything else (payload, status, progress, events, cancellation)
lives in the jobs table, so messages may be lost, duplicated or redelivered: the worker
claims the job in the database first and drops messages for jobs it cannot claim.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from studioflow.errors import ConfigError, ErrorDetail, missing_extra

if TYPE_CHECKING:
    from celery import Celery

    from studioflow.core.config import Settings

TASK_NAME = "studioflow.run_job"
PAYLOAD_QUEUE_KEY = "celery_queue"  # in a job's payload: where its messages go
MARKER_KEY = "broker-marker"  # under the prefix; its absence means Redis lost its data
CONNECT_TIMEOUT_S = 5.0
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                 "interval_max": 0.5}


def require_celery_extra() -> None:
    """A clear error naming the extra when Celery or the Redis client is missing."""
    for module in ("celery", "redis"):
        try:
            importlib.import_module(module)
        except ImportError:
            raise missing_extra("celery", module) from None


def redacted(url: str) -> str:
    """``url`` without its password, for messages and /healthz."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def broker_error(settings: Settings, exc: BaseException) -> ConfigError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return ConfigError(
        f"the job queue's Redis at {redacted(settings.redis_url)} is not reachable ({reason})",
        [ErrorDetail("STUDIOFLOW_REDIS_URL", "start Redis there or point this variable at it")])


def redis_client(settings: Settings, timeout: float = CONNECT_TIMEOUT_S) -> Any:
    import redis

    try:
        return redis.Redis.from_url(settings.redis_url, socket_connect_timeout=timeout,
                                    socket_timeout=timeout)
    except ValueError as exc:  # a malformed URL
        raise ConfigError(f"invalid Redis URL: {exc}",
                          [ErrorDetail("STUDIOFLOW_REDIS_URL", redacted(settings.redis_url))]
                          ) from None


def check_broker(settings: Settings, client: Any = None) -> None:
    """Raise ``ConfigError`` unless Redis answers a PING."""
    client = client if client is not None else redis_client(settings)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - redis raises several kinds; all mean "down"
        raise broker_error(settings, exc) from None


def broker_was_reset(settings: Settings, client: Any) -> bool:
    """True once after Redis started without our marker key: it is new, or it lost its data
    (a restart without persistence) and with it the messages of queued jobs."""
    return bool(client.set(settings.redis_prefix + MARKER_KEY, "1", nx=True))


def forget_marker(settings: Settings, client: Any) -> None:
    """The next sweep publishes the queued jobs again (also by hand: ``redis-cli DEL``)."""
    try:
        client.delete(settings.redis_prefix + MARKER_KEY)
    except Exception:  # noqa: BLE001 - both down at once: logged by the caller
        pass


def create_celery(settings: Settings,
                  run: Callable[[str], None] | None = None) -> Celery:
    """A Celery app on ``settings.redis_url``. Workers pass ``run`` (what the task does with
    a job id); the API only publishes and never executes the task."""
    from celery import Celery

    app = Celery("studioflow", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        broker_transport_options={
            "global_keyprefix": settings.redis_prefix,
            "visibility_timeout": settings.celery_visibility_timeout_s,
            "socket_connect_timeout": CONNECT_TIMEOUT_S,
        },
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker outlives a Redis outage of any length
        task_default_queue=settings.celery_queue,
        task_serializer="json", accept_content=["json"],
        task_ignore_result=True,  # results live in the jobs table
        # a message is acknowledged when its job has ended; a killed worker's message goes
        # back to Redis (the claim in the database keeps the render exactly-once)
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        # a job keeps running when the broker connection drops (its message may then be
        # delivered again: the other worker finds the job claimed and drops it)
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_publish_retry_policy=PUBLISH_RETRY,
        worker_hijack_root_logger=True,
    )

    @app.task(name=TASK_NAME, ignore_result=True)
    def run_job(job_id: str) -> None:
        if run is None:
            raise RuntimeError("this Celery app only publishes jobs; run `studioflow worker`")
        run(job_id)

    return app


def publish(app: Celery, job_id: str, queue: str) -> None:
    """Send the one message of a job (its id is also the task id)."""
    app.send_task(TASK_NAME, args=[job_id], task_id=job_id, queue=queue, retry=True,
                  retry_policy=PUBLISH_RETRY)
