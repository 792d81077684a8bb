"""Reading progress history: a task's entries, and the latest effective entry per task.

An entry is *counted* unless the import batch it came in was undone
(:func:`counted`), and *effective* when it is counted and no later entry
supersedes it. Undoing a batch appends, for each of its entries that had
superseded an earlier one, a copy of that earlier entry superseding it (see
services/batches.py), so supersession never needs to look at batches: an
entry known to be superseded stays superseded. The queries are set-based so
that they serve one task card and a 100,000-task listing alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from sixbao_cli import tables as T


@dataclass
class ProgressEntry:
    """One progress report as stored, with the entries it corrects or is corrected by."""

    id: int
    task: str
    unit: str
    date: date
    percent: float | None
    value: float | None
    note: str | None
    problems: str | None
    next_steps: str | None
    reporter: str | None
    source: str
    batch_id: int | None
    recorded_at: datetime
    supersedes: int | None
    superseded_by: int | None
    undone_batch: int | None = None  # the undone import batch this entry came in: it no longer counts
    restores: int | None = None  # put back when the batch of the entry it supersedes was undone


def counted(progress_table, cut: datetime | None = None) -> ColumnElement[bool]:
    """Whether an entry of ``progress_table`` (the table or an alias) counts: its import batch is not undone.

    With ``cut`` (an aware instant, e.g. the end of an as-of day): the batch
    was not undone before ``cut`` — an entry undone later still counted then.
    Entries typed in by hand have no batch and always count.
    """
    batch = T.import_batch.alias()  # anonymous: two of these in one statement never clash
    undone = batch.c.undone_at.is_not(None) if cut is None else batch.c.undone_at < cut
    return or_(progress_table.c.batch_id.is_(None),
               ~exists().where(batch.c.id == progress_table.c.batch_id, undone))


def _entries_query():
    p = T.progress
    later = p.alias("later")
    own = T.import_batch.alias("own_batch")
    before = p.alias("before")
    before_batch = T.import_batch.alias("before_batch")
    return (
        select(p, T.task.c.code.label("task_code"), T.unit.c.name.label("unit_name"),
               later.c.id.label("superseded_by"),
               case((own.c.undone_at.is_not(None), own.c.id)).label("undone_batch"),
               case((before_batch.c.undone_at.is_not(None), before.c.supersedes_id)).label("restores"))
        .join(T.task, T.task.c.id == p.c.task_id)
        .join(T.unit, T.unit.c.id == p.c.unit_id)
        .outerjoin(later, later.c.supersedes_id == p.c.id)
        .outerjoin(own, own.c.id == p.c.batch_id)
        .outerjoin(before, before.c.id == p.c.supersedes_id)
        .outerjoin(before_batch, before_batch.c.id == before.c.batch_id)
    )


def _entry(row) -> ProgressEntry:
    return ProgressEntry(
        id=row.id, task=row.task_code, unit=row.unit_name, date=row.report_date, percent=row.percent,
        value=row.value, note=row.note, problems=row.problems, next_steps=row.next_steps, reporter=row.reporter,
        source=row.source, batch_id=row.batch_id, recorded_at=row.recorded_at, supersedes=row.supersedes_id,
        superseded_by=row.superseded_by, undone_batch=row.undone_batch, restores=row.restores,
    )


def entries_for_task(conn: Connection, task_id: int) -> list[ProgressEntry]:
    """Every entry of a task, corrections included, oldest report first."""
    query = _entries_query().where(T.progress.c.task_id == task_id).order_by(T.progress.c.report_date, T.progress.c.id)
    return [_entry(r) for r in conn.execute(query)]


def list_entries(conn: Connection, *, task_id: int | None = None, unit_id: int | None = None,
                 since: date | None = None, until: date | None = None, effective_only: bool = False,
                 limit: int | None = None) -> list[ProgressEntry]:
    """Entries narrowed by task, unit and report dates, newest report first; undone ones marked (or left out)."""
    p = T.progress
    query = _entries_query()
    if task_id is not None:
        query = query.where(p.c.task_id == task_id)
    if unit_id is not None:
        query = query.where(p.c.unit_id == unit_id)
    if since is not None:
        query = query.where(p.c.report_date >= since)
    if until is not None:
        query = query.where(p.c.report_date <= until)
    if effective_only:
        query = query.where(query.selected_columns.superseded_by.is_(None), counted(p))
    query = query.order_by(p.c.report_date.desc(), p.c.id.desc())
    if limit:
        query = query.limit(limit)
    return [_entry(r) for r in conn.execute(query)]


def latest_entry_id(task_id_column, *, until: date | None = None) -> ScalarSelect:
    """A correlated scalar: the id of the latest effective entry of the task in ``task_id_column``.

    ``until`` leaves out reports dated after it. Served by the (task_id,
    report_date) index, so its cost is per task listed, not per entry in the
    ledger: a listing of 20 tasks reads about 20 index ranges.
    """
    p = T.progress
    later = p.alias("later")
    query = select(p.c.id).where(
        p.c.task_id == task_id_column, counted(p),
        ~select(later.c.id).where(later.c.supersedes_id == p.c.id).exists(),
    )
    if until is not None:
        query = query.where(p.c.report_date <= until)
    return query.order_by(p.c.report_date.desc(), p.c.id.desc()).limit(1).scalar_subquery()
