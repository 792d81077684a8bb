"""单位排名 (季度考核、通报) counted and ranked in SQL over the judged tasks.

A province's ledger has tens of thousands of lead units; reading every unit's
reported 旬 into Python to count and sort them took seconds. Here each unit's
counts land in a temporary table, the ranking is a window function over it,
and only the lines a report prints (the best and the worst, every marked unit)
come back to Python.

:func:`sixbao_cli.evaluate.rank_units` stays the reference for the order and
the marks; tests/test_ranking.py holds the two equal on SQLite and PostgreSQL.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.evaluate import DONE_STATUSES, INTERVIEW, PRAISE, RED, UnitStats
from sixbao_cli.rules import Rules
from sixbao_cli.services import described, judging
from sixbao_cli.services.asof import cutoff
from sixbao_cli.services.kept_facts import KeptFacts
from sixbao_cli.services.progress_query import counted
from sixbao_cli.xun import xuns_between


@dataclass(frozen=True)
class UnitLine(UnitStats):
    """A unit in the ranking: as lead (ranked, its counts those of :class:`UnitStats`) and as support
    (listed, never ranked)."""

    report_rate: float | None
    rank: int | None
    mark: str | None  # 通报表扬 | 约谈
    tasks_supported: int
    support_reports: int


_meta = MetaData()
# One row per unit leading or supporting a judged task: what the ranking counts.
units = Table(
    "sixbao_units", _meta,
    Column("id", Integer, primary_key=True), Column("name", String),
    Column("tasks", Integer), Column("on_time", Integer), Column("overdue", Integer), Column("red", Integer),
    Column("reported", Integer), Column("due", Integer),
    Column("supported", Integer), Column("support_reports", Integer),
    prefixes=["TEMPORARY"],
)
# Per unit, role and 旬 of the ranking period: how many reports the unit filed on the tasks it leads or supports.
unit_xun = Table(
    "sixbao_unit_xun", _meta,
    Column("unit_id", Integer, primary_key=True), Column("role", String, primary_key=True),
    Column("xun", Integer, primary_key=True), Column("n", Integer),
    prefixes=["TEMPORARY"],
)
# Per lead unit, the 旬 of the period (numbered as xun.Xun.number) during which it led a task under way, as
# bits: bit k of ``mask`` is 旬 ``chunk`` + k, one row per unit and :data:`BITS` 旬 (a quarter needs one row).
unit_owed = Table(
    "sixbao_unit_owed", _meta,
    Column("unit_id", Integer, primary_key=True), Column("chunk", Integer, primary_key=True),
    Column("mask", BigInteger), Column("n", Integer),
    prefixes=["TEMPORARY"],
)
BITS = 60  # 旬 per mask: both databases' integers hold 63 bits and a sign; a quarter has 9 旬, a year 36

# The judged tasks' units as they stood on the report's day, when some were replaced since (else task_unit itself).
roles_then = Table(
    "sixbao_roles", _meta,
    Column("task_id", Integer, primary_key=True), Column("unit_id", Integer, primary_key=True),
    Column("role", String),
    prefixes=["TEMPORARY"],
)
# When a task changed hands within the period: which unit held it in which role over which 旬 (numbered as
# xun.Xun.number, clamped to the period), one row per unit and stretch.
tenure = Table(
    "sixbao_tenure", _meta,
    Column("task_id", Integer, primary_key=True), Column("unit_id", Integer, primary_key=True),
    Column("first_x", Integer, primary_key=True), Column("last_x", Integer), Column("role", String),
    prefixes=["TEMPORARY"],
)


def unit_lines(conn: Connection, as_of: date, since: date, rules: Rules, *, marks: bool = True,
               limit: int | None = None, facts: KeptFacts | None = None) -> tuple[list[UnitLine], dict[str, int]]:
    """季度考核: each lead unit's tasks and 按时报送率 over the 旬 from ``since``'s to ``as_of``, ranked; support units listed.

    Counted over the judged tasks (:data:`judging.judged`). ``marks`` False
    leaves out 通报表扬 and 约谈. A lead unit owes one report per 旬
    (“各牵头单位每旬调度汇总进展情况”) for every 旬 that has ended by ``as_of``
    while it led a task under way — from the 旬 a task started in to the one it
    was done in (or the last ended, while not done), over all its tasks, so a
    stretch between one task done and the next begun owes nothing. A 旬
    counts as reported when it falls due and the unit filed at least one report
    dated in it on a task it leads. A task handed to another unit within the
    period is owed, each 旬, by the unit leading it when that 旬 ended: the
    one that gave it up answers for the 旬 before, the one that took it over
    for the rest (see :func:`_tenure`); its tasks and how they stand count for
    the units leading it on ``as_of``.

    Returns the lines and how many lead and support-only units there are.
    With ``limit``, at most ``limit`` lead units are returned (the best half and
    the worst half, and every marked unit) and the ``limit`` support-only
    units supporting most; lead units come in rank order, support-only units by name.

    With ``facts`` (services.kept_facts), the reports per unit of each ended
    旬 kept by an earlier report are read where they still hold, and when
    every task was judged those counted are left in :data:`unit_xun` to keep
    (``facts.xuns``; services.keeping drops the tables after).
    """
    _create(conn)
    _count(conn, as_of, since, _roles(conn, as_of), facts)
    judging.analyze(conn, units)
    lines, counts = _ranked(conn, rules, marks, limit)
    if facts is None or facts.xuns is None:
        drop(conn)
    return lines, counts


def _create(conn: Connection) -> None:
    drop(conn)
    _meta.create_all(conn, checkfirst=False)


def drop(conn: Connection) -> None:
    """Drop the ranking's temporary tables (left for keeping by :func:`unit_lines`, services.keeping)."""
    _meta.drop_all(conn, checkfirst=True)


