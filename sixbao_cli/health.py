"""The ledger's health, as ``sixbao db check`` reports it.

Three kinds of check, each a :class:`Finding`:

* the database's own: SQLite's ``integrity_check`` (or ``quick_check``) and
  ``foreign_key_check``; on PostgreSQL, which enforces its keys, every foreign
  key of the schema is still looked up (a bulk load with triggers off can
  leave orphans);
* the schema's: the revision against this program's, the append-only guards
  on progress, the search index;
* the ledger's own rules, which no constraint states: a correction supersedes
  an entry of the same task and an older one; an import batch holds exactly
  the entries it says it wrote; an imported entry has its batch; a 销号 task
  has its 销号 time and only it does; no task is its own parent.

A ``problem`` makes the ledger unhealthy; a ``warning`` (an old revision, a
file others may read) does not. Everything runs in one read transaction and
changes nothing (a read transaction, rolled back).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, literal, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from sixbao_cli import tables as T
from sixbao_cli.db import Ledger, make_engine, translate_errors
from sixbao_cli.schema import HEAD, REVISIONS, check, current_revision

OK, WARNING, PROBLEM, SKIPPED = "ok", "warning", "problem", "skipped"
EXAMPLES = 10  # details kept per check


@dataclass
class Finding:
    """One check: its name, ``ok|warning|problem|skipped``, how many things it found, and the first few."""

    name: str
    status: str = OK
    count: int = 0
    details: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Health:
    """Everything ``db check`` found, as plain data (its ``--json``)."""

    database: str
    dialect: str
    revision: str | None
    head: str
    healthy: bool
    counts: dict[str, int]
    storage: dict[str, object]
    checks: list[Finding]


def check_ledger(url: str, *, quick: bool = False) -> Health:
    """Examine the ledger at ``url`` without changing it.

    Raises :class:`~sixbao_cli.errors.SchemaMismatch` for a database that is not
    a sixbao ledger or is newer than this program, and
    :class:`~sixbao_cli.errors.LedgerUnavailable` when it cannot be opened.
    """
    ledger = Ledger(url, make_engine(url))
    sqlite = ledger.dialect == "sqlite"
    # Before this check's own connection makes a -wal and -shm of its own.
    sizes, private = (file_sizes(ledger.where), _permissions(ledger.where)) if sqlite else ({}, None)
    try:
        with _snapshot(ledger) as conn:
            check(conn, ledger.where)
            revision = current_revision(conn)
            current = revision == HEAD
            checks = [_revision(revision)]
            runs: list[tuple[str, Callable[[Connection], Finding], bool]] = [
                *([("integrity", lambda c: _integrity(c, quick), True)] if sqlite else []),
                ("foreign_keys", _sqlite_foreign_keys if sqlite else _orphans, sqlite or current),
                ("guards", _guards, current),
                ("search_index", _sqlite_search if sqlite else _pg_search, current),
                ("supersedes_task", _supersedes_other_task, current),
                ("supersedes_order", _supersedes_later, current),
                ("batch_rows", _batch_rows, current),
                ("import_without_batch", _import_without_batch, current),
                ("closed_state", _closed_state, current),
                ("parent_self", _own_parent, current),
            ]
            for name, run, applies in runs:
                checks.append(_guarded(name, run, conn) if applies else Finding(name, SKIPPED))
            try:
                counts = _in_savepoint(conn, _counts) if current else {}
            except DBAPIError:
                counts = {}  # the damage is in the checks above
            storage = {**_sqlite_storage(conn), **sizes} if sqlite else _pg_storage(conn)
        if private is not None:
            checks.append(private)
        return Health(database=ledger.where, dialect=ledger.dialect, revision=revision, head=HEAD,
                      healthy=all(f.status != PROBLEM for f in checks), counts=counts, storage=storage, checks=checks)
    finally:
        ledger.close()


@contextmanager
def _snapshot(ledger: Ledger) -> Iterator[Connection]:
    """Like :meth:`Ledger.read`, but ended by a rollback: SQLite refuses to COMMIT a read of a damaged file."""
    with translate_errors(ledger.where), ledger.engine.connect() as conn:
        if ledger.dialect == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        trans = conn.begin()
        try:
            yield conn
        finally:
            trans.rollback()


def _guarded(name: str, run: Callable[[Connection], Finding], conn: Connection) -> Finding:
    """Run one check; a database error (a damaged page, say) is that check's problem, not the end of the report."""
    try:
        return _in_savepoint(conn, run)
    except DBAPIError as exc:
        return Finding(name, PROBLEM, 1, [{"error": " ".join(str(exc.orig).split())}])


