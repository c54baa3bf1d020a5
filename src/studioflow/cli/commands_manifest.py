"""translate, validate, compile, schema: working on manifests without rendering."""

from __future__ import annotations

import json

import click

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json, read_bytes, read_manifest
from studioflow.schema import SCHEMA_PATH, parse_manifest_text

pass_app = click.make_pass_decorator(AppContext)


@click.command()
@click.argument("text")
@click.option("--base", "base_path", metavar="MANIFEST.json",
              help="Start from this manifest; the text changes only what it mentions.")
@click.option("--translator", help="Translator plugin (default: rules).")
@pass_app
def translate(app: AppContext, text: str, base_path: str | None, translator: str | None) -> None:
    """Turn a sentence into a manifest and print it as JSON."""
    base = read_manifest(base_path) if base_path else None
    echo_json(app.studio.translate(text, base=base, translator=translator))


@click.command()
@click.argument("file")
@pass_app
def validate(app: AppContext, file: str) -> None:
    """Check a manifest (FILE or - for stdin): exit 0 if valid, else one line per error."""
    source = "standard input" if file == "-" else file
    manifest = parse_manifest_text(read_bytes(file, "manifest"), source)
    errors = app.studio.validate(manifest)
    if not errors:
        click.echo(f"{source}: valid")
        return
    for err in errors:
        click.echo(f"{err.path}: {err.message}", err=True)
    raise click.exceptions.Exit(1)


@click.command(name="compile")
@click.argument("file")
@pass_app
def compile_(app: AppContext, file: str) -> None:
    """Compile a manifest's controls into FIBO's text fields and print it."""
    echo_json(app.studio.compile(read_manifest(file)))


@click.command()
def schema() -> None:
    """Print the manifest JSON Schema (the single source of truth)."""
    click.echo(json.dumps(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), indent=2))


COMMANDS = [translate, validate, compile_, schema]