def _roles(conn: Connection, as_of: date) -> Table:
    """The table of the tasks' units on ``as_of``: task_unit, or :data:`roles_then` when some were replaced since.

    A unit ranks for the tasks it led on the day the ranking is as of: one
    that took a task over later is not charged with its earlier 旬.
    """
    cut = cutoff(as_of)
    h = T.task_unit_history
    if not conn.execute(select(h.c.id).where(h.c.replaced_at >= cut).limit(1)).first():
        return T.task_unit
    conn.execute(insert(roles_then).from_select(["task_id", "unit_id", "role"], described.roles_then(cut)))
    judging.analyze(conn, roles_then)
    return roles_then


def _tenure(conn: Connection, d: judging.Dialect, tu: Table, xuns: list, cut) -> Table:
    """The judged tasks' units over the period's 旬 ``xuns``: ``tu`` itself, or :data:`tenure` filled.

    A 旬 is owed, on a task, by the units it had when the 旬 ended — what its
    first replacement after that moment replaced, or ``tu`` (its units on the
    report's day) when there was none before ``cut``. A replacement at moment
    r ends the replaced units' stretch with the 旬 before the one r falls in,
    and starts the next units' stretch with that 旬. When no task of the
    ledger changed hands after the period's first 旬 ended, every stretch
    spans the period and ``tu`` is returned as it is.
    """
    h, j = T.task_unit_history, judging.judged
    lo_x, hi_x = xuns[0].number, xuns[-1].number
    inside = and_(h.c.replaced_at >= cutoff(xuns[0].end), h.c.replaced_at < cut)
    if not conn.execute(select(h.c.id).where(inside).limit(1)).first():
        return tu
    handed = select(h.c.task_id).where(inside).where(h.c.task_id.in_(select(j.c.id))).distinct().subquery("handed")

    def x_of(moment):
        return d.xun_number(d.local_day(moment))

    def clamp(lo, hi):
        return [case((lo > lo_x, lo), else_=lo_x).label("first_x"), case((hi < hi_x, hi), else_=hi_x).label("last_x")]

    # The units on the report's day, from the 旬 of the last replacement before it.
    last = (select(h.c.task_id, func.max(h.c.replaced_at).label("r")).where(h.c.replaced_at < cut)
            .group_by(h.c.task_id).subquery("last_replaced"))
    now = (select(tu.c.task_id, tu.c.unit_id, tu.c.role, *clamp(x_of(last.c.r), literal(hi_x)))
           .join(last, last.c.task_id == tu.c.task_id).where(tu.c.task_id.in_(select(handed.c.task_id))))
    # The units each replacement in the period replaced, from the 旬 of the one before it.
    h2 = h.alias("before")
    previous = (select(func.max(h2.c.replaced_at)).where(h2.c.task_id == h.c.task_id, h2.c.replaced_at < h.c.replaced_at)
                .correlate_except(h2).scalar_subquery())
    then = (select(h.c.task_id, h.c.unit_id, h.c.role,
                   *clamp(func.coalesce(x_of(previous), lo_x), x_of(h.c.replaced_at) - 1))
            .where(inside, h.c.unit_id.is_not(None), h.c.task_id.in_(select(handed.c.task_id))))
    # The tasks never handed over in the period hold their units throughout.
    kept = (select(tu.c.task_id, tu.c.unit_id, tu.c.role, literal(lo_x).label("first_x"), literal(hi_x).label("last_x"))
            .where(tu.c.task_id.in_(select(j.c.id)), tu.c.task_id.not_in(select(handed.c.task_id))))
    stretches = now.union_all(then).subquery("stretches")
    columns = ["task_id", "unit_id", "role", "first_x", "last_x"]
    conn.execute(insert(tenure).from_select(columns, kept))
    conn.execute(insert(tenure).from_select(
        columns, select(*(stretches.c[c] for c in columns)).where(stretches.c.first_x <= stretches.c.last_x)))
    judging.analyze(conn, tenure)
    return tenure


