"""``sixbao template progress``: a department's fill-in sheet, pre-filled with its tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import emit, open_ledger
from sixbao_cli.cli.imports import as_of_day
from sixbao_cli.messages import t

app = typer.Typer(name="template", help=t("template.help"), no_args_is_help=True)

SUFFIXES = {".csv": "csv", ".xlsx": "xlsx"}  # what write_sheet writes, and import progress reads back


@app.command("progress", help=t("template.progress.help"), epilog=t("template.progress.epilog"))
def progress(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit", "-u", help=t("opt.template_unit"))],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help=t("opt.template_out"))],
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=t("opt.template_as_of"))] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help=t("opt.template_encoding"))] = None,
) -> None:
    from sixbao_cli.outfiles import format_of
    from sixbao_cli.render.template import progress_sheet
    from sixbao_cli.services.templates import progress_template
    from sixbao_cli.sheets.write import write_sheet

    format_of(out, SUFFIXES)  # before the ledger is read: CSV text under r10.xls would not come back
    day = as_of_day(as_of)
    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        template = progress_template(conn, unit, as_of=day)
    write_sheet(out, progress_sheet(template), encoding=encoding)
    leads = sum(1 for r in template.rows if r.role == "lead")
    emit(t("template.written", file=str(out), unit=template.unit, n=len(template.rows), lead=leads,
           support=len(template.rows) - leads))
