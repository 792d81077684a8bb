"""Tasks: adding, editing, closing (销号), listing and the task card."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, delete, exists, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.completion import completion
from sixbao_cli.errors import Conflict, InvalidInput, NotFound
from sixbao_cli.messages import t
from sixbao_cli.quantities import MilestoneSpec, Target
from sixbao_cli.services import described, search
from sixbao_cli.services.lookup import suggest
from sixbao_cli.services.progress_query import ProgressEntry, entries_for_task, latest_entry_id
from sixbao_cli.services.units import resolve_or_create
from sixbao_cli.sqltypes import utcnow


@dataclass
class TaskSpec:
    """Everything a new task can be given."""

    title: str
    category: str
    code: str | None = None
    body: str | None = None
    leads: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    start: date | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    target: Target | None = None
    milestones: list[MilestoneSpec] = field(default_factory=list)
    parent_code: str | None = None
    number: str | None = None
    # where a task imported from a plan stands in it
    document_id: int | None = None
    annex: str | None = None
    section: str | None = None
    source_key: str | None = None
    position: int | None = None
    targets: list[Target] = field(default_factory=list)  # every target the plan states; ``target`` is the measure
    require_lead: bool = True  # a plan may name no unit for a task: imported with a warning, assigned later


@dataclass
class TaskChanges:
    """The fields ``task edit`` may change; None leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    category: str | None = None
    leads: list[str] | None = None
    supports: list[str] | None = None
    leaders: list[str] | None = None
    start: date | None = None
    deadline: date | None = None
    target: Target | None = None
    clear_target: bool = False
    milestones: list[MilestoneSpec] | None = None
    status: str | None = None
    require_lead: bool = True


@dataclass
class TaskFilter:
    """What ``task list`` narrows by. ``unit_role`` is lead, support or any."""

    category: str | None = None
    unit: str | None = None
    unit_role: str = "any"
    leader: str | None = None
    status: str | None = None
    deadline_before: date | None = None
    deadline_after: date | None = None
    text: str | None = None
    limit: int | None = None


@dataclass
class TaskRow:
    """One line of ``task list``."""

    code: str
    title: str
    category: str
    status: str
    leads: list[str]
    deadline: date | None
    percent: float | None  # completion: the reported percent, or the reported value against the target
    value: float | None
    last_report: date | None


@dataclass
class TaskChangeRow:
    """One recorded change: which field, from what, to what, why and when."""

    field: str
    old: str | None
    new: str | None
    reason: str | None
    changed_at: datetime


