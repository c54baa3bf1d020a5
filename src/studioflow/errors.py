"""StudioFlow's one exception tree.

Every error a user can cause carries a stable ``code``, a one-line ``message`` and
``details`` that point at the place in the input (a JSON path such as
``$.fibo.lighting.direction``, a CSV row and column, a line and column of broken JSON).
The CLI prints them as lines, the API as ``{"error": {"code", "message", "details"}}``.

    StudioFlowError
    ├── InputError                 the caller sent something wrong (HTTP 400/422)
    │   ├── JSONSyntaxError        broken JSON, with line and column
    │   ├── ManifestError          schema or semantic violations, one detail per path
    │   ├── PromptError            empty, too long or undecodable text
    │   └── UnsupportedError       an engine cannot do what was asked
    ├── NotFoundError              unknown render, job, template ... (HTTP 404)
    ├── ConfigError                something is not set up (HTTP 503)
    │   └── MissingExtraError      an optional dependency is not installed
    ├── EngineError                an engine failed while rendering (HTTP 502)
    ├── CancelledError             the work was cancelled
    └── QueueFullError             backpressure (HTTP 429, retry_after seconds)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorDetail:
    """Where something is wrong (``path``) and what was expected there (``message``)."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(eq=False)
class StudioFlowError(Exception):
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    code: str = "error"
    http_status: int = 500

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "details": [d.as_dict() for d in self.details],
            }
        }

    def lines(self) -> list[str]:
        """The message followed by one line per detail, as the CLI prints them."""
        return [self.message, *(f"  {d}" for d in self.details)]


@dataclass(eq=False)
class InputError(StudioFlowError):
    code: str = "invalid_input"
    http_status: int = 400


@dataclass(eq=False)
class JSONSyntaxError(InputError):
    code: str = "invalid_json"
    line: int = 0
    column: int = 0


@dataclass(eq=False)
class ManifestError(InputError):
    code: str = "invalid_manifest"
    http_status: int = 422


@dataclass(eq=False)
class PromptError(InputError):
    code: str = "invalid_prompt"
    http_status: int = 422


@dataclass(eq=False)
class UnsupportedError(InputError):
    code: str = "unsupported"
    http_status: int = 422


@dataclass(eq=False)
class NotFoundError(StudioFlowError):
    code: str = "not_found"
    http_status: int = 404


@dataclass(eq=False)
class ConfigError(StudioFlowError):
    code: str = "not_configured"
    http_status: int = 503


@dataclass(eq=False)
class MissingExtraError(ConfigError):
    code: str = "missing_extra"
    extra: str = ""


@dataclass(eq=False)
class EngineError(StudioFlowError):
    code: str = "engine_error"
    http_status: int = 502


@dataclass(eq=False)
class CancelledError(StudioFlowError):
    code: str = "cancelled"
    http_status: int = 409


@dataclass(eq=False)
class QueueFullError(StudioFlowError):
    code: str = "queue_full"
    http_status: int = 429
    retry_after: float = 1.0


def missing_extra(extra: str, module: str) -> MissingExtraError:
    """The error for an optional dependency that is not installed."""
    return MissingExtraError(
        f"{module} is not installed; install it with: pip install 'studioflow[{extra}]'",
        extra=extra,
    )
