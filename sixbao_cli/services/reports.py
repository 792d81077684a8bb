"""The supervision reports' data: every judged task as of a date, the ladder, the unit ranking, the 周报.

Gathers from the ledger (through :mod:`sixbao_cli.services.asof`) and judges
with :mod:`sixbao_cli.evaluate`; knows nothing of how a report is printed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Connection

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.errors import InvalidInput, NotFound
from sixbao_cli.evaluate import (
    DUE_SOON,
    NOT_STARTED,
    OVERDUE,
    RED,
    SLOW,
    STALE,
    YELLOW,
    Evaluation,
    UnitStats,
    evaluate,
    is_done,
    is_red,
    rank_units,
)
from sixbao_cli.messages import t
from sixbao_cli.rules import Rules
from sixbao_cli.services.asof import History, Known, cutoff, judged_tasks, last_changes, load_facts
from sixbao_cli.services.progress_query import counted
from sixbao_cli.xun import Xun, checkpoints

WEEK, XUN, QUARTER = "week", "xun", "quarter"
_LIGHTS = ("red", "yellow", "green")


@dataclass(frozen=True)
class ReportFilter:
    """What a report narrows to: a category, a unit (leading or supporting), a 责任领导, a document."""

    category: str | None = None
    unit: str | None = None
    leader: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class Period:
    """The span a report covers: a week or a 旬 ending on the as-of date, or a quarter up to it."""

    kind: str  # week | xun | quarter
    start: date
    end: date
    number: int  # the issue number: 第N期


@dataclass
class Item:
    """One judged task as a report lists it."""

    code: str
    title: str
    category: str
    document: str | None
    lead_units: list[str]
    support_units: list[str]
    leaders: list[str]
    start: date
    deadline: date | None
    percent: float | None
    expected_percent: float | None
    behind: float | None
    flags: list[str]
    light: str
    notice: str | None
    step: str | None
    streak: int
    fix_by: date | None
    last_report: date | None
    last_problem: str | None


@dataclass
class CategoryLights:
    """One of the six (or another category): its judged tasks and their lights."""

    category: str
    tasks: int
    done: int
    red: int
    yellow: int
    green: int


@dataclass
class Totals:
    """Counts over every judged task."""

    tasks: int = 0
    done: int = 0
    suspended: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    overdue: int = 0
    due_soon: int = 0
    slow: int = 0
    stale: int = 0
    not_started: int = 0
    reported: int = 0  # judged tasks with a report dated in the period


@dataclass
class UnitLine:
    """A unit in the ranking: as lead (ranked) and as support (listed, never ranked)."""

    unit: str
    tasks_led: int
    done_on_time: int
    overdue: int
    red: int
    xun_reported: int
    xun_total: int
    report_rate: float | None
    rank: int | None
    mark: str | None  # 通报表扬 | 约谈
    tasks_supported: int
    support_reports: int


@dataclass
class Report:
    """A supervision report: what was judged, as of when, over which period, and what it found."""

    kind: str  # weekly | overdue | slow | stale | units
    as_of: date
    period: Period
    ranking_since: date
    scope: dict[str, str]
    totals: Totals
    by_category: list[CategoryLights]
    items: list[Item]
    units: list[UnitLine]
    rules: Rules
    requirements: list[str] = field(default_factory=list)


# --- filters ---------------------------------------------------------------------------------


def filter_conditions(conn: Connection, flt: ReportFilter) -> tuple[list, dict[str, str]]:
    """The WHERE conditions for ``flt`` and the scope as words, or a clear error for a name the ledger lacks."""
    task = T.task
    conditions, scope = [], {}
    for option, value in (("--category", flt.category), ("--unit", flt.unit), ("--leader", flt.leader),
                          ("--doc", flt.document)):
        if value is not None and not value.strip():
            raise InvalidInput("report.blank_filter", option=option)
    if flt.category:
        name = categories.canonical(flt.category)
        if not conn.execute(select(task.c.id).where(task.c.category == name).limit(1)).first():
            known = sorted(conn.execute(select(task.c.category).distinct()).scalars().all())
            raise NotFound("report.unknown_category", name=flt.category,
                           known=t("sep.list").join(known) or t("report.none"))
        conditions.append(task.c.category == name)
        scope["category"] = name
    if flt.unit:
        from sixbao_cli.services.units import resolve_unit, unit_name

        uid = resolve_unit(conn, flt.unit)
        conditions.append(exists().where(T.task_unit.c.task_id == task.c.id, T.task_unit.c.unit_id == uid))
        scope["unit"] = unit_name(conn, uid)
    if flt.leader:
        leader = flt.leader.strip()
        if not conn.execute(select(T.task_leader.c.name).where(T.task_leader.c.name == leader).limit(1)).first():
            near = conn.execute(select(T.task_leader.c.name).distinct()
                                .where(T.task_leader.c.name.contains(leader[:1], autoescape=True))
                                .order_by(T.task_leader.c.name).limit(8)).scalars().all()
            hint = t("report.leader_suggest", names=t("sep.list").join(near)) if near else t("report.leader_hint")
            raise NotFound("report.unknown_leader", name=flt.leader, hint=hint)
        conditions.append(exists().where(T.task_leader.c.task_id == task.c.id, T.task_leader.c.name == leader))
        scope["leader"] = leader
    if flt.document:
        doc_id, title = find_document(conn, flt.document)
        conditions.append(task.c.document_id == doc_id)
        scope["document"] = title
    return conditions, scope


def find_document(conn: Connection, text: str) -> tuple[int, str]:
    """A document by its number in the ledger, its 文号, or a piece of its title that names just one."""
    d = T.document
    key = text.strip()
    rows = []
    if key.isdigit():
        rows = conn.execute(select(d.c.id, d.c.title).where(d.c.id == int(key))).all()
    if not rows:
        rows = conn.execute(select(d.c.id, d.c.title).where(d.c.doc_number == key)).all()
    if not rows:
        rows = conn.execute(select(d.c.id, d.c.title).where(d.c.title.contains(key, autoescape=True))
                            .order_by(d.c.id).limit(10)).all()
    if len(rows) == 1:
        return rows[0].id, rows[0].title
    if not rows:
        raise NotFound("report.unknown_document", name=text)
    raise InvalidInput("report.ambiguous_document", name=text,
                       titles=t("sep.list").join(f"{r.id} {r.title}" for r in rows))


# --- periods -------------------------------------------------------------------------------


def period_for(conn: Connection, kind: str, as_of: date, number: int | None = None) -> Period:
    """The week (7 days) or the 旬 (from its first day) ending on ``as_of``, numbered from the ledger's first task.

    The issue number counts weeks or 旬 from the earliest start date among the
    tasks the ledger held on ``as_of`` (all of them, whatever the filters), so 第N期 is the same for every
    office's slice of the same week, and rebuilding a past week gives its number.
    """
    if kind == XUN:
        start = Xun.of(as_of).start
    elif kind == QUARTER:
        start = quarter_start(as_of)
    else:
        start = as_of - timedelta(days=6)
    if number is None:
        first = conn.execute(select(func.min(T.task.c.start_date))
                             .where(T.task.c.created_at < cutoff(as_of))).scalar() or as_of
        first = min(first, as_of)
        if kind == XUN:
            a, b = Xun.of(first), Xun.of(as_of)
            number = (b.start.year - a.start.year) * 36 + (b.start.month - a.start.month) * 3 + b.part - a.part + 1
        elif kind == QUARTER:
            number = (as_of.year - first.year) * 4 + (as_of.month - 1) // 3 - (first.month - 1) // 3 + 1
        else:
            number = (as_of - first).days // 7 + 1
    return Period(kind, start, as_of, number)


def quarter_start(day: date) -> date:
    """The first day of ``day``'s quarter (季度考核)."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# --- judging -------------------------------------------------------------------------------


