"""How a task was described on a day: its lead and support units, 责任领导, title and category.

A report rebuilt for a past week must name the 牵头单位 and 责任领导 the
ledger had then and count the task under the category it had then, or a
unit that took a task over afterwards would be blamed for its predecessor's
delays. Title and category edits are in the change history as text
(``task_change``). Units and leaders are kept apart, as rows, when they are
replaced (``task_unit_history``, ``task_leader_history``): the history's text
joins names with 、, which a unit's own name may hold (各地党委、政府).

What a task had at a moment is what its first replacement after that moment
replaced, or what it has now when nothing was replaced since. Only the tasks
changed since need reading back: the rest are taken from the task tables as
they stand, so that a report on a ledger nobody edited since costs nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from sixbao_cli import tables as T

_CHUNK = 5000  # ids per IN list

UNITS, LEADERS = "units", "leaders"
_HISTORY = {UNITS: (T.task_unit, T.task_unit_history, ("unit_id", "role", "position")),
            LEADERS: (T.task_leader, T.task_leader_history, ("name", "position"))}


# --- writing -----------------------------------------------------------------------------------


def current(conn: Connection, kind: str, tids: list[int]) -> dict[int, list[dict]]:
    """The rows ``kind`` (units or leaders) of tasks ``tids`` hold now, to keep with :func:`keep` once they change."""
    table, _, columns = _HISTORY[kind]
    out: dict[int, list[dict]] = {tid: [] for tid in tids}
    for start in range(0, len(tids), _CHUNK):
        for row in conn.execute(select(table.c.task_id, *(table.c[c] for c in columns))
                                .where(table.c.task_id.in_(tids[start:start + _CHUNK]))):
            out[row.task_id].append({c: row._mapping[c] for c in columns})
    return out


def keep(conn: Connection, kind: str, before: dict[int, list[dict]], now: datetime) -> None:
    """Record that the ``kind`` rows of each task in ``before`` were replaced at ``now`` (same transaction).

    A task that had none gets one empty row, so that a report for a day before
    still finds that it had none then.
    """
    _, history, columns = _HISTORY[kind]
    empty = dict.fromkeys(columns)
    rows = [dict(r, task_id=tid, replaced_at=now) for tid, old in before.items() for r in (old or [empty])]
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(history), rows[start:start + _CHUNK])


# --- reading, set-based --------------------------------------------------------------------------


def _first_replaced(history, task_id: ColumnElement, cut: datetime) -> ColumnElement:
    """A correlated scalar: when the task's rows were first replaced at or after ``cut`` (NULL: never)."""
    h = history.alias()
    return (select(func.min(h.c.replaced_at)).where(h.c.task_id == task_id, h.c.replaced_at >= cut)
            .correlate_except(h).scalar_subquery())


def has_unit(task_id: ColumnElement, cut: datetime, *, unit_id=None, role: str | None = None) -> ColumnElement:
    """Whether the task had, just before ``cut``, a unit (``unit_id``, or any) in ``role`` (or either role).

    Usable inside other correlated subqueries: ``unit_id`` may be a column of the enclosing query,
    ``task_id`` one of a query further out. (Every subquery here says what it correlates: left to
    itself, SQLAlchemy correlates only with the query just outside, and would read ``task_id``'s
    table whole from within — the first replacement of any task.)
    """
    tu, h = T.task_unit.alias(), T.task_unit_history.alias()
    first = _first_replaced(T.task_unit_history, task_id, cut)
    now_cond = [tu.c.task_id == task_id]
    then_cond = [h.c.task_id == task_id, h.c.replaced_at == first, h.c.unit_id.is_not(None)]
    if unit_id is not None:
        now_cond.append(tu.c.unit_id == unit_id)
        then_cond.append(h.c.unit_id == unit_id)
    if role is not None:
        now_cond.append(tu.c.role == role)
        then_cond.append(h.c.role == role)
    return case((first.is_(None), exists().where(*now_cond).correlate_except(tu)),
                else_=exists().where(*then_cond).correlate_except(h))


def has_leader(task_id: ColumnElement, cut: datetime, name: str) -> ColumnElement:
    """Whether ``name`` was among the task's 责任领导 just before ``cut``."""
    tl, h = T.task_leader.alias(), T.task_leader_history.alias()
    first = _first_replaced(T.task_leader_history, task_id, cut)
    return case((first.is_(None), exists().where(tl.c.task_id == task_id, tl.c.name == name).correlate_except(tl)),
                else_=exists().where(h.c.task_id == task_id, h.c.replaced_at == first, h.c.name == name)
                .correlate_except(h))


