"""Opening a ledger: engines, SQLite pragmas, transactions, and error translation.

Reads and writes go through :meth:`Ledger.read` and :meth:`Ledger.write`.
On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so it holds the
write lock from its first statement: two desk officers writing at once queue
on the busy timeout instead of one failing with "database is locked" when a
deferred transaction tries to upgrade its lock. Reads use a plain ``BEGIN``
and, in WAL mode, never block writers.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from sixbao_cli.errors import LedgerUnavailable
from sixbao_cli.messages import os_reason, t
from sixbao_cli.settings import busy_timeout, display_url, sqlite_path

BUSY_TIMEOUT_SECONDS = 30.0  # the default; $SIXBAO_BUSY_TIMEOUT overrides it
_WRITE = "sixbao_write"


class Ledger:
    """An open ledger: one engine, and transactions for reading or writing."""

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.engine = engine
        self.writer = engine.execution_options(**{_WRITE: True})

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The ledger's location, fit to print (no password)."""
        return display_url(self.url)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """One connection for a :meth:`read` and then a :meth:`write` on it (``conn=``), in turn.

        A report keeps what it found (services.kept_facts) from the temporary
        tables its read filled: they last as long as the connection, not the
        read transaction.
        """
        with translate_errors(self.where), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def read(self, conn: Connection | None = None) -> Iterator[Connection]:
        """A read transaction, one consistent snapshot throughout; on ``conn`` (:meth:`connection`) or a new connection.

        SQLite's deferred transaction already reads one snapshot; PostgreSQL's
        default READ COMMITTED would let a report's many statements see
        different moments, so reads ask for REPEATABLE READ.
        """
        with translate_errors(self.where), _given(conn) or self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: False})
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self, *, dry_run: bool = False, wait: float | None = None,
              conn: Connection | None = None) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on any error.

        With ``dry_run`` it is rolled back even when the block succeeds: the
        caller sees exactly what would be written, and nothing is. ``wait``
        shortens the wait for a lock another program holds (default
        :func:`lock_wait`), for a write that had better be skipped than wait.
        On ``conn`` (:meth:`connection`) when given, else on a new connection.
        """
        given = _given(conn)
        if given is not None:
            conn.execution_options(**{_WRITE: True})
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level=conn.default_isolation_level)
        with translate_errors(self.where), given or self.writer.connect() as conn:
            sqlite = self.dialect == "sqlite" and wait is not None
            if sqlite:  # before BEGIN IMMEDIATE, which is what waits; on the driver, which begins nothing
                conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                trans = conn.begin()
                if wait is not None and self.dialect == "postgresql":
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(wait * 1000))}")
                try:
                    yield conn
                except BaseException:
                    trans.rollback()
                    raise
                if dry_run:
                    trans.rollback()
                else:
                    trans.commit()
            finally:
                if sqlite:  # the connection goes back to the pool
                    conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {int(lock_wait() * 1000)}")
                if given is not None:  # what its owner does next on it is no write unless it says so
                    conn.execution_options(**{_WRITE: False})

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def _given(conn: Connection | None):
    """``conn`` as a context that leaves it open (its owner closes it), or None."""
    return None if conn is None else nullcontext(conn)


def lock_wait() -> float:
    """Seconds a statement waits for a lock another program holds before giving up (see :func:`busy_timeout`)."""
    return busy_timeout(BUSY_TIMEOUT_SECONDS)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with sixbao's connection settings.

    Both databases wait :func:`lock_wait` seconds for a lock held by another
    program, then fail with "locked" (SQLite's busy timeout; PostgreSQL's
    ``lock_timeout``, which otherwise waits for ever). PostgreSQL's JIT is off
    for sixbao's sessions.
    """
    path = sqlite_path(url)
    wait = lock_wait()
    if url.startswith("sqlite://"):
        if path is not None:
            _prepare_sqlite_file(path, url)
        engine = create_engine(url, connect_args={"timeout": wait})
        event.listen(engine, "connect", partial(_sqlite_on_connect, wait))
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if not url.startswith("postgresql+psycopg://"):
        raise LedgerUnavailable("db.unsupported", url=display_url(url))
    try:
        import psycopg  # noqa: F401  (only to give a clear message when missing)
    except ImportError:
        raise LedgerUnavailable("db.no_psycopg") from None
    engine = create_engine(url)
    event.listen(engine, "connect", partial(_postgresql_on_connect, wait))
    return engine


def _prepare_sqlite_file(path: Path, url: str) -> None:
    """Create a new ledger file readable by its owner only, in an existing directory."""
    if path.exists():
        if path.is_dir():
            raise LedgerUnavailable("db.is_directory", path=path)
        return
    if not path.parent.is_dir():
        raise LedgerUnavailable("db.missing_dir", path=path.parent)
    if "mode=ro" in url:
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process created it first
    except OSError as exc:
        raise LedgerUnavailable("db.cannot_create", path=path, reason=os_reason(exc)) from None
    os.close(fd)


