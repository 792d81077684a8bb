"""The data of a 台账 import: options, what it did, a task as the ledger holds it, and what a row changes.

Plain dataclasses and two functions: :func:`load_current` reads tasks as the
ledger holds them, a thousand at a time; :func:`changes` says what a row's
state changes in one, field by field, in the order the history records them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.quantities import MilestoneSpec, Target
from sixbao_cli.services.export import task_parts
from sixbao_cli.services.tasks import milestones_text, target_str

TASKS_SHOWN = 1000  # tasks listed in the result (dry run, --json); the counts are always complete
CHUNK = 1000  # ids or names per IN list
# The history's order of fields, as ``task edit`` records them, then what only a sheet changes.
FIELDS = ("title", "body", "category", "start", "deadline", "target", "leads", "supports", "leaders", "milestones",
          "number", "document", "deadline_text", "parent")


@dataclass
class TaskImportOptions:
    """How to import: create unknown units, the year of deadlines written without one, the CSV's encoding."""

    create_units: bool = False
    year: int | None = None
    encoding: str | None = None


@dataclass
class ImportedTask:
    """A task the import adds or changes (or, dry, would), with the row it comes from and each field's change."""

    row: int
    code: str
    outcome: str  # new | updated
    title: str
    changes: list[tuple[str, str | None, str | None]]  # (field, before, after) as the history writes them


@dataclass
class TaskImport:
    """What importing one 台账 file did (or, dry, would do)."""

    file: str
    checksum: str
    outcome: str  # imported | unchanged | already_imported
    dry_run: bool = False
    batch: int | None = None
    previous_batch: int | None = None
    previous_at: datetime | None = None
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 0
    rows: int = 0  # task rows read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    footer_rows: int = 0
    headings: int = 0  # heading rows (一、保居民就业 …) passed over
    ignored_columns: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    documents_created: list[str] = field(default_factory=list)
    carried_categories: int = 0  # rows whose blank 类别 took the category above them
    default_year: int | None = None  # the year given to deadlines without one, when neither --year nor a start said
    default_year_rows: int = 0
    default_starts: int = 0  # new tasks without a start date
    matched_by_title: list[str] = field(default_factory=list)  # codes of rows without a code, found by title
    status_kept: list[str] = field(default_factory=list)  # known tasks whose 状态 in the sheet differs
    no_lead: list[str] = field(default_factory=list)  # new tasks with no lead unit
    tasks: list[ImportedTask] = field(default_factory=list)  # the first TASKS_SHOWN added or changed, in file order

    @property
    def written(self) -> int:
        return self.new + self.updated


@dataclass
class Current:
    """A task as the ledger holds it, in the terms a sheet states it."""

    id: int
    code: str
    title: str
    body: str | None
    category: str
    number: str | None
    document_id: int | None
    document: str | None  # its 文号, or title
    start: date
    deadline: date | None
    deadline_text: str | None
    target: Target | None
    milestones: list[MilestoneSpec]
    leads: list[str]
    supports: list[str]
    leaders: list[str]
    status: str
    parent: str | None
    first_report: date | None


@dataclass
class Planned:
    """What one row will write: the task's state after it, and the fields that change."""

    row: int
    code: str | None  # None: a new task whose code is made from its category when written
    current: Current | None
    state: dict[str, object]
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    document_id: int | None = None  # the source document when the ledger has it
    status: str = "not_started"

    @property
    def outcome(self) -> str:
        return "new" if self.current is None else "updated" if self.changes else "unchanged"


def changes(current: Current, state: dict, document_id: int | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field the row changes, in the history's order."""
    old = dict(title=current.title, body=current.body, category=current.category, start=current.start,
               deadline=current.deadline, target=current.target, leads=current.leads, supports=current.supports,
               leaders=current.leaders, milestones=current.milestones, number=current.number,
               document=current.document, deadline_text=current.deadline_text, parent=current.parent)
    new = dict(state, target=state["targets"][0] if state["targets"] else None)
    out = []
    for name in FIELDS:
        a, b = old[name], new[name]
        if name == "target":
            same = target_str(a) == target_str(b)
        elif name == "milestones":
            same = milestones_text(a) == milestones_text(b)
        elif name == "document":
            same = document_id == current.document_id and (document_id is not None or b is None)
        elif name in ("body", "number", "deadline_text", "title"):
            same = ((a or "").strip() or None) == ((b or "").strip() or None)
        else:
            same = a == b
        if not same:
            out.append((name, a, b))
    return out


def chunks(values: set) -> list[list]:
    ordered = sorted(values)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def load_current(conn: Connection, ids: list[int]) -> dict[int, Current]:
    """The tasks ``ids`` as the ledger holds them, a thousand at a time."""
    task, d, parent, p = T.task, T.document, T.task.alias("parent"), T.progress
    out: dict[int, Current] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        units, leaders, milestones = task_parts(conn, chunk)
        first = dict(conn.execute(select(p.c.task_id, func.min(p.c.report_date)).where(p.c.task_id.in_(chunk))
                                  .group_by(p.c.task_id)).all())
        for r in conn.execute(
                select(task, func.coalesce(d.c.doc_number, d.c.title).label("doc"), parent.c.code.label("parent_code"))
                .outerjoin(d, d.c.id == task.c.document_id).outerjoin(parent, parent.c.id == task.c.parent_id)
                .where(task.c.id.in_(chunk))):
            target = None
            if r.target_value is not None:
                target = Target(r.target_metric or "", r.target_comparator or ">=", r.target_value, r.target_unit)
            out[r.id] = Current(
                id=r.id, code=r.code, title=r.title, body=r.body, category=r.category, number=r.number,
                document_id=r.document_id, document=r.doc, start=r.start_date, deadline=r.deadline,
                deadline_text=r.deadline_text, target=target,
                milestones=sorted(milestones[r.id], key=lambda m: m.due), leads=units[r.id]["lead"],
                supports=units[r.id]["support"], leaders=leaders[r.id], status=r.status, parent=r.parent_code,
                first_report=first.get(r.id))
    return out
