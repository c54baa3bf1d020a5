"""batch, presets: rendering a catalogue from a CSV file (docs/batch.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.panel import Panel
from rich.table import Table

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, read_bytes
from studioflow.errors import ErrorDetail, InputError

if TYPE_CHECKING:
    from studioflow.batch.planner import Plan
    from studioflow.batch.store import Batch, BatchStore

pass_app = click.make_pass_decorator(AppContext)

EXIT_SOME_FAILED = 2  # the batch ran; some rows or items did not make it
EXIT_INTERRUPTED = 130


def _issue_table(title: str, issues: list[Any]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("row", "column", "level", "message"):
        table.add_column(column, overflow="fold")
    for issue in issues:
        style = "red" if issue.level == "error" else "yellow"
        table.add_row(str(issue.row), issue.column or "", f"[{style}]{issue.level}[/]",
                      issue.message)
    return table


def _dry_run(app: AppContext, plan: Plan, as_json: bool) -> None:
    errors, warnings = plan.errors, plan.warnings
    if as_json:
        echo_json({"batch_id": None, "dry_run": True, "rows": plan.rows,
                   "valid_rows": plan.good_rows, "items": len(plan.items), "rendered": 0,
                   "failed": plan.rejected_rows, "errors": [i.as_dict() for i in errors],
                   "warnings": [i.as_dict() for i in warnings], "results": []})
    else:
        title = (f"dry run: {plan.rows} rows, {plan.good_rows} valid ({len(plan.items)} "
                 f"images), {len(errors)} errors, {len(warnings)} warnings")
        if plan.issues:
            app.out.print(_issue_table(title, plan.issues))
        else:
            app.out.print(title)
    raise click.exceptions.Exit(1 if errors else 0)


def _progress(app: AppContext, store: BatchStore, batch: Batch):
    """A rich progress bar on stderr (items done / failed / ETA) and its item callback."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    counts = store.counts(batch.id)
    finished = counts["done"] + counts["failed"] + counts["cancelled"]
    bar = Progress(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("[green]{task.fields[done]} done[/] [red]{task.fields[failed]} "
                              "failed[/]"), TimeElapsedColumn(), TextColumn("ETA"),
                   TimeRemainingColumn(), console=app.err, transient=False,
                   disable=not app.err.is_terminal)
    task = bar.add_task("batch", total=counts["total"], completed=finished,
                        done=counts["done"], failed=counts["failed"])
    tally = {"done": counts["done"], "failed": counts["failed"]}

    def on_item(kind: str, item: Any, result: Any) -> None:
        if kind in tally:
            tally[kind] += 1
        bar.update(task, advance=1, **tally)
        if kind == "failed" and not app.err.is_terminal:
            app.err.print(f"row {item.row} ({item.sku}) variant {item.variant} failed: "
                          f"{result.get('message')}")

    return bar, on_item


