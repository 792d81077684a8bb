"""The ledger's tables, declared once with SQLModel.

These classes are the schema of record: the Alembic revisions in
``migrations/`` must build exactly this (``tests/test_migrations.py`` compares
a migrated blank database against ``SQLModel.metadata``). Codes stored in the
database are ASCII (status ``in_progress``, role ``lead``); the Chinese labels
users see come from the message catalog.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    TextClause,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from sixbao_cli.sqltypes import UtcDateTime
from sixbao_cli.vocab import ROLES, STATUSES

# Stable constraint names: Alembic batch migrations on SQLite and ALTERs on
# PostgreSQL need to address constraints by name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _present(name: str, column: str, where: TextClause) -> Index:
    """An index over the rows where ``column`` is set (``where``: ``column IS NOT NULL``), for a column most
    rows leave NULL.

    With statistics (``ANALYZE``, ``PRAGMA optimize``, a DB browser's
    "analyze") SQLite counts the NULLs as one value shared by every row, so an
    index over a mostly-NULL column looks useless and a lookup such as
    ``child.parent_id = task.id`` becomes a scan of the table for every row:
    ``report weekly`` on 100,000 tasks went from seconds to not finishing
    within minutes. An index without the NULLs has no such statistics to
    mislead and still serves every ``=`` and ``IN`` on the column.
    """
    return Index(name, column, sqlite_where=where, postgresql_where=where)


TASK_STATUSES = STATUSES
UNIT_ROLES = ROLES
DOC_LEVELS = ("province", "city", "county", "district", "other")


def _fk(target: str, *, nullable: bool = True, ondelete: str | None = None, index: bool = False) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Document(SQLModel, table=True):
    """A source plan (实施意见 / 实施方案 / 工作方案 …)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_type=Text)
    doc_number: str | None = None  # 文号, e.g. 吉发〔2020〕17号
    issuer: str | None = None
    issue_date: date | None = None
    level: str | None = None
    year: int | None = None
    source_name: str | None = None
    checksum: str | None = Field(default=None, unique=True)  # sha256 of the text
    created_at: datetime = Field(sa_type=UtcDateTime)

    __table_args__ = (CheckConstraint(f"level IN {DOC_LEVELS}", name="level"),)


class Unit(SQLModel, table=True):
    """A 单位: a department, a government, or a unit group such as 各地党委、政府."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    parent_id: int | None = Field(default=None, sa_column=_fk("unit.id"))
    region: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class UnitAlias(SQLModel, table=True):
    """Another name a unit goes by (市人社局 for 市人力资源社会保障局)."""

    __tablename__ = "unit_alias"
    alias: str = Field(primary_key=True)
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False, ondelete="CASCADE", index=True))


class Task(SQLModel, table=True):
    """One numbered task of a plan, or one typed in by hand."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    category: str = Field(index=True)
    document_id: int | None = Field(default=None, sa_column=_fk("document.id", index=True))
    annex: str | None = None  # 附件3
    section: str | None = None  # 二、保居民就业
    number: str | None = None  # the number as written: （十三）, 5.
    parent_id: int | None = Field(default=None, sa_column=_fk("task.id"))  # indexed where set (_present)
    title: str = Field(sa_type=Text)
    body: str | None = Field(default=None, sa_type=Text)
    start_date: date
    deadline: date | None = Field(default=None, index=True)
    deadline_text: str | None = None  # the phrase it came from: 6月底前
    target_metric: str | None = None
    target_value: float | None = None
    target_unit: str | None = None
    target_comparator: str | None = None  # >=, <=, =
    status: str = Field(default="not_started", index=True)
    # Where the task stands in its plan ("2.3.1.4": annex, section, item, sub-item
    # ordinals) so that importing a revised plan updates it in place.
    source_key: str | None = None
    position: int | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)

    __table_args__ = (
        # a unique index, not a constraint: SQLite adds an index without rebuilding the table
        Index("uq_task_document_id_source_key", "document_id", "source_key", unique=True),
        _present("ix_task_parent_id", "parent_id", text("parent_id IS NOT NULL")),  # most tasks have no parent
        CheckConstraint(f"status IN {TASK_STATUSES}", name="status"),
        CheckConstraint("target_comparator IN ('>=', '<=', '=')", name="target_comparator"),
    )


class TaskTarget(SQLModel, table=True):
    """Every quantity a task's text sets as a goal; the task's own target_* columns hold the one it is measured by."""

    __tablename__ = "task_target"
    task_id: int = Field(sa_column=Column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True))
    position: int = Field(primary_key=True)
    metric: str
    comparator: str
    value: float
    unit: str | None = None

    __table_args__ = (CheckConstraint("comparator IN ('>=', '<=', '=')", name="comparator"),)