@dataclass
class TaskCard:
    """Everything ``task show`` prints."""

    code: str
    title: str
    body: str | None
    category: str
    status: str
    number: str | None
    document: str | None
    parent: str | None
    leads: list[str]
    supports: list[str]
    leaders: list[str]
    start: date
    deadline: date | None
    deadline_text: str | None
    target: Target | None
    milestones: list[MilestoneSpec]
    closed_at: datetime | None
    closed_note: str | None
    created_at: datetime
    progress: list[ProgressEntry]
    changes: list[TaskChangeRow] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Completion by the latest effective report (by report date), as ``task list`` shows it."""
        effective = [e for e in self.progress if e.superseded_by is None and e.undone_batch is None]
        if not effective:
            return None
        latest = max(effective, key=lambda e: (e.date, e.id))
        target = self.target
        return completion(latest.percent, latest.value, target.value if target else None,
                          target.comparator if target else None)


_CODE = re.compile(r"^[A-Z0-9]+(?:[-.][A-Z0-9]+)*$")


def normalize_code(code: str) -> str:
    """Codes are typed case-insensitively: jy-001 is JY-001."""
    return unicodedata.normalize("NFKC", code).strip().upper()


def is_code(text: str) -> bool:
    """Does ``text`` read as a task code (JY-001, jy-1.2), not as words?"""
    return bool(_CODE.match(normalize_code(text)))


def new_code(code: str) -> str:
    """A code typed for a new task, normalised; :class:`InvalidInput` when it is not letters and digits in parts."""
    key = normalize_code(code)
    if not _CODE.match(key):
        raise InvalidInput("task.bad_code", code=code)
    return key


def task_id(conn: Connection, code: str) -> int:
    """The id of task ``code``; :class:`NotFound` with the nearest codes otherwise."""
    key = normalize_code(code)
    found = conn.execute(select(T.task.c.id).where(T.task.c.code == key)).scalar()
    if found is not None:
        return found
    prefix = key.split("-", 1)[0]
    candidates = conn.execute(
        select(T.task.c.code).where(T.task.c.code.startswith(prefix, autoescape=True)).limit(500)
    ).scalars().all() or conn.execute(select(T.task.c.code).limit(2000)).scalars().all()
    near = suggest(key, candidates)
    hint = t("task.suggest", codes="、".join(near)) if near else t("task.list_hint")
    raise NotFound("task.unknown", code=code, hint=hint)


def next_code(conn: Connection, category: str) -> str:
    """The next free code of the category's series: JY-001 after none, JY-013 after JY-012."""
    prefix = categories.code_prefix(category) + "-"
    codes = conn.execute(select(T.task.c.code).where(T.task.c.code.startswith(prefix, autoescape=True))).scalars()
    numbers = [int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_dates(start: date, deadline: date | None) -> None:
    if deadline is not None and deadline < start:
        raise InvalidInput("task.deadline_before_start", deadline=deadline, start=start)


def add_task(conn: Connection, spec: TaskSpec, *, today: date, create_units: bool = False) -> str:
    """Add a task with its units, leaders, target and milestones; return its code."""
    title = spec.title.strip()
    if not title:
        raise InvalidInput("task.empty_title")
    if not spec.leads and spec.require_lead:
        raise InvalidInput("task.no_lead")
    category = categories.canonical(spec.category)
    start = spec.start or today
    _check_dates(start, spec.deadline)
    if spec.code:
        code = new_code(spec.code)
    else:
        if conn.dialect.name == "postgresql":
            # Two officers adding tasks of one category at once would compute the
            # same next code; SQLite's BEGIN IMMEDIATE already serialises them.
            prefix = categories.code_prefix(category)
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("sixbao.code." + prefix))))
        code = next_code(conn, category)
    if conn.execute(select(T.task.c.id).where(T.task.c.code == code)).scalar() is not None:
        raise Conflict("task.code_taken", code=code)
    parent_id = task_id(conn, spec.parent_code) if spec.parent_code else None
    now = utcnow()
    values = dict(
        code=code, category=category, title=title, body=spec.body, start_date=start, deadline=spec.deadline,
        deadline_text=spec.deadline_text, parent_id=parent_id, number=spec.number, status="not_started",
        document_id=spec.document_id, annex=spec.annex, section=spec.section, source_key=spec.source_key,
        position=spec.position, created_at=now, updated_at=now, **target_values(spec.target),
    )
    try:
        new_id = conn.execute(insert(T.task).values(**values)).inserted_primary_key[0]
    except IntegrityError:
        raise Conflict("task.code_taken", code=code) from None
    _set_units(conn, new_id, spec.leads, spec.supports, create=create_units)
    _set_leaders(conn, new_id, spec.leaders)
    _set_milestones(conn, new_id, spec.milestones, start, spec.deadline)
    set_targets(conn, new_id, spec.targets or ([spec.target] if spec.target else []))
    return code


def set_targets(conn: Connection, tid: int, targets: list[Target]) -> None:
    """Record every target a task states, in the plan's order."""
    conn.execute(delete(T.task_target).where(T.task_target.c.task_id == tid))
    if targets:
        conn.execute(insert(T.task_target), [
            dict(task_id=tid, position=i, metric=tg.metric, comparator=tg.comparator, value=tg.value, unit=tg.unit)
            for i, tg in enumerate(targets)
        ])


