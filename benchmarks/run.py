"""Run the sixbao benchmarks and print one table of figures.

    python benchmarks/run.py                       # startup + SQLite at 10k and 100k tasks
    python benchmarks/run.py --sizes 10000         # only the small ledger
    python benchmarks/run.py --pg                  # also PostgreSQL, on a throw-away server
    python benchmarks/run.py --pg-url postgresql://user@host/db   # also PostgreSQL, on that server

What is measured (every command is the real ``sixbao`` console script run in
a fresh subprocess, timed from spawn to exit, median of ``--runs`` runs after
one untimed warm-up run):

* startup: ``sixbao --help`` and ``sixbao --version`` beside ``python -c
  pass`` (the interpreter's own start); and, in a separate subprocess, which
  of SQLAlchemy, Alembic, SQLModel and psycopg those two commands import
  (none should be), with ``python -X importtime``'s heaviest top-level
  imports for ``--help``;
* per ledger size: the time to build the ledger (``build_ledger.py``; for a
  cached ledger the figure recorded when it was built), then ``sixbao
  progress add CODE -p 90 --date 2020-12-31 -u LEAD --note …`` and ``sixbao
  task show CODE`` with ``SIXBAO_DB`` pointing at the ledger, each run on a
  different in-progress task spread over the ledger; and ``sixbao report
  weekly --as-of 2020-09-21 --format json --dry-run`` (the whole 周报 judged
  and rendered, no file written) three times: as a report run again the
  same day finds the ledger, with the ladder's verdicts and the tasks'
  facts kept by the report before (services/verdicts.py,
  services/kept_facts.py); "first", with everything kept removed before
  each run, as the first report on a ledger or after a change of rules;
  and "a week on", with what the report of 2020-09-14 kept (run untimed
  before each timed run), as a Monday cron run finds the ledger;
* document parse time (``parse_bench.py``: every seed plan, and a built 1 MB
  plan; no database involved);
* ``sixbao import progress`` of a CSV of ``--import-rows`` rows into a copy of
  the smallest ledger (``import_bench.py``): rows/s and peak memory, beside
  ``sqlite3 :memory: .import`` of the same file; on PostgreSQL into a copy
  of the ledger's database (``CREATE DATABASE … TEMPLATE``);
* the peer, Taskwarrior 2.6 (``peer_taskwarrior.py``), when ``task`` is
  installed: the same tasks imported with ``task import``, ``task overdue``
  and ``task add`` beside ``sixbao report overdue`` and ``sixbao progress
  add`` on the same ledger, and the ratio (at ``--peer-sizes``, default 10k).

Ledgers are kept in ``--workdir`` (default: ``$TMPDIR/sixbao-bench``), one per
size, and reused when their recorded build parameters match (``--rebuild``
builds them anew). On PostgreSQL each size gets its own database
``sixbao_bench_<tasks>x<entries>`` on the server of ``--pg-url`` (whose user
must be allowed to create databases); ``--pg`` starts a throw-away server
with ``tests/pgserver.py`` and removes it at the end. Every ``progress add``
run appends one real entry to the ledger (entries are append-only), so a
cached ledger grows by a handful of entries per benchmark run.

sixbao_cli's bytecode is compiled first (``bytecode.py``), as an installed
wheel has it, so that ``PYTHONDONTWRITEBYTECODE`` in the environment does not
add compiling every module from source to every run.

Nothing here asserts a time: the script reports, people judge.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import build_ledger  # noqa: E402  (beside this file)
from bytecode import ensure_bytecode  # noqa: E402  (beside this file)

# parse_bench, import_bench and peer_taskwarrior are imported where used: the
# last imports this module.

HEAVY = ("sqlalchemy", "alembic", "sqlmodel", "psycopg", "pydantic")
REPORT_DATE = "2020-12-31"
WEEKLY_AS_OF = "2020-09-21"  # a Monday with most tasks under way
WEEK_BEFORE = "2020-09-14"  # the weekly report before it

# Runs the CLI in-process with the given arguments, then prints which heavy
# packages ended up in sys.modules.
IMPORT_CHECK = """
import contextlib, io, json, sys
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["sixbao", *json.loads(sys.argv[1])]
from sixbao_cli.cli import app  # not main(): it leaves through os._exit, before the print below
with contextlib.redirect_stdout(io.StringIO()):
    try:
        app()
    except SystemExit:
        pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""