def field_then(task_id: ColumnElement, field: str, now_value: ColumnElement, cut: datetime) -> ColumnElement:
    """A task column edited through ``task edit`` (title, category) as it stood just before ``cut``.

    The first edit since holds the old value; with none, it is the value now. (Title and
    category are never empty, so a NULL means "not edited since".)
    """
    c = T.task_change.alias()
    old = (select(c.c.old_value).where(c.c.task_id == task_id, c.c.field == field, c.c.changed_at >= cut)
           .order_by(c.c.changed_at, c.c.id).limit(1).correlate_except(c).scalar_subquery())
    return func.coalesce(old, now_value)


def units_replaced_since(cut: datetime):
    """The ids of tasks whose units were replaced at or after ``cut``."""
    h = T.task_unit_history
    return select(h.c.task_id).where(h.c.replaced_at >= cut)


def roles_then(cut: datetime):
    """Every task's units (task_id, unit_id, role) as they stood just before ``cut``, as a selectable.

    The current rows of the tasks not changed since, and the replaced rows of
    the others.
    """
    tu, h = T.task_unit, T.task_unit_history
    first = (select(h.c.task_id, func.min(h.c.replaced_at).label("first"))
             .where(h.c.replaced_at >= cut).group_by(h.c.task_id).subquery("first_replaced"))
    now = select(tu.c.task_id, tu.c.unit_id, tu.c.role).where(tu.c.task_id.not_in(units_replaced_since(cut)))
    then = (select(h.c.task_id, h.c.unit_id, h.c.role)
            .join(first, and_(first.c.task_id == h.c.task_id, first.c.first == h.c.replaced_at))
            .where(h.c.unit_id.is_not(None)))
    return now.union_all(then)


# --- reading, the few tasks a report lists -------------------------------------------------------


@dataclass
class Described:
    """A task's units, leaders, title and category as they stood at a moment."""

    leads: list[str]
    supports: list[str]
    leaders: list[str]
    title: str
    category: str


def described(conn: Connection, ids: list[int], cut: datetime) -> dict[int, Described]:
    """The listed tasks ``ids`` as they stood just before ``cut``: names in the plan's order."""
    tu, u, tl, task = T.task_unit, T.unit, T.task_leader, T.task
    out: dict[int, Described] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for r in conn.execute(select(task.c.id, task.c.title, task.c.category).where(task.c.id.in_(chunk))):
            out[r.id] = Described([], [], [], r.title, r.category)
        units = _then(conn, T.task_unit_history, chunk, cut)
        for tid, role, name in conn.execute(
                select(tu.c.task_id, tu.c.role, u.c.name).join(u, u.c.id == tu.c.unit_id)
                .where(tu.c.task_id.in_([i for i in chunk if i not in units]))
                .order_by(tu.c.task_id, tu.c.position, u.c.name)):
            (out[tid].leads if role == "lead" else out[tid].supports).append(name)
        h = T.task_unit_history
        for tid, when, role, name in conn.execute(
                select(h.c.task_id, h.c.replaced_at, h.c.role, u.c.name).join(u, u.c.id == h.c.unit_id)
                .where(h.c.task_id.in_(list(units)), h.c.replaced_at >= cut)
                .order_by(h.c.task_id, h.c.position, u.c.name)) if units else ():
            if when == units[tid]:
                (out[tid].leads if role == "lead" else out[tid].supports).append(name)
        leaders = _then(conn, T.task_leader_history, chunk, cut)
        for tid, name in conn.execute(
                select(tl.c.task_id, tl.c.name).where(tl.c.task_id.in_([i for i in chunk if i not in leaders]))
                .order_by(tl.c.task_id, tl.c.position)):
            out[tid].leaders.append(name)
        lh = T.task_leader_history
        for tid, when, name in conn.execute(
                select(lh.c.task_id, lh.c.replaced_at, lh.c.name)
                .where(lh.c.task_id.in_(list(leaders)), lh.c.replaced_at >= cut, lh.c.name.is_not(None))
                .order_by(lh.c.task_id, lh.c.position)) if leaders else ():
            if when == leaders[tid]:
                out[tid].leaders.append(name)
        c = T.task_change
        edits = defaultdict(dict)
        for tid, field, old in conn.execute(
                select(c.c.task_id, c.c.field, c.c.old_value)
                .where(c.c.task_id.in_(chunk), c.c.field.in_(("title", "category")), c.c.changed_at >= cut)
                .order_by(c.c.changed_at.desc(), c.c.id.desc())):
            edits[tid][field] = old  # newest first: the first edit after the moment is written last
        for tid, fields in edits.items():
            if fields.get("title"):
                out[tid].title = fields["title"]
            if fields.get("category"):
                out[tid].category = fields["category"]
    return out


def _then(conn: Connection, history, ids: list[int], cut: datetime) -> dict[int, datetime]:
    """For the tasks among ``ids`` whose rows were replaced at or after ``cut``, when that first happened."""
    return dict(conn.execute(select(history.c.task_id, func.min(history.c.replaced_at))
                             .where(history.c.task_id.in_(ids), history.c.replaced_at >= cut)
                             .group_by(history.c.task_id)).all())

