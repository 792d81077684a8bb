"""``import progress``: a department's sheet into the ledger, checked whole, written as one batch.

For one file, inside the caller's write transaction:

1. the sheet is opened (sheets/source.py) — the same file as a batch already
   in the ledger (by checksum and the options it was read with, undone
   batches aside) stops here: nothing to do;
2. its rows stream through :class:`~sixbao_cli.services.import_rows.RowReader`
   in chunks into a temporary table, and from there in one ``INSERT … SELECT``
   into the staging table, each with its task, whether it is the first row of
   its (task, unit, 旬), and the report the ledger already holds for that;
3. what needs the whole file or the ledger is checked on that table in SQL:
   the percent column's rule, the tasks, two different rows for one task,
   unit and 旬, and a different report already in the ledger;
4. any problem is raised — the transaction rolls back, nothing is written;
5. else one ``import_batch`` row, one ``INSERT … SELECT`` into ``progress``,
   and the statuses of the tasks touched refreshed in one pass.

Idempotent: one entry per (task, unit, 旬). A row equal to the report the
ledger holds for its period is left out; a different one is a conflict
unless ``replace``, which writes it as a new entry superseding the old.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Index, Table, and_, case, exists, func, insert, literal, or_, select
from sqlalchemy.engine import Connection

from sixbao_cli import tables as T
from sixbao_cli.errors import Conflict, InvalidInput
from sixbao_cli.messages import t
from sixbao_cli.services.batches import live_batch, read_options, serialise_imports
from sixbao_cli.services.export import PROGRESS_COLUMNS
from sixbao_cli.services.import_problems import Problems
from sixbao_cli.services.import_rows import (
    PROGRESS_FIELDS,
    PROGRESS_QUIET,
    STAGE_COLUMNS,
    RowReader,
    check_tasks,
    first_rows,
    read_table,
    row_keys,
    stage_table,
)
from sixbao_cli.services.progress_query import counted
from sixbao_cli.services.tasks import refresh_statuses
from sixbao_cli.services.units import resolve_unit
from sixbao_cli.sheets.source import Sheet, open_sheet
from sixbao_cli.sqltypes import UtcDateTime, utcnow
from sixbao_cli.xun import Xun

ENTRIES_SHOWN = 1000  # entries listed in the result (dry run, --json); the counts are always complete


@dataclass
class ImportOptions:
    """How to import: the unit for rows that name none, the as-of date, whether changed reports replace."""

    as_of: date
    as_of_given: bool = False
    unit: str | None = None
    replace: bool = False
    encoding: str | None = None


@dataclass
class ImportedEntry:
    """An entry the import writes (or, dry, would write), with the row it comes from."""

    row: int
    task: str
    unit: str
    date: date
    percent: float | None
    value: float | None
    note: str | None
    problems: str | None
    next_steps: str | None
    reporter: str | None
    supersedes: int | None


@dataclass
class ProgressImport:
    """What importing one file did (or, dry, would do)."""

    file: str
    checksum: str
    outcome: str  # imported | unchanged | already_imported
    dry_run: bool = False
    batch: int | None = None
    previous_batch: int | None = None  # already_imported: the batch that brought this file in
    previous_at: datetime | None = None
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 0
    rows: int = 0  # filled-in rows read
    new: int = 0
    replaced: int = 0
    unchanged: int = 0  # rows whose report the ledger already holds
    duplicates: int = 0  # rows repeating an earlier row of the file word for word
    unfilled: int = 0  # template rows left empty
    footer_rows: int = 0
    status_changes: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    fraction_column: str | None = None  # the percent column read as fractions (0.6 → 60 %), by its heading
    undated_years: list[int] = field(default_factory=list)  # the years given to dates written without one (9月25日)
    value_scale: tuple[str, str, int] | None = None  # the value column's heading, the 万 or 亿 it counts in, × what
    entries: list[ImportedEntry] = field(default_factory=list)  # the first ENTRIES_SHOWN written, in file order

    @property
    def written(self) -> int:
        return self.new + self.replaced


def import_progress(conn: Connection, path: Path, opts: ImportOptions, *, name: str | None = None,
                    dry_run: bool = False, today: date, on_progress=None) -> ProgressImport:
    """Import one progress sheet; raise (nothing written) when anything in it is wrong.

    ``on_progress(fraction)`` is called as the file is read (for a progress bar).
    """
    name = name or path.name
    json_keys = {c.key: c.header for c in PROGRESS_COLUMNS}  # what export progress --format json writes
    with open_sheet(path, PROGRESS_FIELDS, name=name, quiet=PROGRESS_QUIET, encoding=opts.encoding,
                    json_keys=json_keys) as sheet:
        serialise_imports(conn)
        result = ProgressImport(file=name, checksum=sheet.checksum, outcome="imported", dry_run=dry_run,
                                format=sheet.kind, encoding=sheet.encoding, delimiter=sheet.delimiter,
                                sheet=sheet.sheet_name, header_row=sheet.layout.row,
                                ignored_columns=list(sheet.layout.ignored))
        unit_id = resolve_unit(conn, opts.unit) if opts.unit else None
        # the encoding the file was read in (detected, or --encoding) and --unit (the unit of rows naming none) decide
        # what it reports; --as-of and --replace only decide whether that is taken
        options = read_options(encoding=sheet.encoding, unit=unit_id)
        batch = live_batch(conn, "progress", sheet.checksum, options, defaults=unit_id is None and not opts.encoding)
        if batch is not None:
            result.outcome, result.previous_batch, result.previous_at = "already_imported", batch.id, batch.created_at
            return result
        _check_columns(sheet, unit_id)
        if conn.dialect.name == "sqlite":
            # SQLite's default page cache (2 MB) thrashes on progress's five indexes during a bulk insert: 32 MB
            # each for the ledger and the temporary tables' file take 100,000 rows from 4 s to under 3 s,
            # and stay a fixed bound whatever the file's size.
            conn.exec_driver_sql("PRAGMA main.cache_size = -32768")
            conn.exec_driver_sql("PRAGMA temp.cache_size = -32768")
        read, stage = read_table(), stage_table()
        for table in (read, stage):
            _drop_temporary(conn, table)
            table.create(conn)
        _import(conn, sheet, read, stage, result, opts, unit_id, options, today=today, on_progress=on_progress)
        _drop_temporary(conn, stage)  # after a failure the rollback takes them away
    return result


def _drop_temporary(conn: Connection, table: Table) -> None:
    """Drop the temporary ``table`` if this connection has it (left by an earlier import in this session)."""
    schema = "pg_temp" if conn.dialect.name == "postgresql" else "temp"  # never a ledger table of that name
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{table.name}")


def _check_columns(sheet: Sheet, unit_id: int | None) -> None:
    cols = sheet.layout.columns
    headers = t("sep.list").join(h for h in sheet.layout.headers if h)
    for needed, label in ((("date",), "import.col_date"), (("percent", "value"), "import.col_measure"),
                          (("code", "title"), "import.col_task")):
        if not any(n in cols for n in needed):
            raise InvalidInput("import.missing_column", file=sheet.name, row=sheet.layout.row, column=t(label),
                               headers=headers)
    if "unit" not in cols and unit_id is None:
        raise InvalidInput("import.no_unit", file=sheet.name)


def _import(conn: Connection, sheet: Sheet, read: Table, stage: Table, result: ProgressImport, opts: ImportOptions,
            unit_id: int | None, options: str, *, today: date, on_progress) -> None:
    problems = Problems(sheet.name)
    reader = RowReader(conn, sheet.layout, problems, unit_id=unit_id, as_of=opts.as_of, as_of_given=opts.as_of_given,
                       today=today)
    try:
        reader.load(sheet.rows(), on_progress, sheet.fraction)
    except InvalidInput as exc:  # the file cannot be read on: said with what was found before
        if not exc.key.startswith("sheet.") or not problems.count:
            raise
        problems.stop(int(exc.params.get("row", 0)), exc)
    if on_progress is not None:
        on_progress(1.0)
    result.rows, result.unfilled, result.footer_rows = reader.rows, reader.unfilled, reader.footer_rows
    result.undated_years = sorted(reader.undated_years)
    if reader.value_scale is not None:
        result.value_scale = (sheet.layout.header("value"), *reader.value_scale)
    if not reader.rows and not problems.count:
        raise InvalidInput("import.nothing_filled" if reader.unfilled else "import.no_rows", file=sheet.name,
                           n=reader.unfilled, row=sheet.layout.row)
    s = stage.c
    percent = _percent_rule(sheet, reader, problems, result)
    _stage(conn, read, stage, percent)
    _drop_temporary(conn, read)
    # The key, and is_first after it: a repeated row finds the first row of its key in one index probe
    # (a file repeating one row 3,000 times would otherwise scan the 3,000 for each).
    Index("ix_import_stage_key", s.task_id, s.unit_id, s.xun_start, s.is_first).create(conn)
    if conn.dialect.name == "postgresql":
        # Autovacuum never analyses a temporary table: without statistics the planner takes the stage for a few
        # rows (0.3 s more on the checks, 0.5 s on the INSERT into progress at 100,000 rows). The columns
        # filtered and joined on; the texts, costly to sample, are only read.
        conn.exec_driver_sql("ANALYZE import_stage (row_no, code, task_id, unit_id, report_date, xun_start, "
                             "is_first, is_same, existing_id)")
    check_tasks(conn, stage, reader)
    _contradictions(conn, stage, percent, problems)
    if not opts.replace:
        _conflicts(conn, stage, sheet, percent, problems)
    problems.raise_if_any()
    staged, first, same, existing = conn.execute(select(
        func.count(), func.count().filter(s.is_first == 1), func.count().filter(s.is_same == 1),
        func.count().filter(_written(stage), s.existing_id.is_not(None)),
    )).one()
    result.duplicates = staged - first
    result.unchanged = same
    result.replaced = existing
    result.new = first - same - existing
    if not result.written:
        result.outcome = "unchanged"
        return
    result.entries = _entries(conn, stage, percent)
    batch = _write(conn, stage, percent, sheet, unit_id, options, result)
    result.batch = None if result.dry_run else batch  # rolled back: its number would be another's


def _percent_rule(sheet: Sheet, reader: RowReader, problems: Problems, result: ProgressImport):
    """The percent column to write: as written, or × 100 when the column holds fractions (sheets/cells.py)."""
    stats = reader.percent
    s_pct, s_frac = "pct", "pct_frac"
    if stats.fractions:
        result.fraction_column = sheet.layout.header("percent")
        return s_frac
    if stats.ambiguous:
        header = sheet.layout.header("percent")
        for row, value in stats.ambiguous_rows:
            problems.add("percent", row, sheet.layout.letter("percent"),
                         InvalidInput("import.percent_ambiguous", field=header, value=value,
                                      percent=_times_100_text(value)))
        problems.count_more("percent", stats.ambiguous - len(stats.ambiguous_rows))
    return s_pct


def _times_100_text(value: str) -> str:
    try:
        return f"{float(value) * 100:g}"
    except (TypeError, ValueError):
        return "?"


def _contradictions(conn: Connection, stage: Table, percent: str, problems: Problems) -> None:
    """Rows for a task, unit and 旬 an earlier row already reports, differently: each said against that first row."""
    s = stage.c
    first = stage.alias("f")
    query = (
        select(s.row_no, first.c.row_no.label("first_row"), T.task.c.code, T.unit.c.name, s.xun_start)
        .select_from(stage)
        .join(first, and_(first.c.task_id == s.task_id, first.c.unit_id == s.unit_id,
                          first.c.xun_start == s.xun_start, first.c.is_first == 1))
        .join(T.task, T.task.c.id == s.task_id).join(T.unit, T.unit.c.id == s.unit_id)
        .where(s.is_first.is_(None), or_(*(s[c].is_distinct_from(first.c[c]) for c in (
            "report_date", percent, "value", "note", "problems", "next_steps", "reporter"))))
    )
    for r in first_rows(conn, query.order_by(s.row_no), problems, "contradiction"):
        problems.add("contradiction", r.row_no, "", InvalidInput(
            "import.contradiction", first=r.first_row, code=r.code, unit=r.name, period=Xun.of(r.xun_start).label))


def _stage(conn: Connection, read: Table, stage: Table, percent: str) -> None:
    """The rows read into ``stage`` in one pass, each with what the checks need.

    Its task (:func:`row_keys`); ``is_first``: 1 for the first row of its (task, unit, 旬), else NULL; for a
    first row, ``existing_id``: the ledger's latest effective report for that period, and ``is_same``: whether
    one of them says what the row says.
    """
    k = row_keys(read).c
    first = func.row_number().over(partition_by=(k.task_id, k.unit_id, k.xun_start), order_by=k.row_no) == 1
    # Ranked on the keys alone (a narrow sort), and existing_id found beside the window function: in a query level
    # of its own PostgreSQL merges it into the next one and runs its sub-query twice (for the column and is_same).
    ranked = select(k.row_no, k.task_id, case((first, 1)).label("is_first"),
                    case((first, _latest(k))).label("existing_id")).subquery("ranked")
    f, r = ranked.c, read.c
    row = {c: f.task_id if c == "task_id" else r[c] for c in STAGE_COLUMNS}
    same = case((f.existing_id.is_(None), 0), (_same(row, percent), 1), else_=0)  # EXISTS only where the period holds one
    # In file order: PostgreSQL keeps a table's rows as they came, and what reads the stage by row (the checks,
    # the INSERT into progress) then reads it front to back. Every row has its rank: the outer join only makes
    # SQLite walk the rows read in that order and look their ranks up, instead of sorting the wide rows.
    conn.execute(insert(stage).from_select(
        [*STAGE_COLUMNS, "is_first", "existing_id", "is_same"],
        select(*row.values(), f.is_first, f.existing_id, case((f.is_first == 1, same)))
        .select_from(read.outerjoin(ranked, f.row_no == r.row_no)).order_by(r.row_no),
    ))


def _period_match(s, p):
    """``p`` is an effective report of the ledger for the task, unit and 旬 of the row ``s`` (its columns by name)."""
    later = T.progress.alias("later")
    return and_(p.c.task_id == s["task_id"], p.c.unit_id == s["unit_id"], p.c.report_date >= s["xun_start"],
                p.c.report_date <= s["xun_end"], counted(p), ~exists().where(later.c.supersedes_id == p.c.id))


def _latest(s):
    """The id of the ledger's latest effective report for the period of the row ``s``, or NULL."""
    p = T.progress
    return select(p.c.id).where(_period_match(s, p)).order_by(p.c.report_date.desc(), p.c.id.desc()) \
        .limit(1).scalar_subquery()


