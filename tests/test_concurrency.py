"""Desk officers writing at the same moment all succeed (write transactions take the lock up front), and readers see consistent data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WRITERS = 4

# The 8 × 500 takes minutes on the 2-core reference machine (benchmarks/stress_writers.py
# runs it and prints the figures); here the same writers and readers run at a size that keeps CI fast.
STRESS_WRITERS = 8
STRESS_ENTRIES = 40


def test_eight_writers_and_two_readers_at_once(seeded):
    """Every entry lands once, in its own task, in its writer's order; readers always see a consistent ledger."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from stress_writers import stress

    result = stress(seeded, writers=STRESS_WRITERS, entries=STRESS_ENTRIES, readers=2, timeout=300)
    assert result.problems == []
    assert result.found == STRESS_WRITERS * STRESS_ENTRIES
    assert result.reads >= 2  # each reader read at least once while the writers wrote, and once after


ADD_TASKS = """
import sys
from sixbao_cli.cli import app
for i in range(int(sys.argv[2])):
    try:
        app(["task", "add", f"并发任务{sys.argv[1]}-{i}", "-c", "民生", "-l", "市财政局"])
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
"""


def test_concurrent_task_adds_get_distinct_codes(cli, seeded):
    env = {**os.environ, "SIXBAO_DB": seeded}
    procs = [subprocess.Popen([sys.executable, "-c", ADD_TASKS, str(w), "5"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for w in range(WRITERS)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * WRITERS, [err for _, err in results]
    codes = [r["code"] for r in json.loads(cli.ok("task", "list", "-c", "民生", "--json").stdout)]
    assert sorted(codes) == [f"MS-{n:03d}" for n in range(1, WRITERS * 5 + 1)]


def test_two_corrections_of_one_entry_at_once_one_wins_cleanly(cli, seeded):
    import threading

    from sixbao_cli.errors import Conflict
    from sixbao_cli.schema import open_ledger
    from sixbao_cli.services.progress import correct_progress
    from sixbao_cli.settings import resolve_db_url

    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "初报")
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def correct(percent: float) -> None:
        ledger = open_ledger(resolve_db_url(seeded))
        try:
            barrier.wait()
            with ledger.write() as conn:
                outcomes.append(correct_progress(conn, 1, today=__import__("datetime").date.today(), percent=percent))
        except Conflict as exc:
            outcomes.append(exc.key)
        finally:
            ledger.close()

    threads = [threading.Thread(target=correct, args=(p,)) for p in (50.0, 55.0)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(map(str, outcomes)) == ["2", "progress.already_corrected"] or \
        sorted(map(str, outcomes)) == ["2", "progress.corrected_meanwhile"]
    assert len(json.loads(cli.ok("progress", "list", "--json").stdout)) == 2


PROGRESS_SHEET = "任务编号,填报日期,完成进度(%),进展情况\n"


def _run_at_once(url: str, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    """Start every command at the same moment as a real ``sixbao`` process; wait for all."""
    env = {**os.environ, "SIXBAO_DB": url}
    procs = [subprocess.Popen([sys.executable, "-m", "sixbao_cli", *cmd], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for cmd in commands]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), p.stdout.read(), p.stderr.read())
            for p in procs]


def _entries(url: str) -> list[tuple]:
    from sqlalchemy import create_engine, select

    from sixbao_cli import tables as T
    from sixbao_cli.settings import resolve_db_url

    engine = create_engine(resolve_db_url(url))
    with engine.connect() as conn:
        rows = conn.execute(select(T.task.c.code, T.progress.c.report_date, T.progress.c.percent,
                                   T.import_batch.c.file_name)
                            .join(T.task, T.task.c.id == T.progress.c.task_id)
                            .join(T.import_batch, T.import_batch.c.id == T.progress.c.batch_id)
                            .order_by(T.task.c.code, T.progress.c.report_date)).all()
        batches = conn.execute(select(T.import_batch.c.file_name).order_by(T.import_batch.c.file_name)).scalars().all()
    engine.dispose()
    return [tuple(r) for r in rows], list(batches)


def test_two_imports_at_once_give_what_two_in_a_row_give(seeded, tmp_path):
    a, b = tmp_path / "人社局九月.csv", tmp_path / "人社局十月.csv"
    a.write_text(PROGRESS_SHEET + "JY-001,2020-09-25,60,稳岗返还已发放\n", encoding="utf-8-sig")
    b.write_text(PROGRESS_SHEET + "JY-001,2020-10-25,75,第二批已发放\nJY-002,2020-06-29,100,已完成\n",
                 encoding="utf-8-sig")
    results = _run_at_once(seeded, ["import", "progress", str(a), "-u", "市人社局"],
                           ["import", "progress", str(b), "-u", "市人社局"])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    entries, batches = _entries(seeded)
    assert batches == ["人社局九月.csv", "人社局十月.csv"]
    assert [(code, str(day), pct) for code, day, pct, _ in entries] == [
        ("JY-001", "2020-09-25", 60.0), ("JY-001", "2020-10-25", 75.0), ("JY-002", "2020-06-29", 100.0)]


def test_the_same_file_twice_at_once_lands_once(seeded, tmp_path):
    sheet = tmp_path / "人社局.csv"
    sheet.write_text(PROGRESS_SHEET + "JY-001,2020-09-25,60,稳岗返还已发放\nJY-002,2020-06-29,100,已完成\n",
                     encoding="utf-8-sig")
    results = _run_at_once(seeded, *[["import", "progress", str(sheet), "-u", "市人社局"]] * 2)
    # As in a row: the first imports, the second finds the same file already imported and writes nothing.
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    said = "".join(r.stdout + r.stderr for r in results)
    assert said.count("内容相同，本次未导入任何内容") == 1
    entries, batches = _entries(seeded)
    assert batches == ["人社局.csv"] and len(entries) == 2
