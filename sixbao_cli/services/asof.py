"""What the ledger knew on a date: each task's facts as of the end of that day.

A supervision report for a past week must say the same thing every time it is
rebuilt, whatever was typed in since. So every fact here is read back to the
end of the as-of day (China Standard Time, the plans' clock) from what the
ledger holds:

- a task exists once it was created (``created_at``);
- its latest report is the latest by report date among the entries recorded
  by then, a correction counting only once it was recorded itself, and an
  imported entry only until its batch was undone (``import undo``);
- the lead unit's last report is its latest report date among those entries
  (a corrected report was still filed on time, so corrections do not hide it);
- its status (推进中, 已完成, 销号, 暂缓 …) is the last status change recorded
  by then, and edits of its start, deadline, target and milestones are read
  back from the change history; a done task was done on the day of its first
  100 % report.

The lead units whose reports count are those the task had on the day
(:mod:`sixbao_cli.services.described` keeps them when they are replaced).

The correlated subqueries here (latest entry, the lead unit's last report)
are shared with :mod:`sixbao_cli.services.judging`, which judges whole
reports in SQL; :func:`load_facts` reads the same facts into Python for the
reference evaluation and for the few tasks whose dates were edited since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

from sixbao_cli import tables as T
from sixbao_cli.clock import CHINA
from sixbao_cli.evaluate import TaskFacts
from sixbao_cli.quantities import MilestoneSpec
from sixbao_cli.services.described import has_unit
from sixbao_cli.services.progress_query import counted

_CHUNK = 5000  # ids per IN list: under SQLite's and PostgreSQL's bound-parameter limits with room to spare


def cutoff(day: date) -> datetime:
    """The first moment after ``day`` ends in China, in UTC: what was recorded before it was known on ``day``."""
    return datetime.combine(day + timedelta(days=1), time(), CHINA).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The day in China on which ``moment`` fell."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).date()


@dataclass(slots=True)
class Known:
    """One task as of a day: its facts for the evaluation, and its latest report's date."""

    id: int
    category: str
    facts: TaskFacts
    last_report: date | None
    created: datetime


def latest_known_entry(day: date, cut: datetime, task_id: ColumnElement) -> ColumnElement:
    """A correlated scalar: the id of the task's latest entry known on ``day``.

    Known: reported on or before ``day`` and recorded before ``cut``, and not
    superseded by a correction recorded before ``cut``.
    """
    return latest_known(day, cut, task_id, T.progress.c.id).scalar_subquery()


def latest_known(day: date, cut: datetime, task_id: ColumnElement, *columns: ColumnElement) -> Select:
    """The task's latest entry known on ``day`` (see :func:`latest_known_entry`), as ``columns`` of progress."""
    p = T.progress
    later = p.alias("later")
    return (
        select(*columns)
        .where(p.c.task_id == task_id, p.c.report_date <= day, p.c.recorded_at < cut, counted(p, cut),
               ~select(later.c.id).where(later.c.supersedes_id == p.c.id, later.c.recorded_at < cut).exists())
        .order_by(p.c.report_date.desc(), p.c.id.desc())
        .limit(1)
    )


def _last_lead_report(day: date, cut: datetime, task_id: ColumnElement) -> ColumnElement:
    """The lead unit's latest report date known on ``day``; any unit's when the task names no lead."""
    # Newest first with LIMIT 1 rather than max(): the walk down the (task_id, report_date)
    # index stops at the first entry that counts, usually the first one.
    # The lead units are those the task had on the day (services.described): a unit that took
    # the task over later did not owe its reports then.
    p = T.progress.alias("pl")
    by_lead = (select(p.c.report_date)
               .where(p.c.task_id == task_id, p.c.report_date <= day, p.c.recorded_at < cut, counted(p, cut),
                      has_unit(task_id, cut, unit_id=p.c.unit_id, role="lead"))
               .order_by(p.c.report_date.desc()).limit(1).scalar_subquery())
    q = T.progress.alias("pa")
    by_anyone = (select(q.c.report_date)
                 .where(q.c.task_id == task_id, q.c.report_date <= day, q.c.recorded_at < cut, counted(q, cut))
                 .order_by(q.c.report_date.desc()).limit(1).scalar_subquery())
    return case((has_unit(task_id, cut, role="lead"), by_lead), else_=by_anyone)


