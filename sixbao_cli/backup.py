"""Consistent copies of a live SQLite ledger.

SQLite's online backup API copies pages under a read lock that writers in WAL
mode do not wait on, so officers keep working while a backup runs. The copy
is written beside its destination and renamed into place: an interrupted
backup never leaves a half-written file under the requested name.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sixbao_cli.db import lock_wait
from sixbao_cli.errors import Conflict, InvalidInput, LedgerUnavailable
from sixbao_cli.schema import open_ledger
from sixbao_cli.settings import display_url, sqlite_path


def backup(url: str, dest: Path, *, force: bool = False) -> Path:
    """Copy the SQLite ledger at ``url`` to ``dest``; return the absolute destination."""
    source = sqlite_path(url)
    if source is None:
        raise InvalidInput("db.backup_sqlite_only", path=display_url(url))
    dest = dest.expanduser().absolute()
    if dest.exists() and source.exists() and dest.samefile(source):
        raise InvalidInput("db.backup_onto_ledger", path=dest)  # even --force: writers would lose their commits
    if dest.exists() and not force:
        raise Conflict("db.backup_exists", path=dest)
    if not dest.parent.is_dir():
        raise LedgerUnavailable("db.backup_missing_dir", path=dest.parent)
    open_ledger(url, upgrade=False).close()  # refuses a foreign or newer database before copying it
    copy_ledger_file(source, dest)
    return dest


def copy_ledger_file(source: Path, dest: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``dest``, readable by its owner only.

    Written under a temporary name beside ``dest`` and renamed into place, in
    rollback-journal mode so that the copy is one self-contained file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    try:
        src = sqlite3.connect(source, timeout=lock_wait())
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        for leftover in (tmp, f"{tmp}-journal"):
            Path(leftover).unlink(missing_ok=True)
        raise LedgerUnavailable("db.backup_failed", path=dest, reason=str(exc)) from None