def _same(s, percent: str):
    """An effective report of the ledger for the period of the row ``s`` says what the row says."""
    p = T.progress
    return exists().where(
        _period_match(s, p), p.c.report_date == s["report_date"], p.c.percent.is_not_distinct_from(s[percent]),
        *(p.c[c].is_not_distinct_from(s[c]) for c in ("value", "note", "problems", "next_steps", "reporter")),
    )


def _conflicts(conn: Connection, stage: Table, sheet: Sheet, percent: str, problems: Problems) -> None:
    """Rows whose period already holds a different report: refused unless --replace."""
    s = stage.c
    p = T.progress
    where = and_(_written(stage), s.existing_id.is_not(None))
    query = (
        select(s.row_no, s.report_date, s[percent].label("pct"), s.value, s.note, s.problems, s.next_steps,
               s.reporter, s.xun_start, T.task.c.code, T.unit.c.name.label("unit"),
               p.c.id, p.c.report_date.label("old_date"), p.c.percent.label("old_pct"), p.c.value.label("old_value"),
               p.c.note.label("old_note"), p.c.problems.label("old_problems"),
               p.c.next_steps.label("old_next"), p.c.reporter.label("old_reporter"))
        .select_from(stage).join(p, p.c.id == s.existing_id)
        .join(T.task, T.task.c.id == s.task_id).join(T.unit, T.unit.c.id == s.unit_id)
        .where(where).order_by(s.row_no)
    )
    for r in first_rows(conn, query, problems, "conflict"):
        problems.add("conflict", r.row_no, "", Conflict(
            "import.conflict", code=r.code, period=Xun.of(r.xun_start).label, unit=r.unit, id=r.id,
            old=_amount(r.old_date, r.old_pct, r.old_value), new=_amount(r.report_date, r.pct, r.value),
            fields=t("sep.list").join(_differences(r))))