@dataclass
class Judged:
    """A task judged as of the report date, with its streak of red 旬 checkpoints."""

    known: Known
    evaluation: Evaluation
    streak: int = 0
    step_index: int | None = None  # index into rules.ladder
    fix_by: date | None = None


def judge(conn: Connection, as_of: date, rules: Rules, conditions: list) -> list[Judged]:
    """Every judged task as of ``as_of``, with the ladder step of each red one.

    The streak counts back over the 旬 checkpoints up to ``as_of`` (the 10th,
    the 20th, the month end), judging each with what was known at it, and stops
    at the first checkpoint that was not red — or at the ladder's top rung,
    beyond which counting changes nothing. Only the tasks still red are looked
    up again at each earlier checkpoint, so the cost shrinks as it goes back.
    """
    history = History(conn)
    known = load_facts(conn, as_of, conditions=conditions, history=history)
    judged = [Judged(k, evaluate(k.facts, as_of, rules)) for k in known]
    reds = {j.known.id: j for j in judged if j.evaluation.light == RED}
    top = max(step.after for step in rules.ladder)
    points = checkpoints(as_of - timedelta(days=31 * (top // 3 + 2)), as_of)[::-1][:top]
    # A task that already existed at a checkpoint and whose reports, status and dates
    # have not changed since is judged there on the facts already loaded; only the
    # others are read back from the ledger (test_reports checks the two agree).
    changed = last_changes(conn, as_of, sorted(reds)) if reds else {}
    streak_dates: dict[int, list[date]] = defaultdict(list)
    still = set(reds)
    for point in points:
        if not still:
            break
        cut = cutoff(point)
        same = {tid for tid in still if changed.get(tid, date.min) <= point and reds[tid].known.created < cut
                and history.unchanged_since(tid, cut)}
        red_now = {tid for tid in same if is_red(reds[tid].known.facts, point, rules)}
        if still - same:
            red_now |= {k.id for k in load_facts(conn, point, ids=still - same, history=history)
                        if is_red(k.facts, point, rules)}
        for tid in red_now:
            streak_dates[tid].append(point)
        still = red_now
    for tid, j in reds.items():
        dates = streak_dates.get(tid, [])
        j.streak = len(dates)
        step = rules.step_for(j.streak)
        if step is not None:
            j.step_index = rules.ladder.index(step)
            if step.fix_days:
                reached = dates[j.streak - step.after]  # the checkpoint at which this rung was reached
                j.fix_by = reached + timedelta(days=step.fix_days)
    return judged


# --- details of the tasks a report lists -----------------------------------------------------------


def _names(conn: Connection, ids: list[int]) -> tuple[dict, dict, dict]:
    leads: dict[int, list[str]] = defaultdict(list)
    supports: dict[int, list[str]] = defaultdict(list)
    leaders: dict[int, list[str]] = defaultdict(list)
    tu, u, tl = T.task_unit, T.unit, T.task_leader
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for tid, role, name in conn.execute(
                select(tu.c.task_id, tu.c.role, u.c.name).join(u, u.c.id == tu.c.unit_id)
                .where(tu.c.task_id.in_(chunk)).order_by(tu.c.task_id, tu.c.position, u.c.name)):
            (leads if role == "lead" else supports)[tid].append(name)
        for tid, name in conn.execute(
                select(tl.c.task_id, tl.c.name).where(tl.c.task_id.in_(chunk)).order_by(tl.c.task_id, tl.c.position)):
            leaders[tid].append(name)
    return leads, supports, leaders


def _details(conn: Connection, ids: list[int], as_of: date) -> dict[int, tuple]:
    """Title, category, document and the last reported problem known on ``as_of``, per task."""
    task, d, p = T.task, T.document, T.progress
    cut = cutoff(as_of)
    later = p.alias("later")
    problem = (select(p.c.problems)
               .where(p.c.task_id == task.c.id, p.c.report_date <= as_of, p.c.recorded_at < cut, counted(p, cut),
                      p.c.problems.is_not(None), p.c.problems != "",
                      ~select(later.c.id).where(later.c.supersedes_id == p.c.id, later.c.recorded_at < cut).exists())
               .order_by(p.c.report_date.desc(), p.c.id.desc()).limit(1).scalar_subquery())
    out = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        for row in conn.execute(
                select(task.c.id, task.c.title, task.c.category, func.coalesce(d.c.doc_number, d.c.title).label("doc"),
                       problem.label("problem"))
                .outerjoin(d, d.c.id == task.c.document_id).where(task.c.id.in_(chunk))):
            out[row.id] = (row.title, row.category, row.doc, row.problem)
    return out


def _items(conn: Connection, judged: list[Judged], as_of: date, rules: Rules) -> list[Item]:
    ids = [j.known.id for j in judged]
    leads, supports, leaders = _names(conn, ids)
    details = _details(conn, ids, as_of)
    items = []
    for j in judged:
        tid, f, e = j.known.id, j.known.facts, j.evaluation
        title, category, doc, problem = details[tid]
        step = rules.ladder[j.step_index].action if j.step_index is not None else None
        items.append(Item(
            code=f.code, title=title, category=category, document=doc, lead_units=leads.get(tid, []),
            support_units=supports.get(tid, []), leaders=leaders.get(tid, []), start=f.start, deadline=f.deadline,
            percent=_round(e.actual), expected_percent=_round(e.expected), behind=_round(e.behind),
            flags=[flag for flag in (OVERDUE, DUE_SOON, SLOW, STALE, NOT_STARTED) if flag in e.flags],
            light=e.light, notice=e.notice, step=step, streak=j.streak, fix_by=j.fix_by,
            last_report=j.known.last_report, last_problem=problem,
        ))
    return items


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _severity(j: Judged) -> tuple:
    e = j.evaluation
    light_order = {RED: 0, YELLOW: 1}.get(e.light, 2)
    return (light_order, -(j.step_index if j.step_index is not None else -1), -(e.behind or 0.0), j.known.facts.code)


# --- totals -------------------------------------------------------------------------------


def _totals(judged: list[Judged], as_of: date, period: Period) -> tuple[Totals, dict[str, CategoryLights]]:
    totals = Totals()
    by_cat: dict[str, CategoryLights] = {}
    for j in judged:
        f, e = j.known.facts, j.evaluation
        totals.tasks += 1
        cat = by_cat.setdefault(j.known.category, CategoryLights(j.known.category, 0, 0, 0, 0, 0))
        cat.tasks += 1
        if is_done(f, as_of):
            totals.done += 1
            cat.done += 1
        elif f.status == "suspended":
            totals.suspended += 1
        if e.light in _LIGHTS:
            setattr(totals, e.light, getattr(totals, e.light) + 1)
            setattr(cat, e.light, getattr(cat, e.light) + 1)
        for flag in e.flags:
            setattr(totals, flag, getattr(totals, flag) + 1)
        if j.known.last_report is not None and period.start <= j.known.last_report <= period.end:
            totals.reported += 1
    return totals, by_cat


def _by_category(found: dict[str, CategoryLights]) -> list[CategoryLights]:
    order = {name: i for i, name in enumerate(categories.SIX)}
    six = [found.get(name, CategoryLights(name, 0, 0, 0, 0, 0)) for name in categories.SIX]
    others = sorted((c for name, c in found.items() if name not in order), key=lambda c: c.category)
    return six + others


# --- unit ranking -------------------------------------------------------------------------------


def unit_lines(conn: Connection, judged: list[Judged], as_of: date, since: date, rules: Rules,
               ids_query, *, marks: bool = True) -> list[UnitLine]:
    """季度考核: each lead unit's tasks and 按时报送率 from ``since`` to ``as_of``, ranked; support units listed.

    ``marks`` False leaves out 通报表扬 and 约谈. A lead unit owes one report per 旬 (“各牵头单位每旬调度汇总进展情况”) for
    every 旬 that has ended by ``as_of`` while it led a task under way — from the
    first start date of its tasks to the day the last was done. A 旬 counts as
    reported when it filed at least one report dated in it on a task it leads.
    """
    tu, u = T.task_unit, T.unit
    by_id = {j.known.id: j for j in judged}
    led: dict[int, list[Judged]] = defaultdict(list)
    for tid, uid in conn.execute(select(tu.c.task_id, tu.c.unit_id).where(tu.c.role == "lead",
                                                                         tu.c.task_id.in_(ids_query))):
        if tid in by_id:
            led[uid].append(by_id[tid])
    # Support units are only counted, so SQL counts them.
    supported: dict[int, int] = dict(conn.execute(
        select(tu.c.unit_id, func.count()).where(tu.c.role == "support", tu.c.task_id.in_(ids_query))
        .group_by(tu.c.unit_id)).all())
    xuns = [x for x in _xuns(since, as_of) if x.end <= as_of]
    reported, support_reports = _reports_by_unit(conn, xuns, since, as_of, ids_query)
    names = dict(conn.execute(select(u.c.id, u.c.name).where(
        u.c.id.in_(select(tu.c.unit_id).where(tu.c.task_id.in_(ids_query))))).all())
    stats, extra = [], {}
    for uid in set(led) | set(supported):
        tasks = led.get(uid, [])
        due = _xuns_due(tasks, xuns, as_of)
        stats.append(UnitStats(
            unit=names[uid], tasks_led=len(tasks),
            done_on_time=sum(1 for j in tasks if _done_on_time(j, as_of)),
            overdue=sum(1 for j in tasks if OVERDUE in j.evaluation.flags),
            red=sum(1 for j in tasks if j.evaluation.light == RED),
            xun_reported=len(due & reported.get(uid, set())), xun_total=len(due),
        ))
        extra[names[uid]] = (supported.get(uid, 0), support_reports.get(uid, 0))
    lines = []
    for r in rank_units([s for s in stats if s.tasks_led], rules):
        lines.append(_line(r.stats, r.rate, r.rank, r.mark if marks else None, extra))
    for s in sorted((s for s in stats if not s.tasks_led), key=lambda s: s.unit):
        lines.append(_line(s, None, None, None, extra))
    return lines


def _line(s: UnitStats, rate, rank, mark, extra) -> UnitLine:
    sup, sup_reports = extra[s.unit]
    return UnitLine(s.unit, s.tasks_led, s.done_on_time, s.overdue, s.red, s.xun_reported, s.xun_total,
                    None if rate is None else round(rate * 100, 1), rank, mark, sup, sup_reports)


def _xuns(since: date, as_of: date) -> list[Xun]:
    out, x = [], Xun.of(since)
    while x.start <= as_of:
        out.append(x)
        x = x.next()
    return out


def _xuns_due(tasks: list[Judged], xuns: list[Xun], as_of: date) -> set[int]:
    if not tasks or not xuns:
        return set()
    first = min(j.known.facts.start for j in tasks)
    last = max((j.known.facts.done_on or as_of) if is_done(j.known.facts, as_of) else as_of for j in tasks)
    return {i for i, x in enumerate(xuns) if x.end >= first and x.start <= last}


def _done_on_time(j: Judged, as_of: date) -> bool:
    f = j.known.facts
    return (is_done(f, as_of) and f.done_on is not None
            and (f.deadline is None or f.done_on <= f.deadline))


def _reports_by_unit(conn: Connection, xuns: list[Xun], since: date, as_of: date,
                     ids_query) -> tuple[dict[int, set[int]], dict[int, int]]:
    """Which 旬 (by index) each unit reported in on tasks it leads, and how many reports it filed as support."""
    if not xuns:
        return {}, {}
    p, tu = T.progress, T.task_unit
    cut = cutoff(as_of)
    index = {}
    for i, x in enumerate(xuns):
        day = x.start
        while day <= x.end:
            index[day] = i
            day += timedelta(days=1)
    lo, hi = max(since, xuns[0].start), xuns[-1].end
    # Grouped by day in SQL, then each day mapped to its 旬 here: any period length
    # works, where one compound SELECT term per 旬 would hit SQLite's limit of 500.
    by_day = (select(p.c.unit_id, tu.c.role, p.c.report_date, func.count().label("n"))
              .join(tu, and_(tu.c.task_id == p.c.task_id, tu.c.unit_id == p.c.unit_id))
              .where(p.c.report_date >= lo, p.c.report_date <= hi, p.c.recorded_at < cut, counted(p, cut),
                     p.c.task_id.in_(ids_query))
              .group_by(p.c.unit_id, tu.c.role, p.c.report_date))
    reported: dict[int, set[int]] = defaultdict(set)
    support: dict[int, int] = defaultdict(int)
    for uid, role, day, n in conn.execute(by_day):
        if role == "lead":
            reported[uid].add(index[day])
        else:
            support[uid] += n
    return reported, support


# --- the reports -------------------------------------------------------------------------------


def build_report(conn: Connection, kind: str, as_of: date, rules: Rules, flt: ReportFilter, *,
                 period_kind: str = WEEK, number: int | None = None, since: date | None = None) -> Report:
    """The report ``kind`` (weekly | overdue | slow | stale | units) as of ``as_of``.

    ``weekly`` lists every red and yellow task, sorted by severity (red first,
    the higher ladder rung first, the further behind first); ``overdue``,
    ``slow`` and ``stale`` list just the tasks with that flag; ``units`` the
    ranking alone. The ranking runs from ``since`` to ``as_of``; by default
    from the quarter's first day, or the previous quarter's while no 旬 of this
    one has ended.
    """
    conditions, scope = filter_conditions(conn, flt)
    judged = judge(conn, as_of, rules, conditions)
    period = period_for(conn, QUARTER if kind == "units" else period_kind, as_of, number)
    if since is None:
        since = quarter_start(as_of)
        if Xun.of(since).end > as_of:
            # 季度考核 in a quarter's first days: no 旬 has closed yet, so rank the quarter just ended.
            since = quarter_start(since - timedelta(days=1))
    if since > as_of:
        raise InvalidInput("report.since_after_as_of", since=since, as_of=as_of)
    totals, by_cat = _totals(judged, as_of, period)
    wanted = {
        "weekly": lambda j: j.evaluation.light in (RED, YELLOW),
        "overdue": lambda j: OVERDUE in j.evaluation.flags,
        "slow": lambda j: SLOW in j.evaluation.flags,
        "stale": lambda j: STALE in j.evaluation.flags,
        "units": lambda j: False,
    }[kind]
    chosen = sorted((j for j in judged if wanted(j)), key=_severity)
    items = _items(conn, chosen, as_of, rules) if chosen else []
    units = []
    if kind in ("weekly", "units"):
        ids_query = judged_tasks(conn, conditions).where(T.task.c.created_at < cutoff(as_of))
        # Within one unit's or one leader's tasks the other units are there by chance:
        # rank them, but mark no one for praise or an interview.
        units = unit_lines(conn, judged, as_of, since, rules, ids_query, marks=not (flt.unit or flt.leader))
    return Report(kind, as_of, period, since, scope, totals, _by_category(by_cat), items, units, rules,
                  list(rules.requirements))
