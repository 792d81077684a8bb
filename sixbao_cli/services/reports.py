"""The supervision reports' data: every judged task as of a date, the ladder, the unit ranking, the 周报.

Judges in SQL (:mod:`sixbao_cli.services.judging`, into a temporary table),
then counts, ranks and picks the tasks to list from that table set-based;
only the listed tasks' details are read into Python. Knows nothing of how a
report is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, null, or_, select
from sqlalchemy.engine import Connection

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.errors import InvalidInput, NotFound
from sixbao_cli.evaluate import (
    DONE_STATUSES,
    FLAGS,
    GREEN,
    RED,
    YELLOW,
    notice,
)
from sixbao_cli.messages import t
from sixbao_cli.rules import Rules
from sixbao_cli.services import described, judging, ranking
from sixbao_cli.services.asof import cutoff
from sixbao_cli.services.kept_facts import KeptFacts
from sixbao_cli.services.progress_query import counted
from sixbao_cli.services.ranking import UnitLine
from sixbao_cli.services.verdicts import Verdicts
from sixbao_cli.xun import Xun, checkpoints

WEEK, XUN, QUARTER = "week", "xun", "quarter"
DEFAULT_LIMIT = 200  # tasks per list, units per ranking: a 周报 that leaders can read through


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
    limit: int | None = None  # the most tasks or units a list holds (None: all)
    counts: dict[str, int] = field(default_factory=dict)  # how many each list would hold without the limit


# --- filters ---------------------------------------------------------------------------------


def filter_conditions(conn: Connection, flt: ReportFilter, as_of: date) -> tuple[list, dict[str, str]]:
    """The WHERE conditions for ``flt`` and the scope as words, or a clear error for a name the ledger lacks.

    A task is in a unit's, a leader's or a category's report for ``as_of`` when
    it was theirs on that day (services.described), whatever it is now.
    """
    task = T.task
    cut = cutoff(as_of)
    conditions, scope = [], {}
    for option, value in (("--category", flt.category), ("--unit", flt.unit), ("--leader", flt.leader),
                          ("--doc", flt.document)):
        if value is not None and not value.strip():
            raise InvalidInput("report.blank_filter", option=option)
    if flt.category:
        name = categories.canonical(flt.category)
        names = categories.spellings(name)
        c = T.task_change
        if not conn.execute(select(task.c.id).where(task.c.category.in_(names)).union_all(
                select(c.c.task_id).where(c.c.field == "category", c.c.old_value.in_(names))).limit(1)).first():
            known = sorted(conn.execute(select(task.c.category).distinct()).scalars().all())
            raise NotFound("report.unknown_category", name=flt.category,
                           known=t("sep.list").join(known) or t("report.none"))
        conditions.append(described.field_then(task.c.id, "category", task.c.category, cut).in_(names))
        scope["category"] = name
    if flt.unit:
        from sixbao_cli.services.units import resolve_unit, unit_name

        uid = resolve_unit(conn, flt.unit)
        conditions.append(described.has_unit(task.c.id, cut, unit_id=uid))
        scope["unit"] = unit_name(conn, uid)
    if flt.leader:
        leader = flt.leader.strip()
        named = [select(tl.c.name).where(tl.c.name == leader) for tl in (T.task_leader, T.task_leader_history)]
        if not conn.execute(named[0].union_all(named[1]).limit(1)).first():
            near = conn.execute(select(T.task_leader.c.name).distinct()
                                .where(T.task_leader.c.name.contains(leader[:1], autoescape=True))
                                .order_by(T.task_leader.c.name).limit(8)).scalars().all()
            hint = t("report.leader_suggest", names=t("sep.list").join(near)) if near else t("report.leader_hint")
            raise NotFound("report.unknown_leader", name=flt.leader, hint=hint)
        conditions.append(described.has_leader(task.c.id, cut, leader))
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


@dataclass(frozen=True)
class Rung:
    """A red task's place on the ladder: red at ``streak`` consecutive 旬 checkpoints."""

    streak: int
    step_index: int | None  # index into rules.ladder
    fix_by: date | None


