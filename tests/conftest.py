"""Shared fixtures: an isolated environment, a ledger per test on SQLite and PostgreSQL, the CLI.

Every test that touches the database takes ``db_url`` and runs twice: on a
SQLite file and on a database of a real PostgreSQL server this suite starts
itself (see pgserver.py). Without PostgreSQL binaries the PostgreSQL half is
skipped with a visible reason — except under CI=true, where it fails instead.
"""

from __future__ import annotations

import itertools
import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from pgserver import PostgresServer, find_pg_bin

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_db_names = itertools.count(1)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test touches a real user's data, and output is stable: no colour, fixed width, Chinese."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    for name in ("SIXBAO_DB", "SIXBAO_LANG", "SIXBAO_DEBUG", "SIXBAO_BUSY_TIMEOUT", "LANG_OVERRIDE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    from sixbao_cli.messages import reset_lang

    reset_lang()  # messages.lang() keeps what it read: start each test from this environment's language
    yield home
    reset_lang()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, with a migrated template database."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        reason = "no PostgreSQL server binaries (looked in /usr/lib/postgresql/*/bin and $SIXBAO_PG_BIN)"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}: .ci/run must install postgresql")
        pytest.skip(reason)
    server = PostgresServer(bin_dir)
    server.start()
    try:
        from sixbao_cli.schema import open_ledger

        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE sixbao_template"))
        open_ledger(server.url("sixbao_template")).close()
        admin.dispose()
        yield server
    finally:
        server.stop()


def new_pg_database(server: PostgresServer, *, template: str = "sixbao_template") -> str:
    """A fresh database on the test server (a copy of ``template``); returns its URL."""
    name = f"t{os.getpid()}_{next(_db_names)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's own ledger, named in SIXBAO_DB: a SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        url = str(tmp_path / "ledger.db")
    else:
        url = new_pg_database(request.getfixturevalue("pg_server"))
    monkeypatch.setenv("SIXBAO_DB", url)
    return url


@pytest.fixture
def blank_db_url(request: pytest.FixtureRequest, tmp_path: Path, db_url: str) -> str:
    """Like ``db_url`` but with no schema at all (PostgreSQL: an empty database)."""
    if db_url.startswith("postgresql"):
        server = request.getfixturevalue("pg_server")
        url = new_pg_database(server, template="template0")
        os.environ["SIXBAO_DB"] = url
        return url
    return db_url


class Cli:
    """Runs ``sixbao`` in-process through typer's CliRunner."""

    def __init__(self) -> None:
        from typer.testing import CliRunner

        from sixbao_cli.cli import app

        self.app = app
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        argv = list(args) if len(args) != 1 or " " not in args[0] else shlex.split(args[0])
        return self.runner.invoke(self.app, argv, input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kw):
        """Run and insist on exit code 0; return the result."""
        result = self(*args, **kw)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result


@pytest.fixture
def cli() -> Cli:
    """The CLI, run in-process against the ledger in SIXBAO_DB."""
    return Cli()


@pytest.fixture
def generated_ledger(cli: Cli, db_url: str):
    """A ledger with a lead and a support unit for generated tasks (tests/test_judging.py's ``_write``):
    an engine to write with, the Ledger to judge with, and the two units' ids."""
    from sixbao_cli import tables as T
    from sixbao_cli.db import Ledger, make_engine
    from sixbao_cli.settings import resolve_db_url

    cli.ok("unit", "add", "生成牵头局")
    cli.ok("unit", "add", "生成配合局")
    engine = create_engine(resolve_db_url(db_url))
    with engine.connect() as conn:
        units = dict(conn.execute(select(T.unit.c.name, T.unit.c.id)).all())
    ledger = Ledger(resolve_db_url(db_url), make_engine(resolve_db_url(db_url)))
    yield engine, ledger, units["生成牵头局"], units["生成配合局"]
    ledger.close()
    engine.dispose()


def snapshot(url: str) -> dict[str, object]:
    """Every table's row count and content hash: equal snapshots mean an unchanged ledger."""
    from sixbao_cli import tables as T
    from sixbao_cli.settings import resolve_db_url

    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as conn:
            out: dict[str, object] = {}
            present = set(inspect(conn).get_table_names())
            for table in T.metadata.sorted_tables:
                if table.name not in present:  # an older ledger
                    continue
                columns = {c["name"] for c in inspect(conn).get_columns(table.name)}
                query = select(*(c for c in table.columns if c.name in columns)).order_by(*table.primary_key.columns)
                out[table.name] = [dict(r._mapping) for r in conn.execute(query)]
            out["alembic_version"] = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            return out
    finally:
        engine.dispose()


def count(url: str, table_name: str) -> int:
    """Rows in one table."""
    from sixbao_cli import tables as T
    from sixbao_cli.settings import resolve_db_url

    engine = create_engine(resolve_db_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(T.metadata.tables[table_name])).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite ledger path in SIXBAO_DB, for what only SQLite has (files, locks, backups)."""
    url = str(tmp_path / "ledger.db")
    monkeypatch.setenv("SIXBAO_DB", url)
    return url


@pytest.fixture
def seeded(cli: Cli, db_url: str) -> str:
    """A ledger with units (one with an alias) and three tasks; returns the URL."""
    return seed(cli, db_url)


@pytest.fixture
def sqlite_seeded(cli: Cli, sqlite_url: str) -> str:
    """``seeded`` on SQLite only."""
    return seed(cli, sqlite_url)


def seed(cli: Cli, url: str) -> str:
    """Units (one with an alias) and three tasks in the ledger at ``url`` (already in SIXBAO_DB)."""
    cli.ok("unit", "add", "市人力资源社会保障局", "-a", "市人社局")
    cli.ok("unit", "add", "市财政局")
    cli.ok("unit", "add", "市税务局")
    cli.ok("unit", "add", "各地党委、政府")
    cli.ok("task", "add", "加大援企稳岗返还力度", "-c", "就业", "-l", "市人社局", "-s", "市财政局、市税务局",
           "--leader", "吴靖平、刘金波", "--start", "2020-06-18", "-d", "2020-12-31",
           "--target", "返还失业保险费>=3000万元", "-m", "2020-09-30:50%",
           "--text", "加快落实失业保险稳岗返还政策，支持参保企业不裁员、少裁员。")
    cli.ok("task", "add", "拓宽以工代训范围", "-c", "保居民就业", "-l", "市人社局", "-s", "市财政局",
           "--start", "2020-06-18", "-d", "2020-06-30")
    cli.ok("task", "add", "保障基层运转资金", "-c", "基层运转", "-l", "市财政局", "-s", "各地党委、政府",
           "--leader", "安立佳", "--start", "2020-06-01", "-d", "2020-11-30")
    return url
