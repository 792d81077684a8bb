"""The Alembic revisions build exactly the models' schema; versions are checked before any change."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from sixbao_cli import schema
from sixbao_cli.errors import SchemaMismatch
from sixbao_cli.models import metadata
from sixbao_cli.settings import resolve_db_url

from conftest import snapshot


def _diff(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_name": schema.declared,
            })
            return compare_metadata(ctx, metadata)
    finally:
        engine.dispose()


def test_revision_list_matches_the_script_directory():
    cfg = Config()
    cfg.set_main_option("script_location", str(schema.migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    walked = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(walked)) == schema.REVISIONS
    assert script.get_current_head() == schema.HEAD


def test_blank_database_upgraded_has_exactly_the_models_schema(blank_db_url):
    url = resolve_db_url(blank_db_url)
    schema.open_ledger(url).close()
    assert _diff(url) == []
    assert schema.status(url)["revision"] == schema.HEAD


def test_downgrade_and_upgrade_round_trip(blank_db_url):
    url = resolve_db_url(blank_db_url)
    ledger = schema.open_ledger(url)
    try:
        schema.downgrade_ledger(ledger, "base")
        engine = create_engine(url)
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        engine.dispose()
        schema.upgrade_ledger(ledger)
    finally:
        ledger.close()
    assert _diff(url) == []


def test_newer_ledger_is_refused_untouched(cli, seeded):
    engine = create_engine(resolve_db_url(seeded))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    before = snapshot(seeded)
    for argv in (("task", "list"), ("task", "add", "x", "-c", "就业", "-l", "市财政局"), ("db", "upgrade")):
        result = cli(*argv)
        assert result.exit_code == 7
        assert "结构版本 9999_future 比本程序新，为保护数据拒绝打开。请升级 sixbao 后再使用。" in result.stderr
        assert "Traceback" not in result.output
    assert snapshot(seeded) == before
    assert "比本程序新" in cli.ok("db", "current").stdout


def test_foreign_database_is_refused(blank_db_url, cli):
    url = resolve_db_url(blank_db_url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    result = cli("unit", "add", "市财政局")
    assert result.exit_code == 7
    assert "中已有其他程序的数据表，不是 sixbao 台账，未做任何改动" in result.stderr
    assert "不是 sixbao 台账" in cli.ok("db", "current").stdout
    with pytest.raises(SchemaMismatch):
        schema.open_ledger(url)


def test_checking_a_current_ledger_does_not_import_alembic(db_url):
    # Nor SQLModel and the ORM: commands run on the generated Core tables. Nor pydantic:
    # typer is held below 0.29, whose parameter coercion imports it (pyproject.toml).
    schema.open_ledger(resolve_db_url(db_url)).close()
    code = (
        "import sys\n"
        "from sixbao_cli.cli import app\n"
        "try:\n    app(['task', 'list'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlmodel', 'pydantic') or m == 'sqlalchemy.orm'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_table_rebuilding_migration_keeps_every_row_that_refers_to_it(cli, sqlite_seeded):
    """Alembic batch mode copies and drops tables (on SQLite only); that must not cascade."""
    seeded = sqlite_seeded
    from alembic.operations import Operations

    from conftest import count

    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    before = {t: count(seeded, t) for t in ("task", "task_unit", "task_leader", "milestone", "progress", "task_change")}
    ledger = schema.open_ledger(resolve_db_url(seeded))
    try:
        with schema.migrating(ledger) as conn:
            ops = Operations(MigrationContext.configure(conn, opts={"render_as_batch": True}))
            with ops.batch_alter_table("task", recreate="always"):
                pass
    finally:
        ledger.close()
    assert {t: count(seeded, t) for t in before} == before
    assert "JY-001" in cli.ok("task", "show", "JY-001").stdout


def test_upgraded_ledger_has_search_and_append_only_guards(blank_db_url):
    url = resolve_db_url(blank_db_url)
    schema.open_ledger(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")).scalars())
            assert {"task_fts", "task_fts_ai", "task_fts_au", "task_fts_ad",
                    "progress_append_only_update", "progress_append_only_delete"} <= names
        else:
            assert conn.execute(text("SELECT 1 FROM pg_trigger WHERE tgname = 'progress_append_only'")).scalar() == 1
            assert conn.execute(text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_task_search'")).scalar() == 1
    engine.dispose()


def test_an_older_ledger_is_upgraded_on_first_use_with_its_data(cli, seeded):
    cli.ok("progress", "add", "JY-001", "-p", "60", "--date", "2020-09-25", "-u", "市人社局", "--note", "x")
    ledger = schema.open_ledger(resolve_db_url(seeded))
    try:
        schema.downgrade_ledger(ledger, schema.REVISIONS[0])
    finally:
        ledger.close()
    before = {k: v for k, v in snapshot(seeded).items() if k != "alembic_version"}
    assert "需要升级" in cli.ok("db", "current").stdout
    assert "JY-001" in cli.ok("task", "list").stdout  # any command upgrades first
    after = snapshot(seeded)
    assert after.pop("alembic_version") == [(schema.HEAD,)]
    assert {name: [{c: row[c] for c in rows[0]} for row in after[name]] if rows else after[name]
            for name, rows in before.items()} == before