def ladder(conn: Connection, as_of: date, rules: Rules, kept: Verdicts | None = None) -> dict[int, Rung]:
    """The ladder step of each task red on ``as_of`` in the judged table.

    The streak counts back over the 旬 checkpoints up to ``as_of`` (the 10th,
    the 20th, the month end), judging each with what was known at it, and stops
    at the first checkpoint that was not red — or at the ladder's top rung,
    beyond which counting changes nothing (:func:`judging.streaks`), unless that
    rung sets a 整改 deadline, which runs from the checkpoint it was reached at.
    """
    top = max(step.after for step in rules.ladder)
    if counts_whole_streak(rules):
        # The top rung sets a 整改 deadline, counted from the checkpoint the rung was reached at:
        # the whole streak is needed, back to the ledger's first start (one since moved later included).
        c = T.task_change
        starts = [conn.execute(select(func.min(T.task.c.start_date))).scalar(),
                  conn.execute(select(func.min(c.c.old_value)).where(c.c.field == "start", c.c.old_value != "")).scalar()]
        first = min((d if isinstance(d, date) else date.fromisoformat(d) for d in starts if d), default=as_of)
        points = checkpoints(min(first, as_of), as_of)[::-1]
    else:
        points = checkpoints(as_of - timedelta(days=31 * (top // 3 + 2)), as_of)[::-1][:top]

    def rung(streak: int) -> Rung:  # a rung depends on the streak alone: worked out once per streak, not per task
        step = rules.step_for(streak)
        index = fix_by = None
        if step is not None:
            index = rules.ladder.index(step)
            if step.fix_days:
                reached = points[streak - step.after]  # the checkpoint at which this rung was reached
                fix_by = reached + timedelta(days=step.fix_days)
        return Rung(streak, index, fix_by)

    streaks = judging.streaks(conn, as_of, points, rules, kept)
    rung_of = {streak: rung(streak) for streak in set(streaks.values())}
    return {tid: rung_of[streak] for tid, streak in streaks.items()}


def counts_whole_streak(rules: Rules) -> bool:
    """Whether the ladder counts a red streak whole, not just up to its top rung: that rung has a 整改 deadline."""
    top = max(rules.ladder, key=lambda step: step.after)
    return bool(top.fix_days)


# --- details of the tasks a report lists -----------------------------------------------------------


def _details(conn: Connection, ids: list[int], as_of: date) -> dict[int, tuple]:
    """Document and the last reported problem known on ``as_of``, per task."""
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
                select(task.c.id, func.coalesce(d.c.doc_number, d.c.title).label("doc"), problem.label("problem"))
                .outerjoin(d, d.c.id == task.c.document_id).where(task.c.id.in_(chunk))):
            out[row.id] = (row.doc, row.problem)
    return out


def _items(conn: Connection, rows: list, rungs: dict[int, Rung], as_of: date, rules: Rules) -> list[Item]:
    """The listed tasks as a report prints them, from their rows in the judged table."""
    ids = [r.id for r in rows]
    then = described.described(conn, ids, cutoff(as_of))  # units, leaders, title, category as they were
    details = _details(conn, ids, as_of)
    items = []
    for r in rows:
        doc, problem = details[r.id]
        was = then[r.id]
        rung = rungs.get(r.id)
        flags = frozenset(flag for flag in FLAGS if getattr(r, flag))
        step = rules.ladder[rung.step_index].action if rung and rung.step_index is not None else None
        items.append(Item(
            code=r.code, title=was.title, category=was.category, document=doc, lead_units=was.leads,
            support_units=was.supports, leaders=was.leaders, start=r.start, deadline=r.deadline,
            percent=_round(r.actual), expected_percent=_round(r.expected), behind=_round(r.behind),
            flags=[flag for flag in FLAGS if flag in flags], light=r.light,
            notice=notice(flags) if r.light == YELLOW else None, step=step, streak=rung.streak if rung else 0,
            fix_by=rung.fix_by if rung else None, last_report=r.last_report, last_problem=problem,
        ))
    return items


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- totals -------------------------------------------------------------------------------


def _totals(conn: Connection, period: Period) -> tuple[Totals, dict[str, CategoryLights]]:
    """Counts over the judged tasks, in total and by category, counted in SQL."""
    j = judging.judged

    def count(cond):
        return func.sum(case((cond, 1), else_=0))

    rows = conn.execute(
        select(j.c.category, func.count(), count(j.c.status.in_(DONE_STATUSES)), count(j.c.status == "suspended"),
               count(j.c.light == RED), count(j.c.light == YELLOW), count(j.c.light == GREEN),
               *(func.sum(getattr(j.c, flag)) for flag in FLAGS),
               count(and_(j.c.last_report >= period.start, j.c.last_report <= period.end)))
        .group_by(j.c.category)).all()
    totals = Totals()
    by_cat: dict[str, CategoryLights] = {}
    for category, tasks, done, suspended, red, yellow, green, *rest in rows:
        flags, reported = rest[:len(FLAGS)], rest[len(FLAGS)]
        name = categories.canonical(category)  # a short form an older version stored (粮食能源) counts as its 保
        was = by_cat.get(name)
        by_cat[name] = CategoryLights(name, tasks, done, red, yellow, green) if was is None else CategoryLights(
            name, was.tasks + tasks, was.done + done, was.red + red, was.yellow + yellow, was.green + green)
        totals.tasks += tasks
        totals.done += done
        totals.suspended += suspended
        totals.red += red
        totals.yellow += yellow
        totals.green += green
        for flag, n in zip(FLAGS, flags, strict=True):
            setattr(totals, flag, getattr(totals, flag) + (n or 0))
        totals.reported += reported or 0
    return totals, by_cat


def _by_category(found: dict[str, CategoryLights]) -> list[CategoryLights]:
    order = {name: i for i, name in enumerate(categories.SIX)}
    six = [found.get(name, CategoryLights(name, 0, 0, 0, 0, 0)) for name in categories.SIX]
    others = sorted((c for name, c in found.items() if name not in order), key=lambda c: c.category)
    return six + others


# --- the reports -------------------------------------------------------------------------------


def build_report(conn: Connection, kind: str, as_of: date, rules: Rules, flt: ReportFilter, *,
                 period_kind: str = WEEK, number: int | None = None, since: date | None = None,
                 limit: int | None = DEFAULT_LIMIT, kept: Verdicts | None = None,
                 facts: KeptFacts | None = None) -> Report:
    """The report ``kind`` (weekly | overdue | slow | stale | units) as of ``as_of``.

    ``weekly`` lists the red and yellow tasks in its sections (逾期, 临期, 进度缓慢,
    未按时报送, 拟约谈/问责), each sorted by severity (red first, the higher
    ladder rung first, the further behind first); ``overdue``, ``slow`` and
    ``stale`` list just the tasks with that flag; ``units`` the ranking alone.
    Each list holds at most ``limit`` tasks (None: all), the most severe, and
    the report says how many there are. The ranking runs from ``since`` to
    ``as_of``; by default from the quarter's first day, or the previous
    quarter's while no 旬 of this one has ended. With ``kept``, the ladder reads
    the verdicts kept from earlier reports and notes those it judges
    (services.verdicts). With ``facts``, the tasks are judged on the facts
    kept from an earlier report where they still hold (services.kept_facts).
    With either, the report's temporary tables are left in the connection for
    :func:`sixbao_cli.services.keeping.keep` to keep what it found.
    """
    conditions, scope = filter_conditions(conn, flt, as_of)
    period = period_for(conn, QUARTER if kind == "units" else period_kind, as_of, number)
    if since is None:
        since = quarter_start(as_of)
        if Xun.of(since).end > as_of:
            # 季度考核 in a quarter's first days: no 旬 has closed yet, so rank the quarter just ended.
            since = quarter_start(since - timedelta(days=1))
    if since > as_of:
        raise InvalidInput("report.since_after_as_of", since=since, as_of=as_of)
    judging.judge_all(conn, as_of, rules, conditions, facts)
    totals, by_cat = _totals(conn, period)
    j = judging.judged
    rungs = ladder(conn, as_of, rules, kept) if totals.red and kind != "units" else {}
    counts: dict[str, int] = {}
    rows = []
    if kind != "units":
        listed = _listed(conn, kind, rules, limit, counts)
        full = {r.id: r for start in range(0, len(listed), 5000)
                for r in conn.execute(select(j).where(j.c.id.in_(listed[start:start + 5000]))).all()}
        rows = [full[tid] for tid in listed]
    items = _items(conn, rows, rungs, as_of, rules) if rows else []
    units: list[UnitLine] = []
    if kind in ("weekly", "units"):
        # Within one unit's or one leader's tasks the other units are there by chance:
        # rank them, but mark no one for praise or an interview.
        units, found = ranking.unit_lines(conn, as_of, since, rules, marks=not (flt.unit or flt.leader), limit=limit,
                                          facts=facts)
        counts.update(found)
    # Dropped here, or left for services.keeping.keep, which drops them; on an error the transaction's
    # rollback takes the temporary tables with it.
    if kept is None and facts is None:
        judging.drop(conn)
    return Report(kind, as_of, period, since, scope, totals, _by_category(by_cat), items, units, rules,
                  list(rules.requirements), limit=limit, counts=counts)


def _listed(conn: Connection, kind: str, rules: Rules, limit: int | None, counts: dict[str, int]) -> list[int]:
    """The ids a report lists, most severe first: for the 周报 the worst ``limit`` of each of its sections,
    else of the one list. Chosen and ordered in SQL; ``counts`` gets each list's full length.

    Severity: red before yellow, the higher ladder rung first, the further
    behind first, then the code; the 拟约谈/问责 section goes by rung, then the
    further behind first, then code.
    """
    j, lt = judging.judged, judging.ladder_tasks
    d = judging.Dialect(conn.dialect.name)
    # rules.ladder is in ascending order of ``after``: the rung reached is the last whose ``after`` the streak meets.
    step = case(*((lt.c.streak >= s.after, i) for i, s in reversed(list(enumerate(rules.ladder)))), else_=null())
    code = d.bytewise(j.c.code)
    severity = (case((j.c.light == RED, 0), (j.c.light == YELLOW, 1), else_=2), func.coalesce(step, -1).desc(),
                func.coalesce(j.c.behind, 0.0).desc(), code)
    judged_rungs = j.outerjoin(lt, lt.c.id == j.c.id)
    wanted = {"weekly": j.c.light.in_((RED, YELLOW)), "overdue": j.c.overdue == 1, "slow": j.c.slow == 1,
              "stale": j.c.stale == 1}[kind]
    if kind != "weekly":
        sections = {"items": (wanted, severity)}
    else:
        sections = {"items": (wanted, severity), "overdue": (j.c.overdue == 1, severity),
                    "due_soon": (j.c.due_soon == 1, severity),
                    "slow": (and_(j.c.slow == 1, j.c.overdue == 0), severity), "stale": (j.c.stale == 1, severity),
                    "ladder": (step.is_not(None), (step.desc(), func.coalesce(j.c.behind, 0.0).desc(), code))}

    def count(cond):
        return func.sum(case((cond, 1), else_=0))

    found = conn.execute(select(*(count(cond).label(name) for name, (cond, _) in sections.items()))
                         .select_from(judged_rungs).where(wanted)).one()
    counts.update({name: found._mapping[name] or 0 for name in sections})
    chosen: set[int] = set()
    for name, (cond, order) in sections.items():
        if kind == "weekly" and name == "items":
            continue  # the 周报 lists its sections, not every red and yellow task
        query = select(j.c.id).select_from(judged_rungs).where(wanted, cond).order_by(*order)
        chosen.update(conn.execute(query.limit(limit) if limit else query).scalars())
    ordered = select(j.c.id).select_from(judged_rungs).where(wanted).order_by(*severity)
    if kind != "weekly":
        return conn.execute(ordered.limit(limit) if limit else ordered).scalars().all()
    if not limit:  # every section whole
        listed = or_(*(cond for name, (cond, _) in sections.items() if name != "items"))
        return conn.execute(ordered.where(listed)).scalars().all()
    return conn.execute(ordered.where(j.c.id.in_(chosen))).scalars().all()
