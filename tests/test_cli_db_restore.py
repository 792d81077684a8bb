"""db restore: a checked backup goes back into the live ledger in one transaction; the ledger it replaces is kept."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from sixbao_cli.schema import HEAD, REVISIONS

from conftest import snapshot


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part") or ".restore-" in p.name)


def _kept(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if "-before-restore-" in p.name and p.suffix == ".db")


def _more_writes(cli) -> None:
    cli.ok("progress", "add", "JY-001", "-p", "70", "--date", "2020-10-10", "-u", "市人社局", "--note", "备份之后")
    cli.ok("task", "add", "备份之后新增的任务", "-c", "民生", "-l", "市财政局")
    cli.ok("unit", "add", "市商务局")


def test_round_trip(cli, sqlite_seeded, tmp_path):
    """Data → backup → more writes → restore: the ledger equals the backup; what it held is kept beside it."""
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    backed_up = snapshot(str(backup))
    _more_writes(cli)
    before = snapshot(sqlite_seeded)
    assert before != backed_up
    result = cli.ok("db", "restore", str(backup), "--yes")
    kept = _kept(tmp_path)
    assert len(kept) == 1
    assert result.stdout.splitlines() == [
        f"已用 {backup} 恢复台账 {sqlite_seeded}：任务 3 项，进展记录 1 条，导入批次 0 个。",
        f"原台账已另存为 {kept[0]}",
    ]
    assert result.stderr.splitlines() == [
        f"备份：{backup}（结构版本 {HEAD}，任务 3 项，进展记录 1 条，导入批次 0 个），已通过完整性检查。",
        f"将替换台账：{sqlite_seeded}（结构版本 {HEAD}，任务 4 项，进展记录 2 条，导入批次 0 个）。",
        f"原台账将另存为 {kept[0]}。",
    ]
    assert snapshot(sqlite_seeded) == backed_up
    assert snapshot(str(kept[0])) == before
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []
    assert "结论：台账健康。" in cli.ok("db", "check").stdout
    # the restored ledger takes new work as any other
    cli.ok("progress", "add", "JY-001", "-p", "50", "--date", "2020-10-01", "-u", "市人社局", "--note", "恢复之后")


def test_no_keep(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    _more_writes(cli)
    result = cli.ok("db", "restore", str(tmp_path / "backup.db"), "--yes", "--no-keep")
    assert "不保留原台账（--no-keep）。" in result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert _kept(tmp_path) == []


WRITER = """
import sqlite3, sys, time
n = 0
while True:
    con = sqlite3.connect(sys.argv[1], timeout=30)
    with con:
        con.execute("INSERT INTO setting (key, value) VALUES (?, 'w')", (f"w{n}",))
    con.close()
    print(n, flush=True)
    n += 1
    time.sleep(0.002)