def judged_tasks(conn: Connection, conditions: list[ColumnElement]) -> select:
    """The ids of the tasks a report judges: matching ``conditions``, and not a group of sub-tasks.

    A heading item whose numbered sub-items are tasks of their own (（一） over
    1. 2. 3.) is chased through them; judging it too would count the work twice.
    """
    task, child = T.task, T.task.alias("child")
    return select(task.c.id).where(*conditions, ~exists().where(child.c.parent_id == task.c.id))


class History:
    """The change history the facts are read back through: every status change, and start / deadline edits.

    The program records each status change as it makes it — a report moving a
    task to 推进中 or 已完成, 销号, a desk officer's 暂缓 or reopening — so the
    status at any moment is the last change recorded before it (未启动 before
    the first).
    """

    def __init__(self, conn: Connection, ids: list[int] | None = None):
        """Read the history of the tasks ``ids``, or of every task."""
        c = T.task_change
        self._status: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        self._dates: dict[tuple[int, str], list[tuple[datetime, str | None]]] = defaultdict(list)
        query = (select(c.c.task_id, c.c.field, c.c.old_value, c.c.new_value, c.c.changed_at)
                 .where(c.c.field.in_(("status", "start", "deadline", "target", "milestones")))
                 .order_by(c.c.changed_at, c.c.id))
        # A 旬 checkpoint judges a few edited tasks in Python: read their history, not the ledger's.
        queries = [query] if ids is None else [query.where(c.c.task_id.in_(ids[i:i + _CHUNK]))
                                               for i in range(0, len(ids), _CHUNK)]
        for tid, name, old, new, when in (row for q in queries for row in conn.execute(q)):
            when = _utc(when)
            if name == "status":
                self._status[tid].append((when, new))
            else:
                self._dates[(tid, name)].append((when, old))

    def status(self, tid: int, cut: datetime) -> tuple[str, date | None]:
        """The status at ``cut`` and the day (China time) it was set."""
        found, since = "not_started", None
        for when, new in self._status.get(tid, ()):
            if when >= cut:
                break
            found, since = new, local_date(when)
        return found, since

    def as_of(self, tid: int, name: str, current: date | None, cut: datetime) -> date | None:
        """``start`` or ``deadline`` at ``cut``: the old value of the first edit after it, else the current one."""
        for when, old in self._dates.get((tid, name), ()):
            if when >= cut:
                return date.fromisoformat(old) if old else None
        return current

    def earlier_text(self, tid: int, name: str, cut: datetime) -> tuple[bool, str | None]:
        """For ``target`` or ``milestones``: (True, the text it had at ``cut``) when edited since, else (False, None)."""
        for when, old in self._dates.get((tid, name), ()):
            if when >= cut:
                return True, old
        return False, None

    def edited(self, tid: int) -> bool:
        """Were the task's target or milestones ever edited?"""
        return (tid, "target") in self._dates or (tid, "milestones") in self._dates


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def load_facts(conn: Connection, day: date, *, ids: Iterable[int] | None = None,
               conditions: list[ColumnElement] | None = None, history: History | None = None) -> list[Known]:
    """Every judged task's facts as the ledger knew them on ``day``, by code.

    Narrowed by ``conditions`` on the task table, or to ``ids`` (the tasks still
    in question at an earlier 旬 checkpoint). Tasks created after ``day`` are
    not there yet.
    """
    cut = cutoff(day)
    if ids is None:
        history = history or History(conn)
        chosen = [judged_tasks(conn, conditions or []).where(T.task.c.created_at < cut).subquery()]
    else:
        wanted = sorted(set(ids))
        history = history or History(conn, wanted)
        chosen = [select(T.task.c.id).where(T.task.c.id.in_(wanted[i:i + _CHUNK]), T.task.c.created_at < cut).subquery()
                  for i in range(0, len(wanted), _CHUNK)]
    out: list[Known] = []
    for subset in chosen:
        out.extend(_load(conn, day, cut, subset, history))
    out.sort(key=lambda k: k.facts.code)
    return out


