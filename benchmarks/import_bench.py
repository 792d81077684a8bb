"""Benchmark ``sixbao import progress`` on a benchmark ledger, beside SQLite's own ``.import`` of the same file.

    python benchmarks/import_bench.py                          # 100,000 rows into a copy of the 10,000-task ledger
    python benchmarks/import_bench.py --rows 10000 100000 1000000
    python benchmarks/import_bench.py --ledger /tmp/big.db --rows 100000 --xlsx

For each size it writes a CSV of that many progress rows (UTF-8 with BOM, the
template's columns, one row per task, lead unit and 旬 in 2021 onwards — after
everything the benchmark ledger holds, so every row is new), copies the
benchmark ledger, and runs the real command, ``sixbao --db COPY import
progress FILE``, in a child process: wall time, rows per second, and the
child's peak resident memory (``resource.getrusage(RUSAGE_CHILDREN)``).
Beside it, ``sqlite3 :memory: ".import --csv FILE t"`` — SQLite's own CSV
loader into an in-memory table with no checks at all — as the floor. Peak
memory that stays flat from 100,000 to 1,000,000 rows shows the import
streams. Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HEADERS = ["任务编号", "任务名称", "填报单位", "填报日期", "完成进度(%)", "完成数值", "进展情况", "存在问题", "下步计划",
           "填报人"]


def _xun_days(n: int) -> list[date]:
    """``n`` days, one in each 旬 from January 2021 on (the 5th, 15th and 25th)."""
    days = []
    month = date(2021, 1, 1)
    while len(days) < n:
        days += [month.replace(day=d) for d in (5, 15, 25)]
        month = (month + timedelta(days=32)).replace(day=1)
    return days[:n]


def write_csv(ledger: Path, path: Path, rows: int) -> int:
    """A progress sheet of ``rows`` rows against the ledger's open tasks and their lead units."""
    db = sqlite3.connect(ledger)
    tasks = db.execute(
        "SELECT t.code, t.title, u.name FROM task t JOIN task_unit tu ON tu.task_id = t.id AND tu.role = 'lead' "
        "JOIN unit u ON u.id = tu.unit_id WHERE t.status != 'closed' ORDER BY t.code").fetchall()
    db.close()
    days = _xun_days(-(-rows // len(tasks)))
    written = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        for day in days:
            for i, (code, title, unit) in enumerate(tasks):
                if written == rows:
                    return written
                out.writerow([code, title, unit, day.isoformat(), (i * 7 + day.month * 3) % 101, "",
                              "已召开专题调度会，逐项分解任务", "部分地区进度不均衡", "加快资金拨付进度", "王五"])
                written += 1
    return written


def to_xlsx(source: Path, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(target)


_MEASURE = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
            "out = (r.stdout or r.stderr).strip()\n"
            "print(out.splitlines()[-1] if out else '')\n")


def measured(argv: list[str]) -> tuple[float, int, int, str]:
    """Run ``argv`` under a fresh interpreter that waits for it alone: (seconds, peak KiB, exit code, last line)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    seconds, peak, returncode = out[0].split()
    return float(seconds), int(peak), int(returncode), out[1] if len(out) > 1 else ""


def run_import(ledger: Path, sheet: Path, workdir: Path) -> tuple[float, int, str]:
    """(seconds, peak KiB, last line of output) for ``sixbao import progress`` into a copy of ``ledger``."""
    copy = workdir / "import-copy.db"
    shutil.copyfile(ledger, copy)
    for suffix in ("-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    script = Path(sys.executable).with_name("sixbao")
    seconds, peak, returncode, line = measured([str(script), "--db", str(copy), "import", "progress", str(sheet)])
    copy.unlink()
    if returncode != 0:
        raise SystemExit(f"import failed ({returncode}): {line}")
    return seconds, peak, line


def run_sqlite_import(sheet: Path) -> tuple[float, int] | None:
    """(seconds, peak KiB) for ``sqlite3 :memory: ".import --csv FILE t"``, or None without the sqlite3 program."""
    binary = shutil.which("sqlite3")
    if binary is None:
        return None
    seconds, peak, _, _ = measured([binary, ":memory:", f".import --csv {sheet} t", "select count(*) from t;"])
    return seconds, peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ledger", type=Path, help="a SQLite benchmark ledger (default: built or reused in --workdir)")
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks of the ledger built when --ledger is not given")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="sizes of the files (default 100000)")
    parser.add_argument("--xlsx", action="store_true", help="also import each file saved as .xlsx")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sixbao-bench")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bytecode import ensure_bytecode

    print(ensure_bytecode(), file=sys.stderr, flush=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    ledger = args.ledger
    if ledger is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from build_ledger import Plan, build, read_marker

        ledger = args.workdir / f"ledger-{args.tasks}x10.db"
        if read_marker(f"sqlite:///{ledger}") is None:
            print(f"building {ledger} …", file=sys.stderr)
            build(f"sqlite:///{ledger}", Plan(tasks=args.tasks, entries_per_task=10), replace=True, quiet=True)
    print(f"ledger: {ledger} ({ledger.stat().st_size / 1e6:.0f} MB); Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")
    print(f"{'file':<22} {'rows':>10} {'MB':>7} {'sixbao s':>9} {'rows/s':>9} {'peak MB':>8}   "
          f"{'.import s':>9} {'rows/s':>10} {'peak MB':>8}")
    for rows in args.rows:
        sheet = args.workdir / f"progress-{rows}.csv"
        n = write_csv(ledger, sheet, rows)
        files = [sheet]
        if args.xlsx:
            files.append(sheet.with_suffix(".xlsx"))
            to_xlsx(sheet, files[-1])
        for path in files:
            seconds, peak, line = run_import(ledger, path, args.workdir)
            floor = run_sqlite_import(sheet) if path.suffix == ".csv" else None
            base = f"{floor[0]:>9.2f} {n / floor[0]:>10,.0f} {floor[1] / 1024:>8.0f}" if floor else f"{'—':>9}"
            print(f"{path.name:<22} {n:>10,} {path.stat().st_size / 1e6:>7.1f} {seconds:>9.2f} {n / seconds:>9,.0f} "
                  f"{peak / 1024:>8.0f}   {base}")
            print(f"  {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