def _in_savepoint(conn: Connection, run: Callable[[Connection], object]) -> object:
    """``run(conn)`` in a savepoint: on PostgreSQL a failed statement would otherwise end the whole transaction."""
    savepoint = conn.begin_nested()
    try:
        result = run(conn)
    except DBAPIError:
        savepoint.rollback()
        raise
    savepoint.commit()
    return result


def _found(name: str, rows: list, describe: Callable[[object], dict[str, object]], total: int | None = None) -> Finding:
    count = len(rows) if total is None else total
    return Finding(name, PROBLEM if count else OK, count, [describe(r) for r in rows[:EXAMPLES]])


def _revision(revision: str | None) -> Finding:
    if revision == HEAD:
        return Finding("revision", OK, 0, [{"revision": revision, "head": HEAD}])
    return Finding("revision", WARNING if revision in REVISIONS else PROBLEM, 1, [{"revision": revision, "head": HEAD}])


def _integrity(conn: Connection, quick: bool) -> Finding:
    rows = conn.exec_driver_sql("PRAGMA quick_check" if quick else "PRAGMA integrity_check").scalars()
    lines = [line for row in rows for line in str(row).splitlines() if line and not line.startswith("*** in database")]
    if lines == ["ok"]:
        return Finding("integrity", OK)
    return _found("integrity", lines, lambda line: {"error": line})


def _sqlite_foreign_keys(conn: Connection) -> Finding:
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    return _found("foreign_keys", rows, lambda r: {"table": r[0], "row": r[1], "parent": r[2]})


def _orphans(conn: Connection) -> Finding:
    """Every foreign key of the schema looked up: rows whose parent is missing."""
    found: list[dict[str, object]] = []
    total = 0
    for table in T.metadata.sorted_tables:
        key = next(iter(table.primary_key.columns))
        for fk in table.foreign_keys:
            child, target = fk.parent, fk.column
            parent = target.table.alias("parent").c[target.name]  # an alias: progress refers to progress
            missing = and_(child.is_not(None), ~exists().where(parent == child))
            n = conn.execute(select(func.count()).select_from(table).where(missing)).scalar_one()
            if n:
                total += n
                rows = conn.execute(select(key).where(missing).order_by(key).limit(EXAMPLES)).scalars()
                found += [{"table": table.name, "row": r, "parent": target.table.name} for r in rows]
    return Finding("foreign_keys", PROBLEM if total else OK, total, found[:EXAMPLES])


_SQLITE_GUARDS = ("progress_append_only_update", "progress_append_only_delete")


def _guards(conn: Connection) -> Finding:
    if conn.dialect.name == "sqlite":
        present = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
        missing = [g for g in _SQLITE_GUARDS if g not in present]
    else:
        present = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                                        "AND tgenabled <> 'D'")).scalars())
        missing = [g for g in ("progress_append_only",) if g not in present]
    return _found("guards", missing, lambda name: {"trigger": name})


def _sqlite_search(conn: Connection) -> Finding:
    missing = conn.exec_driver_sql(
        "SELECT count(*) FROM task WHERE id NOT IN (SELECT id FROM task_fts_docsize)").scalar_one()
    extra = conn.exec_driver_sql(
        "SELECT count(*) FROM task_fts_docsize WHERE id NOT IN (SELECT id FROM task)").scalar_one()
    if missing or extra:
        return Finding("search_index", PROBLEM, missing + extra, [{"missing": missing, "extra": extra}])
    return Finding("search_index", OK)


def _pg_search(conn: Connection) -> Finding:
    present = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_task_search'")).scalar_one()
    return Finding("search_index", OK) if present else Finding("search_index", PROBLEM, 1, [{"missing": 1, "extra": 0}])


def _supersedes_other_task(conn: Connection) -> Finding:
    p, old = T.progress, T.progress.alias("old")
    mine, theirs = T.task.alias("mine"), T.task.alias("theirs")
    rows = conn.execute(
        select(p.c.id, old.c.id, mine.c.code, theirs.c.code)
        .join(old, old.c.id == p.c.supersedes_id).join(mine, mine.c.id == p.c.task_id)
        .join(theirs, theirs.c.id == old.c.task_id)
        .where(old.c.task_id != p.c.task_id).order_by(p.c.id)).all()
    return _found("supersedes_task", rows, lambda r: {"entry": r[0], "supersedes": r[1], "task": r[2], "other": r[3]})


