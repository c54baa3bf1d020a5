"""render, refine, rerender: making images and storing them with their history."""

from __future__ import annotations

import click
from rich.panel import Panel
from rich.table import Table

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, image_paths, read_bytes, read_manifest, record_json
from studioflow.cli.progress import render_progress
from studioflow.core.orchestrator import RenderOverrides
from studioflow.core.studio import Origin
from studioflow.errors import ErrorDetail, InputError
from studioflow.store.records_base import RenderRecord

pass_app = click.make_pass_decorator(AppContext)


def _render_options(func):
    options = [
        click.option("--engine", help="Engine name (see `studioflow engines`)."),
        click.option("--model", help="Model id or local path for engines that take one."),
        click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="Random seed."),
        click.option("--width", type=click.IntRange(16, 8192), help="Width in pixels."),
        click.option("--height", type=click.IntRange(16, 8192), help="Height in pixels."),
        click.option("--aspect", help="Aspect preset such as 1:1, 4:5, 16:9."),
        click.option("--steps", type=click.IntRange(1, 200), help="Denoising steps."),
        click.option("--guidance", type=click.FloatRange(0, 30), help="Guidance scale."),
        click.option("--num-images", type=click.IntRange(1, 8), help="Images per render."),
        click.option("--out", "out_dir", metavar="DIR", help="Also copy the image(s) here."),
        click.option("--json", "as_json", is_flag=True, help="Print the record as JSON."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _overrides(kw: dict) -> RenderOverrides:
    return RenderOverrides(engine=kw.get("engine"), model=kw.get("model"), seed=kw.get("seed"),
                           width=kw.get("width"), height=kw.get("height"),
                           aspect=kw.get("aspect"), steps=kw.get("steps"),
                           guidance_scale=kw.get("guidance"), num_images=kw.get("num_images"))


def _report(app: AppContext, record: RenderRecord, out_dir: str | None, as_json: bool) -> None:
    paths = image_paths(app.studio, record, out_dir)
    if as_json:
        echo_json(record_json(record, paths))
        return
    label = app.studio.engines.capabilities(record.engine).label
    badge = "[black on yellow] PREVIEW [/]" if label == "preview" else f"[bold]{label}[/]"
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # paths and ids must stay copyable, never cut
    grid.add_row("id", record.id)
    if record.parent_id:
        grid.add_row("parent", record.parent_id)
    grid.add_row("image", "\n".join(paths) or "-")
    grid.add_row("engine", f"{badge}  seed {record.seed}  {record.width}x{record.height}  "
                           f"{record.duration_ms:.0f} ms")
    grid.add_row("shot", record.manifest["fibo"]["short_description"])
    app.out.print(Panel(grid, title="render", expand=False))


@click.command()
@click.argument("text", required=False)
@click.option("--manifest", "manifest_path", metavar="FILE", help="Render a manifest (- = stdin).")
@click.option("--from-image", "image_path", metavar="PNG",
              help="Render again from the manifest embedded in a StudioFlow PNG.")
@click.option("--translator", help="Translator plugin for TEXT (default: rules).")
@_render_options
@pass_app
def render(app: AppContext, text: str | None, manifest_path: str | None, image_path: str | None,
           translator: str | None, out_dir: str | None, as_json: bool, **kw) -> None:
    """Render TEXT, a manifest, or the manifest inside a StudioFlow PNG."""
    given = [x for x in (text, manifest_path, image_path) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of TEXT, --manifest FILE or --from-image PNG",
                         [ErrorDetail("arguments", f"{len(given)} given")])
    studio = app.studio
    overrides = _overrides(kw)
    with render_progress(app.err, "rendering") as on_progress:
        if text is not None:
            record = studio.render_prompt(text, overrides, translator=translator,
                                          on_progress=on_progress)
        elif manifest_path is not None:
            record = studio.render(read_manifest(manifest_path), overrides,
                                   on_progress=on_progress)
        else:
            manifest = studio.manifest_from_image(read_bytes(image_path, "image"), image_path)
            record = studio.render(manifest, overrides, Origin(meta={"from_image": image_path}),
                                   on_progress=on_progress)
    _report(app, record, out_dir, as_json)


@click.command()
@click.argument("render_id", metavar="ID")
@click.argument("instruction")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), help="New seed (default: the parent's).")
@click.option("--translator", help="Translator plugin (default: rules).")
@click.option("--out", "out_dir", metavar="DIR", help="Also copy the image(s) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@pass_app
def refine(app: AppContext, render_id: str, instruction: str, seed: int | None,
           translator: str | None, out_dir: str | None, as_json: bool) -> None:
    """Change a render with an instruction; the new render's parent is ID."""
    with render_progress(app.err, "refining") as on_progress:
        record = app.studio.refine(render_id, instruction, seed=seed, translator=translator,
                                   on_progress=on_progress)
    _report(app, record, out_dir, as_json)


@click.command()
@click.argument("render_id", metavar="ID")
@click.option("--out", "out_dir", metavar="DIR", help="Also copy the image(s) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@pass_app
def rerender(app: AppContext, render_id: str, out_dir: str | None, as_json: bool) -> None:
    """Reproduce a render exactly (same manifest, seed and engine)."""
    with render_progress(app.err, "rendering") as on_progress:
        record = app.studio.rerender(render_id, on_progress=on_progress)
    _report(app, record, out_dir, as_json)


COMMANDS = [render, refine, rerender]
