"""Every task judged as of a day in SQL: 序时进度, flags and light, the same judgement as :mod:`sixbao_cli.evaluate`.

A report over a province's ledger judges 100,000 tasks; loading each into
Python to judge it costs seconds. Here the judgement is one statement: the
facts the ledger knew on the day (status, latest entry, the lead unit's last
report, as :mod:`sixbao_cli.services.asof` defines them) are read by
correlated subqueries through the indexes, and 序时进度, the flags and the
light are expressions over them. The result lands in a temporary table that
the report then counts, ranks and lists from, set-based.

:func:`sixbao_cli.evaluate.evaluate` stays the reference: tests/test_judging.py
holds the two equal over generated ledgers on SQLite and PostgreSQL. The few
tasks whose start, deadline, target or milestones were edited after the day
are judged by it directly — reading old values back from the change history's
text is Python's job — and their rows inserted beside the rest.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    not_,
    null,
    or_,
    select,
    true,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from sixbao_cli import tables as T
from sixbao_cli.evaluate import DONE_STATUSES, RED, evaluate
from sixbao_cli.rules import Rules
from sixbao_cli.services.asof import (
    _last_lead_report,
    cutoff,
    judged_tasks,
    latest_known,
    latest_known_entry,
    load_facts,
)
from sixbao_cli.services.described import field_then
from sixbao_cli.services.kept_facts import COLUMNS as KEPT_COLUMNS
from sixbao_cli.services.kept_facts import KeptFacts
from sixbao_cli.services.progress_query import counted
from sixbao_cli.services.verdicts import Verdicts
from sixbao_cli.sqltypes import UtcDateTime
from sixbao_cli.xun import Xun

EDITED_FIELDS = ("start", "deadline", "target", "milestones")
FLAG_COLUMNS = ("overdue", "due_soon", "slow", "stale", "not_started")

_meta = MetaData()
# The judged tasks of one report: created per connection, filled by judge_all, dropped by drop().
judged = Table(
    "sixbao_judged", _meta,
    Column("id", Integer, primary_key=True),
    Column("code", String), Column("category", String), Column("status", String),
    Column("start", Date), Column("deadline", Date),
    Column("percent", Float), Column("value", Float),
    Column("target_value", Float), Column("target_comparator", String),
    Column("last_lead", Date), Column("last_report", Date), Column("done_on", Date),
    Column("created_at", UtcDateTime),
    Column("expected", Float), Column("actual", Float), Column("behind", Float),
    Column("light", String),
    *(Column(flag, Integer) for flag in FLAG_COLUMNS),
    Column("fresh", Integer),  # 1: its facts were read from the ledger, 0: from those kept (services.kept_facts)
    # the milestones on either side of the day (_milestone_points), kept with the facts
    Column("next_due", Date), Column("next_pct", Float), Column("prev_due", Date), Column("prev_pct", Float),
    prefixes=["TEMPORARY"],
)
chosen_ids = Table("sixbao_ids", _meta, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
# The tasks something happened to since the kept facts' day (services.kept_facts): their facts are read afresh.
changed_ids = Table("sixbao_changed", _meta, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
# The red tasks whose streak the ladder counts: the last day anything about each changed, whether it
# was edited since (judged in Python), at how many checkpoints in a row it has been found red, and
# whether it is being judged at the checkpoint in hand (its verdict to be kept, services.verdicts).
ladder_tasks = Table(
    "sixbao_ladder", _meta,
    Column("id", Integer, primary_key=True),
    Column("settled", Date), Column("edited", Integer), Column("streak", Integer), Column("fresh", Integer),
    prefixes=["TEMPORARY"],
)
# The verdicts the ladder judged at checkpoints that may be kept, for services.verdicts.keep.
new_verdicts = Table("sixbao_verdicts", _meta, Column("checkpoint", Date, primary_key=True),
                     Column("task_id", Integer, primary_key=True), Column("red", Boolean), prefixes=["TEMPORARY"])
# The last day anything changed about each of the ladder's tasks to judge at a checkpoint (see _settled).
settled_days = Table("sixbao_settled", _meta, Column("id", Integer, primary_key=True), Column("settled", Date),
                     prefixes=["TEMPORARY"])

# The day judged and the rules' thresholds are parameters, not literals: each statement is
# built and compiled once per process and run for the report's date and every 旬 checkpoint.
DAY = bindparam("judge_day", type_=Date)
CUT = bindparam("judge_cut", type_=UtcDateTime)
YELLOW_BEHIND = bindparam("judge_yellow_behind", type_=Float)
RED_BEHIND = bindparam("judge_red_behind", type_=Float)
# The day-count thresholds as the days they fall on, worked out once in Python rather than by date
# arithmetic on every task's row (julianday twice a flag and a task on SQLite).
DUE_SOON_LAST = bindparam("judge_due_soon_last", type_=Date)  # 临期: a deadline from the day to this one
STALE_BEFORE = bindparam("judge_stale_before", type_=Date)  # 未按时报送: nothing from the lead unit since before this


def params(day: date, rules: Rules) -> dict:
    """The values of the statements' parameters for judging on ``day`` by ``rules``."""
    return {"judge_day": day, "judge_cut": cutoff(day),
            "judge_yellow_behind": rules.yellow_behind, "judge_red_behind": rules.red_behind,
            # (rules.py bounds the day counts to ten years: no overflow here)
            "judge_due_soon_last": day + timedelta(days=rules.due_soon_days),
            # evaluate.is_stale: the last report before the previous 旬 began, or over the interval ago
            "judge_stale_before": max(Xun.of(day).previous().start, day - timedelta(days=rules.report_interval_days))}


class Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, name: str):
        self.pg = name == "postgresql"

    def days(self, a, b) -> ColumnElement:
        """``a - b`` in days, as a float."""
        if self.pg:
            return cast(a - b, Float)
        return func.julianday(a) - func.julianday(b)

    def greatest(self, *xs) -> ColumnElement:
        """The largest of ``xs``, NULL when any is NULL (as Python's max would fail)."""
        return self._null_if_any(func.greatest, xs) if self.pg else func.max(*xs)

    def least(self, *xs) -> ColumnElement:
        """The smallest of ``xs``, NULL when any is NULL."""
        return self._null_if_any(func.least, xs) if self.pg else func.min(*xs)

    @staticmethod
    def _null_if_any(fn, xs) -> ColumnElement:
        # PostgreSQL's GREATEST and LEAST skip NULLs; SQLite's max() and min() give NULL, which is
        # what the reference means: a milestone value with no target to measure it by counts for nothing.
        exprs = [x for x in xs if isinstance(x, ColumnElement)]
        if not exprs:
            return fn(*xs)
        return case((or_(*(x.is_(None) for x in exprs)), null()), else_=fn(*xs))

    def round6(self, x) -> ColumnElement:
        # evaluate.behind rounds to 1e-6 so that 10 points never come out as 9.999999999
        if self.pg:
            return cast(func.round(cast(x, Numeric), 6), Float)
        return func.round(x, 6)

    def local_day(self, moment) -> ColumnElement:
        """The day in China (UTC+8) of a stored instant."""
        if self.pg:
            return cast(func.timezone("UTC", moment) + literal(timedelta(hours=8)), Date)
        return func.date(moment, "+8 hours")

    def xun_number(self, day) -> ColumnElement:
        """The 旬 a date falls in, numbered 36 a year (xun.Xun.number)."""
        if self.pg:
            # date_part gives a float; EXTRACT gives numeric since PostgreSQL 14, several times slower
            # over the 285,000 reports of a quarter.
            year, month, dom = (cast(func.date_part(part, day), Integer) for part in ("year", "month", "day"))
        else:
            year, month, dom = (cast(func.substr(day, start, n), Integer) for start, n in ((1, 4), (6, 2), (9, 2)))
        return year * 36 + (month - 1) * 3 + case((dom <= 10, 0), (dom <= 20, 1), else_=2)

    def bytewise(self, text) -> ColumnElement:
        """``text`` compared code point by code point, as Python compares strings (PostgreSQL's "C" collation)."""
        return text.collate("C") if self.pg else text

    def fence(self, query):
        """Keep ``query`` a subquery of its own: the outer expressions use its columns many times, and
        flattening it would run its correlated subqueries once per use."""
        return query.offset(0) if self.pg else query.limit(-1)


