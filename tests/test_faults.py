"""A ledger on a full disk, read-only, locked by another program, or private: one clear line, a non-zero exit, nothing damaged.

Each fault is made for real in a real ``sixbao`` process — a full filesystem
(a small tmpfs mounted in a private mount namespace), a directory the process
may not write, a file even root cannot write (the immutable flag), another
process holding the write lock — because the suite runs as root in CI, where
file modes alone stop nothing. Where a fault needs a privilege this machine
lacks, the test is skipped with the reason, except under CI=true, where that
is a failure: CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import IN_CI, seed, snapshot

DROP = "-dac_override,-dac_read_search"


def sixbao(*argv: str, db: str, drop_caps: bool = False, env: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in its own process; ``drop_caps``: without root's power to ignore file modes."""
    cmd = [sys.executable, "-m", "sixbao_cli", *argv]
    if drop_caps and os.geteuid() == 0:
        cmd = [shutil.which("setpriv") or "/usr/bin/setpriv", f"--inh-caps={DROP}", f"--bounding-set={DROP}", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SIXBAO_DB": db, **(env or {})})


def unavailable(reason: str) -> None:
    """Skip with ``reason`` on a developer's machine; fail under CI, which must run every fault."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def integrity(path: str | Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


# --- disk full -----------------------------------------------------------------------------------------------

FULL_DISK = """
set -e
mount -t tmpfs -o size={size}k tmpfs "{mnt}"
cp "{ledger}" "{mnt}/ledger.db"
set +e
SIXBAO_DB="{mnt}/ledger.db" "{python}" -m sixbao_cli demo > "{out}/stdout" 2> "{out}/stderr"
echo $? > "{out}/rc"
cp "{mnt}"/ledger.db* "{out}/"
"""


def test_disk_full_leaves_the_ledger_as_it_was(cli, sqlite_url, tmp_path):
    """The demo's 4,500 entries go to a ledger on a filesystem with 400 KB free: refused whole, the ledger intact."""
    cli.ok("unit", "add", "市财政局")
    before = snapshot(sqlite_url)
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        unavailable("mounting a small filesystem needs root and unshare (util-linux)")
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    size = Path(sqlite_url).stat().st_size // 1024 + 400
    script = FULL_DISK.format(size=size, mnt=mnt, ledger=sqlite_url, python=sys.executable, out=out)
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not (out / "rc").exists():
        unavailable(f"cannot mount a tmpfs in a private mount namespace: {done.stderr.strip()}")
    assert (out / "rc").read_text().strip() == "6"
    assert (out / "stderr").read_text().strip() == f"错误：磁盘已满，台账 {mnt / 'ledger.db'} 未写入任何内容。请清理磁盘空间后重试。"
    assert "Traceback" not in (out / "stderr").read_text()
    assert integrity(out / "ledger.db") == "ok"
    assert snapshot(str(out / "ledger.db")) == before


def test_disk_full_as_sqlite_reports_it_when_the_ledger_may_not_grow(cli, sqlite_url, monkeypatch):
    """The same refusal, made without privileges: SQLite's max_page_count stops the file growing (SQLITE_FULL)."""
    import sixbao_cli.db as db

    cli.ok("unit", "add", "市财政局")
    before = snapshot(sqlite_url)
    plain = db._sqlite_on_connect

    def capped(wait, dbapi_conn, record):
        plain(wait, dbapi_conn, record)
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 5}")

    monkeypatch.setattr(db, "_sqlite_on_connect", capped)
    result = cli("demo")
    assert (result.exit_code, result.stderr.strip()) == (6, f"错误：磁盘已满，台账 {sqlite_url} 未写入任何内容。请清理磁盘空间后重试。")
    monkeypatch.undo()
    assert integrity(sqlite_url) == "ok"
    assert snapshot(sqlite_url) == before


# --- read-only -----------------------------------------------------------------------------------------------

def test_read_only_directory(cli, sqlite_seeded, tmp_path):
    """The file may be written but not its directory, where SQLite keeps -wal and -shm: reads and writes refused clearly."""
    before = snapshot(sqlite_seeded)
    os.chmod(tmp_path, 0o555)
    try:
        for argv in (("unit", "add", "新单位"), ("task", "list")):
            result = sixbao(*argv, db=sqlite_seeded, drop_caps=True)
            assert (result.returncode, result.stderr.strip()) == (
                6, f"错误：台账所在目录 {tmp_path} 不可写，本次操作未执行。SQLite 台账在读写时都要在台账文件旁建立 -wal 和 -shm 文件；"
                   "请让当前用户可写该目录。"), result.stderr
    finally:
        os.chmod(tmp_path, 0o755)
    assert snapshot(sqlite_seeded) == before


