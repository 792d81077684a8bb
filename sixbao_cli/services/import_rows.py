"""Reading a progress sheet's rows into a staging table, and the checks each row must pass.

Rows stream in chunks. Each cell is read in Python (dates, percents,
numbers, text — what only Python parses); the units named in a chunk are
resolved with one query for names and one for aliases, the titles of rows
without a code with one more, and the chunk goes to a temporary table of the
rows as read (:func:`read_table`): one ``executemany`` on SQLite, one ``COPY``
on PostgreSQL. Memory holds one chunk, whatever the file's size.

From there one ``INSERT … SELECT`` moves them to the staging table
(:func:`stage_table`), each row's task found by its code (:func:`row_keys`).
Then the checks that need the ledger run on the staging table in SQL, one
statement each for the whole file: unknown task codes, a unit that is neither
lead nor support of its task, a 销号 task, a date before the task's start.
Each fetches only the first rows it reports (and counts the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Column, Date, Float, Integer, MetaData, String, Table, Text, exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Subquery

from sixbao_cli import tables as T
from sixbao_cli.errors import Conflict, InvalidInput, NotFound, SixbaoError
from sixbao_cli.messages import CATALOG, t
from sixbao_cli.services.import_problems import SHOWN, Problems
from sixbao_cli.services.tasks import normalize_code, task_id
from sixbao_cli.services.units import find_units, resolve_unit, unit_name
from sixbao_cli.sheets.cells import (
    PercentCell,
    date_in_year_before,
    read_date,
    read_number,
    read_percent,
    read_text,
    undated,
    unquote,
)
from sixbao_cli.sheets.header import Layout, fields, header_key, header_scale
from sixbao_cli.sheets.source import Row
from sixbao_cli.units import normalize_name
from sixbao_cli.xun import Xun

CHUNK = 5000
_CACHE_CAP = 10_000  # distinct dates, percents and unit names remembered (a file repeats a few hundred)


def _both(*keys: str) -> list[str]:
    """The headings sixbao itself writes (its templates, in either language)."""
    return [text for key in keys for text in CATALOG[key]]


PROGRESS_FIELDS = fields(
    ("code", ["任务编号", "编号", "任务代码", "代码", "任务号", "code", "task code", "task no", *_both("col.code")],
     ["序号", "no", "no."]),
    ("title", ["任务名称", "任务", "名称", "工作任务", "重点任务", "任务内容", "工作内容", "工作事项", "title", "task",
               "task title", "task name", *_both("col.title")]),
    ("unit", ["填报单位", "报送单位", "单位", "单位名称", "填报部门", "部门", "unit", "reporting unit", "department",
              *_both("template.col.unit")]),
    ("date", ["填报日期", "日期", "报送日期", "填报时间", "报送时间", "时间", "date", "report date", *_both("col.report_date")]),
    ("percent", ["完成进度", "进度", "完成比例", "完成率", "完成百分比", "进度百分比", "完成进度百分比", "percent",
                 "progress", "percent complete", *_both("template.col.percent")]),
    ("value", ["完成数值", "完成值", "数值", "完成量", "完成数", "完成数量", "实际完成", "value", "amount",
               *_both("col.value")]),
    ("note", ["进展情况", "工作进展", "进展", "完成情况", "工作完成情况", "推进情况", "工作进展情况", "进展情况说明", "note",
              "notes", "done", *_both("col.note")]),
    ("problems", ["存在问题", "问题", "存在的问题", "困难和问题", "存在困难", "problems", "problem", "issues",
                  *_both("col.problems")]),
    ("next", ["下步计划", "下一步计划", "下步工作", "下一步工作", "下步打算", "下一步打算", "下步工作计划", "next",
              "next steps", *_both("col.next")]),
    ("reporter", ["填报人", "报送人", "填表人", "经办人", "联系人", "reporter", "reported by", *_both("template.col.reporter")]),
)
# Known columns passed over without a notice: the template's pre-filled ones, and an export's bookkeeping.
PROGRESS_QUIET = frozenset(header_key(h) for h in [
    "职责", "角色", "牵头或配合", "单位职责", "完成时限", "时限", "上次报送进度", "上次进度", "上期进度", "role", "deadline",
    "录入时间", "记录编号", *_both("template.col.role", "col.deadline", "template.col.last_percent"),
])
# ``import tasks``: a 台账 sheet, and what ``export tasks`` writes (its headings, and its JSON keys).
TASK_FIELDS = fields(
    ("code", ["任务编号", "编号", "任务代码", "代码", "任务号", "code", "task code", "task no", *_both("col.code")]),
    ("number", ["序号", "条目序号", "原文序号", "no", "no.", "number", "item"]),
    ("title", ["任务名称", "任务", "名称", "任务名", "工作任务", "重点任务", "任务事项", "工作事项", "事项", "事项名称",
               "重点工作", "title", "task", "task title", "task name", *_both("col.title")]),
    ("body", ["工作内容", "任务内容", "具体内容", "主要内容", "内容", "工作措施", "具体措施", "主要措施", "任务描述", "任务要求",
              "工作要求", "body", "text", "description", "details"]),
    ("category", ["类别", "分类", "类型", "任务类别", "所属类别", "六保类别", "领域", "所属领域", "category", "type",
                  *_both("col.category")]),
    ("document", ["来源文件", "来源", "文件", "依据文件", "政策依据", "出处", "文件名称", "来源方案", "source", "document",
                  "source plan", *_both("col.document")]),
    ("lead", ["牵头单位", "牵头部门", "责任单位", "主责单位", "牵头", "责任部门", "主办单位", "lead", "lead unit", "lead units",
              *_both("col.lead")]),
    ("support", ["配合单位", "配合部门", "协办单位", "参与单位", "配合", "协同单位", "support", "support unit", "support units",
                 *_both("col.support")]),
    ("leaders", ["责任领导", "分管领导", "牵头领导", "负责领导", "责任人", "leader", "leaders", *_both("col.leaders")]),
    ("start", ["开始日期", "开始时间", "启动时间", "起始日期", "开始", "start", "start date", *_both("col.start")]),
    ("deadline", ["完成时限", "完成时间", "时限", "截止日期", "截止时间", "完成期限", "时间要求", "时限要求", "完成日期",
                  "deadline", "due", "due date", *_both("col.deadline")]),
    ("deadline_text", ["时限原文", "时限说明", "deadline text", "deadline as written"]),
    ("target", ["目标", "量化目标", "目标任务", "工作目标", "预期目标", "目标值", "指标", "target", *_both("col.target")]),
    ("milestones", ["时间节点", "节点", "阶段目标", "进度安排", "里程碑", "节点目标", "milestones", "milestone",
                    *_both("col.milestones")]),
    ("status", ["状态", "任务状态", "完成状态", "status", *_both("col.status")]),
    ("parent", ["上级任务", "上级任务编号", "parent", "parent task", *_both("col.parent")]),
)
REPORT_FIELDS = ("date", "percent", "value", "note", "problems", "next", "reporter")
STAGE_COLUMNS = ("row_no", "code", "title", "unit_id", "task_id", "report_date", "xun_start", "xun_end", "pct",
                 "pct_frac", "value", "note", "problems", "next_steps", "reporter")
# How a chunk reaches read_table() on SQLite and on PostgreSQL: STAGE_COLUMNS spelt out, as no SQL is built
# from strings (tests/test_no_sql_strings.py, which also checks that they agree).
INSERT_READ = ("INSERT INTO import_read (row_no, code, title, unit_id, task_id, report_date, xun_start, xun_end, pct, "
               "pct_frac, value, note, problems, next_steps, reporter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
COPY_READ = ("COPY import_read (row_no, code, title, unit_id, task_id, report_date, xun_start, xun_end, pct, "
             "pct_frac, value, note, problems, next_steps, reporter) FROM STDIN")
_LETTER = re.compile(r"[A-Za-z]")


def _row_columns() -> list[Column]:
    """The columns of a row as read (STAGE_COLUMNS), new ones for each table."""
    return [
        Column("row_no", Integer, primary_key=True, autoincrement=False),
        Column("code", String), Column("title", Text),
        Column("unit_id", Integer), Column("task_id", Integer),
        Column("report_date", Date), Column("xun_start", Date), Column("xun_end", Date),
        Column("pct", Float), Column("pct_frac", Float), Column("value", Float),
        Column("note", Text), Column("problems", Text), Column("next_steps", Text), Column("reporter", Text),
    ]


def read_table() -> Table:
    """The temporary table a file's rows are read into, a chunk at a time, as the file gives them."""
    return Table("import_read", MetaData(), *_row_columns(), prefixes=["TEMPORARY"])


