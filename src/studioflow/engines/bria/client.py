"""HTTP for Bria's v2 API: submit once, poll the status, download the image.

The one rule that shapes this module: a generation request that Bria may have accepted is
never sent again (each accepted request is billed). Only failures that prove nothing reached
Bria are retried on submit: connect errors, 429, and 5xx answers other than 504 (a gateway
timeout can hide a job that is running). A read timeout or a dropped connection after the
body was sent is reported, not retried. Status polls and downloads are plain GETs and are
retried freely within the render's deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from studioflow import __version__
from studioflow.engines.bria.config import BriaSettings
from studioflow.engines.bria.retry import Waiter, backoff_delay, retry_after_seconds
from studioflow.errors import (
    CancelledError,
    ConfigError,
    EngineError,
    ErrorDetail,
    InputError,
    missing_extra,
)

log = logging.getLogger(__name__)

RetryHook = Callable[[str, int, float], None]  # (what, attempt, delay in seconds)
RUNNING = "IN_PROGRESS"
DASHBOARD = "check your Bria dashboard (https://platform.bria.ai) before trying again"


def _httpx():
    try:
        import httpx
    except ImportError:
        raise missing_extra("bria", "httpx") from None
    return httpx


def bria_message(response: Any) -> str:
    """Bria's own words from an error answer ({"error": {"message", "details"}})."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            parts = [str(err.get(k) or "").strip() for k in ("message", "details")]
            text = ": ".join(dict.fromkeys(p for p in parts if p))
        else:
            text = str(err or data.get("message") or data.get("detail") or "").strip()
        if text:
            return text
    text = (response.text or "").strip()[:300]
    return text or response.reason_phrase or f"HTTP {response.status_code}"


def _retryable_status(code: int) -> bool:
    return code == 429 or (500 <= code < 600 and code != 504)


