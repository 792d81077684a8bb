"""``sixbao init``: create the ledger (or say where the existing one is)."""

from __future__ import annotations

import typer

from sixbao_cli.cli.common import db_url, emit, missing_ledger_file


def init(ctx: typer.Context) -> None:
    from sixbao_cli.messages import t
    from sixbao_cli.schema import HEAD, open_ledger, status

    url = db_url(ctx)
    before = {"state": "blank"} if missing_ledger_file(url) else status(url)
    open_ledger(url).close()
    key = "init.exists" if before["state"] == "current" else "init.created"
    emit(t(key, path=status(url)["database"], revision=HEAD))
    if key == "init.created":
        emit(t("init.next"))

