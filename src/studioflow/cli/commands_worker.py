"""worker: a Celery worker that renders the jobs API processes queue (STUDIOFLOW_QUEUE=celery)."""

from __future__ import annotations

import click

from studioflow.cli.context import AppContext

pass_app = click.make_pass_decorator(AppContext)


@click.command()
@click.option("--concurrency", "-c", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Jobs rendered at once in this process (threads sharing one Studio: a GPU "
                   "model is loaded once).")
@click.option("--queues", "-Q", default=None,
              help="Comma-separated Celery queues to take jobs from "
                   "(default STUDIOFLOW_CELERY_QUEUE, i.e. studioflow).")
@click.option("--loglevel", "-l", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@pass_app
def worker(app: AppContext, concurrency: int, queues: str | None, loglevel: str) -> None:
    """Render queued jobs from Redis (pip install 'studioflow[celery]').

    Run one per GPU machine with the same STUDIOFLOW_DATABASE_URL, STUDIOFLOW_STORAGE_URL
    and STUDIOFLOW_REDIS_URL as the API. SIGTERM lets running jobs finish (10 s), then
    puts them back in the queue.
    """
    from studioflow.jobs.worker_celery import run_worker

    names = [q.strip() for q in (queues or "").split(",") if q.strip()]
    code = run_worker(app.settings, concurrency=concurrency, queues=names,
                      loglevel=loglevel.upper())
    raise SystemExit(code)


COMMANDS = [worker]