def stage_table() -> Table:
    """The temporary table a file's rows are checked in before anything reaches the ledger."""
    return Table(
        "import_stage", MetaData(), *_row_columns(),
        Column("is_first", Integer), Column("is_same", Integer), Column("existing_id", Integer),
        prefixes=["TEMPORARY"],
    )


def row_keys(read: Table) -> Subquery:
    """Each row's number and key: task, unit and 旬 — the task also of rows naming it by code (NULL: unknown)."""
    r, task = read.c, T.task
    return (select(r.row_no, func.coalesce(r.task_id, task.c.id).label("task_id"), r.unit_id, r.xun_start, r.xun_end)
            .select_from(read.outerjoin(task, task.c.code == r.code)).subquery("row_keys"))


@dataclass
class PercentStats:
    """What the percent column holds, for the rule in sheets/cells.py (fractions or percents)."""

    bare: int = 0
    over_one: int = 0  # bare numbers above 1: the column holds percents
    ambiguous: int = 0  # bare numbers strictly between 0 and 1 with a fraction
    ambiguous_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, value as written), the first SHOWN

    @property
    def fractions(self) -> bool:
        """Every bare number lies in 0–1 and one at least has a fraction: the column holds fractions."""
        return self.bare > 0 and self.over_one == 0 and self.ambiguous > 0


