"""tables.py (the Core mirror used at run time) is generated from models.py and must not drift."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from sixbao_cli import devtools, models, tables


def test_tables_py_is_current():
    assert devtools.TABLES_PY.read_text(encoding="utf-8") == devtools.render_tables(), (
        "models.py changed: run  python -m sixbao_cli.devtools tables")


def _ddl(md, dialect) -> dict[str, list[str]]:
    out = {}
    for table in md.sorted_tables:
        lines = [line.strip().rstrip(",") for line in str(CreateTable(table).compile(dialect=dialect)).splitlines()]
        lines += [str(CreateIndex(i).compile(dialect=dialect)) for i in table.indexes]
        out[table.name] = sorted(lines)
    return out


def test_mirror_declares_the_same_schema_on_both_dialects():
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        assert _ddl(tables.metadata, dialect) == _ddl(models.metadata, dialect)