class DocumentContext(SQLModel, table=True):
    """A part of a plan that is not a task (总体要求, 保障措施 …), kept for the rules that cite it."""

    __tablename__ = "document_context"
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(sa_column=_fk("document.id", nullable=False, ondelete="CASCADE", index=True))
    annex: int | None = None
    heading: str = Field(sa_type=Text)
    body: str = Field(sa_type=Text)
    position: int = 0


class TaskUnit(SQLModel, table=True):
    """A unit's part in a task: 牵头 (lead) or 配合 (support), in the order the plan lists them."""

    __tablename__ = "task_unit"
    task_id: int = Field(sa_column=Column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True))
    unit_id: int = Field(sa_column=Column(Integer, ForeignKey("unit.id"), primary_key=True))
    role: str
    position: int = 0

    __table_args__ = (
        CheckConstraint(f"role IN {UNIT_ROLES}", name="role"),
        # the task last, so that a unit's tasks (the ranking's count per unit, a --unit filter) come from
        # the index alone, without a lookup of each row in the table
        Index("ix_task_unit_unit_id_role_task_id", "unit_id", "role", "task_id"),
    )


class TaskLeader(SQLModel, table=True):
    """A 责任领导 named for a task."""

    __tablename__ = "task_leader"
    task_id: int = Field(sa_column=Column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True))
    name: str = Field(primary_key=True, index=True)
    position: int = 0


class TaskUnitHistory(SQLModel, table=True):
    """The units a task had until they were replaced: a report rebuilt for an earlier day names them.

    When a task's lead or support units change, its rows in ``task_unit`` as
    they stood are copied here with the moment they were replaced, all under
    that one moment; a task that had no unit then gets one row with no unit.
    The units a task had at a moment are those of its first replacement after
    it, or its current ones when none came later. (The change history's text
    joins names with 、, which a unit's own name may hold: 各地党委、政府.)
    """

    __tablename__ = "task_unit_history"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id", nullable=False, ondelete="CASCADE"))
    unit_id: int | None = Field(sa_column=_fk("unit.id"))
    role: str | None = None
    position: int | None = None
    replaced_at: datetime = Field(sa_type=UtcDateTime)

    __table_args__ = (
        CheckConstraint(f"role IN {UNIT_ROLES}", name="role"),
        Index("ix_task_unit_history_task_id_replaced_at", "task_id", "replaced_at"),
        Index("ix_task_unit_history_replaced_at", "replaced_at"),
    )


class TaskLeaderHistory(SQLModel, table=True):
    """The 责任领导 a task had until they were replaced, as :class:`TaskUnitHistory` keeps its units."""

    __tablename__ = "task_leader_history"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id", nullable=False, ondelete="CASCADE"))
    name: str | None = None
    position: int | None = None
    replaced_at: datetime = Field(sa_type=UtcDateTime)

    __table_args__ = (
        Index("ix_task_leader_history_task_id_replaced_at", "task_id", "replaced_at"),
        Index("ix_task_leader_history_replaced_at", "replaced_at"),
    )


class Milestone(SQLModel, table=True):
    """A dated checkpoint: by this date, this percent (or this value) is expected."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id", nullable=False, ondelete="CASCADE"))
    due_date: date
    expected_percent: float | None = None
    expected_value: float | None = None
    note: str | None = None

    __table_args__ = (
        UniqueConstraint("task_id", "due_date"),
        CheckConstraint("expected_percent IS NULL OR (expected_percent >= 0 AND expected_percent <= 100)", name="percent"),
    )


class ImportBatch(SQLModel, table=True):
    """One imported file: every progress entry it brought in points here."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # progress | tasks | document
    file_name: str
    checksum: str = Field(index=True)
    unit_id: int | None = Field(default=None, sa_column=_fk("unit.id"))
    row_count: int = 0
    created_at: datetime = Field(sa_type=UtcDateTime)
    undone_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # What decided how the file was read, as canonical JSON ({"encoding": "gb18030", "year": 2020}): the same bytes
    # read otherwise are another import. NULL for batches from before revision 0006 (read with the defaults).
    read_options: str | None = None