class BriaClient:
    """One render's HTTP session. Fresh connections per render, so that the submit never
    rides a stale keep-alive connection that drops after the body was sent."""

    def __init__(self, settings: BriaSettings, waiter: Waiter,
                 on_retry: RetryHook | None = None) -> None:
        self._httpx = _httpx()
        self.settings = settings
        self.waiter = waiter
        self.on_retry = on_retry
        # no redirects on API calls: httpx would carry the custom api_token header along
        self._http = self._httpx.Client(follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BriaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # plumbing -----------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {"api_token": self.settings.token or "", "Accept": "application/json",
                "User-Agent": f"studioflow/{__version__}"}

    def _timeout(self, read: float) -> Any:
        read = max(0.001, min(read, self.waiter.remaining))
        return self._httpx.Timeout(read, connect=self.settings.connect_timeout)

    def _pause(self, what: str, attempt: int, retry_after: float | None,
               failure: str, request_id: str | None = None) -> None:
        """Wait before try ``attempt + 1``, or raise when out of tries or time."""
        s = self.settings
        suffix = f" (Bria request {request_id}; it was accepted and may be billed)" \
            if request_id else ""
        if attempt >= s.max_attempts:
            raise EngineError(f"{failure}; gave up after {attempt} tries{suffix}")
        if retry_after is not None and retry_after > s.max_backoff:
            raise EngineError(f"{failure}; Bria asks to retry after {retry_after:.0f} s, "
                              f"longer than BRIA_MAX_BACKOFF={s.max_backoff:g}{suffix}")
        delay = backoff_delay(attempt, s.backoff, s.max_backoff, retry_after)
        if delay >= self.waiter.remaining:
            raise EngineError(f"{failure}; no time left to retry within "
                              f"BRIA_TIMEOUT={s.timeout:g} s{suffix}")
        log.info("bria: %s failed (%s); retry %d in %.2f s", what, failure, attempt, delay)
        if self.on_retry is not None:
            self.on_retry(what, attempt, delay)
        self.waiter.sleep(delay)
        self.check_cancel(request_id)

    def check_cancel(self, request_id: str | None) -> None:
        if not self.waiter.cancel.cancelled:
            return
        if request_id is None:
            raise CancelledError("render cancelled before Bria accepted it; nothing was billed")
        raise CancelledError(f"render cancelled; Bria request {request_id} was already "
                             "accepted and may still be billed (Bria has no cancel call)")

    # submit -------------------------------------------------------------------------------
    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /image/generate; Bria's answer ({request_id, status_url} or {result})."""
        httpx = self._httpx
        url = f"{self.settings.base_url}/image/generate"
        read = self.waiter.remaining if body.get("sync") else self.settings.read_timeout
        attempt = 0
        while True:
            attempt += 1
            self.check_cancel(None)
            try:
                response = self._http.post(url, json=body, headers=self._headers(),
                                           timeout=self._timeout(read))
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # the request never left this machine: trying again cannot bill twice
                self._pause("submit", attempt, None, f"cannot connect to Bria at {url}: {exc}")
                continue
            except httpx.TransportError as exc:
                raise EngineError(
                    f"Bria did not answer the generation request ({type(exc).__name__}); "
                    f"it may have been accepted and billed, so it was not sent again; "
                    f"{DASHBOARD}") from None
            if _retryable_status(response.status_code):
                self._pause("submit", attempt, retry_after_seconds(
                    response.headers.get("Retry-After")),
                    f"Bria answered HTTP {response.status_code}: {bria_message(response)}")
                continue
            return self._accepted(response)

    def _accepted(self, response: Any) -> dict[str, Any]:
        code = response.status_code
        if code in (200, 202):
            try:
                data = response.json()
            except ValueError:
                data = None
            if isinstance(data, dict) and (data.get("request_id") or data.get("result")):
                return data
            raise EngineError(f"Bria answered HTTP {code} without a request id or result; "
                              f"the request may have been accepted, so it was not sent again; "
                              f"{DASHBOARD}")
        raise self._rejection(response)

    def _rejection(self, response: Any) -> Exception:
        code, message = response.status_code, bria_message(response)
        if code in (401, 403):
            return ConfigError(f"Bria refused the API token (HTTP {code}): {message}",
                               [ErrorDetail("BRIA_API_TOKEN", "export a valid Bria API token")])
        if code == 504:
            return EngineError(f"Bria's gateway timed out (HTTP 504): {message}; the request "
                               f"may still be running and billed, so it was not sent again; "
                               f"{DASHBOARD}")
        if code in (400, 413, 415, 422):
            return InputError(f"Bria rejected the request (HTTP {code}): {message}",
                              [ErrorDetail("$.fibo", "see Bria's message above")])
        if code == 404:
            return EngineError(f"Bria answered HTTP 404 at {response.request.url}: {message}",
                               [ErrorDetail("BRIA_API_URL", "check the base URL (…/v2)")])
        return EngineError(f"Bria answered HTTP {code}: {message}")

    # status -------------------------------------------------------------------------------
    def wait(self, request_id: str, on_running: Callable[[], None]) -> dict[str, Any]:
        """Poll GET /status/{id} until COMPLETED; the ``result`` object."""
        url = f"{self.settings.base_url}/status/{quote(request_id, safe='')}"
        interval, failures = self.settings.poll_interval, 0
        while True:
            self._sleep_until_poll(interval, request_id)
            state, retry_after, failure = self._poll(url, request_id)
            if failure is not None:
                failures += 1
                self._pause("status", failures, retry_after, failure, request_id)
                continue
            failures = 0
            status = str(state.get("status") or "").upper()
            if status == "COMPLETED":
                return self._result(state, request_id)
            if status in ("ERROR", "FAILED", "UNKNOWN"):
                raise self._failed(state, status, request_id)
            on_running()
            interval = min(interval * 1.5, self.settings.poll_max_interval)

    def _sleep_until_poll(self, interval: float, request_id: str) -> None:
        if self.waiter.remaining <= 0:
            raise EngineError(f"Bria did not finish within BRIA_TIMEOUT="
                              f"{self.settings.timeout:g} s; request {request_id} may still "
                              f"complete and be billed; {DASHBOARD}")
        self.waiter.sleep(min(interval, self.waiter.remaining))
        self.check_cancel(request_id)

    def _poll(self, url: str, request_id: str) -> tuple[dict, float | None, str | None]:
        """One status read: (state, retry_after, failure) where failure means "try again"."""
        httpx = self._httpx
        try:
            response = self._http.get(url, headers=self._headers(),
                                      timeout=self._timeout(self.settings.read_timeout))
        except httpx.TransportError as exc:
            return {}, None, f"cannot read Bria's status ({type(exc).__name__})"
        code = response.status_code
        if _retryable_status(code) or code == 504:
            return {}, retry_after_seconds(response.headers.get("Retry-After")), \
                f"Bria's status answered HTTP {code}: {bria_message(response)}"
        if code == 404:
            raise EngineError(f"Bria does not know request {request_id} (HTTP 404: "
                              f"{bria_message(response)}); it may have expired")
        if code != 200:
            raise self._rejection(response)
        try:
            state = response.json()
        except ValueError:
            return {}, None, "Bria's status answer was not JSON"
        if not isinstance(state, dict):
            return {}, None, "Bria's status answer was not a JSON object"
        return state, None, None

    def _result(self, state: dict[str, Any], request_id: str) -> dict[str, Any]:
        result = state.get("result")
        if not isinstance(result, dict) or not result.get("image_url"):
            raise EngineError(f"Bria reported request {request_id} COMPLETED without an "
                              "image_url")
        return result

    def _failed(self, state: dict[str, Any], status: str, request_id: str) -> EngineError:
        err = state.get("error")
        words = ""
        if isinstance(err, dict):
            parts = [str(err.get(k) or "").strip() for k in ("message", "details")]
            words = ": ".join(dict.fromkeys(p for p in parts if p))
        elif err:
            words = str(err)
        if status == "UNKNOWN":
            return EngineError(f"Bria reported an internal error (status UNKNOWN) for request "
                               f"{request_id}{': ' + words if words else ''}; contact Bria "
                               "support with the request id")
        return EngineError(f"Bria could not generate the image (request {request_id}, status "
                           f"{status}): {words or 'no reason given'}")

    # download -----------------------------------------------------------------------------
    def download(self, url: str, request_id: str) -> bytes:
        """GET the finished image. No api_token here: the URL points at file storage."""
        httpx = self._httpx
        attempt = 0
        while True:
            attempt += 1
            self.check_cancel(request_id)
            try:
                response = self._http.get(url, follow_redirects=True,
                                          timeout=self._timeout(self.settings.read_timeout))
            except httpx.TransportError as exc:
                self._pause("download", attempt, None,
                            f"cannot download Bria's image ({type(exc).__name__})", request_id)
                continue
            code = response.status_code
            if code == 200:
                return response.content
            if _retryable_status(code) or code == 504:
                self._pause("download", attempt,
                            retry_after_seconds(response.headers.get("Retry-After")),
                            f"downloading Bria's image answered HTTP {code}", request_id)
                continue
            raise EngineError(f"cannot download the image of Bria request {request_id} "
                              f"(HTTP {code}); the link may have expired")
