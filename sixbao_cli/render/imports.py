"""``import progress|tasks|list|undo`` output: summaries, notices, what a dry run would write, batches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from sixbao_cli.clock import china_time
from sixbao_cli.messages import t
from sixbao_cli.render.formats import fmt_date, fmt_number, fmt_percent
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.services.batches import BatchRow, UndoResult, kind_label
from sixbao_cli.services.progress_import import ENTRIES_SHOWN, ProgressImport

if TYPE_CHECKING:  # the task import's modules (and the plan parser's phrases) load only for import tasks
    from sixbao_cli.services.task_model import TaskImport


def summary(result: ProgressImport) -> str:
    """The one line saying what happened to the file."""
    if result.outcome == "already_imported":
        return t("import.already", file=result.file, batch=result.previous_batch,
                 at=china_time(result.previous_at))
    if result.outcome == "unchanged":
        return t("import.unchanged", file=result.file, n=result.unchanged)
    key = "import.would_import" if result.dry_run else "import.imported"
    return t(key, file=result.file, new=result.new, replaced=result.replaced, unchanged=result.unchanged,
             batch=result.batch)


def notices(result: ProgressImport) -> list[str]:
    """What the reader should know but is no error: columns ignored, rows left out, the percent rule applied."""
    out = []
    if result.ignored_columns:
        out.append(t("import.ignored_columns", columns=t("sep.list").join(result.ignored_columns)))
    if result.fraction_column:
        out.append(t("import.fraction_column", column=result.fraction_column))
    if result.undated_years:
        out.append(t("import.undated_years", years=t("sep.list").join(str(y) for y in result.undated_years)))
    if result.value_scale:
        column, word, factor = result.value_scale
        out.append(t("import.value_scale", column=column, word=word, example=f"{2100 * factor:,}"))
    if result.unfilled:
        out.append(t("import.unfilled_rows", n=result.unfilled))
    if result.duplicates:
        out.append(t("import.duplicate_rows", n=result.duplicates))
    if result.footer_rows:
        out.append(t("import.footer_rows", n=result.footer_rows))
    if result.status_changes:
        out.append(t("import.status_changes", n=result.status_changes))
    return out


def contract(result: ProgressImport) -> dict[str, object]:
    """The JSON ``import progress --json`` prints for one file (README: "import progress JSON")."""
    return {
        "file": result.file, "checksum": result.checksum, "outcome": result.outcome, "dry_run": result.dry_run,
        "batch": result.batch, "previous_batch": result.previous_batch,
        "format": {"kind": result.format, "encoding": result.encoding, "delimiter": result.delimiter,
                   "sheet": result.sheet, "header_row": result.header_row},
        "counts": {"rows": result.rows, "new": result.new, "replaced": result.replaced, "unchanged": result.unchanged,
                   "duplicates": result.duplicates, "unfilled": result.unfilled, "status_changes": result.status_changes},
        "ignored_columns": result.ignored_columns,
        "notices": notices(result),
        "entries": [
            {"row": e.row, "task": e.task, "unit": e.unit, "date": e.date.isoformat(), "percent": e.percent,
             "value": e.value, "note": e.note, "problems": e.problems, "next_steps": e.next_steps,
             "reporter": e.reporter, "supersedes": e.supersedes}
            for e in result.entries
        ],
    }


def render_import(console: Console, result: ProgressImport) -> None:
    """The summary line; for a dry run, every entry it would write (the first ENTRIES_SHOWN)."""
    console.print(summary(result))
    if not result.dry_run or not result.entries:
        return
    table = new_table(console, t("col.row"), t("col.code"), t("col.unit"), t("col.report_date"), t("col.percent"),
                      t("col.value"), t("col.note"), t("col.supersedes"))
    for e in result.entries:
        table.add_row(str(e.row), e.task, e.unit, fmt_date(e.date), fmt_percent(e.percent), fmt_number(e.value),
                      e.note or "", f"#{e.supersedes}" if e.supersedes else "")
    print_table(console, table)
    if result.written > len(result.entries):
        console.print(t("import.more_entries", n=result.written - len(result.entries), shown=ENTRIES_SHOWN))


def render_batches(console: Console, rows: list[BatchRow]) -> None:
    """The ``import list`` table, or a line saying there are none."""
    if not rows:
        console.print(t("import.list.none"))
        return
    table = new_table(console, t("col.batch"), t("col.imported_at"), t("col.kind"), t("col.file"), t("col.unit"),
                      t("col.entries"), t("col.state"))
    for r in rows:
        state = t("import.state.undone", at=china_time(r.undone_at)) if r.undone_at else ""
        table.add_row(f"#{r.id}", china_time(r.created_at), kind_label(r.kind), r.file,
                      r.unit or "—", str(r.rows), state)
    print_table(console, table)
    console.print(t("import.list.count", n=len(rows)))


def undo_line(result: UndoResult) -> str:
    """What ``import undo`` did, in one line."""
    return t("import.undone", id=result.batch, file=result.file, entries=result.entries, restored=result.restored,
             moved=result.status_changes)


# --- import tasks --------------------------------------------------------------------------------


def task_summary(result: TaskImport) -> str:
    """The one line saying what happened to a 台账 file."""
    if result.outcome == "already_imported":
        return t("import.already", file=result.file, batch=result.previous_batch,
                 at=china_time(result.previous_at))
    if result.outcome == "unchanged":
        return t("taskimport.unchanged", file=result.file, n=result.unchanged)
    key = "taskimport.would_import" if result.dry_run else "taskimport.imported"
    return t(key, file=result.file, new=result.new, updated=result.updated, unchanged=result.unchanged,
             batch=result.batch)


def _codes(codes: list[str], shown: int = 10) -> str:
    text = t("sep.list").join(str(c) for c in codes[:shown])
    return text + (t("taskimport.more_codes", n=len(codes) - shown) if len(codes) > shown else "")


def task_notices(result: TaskImport) -> list[str]:
    """What the reader should know but is no error: columns ignored, rows passed over, what was assumed or kept."""
    out = []
    if result.ignored_columns:
        out.append(t("import.ignored_columns", columns=t("sep.list").join(result.ignored_columns)))
    if result.headings:
        out.append(t("taskimport.headings", n=result.headings))
    if result.footer_rows:
        out.append(t("import.footer_rows", n=result.footer_rows))
    if result.carried_categories:
        out.append(t("taskimport.carried", n=result.carried_categories))
    if result.matched_by_title:
        out.append(t("taskimport.matched_by_title", n=len(result.matched_by_title), codes=_codes(result.matched_by_title)))
    if result.default_year_rows:
        out.append(t("taskimport.default_year", n=result.default_year_rows, year=result.default_year))
    if result.default_starts:
        out.append(t("taskimport.default_starts", n=result.default_starts))
    if result.units_created:
        out.append(t("taskimport.units_created", n=len(result.units_created), names=_codes(result.units_created)))
    if result.documents_created:
        out.append(t("taskimport.documents_created", n=len(result.documents_created),
                     names=_codes(result.documents_created)))
    if result.no_lead:
        out.append(t("taskimport.no_lead", n=len(result.no_lead), codes=_codes(result.no_lead)))
    if result.status_kept:
        out.append(t("taskimport.status_kept", n=len(result.status_kept), codes=_codes(result.status_kept)))
    return out


def task_contract(result: TaskImport) -> dict[str, object]:
    """The JSON ``import tasks --json`` prints for one file (README: "import tasks JSON")."""
    return {
        "file": result.file, "checksum": result.checksum, "outcome": result.outcome, "dry_run": result.dry_run,
        "batch": result.batch, "previous_batch": result.previous_batch,
        "format": {"kind": result.format, "encoding": result.encoding, "delimiter": result.delimiter,
                   "sheet": result.sheet, "header_row": result.header_row},
        "counts": {"rows": result.rows, "new": result.new, "updated": result.updated, "unchanged": result.unchanged,
                   "units_created": len(result.units_created), "documents_created": len(result.documents_created)},
        "ignored_columns": result.ignored_columns,
        "notices": task_notices(result),
        "tasks": [
            {"row": item.row, "code": item.code, "outcome": item.outcome, "title": item.title,
             "changes": [{"field": name, "old": old, "new": new} for name, old, new in item.changes]}
            for item in result.tasks
        ],
    }


def _change(name: str, old: str | None, new: str | None, *, new_task: bool) -> str:
    from sixbao_cli.vocab import status_label

    def shown(value: str | None) -> str:
        if value is None:
            return "—"
        if name == "status":
            return status_label(value)
        return value if len(value) <= 40 else value[:39] + "…"

    label = t(f"field.{name}")
    if new_task:
        return t("taskimport.field_value", field=label, value=shown(new))
    return t("task.edit.changed", field=label, old=shown(old), new=shown(new))


def render_task_import(console: Console, result: TaskImport) -> None:
    """The summary line; for a dry run, every task it would add or change, field by field (the first TASKS_SHOWN)."""
    from sixbao_cli.services.task_model import TASKS_SHOWN

    console.print(task_summary(result))
    if not result.dry_run or not result.tasks:
        return
    table = new_table(console, t("col.row"), t("col.code"), t("taskimport.col.outcome"), t("col.title"),
                      t("taskimport.col.changes"))
    for item in result.tasks:
        new_task = item.outcome == "new"
        table.add_row(str(item.row), item.code, t(f"taskimport.outcome.{item.outcome}"), item.title,
                      t("taskimport.sep").join(_change(*c, new_task=new_task) for c in item.changes
                                               if not (new_task and c[0] == "title")))
    print_table(console, table)
    if result.written > len(result.tasks):
        console.print(t("taskimport.more_tasks", n=result.written - len(result.tasks), shown=TASKS_SHOWN))
