"""Recording progress: new reports and corrections. Entries are never changed or deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from sixbao_cli import tables as T
from sixbao_cli.errors import Conflict, InvalidInput, NotFound
from sixbao_cli.messages import t
from sixbao_cli.services.tasks import refresh_status, task_id
from sixbao_cli.services.units import resolve_unit, unit_name
from sixbao_cli.sqltypes import utcnow


@dataclass
class ProgressSpec:
    """One report: on ``date``, ``unit`` says the task stands at ``percent`` % and/or ``value``."""

    code: str
    unit: str
    date: date
    percent: float | None = None
    value: float | None = None
    note: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    reporter: str | None = None


@dataclass
class TaskForReport:
    """What a report is checked against."""

    id: int
    code: str
    status: str
    start: date
    units: dict[str, str]  # unit name -> role


def task_for_report(conn: Connection, code: str) -> TaskForReport:
    """The task a report is about, with its units; used to check and to prompt."""
    tid = task_id(conn, code)
    row = conn.execute(select(T.task.c.code, T.task.c.status, T.task.c.start_date).where(T.task.c.id == tid)).one()
    units = conn.execute(
        select(T.unit.c.name, T.task_unit.c.role).join(T.task_unit, T.task_unit.c.unit_id == T.unit.c.id)
        .where(T.task_unit.c.task_id == tid).order_by(T.task_unit.c.role, T.task_unit.c.position)
    ).all()
    return TaskForReport(tid, row.code, row.status, row.start_date, {u.name: u.role for u in units})


def _check(conn: Connection, spec: ProgressSpec, task: TaskForReport, today: date) -> int:
    if spec.percent is None and spec.value is None:
        raise InvalidInput("progress.no_measure")
    if spec.percent is not None and not 0 <= spec.percent <= 100:
        raise InvalidInput("percent.range", field="--percent", value=spec.percent)
    if spec.date > today:
        raise InvalidInput("progress.future", date=spec.date, today=today)
    if spec.date < task.start:
        raise InvalidInput("progress.before_start", date=spec.date, code=task.code, start=task.start)
    if task.status == "closed":
        raise Conflict("progress.task_closed", code=task.code)
    unit_id = resolve_unit(conn, spec.unit)
    name = unit_name(conn, unit_id)
    if name not in task.units:
        raise InvalidInput("progress.unit_not_on_task", unit=name, code=task.code,
                           units=t("sep.list").join(task.units) or "—")
    return unit_id


def add_progress(conn: Connection, spec: ProgressSpec, *, today: date, supersedes: int | None = None,
                 source: str = "manual", batch_id: int | None = None) -> int:
    """Record a report (or a correction of entry ``supersedes``); return the new entry's id."""
    task = task_for_report(conn, spec.code)
    unit_id = _check(conn, spec, task, today)
    values = dict(
        task_id=task.id, unit_id=unit_id, report_date=spec.date, percent=spec.percent, value=spec.value,
        note=_clean(spec.note), problems=_clean(spec.problems), next_steps=_clean(spec.next_steps),
        reporter=_clean(spec.reporter), source=source, batch_id=batch_id, supersedes_id=supersedes,
        recorded_at=utcnow(),
    )
    try:
        entry_id = conn.execute(insert(T.progress).values(**values)).inserted_primary_key[0]
    except IntegrityError:
        if supersedes is None:
            raise
        # Another officer corrected the same entry a moment ago (PostgreSQL; SQLite serialises writers).
        raise Conflict("progress.corrected_meanwhile", id=supersedes) from None
    refresh_status(conn, task.id, t("progress.status_reason", id=entry_id))
    return entry_id


def correct_progress(conn: Connection, entry_id: int, *, today: date, **changes: object) -> int:
    """Supersede entry ``entry_id`` with a copy carrying ``changes``; return the new entry's id."""
    p = T.progress
    row = conn.execute(
        select(p, T.task.c.code, T.unit.c.name.label("unit_name"))
        .join(T.task, T.task.c.id == p.c.task_id).join(T.unit, T.unit.c.id == p.c.unit_id)
        .where(p.c.id == entry_id)
    ).one_or_none()
    if row is None:
        raise NotFound("progress.unknown_entry", id=entry_id)
    if row.batch_id is not None and conn.execute(
            select(T.import_batch.c.undone_at).where(T.import_batch.c.id == row.batch_id)).scalar() is not None:
        raise Conflict("progress.entry_undone", id=entry_id, batch=row.batch_id)
    later = conn.execute(select(p.c.id).where(p.c.supersedes_id == entry_id)).scalar()
    if later is not None:
        raise Conflict("progress.already_corrected", id=entry_id, later=later)
    spec = ProgressSpec(
        code=row.code, unit=row.unit_name, date=row.report_date, percent=row.percent, value=row.value,
        note=row.note, problems=row.problems, next_steps=row.next_steps, reporter=row.reporter,
    )
    for key, value in changes.items():
        if value is not None:
            setattr(spec, key, value)
    return add_progress(conn, spec, today=today, supersedes=entry_id)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None
