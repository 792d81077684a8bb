"""Desk officers writing at the same moment all succeed (write transactions take the lock up front)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

WRITERS = 4
ENTRIES = 15

SCRIPT = """
import sys
from sixbao_cli.cli import app
writer = int(sys.argv[1])
for i in range(int(sys.argv[2])):
    try:
        app(["progress", "add", "JY-001", "-p", str(writer * 10 + i % 10), "--date", "2020-09-25",
             "-u", "市人社局", "--note", f"w{writer}-{i}"])
    except SystemExit as e:
        if e.code:
            sys.exit(e.code)
"""


def test_concurrent_writers_all_succeed(cli, seeded):
    env = {**os.environ, "SIXBAO_DB": seeded}
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(w), str(ENTRIES)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(WRITERS)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * WRITERS, [err for _, err in results]
    notes = sorted(e["note"] for e in json.loads(cli.ok("progress", "list", "--json").stdout))
    assert notes == sorted(f"w{w}-{i}" for w in range(WRITERS) for i in range(ENTRIES))


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
