"""sixbao beside a peer, Taskwarrior 2.6, given the same tasks and measured in the same run.

    python benchmarks/peer_taskwarrior.py                      # 10,000 tasks (the cached SQLite ledger)
    python benchmarks/peer_taskwarrior.py --tasks 10000 100000 # also 100,000 (Taskwarrior's import takes a while)
    python benchmarks/peer_taskwarrior.py --pg-url postgresql://user@host/sixbao_bench_10000x10   # sixbao on PostgreSQL

Every task of a benchmark ledger (``build_ledger.py``; the cached ledgers of
``run.py`` in ``--workdir`` are reused when their build parameters match) is
exported as Taskwarrior JSON — description = title, project = category (a
space or dot, which Taskwarrior reads as a separator, becomes ``_``; Chinese is
kept as it is), due = deadline (midnight UTC, ``YYYYMMDDTHHMMSSZ``), entry =
start date, status ``pending`` for open tasks and ``completed`` (with ``end``)
for completed and closed (销号) ones, uuid derived from the task code — and
loaded with ``task import`` into a throw-away TASKDATA with its own TASKRC
(``confirmation=off``, ``verbose=nothing``, ``hooks=off``, ``news.version``
set so 2.6 does not nag; ``~/.task`` and ``~/.taskrc`` are never read or
touched). One untimed ``task count`` then lets Taskwarrior's garbage
collection move the completed tasks to ``completed.data``, as it would in a
real installation. Then, median of ``--runs`` runs after one untimed warm-up
run, each in a fresh process with output to /dev/null:

* ``task overdue`` (every pending task whose due date has passed, as a table)
  beside ``sixbao report overdue --limit 0 --format csv``: the same set of
  tasks (open, deadline passed, as of today), every one listed (``--limit 0``;
  the default lists 200) as plain text to stdout. CSV rather than the terminal
  table because Taskwarrior writing to a pipe prints plain columns too, and
  ``--dry-run`` would render and then drop the output, which Taskwarrior has
  no counterpart for. The listed counts of both are printed beside the times,
  so a mismatch shows.
* ``task add DESCRIPTION project:CATEGORY due:2020-12-31`` beside ``sixbao
  progress add CODE -p 90 --date 2020-12-31 -u LEAD --note …``: one new
  record each, with every check its tool makes (Taskwarrior: parse, load
  pending.data, append; sixbao: open and check the ledger, the task, its unit,
  the date, the percent, insert the entry and the status change, commit).

The ratio printed is sixbao's median over Taskwarrior's. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_ledger  # noqa: E402  (beside this file)
from run import REPORT_DATE, Timing, ensure_ledger, pick_tasks, sixbao_command, time_commands  # noqa: E402

NAMESPACE = uuid.UUID("5b1a0c2e-2020-4f6b-8a00-000000006b61")  # uuid5 namespace for task codes
OPEN = {"not_started", "in_progress", "suspended"}


def task_binary() -> str | None:
    return shutil.which("task")


def task_version(binary: str) -> str:
    return subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def tw_date(value) -> str:
    """A date or datetime (or its ISO text) in Taskwarrior's JSON format, UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%dT000000Z")


def tw_project(category: str) -> str:
    return "_".join(category.replace(".", " ").split())


def export_tasks(url: str, path: Path) -> tuple[int, int]:
    """Write every task of the ledger at ``url`` as Taskwarrior JSON lines; (tasks, of them open)."""
    from sqlalchemy import create_engine, select

    from sixbao_cli import tables as T

    engine = create_engine(url)
    n = n_open = 0
    try:
        with engine.connect() as conn, open(path, "w", encoding="utf-8") as out:
            rows = conn.execute(select(T.task.c.code, T.task.c.title, T.task.c.category, T.task.c.start_date,
                                       T.task.c.deadline, T.task.c.status, T.task.c.closed_at,
                                       T.task.c.updated_at).order_by(T.task.c.id))
            for r in rows:
                item = dict(uuid=str(uuid.uuid5(NAMESPACE, r.code)), description=r.title,
                            project=tw_project(r.category), entry=tw_date(r.start_date),
                            status="pending" if r.status in OPEN else "completed")
                if r.deadline is not None:
                    item["due"] = tw_date(r.deadline)
                if item["status"] == "completed":
                    item["end"] = tw_date(r.closed_at or r.updated_at)
                else:
                    n_open += 1
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
                n += 1
    finally:
        engine.dispose()
    return n, n_open


