"""Where one sixbao command spends its time: interpreter start, imports, SQL, the rest.

    python benchmarks/profile_command.py --db /tmp/sixbao-bench/ledger-100000x10.db -- \\
        progress add JY-000123 -p 90 --date 2020-12-31 -u 安平县人社局 --note 测试

Each run is a fresh interpreter that runs the command in-process (as the
console script would) and records:

* **import sixbao_cli.cli** — the CLI package (typer and the command modules);
* **imports by the command** — every import made while the command runs
  (SQLAlchemy, the services, renderers, and what the CLI library loads
  lazily), with the heaviest top-level ones named;
* **SQL on the cursor** — time inside the database driver's ``execute``
  (SQLAlchemy ``before/after_cursor_execute`` events), and the statements;
* **the rest** — argument parsing, engine and connection set-up, statement
  compilation, commit, rendering.

sixbao_cli's bytecode is compiled first (``bytecode.py``), as an installed
wheel has it. ``python -c pass`` is timed alongside as the interpreter's own start. Figures
are medians over ``--runs`` runs; the statements are listed from the last
run. Like ``run.py`` it only reports. Note that ``progress add`` really adds
an entry on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = r"""
import builtins, json, sys, time

imports = []          # (name, seconds) of imports made at depth 0 while the command runs
sql = []              # (seconds, statement)
state = {"depth": 0, "hooked": False, "t": 0.0}
real_import = builtins.__import__


def hook_sql():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def before(conn, cursor, statement, params, context, executemany):
        state["t"] = time.perf_counter()

    def after(conn, cursor, statement, params, context, executemany):
        sql.append((time.perf_counter() - state["t"], " ".join(statement.split())))

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)


def full_name(name, globals, fromlist, level):
    # The absolute name of what an import statement loaded ("from . import x": the package's x).
    if level and globals:
        base = (globals.get("__package__") or "").rsplit(".", level - 1)[0]
        name = f"{base}.{name}" if name else base
    modules = [f"{name}.{item}" for item in fromlist or () if f"{name}.{item}" in sys.modules]
    return "+".join(modules) if modules else name


def timed_import(name, globals=None, locals=None, fromlist=(), level=0):
    if state["depth"]:
        return real_import(name, globals, locals, fromlist, level)
    state["depth"] += 1
    t0 = time.perf_counter()
    try:
        return real_import(name, globals, locals, fromlist, level)
    finally:
        if not state["hooked"] and "sqlalchemy.engine" in sys.modules:
            state["hooked"] = True
            hook_sql()
        imports.append((full_name(name, globals, fromlist, level), time.perf_counter() - t0))
        state["depth"] -= 1


def leave(code):  # main() leaves through os._exit: turn that into SystemExit, so the figures get printed
    raise SystemExit(code)


import os
os._exit = leave
t0 = time.perf_counter()
from sixbao_cli.cli import main
t1 = time.perf_counter()
sys.argv = ["sixbao", *json.loads(sys.argv[1])]
builtins.__import__ = timed_import
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
finally:
    builtins.__import__ = real_import
t2 = time.perf_counter()
by_name = {}
for name, seconds in imports:
    by_name[name] = by_name.get(name, 0.0) + seconds
print("\n" + json.dumps(dict(
    code=code, cli_import=t1 - t0, command=t2 - t1, imports=sum(by_name.values()),
    top=sorted(by_name.items(), key=lambda kv: -kv[1])[:6], sql=sql,
)))
"""


def run_child(args: list[str], env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"the command failed:\n{proc.stdout}\n{proc.stderr}") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="\n\n".join(__doc__.split("\n\n")[:2]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="the ledger (sets SIXBAO_DB); default: SIXBAO_DB as it is")
    parser.add_argument("--runs", type=int, default=5, help="runs to take the median of (default 5)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the sixbao arguments, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the sixbao arguments after --")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bytecode import ensure_bytecode

    print(ensure_bytecode())
    env = dict(os.environ)
    if args.db:
        env["SIXBAO_DB"] = args.db

    bare = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - t0)
    results = [run_child(command, env) for _ in range(args.runs)]
    last = results[-1]

    def med(key) -> float:
        return statistics.median(key(r) for r in results) * 1000

    sql_total = med(lambda r: sum(s for s, _ in r["sql"]))
    rest = med(lambda r: r["command"] - r["imports"] - sum(s for s, _ in r["sql"]))
    print(f"sixbao {' '.join(command)}   (median of {args.runs} runs; exit code {last['code']})")
    print(f"  interpreter start (python -c pass)  {statistics.median(bare) * 1000:7.1f} ms")
    print(f"  import sixbao_cli.cli               {med(lambda r: r['cli_import']):7.1f} ms")
    print(f"  imports by the command              {med(lambda r: r['imports']):7.1f} ms   heaviest (last run): "
          + ", ".join(f"{name} {s * 1000:.0f} ms" for name, s in last["top"]))
    print(f"  SQL on the cursor                   {sql_total:7.1f} ms   ({len(last['sql'])} statements)")
    print(f"  the rest of the command             {rest:7.1f} ms")
    print(f"  command in-process, total           {med(lambda r: r['cli_import'] + r['command']):7.1f} ms")
    print("  statements (last run):")
    for seconds, statement in last["sql"]:
        print(f"    {seconds * 1000:7.2f} ms  {statement[:110]}")


if __name__ == "__main__":
    main()