def _load(conn: Connection, day: date, cut: datetime, subset, history: History) -> list[Known]:
    task, latest = T.task, T.progress.alias("latest")
    rows = conn.execute(
        select(task.c.id, task.c.code, task.c.category, task.c.start_date, task.c.deadline, task.c.target_value,
               task.c.target_comparator, task.c.created_at, latest.c.percent, latest.c.value,
               latest.c.report_date, _last_lead_report(day, cut, task.c.id).label("last_lead"))
        .select_from(task.join(subset, subset.c.id == task.c.id))
        .outerjoin(latest, latest.c.id == latest_known_entry(day, cut, task.c.id))
    ).all()
    milestones: dict[int, list[MilestoneSpec]] = defaultdict(list)
    m = T.milestone
    for tid, due, pct, value in conn.execute(
            select(m.c.task_id, m.c.due_date, m.c.expected_percent, m.c.expected_value)
            .join(subset, subset.c.id == m.c.task_id).order_by(m.c.task_id, m.c.due_date)):
        milestones[tid].append(MilestoneSpec(due, pct, value))
    statuses = {r.id: history.status(r.id, cut) for r in rows}
    finished = _first_full_reports(conn, day, cut, [tid for tid, (st, _) in statuses.items() if st in DONE])
    out = []
    for r in rows:
        status, since = statuses[r.id]
        # Done on the day of the first report at 100 %; else (a value reaching its target,
        # or 已完成 set by hand) the day the ledger was told.
        done_on = (finished.get(r.id) or since) if status in DONE else None
        plan = tuple(milestones.get(r.id, ()))
        target_value, comparator = r.target_value, r.target_comparator
        if history.edited(r.id):
            plan, target_value, comparator = _as_it_was(history, r.id, cut, plan, target_value, comparator)
        facts = TaskFacts(
            code=r.code, status=status, start=history.as_of(r.id, "start", r.start_date, cut),
            deadline=history.as_of(r.id, "deadline", r.deadline, cut),
            milestones=plan, target_value=target_value,
            target_comparator=comparator, percent=r.percent, value=r.value,
            last_lead_report=r.last_lead, done_on=done_on,
        )
        out.append(Known(r.id, r.category, facts, r.report_date, _utc(r.created_at)))
    return out


DONE = ("completed", "closed")


def _as_it_was(history: History, tid: int, cut: datetime, plan: tuple[MilestoneSpec, ...],
               target_value: float | None, comparator: str | None):
    """Milestones and target as they stood at ``cut``, read back from the text the change history keeps.

    The history holds them as the task card prints them ("2020-09-30:50%，…",
    "返还失业保险费>=30000000元"); text that does not read back leaves the
    current value, the best there is.
    """
    import re

    from sixbao_cli.errors import SixbaoError
    from sixbao_cli.quantities import parse_milestone, parse_target

    def full(text: str) -> str:  # histories written before numbers were spelt out: 3e+07
        return re.sub(r"\d+(?:\.\d+)?e[+-]?\d+", lambda m: format(float(m.group()), "f").rstrip("0").rstrip("."), text)

    edited, text = history.earlier_text(tid, "milestones", cut)
    if edited:
        try:
            plan = tuple(parse_milestone(full(part)) for part in text.split("，")) if text else ()
        except SixbaoError:
            pass
    edited, text = history.earlier_text(tid, "target", cut)
    if edited:
        try:
            target = parse_target(full(text)) if text else None
            target_value, comparator = (target.value, target.comparator) if target else (None, None)
        except SixbaoError:
            pass
    return plan, target_value, comparator


def _first_full_reports(conn: Connection, day: date, cut: datetime, ids: list[int]) -> dict[int, date]:
    """For done tasks, the date of the first report known on ``day`` that gave 100 %."""
    p = T.progress
    out: dict[int, date] = {}
    for start in range(0, len(ids), _CHUNK):
        out.update(conn.execute(
            select(p.c.task_id, func.min(p.c.report_date))
            .where(p.c.task_id.in_(ids[start:start + _CHUNK]), p.c.percent >= 100, p.c.report_date <= day,
                   p.c.recorded_at < cut, counted(p, cut))
            .group_by(p.c.task_id)).all())
    return out
