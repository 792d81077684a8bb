"""Progress history tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sixbao_cli.messages import t
from sixbao_cli.render.text import PlainTable, bar, fmt_date, fmt_number, new_table, print_table
from sixbao_cli.services.progress_query import ProgressEntry


def _state(entry: ProgressEntry) -> str:
    if entry.undone_batch is not None:
        return t("progress.state.undone", batch=entry.undone_batch)
    if entry.restores is not None:
        return t("progress.state.restored", id=entry.restores)
    if entry.superseded_by is not None:
        return t("progress.state.superseded", id=entry.superseded_by)
    if entry.supersedes is not None:
        return t("progress.state.corrects", id=entry.supersedes)
    return ""


def progress_table(console: Console, entries: list[ProgressEntry], *, title: str | None = None,
                   show_task: bool = True) -> Table | PlainTable:
    """A table of entries; superseded ones stay visible and say which entry corrected them."""
    plain = not console.is_terminal
    headers = [t("col.id")] + ([t("col.code")] if show_task else []) + [
        t("col.report_date"), t("col.unit"), t("col.percent"), t("col.value"), t("col.note"),
        t("col.problems"), t("col.next"), t("col.state")]
    table = new_table(console, *headers, title=title)
    for e in entries:
        cells = [str(e.id)] + ([e.task] if show_task else []) + [
            fmt_date(e.date), e.unit, bar(e.percent, 10, plain=plain), fmt_number(e.value), e.note or "",
            e.problems or "", e.next_steps or "", _state(e)]
        style = "dim strike" if (e.superseded_by is not None or e.undone_batch is not None) and not plain else None
        table.add_row(*cells, style=style)
    return table


def render_progress_list(console: Console, entries: list[ProgressEntry]) -> None:
    """The ``progress list`` table, or a line saying there is nothing."""
    if not entries:
        console.print(t("progress.list.none"))
        return
    print_table(console, progress_table(console, entries))
    console.print(t("progress.list.count", n=len(entries)))
