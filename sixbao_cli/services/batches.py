"""Import batches: listing them, and undoing one without deleting anything.

Progress entries are append-only, so undoing a batch sets its ``undone_at``
and its entries stop counting (:func:`~sixbao_cli.services.progress_query.counted`).
An entry of the batch that had superseded an earlier one (an import with
``--replace``) would leave that earlier entry hidden; so the undo appends a
copy of the earlier entry superseding the undone one — the report as it stood
before the batch, in its own batch (or typed in by hand, as it was). Readers
then never look at batches to decide what supersedes what, and a report as of
a date before the undo still sees the batch (the copies were recorded later).

Batches are undone last-in, first-out where they touch: a batch whose entries
were since superseded by a later import or a correction typed in by hand
cannot be undone before those.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, literal, or_, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.clock import china_time
from sixbao_cli.errors import Conflict, NotFound
from sixbao_cli.messages import CATALOG, t
from sixbao_cli.services.progress_query import counted
from sixbao_cli.services.tasks import refresh_statuses
from sixbao_cli.sqltypes import UtcDateTime, utcnow


@dataclass
class BatchRow:
    """One import batch as listed."""

    id: int
    kind: str
    file: str
    unit: str | None
    rows: int
    created_at: datetime
    undone_at: datetime | None
    checksum: str


@dataclass
class UndoResult:
    """What ``import undo`` did."""

    batch: int
    file: str
    entries: int  # entries of the batch that stopped counting
    restored: int  # earlier entries put back (copies superseding the batch's replacements)
    status_changes: int
    undone_at: datetime


def list_batches(conn: Connection, *, limit: int | None = None, include_undone: bool = True) -> list[BatchRow]:
    """Batches, newest first."""
    b = T.import_batch
    query = (select(b, T.unit.c.name.label("unit_name")).outerjoin(T.unit, T.unit.c.id == b.c.unit_id)
             .order_by(b.c.id.desc()))
    if not include_undone:
        query = query.where(b.c.undone_at.is_(None))
    if limit:
        query = query.limit(limit)
    return [BatchRow(r.id, r.kind, r.file_name, r.unit_name, r.row_count, r.created_at, r.undone_at, r.checksum)
            for r in conn.execute(query)]


def undo_batch(conn: Connection, batch_id: int) -> UndoResult:
    """Undo progress import ``batch_id``: its entries stop counting, replaced reports come back, statuses follow."""
    serialise_imports(conn)
    b = T.import_batch
    batch = conn.execute(select(b).where(b.c.id == batch_id)).first()
    if batch is None:
        last = conn.execute(select(func.max(b.c.id))).scalar()
        raise NotFound("import.unknown_batch", id=batch_id,
                       hint=t("import.batch_hint", last=last) if last else t("import.no_batches"))
    if batch.kind != "progress":
        # A tasks batch is not undone: its changes are each in their task's history, and later progress,
        # edits and 销号 build on the tasks it added; the history says how to put a change back by hand.
        raise Conflict("import.not_undoable", id=batch_id, kind=kind_label(batch.kind),
                       hint=t("taskimport.undo_hint") if batch.kind == "tasks" else None)
    if batch.undone_at is not None:
        raise Conflict("import.already_undone", id=batch_id, file=batch.file_name,
                       at=china_time(batch.undone_at))
    _refuse_if_built_upon(conn, batch_id)
    now = utcnow()
    p = T.progress
    earlier = p.alias("earlier")
    restore = (
        select(earlier.c.task_id, earlier.c.unit_id, earlier.c.report_date, earlier.c.percent, earlier.c.value,
               earlier.c.note, earlier.c.problems, earlier.c.next_steps, earlier.c.reporter, earlier.c.source,
               earlier.c.batch_id, p.c.id, literal(now, UtcDateTime()))
        .select_from(p).join(earlier, earlier.c.id == p.c.supersedes_id)
        .where(p.c.batch_id == batch_id, counted(earlier))
        .order_by(p.c.id)
    )
    restored = conn.execute(select(func.count()).select_from(restore.order_by(None).subquery())).scalar_one()
    if restored:
        conn.execute(insert(p).from_select(
            [p.c.task_id, p.c.unit_id, p.c.report_date, p.c.percent, p.c.value, p.c.note, p.c.problems,
             p.c.next_steps, p.c.reporter, p.c.source, p.c.batch_id, p.c.supersedes_id, p.c.recorded_at], restore))
    entries = conn.execute(select(func.count()).select_from(p).where(p.c.batch_id == batch_id)).scalar_one()
    conn.execute(update(b).where(b.c.id == batch_id).values(undone_at=now))
    touched = select(p.c.task_id).distinct().where(p.c.batch_id == batch_id)
    moved = refresh_statuses(conn, touched, t("import.undo_reason", id=batch_id))
    return UndoResult(batch_id, batch.file_name, entries, restored, moved, now)


def serialise_imports(conn: Connection) -> None:
    """One import (or undo) at a time: two officers importing the same file must not both find it new.

    SQLite's write transactions (BEGIN IMMEDIATE) already queue; on PostgreSQL a
    transaction-scoped advisory lock does, released at commit or rollback.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("sixbao.import"))))


def read_options(**options: object) -> str:
    """What decided how a file was read (its encoding, ``--year``, ``--unit`` …) as a batch records it: canonical
    JSON, so that the same options always give the same text."""
    return json.dumps(options, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def live_batch(conn: Connection, kind: str, checksum: str, options: str, *, defaults: bool):
    """The batch of ``kind`` (progress | tasks) that last brought in a file with ``checksum`` and was not undone, when
    it read the file with ``options`` (:func:`read_options`) — the file is already in the ledger, read so — as a row
    with ``id`` and ``created_at``; else None.

    The same bytes read with other options (another ``--year``, unit or
    encoding) may say other things: they are read again, and so are they when
    the last batch of the file read it otherwise (``--year 2021`` after none,
    then none again: the reading of the last command wins). ``defaults`` says
    no option was given: a batch from before the options were recorded (NULL)
    is taken to have been read so.
    """
    b = T.import_batch
    last = conn.execute(
        select(b.c.id, b.c.created_at, b.c.read_options)
        .where(b.c.kind == kind, b.c.checksum == checksum, b.c.undone_at.is_(None))
        .order_by(b.c.id.desc()).limit(1)
    ).first()
    if last is None or not (last.read_options == options or (last.read_options is None and defaults)):
        return None
    return last


def kind_label(kind: str) -> str:
    """A batch's kind in the reader's language (进展导入, 演示数据 …), or as stored when unknown."""
    key = f"import.kind.{kind}"
    return t(key) if key in CATALOG else kind


def _refuse_if_built_upon(conn: Connection, batch_id: int) -> None:
    """A batch entry superseded by a counted entry from elsewhere: undo that first (or keep the batch)."""
    p = T.progress
    later = p.alias("later")
    row = conn.execute(
        select(p.c.id, later.c.id.label("later_id"), later.c.batch_id.label("later_batch"))
        .select_from(p).join(later, later.c.supersedes_id == p.c.id)
        .where(p.c.batch_id == batch_id, counted(later),
               or_(later.c.batch_id.is_(None), later.c.batch_id != batch_id))
        .order_by(later.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return
    if row.later_batch is not None:
        raise Conflict("import.undo_later_batch", id=batch_id, entry=row.id, later=row.later_id,
                       other=row.later_batch)
    raise Conflict("import.undo_corrected", id=batch_id, entry=row.id, later=row.later_id)
