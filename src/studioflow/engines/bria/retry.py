"""Back-off arithmetic: exponential delays, ``Retry-After``, the overall deadline, and a
sleep that wakes up at once when the render is cancelled."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from studioflow.engines.engine_base import CancelToken


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, retry_after: float | None) -> float:
    """Delay before retry number ``attempt`` (1-based): the server's wish when it gave one,
    else ``base * 2**(attempt-1)``; never more than ``cap``."""
    delay = retry_after if retry_after is not None else base * 2 ** (attempt - 1)
    return min(delay, cap)


@dataclass
class Waiter:
    """Deadline and cancellable sleeping for one render."""

    cancel: CancelToken
    timeout: float
    started: float = field(default_factory=time.monotonic)
    _woken: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.cancel.on_cancel(self._woken.set)

    @property
    def remaining(self) -> float:
        return self.timeout - (time.monotonic() - self.started)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def sleep(self, seconds: float) -> None:
        """Sleep, but return early when cancelled (the caller checks the token)."""
        if seconds > 0:
            self._woken.wait(seconds)