def _supersedes_later(conn: Connection) -> Finding:
    p = T.progress
    rows = conn.execute(select(p.c.id, p.c.supersedes_id).where(p.c.supersedes_id >= p.c.id).order_by(p.c.id)).all()
    return _found("supersedes_order", rows, lambda r: {"entry": r[0], "supersedes": r[1]})


def batch_entry_counts(conn: Connection) -> list[tuple[int, int, int]]:
    """(batch, entries it says it wrote, entries found) for every batch where the two differ.

    An undo appends copies of the entries a batch had replaced, each in the
    batch of the entry it copies (services/batches.py); those copies supersede
    an entry of an undone batch and are not counted as written by their batch.
    """
    p, b = T.progress, T.import_batch
    s, sb = T.progress.alias("s"), T.import_batch.alias("sb")
    restored_copy = exists().where(s.c.id == p.c.supersedes_id, sb.c.id == s.c.batch_id, sb.c.undone_at.is_not(None))
    written = (select(p.c.batch_id, func.count().label("n")).where(p.c.batch_id.is_not(None), ~restored_copy)
               .group_by(p.c.batch_id).subquery())
    found = func.coalesce(written.c.n, literal(0))
    rows = conn.execute(select(b.c.id, b.c.row_count, found).outerjoin(written, written.c.batch_id == b.c.id)
                        .where(b.c.row_count != found).order_by(b.c.id)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _batch_rows(conn: Connection) -> Finding:
    return _found("batch_rows", batch_entry_counts(conn), lambda r: {"batch": r[0], "expected": r[1], "found": r[2]})


def _import_without_batch(conn: Connection) -> Finding:
    p = T.progress
    rows = conn.execute(select(p.c.id).where(p.c.source == "import", p.c.batch_id.is_(None)).order_by(p.c.id)).scalars()
    return _found("import_without_batch", list(rows), lambda r: {"entry": r})


def _closed_state(conn: Connection) -> Finding:
    task = T.task
    closed = task.c.status == "closed"
    rows = conn.execute(select(task.c.code).where(closed != task.c.closed_at.is_not(None)).order_by(task.c.code)).scalars()
    return _found("closed_state", list(rows), lambda code: {"task": code})


def _own_parent(conn: Connection) -> Finding:
    task = T.task
    rows = conn.execute(select(task.c.code).where(task.c.parent_id == task.c.id).order_by(task.c.code)).scalars()
    return _found("parent_self", list(rows), lambda code: {"task": code})


def _counts(conn: Connection) -> dict[str, int]:
    b, p = T.import_batch, T.progress

    def n(table, *where) -> int:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

    undone = select(b.c.id).where(b.c.undone_at.is_not(None))
    return {
        "documents": n(T.document), "tasks": n(T.task), "units": n(T.unit), "entries": n(p),
        "entries_undone": n(p, p.c.batch_id.in_(undone)), "batches": n(b), "batches_undone": n(b, b.c.undone_at.is_not(None)),
        "task_changes": n(T.task_change),
    }


def _sqlite_storage(conn: Connection) -> dict[str, object]:
    def pragma(name: str) -> object:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    return {"journal_mode": pragma("journal_mode"), "page_size": pragma("page_size"),
            "pages": pragma("page_count"), "free_pages": pragma("freelist_count")}


def _pg_storage(conn: Connection) -> dict[str, object]:
    return {"server_version": conn.execute(text("SHOW server_version")).scalar(),
            "bytes": conn.execute(text("SELECT pg_database_size(current_database())")).scalar()}


def _permissions(path: str) -> Finding:
    """The ledger and its -wal/-shm files should be readable by their owner only."""
    loose = []
    for name in (path, f"{path}-wal", f"{path}-shm"):
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            loose.append({"file": name, "mode": f"{mode:04o}"})
    return Finding("permissions", WARNING if loose else OK, len(loose), loose)


def file_sizes(path: str) -> dict[str, int]:
    """Bytes of the ledger file and of its write-ahead log (0 when there is none)."""
    def size(name: str) -> int:
        try:
            return os.stat(name).st_size
        except FileNotFoundError:
            return 0

    return {"file_bytes": size(path), "wal_bytes": size(f"{path}-wal")}
