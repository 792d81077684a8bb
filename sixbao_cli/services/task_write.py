"""Writing a checked 台账 import: the batch, new tasks and changed ones, set-based, with their history.

Each statement covers every task of the file at once (executemany, or IN
lists of a thousand ids), so a province's sheet of thousands of tasks is a few
dozen statements, not a few per task. A change to a known task is recorded in
``task_change`` exactly as ``task edit`` records it (same field names, same
text for dates, targets and milestones), so the task card lists it and the
reports read start, deadline, target and milestone edits back as of any day.
A new task given a status other than 未启动 (a ledger moved from elsewhere)
has that move recorded too: the reports know its status from the history.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import categories
from sixbao_cli import tables as T
from sixbao_cli.messages import t
from sixbao_cli.services import described
from sixbao_cli.services.task_model import Planned, TaskImport
from sixbao_cli.services.tasks import change_text, milestones_text, next_code, target_str, target_values
from sixbao_cli.services.units import add_unit, find_units
from sixbao_cli.sqltypes import utcnow

_CHUNK = 1000


def history_value(name: str, value: object) -> str | None:
    """A field's value as the change history writes it (``task edit``'s form)."""
    if name == "target":
        return target_str(value)
    if name == "milestones":
        return milestones_text(value or [])
    return change_text(value)


def write_plans(conn: Connection, plans: list[Planned], new_units: dict[str, str], new_documents: dict[str, int | None],
                result: TaskImport, *, file_name: str, checksum: str, options: str) -> int:
    """Write the new and changed tasks of one file, read with ``options``, as one batch; returns the batch's id."""
    now = utcnow()
    for name in new_units.values():
        add_unit(conn, name)
    result.units_created = list(new_units.values())
    for title in new_documents:
        new_documents[title] = conn.execute(insert(T.document).values(
            title=title, source_name=file_name, created_at=now)).inserted_primary_key[0]
    result.documents_created = list(new_documents)
    batch = conn.execute(insert(T.import_batch).values(
        kind="tasks", file_name=file_name, checksum=checksum, read_options=options, row_count=len(plans),
        created_at=now,
    )).inserted_primary_key[0]
    reason = t("taskimport.reason", id=batch, file=file_name)
    for p in plans:
        if p.document_id is None and p.state["document"]:
            p.document_id = new_documents.get(p.state["document"])
    _assign_codes(conn, [p for p in plans if p.code is None], taken={p.code for p in plans if p.code})
    unit_ids = find_units(conn, {u for p in plans for u in (*p.state["leads"], *p.state["supports"])})
    new = [p for p in plans if p.current is None]
    known = [p for p in plans if p.current is not None]
    ids = _insert(conn, new, now, reason, file_name)
    ids.update({p.code: p.current.id for p in known})
    _update(conn, known, ids, now)
    _write_parts(conn, new, known, ids, unit_ids, now)
    _history(conn, known, ids, reason, now)
    moved = [p for p in known if any(f == "parent" for f, _, _ in p.changes)]
    _parents(conn, [p for p in new if p.state["parent"]] + moved, ids)
    result.no_lead = [p.code for p in new if not p.state["leads"]]
    return batch


def _assign_codes(conn: Connection, plans: list[Planned], *, taken: set) -> None:
    """Codes for new tasks given none, in file order, continuing each category's series (JY-013 after JY-012)."""
    by_prefix: dict[str, list[Planned]] = {}
    for p in plans:
        by_prefix.setdefault(categories.code_prefix(str(p.state["category"])), []).append(p)
    for prefix, group in sorted(by_prefix.items()):
        if conn.dialect.name == "postgresql":  # as task add does: one officer at a time numbers a series
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("sixbao.code." + prefix))))
        number = int(next_code(conn, str(group[0].state["category"]))[len(prefix) + 1:])
        for p in group:
            while f"{prefix}-{number:03d}" in taken:
                number += 1
            p.code = f"{prefix}-{number:03d}"
            taken.add(p.code)
            number += 1


def _scalars(p: Planned, now) -> dict[str, object]:
    s = p.state
    targets = s["targets"]
    return dict(title=s["title"], body=s["body"], category=s["category"], number=s["number"],
                document_id=p.document_id, start_date=s["start"], deadline=s["deadline"],
                deadline_text=s["deadline_text"], updated_at=now, **target_values(targets[0] if targets else None))


