"""Kill -9 trials: a sixbao command killed at a random moment never leaves a damaged or half-written ledger.

    python benchmarks/crash_trials.py                         # 20 trials of each scenario
    python benchmarks/crash_trials.py --trials 50 --rows 100000 --tasks 10000
    python benchmarks/crash_trials.py --only import doc

Scenarios, each against a fresh copy of its starting ledger (SQLite):

* ``import``  — ``sixbao import progress`` of a sheet of ``--rows`` rows (written with
  import_bench.write_csv against a benchmark ledger from build_ledger.build);
* ``doc``     — ``sixbao import-doc`` of a seed plan into an initialised ledger;
* ``upgrade`` — ``sixbao db upgrade`` of the benchmark ledger taken back to the
  oldest revision (schema.REVISIONS[0]);
* ``backup``  — ``sixbao db backup`` of the benchmark ledger;
* ``restore`` — ``sixbao db restore --yes --no-keep`` of a small ledger (one plan)
  over the benchmark ledger.

Each trial starts the real command in its own process, sends it SIGKILL after a
random delay drawn across the time an uninterrupted run takes (measured once
first), and then checks:

* ``PRAGMA integrity_check`` is ``ok`` — and everything else ``sixbao db
  check`` examines (foreign keys, each import batch holding exactly the entries
  it says: a batch row is present if and only if all its rows are);
* all or nothing: what the command changes is as it was before, or as an
  uninterrupted run leaves it — no import batch or the whole file; no plan or
  the plan with all its tasks and units; the old revision or the new one with
  every row; no backup file or a complete one that passes ``integrity_check``;
  the benchmark ledger or the restored one (a hidden ``.part`` file may be
  left beside the destination: counted);
* the next command — the same one again — succeeds and leaves exactly what an
  uninterrupted run leaves.

A table of trials survived is printed; the exit code is 1 if any failed.
tests/test_crash.py runs a few trials of the import and the plan in CI.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_ledger import Plan, build, read_marker  # noqa: E402
from import_bench import write_csv  # noqa: E402

REPO = HERE.parent
SEED_PLAN = REPO / "seed" / "001_27effb9ed6588083.txt"


@dataclass
class Tally:
    """What the trials of one scenario came to."""

    scenario: str
    trials: int = 0
    killed: int = 0  # killed while running (the others had finished before the signal)
    old: int = 0  # left as it was before the command
    new: int = 0  # left as a finished run leaves it (killed after the commit)
    intact: int = 0  # integrity_check and db check clean
    next_ok: int = 0  # the same command again worked and left what an uninterrupted run leaves
    leftovers: int = 0  # temporary files left beside the destination
    failures: list[str] = field(default_factory=list)

    @property
    def survived(self) -> int:
        return min(self.intact, self.old + self.new, self.next_ok)


@dataclass
class Scenario:
    """A command, the ledger it starts from, and what a finished run leaves."""

    name: str
    label: str
    start: Path  # the ledger every trial starts from (copied)
    argv: Callable[[Path], list[str]]  # the command, given the trial's ledger
    outcome: Callable[[Path], object]  # what a run changes; after a kill: as before, or as a finished run leaves it
    before: object = None
    after: object = None
    seconds: float = 0.0


def sixbao(ledger: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "sixbao_cli", "--db", str(ledger), *argv]


def copy_ledger(source: Path, dest: Path) -> None:
    shutil.copyfile(source, dest)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)


def query(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def integrity(path: Path) -> str:
    return query(path, "PRAGMA integrity_check")[0][0]


def health_problems(path: Path) -> list[str]:
    """What ``sixbao db check`` finds wrong (the same code, in-process)."""
    from sixbao_cli.health import PROBLEM, check_ledger

    health = check_ledger(f"sqlite:///{path}")
    return [f"{f.name}: {f.details[:2]}" for f in health.checks if f.status == PROBLEM]


def table_counts(path: Path) -> dict[str, int]:
    names = [r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'task_fts%'")]
    return {n: query(path, f'SELECT count(*) FROM "{n}"')[0][0] for n in sorted(names) if n != "alembic_version"}


# --- the scenarios ------------------------------------------------------------------------------------------


def bench_ledger(workdir: Path, tasks: int) -> Path:
    """A benchmark ledger (build_ledger.build), reused when complete."""
    path = workdir / f"crash-ledger-{tasks}.db"
    if read_marker(f"sqlite:///{path}") is None:
        build(f"sqlite:///{path}", Plan(tasks=tasks, entries_per_task=2), replace=True, quiet=True)
    return path


def import_scenario(workdir: Path, ledger: Path, rows: int) -> Scenario:
    sheet = workdir / f"crash-progress-{rows}.csv"
    write_csv(ledger, sheet, rows)

    def batches(path: Path) -> list[tuple]:
        return query(path, "SELECT b.row_count, (SELECT count(*) FROM progress p WHERE p.batch_id = b.id) "
                           "FROM import_batch b WHERE b.kind = 'progress'")

    return Scenario("import", f"import progress {rows:,} rows", ledger,
                    lambda db: sixbao(db, "import", "progress", str(sheet)), batches)


def doc_scenario(workdir: Path) -> Scenario:
    ledger = workdir / "crash-blank.db"
    ledger.unlink(missing_ok=True)
    subprocess.run(sixbao(ledger, "init"), check=True, capture_output=True)

    def plan(path: Path) -> list[tuple]:
        return query(path, "SELECT d.checksum, (SELECT count(*) FROM task t WHERE t.document_id = d.id), "
                           "(SELECT count(*) FROM task_unit) FROM document d")

    return Scenario("doc", f"import-doc {SEED_PLAN.name}", ledger, lambda db: sixbao(db, "import-doc", str(SEED_PLAN)),
                    plan)


def upgrade_scenario(workdir: Path, ledger: Path) -> Scenario:
    from sixbao_cli import schema

    old = workdir / "crash-old.db"
    copy_ledger(ledger, old)
    opened = schema.open_ledger(f"sqlite:///{old}", upgrade=False)
    try:
        schema.downgrade_ledger(opened, schema.REVISIONS[0])
    finally:
        opened.close()

    def state(path: Path) -> tuple:
        return query(path, "SELECT version_num FROM alembic_version")[0][0], table_counts(path)

    return Scenario("upgrade", f"db upgrade {schema.REVISIONS[0]} → {schema.HEAD}", old,
                    lambda db: sixbao(db, "db", "upgrade"), state)


def restore_scenario(workdir: Path, ledger: Path) -> Scenario:
    """``db restore`` of a small ledger (one plan) over the benchmark ledger."""
    source = workdir / "crash-restore-source.db"
    _remove(source)
    subprocess.run(sixbao(source, "import-doc", str(SEED_PLAN)), check=True, capture_output=True)
    return Scenario("restore", "db restore (one plan over the benchmark ledger)", ledger,
                    lambda db: sixbao(db, "db", "restore", str(source), "--yes", "--no-keep"), table_counts)


def backup_scenario(ledger: Path) -> Scenario:
    def dest(db: Path) -> Path:
        return db.with_name(db.stem + "-backup.db")

    def copy_state(db: Path) -> object:
        target = dest(db)
        return (integrity(target), table_counts(target)) if target.exists() else None

    return Scenario("backup", "db backup", ledger, lambda db: sixbao(db, "db", "backup", str(dest(db)), "--force"),
                    copy_state)


# --- running ----------------------------------------------------------------------------------------------


def reference(scenario: Scenario, workdir: Path, runs: int = 2) -> None:
    """Uninterrupted runs: how long one takes (the fastest) and what it leaves.

    The fastest of two, so that a reference slowed by a busy machine does not
    spread the kills past the end of the trials' runs (a CI run once counted
    two kills in five for that reason).
    """
    db = workdir / f"ref-{scenario.name}.db"
    seconds = []
    for _ in range(runs):
        copy_ledger(scenario.start, db)
        scenario.before = scenario.outcome(db)
        began = time.perf_counter()
        subprocess.run(scenario.argv(db), check=True, capture_output=True)
        seconds.append(time.perf_counter() - began)
        scenario.after = scenario.outcome(db)
        _remove(db)
    scenario.seconds = min(seconds)


def trial(scenario: Scenario, workdir: Path, delay: float, tally: Tally) -> None:
    db = workdir / f"trial-{scenario.name}.db"
    copy_ledger(scenario.start, db)
    for stale in workdir.glob(f".{db.stem}-backup.db.*.part"):
        stale.unlink()
    proc = subprocess.Popen(scenario.argv(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    tally.trials += 1
    tally.killed += not finished
    tally.leftovers += len(list(workdir.glob(f".{db.stem}-backup.db.*.part")))
    tally.leftovers += len(list(workdir.glob(f".{db.name}.restore-*.part")))
    what = f"{scenario.name} after {delay:.2f} s"
    try:
        problems = [] if integrity(db) == "ok" else [f"integrity_check: {integrity(db)}"]
        problems += health_problems(db)
        if problems:
            tally.failures.append(f"{what}: {problems}")
        else:
            tally.intact += 1
        state = scenario.outcome(db)
        if state == scenario.before:
            tally.old += 1
        elif state == scenario.after:
            tally.new += 1
        else:
            tally.failures.append(f"{what}: half-written: {state!r:.300}")
        rerun = subprocess.run(scenario.argv(db), capture_output=True, text=True)
        if rerun.returncode == 0 and scenario.outcome(db) == scenario.after:
            tally.next_ok += 1
        else:
            tally.failures.append(f"{what}: the next run exited {rerun.returncode}: {rerun.stderr.strip()[-300:]}")
    except sqlite3.Error as exc:
        tally.failures.append(f"{what}: {exc}")
    finally:
        _remove(db)


def run(scenario: Scenario, workdir: Path, trials: int, rng: random.Random) -> Tally:
    """``trials`` kills spread across the time an uninterrupted run takes, each at a random moment in its slice."""
    reference(scenario, workdir)
    tally = Tally(scenario.label)
    for k in range(trials):
        trial(scenario, workdir, scenario.seconds * (k + rng.random()) / trials, tally)
    return tally


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    Path(db.with_name(db.stem + "-backup.db")).unlink(missing_ok=True)
    for staged in db.parent.glob(f".{db.name}.restore-*.part*"):
        staged.unlink()


def table(tallies: list[Tally]) -> str:
    head = (f"{'scenario':<44} {'trials':>6} {'killed':>6} {'as before':>9} {'as done':>7} {'intact':>6} "
            f"{'next ok':>7} {'survived':>8} {'.part left':>10}")
    lines = [head, "-" * len(head)]
    for t in tallies:
        lines.append(f"{t.scenario:<44} {t.trials:>6} {t.killed:>6} {t.old:>9} {t.new:>7} {t.intact:>6} "
                     f"{t.next_ok:>7} {t.survived:>8} {t.leftovers:>10}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20, help="trials of each scenario (default 20)")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the imported sheet (default 100000)")
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks of the benchmark ledger (default 10000)")
    parser.add_argument("--only", nargs="+", choices=("import", "doc", "upgrade", "backup", "restore"))
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sixbao-crash")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    wanted = args.only or ["import", "doc", "upgrade", "backup", "restore"]
    rng = random.Random(args.seed)
    ledger = bench_ledger(args.workdir, args.tasks) if set(wanted) - {"doc"} else None
    makers = {"import": lambda: import_scenario(args.workdir, ledger, args.rows), "doc": lambda: doc_scenario(args.workdir),
              "upgrade": lambda: upgrade_scenario(args.workdir, ledger), "backup": lambda: backup_scenario(ledger),
              "restore": lambda: restore_scenario(args.workdir, ledger)}
    tallies = []
    for name in wanted:
        scenario = makers[name]()
        tallies.append(run(scenario, args.workdir, args.trials, rng))
        print(f"{scenario.label}: an uninterrupted run takes {scenario.seconds:.2f} s", file=sys.stderr, flush=True)
    print(table(tallies))
    for t in tallies:
        for failure in t.failures:
            print(f"FAILED {failure}")
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
