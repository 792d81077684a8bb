"""Where a ledger's schema stands, and bringing it up to date.

Opening a ledger asks one question of ``alembic_version``; only when the
answer is not this program's head revision is Alembic imported and run.
``REVISIONS`` lists the revisions of ``migrations/versions`` oldest first
(``tests/test_migrations.py`` checks it against Alembic's own graph), which
tells an older ledger (upgrade it) from a newer one (refuse, touch nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from sixbao_cli.db import Ledger, make_engine, translate_errors
from sixbao_cli.errors import SchemaMismatch

REVISIONS: tuple[str, ...] = ("0001_ledger", "0002_progress_by_date", "0003_plans",
                                 "0004_status_as_of", "0005_roles_as_of", "0006_batch_read_options",
                                 "0007_xun_verdicts", "0008_kept_facts", "0009_kept_unit_xun",
                                 "0010_partial_null_indexes", "0011_task_unit_by_unit")
HEAD = REVISIONS[-1]

# What the revisions create by hand and the models do not declare: SQLite's
# full-text tables and PostgreSQL's trigram index.
UNDECLARED_TABLES = frozenset(
    {"task_fts", "task_fts_data", "task_fts_idx", "task_fts_docsize", "task_fts_config", "task_fts_content"}
)
UNDECLARED_INDEXES = frozenset({"ix_task_search"})


def declared(name: str | None, type_: str, parent_names: object = None) -> bool:
    """Alembic's include_name hook: compare only what the models declare."""
    if type_ == "table":
        return name not in UNDECLARED_TABLES
    if type_ == "index":
        return name not in UNDECLARED_INDEXES
    return True


def migrations_dir() -> Path:
    """The Alembic environment: inside the package when installed, else the repository's."""
    from sixbao_cli.resources import shipped

    return shipped("migrations")


def current_revision(conn: Connection) -> str | None:
    """The revision recorded in the ledger, or None for a database sixbao never touched."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _has_other_tables(conn: Connection) -> bool:
    return bool(set(inspect(conn).get_table_names()) - {"alembic_version"})


def check(conn: Connection, where: str) -> str | None:
    """Return the revision when it needs upgrading (None: a blank database), ``HEAD`` when current.

    Raises :class:`SchemaMismatch` for a ledger newer than this program or a
    database that belongs to something else.
    """
    rev = current_revision(conn)
    if rev is None and _has_other_tables(conn):
        raise SchemaMismatch("db.foreign", path=where)
    if rev is not None and rev not in REVISIONS:
        raise SchemaMismatch("db.too_new", path=where, revision=rev)
    return rev


def open_ledger(url: str, *, upgrade: bool = True) -> Ledger:
    """Open the ledger at ``url``, creating or upgrading its schema when ``upgrade`` is set."""
    ledger = Ledger(url, make_engine(url))
    with ledger.read() as conn:
        rev = check(conn, ledger.where)
    if rev != HEAD and upgrade:
        upgrade_ledger(ledger)
    return ledger


@contextmanager
def migrating(ledger: Ledger) -> Iterator[Connection]:
    """The write transaction a migration runs in.

    It holds SQLite's write lock (on PostgreSQL an advisory lock), so two
    processes opening a blank ledger at once migrate it once. On SQLite,
    foreign-key enforcement is off for its duration: Alembic's batch mode
    rebuilds a table by copying it and dropping the original, and with
    enforcement on that DROP would cascade into (or be refused by) every
    table that refers to it. The foreign keys are checked as a whole before
    commit instead, and a violation rolls the migration back.
    """
    sqlite = ledger.dialect == "sqlite"
    with translate_errors(ledger.where), ledger.writer.connect() as conn:
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        try:
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(7061626)"))
                yield conn
                if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise SchemaMismatch("db.migration_broke_keys", path=ledger.where)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade_ledger(ledger: Ledger, target: str = "head") -> None:
    """Run the Alembic revisions up to ``target`` in one transaction (see :func:`migrating`)."""
    with migrating(ledger) as conn:
        rev = check(conn, ledger.where)
        if rev == HEAD and target == "head":
            return
        _alembic(conn, "upgrade", target)


def downgrade_ledger(ledger: Ledger, target: str) -> None:
    """Run the revisions down to ``target`` (``base`` empties the ledger); for tests and recovery."""
    with migrating(ledger) as conn:
        check(conn, ledger.where)
        _alembic(conn, "downgrade", target)


def _alembic(conn: Connection, action: str, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = conn
    getattr(command, action)(cfg, target)


def status(url: str) -> dict[str, object]:
    """Where the ledger at ``url`` stands, without changing it."""
    ledger = Ledger(url, make_engine(url))
    try:
        with ledger.read() as conn:
            rev = current_revision(conn)
            foreign = rev is None and _has_other_tables(conn)
        return {
            "database": ledger.where,
            "dialect": ledger.dialect,
            "revision": rev,
            "head": HEAD,
            "state": ("foreign" if foreign else "current" if rev == HEAD else "blank" if rev is None
                      else "old" if rev in REVISIONS else "newer"),
        }
    finally:
        ledger.close()