def target_values(target: Target | None) -> dict[str, object]:
    """The task table's target_* columns for ``target``."""
    if target is None:
        return dict(target_metric=None, target_value=None, target_unit=None, target_comparator=None)
    return dict(target_metric=target.metric, target_value=target.value, target_unit=target.unit,
                target_comparator=target.comparator)


def _set_units(conn: Connection, tid: int, leads: list[str], supports: list[str], *, create: bool) -> None:
    conn.execute(delete(T.task_unit).where(T.task_unit.c.task_id == tid))
    seen: dict[int, str] = {}
    rows = []
    for role, names in (("lead", leads), ("support", supports)):
        for position, name in enumerate(names):
            uid = resolve_or_create(conn, name, create=create)
            if uid in seen:
                if seen[uid] != role:
                    raise InvalidInput("task.unit_both_roles", name=name)
                continue
            seen[uid] = role
            rows.append(dict(task_id=tid, unit_id=uid, role=role, position=position))
    if rows:
        conn.execute(insert(T.task_unit), rows)


def _set_leaders(conn: Connection, tid: int, leaders: list[str]) -> None:
    conn.execute(delete(T.task_leader).where(T.task_leader.c.task_id == tid))
    names = list(dict.fromkeys(n.strip() for n in leaders if n.strip()))
    if names:
        conn.execute(insert(T.task_leader), [dict(task_id=tid, name=n, position=i) for i, n in enumerate(names)])


def _set_milestones(conn: Connection, tid: int, milestones: list[MilestoneSpec], start: date,
                    deadline: date | None) -> None:
    conn.execute(delete(T.milestone).where(T.milestone.c.task_id == tid))
    check_milestones(milestones, start, deadline)
    if milestones:
        conn.execute(insert(T.milestone), [
            dict(task_id=tid, due_date=m.due, expected_percent=m.percent, expected_value=m.value)
            for m in sorted(milestones, key=lambda m: m.due)
        ])


def check_milestones(milestones: list[MilestoneSpec], start: date, deadline: date | None) -> None:
    """Refuse two milestones on one date, or one outside start … deadline."""
    dates = [m.due for m in milestones]
    if len(set(dates)) != len(dates):
        raise InvalidInput("milestone.duplicate_date")
    for m in milestones:
        if m.due < start or (deadline is not None and m.due > deadline):
            raise InvalidInput("milestone.outside", due=m.due, start=start, deadline=deadline or "—")


def _record(conn: Connection, tid: int, changes: list[tuple[str, object, object]], reason: str | None,
            when: datetime | None = None) -> None:
    now = when or utcnow()
    if changes:
        conn.execute(insert(T.task_change), [
            dict(task_id=tid, field=f, old_value=change_text(old), new_value=change_text(new), reason=reason, changed_at=now)
            for f, old, new in changes
        ])