class RowReader:
    """Turns a sheet's rows into staging rows, recording every problem in ``problems``."""

    def __init__(self, conn: Connection, layout: Layout, problems: Problems, *, unit_id: int | None, as_of: date,
                 as_of_given: bool, today: date):
        self.conn = conn
        self.layout = layout
        self.problems = problems
        self.unit_id = unit_id
        self.as_of = as_of
        self.limit = t("import.limit_as_of" if as_of_given else "import.limit_today", day=as_of)
        self.today = today
        self.rows = 0  # filled-in rows read
        self.unfilled = 0
        self.footer_rows = 0
        self.percent = PercentStats()
        self.undated_years: set[int] = set()  # the years given to dates written without one
        self._units: dict[str, int | None] = {}
        self._unit_names: dict[int, str] = {}
        self._dates: dict[object, tuple] = {}
        self._percents: dict[tuple, PercentCell] = {}
        cols = layout.columns
        self._index = [cols.get(name) for name in ("code", "title", "unit", *REPORT_FIELDS)]
        self._headers = {name: layout.headers[i] for name, i in cols.items()}
        # 完成数值（万元）: a number without its own 万 or 亿 counts in the heading's unit (2100 is 21,000,000)
        self.value_scale = header_scale(self._headers["value"]) if "value" in cols else None
        self._value_unit = self.value_scale[1] if self.value_scale else 1
        self._weak_code = "code" in layout.weak
        self._iso = conn.dialect.name == "sqlite"  # the sqlite3 module is given dates as the ISO text SQLAlchemy stores

    def problem(self, kind: str, row: int, name: str | None, error: SixbaoError) -> None:
        """Record a problem at ``row``, in the column of field ``name`` (None: the whole row)."""
        self.problems.add(kind, row, self.layout.letter(name) if name else "", error)

    # --- one row: its cells read ------------------------------------------------------------

    def read(self, row: Row) -> list | None:
        """The row's values in staging order (unit as written, task unresolved), or None (empty, footer, problem)."""
        cells = row.cells
        width = len(cells)
        values = []
        for i in self._index:  # trimmed, None when empty (the hot loop: a million rows pass here)
            if i is None or i >= width:
                values.append(None)
                continue
            cell = cells[i]
            if cell.__class__ is str:
                cell = cell.strip() or None
            values.append(cell)
        code_c, title_c, unit_c, day_c, pct_c, value_c, *texts = values
        if day_c is None and pct_c is None and value_c is None and texts.count(None) == 4:
            if row.footer:
                self.footer_rows += 1
            else:
                self.unfilled += 1
            return None
        if row.footer:
            if row.label or (code_c is None and title_c is None):  # a signature line, or a note below the table
                self.footer_rows += 1
                return None
            self.problem("rows", row.number, None, InvalidInput("import.row_after_footer"))
            return None
        self.rows += 1
        n = row.number
        ok = True
        dates = pct = value = None
        if day_c is None:
            ok = False
            self.problem("rows", n, "date", InvalidInput("import.no_date", field=self._headers["date"]))
        else:
            found = self._dates.get(day_c) or self._read_date(day_c)
            dates, error = found
            if error is not None:
                ok = False
                self.problem("rows", n, "date", error)
        if pct_c is not None:
            key = (pct_c.__class__, pct_c)  # 0.6 shown as 60% is not the number 0.6
            pct = self._percents.get(key)
            if pct is None:
                try:
                    pct = read_percent(pct_c, field=self._headers["percent"])
                except SixbaoError as exc:
                    ok = False
                    self.problem("rows", n, "percent", exc)
                else:
                    if len(self._percents) < _CACHE_CAP:
                        self._percents[key] = pct
            if pct is not None and pct.bare:
                self._count_percent(n, pct, pct_c)
        if value_c is not None:
            try:
                value = read_number(value_c, field=self._headers["value"], unit=self._value_unit)
            except SixbaoError as exc:
                ok = False
                self.problem("rows", n, "value", exc)
        if pct is None and value is None and ok:
            ok = False
            measures = [self._headers[f] for f in ("percent", "value") if f in self._headers]
            key = "import.no_measure" if len(measures) > 1 else "import.no_measure_one"
            self.problem("rows", n, None, InvalidInput(key, columns=t("sep.list").join(measures)))
        code = self._task_ref(code_c) if code_c is not None else None
        title = unquote(title_c) if title_c.__class__ is str else read_text(title_c)
        if code is None and title is None:
            ok = False
            self.problem("rows", n, None, InvalidInput("import.no_task"))
        if not ok:
            return None
        if unit_c is not None and unit_c.__class__ is not str:
            unit_c = read_text(unit_c)
        note, problems, next_steps, reporter = (unquote(v) if v.__class__ is str else read_text(v) for v in texts)
        pct_value = pct.percent if pct else None
        pct_fraction = pct.fraction if pct else None
        day, start, end = dates
        return [n, code, title, unit_c, None, day, start, end,
                pct_value, pct_fraction, value, note, problems, next_steps, reporter]

    def _read_date(self, cell: object) -> tuple:
        """((day, its 旬's start, end) as staged, or None; the problem, or None) for a date cell; remembered."""
        try:
            month_day = undated(cell)
            if month_day is not None:  # 9月25日: the year of the day the import is as of, or the year before
                day = date_in_year_before(*month_day, self.as_of, field=self._headers["date"], raw=str(cell))
                self.undated_years.add(day.year)
            else:
                day = read_date(cell, field=self._headers["date"], today=self.today)
        except SixbaoError as exc:
            found = (None, exc)
        else:
            if day > self.as_of:
                found = (None, InvalidInput("import.future", date=day, limit=self.limit))
            else:
                xun = Xun.of(day)
                dates = (day, xun.start, xun.end)
                found = (tuple(d.isoformat() for d in dates) if self._iso else dates, None)
        if len(self._dates) < _CACHE_CAP:
            self._dates[cell] = found
        return found

    def _count_percent(self, n: int, pct: PercentCell, raw: object) -> None:
        stats = self.percent
        stats.bare += 1
        if not pct.fits_fraction:
            stats.over_one += 1
        if pct.ambiguous:
            stats.ambiguous += 1
            if len(stats.ambiguous_rows) < SHOWN:
                stats.ambiguous_rows.append((n, read_text(raw)))

    def _task_ref(self, cell: object) -> str | None:
        text = read_text(cell)
        if text is None:
            return None
        if self._weak_code and not _LETTER.search(text):
            return None  # a 序号 column counting rows, not naming tasks
        return normalize_code(text)

    # --- a chunk: units and titles looked up together, then into the table of rows read ---------------

    def load(self, rows: Iterable[Row], on_progress=None, fraction=None) -> None:
        """Read every row into :func:`read_table` (created by the caller), a chunk at a time."""
        chunk: list[list] = []
        for row in rows:
            staged = self.read(row)
            if staged is not None:
                chunk.append(staged)
                if len(chunk) >= CHUNK:
                    self._flush(chunk)
                    chunk = []
                    if on_progress is not None:
                        on_progress(fraction())
        if chunk:
            self._flush(chunk)

    def _flush(self, chunk: list[list]) -> None:
        self._resolve_units({r[3] for r in chunk if r[3] is not None})
        titles = {r[2] for r in chunk if r[1] is None}
        by_title = self._titles(titles) if titles else {}
        good = []
        for r in chunk:
            uid = self._row_unit(r[0], r[3])
            if uid is None:
                continue
            r[3] = uid
            if r[1] is None:
                r[4] = self._by_title(r[0], r[2], uid, by_title)
                if r[4] is None:
                    continue
            good.append(tuple(r))
        if not good:
            return
        if self.conn.dialect.name == "postgresql":
            _copy_rows(self.conn, good)
        else:
            self.conn.exec_driver_sql(INSERT_READ, good)

    def _resolve_units(self, names: set[str]) -> None:
        if len(self._units) + len(names) > _CACHE_CAP:
            self._units.clear()  # a file naming endless units keeps memory bounded all the same
        new = {name: normalize_name(name) for name in names if name not in self._units}
        if not new:
            return
        found = find_units(self.conn, set(new.values()))
        for name, key in new.items():
            self._units[name] = found.get(key)

    def _row_unit(self, n: int, name: str | None) -> int | None:
        column = "unit" if "unit" in self._headers else None
        if name is None:
            if self.unit_id is None:
                self.problem("rows", n, column, InvalidInput("import.no_unit_in_row"))
            return self.unit_id
        uid = self._units[name]
        if uid is None:
            error: SixbaoError = NotFound("unit.unknown", name=name)
            if self.problems.wants("rows"):  # suggestions cost queries: only for problems shown
                try:
                    resolve_unit(self.conn, name)
                except NotFound as exc:
                    error = exc
            self.problem("rows", n, column, error)
            return None
        if self.unit_id is not None and uid != self.unit_id:
            self.problem("rows", n, column, InvalidInput(
                "import.unit_differs", unit=self.unit_name(uid), option=self.unit_name(self.unit_id)))
            return None
        return uid

    def unit_name(self, uid: int) -> str:
        """A unit's name (remembered: problems name the same few units again and again)."""
        if uid not in self._unit_names:
            self._unit_names[uid] = unit_name(self.conn, uid)
        return self._unit_names[uid]

    def _titles(self, titles: set[str]) -> dict[str, list[tuple[int, str, set[int]]]]:
        """Tasks by exact title: (id, code, its units) for each title asked."""
        task = T.task
        rows = self.conn.execute(select(task.c.id, task.c.code, task.c.title).where(task.c.title.in_(titles))
                                 .order_by(task.c.code)).all()
        units: dict[int, set[int]] = {}
        if rows:
            for tid, uid in self.conn.execute(select(T.task_unit.c.task_id, T.task_unit.c.unit_id)
                                              .where(T.task_unit.c.task_id.in_([r.id for r in rows]))):
                units.setdefault(tid, set()).add(uid)
        out: dict[str, list[tuple[int, str, set[int]]]] = {}
        for r in rows:
            out.setdefault(r.title, []).append((r.id, r.code, units.get(r.id, set())))
        return out

    def _by_title(self, n: int, title: str, uid: int, by_title: dict) -> int | None:
        candidates = by_title.get(title, [])
        if len(candidates) == 1:
            return candidates[0][0]
        mine = [c for c in candidates if uid in c[2]]
        if len(mine) == 1:
            return mine[0][0]
        if candidates:
            self.problem("rows", n, "title", InvalidInput(
                "import.title_ambiguous", title=title, codes=t("sep.list").join(c[1] for c in candidates)))
        else:
            self.problem("rows", n, "title", NotFound("import.unknown_title", title=title))
        return None


