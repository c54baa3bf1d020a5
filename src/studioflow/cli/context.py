"""What every command shares: settings and a Studio opened on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from rich.console import Console

from studioflow.core.config import Settings

if TYPE_CHECKING:  # the Studio pulls in numpy, SQLAlchemy ...: only load it when used
    from studioflow.core.studio import Studio


class AppContext:
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)

    @cached_property
    def settings(self) -> Settings:
        return Settings()

    @cached_property
    def studio(self) -> Studio:  # noqa: F821
        from studioflow.core.wiring import open_studio

        return open_studio(self.settings)
