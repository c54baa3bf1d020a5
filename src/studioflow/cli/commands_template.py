"""template save / import / list / show / delete: brand kits for batches (docs/batch.md)."""

from __future__ import annotations

import json

import click
from rich.syntax import Syntax
from rich.table import Table

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, read_manifest

pass_app = click.make_pass_decorator(AppContext)


def _templates(app: AppContext):
    from studioflow.batch import open_batch_stores

    app.studio  # noqa: B018 - opening the Studio migrates the database first
    return open_batch_stores(app.settings)[1]


@click.group()
def template() -> None:
    """Brand templates: a saved look (light, backdrop, camera, style, size) for batches."""


@template.command("save")
@click.argument("render_id", metavar="ID")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Overwrite a template with this name.")
@click.option("--json", "as_json", is_flag=True, help="Print the template as JSON.")
@pass_app
def save(app: AppContext, render_id: str, name: str, replace: bool, as_json: bool) -> None:
    """Save the look of render ID as template NAME."""
    record = app.studio.get(render_id)
    saved = _templates(app).save(name, record.manifest, record.id, replace=replace)
    if as_json:
        echo_json(saved.as_dict())
    else:
        app.out.print(f"template [bold]{saved.name}[/] saved from render {record.id}")


@template.command("import")
@click.argument("name")
@click.argument("file")
@click.option("--replace", is_flag=True, help="Overwrite a template with this name.")
@pass_app
def import_(app: AppContext, name: str, file: str, replace: bool) -> None:
    """Save the manifest in FILE (- = stdin) as template NAME."""
    saved = _templates(app).save(name, read_manifest(file), replace=replace)
    app.out.print(f"template [bold]{saved.name}[/] saved from {file}")


@template.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: AppContext, as_json: bool) -> None:
    """Every template, by name."""
    found = _templates(app).list()
    if as_json:
        echo_json([t.as_dict() for t in found])
        return
    if not found:
        app.out.print("no templates yet — try: studioflow template save RENDER_ID NAME")
        return
    table = Table()
    for column in ("name", "engine", "size", "from render", "updated"):
        table.add_column(column)
    for t in found:
        render = t.manifest.get("render", {})
        size = f"{render['width']}x{render['height']}" if render.get("width") and \
            render.get("height") else render.get("aspect", "")
        table.add_row(t.name, render.get("engine", ""), size, t.source_render_id or "",
                      t.updated_at.strftime("%Y-%m-%d %H:%M"))
    app.out.print(table)


@template.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the template as JSON.")
@pass_app
def show(app: AppContext, name: str, as_json: bool) -> None:
    """A template and its manifest."""
    found = _templates(app).get(name)
    if as_json:
        echo_json(found.as_dict())
        return
    app.out.print(f"[bold]{found.name}[/]  id {found.id}  from render "
                  f"{found.source_render_id or '-'}")
    app.out.print(Syntax(json.dumps(found.manifest, indent=2, ensure_ascii=False), "json"))


@template.command("delete")
@click.argument("name")
@pass_app
def delete(app: AppContext, name: str) -> None:
    """Delete a template (batches that used it keep their manifests)."""
    removed = _templates(app).delete(name)
    app.out.print(f"template {removed.name} deleted")


COMMANDS = [template]
