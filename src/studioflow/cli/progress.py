"""A rich progress bar fed by engine progress events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from studioflow.engines import ProgressCallback, ProgressEvent


@contextmanager
def render_progress(console: Console, label: str) -> Iterator[ProgressCallback | None]:
    """Yields an ``on_progress`` callback, or None when stderr is not a terminal."""
    if not console.is_terminal:
        yield None
        return
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} {task.fields[message]}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(label, total=None, message="")

        def on_progress(event: ProgressEvent) -> None:
            bar.update(task, completed=event.step, total=event.total, message=event.message)

        yield on_progress
