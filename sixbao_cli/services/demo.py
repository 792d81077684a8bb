"""The demo ledger: the five seed plans, and a plausible 2020 of progress reports.

The reports are made up but not random: each task's course is drawn from a
generator seeded with its code, so the demo is the same on every machine and
rebuilding it changes nothing. Most tasks keep pace with their deadlines; some
fall behind, some stop reporting in the autumn, some finish early and a few
are closed (销号) — the material the supervision reports need.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.docparse.parser import parse
from sixbao_cli.errors import Conflict
from sixbao_cli.messages import t
from sixbao_cli.resources import seed_plans
from sixbao_cli.services.documents import import_document
from sixbao_cli.services.tasks import close_task
from sixbao_cli.sqltypes import utcnow

YEAR_END = date(2020, 12, 31)
DEMO_BATCH = "demo-2020-v1"  # the checksum that marks the demo's reports; bump when the generator changes
NOTES = ["已召开专题调度会，逐项分解任务", "政策已出台并组织宣传解读", "资金已下达，正在拨付", "已完成阶段性目标",
         "正在督促各地加快进度"]
PROBLEMS = [None, None, "部分地区进度不均衡", "资金到位较慢", "企业申报积极性不高", "受疫情影响，项目开工推迟"]
NEXT = ["加强调度，确保按期完成", "开展专项督查", "加快资金拨付进度", "总结经验，做好销号准备"]


@dataclass
class DemoSummary:
    """What the demo ledger holds."""

    documents: int
    tasks: int
    units: int
    entries: int
    by_category: list[tuple[str, int, int, int]]  # category, tasks, reporting, completed
    created: bool


def _rng(code: str) -> random.Random:
    return random.Random(int(hashlib.sha256(code.encode()).hexdigest()[:16], 16))


def _check_demo_only(conn: Connection, checksums: set[str]) -> None:
    foreign_docs = conn.execute(
        select(func.count()).select_from(T.document).where(T.document.c.checksum.not_in(checksums))).scalar_one()
    hand_tasks = conn.execute(
        select(func.count()).select_from(T.task).where(T.task.c.document_id.is_(None))).scalar_one()
    if foreign_docs or hand_tasks:
        raise Conflict("demo.not_empty")


def build_demo(conn: Connection, *, today: date) -> DemoSummary:
    """Import the seed plans and add the demo's reports, unless they are there already."""
    docs = [(path, parse(path.read_bytes(), name=path.name, fallback_year=2020)) for path in seed_plans()]
    _check_demo_only(conn, {doc.checksum for _, doc in docs})
    for path, doc in docs:
        import_document(conn, doc, source_name=path.name, today=today)
    created = False
    if conn.execute(select(T.import_batch.c.id).where(T.import_batch.c.checksum == DEMO_BATCH)).scalar() is None:
        _add_reports(conn)
        created = True
    return summary(conn, created=created)


def _add_reports(conn: Connection) -> None:
    batch = conn.execute(insert(T.import_batch).values(
        kind="demo", file_name="sixbao demo", checksum=DEMO_BATCH, row_count=0, created_at=utcnow())
    ).inserted_primary_key[0]
    task, tu = T.task, T.task_unit
    parents = select(task.c.parent_id).where(task.c.parent_id.is_not(None))
    rows = conn.execute(
        select(task.c.id, task.c.code, task.c.start_date, task.c.deadline, task.c.target_value, tu.c.unit_id)
        .join(tu, (tu.c.task_id == task.c.id) & (tu.c.role == "lead") & (tu.c.position == 0))
        .where(task.c.id.not_in(parents))
        .order_by(task.c.code)
    ).all()
    entries, to_close, courses = [], [], []
    for row in rows:
        plan = _course(row.code, row.start_date, row.deadline or YEAR_END)
        for day, percent in plan:
            value = round(row.target_value * percent / 100, 2) if row.target_value and _rng(row.code).random() < .5 else None
            r = _rng(f"{row.code}{day}")
            entries.append(dict(
                task_id=row.id, unit_id=row.unit_id, report_date=day, percent=None if value is not None else percent,
                value=value, note=r.choice(NOTES), problems=r.choice(PROBLEMS), next_steps=r.choice(NEXT),
                reporter=None, source="import", batch_id=batch, recorded_at=_recorded(day),
            ))
            courses.append((row.id, _recorded(day), percent))
        if plan and plan[-1][1] >= 100 and _rng(row.code + "销号").random() < .4:
            to_close.append((row.code, _recorded(plan[-1][0] + timedelta(days=5))))
    for start in range(0, len(entries), 5000):
        conn.execute(insert(T.progress), entries[start:start + 5000])
    _backdate_tasks(conn)
    conn.execute(update(T.import_batch).where(T.import_batch.c.id == batch).values(row_count=len(entries)))
    _record_statuses(conn, courses)
    for code, when in to_close:
        close_task(conn, code, note=t("demo.closed_note"), when=when)


