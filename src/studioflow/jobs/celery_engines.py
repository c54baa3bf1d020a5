"""Which engines can render, when renders run on worker machines and not in the API.

An API machine usually has no GPU and no model weights, so its own view of e.g. the ``fibo``
engine says "not available". With the Celery queue that view is not the one that matters:
every ``studioflow worker`` reports its engines' status to Redis (a key per worker that
expires when the worker stops reporting), and the API counts an engine as available when
it is available here or on any live worker. Capabilities (what a manifest may ask of an
engine) stay the local plugin's, so the engine's package must be installed on API machines
too, just not its heavy dependencies or weights.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any

from studioflow.engines import EngineStatus

if TYPE_CHECKING:
    from studioflow.core.config import Settings
    from studioflow.core.studio import Studio
    from studioflow.engines import EngineRegistry

REPORT_KEY = "engines:"  # + the worker's name, under the Redis prefix
REPORT_EVERY_S = 5.0
REPORT_TTL_S = 30  # a worker that stopped reporting this long ago no longer counts
READ_CACHE_S = 1.0  # the API reads the reports at most this often


def report_key(settings: Settings, worker_name: str) -> str:
    return f"{settings.redis_prefix}{REPORT_KEY}{worker_name}"


def report_engines(settings: Settings, client: Any, worker_name: str,
                   engines: EngineRegistry) -> None:
    """Store this worker's engine statuses for ``REPORT_TTL_S`` seconds."""
    report = {name: {"available": status.available, "reason": status.reason}
              for name, (_caps, status) in engines.statuses().items()}
    client.set(report_key(settings, worker_name), json.dumps(report), ex=REPORT_TTL_S)


class WorkerReports:
    """The live workers' reports, read from Redis at most every ``READ_CACHE_S``."""

    def __init__(self, settings: Settings, client: Any) -> None:
        self._settings, self._client = settings, client
        self._lock = threading.Lock()
        self._read_at = float("-inf")
        self._reports: list[dict[str, Any]] = []

    def for_engine(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            if time.monotonic() - self._read_at >= READ_CACHE_S:
                self._reports = self._read()
                self._read_at = time.monotonic()
            return [r[name] for r in self._reports if name in r]

    def _read(self) -> list[dict[str, Any]]:
        pattern = report_key(self._settings, "*")
        try:
            keys = list(self._client.scan_iter(match=pattern, count=500))
            values = self._client.mget(keys) if keys else []
        except Exception:  # noqa: BLE001 - Redis down: /healthz says so; judge locally
            return []
        return [json.loads(v) for v in values if v]


class WorkerAwareEngine:
    """An engine as an API process of a Celery deployment sees it: its own plugin, with the
    workers' word on whether it can render."""

    def __init__(self, inner: Any, name: str, reports: WorkerReports) -> None:
        self._inner, self._name, self._reports = inner, name, reports

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._inner, attr)

    def status(self) -> EngineStatus:
        local = self._inner.status()
        if local.available:
            return local
        reports = self._reports.for_engine(self._name)
        able = sum(1 for r in reports if r.get("available"))
        if able:
            return EngineStatus(True, True, True, None,
                                {**local.details, "workers_available": able})
        if reports:
            reason = f"no studioflow worker can run it: {reports[0].get('reason')}"
        else:
            reason = f"no running studioflow worker reports it, and here: {local.reason}"
        return EngineStatus(local.installed, local.configured, False, reason, local.details)


def judge_engines_by_workers(studio: Studio, reports: WorkerReports) -> None:
    """Wrap the Studio's engines (those that load) in ``WorkerAwareEngine``."""
    for name in studio.engines.names():
        try:
            inner = studio.engines.get(name)
        except Exception:  # noqa: BLE001 - a broken plugin keeps reporting its own error
            continue
        if isinstance(inner, WorkerAwareEngine):
            continue
        studio.engines.add(name, lambda _settings, e=inner, n=name: WorkerAwareEngine(
            e, n, reports))
