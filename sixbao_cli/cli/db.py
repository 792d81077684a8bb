"""``sixbao db current|upgrade|backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, db_url, emit, require_existing
from sixbao_cli.messages import t

app = typer.Typer(no_args_is_help=True)


@app.command("current", help=t("db.current.help"), epilog=t("db.current.epilog"))
def current(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    from sixbao_cli.schema import status

    url = db_url(ctx)
    require_existing(url)
    info = status(url)
    if json_out:
        from sixbao_cli.render.jsonout import to_json

        emit(to_json(info))
        return
    emit(t("db.current.line", database=info["database"], dialect=info["dialect"],
           revision=info["revision"] or "—", head=info["head"], state=t(f"db.state.{info['state']}")))


@app.command("upgrade", help=t("db.upgrade.help"), epilog=t("db.upgrade.epilog"))
def upgrade(ctx: typer.Context) -> None:
    from sixbao_cli.db import Ledger, make_engine
    from sixbao_cli.schema import HEAD, status, upgrade_ledger

    url = db_url(ctx)
    before = status(url)["revision"]
    ledger = Ledger(url, make_engine(url))
    try:
        upgrade_ledger(ledger)
    finally:
        ledger.close()
    key = "db.upgrade.none" if before == HEAD else "db.upgrade.done"
    emit(t(key, old=before or "—", new=HEAD, database=ledger.where))


@app.command("backup", help=t("db.backup.help"), epilog=t("db.backup.epilog"))
def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(metavar="FILE", help=t("arg.backup_file"))],
    force: Annotated[bool, typer.Option("--force", help=t("opt.force_overwrite"))] = False,
) -> None:
    from sixbao_cli.backup import backup as do_backup

    url = db_url(ctx)
    require_existing(url)
    written = do_backup(url, dest, force=force)
    emit(t("db.backup.done", path=written))