def _record_statuses(conn: Connection, courses: list[tuple[int, datetime, float]]) -> None:
    """Each task's status changes as the program would have recorded them when each report came in.

    The first report makes a task 推进中 (or 已完成 at once), the first at 100 %
    已完成; the change carries the report's recording time, so reports as of a
    2020 day read the status the ledger had then.
    """
    reason = t("demo.reason")
    changes, final = [], {}
    for tid, recorded, percent in sorted(courses):
        new = "completed" if percent >= 100 else "in_progress"
        old = final.get(tid, "not_started")
        if new != old and old != "completed":
            changes.append(dict(task_id=tid, field="status", old_value=old, new_value=new, reason=reason,
                                changed_at=recorded))
            final[tid] = new
    if changes:
        conn.execute(insert(T.task_change), changes)
    for status in ("in_progress", "completed"):
        ids = [tid for tid, s in final.items() if s == status]
        for start in range(0, len(ids), 5000):
            conn.execute(update(T.task).where(T.task.c.id.in_(ids[start:start + 5000])).values(status=status))


def _backdate_tasks(conn: Connection) -> None:
    """Enter the plans' tasks on their start dates, as a 2020 office would have, so that reports as of a 2020 day see them."""
    rows = conn.execute(select(T.task.c.id, T.task.c.start_date)).all()
    stmt = update(T.task).where(T.task.c.id == bindparam("tid")).values(created_at=bindparam("created"))
    conn.execute(stmt, [dict(tid=tid, created=datetime.combine(start, time(1, 0), tzinfo=UTC)) for tid, start in rows])


def _recorded(day: date) -> datetime:
    """When a 2020 office would have typed the report in: the next working morning (as-of reports rely on it)."""
    return datetime.combine(day + timedelta(days=1), time(9, 30), tzinfo=UTC)


def _course(code: str, start: date, deadline: date) -> list[tuple[date, float]]:
    """A task's reports: one per 旬 from its start, pace and habits drawn from its code."""
    rng = _rng(code)
    kind = rng.choices(["steady", "slow", "stalled", "early"], weights=[55, 20, 15, 10])[0]
    pace = {"steady": rng.uniform(.9, 1.1), "slow": rng.uniform(.4, .7), "stalled": rng.uniform(.8, 1.0),
            "early": rng.uniform(1.3, 1.8)}[kind]
    stop = date(2020, rng.choice([8, 9, 10]), 10) if kind == "stalled" else YEAR_END
    span = max((deadline - start).days, 10)
    out: list[tuple[date, float]] = []
    day = start + timedelta(days=rng.randint(5, 15))
    while day <= min(YEAR_END, stop):
        percent = min(100.0, round(100 * pace * (day - start).days / span))
        out.append((day, float(percent)))
        if percent >= 100:
            break
        day += timedelta(days=10)
    return out


def summary(conn: Connection, *, created: bool) -> DemoSummary:
    """Counts over the whole ledger, by category."""
    def n(table) -> int:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()

    task, p = T.task, T.progress
    reporting = select(p.c.task_id).distinct().subquery()
    by_category = conn.execute(
        select(task.c.category, func.count(), func.count(reporting.c.task_id),
               func.sum(case((task.c.status.in_(["completed", "closed"]), 1), else_=0)))
        .outerjoin(reporting, reporting.c.task_id == task.c.id)
        .group_by(task.c.category).order_by(task.c.category)
    ).all()
    return DemoSummary(n(T.document), n(task), n(T.unit), n(p),
                       [(c, total, rep, int(done or 0)) for c, total, rep, done in by_category], created)
