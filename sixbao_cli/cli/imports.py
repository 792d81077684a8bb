"""``sixbao import progress|tasks|list|undo``: sheets into the ledger, each file a recorded batch."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sixbao_cli.cli.common import JsonOpt, LimitOpt, emit, error_line, note, open_ledger, output, state
from sixbao_cli.messages import t

app = typer.Typer(name="import", help=t("import.help"), no_args_is_help=True)


def as_of_day(text: str | None) -> date:
    """``--as-of`` (default today in China): no later than today."""
    from sixbao_cli.clock import china_today
    from sixbao_cli.dates import parse_date
    from sixbao_cli.errors import InvalidInput

    today = china_today()
    if text is None:
        return today
    day = parse_date(text, today=today, field="--as-of")
    if day > today:
        raise InvalidInput("import.as_of_future", day=day, today=today)
    return day


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[float], None] | None]:
    """A bar on stderr while a file is read — only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=1.0)
        yield lambda fraction: bar.update(task, completed=fraction)


def _import_files(ctx: typer.Context, files: list[Path], *, dry_run: bool, json_out: bool, run: Callable,
                  render: Callable, contract: Callable, notices: Callable) -> None:
    """Each file in its own transaction, one after the other; a refused file does not stop the next.

    ``run(conn, path, tick)`` imports one file and returns its result; ``render``,
    ``contract`` and ``notices`` say it. The exit code is the first refusal's.
    """
    import gc

    from sixbao_cli.errors import Conflict, InvalidInput, NotFound

    gc.enable()  # a long import makes garbage; the CLI turns the collector off for short commands
    outputs: list[dict] = []
    failed = 0
    with open_ledger(ctx, create=not dry_run) as ledger:
        for path in files:
            try:
                with _progress_bar(path.name) as tick, ledger.write(dry_run=dry_run) as conn:
                    result = run(conn, path, tick)
            except (InvalidInput, NotFound, Conflict) as exc:
                if state(ctx).debug:
                    raise
                error_line(exc.message())
                failed = failed or exc.exit_code
                outputs.append({"file": str(path), "outcome": "failed", "error": exc.message(),
                                "exit_code": int(exc.exit_code)})
                continue
            if json_out:
                outputs.append(contract(result))
                continue
            from sixbao_cli.render.text import stdout_console

            render(stdout_console(), result)
            for line in notices(result):
                note(t("import.notice_prefix") + line)
    if json_out:
        import json

        emit(json.dumps(outputs, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(failed)


Encoding = Annotated[str | None, typer.Option("--encoding", help=t("opt.import_encoding"))]
DryRun = Annotated[bool, typer.Option("--dry-run", help=t("opt.import_dry_run"))]


@app.command("progress", help=t("import.progress.help"), epilog=t("import.progress.epilog"))
def progress(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE…", help=t("arg.progress_files"))],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help=t("opt.import_unit"))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=t("opt.import_as_of"))] = None,
    replace: Annotated[bool, typer.Option("--replace", help=t("opt.replace"))] = False,
    encoding: Encoding = None,
    dry_run: DryRun = False,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.clock import china_today
    from sixbao_cli.render.imports import contract, notices, render_import
    from sixbao_cli.services.progress_import import ImportOptions, import_progress

    today = china_today()
    opts = ImportOptions(as_of=as_of_day(as_of), as_of_given=as_of is not None, unit=unit, replace=replace,
                         encoding=encoding)
    _import_files(ctx, files, dry_run=dry_run, json_out=json_out, render=render_import, contract=contract,
                  notices=notices, run=lambda conn, path, tick: import_progress(
                      conn, path, opts, name=str(path), dry_run=dry_run, today=today, on_progress=tick))


@app.command("tasks", help=t("import.tasks.help"), epilog=t("import.tasks.epilog"))
def tasks(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE…", help=t("arg.task_files"))],
    create_units: Annotated[bool, typer.Option("--create-units", help=t("opt.create_units"))] = False,
    year: Annotated[int | None, typer.Option("--year", metavar="YEAR", min=2000, max=2100,
                                             help=t("opt.import_year"))] = None,
    encoding: Encoding = None,
    dry_run: DryRun = False,
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.clock import china_today
    from sixbao_cli.render.imports import render_task_import, task_contract, task_notices
    from sixbao_cli.services.task_import import TaskImportOptions, import_tasks

    today = china_today()
    opts = TaskImportOptions(create_units=create_units, year=year, encoding=encoding)
    _import_files(ctx, files, dry_run=dry_run, json_out=json_out, render=render_task_import,
                  contract=task_contract, notices=task_notices, run=lambda conn, path, tick: import_tasks(
                      conn, path, opts, name=str(path), dry_run=dry_run, today=today, on_progress=tick))


@app.command("list", help=t("import.list.help"), epilog=t("import.list.epilog"))
def list_(ctx: typer.Context, limit: LimitOpt = None, json_out: JsonOpt = False) -> None:
    from sixbao_cli.services.batches import list_batches

    with open_ledger(ctx, create=False) as ledger, ledger.read() as conn:
        rows = list_batches(conn, limit=limit)
    from sixbao_cli.render.imports import render_batches

    output(rows, json_out, render_batches)


@app.command("undo", help=t("import.undo.help"), epilog=t("import.undo.epilog"))
def undo(
    ctx: typer.Context,
    batch: Annotated[int, typer.Argument(metavar="BATCH", help=t("arg.batch"))],
    json_out: JsonOpt = False,
) -> None:
    from sixbao_cli.services.batches import undo_batch

    with open_ledger(ctx, create=False) as ledger, ledger.write() as conn:
        result = undo_batch(conn, batch)
    if json_out:
        from sixbao_cli.render.jsonout import to_json

        emit(to_json(result))
        return
    from sixbao_cli.render.imports import undo_line

    emit(undo_line(result))