def _write_results(app: AppContext, store: BatchStore, batch_id: str,
                   out_dir: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    import json

    from studioflow.batch.results import result_lines, results_csv, summary, write_zip

    studio = app.studio
    batch = store.get(batch_id)

    def image_ref(_render_id: str, key: str) -> str:
        local = studio.files.local_path(key)
        return str(local) if local is not None else studio.files.url(key)

    lines = result_lines(store, batch, image_ref)
    report = summary(batch, store.counts(batch.id), lines)
    folder = Path(out_dir) if out_dir else app.settings.home / "batches" / batch.id
    folder.mkdir(parents=True, exist_ok=True)
    files = {"csv": folder / "results.csv", "json": folder / "results.json",
             "zip": folder / "results.zip"}
    files["csv"].write_text(results_csv(lines), encoding="utf-8", newline="")
    files["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp = files["zip"].with_suffix(".zip.part")
    write_zip(tmp, studio.files.get, lines)
    tmp.replace(files["zip"])
    return report, {k: str(v) for k, v in files.items()}


def _report(app: AppContext, report: dict[str, Any], files: dict[str, str],
            interrupted: bool) -> None:
    lines = [f"[bold]batch[/]     {report['batch_id']}  ({report['status']})",
             f"[bold]rendered[/]  {report['rendered']}   [bold]failed[/] {report['failed']}"
             f"   (rows rejected: {report['rejected_rows']})",
             f"[bold]results[/]   {files['csv']}", f"          {files['json']}",
             f"          {files['zip']}"]
    if interrupted or report["status"] == "cancelled":
        lines.append(f"[yellow]cancelled[/]: continue with  studioflow batch --resume "
                     f"{report['batch_id']}")
    app.out.print(Panel("\n".join(lines), title="batch", expand=False))
    errors = report["errors"]
    if errors:
        table = Table(title=f"{len(errors)} error(s)", title_justify="left")
        for column in ("row", "column", "message"):
            table.add_column(column, overflow="fold")
        for error in errors[:50]:
            table.add_row(str(error["row"]), error["column"] or "", error["message"])
        app.out.print(table)


@click.command()
@click.argument("csv_file", metavar="[FILE.csv]", required=False)
@click.option("--template", help="Brand template for every row (see `studioflow template`).")
@click.option("--preset", help="Marketplace preset (see `studioflow presets`).")
@click.option("--engine", help="Engine name (default: the template's, else STUDIOFLOW_ENGINE).")
@click.option("--width", type=click.IntRange(16, 8192), help="Width in pixels.")
@click.option("--height", type=click.IntRange(16, 8192), help="Height in pixels.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Batch seed: with the SKU it fixes each image's seed.")
@click.option("--variants", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Images per row (a row's variants column wins).")
@click.option("--translator", help="Translator for the prompts (default: rules).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Items rendered at once.")
@click.option("--out", "out_dir", metavar="DIR",
              help="Where results.csv/json/zip go (default: $STUDIOFLOW_HOME/batches/ID).")
@click.option("--dry-run", is_flag=True, help="Check every row; render nothing.")
@click.option("--resume", "resume_id", metavar="ID", help="Continue a cancelled or killed batch.")
@click.option("--retry-failed", is_flag=True, help="With --resume: render failed items again.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@pass_app
def batch(app: AppContext, csv_file: str | None, resume_id: str | None, dry_run: bool,
          concurrency: int, out_dir: str | None, retry_failed: bool, as_json: bool,
          **options: Any) -> None:
    """Render a catalogue: one image per CSV row and variant (docs/batch.md).

    Exit status: 0 every row rendered, 1 nothing could run, 2 some rows or items failed,
    130 interrupted (resume with --resume ID).
    """
    from studioflow.batch import open_batch_stores
    from studioflow.batch.csv_reader import parse_csv
    from studioflow.batch.planner import BatchOptions, Planner
    from studioflow.batch.runner import BatchRunner

    if (csv_file is None) == (resume_id is None):
        raise InputError("give a CSV file or --resume ID",
                         [ErrorDetail("arguments", "exactly one of FILE.csv and --resume")])
    studio = app.studio
    store, templates = open_batch_stores(app.settings)
    if resume_id is not None:
        current = store.resume(resume_id, mode="cli", retry_failed=retry_failed)
    else:
        assert csv_file is not None
        parsed = parse_csv(read_bytes(csv_file, "CSV file"), app.settings.batch_max_rows)
        base_dir = Path(csv_file).parent if csv_file != "-" else Path.cwd()
        planner = Planner(studio, templates, BatchOptions(**options), base_dir=base_dir,
                          workers=os.cpu_count() or 1)
        plan = planner.plan(parsed)
        if dry_run:
            _dry_run(app, plan, as_json)
        if not plan.items:
            app.err.print(_issue_table("no row can be rendered", plan.issues))
        planner.require_engines(plan)
        current = store.create(plan.items, options=BatchOptions(**options).as_dict(),
                               issues=plan.issues, total_rows=plan.rows,
                               source=Path(csv_file).name, mode="cli")
    app.err.print(f"batch {current.id}: {current.total_items} images from "
                  f"{current.total_rows} rows", highlight=False)
    bar, on_item = _progress(app, store, current)
    interrupted = False
    with bar:
        try:
            BatchRunner(studio, store, concurrency, on_item).run(current.id)
        except KeyboardInterrupt:
            interrupted = True
    report, files = _write_results(app, store, current.id, out_dir)
    if as_json:
        echo_json({**report, "files": files})
    else:
        _report(app, report, files, interrupted)
    if interrupted:
        raise click.exceptions.Exit(EXIT_INTERRUPTED)
    if report["failed"]:
        raise click.exceptions.Exit(EXIT_SOME_FAILED)


@click.command()
@click.option("--engine", help="Show the sizes this engine renders (default: STUDIOFLOW_ENGINE).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def presets(app: AppContext, engine: str | None, as_json: bool) -> None:
    """Marketplace presets: sizes (on the engine's size grid) and rules."""
    from studioflow.batch.presets import PRESETS, fit_size

    name = engine or app.settings.engine
    caps = app.studio.engines.capabilities(name) if name in app.studio.engines.names() else None
    if caps is None:
        raise InputError(f"unknown engine {name!r}", [ErrorDetail("--engine", "not installed")])
    rows = [{**p.as_dict(), "engine": name, "engine_size": list(fit_size(p.width, p.height,
                                                                          caps))}
            for p in PRESETS.values()]
    if as_json:
        echo_json(rows)
        return
    table = Table(title=f"presets (sizes for the {name} engine, multiple of "
                        f"{caps.size_multiple})", title_justify="left")
    for column in ("preset", "nominal", name, "rules"):
        table.add_column(column, overflow="fold")
    for row in rows:
        w, h = row["engine_size"]
        table.add_row(row["name"], f"{row['width']}x{row['height']}", f"{w}x{h}",
                      "; ".join(row["rules"]))
    app.out.print(table)


COMMANDS = [batch, presets]
