"""Fill-in templates: what a department's progress sheet is pre-filled with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.completion import completion
from sixbao_cli.errors import NotFound
from sixbao_cli.services.progress_query import latest_entry_id
from sixbao_cli.services.units import resolve_unit, unit_name


@dataclass
class TemplateRow:
    """One task of the unit: code, title, its part (lead or support), deadline and completion last reported."""

    code: str
    title: str
    role: str
    deadline: date | None
    last_percent: float | None


@dataclass
class ProgressTemplate:
    """A unit's fill-in sheet for the 旬 holding ``as_of``."""

    unit: str
    as_of: date
    rows: list[TemplateRow]


def progress_template(conn: Connection, unit: str, *, as_of: date) -> ProgressTemplate:
    """Every task ``unit`` leads or supports (销号 ones aside), lead tasks first, each by deadline."""
    uid = resolve_unit(conn, unit)
    name = unit_name(conn, uid)
    task, tu = T.task, T.task_unit
    latest = T.progress.alias("latest")
    query = (
        select(task.c.code, task.c.title, tu.c.role, task.c.deadline, task.c.target_value, task.c.target_comparator,
               latest.c.percent, latest.c.value)
        .join(tu, (tu.c.task_id == task.c.id) & (tu.c.unit_id == uid))
        .outerjoin(latest, latest.c.id == latest_entry_id(task.c.id, until=as_of))
        .where(task.c.status != "closed")
        .order_by(tu.c.role, task.c.deadline.is_(None), task.c.deadline, task.c.code)
    )
    rows = [TemplateRow(r.code, r.title, r.role, r.deadline,
                        completion(r.percent, r.value, r.target_value, r.target_comparator))
            for r in conn.execute(query)]
    if not rows:
        raise NotFound("template.no_tasks", unit=name)
    return ProgressTemplate(name, as_of, rows)
