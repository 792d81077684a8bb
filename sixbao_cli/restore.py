"""Putting a backup back into a SQLite ledger (``sixbao db restore FILE``).

The backup is checked before the ledger is touched: a SQLite file that passes
``integrity_check`` and ``foreign_key_check``, holding a sixbao ledger at a
revision this program knows. It is copied beside the ledger (the backup file
itself is only ever opened read-only) and, when older, the copy is upgraded.

The checked copy then goes *into* the live ledger through SQLite's backup API,
as a single write transaction on the ledger's own file: other processes that
have it open see the old ledger or the restored one, never a mixture, and go
on working on the same file (a new file renamed over the ledger would leave
them writing into the one replaced). While that transaction holds the write
lock — so no officer's commit can fall between the two — the ledger as it
stood is copied to ``<name>-before-restore-<time>.db`` beside it, unless
told not to. A crash at any moment leaves the old ledger: the transaction
never committed.

A ledger SQLite can no longer open (its first page damaged) takes no
transaction: then its files are kept as they are, its -wal and -shm removed,
and the checked copy renamed into its place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sixbao_cli.backup import copy_ledger_file
from sixbao_cli.db import lock_wait, locked
from sixbao_cli.errors import InvalidInput, LedgerUnavailable, NotFound, SchemaMismatch
from sixbao_cli.messages import os_reason
from sixbao_cli.schema import HEAD, REVISIONS
from sixbao_cli.settings import display_url, sqlite_path

SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


@dataclass
class LedgerFacts:
    """What a ledger file holds, for the confirmation and the result."""

    revision: str | None
    tasks: int
    entries: int
    batches: int
    documents: int


@dataclass
class RestorePlan:
    """A checked backup staged beside the ledger, ready to go in (or be discarded)."""

    source: Path
    ledger: Path
    ledger_state: str  # missing | ok | damaged
    backup: LedgerFacts  # as the backup will be restored (after any upgrade)
    current: LedgerFacts | None  # the ledger as it stands, when readable
    upgraded_from: str | None  # the backup's own revision, when older than this program's
    staging: Path


@dataclass
class RestoreResult:
    """What ``restore`` did."""

    ledger: Path
    source: Path
    kept: Path | None
    facts: LedgerFacts
    replaced_file: bool  # True when a damaged ledger's file was replaced instead of written into


def prepare_restore(url: str, source: Path) -> RestorePlan:
    """Check the backup ``source`` and stage a copy of it beside the ledger at ``url``; nothing else changes."""
    ledger = sqlite_path(url)
    if ledger is None:
        raise InvalidInput("db.restore_sqlite_only", path=display_url(url))
    source = source.expanduser().absolute()
    if not source.exists():
        raise NotFound("db.restore_no_file", path=source)
    if source.is_dir():
        raise InvalidInput("db.restore_is_directory", path=source)
    if ledger.exists() and source.samefile(ledger):
        raise InvalidInput("db.restore_onto_ledger", path=source)
    if not ledger.parent.is_dir():
        raise LedgerUnavailable("db.missing_dir", path=ledger.parent)
    if _header(source) != SQLITE_MAGIC:
        raise InvalidInput("db.restore_not_sqlite", path=source)
    state, current = _inspect_ledger(ledger)
    staging, revision = _stage(source, ledger)
    try:
        if revision != HEAD:
            from sixbao_cli.schema import open_ledger

            open_ledger(f"sqlite:///{staging}").close()
            _sqlite(staging, lambda c: c.execute("PRAGMA journal_mode = DELETE"))
        if state == "ok":
            _match_page_size(staging, ledger)
        facts = _facts(staging)
    except BaseException:
        _remove(staging)
        raise
    return RestorePlan(source, ledger, state, facts, current, revision if revision != HEAD else None, staging)


def discard(plan: RestorePlan) -> None:
    """Remove the staged copy (after a dry run, a refusal or a failure)."""
    _remove(plan.staging)


def apply_restore(plan: RestorePlan, kept: Path | None) -> RestoreResult:
    """Put the staged backup into the ledger; the ledger as it stood is copied to ``kept`` first (None: not kept).

    ``kept`` is ignored for a ledger that did not exist.
    """
    if plan.ledger_state == "missing":
        kept = None
    try:
        if plan.ledger_state == "damaged":
            _replace_file(plan, kept)
        else:
            _write_into(plan, kept)
    finally:
        _remove(plan.staging)
    facts = _facts(plan.ledger)
    if facts != plan.backup or _sqlite(plan.ledger, lambda c: c.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
        raise LedgerUnavailable("db.restore_verify_failed", path=plan.ledger, kept=kept or "—")
    return RestoreResult(plan.ledger, plan.source, kept, facts, plan.ledger_state == "damaged")


def keep_name(ledger: Path, now: datetime | None = None) -> Path:
    """Where the ledger as it stood before a restore is kept: beside it, named for the moment."""
    stamp = f"{now or datetime.now():%Y%m%d-%H%M%S}"
    candidate = ledger.with_name(f"{ledger.stem}-before-restore-{stamp}{ledger.suffix}")
    n = 2
    while candidate.exists():
        candidate = ledger.with_name(f"{ledger.stem}-before-restore-{stamp}-{n}{ledger.suffix}")
        n += 1
    return candidate


# --- checking ---------------------------------------------------------------------------------------------


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InvalidInput("db.restore_unreadable", path=path, reason=os_reason(exc)) from None


def _inspect_ledger(ledger: Path) -> tuple[str, LedgerFacts | None]:
    """``missing`` (or empty), ``ok`` with its facts, or ``damaged``; refuses a file that is not this program's to replace."""
    if not ledger.exists() or ledger.stat().st_size == 0:
        return "missing", None
    if ledger.is_dir():
        raise LedgerUnavailable("db.is_directory", path=ledger)
    if _header(ledger) != SQLITE_MAGIC:
        raise LedgerUnavailable("db.not_a_ledger_file", path=ledger)  # someone's other file: never overwrite it
    try:
        tables = _sqlite(ledger, lambda c: {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")},
                         read_only=True)
    except sqlite3.DatabaseError:
        return "damaged", None
    if "alembic_version" not in tables and tables:
        raise SchemaMismatch("db.foreign", path=ledger)
    try:
        return "ok", _facts(ledger) if "task" in tables else None
    except sqlite3.DatabaseError:
        return "ok", None  # readable enough to write into; its counts are not


def _stage(source: Path, ledger: Path) -> tuple[Path, str]:
    """The backup checked and copied beside the ledger; returns the copy and the backup's revision."""
    try:
        src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput("db.restore_unreadable", path=source, reason=str(exc)) from None
    try:
        try:
            problems = [r[0] for r in src.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise InvalidInput("db.restore_damaged", path=source, detail=problems[0])
            broken = src.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise InvalidInput("db.restore_broken_keys", path=source, n=len(broken))
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (src.execute("SELECT version_num FROM alembic_version").fetchone() or (None,))[0] \
                if "alembic_version" in tables else None
        except sqlite3.DatabaseError as exc:
            raise InvalidInput("db.restore_damaged", path=source, detail=str(exc)) from None
        if revision is None:
            raise SchemaMismatch("db.restore_not_ledger", path=source)
        if revision not in REVISIONS:
            raise SchemaMismatch("db.restore_too_new", path=source, revision=revision)
        fd, name = tempfile.mkstemp(prefix=f".{ledger.name}.restore-", suffix=".part", dir=ledger.parent)
        os.close(fd)
        staging = Path(name)
        try:
            _sqlite(staging, lambda dst: (src.backup(dst), dst.execute("PRAGMA journal_mode = DELETE")))
        except (sqlite3.Error, OSError) as exc:
            _remove(staging)
            raise LedgerUnavailable("db.restore_failed", path=ledger, reason=str(exc)) from None
        return staging, revision
    finally:
        src.close()


def _match_page_size(staging: Path, ledger: Path) -> None:
    """Give the copy the ledger's page size: the backup API writes into a WAL database only page for page."""
    size = _sqlite(ledger, lambda c: c.execute("PRAGMA page_size").fetchone()[0], read_only=True)

    def vacuum(c: sqlite3.Connection) -> None:
        if c.execute("PRAGMA page_size").fetchone()[0] != size:
            c.execute(f"PRAGMA page_size = {int(size)}")
            c.execute("VACUUM")

    _sqlite(staging, vacuum)


def _facts(path: Path) -> LedgerFacts:
    def read(c: sqlite3.Connection) -> LedgerFacts:
        def n(table: str) -> int:
            return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

        revision = c.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        return LedgerFacts(revision, n("task"), n("progress"), n("import_batch"), n("document"))

    return _sqlite(path, read, read_only=True)


# --- writing ----------------------------------------------------------------------------------------------


def _write_into(plan: RestorePlan, kept: Path | None) -> None:
    """The staged copy written into the ledger's file in one transaction; the old ledger kept while it is locked."""
    wait = lock_wait()
    if plan.ledger_state == "missing" and not plan.ledger.exists():
        fd = os.open(plan.ledger, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    copied = False
    deadline = time.monotonic() + wait

    def on_step(status: int, remaining: int, total: int) -> None:
        nonlocal copied
        if status in _BUSY:
            if time.monotonic() >= deadline:
                raise locked(plan.ledger)
            return
        if kept is not None and not copied:
            # The first step took the ledger's write lock and holds it until the copy commits: no one
            # else can write now, and readers (this copy among them) still see the ledger as it stood.
            copy_ledger_file(plan.ledger, kept)
            copied = True

    try:
        dest = sqlite3.connect(plan.ledger, timeout=wait, isolation_level=None)
        try:
            dest.execute("PRAGMA journal_mode = WAL")
            src = sqlite3.connect(plan.staging)
            try:
                pages = src.execute("PRAGMA page_count").fetchone()[0]
                if pages < 2:  # never a sixbao ledger (it has dozens); one step would copy it whole, unkept
                    raise sqlite3.DatabaseError("the backup holds a single page")
                # Steps small enough that the first never finishes the copy: its lock is what the keeping needs.
                src.backup(dest, pages=min(4096, (pages - 1) // 2) or 1, progress=on_step)
            finally:
                src.close()
            try:
                dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # a reader holds the log open; the next writer checkpoints
        finally:
            dest.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked(plan.ledger) from None
        raise LedgerUnavailable("db.restore_failed", path=plan.ledger, reason=str(exc)) from None
    except sqlite3.Error as exc:
        raise LedgerUnavailable("db.restore_failed", path=plan.ledger, reason=str(exc)) from None


def _replace_file(plan: RestorePlan, kept: Path | None) -> None:
    """A damaged ledger: keep its files as they are, then rename the staged copy over it."""
    ledger = plan.ledger
    try:
        if kept is not None:
            shutil.copyfile(ledger, kept)
            os.chmod(kept, 0o600)
            if Path(f"{ledger}-wal").exists():
                shutil.copyfile(f"{ledger}-wal", f"{kept}-wal")
                os.chmod(f"{kept}-wal", 0o600)
        # A log left beside the new file would be replayed into it: the log goes first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{ledger}{suffix}").unlink(missing_ok=True)
        os.chmod(plan.staging, 0o600)
        os.replace(plan.staging, ledger)
    except OSError as exc:
        raise LedgerUnavailable("db.restore_failed", path=ledger, reason=os_reason(exc)) from None


def _sqlite(path: Path, work, *, read_only: bool = False):
    """Run ``work(connection)`` on the SQLite file ``path`` and close the connection."""
    target = f"file:{quote(str(path))}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only, timeout=lock_wait(), isolation_level=None)
    try:
        return work(conn)
    finally:
        conn.close()


def _remove(staging: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)