def _amount(day: date, pct: float | None, value: float | None) -> str:
    from sixbao_cli.render.formats import fmt_number, fmt_percent

    parts = [day.isoformat()] + ([fmt_percent(pct)] if pct is not None else []) + \
        ([fmt_number(value)] if value is not None else [])
    return " ".join(parts)


def _differences(r) -> list[str]:
    pairs = (("col.report_date", r.report_date, r.old_date), ("template.col.percent", r.pct, r.old_pct),
             ("col.value", r.value, r.old_value), ("col.note", r.note, r.old_note),
             ("col.problems", r.problems, r.old_problems), ("col.next", r.next_steps, r.old_next),
             ("template.col.reporter", r.reporter, r.old_reporter))
    return [t(key) for key, new, old in pairs if new != old]


def _entries(conn: Connection, stage: Table, percent: str) -> list[ImportedEntry]:
    s = stage.c
    query = (
        select(s.row_no, T.task.c.code, T.unit.c.name, s.report_date, s[percent].label("pct"), s.value, s.note,
               s.problems, s.next_steps, s.reporter, s.existing_id)
        .select_from(stage).join(T.task, T.task.c.id == s.task_id).join(T.unit, T.unit.c.id == s.unit_id)
        .where(_written(stage)).order_by(s.row_no).limit(ENTRIES_SHOWN)
    )
    return [ImportedEntry(r.row_no, r.code, r.name, r.report_date, r.pct, r.value, r.note, r.problems, r.next_steps,
                          r.reporter, r.existing_id) for r in conn.execute(query)]


