"""Tasks and progress out of the ledger, as rows a spreadsheet or another tool can take back.

Rows are plain dicts of Python values (dates, numbers, text), streamed in
batches: an export of a province's million progress entries never holds them
all. The columns are the ones the import commands read, so an export goes back
in as it came out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.quantities import MilestoneSpec
from sixbao_cli.services.progress_query import counted
from sixbao_cli.services.tasks import TaskFilter, milestones_text, number_text, task_conditions

_BATCH = 2000


@dataclass(frozen=True)
class Column:
    """A column of an export: its key (JSON), its header (CSV, xlsx) and whether it holds a number or a date."""

    key: str
    header: str
    kind: str = "text"  # text | number | date | datetime


TASK_COLUMNS = (
    Column("code", "任务编号"), Column("category", "类别"), Column("document", "来源文件"), Column("number", "序号"),
    Column("title", "任务名称"), Column("body", "工作内容"), Column("lead_units", "牵头单位"),
    Column("support_units", "配合单位"), Column("leaders", "责任领导"), Column("start", "开始日期", "date"),
    Column("deadline", "完成时限", "date"), Column("deadline_text", "时限原文"), Column("target", "目标"),
    Column("milestones", "时间节点"), Column("status", "状态"), Column("parent", "上级任务"),
)
PROGRESS_COLUMNS = (
    Column("task", "任务编号"), Column("title", "任务名称"), Column("unit", "填报单位"),
    Column("date", "填报日期", "date"), Column("percent", "完成进度(%)", "number"),
    Column("value", "完成数值", "number"), Column("note", "进展情况"), Column("problems", "存在问题"),
    Column("next_steps", "下步计划"), Column("reporter", "填报人"), Column("recorded_at", "录入时间", "datetime"),
    Column("id", "记录编号", "number"),
)


def _target_text(metric: str | None, comparator: str | None, value: float | None, unit: str | None) -> str | None:
    if metric is None or value is None:
        return None
    return f"{metric}{comparator or '>='}{number_text(value)}{unit or ''}"


def task_rows(conn: Connection, flt: TaskFilter) -> Iterator[dict]:
    """Every task matching ``flt``, by code, with its units, leaders, target and milestones as the sheets write them."""
    task, d, parent = T.task, T.document, T.task.alias("parent")
    ids = conn.execute(select(task.c.id).where(*task_conditions(conn, flt)).order_by(task.c.code)).scalars().all()
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        units, leaders, milestones = task_parts(conn, chunk)
        rows = conn.execute(
            select(task, d.c.doc_number, d.c.title.label("doc_title"), parent.c.code.label("parent_code"))
            .outerjoin(d, d.c.id == task.c.document_id).outerjoin(parent, parent.c.id == task.c.parent_id)
            .where(task.c.id.in_(chunk)).order_by(task.c.code))
        for r in rows:
            yield {
                "code": r.code, "category": r.category, "document": r.doc_number or r.doc_title, "number": r.number,
                "title": r.title, "body": r.body, "lead_units": "、".join(units[r.id]["lead"]) or None,
                "support_units": "、".join(units[r.id]["support"]) or None,
                "leaders": "、".join(leaders[r.id]) or None, "start": r.start_date, "deadline": r.deadline,
                "deadline_text": r.deadline_text,
                "target": _target_text(r.target_metric, r.target_comparator, r.target_value, r.target_unit),
                "milestones": milestones_text(milestones[r.id]), "status": r.status, "parent": r.parent_code,
            }


def task_parts(conn: Connection, ids: list[int]):
    """For the tasks ``ids``: their units ({id: {"lead": [...], "support": [...]}}), leaders and milestones."""
    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "support": []})
    tu, u = T.task_unit, T.unit
    for tid, role, name in conn.execute(
            select(tu.c.task_id, tu.c.role, u.c.name).join(u, u.c.id == tu.c.unit_id)
            .where(tu.c.task_id.in_(ids)).order_by(tu.c.task_id, tu.c.position, u.c.name)):
        units[tid][role].append(name)
    leaders: dict[int, list[str]] = defaultdict(list)
    for tid, name in conn.execute(select(T.task_leader.c.task_id, T.task_leader.c.name)
                                  .where(T.task_leader.c.task_id.in_(ids))
                                  .order_by(T.task_leader.c.task_id, T.task_leader.c.position)):
        leaders[tid].append(name)
    milestones: dict[int, list[MilestoneSpec]] = defaultdict(list)
    m = T.milestone
    for tid, due, pct, value in conn.execute(select(m.c.task_id, m.c.due_date, m.c.expected_percent,
                                                    m.c.expected_value).where(m.c.task_id.in_(ids))):
        milestones[tid].append(MilestoneSpec(due, pct, value))
    return units, leaders, milestones


def progress_rows(conn: Connection, *, task_code: str | None = None, unit: str | None = None,
                  since: date | None = None, until: date | None = None) -> Iterator[dict]:
    """The effective progress entries (corrections applied, undone imports left out: what the ledger says now).

    Superseded entries stay in the ledger's history (``progress list``); an
    export carries the current figures, one row per report, so that importing
    it elsewhere gives the same ledger view.
    """
    from sixbao_cli.services.tasks import task_id as find_task
    from sixbao_cli.services.units import resolve_unit

    p, task, u = T.progress, T.task, T.unit
    later = p.alias("later")
    conditions = [~select(later.c.id).where(later.c.supersedes_id == p.c.id).exists(), counted(p)]
    if task_code:
        conditions.append(p.c.task_id == find_task(conn, task_code))
    if unit:
        conditions.append(p.c.unit_id == resolve_unit(conn, unit))
    if since:
        conditions.append(p.c.report_date >= since)
    if until:
        conditions.append(p.c.report_date <= until)
    query = (select(p, task.c.code, task.c.title, u.c.name.label("unit_name"))
             .join(task, task.c.id == p.c.task_id).join(u, u.c.id == p.c.unit_id)
             .where(*conditions).order_by(task.c.code, p.c.report_date, p.c.id))
    result = conn.execution_options(yield_per=_BATCH).execute(query)
    for r in result:
        yield {
            "task": r.code, "title": r.title, "unit": r.unit_name, "date": r.report_date, "percent": r.percent,
            "value": r.value, "note": r.note, "problems": r.problems, "next_steps": r.next_steps,
            "reporter": r.reporter, "recorded_at": r.recorded_at, "id": r.id,
        }
