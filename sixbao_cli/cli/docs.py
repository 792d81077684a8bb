"""``sixbao import-doc FILE``: a plan's text into the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, emit, note, open_ledger, today
from sixbao_cli.messages import os_reason, t


def import_doc(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=t("arg.plan_file"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=t("opt.dry_run_doc"))] = False,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.docparse.parser import parse
    from sixbao_cli.errors import InvalidInput
    from sixbao_cli.services.documents import import_document

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput("doc.unreadable", file=file, reason=os_reason(exc)) from None
    doc = parse(data, name=str(file), fallback_year=today().year)
    with open_ledger(ctx, create=not dry_run) as ledger, ledger.write(dry_run=dry_run) as conn:
        report = import_document(conn, doc, source_name=file.name, today=today())
    if json_out:
        import json

        from sixbao_cli.render.documents import contract

        emit(json.dumps(contract(doc, report, dry_run=dry_run), ensure_ascii=False, indent=2))
        return
    from sixbao_cli.render.documents import render_import
    from sixbao_cli.render.text import stdout_console

    render_import(stdout_console(), doc, report, dry_run=dry_run)
    for warning in report.warnings:
        note(t("doc.warning_prefix") + warning.message())