def _sqlite_on_connect(wait: float, dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Take transaction control away from the sqlite3 module so that
    # _sqlite_on_begin decides how each transaction starts.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        cur.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # a read-only file keeps its journal mode; reads still work
    cur.execute("PRAGMA synchronous = NORMAL")
    # A report's temporary tables (the judged tasks, the ladder, the ranking) in memory, not in a
    # temporary file: 0.7-1.1 s of report weekly's 6-8 s at 100,000 tasks (BENCHMARKS.md).
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def _postgresql_on_connect(wait: float, dbapi_conn, _record: object) -> None:
    # lock_timeout 0 would mean "wait for ever"; the smallest wait is a millisecond.
    dbapi_conn.execute(f"SET lock_timeout = {max(1, int(wait * 1000))}")
    # The judging statement is big enough to pass jit_above_cost, and LLVM then spends seconds
    # compiling it on every run (5.4 s of a 5.9 s statement at 10,000 tasks; BENCHMARKS.md).
    # sixbao's statements are one-shot and index-driven: compiling them never pays.
    dbapi_conn.execute("SET jit = off")
    # The ranking sorts a quarter's reports (285,000 at 100,000 tasks): the default 4 MB sent
    # it to disk. Raised, never lowered below what the server's administrator set.
    dbapi_conn.execute(_AT_LEAST, {"name": "work_mem", "value": f"{WORK_MEM_KB}kB", "least": WORK_MEM_KB})
    dbapi_conn.commit()
    # A report judges into temporary tables, which live in the session's own buffers (8 MB by
    # default): at 100,000 tasks they spilled, and every probe of them read the page back from
    # the kernel (189,677 reads in one ranking statement). The memory is taken only as the
    # tables grow. A session that has used temporary tables already (one handed on by a
    # connection pooler such as PgBouncer) cannot change it: keep its value then.
    import psycopg

    try:
        dbapi_conn.execute(_AT_LEAST, {"name": "temp_buffers", "value": f"{TEMP_BUFFERS_KB}kB",
                                       "least": TEMP_BUFFERS_KB // 8})
        dbapi_conn.commit()
    except psycopg.errors.InvalidParameterValue:
        dbapi_conn.rollback()


WORK_MEM_KB = 64 * 1024
TEMP_BUFFERS_KB = 256 * 1024
# Set a setting for the session when it is below a value (pg_settings.setting is in the
# setting's own unit: kB for work_mem, 8 kB blocks for temp_buffers).
_AT_LEAST = ("SELECT set_config(%(name)s, %(value)s, false) FROM pg_settings"
             " WHERE name = %(name)s AND setting::bigint < %(least)s")


def _sqlite_on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


_LOCKED = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock")
_READONLY = ("readonly database", "read-only", "unable to open database")
_DENIED = ("permission denied", "insufficient privilege", "must be owner")
_NOT_A_DB = ("file is not a database", "file is encrypted")
_DISK_FULL = ("database or disk is full", "no space left")
_CORRUPT = ("database disk image is malformed", "database corrupt")
_IO_ERROR = ("disk i/o error",)
_NO_SERVER = ("connection refused", "could not connect", "no such host", "connection failed", "does not exist")


def locked(where: object) -> LedgerUnavailable:
    """The error for a ledger another program kept locked for longer than :func:`lock_wait`."""
    return LedgerUnavailable("db.locked", path=where, hint=t("db.locked_hint", seconds=f"{lock_wait():g}"))


@contextmanager
def translate_errors(where: str) -> Iterator[None]:
    """Turn driver failures about the ledger itself into one clear :class:`LedgerUnavailable`."""
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        text = str(exc.orig if getattr(exc, "orig", None) is not None else exc).lower()
        if any(n in text for n in _LOCKED):
            raise locked(where) from exc
        if any(n in text for n in _READONLY) and _directory_unwritable(where):
            raise LedgerUnavailable("db.dir_not_writable", path=Path(where).parent) from exc
        for needles, key in (
            (_READONLY, "db.not_writable"),
            (_DENIED, "db.permission_denied"),
            (_NOT_A_DB, "db.not_a_ledger_file"),
            (_DISK_FULL, "db.disk_full"),
            (_CORRUPT, "db.corrupt"),
            (_IO_ERROR, "db.io_error"),
        ):
            if any(n in text for n in needles):
                raise LedgerUnavailable(key, path=where) from exc
        if isinstance(exc, OperationalError) and any(n in text for n in _NO_SERVER):
            reason = " ".join(str(exc.orig).split())  # psycopg's message spans lines
            raise LedgerUnavailable("db.cannot_connect", path=where, reason=reason) from exc
        raise


def _directory_unwritable(where: str) -> bool:
    """Is ``where`` a SQLite file in a directory this process may not create files in (for its -wal and -shm)?"""
    if "://" in where:
        return False
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".sixbao-probe-", dir=Path(where).parent)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    os.close(fd)
    os.unlink(name)
    return False
