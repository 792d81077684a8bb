"""``sixbao db current|upgrade|backup|check|restore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, db_url, emit, error_line, interactive, note, require_existing
from sixbao_cli.messages import t

app = typer.Typer(name="db", help=t("db.help"), no_args_is_help=True)


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


@app.command("check", help=t("db.check.help"), epilog=t("db.check.epilog"))
def check(
    ctx: typer.Context,
    quick: Annotated[bool, typer.Option("--quick", help=t("opt.check_quick"))] = False,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.errors import ExitCode
    from sixbao_cli.health import check_ledger

    url = db_url(ctx)
    require_existing(url)
    health = check_ledger(url, quick=quick)
    if json_out:
        from sixbao_cli.render.jsonout import to_json

        emit(to_json(health))
    else:
        from sixbao_cli.render.health import render_health
        from sixbao_cli.render.text import stdout_console

        render_health(stdout_console(), health)
    if not health.healthy:
        raise typer.Exit(ExitCode.UNHEALTHY)


@app.command("restore", help=t("db.restore.help"), epilog=t("db.restore.epilog"))
def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar="FILE", help=t("arg.restore_file"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("opt.restore_yes"))] = False,
    no_keep: Annotated[bool, typer.Option("--no-keep", help=t("opt.restore_no_keep"))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=t("opt.restore_dry_run"))] = False,
) -> None:
    from sixbao_cli.errors import ExitCode
    from sixbao_cli.render.formats import fmt_number
    from sixbao_cli.render.health import restore_summary
    from sixbao_cli.restore import apply_restore, discard, keep_name, prepare_restore

    plan = prepare_restore(db_url(ctx), source)
    try:
        kept = keep_name(plan.ledger) if not no_keep and plan.ledger_state != "missing" else None
        for line in restore_summary(plan, kept):
            note(line)
        if dry_run:
            note(t("db.restore.dry_run"))
            return
        if not yes:
            if not interactive():
                error_line(t("db.restore.needs_yes"))
                raise typer.Exit(ExitCode.USAGE)
            if not typer.confirm(t("db.restore.confirm"), default=False, err=True):
                note(t("db.restore.cancelled"))
                return
        result = apply_restore(plan, kept)
    finally:
        discard(plan)
    emit(t("db.restore.done", ledger=result.ledger, source=result.source, tasks=fmt_number(result.facts.tasks),
           entries=fmt_number(result.facts.entries), batches=fmt_number(result.facts.batches)))
    if result.kept is not None:
        emit(t("db.restore.kept", path=result.kept))