def _completion(d: Dialect, percent, value, target, comparator) -> ColumnElement:
    """:func:`sixbao_cli.completion.completion` as an expression."""
    by_value = case(
        (or_(value.is_(None), target.is_(None)), null()),
        # a target of 0 (清零): met or not, as completion.completion has it
        (target == 0, case((or_(and_(comparator == ">=", value >= 0),
                                and_(or_(comparator.is_(None), comparator != ">="), value <= 0)), 100.0), else_=0.0)),
        (comparator == "<=", case((value <= target, 100.0),
                                  else_=d.greatest(0.0, 100.0 * target / func.nullif(value, 0)))),
        else_=d.greatest(0.0, d.least(100.0, 100.0 * value / target)),
    )
    if percent is None:
        return by_value
    return case((percent.is_not(None), percent), else_=by_value)


def _milestone_points(d: Dialect, chosen) -> select:
    """Per task among ``chosen`` that has milestones, the points on either side of ``day`` (evaluate._milestone_points).

    The last milestone before ``day`` and the first on or after it, each with
    the running maximum of the percents up to it: 序时进度 never goes backwards.
    Grouped over the milestone table in one pass, not probed per task. The
    start, deadline and target are the task's own: tasks edited since are judged
    in Python.
    """
    m, t = T.milestone, T.task

    def percent(ms):
        return d.least(100.0, d.greatest(0.0, _completion(d, ms.c.expected_percent, ms.c.expected_value,
                                                             t.c.target_value, t.c.target_comparator)))

    pct = percent(m)
    valid = and_(m.c.due_date > t.c.start_date, m.c.due_date < t.c.deadline, pct.is_not(None))
    sides = (select(m.c.task_id,
                    func.min(case((and_(valid, m.c.due_date >= DAY), m.c.due_date))).label("next_due"),
                    func.max(case((and_(valid, m.c.due_date < DAY), m.c.due_date))).label("prev_due"),
                    func.max(case((and_(valid, m.c.due_date < DAY), pct))).label("prev_pct"))
             .join(t, t.c.id == m.c.task_id).where(m.c.task_id.in_(chosen)).group_by(m.c.task_id)
             .subquery("sides"))
    m2 = m.alias("m2")
    # The running maximum at the next milestone: the best before ``day``, or the best set on that date.
    at_next = (select(func.max(percent(m2))).select_from(m2.join(t, t.c.id == m2.c.task_id))
               .where(m2.c.task_id == sides.c.task_id, m2.c.due_date == sides.c.next_due)
               .correlate(sides).scalar_subquery())
    next_pct = d.greatest(func.coalesce(sides.c.prev_pct, 0.0), func.coalesce(at_next, 0.0))
    return select(sides.c.task_id, sides.c.next_due, next_pct.label("next_pct"), sides.c.prev_due,
                  sides.c.prev_pct).subquery("milestone_points")


def _progress(d: Dialect, f) -> list[ColumnElement]:
    """序时进度, actual percent and the actual that counts for being behind, over facts ``f`` with milestone points."""
    today = DAY
    d0 = func.coalesce(f.c.prev_due, f.c.start)
    p0 = func.coalesce(f.c.prev_pct, 0.0)
    d1 = func.coalesce(f.c.next_due, f.c.deadline)
    p1 = case((f.c.next_due.is_(None), 100.0), else_=f.c.next_pct)
    expected = case(
        (f.c.deadline.is_(None), null()),
        (today >= f.c.deadline, 100.0),
        (today <= f.c.start, 0.0),
        else_=p0 + (p1 - p0) * d.days(today, d0) / d.days(d1, d0),
    )
    actual = _completion(d, f.c.percent, f.c.value, f.c.target_value, f.c.target_comparator)
    # evaluate.behind: a task with no report yet counts as 0 % done
    counting = case((and_(f.c.percent.is_(None), f.c.value.is_(None)), 0.0), else_=actual)
    return [expected.label("expected"), actual.label("actual"), counting.label("counting")]


