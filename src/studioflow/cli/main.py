"""Entry point: the command group, lazy Studio, and one place that turns errors into lines."""

from __future__ import annotations

import os
import sys

import click

from studioflow import __version__
from studioflow.cli.context import AppContext
from studioflow.errors import StudioFlowError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="studioflow")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """StudioFlow: describe a product shot in words, get a reproducible render.

    State lives in STUDIOFLOW_HOME (default ~/.studioflow).
    """
    ctx.obj = AppContext()


def _register() -> None:
    """Every ``cli/commands_*.py`` module contributes its ``COMMANDS``."""
    import importlib
    import pkgutil

    import studioflow.cli as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("commands_"):
            module = importlib.import_module(f"studioflow.cli.{info.name}")
            for command in module.COMMANDS:
                cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user mistakes print one clear line on stderr, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="studioflow", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except StudioFlowError as exc:
        lines = exc.lines()
        click.echo(f"error: {lines[0]}", err=True)
        for line in lines[1:]:
            click.echo(line, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("STUDIOFLOW_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("  (set STUDIOFLOW_DEBUG=1 to see the traceback)", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