IMPORTTIME_HELP = "import sys; sys.argv=['sixbao','--help']; from sixbao_cli.cli import main; main()"


# --- timing ------------------------------------------------------------------

@dataclass
class Timing:
    """Wall times of repeated runs of one command, in seconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def show(self) -> str:
        if not self.samples:
            return "—"
        return f"{self.median * 1000:.0f} ms ({min(self.samples) * 1000:.0f}–{max(self.samples) * 1000:.0f})"


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``cmd`` once, output discarded; its wall time. A failing command stops the benchmark."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def time_commands(commands: list[list[str]], runs: int, env: dict[str, str] | None = None) -> Timing:
    """Run ``commands[0]`` once untimed, then ``runs`` timed runs cycling through ``commands``."""
    run_timed(commands[0], env)
    return Timing([run_timed(commands[(i + 1) % len(commands)], env) for i in range(runs)])


def sixbao_command() -> list[str]:
    """The installed console script beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "sixbao"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("sixbao")
    if found:
        return [found]
    return [sys.executable, "-m", "sixbao_cli"]


# --- startup -----------------------------------------------------------------

def heavy_imports(args: list[str]) -> list[str]:
    """Which of HEAVY the CLI imports when run (in-process, in a fresh interpreter) with ``args``."""
    proc = subprocess.run([sys.executable, "-c", IMPORT_CHECK, json.dumps(args), json.dumps(HEAVY)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def importtime_top(n: int = 5) -> tuple[list[tuple[str, int]], list[str]]:
    """``python -X importtime`` of ``sixbao --help``: the heaviest top-level imports (µs), and any HEAVY seen."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORTTIME_HELP], capture_output=True,
                          text=True, check=True)
    top, seen = [], set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|", 2)
        if not cumulative.strip().isdigit():
            continue  # the header line
        module = name[1:]
        if module.strip().split(".")[0] in HEAVY:
            seen.add(module.strip().split(".")[0])
        if not module.startswith(" "):
            top.append((module, int(cumulative)))
    top.sort(key=lambda item: -item[1])
    return top[:n], sorted(seen)


def bench_startup(runs: int) -> list[tuple[str, Timing, str]]:
    sixbao = sixbao_command()
    rows = [("python -c pass", time_commands([[sys.executable, "-c", "pass"]], runs), "")]
    for arg in ("--help", "--version"):
        timing = time_commands([[*sixbao, arg]], runs)
        heavy = heavy_imports([arg])
        rows.append((f"sixbao {arg}", timing, "none" if not heavy else ", ".join(heavy)))
    return rows


# --- ledgers -----------------------------------------------------------------

@dataclass
class LedgerResult:
    backend: str
    tasks: int
    entries: int
    build_seconds: float
    build_rows: int
    cached: bool
    progress_add: Timing
    task_show: Timing
    report_weekly: Timing
    report_weekly_first: Timing
    report_weekly_week_on: Timing


def forget_kept(url: str) -> None:
    """Remove what reports keep (services/verdicts.py, services/kept_facts.py): the next report reads everything."""
    from sqlalchemy import create_engine, delete

    from sixbao_cli import tables as T

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table in (T.xun_verdict, T.verdict_mark, T.kept_fact, T.kept_fact_mark):
                conn.execute(delete(table))
    finally:
        engine.dispose()


def time_first(command: list[str], url: str, runs: int, env: dict[str, str],
               before: list[str] | None = None) -> Timing:
    """``runs`` timed runs of ``command``, each on a ledger with nothing kept, or with what ``before`` (run
    untimed first) kept."""
    samples = []
    for _ in range(runs):
        forget_kept(url)
        if before is not None:
            subprocess.run(before, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(run_timed(command, env))
    return Timing(samples)


def pick_tasks(url: str, n: int) -> list[tuple[str, str]]:
    """Up to ``n`` in-progress tasks spread evenly over the ledger: (code, lead unit name)."""
    from sqlalchemy import create_engine, func, select

    from sixbao_cli import tables as T

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(select(func.max(T.task.c.id))).scalar() or 0
            wanted = sorted({max(1, round(count * (i + 0.5) / (4 * n))) for i in range(4 * n)})
            rows = conn.execute(
                select(T.task.c.id, T.task.c.code, T.unit.c.name)
                .join(T.task_unit, (T.task_unit.c.task_id == T.task.c.id) & (T.task_unit.c.role == "lead"))
                .join(T.unit, T.unit.c.id == T.task_unit.c.unit_id)
                .where(T.task.c.id.in_(wanted), T.task.c.status == "in_progress")
                .order_by(T.task.c.id)
            ).all()
    finally:
        engine.dispose()
    step = max(1, len(rows) // n)
    return [(r.code, r.name) for r in rows[::step][:n]]


def ensure_ledger(url: str, plan: build_ledger.Plan, *, rebuild: bool, prepare=None) -> tuple[dict, bool]:
    """The ledger's build record, building it first when missing, different or ``rebuild``; and whether cached."""
    marker = None if rebuild else build_ledger.read_marker(url)
    if marker is not None and marker.get("plan") == plan.as_dict():
        return marker, True
    if prepare is not None:
        prepare()  # PostgreSQL: a fresh database
    stats = build_ledger.build(url, plan, replace=True)
    return dict(plan=plan.as_dict(), **stats.as_dict()), False


def bench_ledger(backend: str, url: str, plan: build_ledger.Plan, runs: int, *, rebuild: bool,
                 prepare=None) -> LedgerResult:
    from sixbao_cli.settings import display_url

    print(f"\n[{backend}] {plan.tasks:,} tasks × {plan.entries_per_task} entries at {display_url(url)}",
          file=sys.stderr, flush=True)
    marker, cached = ensure_ledger(url, plan, rebuild=rebuild, prepare=prepare)
    print(f"  ledger {'reused (built earlier in' if cached else 'built in'} {marker['total_seconds']:.1f} s"
          f"{')' if cached else ''}", file=sys.stderr, flush=True)
    picks = pick_tasks(url, runs + 1)
    if not picks:
        raise SystemExit(f"no in-progress task found in {display_url(url)}")
    env = {**os.environ, "SIXBAO_DB": url}
    sixbao = sixbao_command()
    add = [[*sixbao, "progress", "add", code, "-p", "90", "--date", REPORT_DATE, "-u", lead,
            "--note", "基准测试：已完成阶段任务"] for code, lead in picks]
    show = [[*sixbao, "task", "show", code] for code, _ in picks]
    # The 周报 as of a fixed day, rendered in full (JSON: every listed task) but not written.
    weekly = [[*sixbao, "report", "weekly", "--as-of", WEEKLY_AS_OF, "--format", "json", "--dry-run"]]
    week_before = [*sixbao, "report", "weekly", "--as-of", WEEK_BEFORE, "--format", "json", "--dry-run"]
    result = LedgerResult(
        backend=backend, tasks=plan.tasks, entries=marker["rows"].get("progress", 0),
        build_seconds=marker["total_seconds"], build_rows=marker["total_rows"], cached=cached,
        progress_add=time_commands(add, runs, env), task_show=time_commands(show, runs, env),
        report_weekly=time_commands(weekly, max(1, runs // 2), env),
        report_weekly_first=time_first(weekly[0], url, max(1, runs // 2), env),
        report_weekly_week_on=time_first(weekly[0], url, max(1, runs // 2), env, before=week_before),
    )
    print(f"  progress add {result.progress_add.show()}   task show {result.task_show.show()}"
          f"   report weekly {result.report_weekly.show()} (first {result.report_weekly_first.show()},"
          f" a week on {result.report_weekly_week_on.show()})", file=sys.stderr, flush=True)
    return result


class PgDatabases:
    """One database per ledger size on the server of ``url``, created on demand."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        from sixbao_cli.settings import resolve_db_url

        self.base = make_url(resolve_db_url(url))
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def recreate(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def close(self) -> None:
        self.admin.dispose()


# --- main --------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        sizes.append(int(part.rstrip("km")) * factor)
    return sizes


# --- document parse, progress import -----------------------------------------

def bench_parse(runs: int) -> dict:
    """parse() of every seed plan (summed) and of a built 1 MB plan: seconds (median), MB/s, tasks."""
    import parse_bench

    out = dict(seeds=[], built=None)
    for path in sorted(parse_bench.SEED.glob("*.txt")):
        data = path.read_bytes()
        t = parse_bench.time_parse(data, path.name, runs)
        out["seeds"].append(dict(name=path.name, bytes=len(data), seconds=t.median, tasks=len(t.doc.tasks)))
    main_text, annexes = parse_bench.plan_parts()
    data, _ = parse_bench.build_plan(parse_bench.MB, main_text, annexes)
    t = parse_bench.time_parse(data, "built-1MB.txt", runs)
    out["built"] = dict(bytes=len(data), seconds=t.median, fastest=t.fastest, slowest=t.slowest,
                        tasks=len(t.doc.tasks))
    return out


def bench_import_sqlite(ledger: Path, rows: int, workdir: Path) -> dict:
    """``sixbao import progress`` of ``rows`` rows into a copy of ``ledger``, beside ``sqlite3 .import``."""
    import import_bench

    sheet = workdir / f"progress-{rows}.csv"
    n = import_bench.write_csv(ledger, sheet, rows)
    seconds, peak, _line = import_bench.run_import(ledger, sheet, workdir)
    floor = import_bench.run_sqlite_import(sheet)
    return dict(backend="sqlite", rows=n, mb=sheet.stat().st_size / 1e6, seconds=seconds, peak_kib=peak,
                floor_seconds=floor[0] if floor else None, floor_peak_kib=floor[1] if floor else None)


def bench_import_pg(dbs: PgDatabases, source: str, ledger: Path | None, rows: int, workdir: Path) -> dict | None:
    """The same on PostgreSQL: into a database copied from ``source`` (its benchmark ledger) as a template."""
    import import_bench

    sheet = workdir / f"progress-{rows}.csv"
    if not sheet.exists():
        if ledger is None or not ledger.exists():
            return None
        import_bench.write_csv(ledger, sheet, rows)  # the same tasks as the SQLite ledger of that size
    n = sum(1 for _ in sheet.open(encoding="utf-8-sig")) - 1
    copy = f"{source}_import"
    with dbs.admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    try:
        script = [*sixbao_command()]
        seconds, peak, code, line = import_bench.measured([*script, "--db", dbs.url(copy), "import", "progress",
                                                           str(sheet)])
        if code != 0:
            raise SystemExit(f"import into PostgreSQL failed ({code}): {line}")
    finally:
        with dbs.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return dict(backend="postgresql", rows=n, mb=sheet.stat().st_size / 1e6, seconds=seconds, peak_kib=peak,
                floor_seconds=None, floor_peak_kib=None)


def print_extra_tables(parse: dict | None, imports: list[dict]) -> None:
    if parse:
        seeds = parse["seeds"]
        total_bytes = sum(s["bytes"] for s in seeds)
        total = sum(s["seconds"] for s in seeds)
        b = parse["built"]
        print()
        print("Document parse (parse_bench.py: in-process, cold, median of runs; no database involved)")
        print(f"  {len(seeds)} seed plans, {total_bytes / 1000:.0f} KB, {sum(s['tasks'] for s in seeds)} tasks: "
              f"{total * 1000:.0f} ms in all, slowest {max(s['seconds'] for s in seeds) * 1000:.0f} ms "
              f"({max(seeds, key=lambda s: s['seconds'])['name']}); "
              f"{total_bytes / 1e6 / total:.2f} MB/s")
        print(f"  built plan {b['bytes'] / 1e6:.2f} MB, {b['tasks']} tasks: {b['seconds']:.2f} s "
              f"({b['fastest']:.2f}–{b['slowest']:.2f}), {b['bytes'] / 1e6 / b['seconds']:.2f} MB/s")
    if imports:
        print()
        print("Progress import (sixbao import progress in a child process; peak = its max RSS)")
        print(f"  {'backend':<10} {'rows':>9} {'MB':>6} {'sixbao':>9} {'rows/s':>9} {'peak MB':>8}   "
              f"{'sqlite3 .import':>15} {'rows/s':>10} {'peak MB':>8}")
        for r in imports:
            floor = (f"{r['floor_seconds']:>13.2f} s {r['rows'] / r['floor_seconds']:>10,.0f} "
                     f"{r['floor_peak_kib'] / 1024:>8.0f}") if r["floor_seconds"] else f"{'—':>15}"
            print(f"  {r['backend']:<10} {r['rows']:>9,} {r['mb']:>6.1f} {r['seconds']:>7.2f} s "
                  f"{r['rows'] / r['seconds']:>9,.0f} {r['peak_kib'] / 1024:>8.0f}   {floor}")


def print_tables(startup, ledgers: list[LedgerResult], importtime) -> None:
    if startup:
        print()
        print("Startup (median of runs; min–max)")
        print(f"  {'command':<18} {'wall time':<22} heavy imports (sqlalchemy/alembic/sqlmodel/psycopg/pydantic)")
        for name, timing, heavy in startup:
            print(f"  {name:<18} {timing.show():<22} {heavy}")
    if importtime:
        top, seen = importtime
        print(f"  python -X importtime of --help: heavy packages seen: {', '.join(seen) or 'none'}; "
              f"heaviest top-level imports: " + ", ".join(f"{m} {us / 1000:.0f} ms" for m, us in top))
    if ledgers:
        print()
        print("Ledgers (progress add / task show: real CLI in a subprocess, median of runs; min–max)")
        head = f"  {'backend':<10} {'tasks':>8} {'entries':>10} {'build':>10} {'rows/s':>9}  " \
               f"{'progress add':<22} {'task show':<22} {'report weekly':<22} {'report weekly, first':<22} " \
               f"{'report weekly, a week on':<24}"
        print(head)
        for r in ledgers:
            build = f"{r.build_seconds:.1f} s" + ("*" if r.cached else "")
            rate = f"{r.build_rows / r.build_seconds:,.0f}" if r.build_seconds else "—"
            print(f"  {r.backend:<10} {r.tasks:>8,} {r.entries:>10,} {build:>10} {rate:>9}  "
                  f"{r.progress_add.show():<22} {r.task_show.show():<22} {r.report_weekly.show():<22} "
                  f"{r.report_weekly_first.show():<22} {r.report_weekly_week_on.show():<24}")
        if any(r.cached for r in ledgers):
            print("  * ledger reused from an earlier run; the build time is the one recorded then")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="\n\n".join(__doc__.split("\n\n")[:2]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000",
                        help="ledger sizes in tasks, comma-separated (10k, 100k accepted; default 10000,100000)")
    parser.add_argument("--entries-per-task", type=int, default=10, help="progress entries per task (default 10)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per ledger command (default 7)")
    parser.add_argument("--startup-runs", type=int, default=15, help="timed runs per startup command (default 15)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sixbao-bench",
                        help="where SQLite ledgers are kept between runs (default $TMPDIR/sixbao-bench)")
    parser.add_argument("--rebuild", action="store_true", help="build every ledger anew instead of reusing it")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite ledgers")
    parser.add_argument("--no-startup", action="store_true", help="skip the startup figures")
    parser.add_argument("--pg-url", help="also benchmark PostgreSQL on this server (one database per size)")
    parser.add_argument("--pg", action="store_true",
                        help="also benchmark PostgreSQL on a throw-away server started with tests/pgserver.py")
    parser.add_argument("--no-parse", action="store_true", help="skip the document parse figures")
    parser.add_argument("--parse-runs", type=int, default=3, help="timed runs per parsed plan (default 3)")
    parser.add_argument("--no-import", action="store_true", help="skip the progress import figures")
    parser.add_argument("--import-rows", type=int, default=100_000,
                        help="rows of the imported progress sheet (default 100000)")
    parser.add_argument("--no-peer", action="store_true", help="skip the Taskwarrior comparison")
    parser.add_argument("--peer-sizes", default="10k",
                        help="ledger sizes for the Taskwarrior comparison (default 10k; 100k takes longer)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    peer_sizes = [] if args.no_peer else parse_sizes(args.peer_sizes)
    task_binary = shutil.which("task")
    if peer_sizes and task_binary is None:
        print("Taskwarrior (task) is not installed: the peer comparison is skipped "
              "(apt-get install taskwarrior)", file=sys.stderr, flush=True)
        peer_sizes = []
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(ensure_bytecode(), file=sys.stderr, flush=True)
    peers, imports, parse = [], [], None
    import_size = min(sizes)

    def peer(backend: str, url: str, tasks: int) -> None:
        if tasks in peer_sizes:
            from peer_taskwarrior import bench_peer

            result = bench_peer(backend, url, tasks, args.runs, args.workdir, binary=task_binary)
            if result is not None:
                peers.append(result)

    startup, importtime, ledgers = [], None, []
    if not args.no_startup:
        print("startup …", file=sys.stderr, flush=True)
        startup = bench_startup(args.startup_runs)
        importtime = importtime_top()

    if not args.no_parse:
        print("document parse …", file=sys.stderr, flush=True)
        parse = bench_parse(args.parse_runs)

    sqlite_ledgers = {}
    if not args.no_sqlite:
        for tasks in sizes:
            plan = build_ledger.Plan(tasks=tasks, entries_per_task=args.entries_per_task)
            path = args.workdir / f"ledger-{tasks}x{args.entries_per_task}.db"
            url = "sqlite:///" + str(path.absolute())
            ledgers.append(bench_ledger("sqlite", url, plan, args.runs, rebuild=args.rebuild))
            sqlite_ledgers[tasks] = path
            peer("sqlite", url, tasks)
        if not args.no_import:
            print(f"  import progress: {args.import_rows:,} rows into a copy of the {import_size:,}-task ledger …",
                  file=sys.stderr, flush=True)
            imports.append(bench_import_sqlite(sqlite_ledgers[import_size], args.import_rows, args.workdir))

    server = None
    pg_url = args.pg_url
    try:
        if args.pg and not pg_url:
            sys.path.insert(0, str(REPO / "tests"))
            from pgserver import PostgresServer, find_pg_bin

            bin_dir = find_pg_bin()
            if bin_dir is None:
                raise SystemExit("--pg: no PostgreSQL binaries found (set SIXBAO_PG_BIN)")
            server = PostgresServer(bin_dir)
            print(f"starting a throw-away PostgreSQL server from {bin_dir} …", file=sys.stderr, flush=True)
            server.start()
            pg_url = server.url()
        if pg_url:
            dbs = PgDatabases(pg_url)
            try:
                for tasks in sizes:
                    plan = build_ledger.Plan(tasks=tasks, entries_per_task=args.entries_per_task)
                    name = f"sixbao_bench_{tasks}x{args.entries_per_task}"
                    ledgers.append(bench_ledger("postgresql", dbs.url(name), plan, args.runs,
                                                rebuild=args.rebuild, prepare=lambda n=name: dbs.recreate(n)))
                    peer("postgresql", dbs.url(name), tasks)
                if not args.no_import:
                    name = f"sixbao_bench_{import_size}x{args.entries_per_task}"
                    ledger = sqlite_ledgers.get(import_size,
                                                args.workdir / f"ledger-{import_size}x{args.entries_per_task}.db")
                    print("  import progress into a copy of the PostgreSQL ledger …", file=sys.stderr, flush=True)
                    result = bench_import_pg(dbs, name, ledger, args.import_rows, args.workdir)
                    if result is None:
                        print("  (no progress sheet and no SQLite ledger to write one from: skipped)",
                              file=sys.stderr)
                    else:
                        imports.append(result)
            finally:
                dbs.close()
    finally:
        if server is not None:
            server.stop()

    print_tables(startup, ledgers, importtime)
    print_extra_tables(parse, imports)
    if peers:
        from peer_taskwarrior import print_peer_table

        print_peer_table(peers)
    print(f"\n  load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    if args.json:
        args.json.write_text(json.dumps(dict(
            startup=[dict(command=n, samples=t.samples, median=t.median, heavy_imports=h) for n, t, h in startup],
            ledgers=[dict(backend=r.backend, tasks=r.tasks, entries=r.entries, build_seconds=r.build_seconds,
                          build_rows=r.build_rows, cached=r.cached,
                          progress_add=dict(samples=r.progress_add.samples, median=r.progress_add.median),
                          task_show=dict(samples=r.task_show.samples, median=r.task_show.median),
                          report_weekly=dict(samples=r.report_weekly.samples, median=r.report_weekly.median),
                          report_weekly_first=dict(samples=r.report_weekly_first.samples,
                                                   median=r.report_weekly_first.median),
                          report_weekly_week_on=dict(samples=r.report_weekly_week_on.samples,
                                                     median=r.report_weekly_week_on.median))
                     for r in ledgers],
            parse=parse, imports=imports, peer=[p.as_dict() for p in peers],
            loadavg=os.getloadavg(),
        ), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