def _written(stage: Table):
    """The staging rows that become entries: the first row of each (task, unit, 旬), not already in the ledger."""
    return and_(stage.c.is_first == 1, stage.c.is_same == 0)


def _write(conn: Connection, stage: Table, percent: str, sheet: Sheet, unit_id: int | None, options: str,
           result: ProgressImport) -> int:
    """The batch (read with ``options``), its entries (one INSERT … SELECT, in file order) and the statuses they move;
    returns the batch id."""
    s = stage.c
    now = utcnow()
    units = conn.execute(select(s.unit_id).distinct().where(_written(stage)).limit(2)).scalars().all()
    batch = conn.execute(insert(T.import_batch).values(
        kind="progress", file_name=sheet.file_name, checksum=sheet.checksum, read_options=options,
        unit_id=unit_id if unit_id is not None else (units[0] if len(units) == 1 else None),
        row_count=result.written, created_at=now,
    )).inserted_primary_key[0]
    p = T.progress.c
    conn.execute(insert(T.progress).from_select(
        [p.task_id, p.unit_id, p.report_date, p.percent, p.value, p.note, p.problems, p.next_steps, p.reporter,
         p.source, p.batch_id, p.supersedes_id, p.recorded_at],
        select(s.task_id, s.unit_id, s.report_date, s[percent], s.value, s.note, s.problems, s.next_steps, s.reporter,
               literal("import"), literal(batch), s.existing_id, literal(now, UtcDateTime()))
        .where(_written(stage)).order_by(s.row_no),
    ))
    touched = select(s.task_id).distinct().where(_written(stage))
    result.status_changes = refresh_statuses(conn, touched, t("import.status_reason", id=batch))
    return batch