def _count(conn: Connection, as_of: date, since: date, tu: Table, facts: KeptFacts | None) -> None:
    """Fill :data:`units`: each unit's led tasks and their standing, its 旬 due and reported, its support.

    ``tu`` holds the tasks' units (task_id, unit_id, role) as they stood on ``as_of``.
    """
    j, u, p = judging.judged, T.unit, T.progress
    d = judging.Dialect(conn.dialect.name)
    done = j.c.status.in_(DONE_STATUSES)
    on_time = and_(done, j.c.done_on.is_not(None), or_(j.c.deadline.is_(None), j.c.done_on <= j.c.deadline))

    def count(cond):
        return func.sum(case((cond, 1), else_=0))

    # One pass over the judged tasks' units: as lead, the tasks and how they stand; as support, how many.
    lead = tu.c.role == "lead"
    per_unit = (select(tu.c.unit_id, count(lead).label("tasks"), count(and_(lead, on_time)).label("on_time"),
                       count(and_(lead, j.c.overdue == 1)).label("overdue"), count(and_(lead, j.c.light == RED)).label("red"),
                       count(tu.c.role == "support").label("supported"))
                .join(j, j.c.id == tu.c.task_id).group_by(tu.c.unit_id).subquery("per_unit"))
    pu, ux = per_unit.c, unit_xun.c
    due = reported = support_reports = literal(0)
    xuns = [x for x in xuns_between(since, as_of) if x.end <= as_of]  # the 旬 ended by as_of
    if xuns:  # else no 旬 has ended in the period: nothing due, nothing to count
        cut = cutoff(as_of)
        # One pass over the period's reports, grouped by unit, role and 旬: which 旬 each lead
        # unit reported in, and how many reports each unit filed as support.
        x = d.xun_number(p.c.report_date)
        held = _tenure(conn, d, tu, xuns, cut)
        # Every task judged: the counts can be kept, and those kept by an earlier report read for the 旬
        # in which nothing was recorded since (services.kept_facts says when they hold).
        keeping = facts is not None and facts.judged
        holding = facts.xuns_holding(conn, xuns) if keeping else set()
        fresh = [xun for xun in xuns if xun.number not in holding]
        if holding:
            k = T.kept_unit_xun
            conn.execute(insert(unit_xun).from_select(["unit_id", "role", "xun", "n"], select(
                k.c.unit_id, k.c.role, k.c.xun, k.c.n).where(k.c.xun.in_(sorted(holding)))))
        if keeping:
            facts.xuns = (xuns[0].number, xuns[-1].number)
            facts.xuns_counted = frozenset(xun.number for xun in fresh)
        if fresh:
            # (the 旬 ``since`` falls in is owed whole: its reports all count)
            in_period = and_(or_(*(p.c.report_date.between(a, b) for a, b in _runs(fresh))),
                             p.c.recorded_at < cut, counted(p, cut))

            def during(roles):  # a report counts in the role its unit held on the task when the report's 旬 ended
                return and_(x >= roles.c.first_x, x <= roles.c.last_x) if held is tenure else true()

            if d.pg:
                # The judged tasks' units hashed once and the period's reports joined to them: PostgreSQL
                # misjudges the two-column join and probes the judged table once per report instead.
                stretch = [held.c.first_x, held.c.last_x] if held is tenure else []
                roles = d.fence(select(held.c.task_id, held.c.unit_id, held.c.role, *stretch)
                                .join(j, j.c.id == held.c.task_id)).subquery()
                by_unit = (select(p.c.unit_id, roles.c.role.label("role"), x, func.count())
                           .join(roles, and_(roles.c.task_id == p.c.task_id, roles.c.unit_id == p.c.unit_id))
                           .where(in_period, during(roles)).group_by(p.c.unit_id, roles.c.role, x))
            else:
                by_unit = (select(p.c.unit_id, held.c.role, x, func.count())
                           .join(held, and_(held.c.task_id == p.c.task_id, held.c.unit_id == p.c.unit_id))
                           .where(in_period, during(held), p.c.task_id.in_(select(j.c.id)))
                           .group_by(p.c.unit_id, held.c.role, x))
            conn.execute(insert(unit_xun).from_select(["unit_id", "role", "xun", "n"], by_unit))
        judging.analyze(conn, unit_xun)
        _owed(conn, d, held, xuns[0].number, xuns[-1].number)
        ow = unit_owed.c
        due = func.coalesce(select(func.sum(ow.n)).where(ow.unit_id == pu.unit_id).scalar_subquery(), 0)
        # a lead report's 旬 counts when it is one the unit owed: its bit is set in the unit's mask
        reported = (select(func.count())
                    .select_from(unit_xun.join(unit_owed, and_(ow.unit_id == ux.unit_id, ux.xun >= ow.chunk,
                                                               ux.xun < ow.chunk + BITS)))
                    .where(ux.unit_id == pu.unit_id, ux.role == "lead",
                           ow.mask.op(">>")(ux.xun - ow.chunk).op("&")(1) == 1)
                    .scalar_subquery())
        support_reports = func.coalesce(select(func.sum(ux.n)).where(ux.unit_id == pu.unit_id, ux.role == "support")
                                        .scalar_subquery(), 0)
    # Inserted whole rather than updated after: on PostgreSQL an UPDATE writes every row again.
    conn.execute(insert(units).from_select(
        ["id", "name", "tasks", "on_time", "overdue", "red", "reported", "due", "supported", "support_reports"],
        select(pu.unit_id, u.c.name, pu.tasks, pu.on_time, pu.overdue, pu.red, reported, due, pu.supported,
               support_reports)
        .join(u, u.c.id == pu.unit_id)))