def _copy_rows(conn: Connection, rows: list[tuple]) -> None:
    """PostgreSQL: rows into :func:`read_table` with ``COPY`` (psycopg's ``executemany`` sends one INSERT a row)."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(COPY_READ) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as exc:
        # Wrapped as SQLAlchemy wraps the statements it runs, for db.translate_errors (a full disk, say).
        raise DBAPIError.instance(COPY_READ, None, exc, dbapi.Error, dialect=conn.dialect) from exc


def first_rows(conn: Connection, query, problems: Problems, kind: str) -> list:
    """The first :data:`SHOWN` rows of ``query`` (ordered by row); the rest only counted, and only when there are more."""
    rows = conn.execute(query.limit(SHOWN)).all()
    if len(rows) == SHOWN:
        total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
        problems.count_more(kind, total - SHOWN)
    return rows


def check_tasks(conn: Connection, stage: Table, reader: RowReader) -> None:
    """The checks against the ledger's tasks, in SQL over the whole file; problems go to ``reader.problems``.

    ``stage`` holds the rows with their tasks found (:func:`row_keys`).
    """
    s, task = stage.c, T.task
    problems = reader.problems
    headers = reader.layout.columns
    unit_column = "unit" if "unit" in headers else None

    def each(kind: str, query, report) -> None:
        for r in first_rows(conn, query.order_by(s.row_no), problems, kind):
            report(r)

    def unknown(r) -> None:
        try:
            task_id(conn, r.code)
        except NotFound as exc:
            reader.problem("unknown", r.row_no, "code", exc)

    each("unknown", select(s.row_no, s.code).where(s.code.is_not(None), s.task_id.is_(None)), unknown)
    joined = select(s.row_no, s.unit_id, s.report_date, task.c.id, task.c.code, task.c.start_date).join(
        task, task.c.id == s.task_id)
    off_task = ~exists().where(T.task_unit.c.task_id == s.task_id, T.task_unit.c.unit_id == s.unit_id)

    def not_on_task(r) -> None:
        names = conn.execute(select(T.unit.c.name).join(T.task_unit, T.task_unit.c.unit_id == T.unit.c.id)
                             .where(T.task_unit.c.task_id == r.id)
                             .order_by(T.task_unit.c.role, T.task_unit.c.position)).scalars().all()
        reader.problem("unit", r.row_no, unit_column, InvalidInput(
            "progress.unit_not_on_task", unit=reader.unit_name(r.unit_id), code=r.code,
            units=t("sep.list").join(names) or "—"))

    # A code beside the exact title of another task: the rows were scrambled (a sort over some columns only)
    # or the code mistyped; which of the two is meant is a guess. A title matching no task is left alone:
    # departments shorten and reword titles.
    other = task.alias("other")
    each("title", select(s.row_no, task.c.code, s.title, func.min(other.c.code).label("other"))
         .join(task, task.c.id == s.task_id).join(other, other.c.title == s.title)
         .where(s.code.is_not(None), s.title.is_not(None), task.c.title != s.title)
         .group_by(s.row_no, task.c.code, s.title),
         lambda r: reader.problem("title", r.row_no, "title", InvalidInput(
             "import.code_title_mismatch", code=r.code, title=r.title, other=r.other)))
    each("unit", joined.where(off_task), not_on_task)
    # A row the ledger already holds word for word (an export sent back whole) is no news of a 销号 task.
    s2 = stage.alias("held")
    held = exists().where(s2.c.task_id == s.task_id, s2.c.unit_id == s.unit_id, s2.c.xun_start == s.xun_start,
                          s2.c.is_first == 1, s2.c.is_same == 1)
    each("closed", joined.where(task.c.status == "closed", ~off_task, ~held),
         lambda r: reader.problem("closed", r.row_no, None, Conflict("progress.task_closed", code=r.code)))
    each("start", joined.where(s.report_date < task.c.start_date, task.c.status != "closed", ~off_task),
         lambda r: reader.problem("start", r.row_no, "date", InvalidInput(
             "progress.before_start", date=r.report_date, code=r.code, start=r.start_date)))