def change_text(value: object) -> str | None:
    """A value as the change history stores it: lists joined by 、, dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or None
    return str(value)


def edit_task(conn: Connection, code: str, changes: TaskChanges, *, force: bool = False,
              reason: str | None = None, create_units: bool = False) -> list[tuple[str, object, object]]:
    """Apply ``changes``; every changed field is kept in the task's history. Returns the changes."""
    card = task_card(conn, code)
    tid = task_id(conn, code)
    if card.status == "closed" and not force:
        raise Conflict("task.closed_edit", code=card.code)
    done: list[tuple[str, object, object]] = []
    values: dict[str, object] = {}

    def scalar(name: str, column: str, old: object, new: object) -> None:
        if new is not None and new != old:
            values[column] = new
            done.append((name, old, new))

    if changes.title is not None and not changes.title.strip():
        raise InvalidInput("task.empty_title")
    scalar("title", "title", card.title, changes.title.strip() if changes.title else None)
    scalar("body", "body", card.body, changes.body)
    scalar("category", "category", card.category, categories.canonical(changes.category) if changes.category else None)
    scalar("start", "start_date", card.start, changes.start)
    scalar("deadline", "deadline", card.deadline, changes.deadline)
    if changes.status is not None and changes.status != card.status:
        if changes.status == "closed":
            raise InvalidInput("task.close_with_done")
        values["status"] = changes.status
        done.append(("status", card.status, changes.status))
        if card.status == "closed":
            values.update(closed_at=None, closed_note=None)
    _check_dates(values.get("start_date", card.start), values.get("deadline", card.deadline))
    if changes.clear_target or changes.target is not None:
        old = target_str(card.target)
        new = target_str(changes.target)
        if old != new:
            values.update(target_values(changes.target))
            done.append(("target", old, new))
    if values:
        values["updated_at"] = utcnow()
        conn.execute(update(T.task).where(T.task.c.id == tid).values(**values))
    now = utcnow()
    if changes.leads is not None or changes.supports is not None:
        leads = changes.leads if changes.leads is not None else card.leads
        supports = changes.supports if changes.supports is not None else card.supports
        if not leads and (card.leads or changes.leads is not None and changes.require_lead):
            raise InvalidInput("task.no_lead")
        before = described.current(conn, described.UNITS, [tid])
        _set_units(conn, tid, leads, supports, create=create_units)
        after = task_card(conn, card.code)
        if after.leads != card.leads:
            done.append(("leads", card.leads, after.leads))
        if after.supports != card.supports:
            done.append(("supports", card.supports, after.supports))
        if after.leads != card.leads or after.supports != card.supports:
            described.keep(conn, described.UNITS, before, now)
    if changes.leaders is not None:
        before = described.current(conn, described.LEADERS, [tid])
        _set_leaders(conn, tid, changes.leaders)
        new_leaders = list(dict.fromkeys(n.strip() for n in changes.leaders if n.strip()))
        if new_leaders != card.leaders:
            done.append(("leaders", card.leaders, new_leaders))
            described.keep(conn, described.LEADERS, before, now)
    new_start, new_deadline = values.get("start_date", card.start), values.get("deadline", card.deadline)
    reported = [e.date for e in card.progress]
    if "start_date" in values and reported and min(reported) < new_start:
        raise InvalidInput("task.start_after_progress", start=new_start, first=min(reported))
    if changes.milestones is None and ("start_date" in values or "deadline" in values):
        check_milestones(card.milestones, new_start, new_deadline)
    if changes.milestones is not None:
        _set_milestones(conn, tid, changes.milestones, new_start, new_deadline)
        old_m, new_m = milestones_text(card.milestones), milestones_text(changes.milestones)
        if old_m != new_m:
            done.append(("milestones", old_m, new_m))
    _record(conn, tid, done, reason, now)
    return done


def number_text(value: float) -> str:
    """A number written out in full (30000000, not 3e+07), so that parse_number reads it back."""
    return repr(value).removesuffix(".0") if "e" not in repr(value) else format(value, "f").rstrip("0").rstrip(".")


def target_str(target: Target | None) -> str | None:
    """A target as one line, "城镇新增就业>=2600人" — the form --target, the sheets and the history use."""
    if target is None:
        return None
    return f"{target.metric}{target.comparator}{number_text(target.value)}{target.unit or ''}"


def milestones_text(milestones: list[MilestoneSpec]) -> str | None:
    """Milestones as one line, "2020-05-31:50%，2020-11-30:100%", the form --milestone and the sheets use."""
    parts = [f"{m.due}:{number_text(m.percent)}%" if m.percent is not None else f"{m.due}:{number_text(m.value)}"
             for m in milestones]
    return "，".join(sorted(parts)) or None


def close_task(conn: Connection, code: str, *, note: str, when: datetime | None = None) -> str:
    """销号: close a task with a note on how completion was verified. Returns the code."""
    if not note or not note.strip():
        raise InvalidInput("task.done_needs_note")
    tid = task_id(conn, code)
    row = conn.execute(select(T.task.c.code, T.task.c.status).where(T.task.c.id == tid)).one()
    if row.status == "closed":
        raise Conflict("task.already_closed", code=row.code)
    when = when or utcnow()
    conn.execute(update(T.task).where(T.task.c.id == tid).values(
        status="closed", closed_at=when, closed_note=note.strip(), updated_at=when))
    _record(conn, tid, [("status", row.status, "closed")], note.strip(), when)
    return row.code