def test_immutable_file_refuses_writes_even_to_root_and_still_reads(sqlite_seeded):
    """``chattr +i``: no process may write the file, root included; reading goes on."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        unavailable("chattr +i needs root (CAP_LINUX_IMMUTABLE) and e2fsprogs")
    before = snapshot(sqlite_seeded)
    flagged = subprocess.run(["chattr", "+i", sqlite_seeded], capture_output=True, text=True)
    if flagged.returncode != 0:
        unavailable(f"this filesystem takes no immutable flag: {flagged.stderr.strip()}")
    try:
        result = sixbao("unit", "add", "新单位", db=sqlite_seeded)
        assert (result.returncode, result.stderr.strip()) == (
            6, f"错误：台账 {sqlite_seeded} 不可写（只读文件或无权限），本次操作未执行。请检查文件和目录权限。")
        listing = sixbao("task", "list", db=sqlite_seeded)
        assert listing.returncode == 0 and "JY-001" in listing.stdout
    finally:
        subprocess.run(["chattr", "-i", sqlite_seeded], check=True)
    assert snapshot(sqlite_seeded) == before


# --- locked by another program ---------------------------------------------------------------------------------

HOLD_SQLITE = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("INSERT INTO unit (name, created_at) VALUES ('别的程序写的单位', '2020-10-01 00:00:00')")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_ledger_locked_longer_than_the_timeout(seeded, db_url):
    """Another program holds the write lock; with SIXBAO_BUSY_TIMEOUT=1 a write gives up after a second, cleanly."""
    before = snapshot(seeded)
    if db_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        from sixbao_cli.settings import resolve_db_url

        engine = create_engine(resolve_db_url(seeded))
        holder = engine.connect()
        holder.execute(text("LOCK TABLE unit IN ACCESS EXCLUSIVE MODE"))
        release = holder.close
        where = resolve_db_url(seeded)
    else:
        proc = subprocess.Popen([sys.executable, "-c", HOLD_SQLITE, seeded], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "locked"
        release = proc.kill
        where = seeded
    try:
        began = time.monotonic()
        result = sixbao("unit", "add", "新单位", db=seeded, env={"SIXBAO_BUSY_TIMEOUT": "1"})
        waited = time.monotonic() - began
        reading = sixbao("task", "list", db=seeded, env={"SIXBAO_BUSY_TIMEOUT": "1"}) \
            if db_url.startswith("postgresql") else None
    finally:
        release()
        if db_url.startswith("postgresql"):
            engine.dispose()
    assert (result.returncode, result.stderr.strip()) == (
        6, f"错误：台账 {where} 正被其他程序长时间锁定，本次操作未执行。请稍后重试，或关闭占用该文件的程序。"
           "（已等待 1 秒；等待时长可用环境变量 SIXBAO_BUSY_TIMEOUT 设置，单位为秒。）"), result.stderr
    assert 1 <= waited < 30
    assert reading is None or reading.returncode == 6  # PostgreSQL: the table lock blocks readers too
    assert snapshot(seeded) == before


def test_readers_go_on_while_another_program_holds_the_write_lock(sqlite_seeded):
    proc = subprocess.Popen([sys.executable, "-c", HOLD_SQLITE, sqlite_seeded], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        result = sixbao("task", "list", db=sqlite_seeded, env={"SIXBAO_BUSY_TIMEOUT": "1"})
    finally:
        proc.kill()
        proc.wait()
    assert result.returncode == 0 and "JY-001" in result.stdout


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_a_bad_busy_timeout_is_named(cli, sqlite_url, monkeypatch, value):
    monkeypatch.setenv("SIXBAO_BUSY_TIMEOUT", value)
    result = cli("unit", "add", "市财政局")
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：环境变量 SIXBAO_BUSY_TIMEOUT 的值“{value}”无效：应为 0 到 86400 之间的秒数，如 30 或 0.5。")


# --- private files ---------------------------------------------------------------------------------------------

def test_ledger_log_and_backups_are_readable_by_their_owner_only(cli, sqlite_url, tmp_path):
    """Even under umask 0: the ledger, its -wal and -shm, a backup and the copy a restore keeps are all 0600."""
    old = os.umask(0)
    try:
        seed(cli, sqlite_url)
        con = sqlite3.connect(sqlite_url)  # held open, so that the log and the index stay on disk
        con.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
        con.commit()
        try:
            for suffix in ("", "-wal", "-shm"):
                assert stat.S_IMODE(os.stat(sqlite_url + suffix).st_mode) == 0o600, suffix
        finally:
            con.close()
        cli.ok("db", "backup", str(tmp_path / "backup.db"))
        cli.ok("db", "restore", str(tmp_path / "backup.db"), "--yes")
    finally:
        os.umask(old)
    kept = [p for p in tmp_path.iterdir() if "-before-restore-" in p.name]
    assert len(kept) == 1
    for path in (Path(sqlite_url), tmp_path / "backup.db", kept[0]):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
