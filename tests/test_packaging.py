"""The package as users get it: a wheel with the migrations inside, a console script, python -m."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sixbao_cli import __version__

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_the_migrations_and_runs_them(tmp_path):
    # --no-isolation: build with the hatchling the test extra installed, no download
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("sixbao-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sixbao_cli/migrations/env.py" in names
    assert "sixbao_cli/migrations/script.py.mako" in names
    assert "sixbao_cli/migrations/versions/0001_ledger.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert len([n for n in names if n.startswith("sixbao_cli/seed/") and n.endswith(".txt")]) == 5  # the demo's plans
    # Unpacked on its own (no repository beside it), the package finds and runs its revisions.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from sixbao_cli import schema;"
            "print(schema.migrations_dir()); l = schema.open_ledger('sqlite:///' + sys.argv[2]); l.close();"
            "print(schema.status('sqlite:///' + sys.argv[2])['state']);"
            "from sixbao_cli.resources import seed_plans; print(len(seed_plans()), seed_plans()[0].parent)")
    out = subprocess.run([sys.executable, "-c", code, str(site), str(tmp_path / "l.db")], check=True,
                         capture_output=True, text=True, cwd=tmp_path).stdout.splitlines()
    assert out == [str(site / "sixbao_cli" / "migrations"), "current", f"5 {site / 'sixbao_cli' / 'seed'}"]


def test_console_script_and_python_m(tmp_path):
    env = {**os.environ, "SIXBAO_DB": str(tmp_path / "l.db")}
    script = Path(sys.executable).with_name("sixbao")
    for argv in ([str(script)], [sys.executable, "-m", "sixbao_cli"]):
        out = subprocess.run([*argv, "--version"], capture_output=True, text=True, env=env, check=True).stdout
        assert out.strip() == f"sixbao {__version__}"
    subprocess.run([str(script), "init"], capture_output=True, env=env, check=True)
    result = subprocess.run([str(script), "task", "show", "NOPE-1"], capture_output=True, text=True, env=env)
    assert result.returncode == 3
    assert result.stderr.strip() == "错误：任务编号“NOPE-1”不存在。可用 sixbao task list 查看全部任务编号。"
    assert result.stdout == ""


def test_help_and_version_load_no_database_stack():
    code = ("import sys\nfrom sixbao_cli.cli import app\n"
            "for argv in (['--help'], ['--version'], ['task', '--help'], ['progress', 'add', '--help']):\n"
            "    try:\n        app(argv)\n    except SystemExit as e:\n        assert e.code == 0, (argv, e.code)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'sqlmodel', 'psycopg'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_command_builds_only_its_own_group():
    # The groups are built on demand (cli.LazyCommands): `progress add` neither imports nor builds `task`, `report`, …
    code = ("import sys\nfrom sixbao_cli.cli import app\n"
            "try:\n    app(['progress', 'add', '--help'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print(sorted(m for m in sys.modules if m.startswith('sixbao_cli.cli.')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == str(sorted(
        f"sixbao_cli.cli.{m}" for m in ("common", "demo", "docs", "init", "progress", "usage")))


def test_english_help(tmp_path):
    env = {**os.environ, "SIXBAO_LANG": "en"}
    out = subprocess.run([sys.executable, "-m", "sixbao_cli", "progress", "add", "--help"], capture_output=True,
                         text=True, env=env, check=True).stdout
    assert "Report progress on a task" in out and "填报" not in out.split("Examples")[0]


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    from datetime import date

    from sixbao_cli.schema import open_ledger
    from sixbao_cli.services.tasks import TaskSpec, add_task
    from sixbao_cli.services.units import add_unit

    db = tmp_path / "l.db"
    ledger = open_ledger(f"sqlite:///{db}")
    with ledger.write() as conn:  # ~200 KB of listing: more than a pipe holds
        add_unit(conn, "市财政局")
        for i in range(2000):
            add_task(conn, TaskSpec(title=f"保障基层运转资金第{i}项", category="基层运转", leads=["市财政局"]),
                     today=date(2020, 6, 1))
    ledger.close()
    sixbao = str(Path(sys.executable).with_name("sixbao"))
    script = f'SIXBAO_DB={db} {sixbao} task list | head -n 1; echo "${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    first, status = done.stdout.splitlines()
    assert first.split()[0] == "任务编号"
    assert (status, done.stderr) == ("141", "")
