"""Many desk officers writing to one ledger at once, and reports read while they do.

    python benchmarks/stress_writers.py                      # 8 writers × 500 entries on SQLite and PostgreSQL
    python benchmarks/stress_writers.py --writers 8 --entries 500 --readers 2 --no-pg
    python benchmarks/stress_writers.py --pg-url postgresql://postgres@127.0.0.1:5432/postgres

Each writer is its own process running the real command line —
``sixbao progress add CODE -p … --date … -u … --note wW-iI-CODE`` — ``entries``
times in a row (in-process calls of the CLI's ``app``, so that the figure is
the ledger's and not the interpreter's start-up), spreading its entries over
three tasks whose lead units differ. Readers run ``sixbao report weekly
--format json`` and ``sixbao progress list --json`` in a loop meanwhile.

Checked afterwards, and printed: every entry present exactly once; each in the
task its note names (an entry interleaved into another writer's task would
show); each writer's entries in the order it wrote them; no writer or reader
failed (a "database is locked" would be a failure). Checked by every reader on
every read: the weekly report's totals add up (tasks = done + suspended + red +
yellow + green; the categories sum to the totals; the listed red and yellow
tasks match their counts), and each writer's entries seen form an unbroken
prefix of what it wrote — one consistent snapshot, never half a commit.

The tests run the same code at a smaller size (tests/test_concurrency.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (code, lead unit) of the three tasks the writers report on; made by seed_commands().
TASKS = (("JY-001", "市人社局"), ("JY-002", "市人社局"), ("JC-001", "市财政局"))

SEED = [
    ["unit", "add", "市人力资源社会保障局", "-a", "市人社局"],
    ["unit", "add", "市财政局"],
    ["unit", "add", "市税务局"],
    ["unit", "add", "各地党委、政府"],
    ["task", "add", "加大援企稳岗返还力度", "-c", "就业", "-l", "市人社局", "-s", "市财政局、市税务局",
     "--start", "2020-06-18", "-d", "2020-12-31", "--target", "返还失业保险费>=3000万元", "-m", "2020-09-30:50%"],
    ["task", "add", "拓宽以工代训范围", "-c", "保居民就业", "-l", "市人社局", "-s", "市财政局",
     "--start", "2020-06-18", "-d", "2020-06-30"],
    ["task", "add", "保障基层运转资金", "-c", "基层运转", "-l", "市财政局", "-s", "各地党委、政府",
     "--start", "2020-06-01", "-d", "2020-11-30"],
]

# Both build the click command once, as the installed ``sixbao`` does once per process: calling typer's
# ``app`` builds it anew each time, which would be three quarters of each call.
WRITER = """
import sys, time
from datetime import date, timedelta
import typer
from sixbao_cli.cli import app
app = typer.main.get_command(app)
tasks = {tasks!r}
writer, entries = int(sys.argv[1]), int(sys.argv[2])
began = time.perf_counter()
for i in range(entries):
    code, unit = tasks[(writer + i) % len(tasks)]
    day = date(2020, 6, 20) + timedelta(days=(writer * 37 + i) % 150)
    try:
        app.main(["progress", "add", code, "-p", str((writer * 13 + i) % 100), "--date", day.isoformat(),
                  "-u", unit, "--note", f"w{{writer}}-i{{i}}-{{code}}"], prog_name="sixbao")
    except SystemExit as exc:
        if exc.code:
            sys.exit(exc.code)
print(time.perf_counter() - began)
"""

READER = """
import contextlib, io, json, sys
from collections import Counter
from pathlib import Path
import typer
from sixbao_cli.cli import app
app = typer.main.get_command(app)
stop = Path(sys.argv[1])

def run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            app.main(list(argv), prog_name="sixbao")
        except SystemExit as exc:
            if exc.code:
                sys.exit(exc.code)
    return json.loads(out.getvalue())

reads = 0
while True:
    last = stop.exists()
    report = run("report", "weekly", "--format", "json")
    t = report["totals"]
    assert t["tasks"] == t["done"] + t["suspended"] + t["red"] + t["yellow"] + t["green"], t
    for key in ("tasks", "done", "red", "yellow", "green"):
        assert sum(c[key] for c in report["by_category"]) == t[key], (key, report["by_category"], t)
    lights = Counter(item["light"] for item in report["items"])
    assert (lights["red"], lights["yellow"]) == (t["red"], t["yellow"]), (lights, t)
    seen = {{}}
    for entry in run("progress", "list", "--json"):
        writer, i, code = entry["note"].split("-", 2)
        assert code == entry["task"], entry
        seen.setdefault(writer, set()).add(int(i[1:]))
    for writer, done in seen.items():
        assert done == set(range(len(done))), (writer, sorted(set(range(max(done) + 1)) - done)[:5])
    reads += 1
    if last:
        break
