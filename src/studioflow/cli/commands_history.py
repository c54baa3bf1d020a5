"""history, show, diff, lineage, engines: looking at what was made and with what."""

from __future__ import annotations

import json

import click
from rich.syntax import Syntax
from rich.table import Table
from rich.tree import Tree

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, image_paths, record_json
from studioflow.core.studio import LineageNode

pass_app = click.make_pass_decorator(AppContext)


def _short(text: str | None, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command()
@click.option("--sku", help="Only renders of this SKU.")
@click.option("-q", "--query", "q", help="Search prompts, instructions and descriptions.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--cursor", help="Continue after this id (from a previous page).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def history(app: AppContext, sku: str | None, q: str | None, limit: int, cursor: str | None,
            as_json: bool) -> None:
    """List renders, newest first."""
    studio = app.studio
    page = studio.history(sku=sku, q=q, limit=limit, cursor=cursor)
    if as_json:
        echo_json({"items": [record_json(r, image_paths(studio, r, None)) for r in page.items],
                   "next_cursor": page.next_cursor})
        return
    table = Table(show_lines=False)
    for col in ("id", "created", "engine", "seed", "sku", "from", "shot"):
        table.add_column(col, overflow="fold" if col == "id" else "ellipsis")
    for r in page.items:
        origin = f"refine {r.parent_id[:8]}" if r.instruction else (
            f"copy {r.parent_id[:8]}" if r.parent_id else "prompt" if r.prompt else "manifest")
        table.add_row(r.id, r.created_at.strftime("%Y-%m-%d %H:%M"), r.engine, str(r.seed),
                      r.sku or "", origin, _short(r.manifest["fibo"]["short_description"]))
    app.out.print(table)
    if not page.items:
        app.out.print("no renders yet — try: studioflow render \"perfume bottle on white marble\"")
    if page.next_cursor:
        app.out.print(f"more: studioflow history --cursor {page.next_cursor}")


@click.command()
@click.argument("render_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON.")
@pass_app
def show(app: AppContext, render_id: str, as_json: bool) -> None:
    """Show one render: its record and manifest."""
    studio = app.studio
    record = studio.get(render_id)
    paths = image_paths(studio, record, None)
    if as_json:
        echo_json(record_json(record, paths))
        return
    rows = [("id", record.id), ("created", record.created_at.isoformat()),
            ("parent", record.parent_id or "-"), ("engine", record.engine),
            ("model", f"{record.model or '-'} ({record.model_revision or '-'})"),
            ("seed", str(record.seed)), ("size", f"{record.width}x{record.height}"),
            ("time", f"{record.duration_ms:.0f} ms"), ("prompt", record.prompt or "-"),
            ("instruction", record.instruction or "-"), ("images", "\n".join(paths))]
    table = Table(show_header=False, box=None)
    for key, value in rows:
        table.add_row(f"[bold]{key}[/]", value)
    app.out.print(table)
    app.out.print(Syntax(json.dumps(record.manifest, indent=2, ensure_ascii=False), "json",
                         word_wrap=True))


@click.command()
@click.argument("first", metavar="ID1")
@click.argument("second", metavar="ID2")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@pass_app
def diff(app: AppContext, first: str, second: str, as_json: bool) -> None:
    """Show what differs between two renders' manifests."""
    changes = app.studio.diff(first, second)
    if as_json:
        echo_json([c.as_dict() for c in changes])
        return
    if not changes:
        app.out.print("the manifests are identical")
    for c in changes:
        if c.kind == "added":
            app.out.print(f"[green]+ {c.path}[/]: {json.dumps(c.after, ensure_ascii=False)}")
        elif c.kind == "removed":
            app.out.print(f"[red]- {c.path}[/]: {json.dumps(c.before, ensure_ascii=False)}")
        else:
            app.out.print(f"[yellow]~ {c.path}[/]")
            app.out.print(f"    [red]- {json.dumps(c.before, ensure_ascii=False)}[/]")
            app.out.print(f"    [green]+ {json.dumps(c.after, ensure_ascii=False)}[/]")


@click.command()
@click.argument("render_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the tree as JSON.")
@pass_app
def lineage(app: AppContext, render_id: str, as_json: bool) -> None:
    """Show the family tree of a render: its root and every refinement."""
    root = app.studio.lineage(render_id)
    if as_json:
        echo_json(root.as_dict())
        return
    target = app.studio.get(render_id).id

    def label(node: LineageNode) -> str:
        r = node.record
        what = f"“{_short(r.instruction, 50)}”" if r.instruction else _short(r.prompt, 50) or "-"
        mark = " [bold cyan]◀[/]" if r.id == target else ""
        return f"{r.id}  {what}{mark}"

    def grow(tree: Tree, node: LineageNode) -> None:
        for child in node.children:
            grow(tree.add(label(child)), child)

    tree = Tree(label(root))
    grow(tree, root)
    app.out.print(tree)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def engines(app: AppContext, as_json: bool) -> None:
    """List engines: installed, configured, available, and why not."""
    statuses = app.studio.engines.statuses()
    if as_json:
        echo_json([{"name": name, "capabilities": caps.as_dict() if caps else None,
                    **status.as_dict()} for name, (caps, status) in statuses.items()])
        return
    table = Table()
    for col in ("engine", "label", "installed", "configured", "available", "note"):
        table.add_column(col)
    yes = {True: "[green]yes[/]", False: "[red]no[/]"}
    for name, (caps, status) in statuses.items():
        table.add_row(name, caps.label if caps else "-", yes[status.installed],
                      yes[status.configured], yes[status.available], status.reason or "")
    app.out.print(table)


COMMANDS = [history, show, diff, lineage, engines]