def _runs(xuns: list) -> list[tuple[date, date]]:
    """The first and last days of each run of consecutive 旬 among ``xuns`` (in order)."""
    runs: list[list] = []
    for xun in xuns:
        if runs and runs[-1][1].number + 1 == xun.number:
            runs[-1][1] = xun
        else:
            runs.append([xun, xun])
    return [(a.start, b.end) for a, b in runs]


def _owed(conn: Connection, d: judging.Dialect, tu: Table, lo_x: int, hi_x: int) -> None:
    """Fill :data:`unit_owed`: the 旬 from ``lo_x`` to ``hi_x`` in which each lead unit had a task under way.

    ``tu`` holds the tasks' units: the roles on the report's day, or
    :data:`tenure` (each unit's stretch of a task handed over in the period).

    A task is under way from the 旬 it started in to the one it was done in
    (the last, ``hi_x``, while it is not). Each task's 旬 are a run of bits,
    a unit's are the bitwise OR of its tasks' (``bit_or``; SQLite has no such
    aggregate, so the largest of each bit, added up), and the 旬 due are the
    bits set: each 旬 once however many tasks run through it. One pass over
    the tasks in unit order, where sorting them into runs of 旬 with two
    window functions took 0.5-0.9 s at 100,000 tasks.
    """
    j = judging.judged
    done = and_(j.c.status.in_(DONE_STATUSES), j.c.done_on.is_not(None))
    first, last = d.xun_number(j.c.start), case((done, d.xun_number(j.c.done_on)), else_=hi_x)
    if tu is tenure:  # the stretch the unit held the task (already within lo_x to hi_x)
        lo, hi = tu.c.first_x, tu.c.last_x
    else:
        lo, hi = literal(lo_x), literal(hi_x)
    tasks = d.fence(select(tu.c.unit_id, d.greatest(first, lo).label("fx"), d.least(last, hi).label("lx"))
                    .join(j, j.c.id == tu.c.task_id).where(tu.c.role == "lead")).subquery("tasks")
    one = cast(literal(1), BigInteger)
    for chunk in range(lo_x, hi_x + 1, BITS):
        width = min(BITS, hi_x - chunk + 1)
        f = d.greatest(tasks.c.fx, chunk) - chunk
        l = d.least(tasks.c.lx, chunk + width - 1) - chunk  # noqa: E741 (the last bit, beside f the first)
        runs = d.fence(select(tasks.c.unit_id, (one.op("<<")(l + 1) - one.op("<<")(f)).label("m"))
                       .where(l >= f)).subquery("runs")
        if d.pg:
            mask = func.bit_or(runs.c.m)
        else:
            mask = reduce(operator.add, (func.max(runs.c.m.op("&")(1 << k)) for k in range(width)))
        masks = select(runs.c.unit_id, mask.label("mask")).group_by(runs.c.unit_id).subquery("masks")
        bits = reduce(operator.add, (masks.c.mask.op(">>")(k).op("&")(1) for k in range(width)))
        conn.execute(insert(unit_owed).from_select(
            ["unit_id", "chunk", "mask", "n"], select(masks.c.unit_id, literal(chunk), masks.c.mask, bits)))
    judging.analyze(conn, unit_owed)


