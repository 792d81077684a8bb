"""SQLite's statistics must not turn a ledger's queries into scans.

sixbao never runs ``ANALYZE`` on a ledger's own tables, but an officer's DB
browser, ``sqlite3 ledger.db ANALYZE`` or ``PRAGMA optimize`` may, and the
statistics it leaves change the planner's choices. Once they made ``report
weekly`` on 100,000 tasks scan the task table for every task (an index on a
mostly-NULL column looked useless, migration 0010): seconds became more than
minutes. So the commands that read the most run here twice on two copies of
one benchmark-shaped ledger (benchmarks/build_ledger.py: hand-kept reports,
no sub-tasks), one of them analysed, and every statement's plan is compared:
statistics may pick other indexes, or scan a small table once, but they must
not add a scan that runs once per row of something else, nor a scan of
``progress`` (``_costly_scans``).

PostgreSQL always plans with statistics (autovacuum gathers them) and keeps
the share of NULLs apart from the other values, so this is SQLite's alone.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUILD = Path(__file__).resolve().parents[1] / "benchmarks" / "build_ledger.py"
DML = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,500-task ledger with 10 reports per task, built once for the module."""
    path = tmp_path_factory.mktemp("built") / "ledger.db"
    subprocess.run([sys.executable, str(BUILD), str(path), "--tasks", "1500", "--quiet"], check=True,
                   capture_output=True)
    return path


Plan = list[tuple[int, int, str]]  # EXPLAIN QUERY PLAN's rows: id, parent, detail


def _plans(cli, monkeypatch, db: Path, commands: list[list[str]]) -> list[tuple[str, Plan]]:
    """Run ``commands`` against ``db`` in-process; each statement they execute, with its query plan."""
    seen: list[tuple[str, Plan]] = []

    def explain(conn, cursor, statement, params, context, executemany):
        if executemany or not statement.lstrip().upper().startswith(DML):
            return
        plan = [tuple(row[:2]) + (row[3],)
                for row in cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, params or ())]
        seen.append((" ".join(statement.split()), plan))

    monkeypatch.setenv("SIXBAO_DB", str(db))
    event.listen(Engine, "before_cursor_execute", explain)
    try:
        for argv in commands:
            cli.ok(*argv)
    finally:
        event.remove(Engine, "before_cursor_execute", explain)
    return seen


def _costly_scans(plan: Plan) -> set[str]:
    """The full scans in ``plan`` that cost more than one pass over a ledger table.

    A scan run once per row of something else: inside a correlated subquery,
    or as an inner loop of a join (not the first loop of its level). And any
    scan of ``progress``, ten times the tasks and growing every 旬, where an
    index would do. A single scan of a small table for a long ``IN`` list is
    a fair choice with statistics and is not counted.
    """
    detail = {node: text for node, _, text in plan}
    parent = {node: up for node, up, _ in plan}

    def correlated(node: int) -> bool:
        while node in parent:
            node = parent[node]
            if detail.get(node, "").startswith("CORRELATED"):
                return True
        return False

    first_loop: dict[int, int] = {}
    for node, up, text in plan:
        if text.startswith(("SCAN ", "SEARCH ")):
            first_loop.setdefault(up, node)
    costly = set()
    for node, up, text in plan:
        if text.startswith("SCAN "):
            table = text.split()[1]
            if table == "progress" or first_loop[up] != node or correlated(node):
                costly.add(table)
    return costly


def test_statistics_add_no_scan_to_any_plan(cli, monkeypatch, built, tmp_path):
    plain, analysed = tmp_path / "plain.db", tmp_path / "analysed.db"
    shutil.copyfile(built, plain)
    shutil.copyfile(built, analysed)
    with sqlite3.connect(analysed) as conn:
        conn.execute("ANALYZE")
        stats = dict(conn.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'task'"))
        code, unit = conn.execute(
            "SELECT task.code, unit.name FROM task JOIN task_unit ON task_unit.task_id = task.id"
            " AND task_unit.role = 'lead' JOIN unit ON unit.id = task_unit.unit_id ORDER BY task.id LIMIT 1").fetchone()
    assert stats, "ANALYZE left no statistics on task: the comparison would prove nothing"
    sheet = tmp_path / "报送.csv"
    sheet.write_bytes(f"\ufeff任务编号,填报日期,完成进度(%),进展情况\r\n{code},2020-09-18,55,按计划推进\r\n".encode())

    commands = [
        ["report", "weekly", "--as-of", "2020-09-14", "--format", "json", "--dry-run"],  # nothing kept
        ["report", "weekly", "--as-of", "2020-09-21", "--format", "json", "--dry-run"],  # a week on
        ["report", "weekly", "--as-of", "2020-09-21", "--format", "markdown", "--dry-run"],  # same day
        ["report", "overdue", "--as-of", "2020-09-21", "--unit", unit, "--format", "json"],
        ["report", "stale", "--as-of", "2020-09-21", "--category", "保居民就业", "--format", "json"],
        ["report", "units", "--as-of", "2020-09-21", "--format", "json"],
        ["task", "show", code],
        ["import", "progress", str(sheet), "-u", unit, "--as-of", "2020-09-21"],
        ["report", "weekly", "--as-of", "2020-09-21", "--format", "json", "--dry-run"],  # after an import
        ["import", "undo", "1"],
        ["report", "weekly", "--as-of", "2020-09-21", "--format", "json", "--dry-run"],  # after its undo
    ]
    without = _plans(cli, monkeypatch, plain, commands)
    with_stats = _plans(cli, monkeypatch, analysed, commands)

    assert [s for s, _ in with_stats] == [s for s, _ in without], "the two copies ran different statements"
    assert len(without) > 100
    worse = [(statement, before, after) for (statement, before), (_, after) in zip(without, with_stats, strict=True)
             if _costly_scans(after) - _costly_scans(before)]
    assert not worse, "\n\n".join(
        f"{statement[:300]}\nwithout statistics:\n  " + "\n  ".join(t for *_, t in before)
        + "\nwith:\n  " + "\n  ".join(t for *_, t in after)
        for statement, before, after in worse)