class Taskwarrior:
    """``task`` with a throw-away data directory and rc file: never ~/.task or ~/.taskrc."""

    def __init__(self, binary: str, root: Path):
        self.binary = binary
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.rc = root / "taskrc"
        self.rc.write_text(
            f"data.location={self.data}\n"
            "confirmation=off\nverbose=nothing\nhooks=off\ngc=on\n"
            "news.version=2.6.0\n"  # no 'please run task news' line
            "recurrence=off\n",  # no recurring tasks here: skip the pass that would look for them
            encoding="utf-8")
        self.env = {**os.environ, "TASKRC": str(self.rc), "TASKDATA": str(self.data)}

    def cmd(self, *args: str) -> list[str]:
        return [self.binary, *args]

    def run(self, *args: str, stdin=None) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(*args), env=self.env, capture_output=True, text=True, stdin=stdin,
                              check=True)


@dataclass
class PeerResult:
    backend: str
    tasks: int
    open_tasks: int
    version: str
    import_seconds: float
    tw_overdue: Timing
    sixbao_overdue: Timing
    tw_add: Timing
    sixbao_add: Timing
    tw_listed: int
    sixbao_listed: int

    @staticmethod
    def ratio(ours: Timing, theirs: Timing) -> str:
        return f"{ours.median / theirs.median:.1f}×" if theirs.samples and ours.samples else "—"

    def rows(self) -> list[tuple[str, Timing, Timing, str, str]]:
        return [
            ("overdue", self.sixbao_overdue, self.tw_overdue, self.ratio(self.sixbao_overdue, self.tw_overdue),
             f"{self.sixbao_listed:,} / {self.tw_listed:,} listed"),
            ("add", self.sixbao_add, self.tw_add, self.ratio(self.sixbao_add, self.tw_add), ""),
        ]

    def as_dict(self) -> dict:
        out = dict(backend=self.backend, tasks=self.tasks, open_tasks=self.open_tasks, taskwarrior=self.version,
                   import_seconds=self.import_seconds, tw_listed=self.tw_listed, sixbao_listed=self.sixbao_listed)
        for name in ("tw_overdue", "sixbao_overdue", "tw_add", "sixbao_add"):
            timing = getattr(self, name)
            out[name] = dict(samples=timing.samples, median=timing.median)
        return out


def count_lines(cmd: list[str], env: dict[str, str], skip: int = 0) -> int:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout
    return max(0, sum(1 for line in out.splitlines() if line.strip()) - skip)