def _ranked(conn: Connection, rules: Rules, marks: bool, limit: int | None
            ) -> tuple[list[UnitLine], dict[str, int]]:
    """Rank the lead units of :data:`units` as :func:`evaluate.rank_units` does and read back the lines to print."""
    d = judging.Dialect(conn.dialect.name)
    un = units.c
    ranked = un.due > 0

    def share(part, whole):
        # Correctly rounded float division on both databases, as evaluate._share divides in Python,
        # so that equal shares (1/3, 2/6) are equal here too. Unranked units (no 旬 due) stand
        # nowhere: NULL, so that they go by name alone.
        return case((ranked, cast(part, Float) / func.nullif(whole, 0)), else_=null())

    # The shares worked out once a unit, in a subquery of their own: the windows below sort and partition by them.
    shares = d.fence(select(un.id, un.name, un.tasks, un.on_time, un.overdue, un.red, un.reported, un.due,
                            un.supported, un.support_reports, case((ranked, 0), else_=1).label("grp"),
                            share(un.red, un.tasks).label("red_share"),
                            share(un.overdue, un.tasks).label("overdue_share"),
                            share(un.reported, un.due).label("report_share"),
                            share(un.on_time, un.tasks).label("on_time_share"))
                     .where(un.tasks > 0)).subquery("shares")
    s = shares.c
    standing = [s.red_share, s.overdue_share, s.report_share.desc(), s.on_time_share.desc()]
    rank = func.rank().over(partition_by=s.grp, order_by=standing)
    # how many of its group stand strictly below a unit: its rank counted from the bottom, less one
    # (within a ranked group every share is a number, so the reversed order has no NULLs to place)
    behind = func.rank().over(partition_by=s.grp, order_by=[s.red_share.desc(), s.overdue_share.desc(),
                                                            s.report_share, s.on_time_share]) - 1
    position = func.row_number().over(order_by=[s.grp, *standing, d.bytewise(s.name)])
    lead = d.fence(select(s.id, s.name, s.tasks, s.on_time, s.overdue, s.red, s.reported, s.due, s.supported,
                          s.support_reports, s.grp, rank.label("rank"), behind.label("behind"),
                          position.label("position"))).subquery("lead")
    clean = and_(lead.c.red == 0, lead.c.overdue == 0, lead.c.reported >= lead.c.due)
    mark = case((lead.c.grp == 1, null()),
                (and_(clean, lead.c.rank - 1 < rules.rank_top), PRAISE),
                (and_(~clean, lead.c.behind < rules.rank_bottom), INTERVIEW), else_=null())
    if not marks:
        mark = null()
    n_lead = conn.execute(select(func.count()).where(un.tasks > 0)).scalar()
    n_support = conn.execute(select(func.count()).where(un.tasks == 0)).scalar()
    query = select(lead, mark.label("mark")).order_by(lead.c.position)
    if limit and n_lead > limit:
        head, tail = (limit + 1) // 2, limit // 2
        marked = select(lead, mark.label("mark")).subquery("marked")
        query = (select(marked).where(or_(marked.c.position <= head, marked.c.position > n_lead - tail,
                                          marked.c.mark.is_not(None)))
                 .order_by(marked.c.position))
    lines = []
    for r in conn.execute(query).all():
        is_ranked = r.grp == 0
        lines.append(UnitLine(r.name, r.tasks, r.on_time, r.overdue, r.red, r.reported, r.due,
                              round(r.reported / r.due * 100, 1) if is_ranked else None,
                              r.rank if is_ranked else None, r.mark, r.supported, r.support_reports))
    support = select(un.name, un.supported, un.support_reports).where(un.tasks == 0)
    if limit and n_support > limit:
        support = support.order_by(un.supported.desc(), d.bytewise(un.name)).limit(limit).subquery("top")
        support = select(support)
    rows = sorted(conn.execute(support).all(), key=lambda r: r.name)
    lines.extend(UnitLine(r.name, 0, 0, 0, 0, 0, 0, None, None, None, r.supported, r.support_reports)
                 for r in rows)
    return lines, {"units": n_lead, "support_units": n_support}