def _judgement(d: Dialect, f) -> list[ColumnElement]:
    """Behind, the flags and the light over ``f`` (facts with 序时进度 and actual), as evaluate.evaluate judges."""
    today = DAY
    behind = case((or_(f.c.expected.is_(None), f.c.counting.is_(None)), null()),
                  else_=d.round6(f.c.expected - f.c.counting))
    chased = f.c.status.not_in((*DONE_STATUSES, "suspended"))
    last = d.greatest(func.coalesce(f.c.last_lead, f.c.start), f.c.start)
    overdue = and_(chased, f.c.deadline.is_not(None), today > f.c.deadline)
    due_soon = and_(chased, f.c.deadline.is_not(None), today <= f.c.deadline, f.c.deadline <= DUE_SOON_LAST)
    slow = and_(chased, behind >= YELLOW_BEHIND)
    stale = and_(chased, today >= f.c.start, last < STALE_BEFORE)
    not_started = and_(chased, f.c.status == "not_started", today > f.c.start)
    light = case(
        (not_(chased), "none"),
        (or_(overdue, behind >= RED_BEHIND), "red"),
        (or_(slow, due_soon, stale), "yellow"),
        else_="green",
    )

    def bit(cond):
        return case((cond, 1), else_=0)

    return [f.c.expected, f.c.actual, behind.label("behind"), light.label("light"),
            bit(overdue).label("overdue"), bit(due_soon).label("due_soon"), bit(slow).label("slow"),
            bit(stale).label("stale"), bit(not_started).label("not_started")]


def _judge(d: Dialect, base, chosen, *extra, points_kept: bool = False) -> tuple:
    """The judgement over ``base`` (facts, one row per task): milestone points, progress, then flags and light.

    With ``points_kept``, ``base`` holds the milestone points already (services.kept_facts).
    """
    if points_kept:
        points = base
    else:
        mp = _milestone_points(d, chosen)
        points = d.fence(select(base, mp.c.next_due, mp.c.next_pct, mp.c.prev_due, mp.c.prev_pct, *extra)
                         .select_from(base.outerjoin(mp, mp.c.task_id == base.c.id))).subquery("points")
    progress = d.fence(select(points, *_progress(d, points))).subquery("judged_progress")
    return progress, _judgement(d, progress)


def edited_after(cut=CUT):
    """The ids of tasks whose start, deadline, target or milestones were edited at or after ``cut``."""
    c = T.task_change
    return select(c.c.task_id).where(c.c.field.in_(EDITED_FIELDS), c.c.changed_at >= cut)


def _facts(d: Dialect, chosen, *, lead: bool = True) -> select:
    """Each chosen task's facts as known on ``day`` (services.asof), read in one statement.

    Without ``lead`` the lead unit's last report is left out: it can make a
    task yellow (未按时报送), never red.
    """
    task, c, p = T.task, T.task_change, T.progress
    day, cut = DAY, CUT
    if d.pg:
        # PostgreSQL would hash all of progress to join on a correlated id; a lateral probe reads one entry.
        latest = latest_known(day, cut, task.c.id, p.c.percent, p.c.value, p.c.report_date).lateral("latest")
        with_latest = task.outerjoin(latest, true())
    else:
        latest = p.alias("latest")
        with_latest = task.outerjoin(latest, latest.c.id == latest_known_entry(day, cut, task.c.id))
    status = func.coalesce(
        select(c.c.new_value).where(c.c.task_id == task.c.id, c.c.field == "status", c.c.changed_at < cut)
        .order_by(c.c.changed_at.desc(), c.c.id.desc()).limit(1).scalar_subquery(),
        "not_started")
    return (select(task.c.id, task.c.code, task.c.category, status.label("status"),
                   task.c.start_date.label("start"), task.c.deadline, latest.c.percent, latest.c.value,
                   task.c.target_value, task.c.target_comparator,
                   (_last_lead_report(day, cut, task.c.id) if lead else cast(null(), Date)).label("last_lead"),
                   latest.c.report_date.label("last_report"), task.c.created_at)
            .select_from(with_latest)
            .where(task.c.id.in_(chosen), task.c.created_at < cut, task.c.id.not_in(edited_after(cut))))


def _done_on(d: Dialect, f) -> ColumnElement:
    """The day a done task was done: its first report at 100 %, else the day its status was set (asof._load)."""
    p, c = T.progress, T.task_change
    day, cut = DAY, CUT
    first_full = (select(func.min(p.c.report_date))
                  .where(p.c.task_id == f.c.id, p.c.percent >= 100, p.c.report_date <= day, p.c.recorded_at < cut,
                         counted(p, cut)).scalar_subquery())
    status_set = (select(func.max(c.c.changed_at))
                  .where(c.c.task_id == f.c.id, c.c.field == "status", c.c.changed_at < cut).scalar_subquery())
    return case((f.c.status.in_(DONE_STATUSES), func.coalesce(first_full, d.local_day(status_set))),
                else_=null())


