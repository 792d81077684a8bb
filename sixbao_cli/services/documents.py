"""Importing a parsed plan into the ledger: its document, context and tasks, new or revised.

The same text imported twice changes nothing (the checksum is the plan's
identity). A revised version of a plan already in the ledger (same 文号, or
same title and issuer) updates its tasks in place, matched by their place in
the plan: codes and every progress entry stay, and each changed field is
recorded in the task's history with the revision as its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.docparse.model import ParsedDocument, ParsedTask, ParseWarning
from sixbao_cli.errors import InvalidInput
from sixbao_cli.messages import t
from sixbao_cli.services.tasks import TaskChanges, TaskSpec, add_task, edit_task, set_targets
from sixbao_cli.services.units import add_alias, find_unit
from sixbao_cli.sqltypes import utcnow


@dataclass
class ImportedTask:
    """A parsed task and what became of it: its code, new / updated / unchanged, and what the ledger stores."""

    code: str
    outcome: str
    task: ParsedTask
    changed: list[str] = field(default_factory=list)
    spec: TaskSpec | None = None  # dates and milestones as written to the ledger
    leads: list[str] = field(default_factory=list)  # units as the ledger names them (through the alias table)
    supports: list[str] = field(default_factory=list)


@dataclass
class DocumentImport:
    """What ``import-doc`` did (or, dry, would do)."""

    outcome: str  # new | revised | unchanged
    document_id: int
    tasks: list[ImportedTask]
    dropped: list[str]  # codes of tasks the revised plan no longer lists
    warnings: list[ParseWarning]


def _dates(task: ParsedTask, doc: ParsedDocument) -> tuple[date, date | None]:
    """Start and deadline that fit together: a plan may set a deadline before its own issue date."""
    start = task.start or doc.issued_on or date(doc.year, 1, 1)
    deadline = task.deadline
    earliest = min([m.due for m in task.milestones] + ([deadline] if deadline else []), default=None)
    if earliest is not None and earliest < start:
        # a plan issued in August may set a 5月底 milestone or a 3月底 deadline: the task began with the year
        start = min(date(doc.year, 1, 1), earliest)
    return start, deadline


def _spec(task: ParsedTask, doc: ParsedDocument, document_id: int, position: int, parent: str | None) -> TaskSpec:
    start, deadline = _dates(task, doc)
    leads = task.responsibility.leads
    supports = [u for u in task.responsibility.supports if u not in leads]
    milestones = [m for m in task.milestones if start <= m.due and (deadline is None or m.due <= deadline)]
    return TaskSpec(
        title=task.title, category=task.category, body=task.text, leads=leads, supports=supports,
        leaders=task.responsibility.leaders, start=start, deadline=deadline, deadline_text=task.deadline_text,
        target=task.targets[0] if task.targets else None, targets=task.targets, milestones=milestones,
        parent_code=parent, number=task.number, document_id=document_id,
        annex=str(task.annex) if task.annex is not None else None, section=task.section,
        source_key=task.key, position=position, require_lead=False,
    )


def _find_document(conn: Connection, doc: ParsedDocument) -> tuple[int | None, bool]:
    """(document id, same text?) for a plan already in the ledger, by checksum, else by 文号 or title."""
    d = T.document
    same = conn.execute(select(d.c.id).where(d.c.checksum == doc.checksum)).scalar()
    if same is not None:
        return same, True
    if not doc.issuer:
        # Without an issuer, two bodies' plans of the same title cannot be told
        # apart: a new document, never a revision of someone else's.
        return None, False
    conditions = [d.c.title == doc.title]
    if doc.doc_number:
        conditions.append(d.c.doc_number == doc.doc_number)
    earlier = conn.execute(
        select(d.c.id).where(d.c.issuer == doc.issuer, or_(*conditions)).order_by(d.c.id)).scalar()
    return earlier, False


def import_document(conn: Connection, doc: ParsedDocument, *, source_name: str, today: date) -> DocumentImport:
    """Write ``doc`` into the ledger (inside the caller's transaction) and say what changed."""
    if not doc.tasks:
        raise InvalidInput("doc.no_tasks", title=doc.title)
    d = T.document
    document_id, same = _find_document(conn, doc)
    if same:
        codes = dict(conn.execute(select(T.task.c.source_key, T.task.c.code).where(T.task.c.document_id == document_id)).all())
        tasks = [ImportedTask(codes.get(task.key, "—"), "unchanged", task) for task in doc.tasks]
        return DocumentImport("unchanged", document_id, tasks, [], doc.warnings)
    values = dict(title=doc.title, doc_number=doc.doc_number, issuer=doc.issuer, issue_date=doc.issued_on,
                  level=doc.level, year=doc.year, source_name=source_name, checksum=doc.checksum)
    if document_id is None:
        outcome = "new"
        document_id = conn.execute(insert(d).values(created_at=utcnow(), **values)).inserted_primary_key[0]
    else:
        outcome = "revised"
        conn.execute(update(d).where(d.c.id == document_id).values(**values))
    conn.execute(delete(T.document_context).where(T.document_context.c.document_id == document_id))
    if doc.context:
        conn.execute(insert(T.document_context), [
            dict(document_id=document_id, annex=block.annex, heading=block.heading, body=block.text, position=i)
            for i, block in enumerate(doc.context)
        ])
    matched = _align(conn, document_id, doc.tasks)
    if matched:
        # keys are positions and positions move in a revision: clear them, then set the new ones
        conn.execute(update(T.task).where(T.task.c.document_id == document_id).values(source_key=None))
    codes: dict[str, str] = {}
    imported: list[ImportedTask] = []
    reason = t("doc.revision_reason", title=doc.title)
    for position, task in enumerate(doc.tasks):
        parent = codes.get(task.parent_key) if task.parent_key else None
        spec = _spec(task, doc, document_id, position, parent)
        code = matched.get(task.key)
        if code is None:
            code = add_task(conn, spec, today=today, create_units=True)
            imported.append(ImportedTask(code, "new", task, spec=spec))
        else:
            changed = _revise(conn, code, spec, reason)
            imported.append(ImportedTask(code, "updated" if changed else "unchanged", task, changed, spec=spec))
        codes[task.key] = code
    _stored_units(conn, document_id, imported)
    _record_aliases(conn, doc.unit_aliases)
    kept = set(codes.values())
    dropped = sorted(code for (code,) in conn.execute(
        select(T.task.c.code).where(T.task.c.document_id == document_id)) if code not in kept)
    return DocumentImport(outcome, document_id, imported, dropped, doc.warnings)


def _stored_units(conn: Connection, document_id: int, imported: list[ImportedTask]) -> None:
    """Fill in each task's units as the ledger stores them (aliases resolved), in one query."""
    rows = conn.execute(
        select(T.task.c.code, T.task_unit.c.role, T.unit.c.name)
        .join(T.task_unit, T.task_unit.c.task_id == T.task.c.id).join(T.unit, T.unit.c.id == T.task_unit.c.unit_id)
        .where(T.task.c.document_id == document_id).order_by(T.task.c.code, T.task_unit.c.position)
    ).all()
    by_code = {item.code: item for item in imported}
    for code, role, name in rows:
        if code in by_code:
            (by_code[code].leads if role == "lead" else by_code[code].supports).append(name)


def _record_aliases(conn: Connection, aliases: dict[str, str]) -> None:
    """A unit's other spelling in the plan (县发改局 for 县发展改革局) becomes its alias, unless it names another unit."""
    for alias, name in aliases.items():
        if find_unit(conn, alias) is None and find_unit(conn, name) is not None:
            add_alias(conn, name, alias)


def _norm_title(title: str) -> str:
    return "".join(ch for ch in title if ch.isalnum())


def _align(conn: Connection, document_id: int, tasks: list[ParsedTask]) -> dict[str, str]:
    """Which task of the ledger each task of the revised plan is (new key -> code).

    By content, not position: a task keeps its code when the revised plan
    still states it — same title in the same annex, or, failing that, a very
    similar title in the same annex and section (a reworded title). An item
    inserted or deleted in the middle therefore moves no code and no progress
    onto another task; what matches nothing is new, and what nothing matches
    is reported as no longer in the plan.
    """
    import difflib

    old = conn.execute(select(T.task.c.code, T.task.c.annex, T.task.c.section, T.task.c.title)
                       .where(T.task.c.document_id == document_id).order_by(T.task.c.position)).all()
    free = {row.code: row for row in old}
    found: dict[str, str] = {}
    for task in tasks:  # same annex, same title
        annex = str(task.annex) if task.annex is not None else None
        for code, row in free.items():
            if row.annex == annex and _norm_title(row.title) == _norm_title(task.title):
                found[task.key] = code
                del free[code]
                break
    for task in tasks:  # a reworded title in the same annex and section
        if task.key in found:
            continue
        annex = str(task.annex) if task.annex is not None else None
        best, score = None, 0.0
        for code, row in free.items():
            if row.annex == annex and row.section == task.section:
                ratio = difflib.SequenceMatcher(a=_norm_title(row.title), b=_norm_title(task.title)).ratio()
                if ratio > score:
                    best, score = code, ratio
        if best is not None and score >= 0.75:
            found[task.key] = best
            del free[best]
    return found


def _revise(conn: Connection, code: str, spec: TaskSpec, reason: str) -> list[str]:
    """Bring a task in line with the revised plan; the names of the fields that changed."""
    changes = TaskChanges(
        title=spec.title, body=spec.body, category=spec.category, leads=spec.leads, supports=spec.supports,
        leaders=spec.leaders, start=spec.start, deadline=spec.deadline, target=spec.target,
        clear_target=spec.target is None, milestones=spec.milestones, require_lead=False,
    )
    done = edit_task(conn, code, changes, force=True, reason=reason, create_units=True)
    task_id = conn.execute(select(T.task.c.id).where(T.task.c.code == code)).scalar_one()
    conn.execute(update(T.task).where(T.task.c.id == task_id).values(
        number=spec.number, annex=spec.annex, section=spec.section, position=spec.position,
        deadline_text=spec.deadline_text))
    set_targets(conn, task_id, spec.targets)
    return [name for name, _, _ in done]