def bench_peer(backend: str, url: str, tasks: int, runs: int, workdir: Path, *, binary: str | None = None,
               import_timeout: float | None = None) -> PeerResult | None:
    """Export the ledger at ``url`` to a fresh Taskwarrior and time both tools; None if the import timed out."""
    binary = binary or task_binary()
    if binary is None:
        raise SystemExit("Taskwarrior is not installed (apt-get install taskwarrior)")
    version = task_version(binary)
    root = Path(tempfile.mkdtemp(prefix=f"tw-{tasks}-", dir=workdir))
    try:
        tw = Taskwarrior(binary, root)
        export = root / "tasks.json"
        n, n_open = export_tasks(url, export)
        print(f"  [peer] {n:,} tasks ({n_open:,} open) → task import …", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            with open(export, encoding="utf-8") as handle:
                subprocess.run(tw.cmd("import"), env=tw.env, stdin=handle, capture_output=True, check=True,
                               timeout=import_timeout)
        except subprocess.TimeoutExpired:
            print(f"  [peer] task import did not finish in {import_timeout:.0f} s: skipped", file=sys.stderr)
            return None
        import_seconds = time.perf_counter() - t0
        tw.run("count")  # untimed: gc moves the completed tasks out of pending.data
        print(f"  [peer] imported in {import_seconds:.1f} s", file=sys.stderr, flush=True)

        env = {**os.environ, "SIXBAO_DB": url}
        sixbao = sixbao_command()
        overdue = [*sixbao, "report", "overdue", "--limit", "0", "--format", "csv"]
        tw_listed = int(tw.run("+OVERDUE", "count").stdout.strip())  # its table wraps long titles: count
        sixbao_listed = count_lines(overdue, env, skip=1)  # the header row
        tw_overdue = time_commands([tw.cmd("overdue")], runs, tw.env)
        sixbao_overdue = time_commands([overdue], runs, env)

        picks = pick_tasks(url, runs + 1)
        categories = sorted({json.loads(line)["project"] for line in export.open(encoding="utf-8")})
        tw_adds = [tw.cmd("add", f"基准测试新增任务{i}", f"project:{categories[i % len(categories)]}",
                          f"due:{REPORT_DATE}") for i in range(runs + 1)]
        six_adds = [[*sixbao, "progress", "add", code, "-p", "90", "--date", REPORT_DATE, "-u", lead,
                     "--note", "基准测试：已完成阶段任务"] for code, lead in picks]
        tw_add = time_commands(tw_adds, runs, tw.env)
        sixbao_add = time_commands(six_adds, runs, env)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    result = PeerResult(backend, n, n_open, version, import_seconds, tw_overdue, sixbao_overdue, tw_add, sixbao_add,
                        tw_listed, sixbao_listed)
    for name, ours, theirs, ratio, note in result.rows():
        print(f"  [peer] {name:<8} sixbao {ours.show():<22} task {theirs.show():<22} {ratio} {note}",
              file=sys.stderr, flush=True)
    return result


def print_peer_table(results: list[PeerResult]) -> None:
    if not results:
        return
    print()
    print(f"Peer: Taskwarrior {results[0].version} given the same tasks (median of runs; min–max; "
          "ratio = sixbao / task)")
    print(f"  {'backend':<10} {'tasks':>8} {'import':>8}  {'command':<34} {'sixbao':<22} {'taskwarrior':<22} "
          f"{'ratio':>6}  note")
    names = {"overdue": "report overdue | task overdue", "add": "progress add | task add"}
    for r in results:
        for i, (name, ours, theirs, ratio, note) in enumerate(r.rows()):
            lead = f"  {r.backend:<10} {r.tasks:>8,} {r.import_seconds:>6.1f} s" if i == 0 else " " * 30
            print(f"{lead}  {names[name]:<34} {ours.show():<22} {theirs.show():<22} {ratio:>6}  {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="\n\n".join(__doc__.split("\n\n")[:2]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, nargs="+", default=[10_000], help="ledger sizes (default 10000)")
    parser.add_argument("--entries-per-task", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sixbao-bench")
    parser.add_argument("--pg-url", help="sixbao on this PostgreSQL benchmark database instead of the SQLite ledger "
                                         "(built there when missing; one size only)")
    parser.add_argument("--import-timeout", type=float, default=1800,
                        help="give up on Taskwarrior's import after this many seconds (default 1800)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    binary = task_binary()
    if binary is None:
        raise SystemExit("Taskwarrior is not installed: apt-get install taskwarrior")
    from bytecode import ensure_bytecode

    print(ensure_bytecode(), file=sys.stderr, flush=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for tasks in args.tasks:
        plan = build_ledger.Plan(tasks=tasks, entries_per_task=args.entries_per_task)
        if args.pg_url:
            backend, url = "postgresql", args.pg_url
        else:
            backend = "sqlite"
            url = "sqlite:///" + str((args.workdir / f"ledger-{tasks}x{args.entries_per_task}.db").absolute())
        ensure_ledger(url, plan, rebuild=False)
        print(f"[{backend}] {tasks:,} tasks", file=sys.stderr, flush=True)
        result = bench_peer(backend, url, tasks, args.runs, args.workdir, binary=binary,
                            import_timeout=args.import_timeout)
        if result is not None:
            results.append(result)
    print_peer_table(results)
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
