"""keys: API keys for `studioflow serve` (create, list, revoke). Only hashes are stored."""

from __future__ import annotations

import click
from rich.table import Table

from studioflow.cli.context import AppContext
from studioflow.cli.io import echo_json

pass_app = click.make_pass_decorator(AppContext)


def _store(app: AppContext):
    from studioflow.store.keys_sql import open_key_store

    return open_key_store(app.settings)


@click.group()
def keys() -> None:
    """API keys: required by `studioflow serve` beyond localhost (docs/security.md)."""


@keys.command("create")
@click.argument("name")
@click.option("--rate-limit", type=click.IntRange(1, 1_000_000), metavar="N",
              help="Requests per minute for this key (default STUDIOFLOW_RATE_LIMIT_PER_MINUTE).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the key, once).")
@pass_app
def create(app: AppContext, name: str, rate_limit: int | None, as_json: bool) -> None:
    """Create a key named NAME and print it. It is shown this once and never stored."""
    key, secret = _store(app).create(name, rate_limit)
    if as_json:
        echo_json({**key.as_dict(), "key": secret})
        return
    # the secret goes to stdout alone, so `KEY=$(studioflow keys create ci)` captures it
    click.echo(secret)
    app.err.print(f"created API key {key.prefix} ({key.name}, id {key.id}).\n"
                  "Store it now: it is not shown again. Send it as "
                  "'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")


@keys.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_keys(app: AppContext, as_json: bool) -> None:
    """Every key: id, name, prefix, created, last used, revoked (never the key itself)."""
    found = _store(app).list()
    if as_json:
        echo_json([k.as_dict() for k in found])
        return
    if not found:
        app.out.print("no API keys yet — create one: studioflow keys create NAME")
        return
    table = Table()
    for col in ("id", "name", "prefix", "created", "last used", "rate/min", "revoked"):
        # wrapped, never cut: prefixes and ids are what `keys revoke` takes
        table.add_column(col, overflow="fold", min_width=11 if col == "prefix" else None)

    def when(value) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else "-"

    for k in found:
        table.add_row(k.id, k.name, k.prefix, when(k.created_at), when(k.last_used_at),
                      str(k.rate_limit_per_minute or "default"), when(k.revoked_at))
    app.out.print(table)


@keys.command("revoke")
@click.argument("key", metavar="ID_OR_PREFIX")
@pass_app
def revoke(app: AppContext, key: str) -> None:
    """Revoke a key (by id or prefix, e.g. sf_ab12cd34); it stops working at once."""
    revoked = _store(app).revoke(key)
    app.out.print(f"revoked API key {revoked.prefix} ({revoked.name}, id {revoked.id})")


COMMANDS = [keys]