"""


def test_restore_while_another_process_writes_loses_no_commit(cli, sqlite_seeded, tmp_path):
    """Every commit of a busy writer is in the kept copy or was made after the restore: none falls between."""
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, sqlite_seeded], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "0"
        result = cli("db", "restore", str(backup), "--yes")
        for _ in range(50):  # still writing, into the restored ledger now
            assert proc.stdout.readline()
    finally:
        proc.kill()
        committed = {f"w{line.strip()}" for line in proc.communicate()[0].splitlines() if line.strip()}
    assert result.exit_code == 0, result.stderr
    kept = _kept(tmp_path)[0]

    def keys(path) -> set[str]:
        con = sqlite3.connect(path)
        try:
            return {k for (k,) in con.execute("SELECT key FROM setting WHERE key LIKE 'w%'")}
        finally:
            con.close()

    before, after = keys(kept), keys(sqlite_seeded)
    assert before and after and not before & after
    assert committed <= before | after


def test_needs_yes_when_not_at_a_terminal(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    _more_writes(cli)
    before = snapshot(sqlite_seeded)
    result = cli("db", "restore", str(tmp_path / "backup.db"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "错误：db restore 会替换整个台账，需要确认：请加 --yes（在终端中运行时会询问）。台账未改动。"
    assert snapshot(sqlite_seeded) == before
    assert _leftovers(tmp_path) == [] and _kept(tmp_path) == []


def test_dry_run_changes_nothing(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    _more_writes(cli)
    before = snapshot(sqlite_seeded)
    result = cli.ok("db", "restore", str(tmp_path / "backup.db"), "--dry-run")
    assert result.stderr.splitlines()[-1] == "预览（未改动台账）。"
    assert result.stdout == ""
    assert snapshot(sqlite_seeded) == before
    assert _leftovers(tmp_path) == [] and _kept(tmp_path) == []


def test_asks_at_a_terminal(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    _more_writes(cli)
    env = {**os.environ, "SIXBAO_DB": sqlite_seeded}
    for answer, restored in (("n", False), ("y", True)):
        before = snapshot(sqlite_seeded)
        child = pexpect.spawn(sys.executable, ["-m", "sixbao_cli", "db", "restore", str(tmp_path / "backup.db")],
                              env=env, encoding="utf-8", timeout=30)
        try:
            child.expect(r"确定恢复吗？ \[y/N\]: ")
            child.sendline(answer)
            child.expect("已用 .* 恢复台账" if restored else "已取消，台账未改动。")
            child.expect(pexpect.EOF)
        finally:
            child.close()
        assert child.exitstatus == 0
        assert (snapshot(sqlite_seeded) != before) is restored


def test_an_older_backup_is_upgraded_in_a_copy(cli, sqlite_seeded, tmp_path):
    from sixbao_cli import schema

    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    backup = tmp_path / "old.db"
    cli.ok("db", "backup", str(backup))
    ledger = schema.open_ledger(f"sqlite:///{backup}")
    try:
        schema.downgrade_ledger(ledger, REVISIONS[0])
    finally:
        ledger.close()
    sqlite3.connect(backup).execute("PRAGMA journal_mode = DELETE").close()
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    _more_writes(cli)
    result = cli.ok("db", "restore", str(backup), "--yes")
    assert f"备份的结构版本 {REVISIONS[0]} 较旧，恢复的副本已升级到 {HEAD}（备份文件本身未改动）。" in result.stderr
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == digest
    assert "已是最新" in cli.ok("db", "current").stdout
    assert [e["note"] for e in __import__("json").loads(cli.ok("progress", "list", "--json").stdout)] == ["初报"]


def test_restore_creates_a_missing_ledger(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    new = tmp_path / "new" / "ledger.db"
    new.parent.mkdir()
    result = cli.ok("--db", str(new), "db", "restore", str(tmp_path / "backup.db"), "--yes")
    assert f"台账 {new} 尚不存在，将由备份建立。" in result.stderr
    assert snapshot(str(new)) == snapshot(str(tmp_path / "backup.db"))
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert _kept(new.parent) == []


def test_a_damaged_ledger_is_replaced_and_its_file_kept(cli, sqlite_seeded, tmp_path):
    backup = tmp_path / "backup.db"
    cli.ok("db", "backup", str(backup))
    data = bytearray(Path(sqlite_seeded).read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # page 1 after the header: the schema is gone
    Path(sqlite_seeded).write_bytes(bytes(data))
    result = cli("task", "list")
    assert result.exit_code == 6 and "已损坏" in result.stderr
    result = cli.ok("db", "restore", str(backup), "--yes")
    assert f"台账 {sqlite_seeded} 已损坏、无法打开，将用备份替换其文件。" in result.stderr
    assert snapshot(sqlite_seeded) == snapshot(str(backup))
    assert _kept(tmp_path)[0].read_bytes() == bytes(data)
    assert "JY-001" in cli.ok("task", "list").stdout


def test_restore_waits_for_a_writer_then_gives_up_cleanly(cli, sqlite_seeded, tmp_path, monkeypatch):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    _more_writes(cli)
    before = snapshot(sqlite_seeded)
    monkeypatch.setenv("SIXBAO_BUSY_TIMEOUT", "0.5")
    holder = sqlite3.connect(sqlite_seeded, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("db", "restore", str(tmp_path / "backup.db"), "--yes")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 6
    assert result.stderr.splitlines()[-1] == (f"错误：台账 {sqlite_seeded} 正被其他程序长时间锁定，本次操作未执行。请稍后重试，"
                                              "或关闭占用该文件的程序。（已等待 0.5 秒；等待时长可用环境变量 SIXBAO_BUSY_TIMEOUT 设置，单位为秒。）")
    assert snapshot(sqlite_seeded) == before
    assert _leftovers(tmp_path) == [] and _kept(tmp_path) == []


def _foreign(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    return path


def _damaged_backup(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, '(task_id, report_date)', '(unit_id, report_date)') "
                "WHERE name = 'ix_progress_task_id_report_date'")
    con.commit()
    con.close()
    return path


def _newer_backup(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(("make", "code", "message"), [
    (lambda d, b: d / "none.db", 3, "错误：备份文件 {file} 不存在。请检查文件路径。"),
    (lambda d, b: d, 4, "错误：{file} 是一个目录，不是备份文件。请给出备份文件的路径。"),
    (lambda d, b: (d / "notes.txt", (d / "notes.txt").write_text("不是数据库" * 100))[0], 4,
     "错误：{file} 不是 SQLite 数据库文件，不能用来恢复台账。请给出 sixbao db backup 生成的备份文件。"),
    (lambda d, b: _foreign(d / "other.db"), 7, "错误：{file} 是 SQLite 数据库，但不是 sixbao 台账，不能用来恢复。台账未改动。"),
    (lambda d, b: _newer_backup(b), 7,
     "错误：备份文件 {file} 的结构版本 9999_future 比本程序新，不能恢复。台账未改动；请升级 sixbao 后再恢复。"),
    (lambda d, b: _damaged_backup(b), 4,
     "错误：备份文件 {file} 未通过完整性检查（row 2 missing from index ix_progress_task_id_report_date），不能用来恢复。台账未改动；请换一份备份。"),
])
def test_a_bad_backup_is_refused_before_anything_changes(cli, sqlite_seeded, tmp_path, make, code, message):
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    cli.ok("progress", "add", "JC-001", "-p", "30", "--date", "2020-09-25", "-u", "市财政局", "--note", "初报")
    other = tmp_path / "elsewhere"
    other.mkdir()
    cli.ok("db", "backup", str(other / "backup.db"))
    source = make(other, other / "backup.db")
    before = snapshot(sqlite_seeded)
    result = cli("db", "restore", str(source), "--yes")
    assert (result.exit_code, result.stderr.strip()) == (code, message.format(file=source))
    assert snapshot(sqlite_seeded) == before
    assert _leftovers(tmp_path) == [] and _kept(tmp_path) == []


def test_the_ledger_itself_and_a_file_that_is_no_ledger(cli, sqlite_seeded, tmp_path):
    result = cli("db", "restore", sqlite_seeded, "--yes")
    assert (result.exit_code, result.stderr.strip()) == (4, f"错误：备份文件 {sqlite_seeded} 就是台账本身，无需恢复。")
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    notes = tmp_path / "notes.txt"
    notes.write_text("重要笔记" * 100, encoding="utf-8")
    result = cli("--db", str(notes), "db", "restore", str(tmp_path / "backup.db"), "--yes")
    assert (result.exit_code, result.stderr.strip()) == (6, f"错误：{notes} 不是 SQLite 数据库文件。请用 --db 指定正确的台账文件。")
    assert notes.read_text(encoding="utf-8") == "重要笔记" * 100


def test_postgresql_points_to_pg_restore(cli, pg_server, tmp_path, monkeypatch):
    from conftest import new_pg_database

    url = new_pg_database(pg_server)
    monkeypatch.setenv("SIXBAO_DB", url)
    (tmp_path / "b.db").write_bytes(b"")
    result = cli("db", "restore", str(tmp_path / "b.db"), "--yes")
    assert (result.exit_code, result.stderr.strip()) == (
        4, f"错误：db restore 只用于 SQLite 台账。PostgreSQL 台账请用：pg_restore --clean --if-exists --single-transaction --dbname=\"{url}\" 台账.dump")


def test_the_readmes_postgresql_recipe_round_trips(cli, pg_server, tmp_path, monkeypatch):
    """pg_dump --format=custom, more writes, pg_restore --clean --if-exists --single-transaction: the backup's data."""
    from conftest import new_pg_database, seed

    url = new_pg_database(pg_server)
    monkeypatch.setenv("SIXBAO_DB", url)
    seed(cli, url)
    plain = url.replace("+psycopg", "")
    dump = tmp_path / "ledger.dump"
    subprocess.run([str(pg_server.bin_dir / "pg_dump"), "--format=custom", f"--file={dump}", plain], check=True)
    backed_up = snapshot(url)
    _more_writes(cli)
    subprocess.run([str(pg_server.bin_dir / "pg_restore"), "--clean", "--if-exists", "--single-transaction",
                    f"--dbname={plain}", str(dump)], check=True)
    assert snapshot(url) == backed_up
    assert "结论：台账健康。" in cli.ok("db", "check").stdout
    cli.ok("task", "add", "恢复之后的任务", "-c", "民生", "-l", "市财政局")  # sequences came back too


def test_missing_directories(cli, sqlite_seeded, tmp_path):
    cli.ok("db", "backup", str(tmp_path / "backup.db"))
    result = cli("--db", str(tmp_path / "no" / "ledger.db"), "db", "restore", str(tmp_path / "backup.db"), "--yes")
    assert (result.exit_code, result.stderr.strip()) == (
        6, f"错误：台账所在目录 {tmp_path / 'no'} 不存在。请先创建该目录，或用 --db 指定其他位置。")
    result = cli("db", "backup", str(tmp_path / "no" / "backup.db"))
    assert (result.exit_code, result.stderr.strip()) == (6, f"错误：备份文件所在目录 {tmp_path / 'no'} 不存在，未做备份。请先创建该目录。")
    assert not (tmp_path / "no").exists()
