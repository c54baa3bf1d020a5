"""One HTTP call to an LLM provider, with the errors a person can act on.

- a missing key is a ``ConfigError`` naming the variable to export (raised before sending);
- 401/403: ``ConfigError`` with the provider's own message, detail = the key variable;
- 400/404/413/422 and other 4xx: ``EngineError`` with the provider's message;
- 429 and 5xx: retried (``STUDIOFLOW_LLM_MAX_ATTEMPTS`` tries in all, honouring a short
  ``Retry-After``), then ``EngineError`` with the provider's message;
- no answer within ``STUDIOFLOW_LLM_TIMEOUT_S``: ``TranslatorTimeoutError``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from studioflow import __version__
from studioflow.errors import ConfigError, EngineError, ErrorDetail, missing_extra

MAX_RETRY_AFTER_S = 10.0
_RETRY = {429, 500, 502, 503, 529}


@dataclass(eq=False)
class TranslatorTimeoutError(EngineError):
    code: str = "translator_timeout"
    http_status: int = 504


@dataclass(eq=False)
class TranslatorAnswerError(EngineError):
    """The model's answer is not a valid manifest, even after the repair round."""

    code: str = "invalid_translation"


@dataclass(frozen=True)
class Provider:
    """Who is called and how the key is sent."""

    label: str  # "OpenAI", in messages
    key_var: str  # the variable that holds the key, in error details
    url_var: str  # the variable that overrides the base URL


def httpx_module() -> Any:
    try:
        import httpx
    except ImportError:
        raise missing_extra("llm", "httpx") from None
    return httpx


def provider_message(response: Any) -> str:
    """The provider's own words from an error answer; every provider nests them under
    ``error.message`` (OpenAI, Anthropic, Gemini) or ``error``/``message`` (Bria)."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            parts = [str(err.get(k) or "").strip() for k in ("message", "details")]
            text = ": ".join(p for p in parts if p)
        else:
            text = str(err).strip()
        if text:
            return text[:500]
    text = (response.text or "").strip()[:300]
    return text or f"HTTP {response.status_code}"


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def post_json(provider: Provider, url: str, body: dict[str, Any], headers: dict[str, str],
              timeout_s: float, max_attempts: int = 2, backoff_s: float = 0.5) -> Any:
    """POST ``body`` and return the decoded JSON answer (or raise one of the errors above)."""
    httpx = httpx_module()
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               "User-Agent": f"studioflow/{__version__}", **headers}
    deadline = time.monotonic() + timeout_s
    attempt = 0
    with httpx.Client(follow_redirects=False) as client:
        while True:
            attempt += 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timeout(provider, url, timeout_s)
            try:
                response = client.post(url, json=body, headers=headers,
                                       timeout=httpx.Timeout(remaining))
            except httpx.TimeoutException:
                raise _timeout(provider, url, timeout_s) from None
            except httpx.TransportError as exc:
                raise EngineError(f"cannot reach {provider.label} at {url}: {exc}",
                                  [ErrorDetail(provider.url_var, "check the base URL")]) from None
            if response.status_code in _RETRY and attempt < max_attempts:
                delay = _retry_after(response)
                delay = backoff_s * 2 ** (attempt - 1) if delay is None else delay
                if delay <= MAX_RETRY_AFTER_S and delay < deadline - time.monotonic():
                    time.sleep(delay)
                    continue
            return _answer(provider, url, response)


def _timeout(provider: Provider, url: str, timeout_s: float) -> TranslatorTimeoutError:
    return TranslatorTimeoutError(
        f"{provider.label} did not answer within {timeout_s:g} s ({url})",
        [ErrorDetail("STUDIOFLOW_LLM_TIMEOUT_S", "raise it for slow models")])


def _answer(provider: Provider, url: str, response: Any) -> Any:
    code = response.status_code
    if 200 <= code < 300:
        try:
            return response.json()
        except ValueError:
            raise EngineError(f"{provider.label} answered HTTP {code} with something that is "
                              f"not JSON: {response.text[:200]!r}") from None
    message = provider_message(response)
    if code in (401, 403):
        raise ConfigError(f"{provider.label} refused the API key (HTTP {code}): {message}",
                          [ErrorDetail(provider.key_var, "export a valid key")])
    if code == 404:
        raise EngineError(f"{provider.label} answered HTTP 404 at {url}: {message}",
                          [ErrorDetail(provider.url_var, "check the base URL and the model")])
    if code == 429:
        raise EngineError(f"{provider.label} is rate limiting (HTTP 429): {message}")
    raise EngineError(f"{provider.label} answered HTTP {code}: {message}")


def require_key(provider: Provider, value: str | None) -> str:
    if value and value.strip():
        return value.strip()
    raise ConfigError(f"{provider.label} needs an API key: export {provider.key_var}",
                      [ErrorDetail(provider.key_var, "not set")])