print(reads)
"""


@dataclass
class StressResult:
    """What one run did and found."""

    database: str
    writers: int
    entries: int
    seconds: float  # from the writers' start to the last one's end
    writer_seconds: list[float] = field(default_factory=list)
    reads: int = 0  # consistent reads (report + listing) made while writing
    found: int = 0
    problems: list[str] = field(default_factory=list)


def seed(url: str) -> None:
    """The units and three tasks the writers report on, in the ledger at ``url`` (created if need be)."""
    env = {**os.environ, "SIXBAO_DB": url}
    for argv in SEED:
        subprocess.run([sys.executable, "-m", "sixbao_cli", *argv], env=env, check=True, capture_output=True)


def stress(url: str, *, writers: int = 8, entries: int = 500, readers: int = 2, timeout: float = 1800) -> StressResult:
    """Run ``writers`` processes adding ``entries`` each (and ``readers`` readers) against the seeded ledger at ``url``."""
    env = {**os.environ, "SIXBAO_DB": url, "SIXBAO_LANG": "en"}
    result = StressResult(url, writers, entries, 0.0)
    with tempfile.TemporaryDirectory(prefix="sixbao-stress-") as tmp:
        stop = Path(tmp) / "stop"
        reading = [subprocess.Popen([sys.executable, "-c", READER.format(), str(stop)], env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(readers)]
        began = time.perf_counter()
        writing = [subprocess.Popen([sys.executable, "-c", WRITER.format(tasks=TASKS), str(w), str(entries)], env=env,
                                    text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(writers)]
        for w, proc in enumerate(writing):
            out, err = proc.communicate(timeout=timeout)
            if proc.returncode:
                result.problems.append(f"writer {w} exited {proc.returncode}: {err.strip()[-500:]}")
            else:
                result.writer_seconds.append(float(out.split()[-1]))
        result.seconds = time.perf_counter() - began
        stop.touch()
        for r, proc in enumerate(reading):
            out, err = proc.communicate(timeout=timeout)
            if proc.returncode:
                result.problems.append(f"reader {r} exited {proc.returncode}: {err.strip()[-4000:]}")
            else:
                result.reads += int(out.split()[-1])
    result.problems += verify(url, writers, entries, result)
    return result


def verify(url: str, writers: int, entries: int, result: StressResult) -> list[str]:
    """Every entry once, in the task its note names, each writer's in the order written."""
    from sqlalchemy import create_engine, text

    from sixbao_cli.settings import resolve_db_url

    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT p.id, p.note, t.code FROM progress p JOIN task t ON t.id = p.task_id "
                                     "ORDER BY p.id")).all()
    finally:
        engine.dispose()
    problems = []
    result.found = len(rows)
    notes = [r.note for r in rows]
    expected = {f"w{w}-i{i}-{TASKS[(w + i) % len(TASKS)][0]}" for w in range(writers) for i in range(entries)}
    if len(notes) != len(set(notes)):
        problems.append(f"{len(notes) - len(set(notes))} entries recorded twice")
    if set(notes) != expected:
        missing, extra = expected - set(notes), set(notes) - expected
        problems.append(f"{len(missing)} entries missing (e.g. {sorted(missing)[:3]}), {len(extra)} unexpected")
    wrong = [r for r in rows if r.note.split("-", 2)[2] != r.code]
    if wrong:
        problems.append(f"{len(wrong)} entries in the wrong task, e.g. #{wrong[0].id} {wrong[0].note} in {wrong[0].code}")
    order: dict[str, list[int]] = {}
    for r in rows:
        writer, i, _ = r.note.split("-", 2)
        order.setdefault(writer, []).append(int(i[1:]))
    unordered = [w for w, seq in order.items() if seq != sorted(seq)]
    if unordered:
        problems.append(f"writers {unordered} have entries out of the order written")
    return problems


def report(result: StressResult) -> str:
    """One line of figures."""
    from sixbao_cli.settings import display_url

    n = result.writers * result.entries
    per = sorted(result.writer_seconds)
    spread = f"{per[0]:.1f}–{per[-1]:.1f} s" if per else "—"
    verdict = "ok" if not result.problems else "FAILED: " + "; ".join(result.problems)
    return (f"{display_url(result.database):<60} {result.writers} × {result.entries:<5} {result.found:>6,}/{n:<6,} "
            f"{result.seconds:7.1f} s {n / result.seconds:7.0f}/s  writers {spread}  reads {result.reads:>4}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--entries", type=int, default=500, help="entries per writer (default 500)")
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--pg-url", help="a PostgreSQL server to use (its user must be allowed to create databases); "
                                         "default: a throw-away server started with tests/pgserver.py")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    results = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="sixbao-stress-") as tmp:
            url = str(Path(tmp) / "ledger.db")
            seed(url)
            results.append(stress(url, writers=args.writers, entries=args.entries, readers=args.readers))
            print(report(results[-1]), flush=True)
    if not args.no_pg:
        server = None
        pg_url = args.pg_url
        if pg_url is None:
            sys.path.insert(0, str(REPO / "tests"))
            from pgserver import PostgresServer, find_pg_bin

            bin_dir = find_pg_bin()
            if bin_dir is None:
                raise SystemExit("no PostgreSQL binaries found (set SIXBAO_PG_BIN), or give --pg-url, or --no-pg")
            server = PostgresServer(bin_dir)
            server.start()
            pg_url = server.url()
        try:
            from sqlalchemy import create_engine, text

            from sixbao_cli.settings import resolve_db_url

            admin = create_engine(resolve_db_url(pg_url), isolation_level="AUTOCOMMIT")
            name = f"sixbao_stress_{os.getpid()}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = resolve_db_url(pg_url).rsplit("/", 1)[0] + "/" + name
            try:
                seed(url)
                results.append(stress(url, writers=args.writers, entries=args.entries, readers=args.readers))
                print(report(results[-1]), flush=True)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        finally:
            if server is not None:
                server.stop()
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
