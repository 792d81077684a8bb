"""``sixbao init``: create the ledger (or say where the existing one is)."""

from __future__ import annotations

import typer

from sixbao_cli.cli.common import db_url, emit


def init(ctx: typer.Context) -> None:
    from sixbao_cli.messages import t
    from sixbao_cli.schema import HEAD, open_ledger, status

    url = db_url(ctx)
    before = status(url) if not _missing_file(url) else {"state": "blank"}
    open_ledger(url).close()
    key = "init.exists" if before["state"] == "current" else "init.created"
    emit(t(key, path=status(url)["database"], revision=HEAD))
    if key == "init.created":
        emit(t("init.next"))


def _missing_file(url: str) -> bool:
    from sixbao_cli.settings import sqlite_path

    path = sqlite_path(url)
    return path is not None and not path.exists()
