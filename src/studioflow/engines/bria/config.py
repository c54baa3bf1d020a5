"""Settings of the Bria engine, read from ``BRIA_*`` environment variables."""

from __future__ import annotations

from urllib.parse import urlparse

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://engine.prod.bria-api.com/v2"


class BriaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIA_", extra="ignore")

    api_token: SecretStr | None = Field(None, description="Bria API token (header api_token).")
    api_url: str = Field(DEFAULT_API_URL, description="Base URL of Bria's v2 API.")
    sync: bool = Field(False, description="Ask Bria to answer with the image (sync=true) "
                                          "instead of a request id to poll.")
    timeout: float = Field(300.0, gt=0, description="Longest wait for one render, in seconds.")
    connect_timeout: float = Field(10.0, gt=0, description="TCP/TLS connect timeout (s).")
    read_timeout: float = Field(60.0, gt=0, description="Read timeout of one HTTP call (s); "
                                                        "a sync submit waits up to `timeout`.")
    poll_interval: float = Field(1.0, gt=0, description="First pause between status polls (s).")
    poll_max_interval: float = Field(5.0, gt=0, description="Longest pause between polls (s).")
    max_attempts: int = Field(4, ge=1, le=20, description="Tries per call for retryable "
                                                          "failures (429, 5xx, connect errors).")
    backoff: float = Field(1.0, ge=0, description="First retry delay (s), doubled each time.")
    max_backoff: float = Field(30.0, ge=0, description="Longest retry delay (s), Retry-After "
                                                       "included.")

    @property
    def token(self) -> str | None:
        value = self.api_token.get_secret_value().strip() if self.api_token else ""
        return value or None

    @property
    def base_url(self) -> str:
        return self.api_url.rstrip("/")

    def url_problem(self) -> str | None:
        """Why ``api_url`` cannot be used, or None when it is a well-formed http(s) URL."""
        parsed = urlparse(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return f"BRIA_API_URL must be an http(s) URL, got {self.api_url!r}"
        return None
