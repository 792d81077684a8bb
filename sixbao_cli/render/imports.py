"""``import progress|list|undo`` output: summaries, notices, the entries a dry run would write, batches."""

from __future__ import annotations

from rich.console import Console

from sixbao_cli.messages import t
from sixbao_cli.render.formats import fmt_date, fmt_number, fmt_percent
from sixbao_cli.render.text import new_table, print_table
from sixbao_cli.services.batches import BatchRow, UndoResult, kind_label
from sixbao_cli.services.progress_import import ENTRIES_SHOWN, ProgressImport


def summary(result: ProgressImport) -> str:
    """The one line saying what happened to the file."""
    if result.outcome == "already_imported":
        return t("import.already", file=result.file, batch=result.previous_batch,
                 at=f"{result.previous_at.astimezone():%Y-%m-%d %H:%M}")
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
        state = t("import.state.undone", at=f"{r.undone_at.astimezone():%Y-%m-%d %H:%M}") if r.undone_at else ""
        table.add_row(f"#{r.id}", f"{r.created_at.astimezone():%Y-%m-%d %H:%M}", kind_label(r.kind), r.file,
                      r.unit or "—", str(r.rows), state)
    print_table(console, table)
    console.print(t("import.list.count", n=len(rows)))


def undo_line(result: UndoResult) -> str:
    """What ``import undo`` did, in one line."""
    return t("import.undone", id=result.batch, file=result.file, entries=result.entries, restored=result.restored,
             moved=result.status_changes)
