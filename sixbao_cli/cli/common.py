"""What every command shares: global state, opening the ledger, common options, output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from sixbao_cli.messages import t

if TYPE_CHECKING:
    from rich.console import Console

    from sixbao_cli.db import Ledger


@dataclass
class State:
    """Global options, kept on the root context."""

    db: str | None = None
    debug: bool = False


def state(ctx: typer.Context) -> State:
    """The root command's options."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def db_url(ctx: typer.Context) -> str:
    """The ledger URL the user chose (``--db``, ``$SIXBAO_DB``) or the default."""
    from sixbao_cli.settings import resolve_db_url

    return resolve_db_url(state(ctx).db)


def missing_ledger_file(url: str) -> bool:
    """Is this a SQLite ledger whose file does not exist yet?"""
    from sixbao_cli.settings import sqlite_path

    path = sqlite_path(url)
    return path is not None and not path.exists()


def require_existing(url: str) -> None:
    """Refuse (rather than create) a SQLite ledger that does not exist: a typo in --db should not make one."""
    if missing_ledger_file(url):
        from sixbao_cli.errors import LedgerUnavailable
        from sixbao_cli.settings import sqlite_path

        raise LedgerUnavailable("db.no_ledger", path=sqlite_path(url))


@contextmanager
def open_ledger(ctx: typer.Context, *, create: bool = True) -> Iterator[Ledger]:
    """The ledger, schema checked (and created or upgraded when needed), closed afterwards.

    Commands that only read pass ``create=False``: for them a missing SQLite
    file is an error, not a new empty ledger.
    """
    from sixbao_cli.schema import open_ledger as _open

    url = db_url(ctx)
    if not create:
        require_existing(url)
    ledger = _open(url)
    try:
        yield ledger
    finally:
        ledger.close()


def today() -> date:
    """Today in China (the day entries are checked against), whatever the host's time zone."""
    from sixbao_cli.clock import china_today

    return china_today()


def interactive() -> bool:
    """May we ask questions? Only when both ends are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def output(data: object, as_json: bool, render: Callable[[Console, object], None]) -> None:
    """Print ``data`` as JSON, or through ``render`` on the data console."""
    if as_json:
        from sixbao_cli.render.jsonout import to_json

        emit(to_json(data))
        return
    from sixbao_cli.render.text import stdout_console

    render(stdout_console(), data)


def emit(text: str) -> None:
    """Data on stdout."""
    typer.echo(text)


def note(text: str) -> None:
    """A message on stderr (confirmations, warnings)."""
    typer.echo(text, err=True)


def error_line(text: str) -> None:
    """The one error line on stderr, the prefix in red on a colour terminal."""
    colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    typer.echo(typer.style(t("error.prefix"), fg="red", bold=True) if colour else t("error.prefix"), err=True, nl=False)
    typer.echo(text, err=True)


JsonOpt = Annotated[bool, typer.Option("--json", help=t("opt.json"))]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help=t("opt.limit"))]
