"""serve: the HTTP API with its in-process render workers."""

from __future__ import annotations

import click

from studioflow.cli.context import AppContext

pass_app = click.make_pass_decorator(AppContext)


@click.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1, STUDIOFLOW_HOST); "
                             "beyond loopback API keys are required (studioflow keys create).")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Port to listen on (default 8000, STUDIOFLOW_PORT).")
@click.option("--workers", type=click.IntRange(0, 64),
              help="Render worker threads in this process; 0 = only accept and serve "
                   "(default 1, STUDIOFLOW_WORKERS).")
@pass_app
def serve(app: AppContext, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the HTTP API (docs at /docs). Several processes may share one database."""
    from studioflow.api import require_api_extra

    require_api_extra()
    from studioflow.api.app import serve as run

    given = {"host": host, "port": port, "workers": workers}
    settings = app.settings.model_copy(update={k: v for k, v in given.items() if v is not None})
    run(settings)


COMMANDS = [serve]
