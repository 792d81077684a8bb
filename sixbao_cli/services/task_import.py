"""``import tasks``: a 台账 sheet into the ledger — new tasks added, known ones updated in place, checked whole.

For one file, inside the caller's write transaction:

1. the sheet is opened (sheets/source.py); a file whose bytes match a tasks
   batch already in the ledger, read with the same encoding and ``--year``,
   stops here: nothing to do;
2. its rows are read, what they name looked up in bulk, and each row merged
   with its task as the ledger holds it and checked (services/task_rows.py);
   every problem is recorded with row and column, and all are raised together;
3. else the batch, the new tasks and the changes are written with a handful
   of executemany statements (services/task_write.py), every change of a known
   task kept in its history, which the reports read back.

What a row does to a known task: a column the sheet lacks, or a blank cell,
leaves the field as it is; a cell saying —, 无 or / clears it (support units,
leaders, deadline, target, milestones, text, 序号, source document, parent);
anything else replaces it; a changed 完成时限 brings its words as 时限原文 (a
plain date none), unless the sheet's 时限原文 changed too. The 状态 column sets
the status of new tasks only; a known task's status follows its reports, 销号
and 暂缓, and a differing 状态 is said in a notice. A row whose task is 销号 may
change nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import Connection

from sixbao_cli.errors import InvalidInput
from sixbao_cli.services.batches import live_batch, read_options, serialise_imports
from sixbao_cli.services.export import TASK_COLUMNS
from sixbao_cli.services.import_rows import PROGRESS_FIELDS, TASK_FIELDS
from sixbao_cli.services.task_model import (
    FIELDS,
    TASKS_SHOWN,
    ImportedTask,
    Planned,
    TaskImport,
    TaskImportOptions,
)
from sixbao_cli.services.task_rows import SheetReader
from sixbao_cli.services.task_write import history_value, write_plans
from sixbao_cli.sheets.header import header_key
from sixbao_cli.sheets.source import open_sheet

__all__ = ["TASKS_SHOWN", "ImportedTask", "TaskImport", "TaskImportOptions", "import_tasks"]


def _refuse_progress_sheet(sheet) -> None:
    """A department's progress sheet (填报日期 and 完成进度 or 完成数值, no 牵头单位) brought to ``import tasks``.

    Read as a 台账 it would set each task's deadline from the 完成时限 the
    template printed, undoing any later edit: it is refused, pointing to ``import progress``.
    """
    keys = {header_key(h) for h in sheet.layout.headers if h}

    def names(*wanted: str) -> set[str]:
        return {alias for f in PROGRESS_FIELDS if f.name in wanted for alias in f.aliases}

    if keys & names("date") and keys & names("percent", "value") and "lead" not in sheet.layout.columns:
        raise InvalidInput("taskimport.progress_sheet", file=sheet.name)


def import_tasks(conn: Connection, path: Path, opts: TaskImportOptions, *, name: str | None = None,
                 dry_run: bool = False, today: date, on_progress=None) -> TaskImport:
    """Import one 台账 sheet; raise (nothing written) when anything in it is wrong.

    ``on_progress(fraction)`` is called as the file is read (for a progress bar).
    """
    name = name or path.name
    json_keys = {c.key: c.header for c in TASK_COLUMNS}  # what export tasks --format json writes
    with open_sheet(path, TASK_FIELDS, name=name, encoding=opts.encoding, no_header="taskimport.no_header",
                    json_keys=json_keys) as sheet:
        _refuse_progress_sheet(sheet)
        serialise_imports(conn)
        result = TaskImport(file=name, checksum=sheet.checksum, outcome="imported", dry_run=dry_run,
                            format=sheet.kind, encoding=sheet.encoding, delimiter=sheet.delimiter,
                            sheet=sheet.sheet_name, header_row=sheet.layout.row,
                            ignored_columns=list(sheet.layout.ignored))
        # the encoding the file was read in (detected, or --encoding) and --year decide what its cells say
        options = read_options(encoding=sheet.encoding, year=opts.year)
        batch = live_batch(conn, "tasks", sheet.checksum, options, defaults=opts.year is None and not opts.encoding)
        if batch is not None:
            result.outcome, result.previous_batch, result.previous_at = "already_imported", batch.id, batch.created_at
            return result
        reader = SheetReader(conn, sheet, opts, result, today=today, on_progress=on_progress)
        plans = reader.plan()
    changed = [p for p in plans if p.outcome != "unchanged"]
    result.new = sum(1 for p in changed if p.current is None)
    result.updated = len(changed) - result.new
    result.unchanged = len(plans) - len(changed)
    if not changed:
        result.outcome = "unchanged"
        return result
    batch = write_plans(conn, changed, reader.new_units, reader.new_documents, result,
                        file_name=sheet.file_name, checksum=sheet.checksum, options=options)
    result.batch = None if dry_run else batch  # rolled back: its number would be another's
    result.tasks = [ImportedTask(p.row, p.code or "", p.outcome, str(p.state["title"]), _shown(p))
                    for p in changed[:TASKS_SHOWN]]
    return result


def _shown(plan: Planned) -> list[tuple[str, str | None, str | None]]:
    """The changes as the history writes them; for a new task, every field it is given."""
    if plan.current is not None:
        return [(f, history_value(f, old), history_value(f, new)) for f, old, new in plan.changes]
    out = []
    state = dict(plan.state, target=plan.state["targets"][0] if plan.state["targets"] else None)
    for name in FIELDS:
        value = history_value(name, state.get(name))
        if value is not None:
            out.append((name, None, value))
    if plan.status != "not_started":
        out.append(("status", None, plan.status))
    return out