def _insert(conn: Connection, plans: list[Planned], now, reason: str, file_name: str) -> dict[str, int]:
    """The new tasks (and, for those given a status, its move recorded); returns their ids by code."""
    if not plans:
        return {}
    rows = []
    for p in plans:
        closed = p.status == "closed"
        rows.append(dict(_scalars(p, now), code=p.code, status=p.status, created_at=now,
                         closed_at=now if closed else None,
                         closed_note=t("taskimport.closed_note", file=file_name, row=p.row) if closed else None))
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(T.task), rows[start:start + _CHUNK])
    ids: dict[str, int] = {}
    codes = [p.code for p in plans]
    for start in range(0, len(codes), _CHUNK):
        ids.update(conn.execute(select(T.task.c.code, T.task.c.id).where(
            T.task.c.code.in_(codes[start:start + _CHUNK]))).all())
    moved = [dict(task_id=ids[p.code], field="status", old_value="not_started", new_value=p.status, reason=reason,
                  changed_at=now) for p in plans if p.status != "not_started"]
    if moved:
        conn.execute(insert(T.task_change), moved)
    return ids


def _update(conn: Connection, plans: list[Planned], ids: dict[str, int], now) -> None:
    """Every changed task's columns, in one executemany."""
    rows = [dict(_scalars(p, now), tid=ids[p.code]) for p in plans]
    for start in range(0, len(rows), _CHUNK):
        conn.execute(update(T.task).where(T.task.c.id == bindparam("tid")), rows[start:start + _CHUNK])


_PARTS = (  # table, the fields whose change rewrites it
    (T.task_unit, {"leads", "supports"}), (T.task_leader, {"leaders"}), (T.milestone, {"milestones"}),
    (T.task_target, {"target"}),
)


def _write_parts(conn: Connection, new: list[Planned], known: list[Planned], ids: dict[str, int],
                 unit_ids: dict[str, int], now) -> None:
    """Units, leaders, milestones and targets: a new task's all, a known task's where they change (old rows out)."""
    for table, fields in _PARTS:
        changed = [p for p in known if fields & {f for f, _, _ in p.changes}]
        tids = [ids[p.code] for p in changed]
        if table is T.task_unit or table is T.task_leader:  # kept for reports rebuilt for an earlier day
            kind = described.UNITS if table is T.task_unit else described.LEADERS
            described.keep(conn, kind, described.current(conn, kind, tids), now)
        for start in range(0, len(tids), _CHUNK):
            conn.execute(delete(table).where(table.c.task_id.in_(tids[start:start + _CHUNK])))
        rows = [row for p in (*new, *changed) for row in _part_rows(table, p, ids[p.code], unit_ids)]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[start:start + 5000])


def _part_rows(table, p: Planned, tid: int, unit_ids: dict[str, int]) -> list[dict]:
    s = p.state
    if table is T.task_unit:
        return [dict(task_id=tid, unit_id=unit_ids[name], role=role, position=i)
                for role, key in (("lead", "leads"), ("support", "supports")) for i, name in enumerate(s[key])]
    if table is T.task_leader:
        return [dict(task_id=tid, name=name, position=i) for i, name in enumerate(s["leaders"])]
    if table is T.milestone:
        return [dict(task_id=tid, due_date=m.due, expected_percent=m.percent, expected_value=m.value)
                for m in sorted(s["milestones"], key=lambda m: m.due)]
    return [dict(task_id=tid, position=i, metric=tg.metric, comparator=tg.comparator, value=tg.value, unit=tg.unit)
            for i, tg in enumerate(s["targets"])]


def _history(conn: Connection, plans: list[Planned], ids: dict[str, int], reason: str, now) -> None:
    """Each change of a known task, as ``task edit`` records it."""
    rows = [dict(task_id=ids[p.code], field=name, old_value=history_value(name, old),
                 new_value=history_value(name, new), reason=reason, changed_at=now)
            for p in plans for name, old, new in p.changes]
    for start in range(0, len(rows), 5000):
        conn.execute(insert(T.task_change), rows[start:start + 5000])


def _parents(conn: Connection, plans: list[Planned], ids: dict[str, int]) -> None:
    """Parent links, once every task of the file has its id (a parent may come later in the file)."""
    if not plans:
        return
    wanted = sorted({str(p.state["parent"]) for p in plans if p.state["parent"]} - set(ids))
    for start in range(0, len(wanted), _CHUNK):
        ids.update(conn.execute(select(T.task.c.code, T.task.c.id).where(
            T.task.c.code.in_(wanted[start:start + _CHUNK]))).all())
    rows = [dict(tid=ids[p.code], parent_id=ids[p.state["parent"]] if p.state["parent"] else None)
            for p in plans]
    conn.execute(update(T.task).where(T.task.c.id == bindparam("tid")), rows)