class Progress(SQLModel, table=True):
    """A progress report. Append-only: a correction is a new row that supersedes an older one."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id", nullable=False))
    unit_id: int = Field(sa_column=_fk("unit.id", nullable=False))
    report_date: date
    percent: float | None = None
    value: float | None = None
    note: str | None = Field(default=None, sa_type=Text)  # 进展情况
    problems: str | None = Field(default=None, sa_type=Text)  # 存在问题
    next_steps: str | None = Field(default=None, sa_type=Text)  # 下步计划
    reporter: str | None = None
    source: str = "manual"  # manual | import
    batch_id: int | None = Field(default=None, sa_column=_fk("import_batch.id"))  # indexed where set (_present)
    # unique: an entry is superseded at most once, so corrections form a chain
    supersedes_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("progress.id"), unique=True, nullable=True)
    )
    recorded_at: datetime = Field(sa_type=UtcDateTime)

    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)", name="percent"),
        CheckConstraint("percent IS NOT NULL OR value IS NOT NULL", name="measure"),
        CheckConstraint("source IN ('manual', 'import')", name="source"),
        Index("ix_progress_task_id_report_date", "task_id", "report_date"),
        Index("ix_progress_unit_id_report_date", "unit_id", "report_date"),
        Index("ix_progress_report_date_id", "report_date", "id"),  # progress list: newest first
        _present("ix_progress_batch_id", "batch_id", text("batch_id IS NOT NULL")),  # entries typed in by hand have no batch
        Index("ix_progress_recorded_at", "recorded_at"),  # kept facts: what was recorded since (services/kept_facts.py)
    )


class TaskChange(SQLModel, table=True):
    """The history of edits to a task: which field, from what, to what, and why."""

    __tablename__ = "task_change"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id", nullable=False, ondelete="CASCADE"))
    field: str
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    reason: str | None = Field(default=None, sa_type=Text)
    changed_at: datetime = Field(sa_type=UtcDateTime)

    # A report asks, for every task, its last status change before a moment:
    # one probe of this index per task.
    __table_args__ = (Index("ix_task_change_task_id_field_changed_at", "task_id", "field", "changed_at"),)


class XunVerdict(SQLModel, table=True):
    """Whether a task was red at a 旬 checkpoint that has passed, judged once and kept for the ladder.

    Derived data, not the ledger's record: what the ledger knew at a past
    checkpoint does not change, so a verdict judged there holds for every later
    report judging by the same rules (``rules_key``). services/verdicts.py says
    when one is kept and when it is no longer trusted.
    """

    __tablename__ = "xun_verdict"
    checkpoint: date = Field(primary_key=True)
    rules_key: str = Field(primary_key=True)
    task_id: int = Field(primary_key=True)
    red: bool


class VerdictMark(SQLModel, table=True):
    """One row: how far the stamped tables reached when the kept verdicts were last brought up to date.

    A row above a mark was written since; its stamp says from which checkpoint
    on the kept verdicts may be stale (services/verdicts.py).
    """

    __tablename__ = "verdict_mark"
    id: int = Field(primary_key=True)
    progress_id: int = 0
    task_id: int = 0
    change_id: int = 0
    unit_history_id: int = 0
    leader_history_id: int = 0
    undone_batches: int = 0  # how many import batches were undone, and the sum of their ids: an undo
    undone_id_sum: int = Field(default=0, sa_type=BigInteger)  # stamps its batch in place, above no mark


class KeptFact(SQLModel, table=True):
    """A task's facts as the ledger knew them on the day of :class:`KeptFactMark`, kept for the next report.

    Derived data, not the ledger's record: the status, latest entry and lead
    unit's last report a report judged the task on (services/kept_facts.py
    says when they still hold). No foreign key: it is rebuilt, not maintained.
    """

    __tablename__ = "kept_fact"
    task_id: int = Field(primary_key=True)
    status: str
    percent: float | None = None
    value: float | None = None
    last_lead: date | None = None
    last_report: date | None = None
    done_on: date | None = None
    # the milestones on either side of the day: the last before it and the first from it on, each with
    # 序时进度 there (services.judging._milestone_points)
    next_due: date | None = None
    next_pct: float | None = None
    prev_due: date | None = None
    prev_pct: float | None = None


class KeptFactMark(SQLModel, table=True):
    """One row: the day the kept facts are of, when they were read, and how far the stamped tables reached then."""

    __tablename__ = "kept_fact_mark"
    id: int = Field(primary_key=True)
    day: date
    version: str  # kept_facts.VERSION and the program's version: facts kept by another are not read
    read_at: datetime = Field(sa_type=UtcDateTime)
    progress_id: int = 0
    task_id: int = 0
    change_id: int = 0
    unit_history_id: int = 0
    leader_history_id: int = 0
    undone_batches: int = 0
    undone_id_sum: int = Field(default=0, sa_type=BigInteger)
    # the 旬 (numbered as xun.Xun.number) whose reports per unit are kept in KeptUnitXun; None: none kept
    xun_from: int | None = None
    xun_to: int | None = None


class KeptUnitXun(SQLModel, table=True):
    """How many reports a unit filed in one 旬 on the tasks it led or supported, as of the :class:`KeptFactMark`.

    Derived data for the ranking's 按时报送率 (services/ranking.py), rebuilt
    by reports, never maintained: the ended 旬 the mark names, over every
    task judged, with the units' roles then.
    """

    __tablename__ = "kept_unit_xun"
    unit_id: int = Field(primary_key=True)
    role: str = Field(primary_key=True)  # lead | support
    xun: int = Field(primary_key=True)
    n: int


class Setting(SQLModel, table=True):
    """Per-ledger settings (the rules file to use, the office's name …)."""

    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)