def refresh_status(conn: Connection, tid: int, reason: str) -> None:
    """Status from the latest effective report: 推进中 once reported, 已完成 at 100 % (back to 推进中 below it).

    "Latest" is by report date, so a back-dated report or a correction of an
    older entry never undoes a later 100 %. 已销号 and 暂缓 are left alone.
    """
    refresh_statuses(conn, [tid], reason)


def refresh_statuses(conn: Connection, task_ids, reason: str) -> int:
    """:func:`refresh_status` for many tasks at once (a list of ids, or a SELECT of them); returns how many moved.

    One query reads every task's latest effective entry; the moves are written
    in chunks. A task left with no counted report (its only import undone)
    goes back to 未启动.
    """
    task = T.task
    latest = T.progress.alias("latest")
    rows = conn.execute(
        select(task.c.id, task.c.status, task.c.target_value, task.c.target_comparator, latest.c.percent,
               latest.c.value)
        .select_from(task)
        .outerjoin(latest, latest.c.id == latest_entry_id(task.c.id))
        .where(task.c.id.in_(task_ids), task.c.status.not_in(("closed", "suspended")))
    ).all()
    moves = []
    for row in rows:
        if row.percent is None and row.value is None:
            new = "not_started"
        else:
            done = completion(row.percent, row.value, row.target_value, row.target_comparator)
            new = "completed" if done is not None and done >= 100 else "in_progress"
        if new != row.status:
            moves.append((row.id, row.status, new))
    now = utcnow()
    for start in range(0, len(moves), 5000):
        chunk = moves[start:start + 5000]
        conn.execute(update(task).where(task.c.id == bindparam("tid")).values(status=bindparam("new"), updated_at=now),
                     [{"tid": tid, "new": new} for tid, _, new in chunk])
        conn.execute(insert(T.task_change), [
            dict(task_id=tid, field="status", old_value=old, new_value=new, reason=reason, changed_at=now)
            for tid, old, new in chunk
        ])
    return len(moves)


def task_card(conn: Connection, code: str) -> TaskCard:
    """The whole task: its fields, units, leaders, milestones and progress history."""
    tid = task_id(conn, code)
    parent = T.task.alias("parent")
    row = conn.execute(
        select(T.task, T.document.c.title.label("doc_title"), T.document.c.doc_number, parent.c.code.label("parent_code"))
        .outerjoin(T.document, T.document.c.id == T.task.c.document_id)
        .outerjoin(parent, parent.c.id == T.task.c.parent_id)
        .where(T.task.c.id == tid)
    ).one()
    units = conn.execute(
        select(T.unit.c.name, T.task_unit.c.role).join(T.task_unit, T.task_unit.c.unit_id == T.unit.c.id)
        .where(T.task_unit.c.task_id == tid).order_by(T.task_unit.c.role, T.task_unit.c.position)
    ).all()
    leaders = conn.execute(
        select(T.task_leader.c.name).where(T.task_leader.c.task_id == tid).order_by(T.task_leader.c.position)
    ).scalars().all()
    milestones = [
        MilestoneSpec(m.due_date, m.expected_percent, m.expected_value)
        for m in conn.execute(select(T.milestone).where(T.milestone.c.task_id == tid).order_by(T.milestone.c.due_date))
    ]
    target = None
    if row.target_value is not None:
        target = Target(row.target_metric or "", row.target_comparator or ">=", row.target_value, row.target_unit)
    document = None
    if row.doc_title:
        document = f"{row.doc_title}（{row.doc_number}）" if row.doc_number else row.doc_title
    return TaskCard(
        code=row.code, title=row.title, body=row.body, category=row.category, status=row.status, number=row.number,
        document=document, parent=row.parent_code,
        leads=[u.name for u in units if u.role == "lead"], supports=[u.name for u in units if u.role == "support"],
        leaders=list(leaders), start=row.start_date, deadline=row.deadline, deadline_text=row.deadline_text,
        target=target, milestones=milestones, closed_at=row.closed_at, closed_note=row.closed_note,
        created_at=row.created_at, progress=entries_for_task(conn, tid), changes=_changes(conn, tid),
    )


