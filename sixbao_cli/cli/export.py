"""``sixbao export tasks|progress``: the ledger out as CSV for Excel, .xlsx or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import note, open_ledger
from sixbao_cli.messages import t

app = typer.Typer(name="export", help=t("export.help"), no_args_is_help=True)

FORMATS = ("csv", "xlsx", "json")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
Out = Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help=t("opt.export_out"))]
Format = Annotated[str | None, typer.Option("--format", "-f", metavar="csv|xlsx|json", help=t("opt.export_format"))]
Encoding = Annotated[str, typer.Option("--encoding", metavar="utf-8|gb18030", help=t("opt.export_encoding"))]


def _format(fmt: str | None, out: Path) -> str:
    from sixbao_cli.errors import InvalidInput
    from sixbao_cli.outfiles import format_of

    chosen = fmt or format_of(out, SUFFIXES, format_option=True)
    if chosen not in FORMATS:
        raise InvalidInput("export.bad_format", value=chosen)
    return chosen


def _encoding(name: str) -> str:
    from sixbao_cli.errors import InvalidInput

    key = name.lower().replace("_", "-")
    if key in ("utf-8", "utf8", "utf-8-sig"):
        return "utf-8-sig"
    if key in ("gb18030", "gbk", "gb2312"):
        return "gb18030"
    raise InvalidInput("export.bad_encoding", value=name)


def _write(kind: str, rows, out: Path, fmt: str, encoding: str) -> int:
    from sixbao_cli.outfiles import atomic_path
    from sixbao_cli.render.sheet_writers import write_csv, write_json, write_xlsx
    from sixbao_cli.services.export import PROGRESS_COLUMNS, TASK_COLUMNS

    columns = TASK_COLUMNS if kind == "tasks" else PROGRESS_COLUMNS
    with atomic_path(out) as temp:
        if fmt == "csv":
            return write_csv(temp, columns, rows, encoding=encoding)
        if fmt == "xlsx":
            return write_xlsx(temp, columns, rows, title=t(f"export.sheet.{kind}"))
        return write_json(temp, columns, rows)


@app.command("tasks", help=t("export.tasks.help"), epilog=t("export.tasks.epilog"))
def tasks(
    ctx: typer.Context,
    out: Out,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    category: Annotated[str | None, typer.Option("--category", "-c", help=t("opt.category_filter"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.unit_filter"))] = None,
    leader: Annotated[str | None, typer.Option("--leader", help=t("opt.leader_filter"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=t("opt.status_filter"))] = None,
) -> None:
    from sixbao_cli.services.export import task_rows
    from sixbao_cli.services.tasks import TaskFilter
    from sixbao_cli.vocab import parse_status

    chosen, enc = _format(fmt, out), _encoding(encoding)
    flt = TaskFilter(category=category, unit=unit, leader=leader, status=parse_status(status) if status else None)
    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        n = _write("tasks", task_rows(conn, flt), out, chosen, enc)
    note(t("export.written", n=n, kind=t("export.kind.tasks"), file=str(out)))


@app.command("progress", help=t("export.progress.help"), epilog=t("export.progress.epilog"))
def progress(
    ctx: typer.Context,
    out: Out,
    fmt: Format = None,
    encoding: Encoding = "utf-8",
    task: Annotated[str | None, typer.Option("--task", help=t("opt.export_task"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.export_unit"))] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help=t("opt.since"))] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help=t("opt.until"))] = None,
) -> None:
    from sixbao_cli.dates import parse_date
    from sixbao_cli.services.export import progress_rows

    chosen, enc = _format(fmt, out), _encoding(encoding)
    start = parse_date(since, field="--since") if since else None
    end = parse_date(until, field="--until") if until else None
    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        n = _write("progress", progress_rows(conn, task_code=task, unit=unit, since=start, until=end), out, chosen, enc)
    note(t("export.written", n=n, kind=t("export.kind.progress"), file=str(out)))
