"""StudioFlow's HTTP API (FastAPI, part of the base install; a trimmed install that lacks it
gets an error naming ``pip install 'studioflow[api]'``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studioflow.errors import missing_extra

if TYPE_CHECKING:
    from fastapi import FastAPI


def require_api_extra() -> None:
    """A clear error naming the extra when FastAPI or uvicorn is missing."""
    for module in ("fastapi", "uvicorn"):
        try:
            __import__(module)
        except ModuleNotFoundError:
            raise missing_extra("api", module) from None


def create_app(settings: Any = None, studio: Any = None) -> FastAPI:
    require_api_extra()
    from studioflow.api.app import create_app as _create_app

    return _create_app(settings, studio)


__all__ = ["create_app", "require_api_extra"]