def snapshot(dialect: str, chosen) -> select:
    """The statement judging the tasks whose ids ``chosen`` (a subquery) selects; run it with :func:`params`.

    Tasks edited since the day (see :func:`edited_after`) and tasks created
    after it are left out.
    """
    d = Dialect(dialect)
    facts = d.fence(_facts(d, chosen)).subquery("facts")
    f, judgement = _judge(d, facts, chosen, _done_on(d, facts).label("done_on"))
    return _judged_row(f, judgement, fresh=1)


def kept_snapshot(dialect: str, chosen) -> select:
    """:func:`snapshot` on the facts kept by an earlier report (services.kept_facts) instead of those read back.

    Right for the tasks among ``chosen`` that nothing happened to since the
    kept facts' day, and none of whose milestones fell due in between (so
    that the milestones on either side of the day are those kept); their
    start, deadline and target are the task's own, as in :func:`snapshot`.
    """
    d = Dialect(dialect)
    task, k = T.task, T.kept_fact
    facts = d.fence(select(task.c.id, task.c.code, task.c.category, k.c.status, task.c.start_date.label("start"),
                           task.c.deadline, k.c.percent, k.c.value, task.c.target_value, task.c.target_comparator,
                           k.c.last_lead, k.c.last_report, k.c.done_on, task.c.created_at,
                           k.c.next_due, k.c.next_pct, k.c.prev_due, k.c.prev_pct)
                    .select_from(task.join(k, k.c.task_id == task.c.id))
                    .where(task.c.id.in_(chosen), task.c.created_at < CUT, task.c.id.not_in(edited_after(CUT)))
                    ).subquery("facts")
    f, judgement = _judge(d, facts, chosen, points_kept=True)
    return _judged_row(f, judgement, fresh=0)


def _judged_row(f, judgement: list, *, fresh: int) -> select:
    return select(f.c.id, f.c.code, f.c.category, f.c.status, f.c.start, f.c.deadline, f.c.percent, f.c.value,
                  f.c.target_value, f.c.target_comparator, f.c.last_lead, f.c.last_report,
                  type_coerce(f.c.done_on, Date).label("done_on"), f.c.created_at, *judgement,
                  literal(fresh).label("fresh"), type_coerce(f.c.next_due, Date).label("next_due"), f.c.next_pct,
                  type_coerce(f.c.prev_due, Date).label("prev_due"), f.c.prev_pct)


@cache
def _red_snapshot(dialect: str) -> select:
    """The ids in :data:`chosen_ids` red on the day: :func:`snapshot` without what only a yellow light needs."""
    d = Dialect(dialect)
    chosen = select(chosen_ids.c.id)
    facts = d.fence(_facts(d, chosen, lead=False)).subquery("facts")
    f, judgement = _judge(d, facts, chosen)
    judged_q = select(f.c.id, *judgement).subquery("red_check")
    return select(judged_q.c.id).where(judged_q.c.light == RED)


@cache
def _red_stored(dialect: str) -> select:
    """The ids in :data:`chosen_ids` red on an earlier day, judged on the facts stored in :data:`judged`.

    Right for a task whose reports, status and dates did not change from
    that day to the report's date: what the ledger knew then is what it knows now.
    """
    d = Dialect(dialect)
    chosen = select(chosen_ids.c.id)
    base = d.fence(select(judged.c.id, judged.c.status, judged.c.start, judged.c.deadline, judged.c.percent,
                          judged.c.value, judged.c.target_value, judged.c.target_comparator, judged.c.last_lead)
                   .where(judged.c.id.in_(chosen))).subquery("stored")
    f, judgement = _judge(d, base, chosen)
    judged_q = select(f.c.id, *judgement).subquery("red_check")
    return select(judged_q.c.id).where(judged_q.c.light == RED)


@cache
def _edited_chosen() -> select:
    """The ids in :data:`chosen_ids` of tasks existing on the day and edited since (judged in Python)."""
    task = T.task
    return select(task.c.id).where(task.c.id.in_(select(chosen_ids.c.id)), task.c.created_at < CUT,
                                   task.c.id.in_(edited_after()))


