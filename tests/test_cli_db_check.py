"""db check: a healthy ledger passes; each kind of damage is found, named, and makes the exit code 9."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from sixbao_cli.schema import HEAD, REVISIONS
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot

CHECKS = ["revision", "integrity", "foreign_keys", "guards", "search_index", "supersedes_task", "supersedes_order",
          "batch_rows", "import_without_batch", "closed_state", "parent_self", "permissions"]


def _with_progress(cli) -> None:
    cli.ok("progress", "add", "JY-001", "-p", "40", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    cli.ok("progress", "add", "JC-001", "-p", "30", "--date", "2020-09-25", "-u", "市财政局", "--note", "初报")
    cli.ok("progress", "correct", "1", "-p", "45")


def _sql(url: str, *statements: str) -> None:
    engine = create_engine(resolve_db_url(url))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _checks(cli) -> tuple[dict[str, dict], int]:
    result = cli("db", "check", "--json")
    assert result.stdout, result.stderr
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}, result.exit_code


def test_a_healthy_ledger(cli, seeded, db_url):
    _with_progress(cli)
    before = snapshot(seeded)
    result = cli.ok("db", "check")
    lines = result.stdout.splitlines()
    dialect = "sqlite" if db_url.endswith(".db") else "postgresql"
    where = seeded if dialect == "sqlite" else resolve_db_url(seeded)
    assert lines[0] == f"台账：{where}（{dialect}，结构版本 {HEAD}）"
    assert lines[1].split() == ["检查项", "结果", "数量", "说明"]
    assert lines[2].split() == ["结构版本", "正常", f"{HEAD}（程序版本", f"{HEAD}）"]
    assert [line.split()[1] for line in lines[3:-3]] == ["正常"] * (len(CHECKS) - (1 if dialect == "sqlite" else 3))
    assert lines[-3] == "台账内容：方案 0 份，任务 3 项，单位 4 个，进展记录 3 条（其中已撤销 0 条），导入批次 0 个（其中已撤销 0 个），修改记录 2 条。"
    assert lines[-2].startswith("存储：日志模式 wal，页大小 4096 字节" if dialect == "sqlite" else "存储：PostgreSQL ")
    assert lines[-1] == "结论：台账健康。"
    data = json.loads(cli.ok("db", "check", "--json").stdout)
    assert data["healthy"] is True and data["revision"] == data["head"] == HEAD
    assert [c["name"] for c in data["checks"]] == [c for c in CHECKS if dialect == "sqlite" or c not in ("integrity", "permissions")]
    assert {c["status"] for c in data["checks"]} == {"ok"}
    assert data["counts"] == {"documents": 0, "tasks": 3, "units": 4, "entries": 3, "entries_undone": 0, "batches": 0,
                              "batches_undone": 0, "task_changes": 2}
    assert snapshot(seeded) == before


def test_english(cli, seeded, monkeypatch):
    monkeypatch.setenv("SIXBAO_LANG", "en")
    out = cli.ok("db", "check").stdout.splitlines()
    assert out[1].split() == ["Check", "Result", "Count", "Details"]
    assert out[-1] == "Verdict: the ledger is healthy."


@pytest.mark.parametrize(("name", "statements", "detail"), [
    ("supersedes_task",
     ["INSERT INTO progress (task_id, unit_id, report_date, percent, source, supersedes_id, recorded_at) "
      "VALUES (3, 2, '2020-09-26', 50, 'manual', 3, '2020-09-26 00:00:00')"],
     "进展 #4（JC-001）更正的 #3 属于 JY-001"),
    ("batch_rows",
     ["INSERT INTO import_batch (kind, file_name, checksum, row_count, created_at) "
      "VALUES ('progress', 'a.csv', 'x', 2, '2020-09-26 00:00:00')",
      "INSERT INTO progress (task_id, unit_id, report_date, percent, source, batch_id, recorded_at) "
      "VALUES (1, 1, '2020-09-26', 50, 'import', 1, '2020-09-26 00:00:00')"],
     "批次 #1 应有 2 条，实有 1 条"),
    ("import_without_batch",
     ["INSERT INTO progress (task_id, unit_id, report_date, percent, source, recorded_at) "
      "VALUES (1, 1, '2020-09-26', 50, 'import', '2020-09-26 00:00:00')"],
     "进展 #4"),
    ("closed_state", ["UPDATE task SET status = 'closed' WHERE code = 'JY-002'"], "JY-002"),
    ("parent_self", ["UPDATE task SET parent_id = id WHERE code = 'JY-002'"], "JY-002"),
])
def test_a_broken_rule_of_the_ledger_is_found(cli, seeded, name, statements, detail):
    _with_progress(cli)
    _sql(seeded, *statements)
    checks, code = _checks(cli)
    assert code == 9
    assert checks[name]["status"] == "problem" and checks[name]["count"] == 1
    assert {n for n, c in checks.items() if c["status"] == "problem"} == {name}
    result = cli("db", "check")
    assert result.exit_code == 9
    row = next(line for line in result.stdout.splitlines() if line.startswith(
        {"supersedes_task": "更正指向同一任务", "batch_rows": "导入批次完整", "import_without_batch": "导入记录有批次",
         "closed_state": "销号状态与时间一致", "parent_self": "任务上级不是自身"}[name]))
    assert row.split(maxsplit=3)[1:] == ["问题", "1", detail]
    assert result.stdout.splitlines()[-1].startswith("结论：发现 1 项问题（见上表）。请先用 sixbao db backup 另存一份现状")


def test_a_damaged_index(cli, sqlite_seeded):
    _with_progress(cli)
    con = sqlite3.connect(sqlite_seeded)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, '(task_id, report_date)', '(unit_id, report_date)') "
                "WHERE name = 'ix_progress_task_id_report_date'")
    con.commit()
    con.close()
    checks, code = _checks(cli)
    assert code == 9
    assert checks["integrity"]["status"] == "problem"
    assert {"error": "row 2 missing from index ix_progress_task_id_report_date"} in checks["integrity"]["details"]
    quick, _ = (lambda r: ({c["name"]: c for c in json.loads(r.stdout)["checks"]}, r.exit_code))(
        cli("db", "check", "--quick", "--json"))
    assert quick["integrity"]["status"] == "ok"  # quick_check does not compare index contents


def test_orphans_found_on_both_databases(cli, seeded, db_url):
    """A row whose parent is missing: SQLite loaded with keys off, PostgreSQL with its key triggers off."""
    orphan = ("INSERT INTO task_leader (task_id, name, position) VALUES (999, '某某', 0)")
    if db_url.startswith("postgresql"):
        _sql(seeded, "SET session_replication_role = replica", orphan)
    else:
        con = sqlite3.connect(seeded)  # foreign keys are off unless a connection turns them on
        con.execute(orphan)
        con.commit()
        con.close()
    checks, code = _checks(cli)
    assert code == 9
    assert checks["foreign_keys"]["status"] == "problem"
    assert checks["foreign_keys"]["details"][0]["table"] == "task_leader"
    assert checks["foreign_keys"]["details"][0]["parent"] == "task"


def test_a_missing_append_only_guard(cli, seeded, db_url):
    if db_url.startswith("postgresql"):
        _sql(seeded, "ALTER TABLE progress DISABLE TRIGGER progress_append_only")
    else:
        _sql(seeded, "DROP TRIGGER progress_append_only_delete")
    checks, code = _checks(cli)
    assert code == 9 and checks["guards"]["status"] == "problem"


def test_an_old_revision_is_a_warning_and_nothing_is_upgraded(cli, seeded):
    from sixbao_cli import schema

    ledger = schema.open_ledger(resolve_db_url(seeded))
    try:
        schema.downgrade_ledger(ledger, REVISIONS[0])
    finally:
        ledger.close()
    before = snapshot(seeded)
    checks, code = _checks(cli)
    assert code == 0
    assert checks["revision"]["status"] == "warning"
    assert checks["revision"]["details"] == [{"revision": REVISIONS[0], "head": HEAD}]
    assert checks["batch_rows"]["status"] == "skipped"
    assert snapshot(seeded) == before


def test_a_newer_ledger_is_refused(cli, seeded):
    _sql(seeded, "UPDATE alembic_version SET version_num = '9999_future'")
    result = cli("db", "check")
    assert result.exit_code == 7
    assert "结构版本 9999_future 比本程序新，为保护数据拒绝打开。请升级 sixbao 后再使用。" in result.stderr


def test_no_ledger(cli, tmp_path):
    result = cli("--db", str(tmp_path / "none.db"), "db", "check")
    assert (result.exit_code, result.stderr.strip()) == (6, f"错误：台账 {tmp_path / 'none.db'} 尚不存在。请先执行 sixbao init。")
    assert not (tmp_path / "none.db").exists()


def test_a_ledger_others_may_read_is_a_warning(cli, sqlite_seeded):
    os.chmod(sqlite_seeded, 0o644)
    result = cli.ok("db", "check")
    row = next(line for line in result.stdout.splitlines() if line.startswith("文件仅所有者可读写"))
    assert row.split()[1:] == ["注意", "1", f"{sqlite_seeded}", "权限为", "0644，其他用户可读；请执行", "chmod", "600"]
    assert result.stdout.splitlines()[-1] == "结论：台账健康，有 1 项需要注意（见上表）。"


def test_damaged_pages_are_reported_not_fatal(cli, sqlite_seeded):
    """Bytes overwritten inside a table: integrity_check lists the damage, the other checks still run, exit 9."""
    con = sqlite3.connect(sqlite_seeded)
    con.executemany("INSERT INTO task_change (task_id, field, old_value, new_value, reason, changed_at) "
                    "VALUES (1, 'note', NULL, ?, '调度', '2020-10-01 00:00:00')", [("进展情况" * 40,) for _ in range(400)])
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task_change'").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(sqlite_seeded, "r+b") as handle:  # the table's root page: its pointers to the leaves
        handle.seek((root - 1) * 4096 + 12)
        handle.write(bytes((i * 7) % 256 for i in range(2000)))
    result = cli("db", "check")
    assert result.exit_code == 9, result.stderr
    rows = {line.split()[0]: line.split(maxsplit=3)[1:] for line in result.stdout.splitlines()[2:-3]}
    assert rows["数据库完整性"][0] == "问题" and int(rows["数据库完整性"][1].replace(",", "")) > 1
    assert rows["导入批次完整"][0] == "正常"  # the tables not damaged are still examined
    assert result.stdout.splitlines()[-1].startswith("结论：发现")