def _changes(conn: Connection, tid: int) -> list[TaskChangeRow]:
    c = T.task_change
    query = select(c.c.field, c.c.old_value, c.c.new_value, c.c.reason, c.c.changed_at).where(
        c.c.task_id == tid).order_by(c.c.changed_at, c.c.id)
    return [TaskChangeRow(*row) for row in conn.execute(query)]


def task_conditions(conn: Connection, flt: TaskFilter) -> list:
    """The WHERE conditions on the task table for ``flt`` (``task list`` and ``export tasks``)."""
    task = T.task
    conditions: list = []
    if flt.category:
        conditions.append(task.c.category.in_(categories.spellings(categories.canonical(flt.category))))
    if flt.status:
        conditions.append(task.c.status == flt.status)
    if flt.deadline_before:
        conditions.append(task.c.deadline <= flt.deadline_before)
    if flt.deadline_after:
        conditions.append(task.c.deadline >= flt.deadline_after)
    if flt.unit:
        from sixbao_cli.services.units import resolve_unit

        uid = resolve_unit(conn, flt.unit)
        role_cond = [T.task_unit.c.role == flt.unit_role] if flt.unit_role in ("lead", "support") else []
        conditions.append(exists().where(T.task_unit.c.task_id == task.c.id, T.task_unit.c.unit_id == uid, *role_cond))
    if flt.leader:
        conditions.append(exists().where(T.task_leader.c.task_id == task.c.id, T.task_leader.c.name == flt.leader.strip()))
    if flt.text:
        conditions.append(search.matches(conn, flt.text))
    return conditions


def list_tasks(conn: Connection, flt: TaskFilter) -> list[TaskRow]:
    """Tasks matching ``flt``, by deadline (undated last) then code, with their latest reported percent."""
    task = T.task
    conditions = task_conditions(conn, flt)
    # Order and limit the tasks first, then look up the latest entry of just
    # those: a 20-row listing of a 100,000-task ledger does 20 index lookups.
    order = (task.c.deadline.is_(None), task.c.deadline, task.c.code)
    chosen = select(task.c.id, task.c.code, task.c.title, task.c.category, task.c.status, task.c.deadline,
                    task.c.target_value, task.c.target_comparator).where(*conditions).order_by(*order)
    if flt.limit:
        chosen = chosen.limit(flt.limit)
    chosen = chosen.subquery()
    latest = T.progress.alias("latest")
    query = (
        select(chosen, latest.c.percent, latest.c.value, latest.c.report_date)
        .select_from(chosen)
        .outerjoin(latest, latest.c.id == latest_entry_id(chosen.c.id))
        .order_by(chosen.c.deadline.is_(None), chosen.c.deadline, chosen.c.code)
    )
    rows = conn.execute(query).all()
    leads = _leads_for(conn, [r.id for r in rows])
    return [
        TaskRow(r.code, r.title, r.category, r.status, leads.get(r.id, []), r.deadline,
                completion(r.percent, r.value, r.target_value, r.target_comparator), r.value, r.report_date)
        for r in rows
    ]


def _leads_for(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for tid, name in conn.execute(
            select(T.task_unit.c.task_id, T.unit.c.name).join(T.unit, T.unit.c.id == T.task_unit.c.unit_id)
            .where(T.task_unit.c.task_id.in_(chunk), T.task_unit.c.role == "lead").order_by(T.task_unit.c.position)
        ):
            out.setdefault(tid, []).append(name)
    return out