_ANALYZE = {"sixbao_judged": "ANALYZE sixbao_judged", "sixbao_ids": "ANALYZE sixbao_ids",
            "sixbao_ladder": "ANALYZE sixbao_ladder", "sixbao_changed": "ANALYZE sixbao_changed",
            "sixbao_units": "ANALYZE sixbao_units",
            "sixbao_unit_xun": "ANALYZE sixbao_unit_xun", "sixbao_unit_owed": "ANALYZE sixbao_unit_owed",
            "sixbao_roles": "ANALYZE sixbao_roles", "sixbao_tenure": "ANALYZE sixbao_tenure"}


def analyze(conn: Connection, table: Table) -> None:
    """Give PostgreSQL's planner the row counts of a temporary table just filled (autovacuum never does).

    Without them it plans the ladder's checkpoints and the ranking for a
    table of unknown size: at 100,000 tasks the ladder took 11 s instead of 5.5 s.
    (services.ranking's tables are analysed here too.)
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_ANALYZE[table.name])


def create(conn: Connection) -> None:
    """Create (empty) the temporary tables the judged tasks and the ids in question go in."""
    drop(conn)
    _meta.create_all(conn, checkfirst=False)


def drop(conn: Connection) -> None:
    """Drop the temporary tables: pooled connections outlive a report."""
    _meta.drop_all(conn, checkfirst=True)


def judge_all(conn: Connection, day: date, rules: Rules, conditions: list, kept: KeptFacts | None = None) -> None:
    """Judge every task a report covers as of ``day`` into :data:`judged`.

    ``conditions`` narrow the task table (the report's filters); groups of
    sub-tasks are not judged (services.asof.judged_tasks). Tasks whose dates,
    target or milestones were edited after the day are judged in Python.
    With ``kept`` (services.kept_facts), the tasks nothing happened to since
    the kept facts' day are judged on those, and those read afresh are marked
    ``fresh`` for :func:`facts_to_keep`.
    """
    create(conn)
    chosen = judged_tasks(conn, conditions)
    columns = [c.name for c in judged.columns]
    values = params(day, rules)
    name, task = conn.dialect.name, T.task
    if kept is not None and kept.usable:
        conn.execute(insert(changed_ids).from_select(["id"], kept.changed()))
        analyze(conn, changed_ids)
        k = T.kept_fact
        unchanged = chosen.where(task.c.id.not_in(select(changed_ids.c.id)))
        conn.execute(insert(judged).from_select(columns, kept_snapshot(name, unchanged)), values)
        again = chosen.where(or_(task.c.id.in_(select(changed_ids.c.id)), task.c.id.not_in(select(k.c.task_id))))
        conn.execute(insert(judged).from_select(columns, snapshot(name, again)), values)
    else:
        conn.execute(insert(judged).from_select(columns, snapshot(name, chosen)), values)
    # Narrowed from the chosen tasks' own query, so that the few edited since lead: "id IN (chosen)"
    # would build the list of every chosen task first (0.17 s at 100,000 tasks).
    edited = conn.execute(chosen.where(T.task.c.created_at < CUT, T.task.c.id.in_(edited_after())),
                          values).scalars().all()
    if edited:
        conn.execute(insert(judged), [_python_row(k, day, rules) for k in load_facts(conn, day, ids=edited)])
    # The category a task was counted under on the day, for the few whose category was edited since.
    c = T.task_change
    recategorized = select(c.c.task_id).where(c.c.field == "category", c.c.changed_at >= CUT)
    conn.execute(update(judged).where(judged.c.id.in_(recategorized))
                 .values(category=field_then(judged.c.id, "category", judged.c.category, CUT)), values)
    analyze(conn, judged)
    if kept is not None and not conditions:  # every task judged: what was read may be kept
        kept.judged, kept.replace = True, not kept.usable


def facts_to_keep(replace: bool) -> select:
    """The facts :data:`judged` read from the ledger, to keep (services.kept_facts): all, or those read afresh."""
    facts = select(judged.c.id, *(judged.c[c] for c in KEPT_COLUMNS))
    return facts if replace else facts.where(judged.c.fresh == 1)


def _python_row(k, day: date, rules: Rules) -> dict:
    f = k.facts
    e = evaluate(f, day, rules)
    return {"id": k.id, "code": f.code, "category": k.category, "status": f.status, "start": f.start,
            "deadline": f.deadline, "percent": f.percent, "value": f.value, "target_value": f.target_value,
            "target_comparator": f.target_comparator, "last_lead": f.last_lead_report, "last_report": k.last_report,
            "done_on": f.done_on, "created_at": k.created, "expected": e.expected, "actual": e.actual,
            "behind": e.behind, "light": e.light, **{flag: int(flag in e.flags) for flag in FLAG_COLUMNS}, "fresh": 1,
            # judged on what the task was before its edit: read again whenever it is not edited after the day
            "next_due": None, "next_pct": None, "prev_due": None, "prev_pct": None}


def streaks(conn: Connection, day: date, points: list[date], rules: Rules,
            kept: Verdicts | None = None) -> dict[int, int]:
    """For each task red in :data:`judged` (judged on ``day``), at how many of ``points`` in a row it was red.

    ``points`` are 旬 checkpoints up to ``day``, latest first. Each checkpoint
    judges only the tasks red at every later one, with what the ledger knew
    then, and the tasks in question stay in the database from one checkpoint
    to the next. A task that stood unchanged since a checkpoint (see
    :func:`_settled`) is judged there on the facts already in :data:`judged`;
    the others are read back as of it, and those edited since are judged in
    Python. A task long overdue and untouched is not judged at all (see
    :func:`_overdue_throughout`). With ``kept``, a verdict kept from an earlier
    report is read instead of judged, and those judged are noted to be kept
    (services.verdicts).
    """
    lt, name = ladder_tasks, conn.dialect.name
    j, d, on_day = judged, Dialect(name), params(day, rules)
    edited = case((j.c.id.in_(edited_after()), 1), else_=0)
    conn.execute(insert(lt).from_select(["id", "settled", "edited", "streak", "fresh"],
                                        select(j.c.id, null(), edited, literal(0), literal(0)).where(j.c.light == RED)),
                 on_day)
    ahead = _overdue_throughout(conn, points)
    analyze(conn, lt)
    for i, point in enumerate(points):
        running = lt.c.streak == i
        if point == day:
            found = conn.execute(update(lt).where(running).values(streak=i + 1)).rowcount
            if kept is not None and kept.keepable(point):
                _note(conn, kept, select(literal(point, Date), lt.c.id, true()))  # red, all
        else:
            found, judge = _read_kept(conn, lt, running, point, kept, i) if kept is not None else (0, running)
            noting = kept is not None and kept.keepable(point)
            if noting:
                conn.execute(update(lt).where(judge).values(fresh=1))
            values = params(point, rules)
            # when each task to judge last changed, found for those not found at a later checkpoint
            conn.execute(delete(chosen_ids))
            conn.execute(insert(chosen_ids).from_select(["id"], select(lt.c.id).where(judge, lt.c.settled.is_(None))))
            conn.execute(delete(settled_days))
            conn.execute(insert(settled_days).from_select(["id", "settled"], _settled(d)), on_day)
            sd = settled_days.c
            conn.execute(update(lt).where(lt.c.id.in_(select(sd.id)))
                         .values(settled=select(sd.settled).where(sd.id == lt.c.id).scalar_subquery()))
            unchanged = and_(lt.c.settled <= point, lt.c.edited == 0)
            for which, red in ((unchanged, _red_stored(name)), (not_(unchanged), _red_snapshot(name))):
                conn.execute(delete(chosen_ids))
                conn.execute(insert(chosen_ids).from_select(["id"], select(lt.c.id).where(judge, which)))
                analyze(conn, chosen_ids)
                found += conn.execute(update(lt).where(lt.c.id.in_(red)).values(streak=i + 1), values).rowcount
            # edited since then (still in chosen_ids): the reference judgement reads their old values back
            edited = conn.execute(_edited_chosen(), values).scalars().all()
            red_edited = [k.id for k in load_facts(conn, point, ids=edited)
                          if evaluate(k.facts, point, rules).light == RED] if edited else []
            if red_edited:
                found += conn.execute(update(lt).where(lt.c.id.in_(red_edited)).values(streak=i + 1)).rowcount
            if noting:
                _note(conn, kept, select(literal(point, Date), lt.c.id, lt.c.streak == i + 1).where(lt.c.fresh == 1))
                conn.execute(update(lt).where(lt.c.fresh == 1).values(fresh=0))
        if not found and i + 1 > ahead:  # no task left to judge at the next checkpoint
            break
    return dict(conn.execute(select(lt.c.id, lt.c.streak)).all())


def _note(conn: Connection, kept: Verdicts, verdicts: select) -> None:
    """Note ``verdicts`` (checkpoint, task id, red) in :data:`new_verdicts`, for services.verdicts.keep."""
    if conn.execute(insert(new_verdicts).from_select(["checkpoint", "task_id", "red"], verdicts)).rowcount:
        kept.noted = True


def _read_kept(conn: Connection, lt: Table, running, point: date, kept: Verdicts, i: int):
    """Count on the verdicts kept at ``point`` for the ``running`` tasks: how many were red, and which are left to judge."""
    if not kept.usable(point):
        return 0, running
    v = T.xun_verdict
    here = and_(v.c.checkpoint == point, v.c.rules_key == kept.key)
    found = conn.execute(update(lt).where(running, lt.c.id.in_(select(v.c.task_id).where(here, v.c.red)))
                         .values(streak=i + 1)).rowcount
    return found, and_(running, lt.c.id.not_in(select(v.c.task_id).where(here)))


def _overdue_throughout(conn: Connection, points: list[date]) -> int:
    """Count the checkpoints a red task was overdue at without judging it there, where nothing can differ.

    A task entered before the oldest of ``points`` whose status, start,
    deadline, target and milestones have not changed since was, at every
    checkpoint, chased as it is now and had the deadline it has now: so it was
    red (逾期) at each checkpoint after that deadline, whatever its reports
    said. Its streak starts from that count, and the loop judges it only at
    the checkpoint before. At 100,000 tasks half the red tasks are such, most
    overdue across the whole ladder. Returns the highest count given.
    """
    if not points:
        return 0
    lt, j, c = ladder_tasks, judged, T.task_change
    oldest = cutoff(points[-1])
    touched = select(c.c.task_id).where(c.c.field.in_(("status", *EDITED_FIELDS)), c.c.changed_at >= oldest)
    stable = select(j.c.id).where(j.c.light == RED, j.c.deadline.is_not(None), j.c.deadline < points[0],
                                  j.c.created_at < oldest, j.c.id.not_in(touched))
    # points are latest first: those after the deadline come first, and there are this many
    after = sum((case((j.c.deadline < point, 1), else_=0) for point in points), literal(0))
    conn.execute(update(lt).where(lt.c.id.in_(stable))
                 .values(streak=select(after).where(j.c.id == lt.c.id).scalar_subquery()))
    return conn.execute(select(func.coalesce(func.max(lt.c.streak), 0))).scalar()


def _settled(d: Dialect) -> select:
    """Each task in :data:`chosen_ids` with the last day on which anything the ledger knew about it changed.

    The latest report date or recording day (China time) among its entries,
    the day an import batch holding one was undone, the day of its last status
    or date edit, the day it was entered: on any day from then on the task
    stood as on the day judged. Run with the parameters of the report's day.
    Only the tasks a checkpoint judges need it, not every red task: a weekly
    report reads most verdicts kept (services.verdicts).
    """
    p, b, c, j = T.progress, T.import_batch, T.task_change, judged
    ids = select(chosen_ids.c.id)
    entries = (select(p.c.task_id, func.max(p.c.report_date).label("reported"),
                      func.max(p.c.recorded_at).label("recorded"),
                      func.max(case((b.c.undone_at < CUT, b.c.undone_at))).label("undone"))
               .outerjoin(b, b.c.id == p.c.batch_id)
               .where(p.c.task_id.in_(ids), p.c.report_date <= DAY, p.c.recorded_at < CUT)
               .group_by(p.c.task_id).subquery("entries"))
    changes = (select(c.c.task_id, func.max(c.c.changed_at).label("changed"))
               .where(c.c.task_id.in_(ids), c.c.field.in_(("status", *EDITED_FIELDS)), c.c.changed_at < CUT)
               .group_by(c.c.task_id).subquery("changes"))
    entered = d.local_day(j.c.created_at)
    # Each part falls back on the day the task was entered, so that a missing one never hides the others.
    days = [func.coalesce(x, entered) for x in (entries.c.reported, d.local_day(entries.c.recorded),
                                                 d.local_day(entries.c.undone), d.local_day(changes.c.changed))]
    return (select(j.c.id, type_coerce(d.greatest(entered, *days), Date).label("settled"))
            .select_from(j.outerjoin(entries, entries.c.task_id == j.c.id)
                         .outerjoin(changes, changes.c.task_id == j.c.id))
            .where(j.c.id.in_(ids)))
