"""Nothing in the program builds SQL from strings: every statement is a SQLAlchemy construct or a constant.

The test reads the source of sixbao_cli/ (ast, not import) and finds every call
that hands SQL text to the database — ``text(…)``, ``exec_driver_sql(…)``, and
a DB-API ``execute(…)``/``executescript(…)`` — whose statement is not one
constant string: an f-string, ``%``, ``.format()``, ``+`` or a variable. Each
such place must be in ALLOWED below, with the reason no user input can reach
it. A new one fails the test until it is rewritten with bound parameters or
SQLAlchemy constructs, or shown safe and added.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sixbao_cli"

# (file under sixbao_cli/, enclosing function): why the SQL text built there is safe.
ALLOWED = {
    ("db.py", "_sqlite_on_connect"): "PRAGMA busy_timeout = int(...): a number from settings, formatted by int()",
    ("db.py", "_postgresql_on_connect"): "SET lock_timeout = int(...): a number from settings, formatted by int()",
    ("db.py", "write"): "PRAGMA busy_timeout / SET LOCAL lock_timeout = int(...): the caller's wait or the "
                        "setting's, formatted by int()",
    ("health.py", "pragma"): "PRAGMA name: the four names are literals in _sqlite_storage",
    ("restore.py", "vacuum"): "PRAGMA page_size = int(...): the ledger's own page size, formatted by int()",
    ("restore.py", "n"): "SELECT count(*) FROM table: the four table names are literals in _facts",
    ("services/progress_import.py", "_drop_temporary"): "DROP TABLE schema.name: schema is 'temp' or 'pg_temp', "
                                                        "chosen by dialect in code; name that of read_table() or "
                                                        "stage_table() (code constants)",
    ("services/import_rows.py", "_flush"): "INSERT_READ, a constant string spelt out whole in import_rows.py; "
                                           "values are bound",
    ("services/judging.py", "analyze"): "ANALYZE of a temporary table: the statement is looked up among three "
                                        "constants in _ANALYZE by the name of one of the module's own tables",
}

SQL_CALLS = {"text", "exec_driver_sql", "executescript"}


def _constant(node: ast.expr) -> bool:
    """A string the code spells out whole: a literal, or literals joined by implicit concatenation or ``+``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _constant(node.body) and _constant(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant(node.left) and _constant(node.right)
    return False


def _string_built(node: ast.expr) -> bool:
    """An expression that builds a string at run time: f-string, %, .format(), + of non-constants."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return not _constant(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" or node.func.attr == "join" and isinstance(node.func.value, ast.Constant)
    return False


def _called(node: ast.Call) -> str | None:
    """The SQL-taking callee's name; ``text`` only as SQLAlchemy's (``text()``, ``sa.text()``), not ``self.text()``."""
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        if node.func.attr == "text":
            owner = node.func.value
            return "text" if isinstance(owner, ast.Name) and owner.id in ("sa", "sqlalchemy") else None
        return node.func.attr
    return None


def _sql_from_strings(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    called, sql = _called(node), node.args[0]
    return called in SQL_CALLS and not _constant(sql) or called == "execute" and _string_built(sql)


def sql_built_from_strings() -> list[tuple[str, str, int]]:
    """(file, enclosing function, line) of every SQL call whose statement is not a constant string."""
    found: dict[tuple[str, int], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(PACKAGE).as_posix()
        # outer scopes first (ast.walk is breadth-first), so a call's innermost function is the last to claim it
        scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]
        for scope in scopes:
            name = getattr(scope, "name", "<module>")
            for node in ast.walk(scope):
                if _sql_from_strings(node):
                    found[(rel, node.lineno)] = name
    return sorted((rel, name, line) for (rel, line), name in found.items())


def test_no_sql_is_built_from_strings_outside_the_reviewed_places():
    unreviewed = [f"sixbao_cli/{rel}:{line} in {name}()" for rel, name, line in sql_built_from_strings()
                  if (rel, name) not in ALLOWED]
    assert unreviewed == [], "SQL built from strings; use bound parameters or SQLAlchemy constructs"


def test_every_reviewed_place_still_exists():
    """The list stays short and true: a place that no longer builds SQL is taken off it."""
    places = {(rel, name) for rel, name, _ in sql_built_from_strings()}
    assert set(ALLOWED) - places == set()


def test_the_scanner_finds_what_it_is_for():
    source = (
        "def bad(conn, name):\n"
        "    conn.execute(text(f'SELECT * FROM task WHERE code = {name}'))\n"
        "    conn.exec_driver_sql('DELETE FROM unit WHERE name = ' + name)\n"
        "    cur.execute('SELECT %s' % name)\n"
        "    conn.execute(text('SELECT 1'))\n"
        "    conn.execute(text('SELECT ' 'id FROM task'))\n"
        "    conn.execute(select(task.c.id).join(unit))\n"
        "    self.text(row, 'code')\n"
    )
    flagged = sorted(node.lineno for node in ast.walk(ast.parse(source)) if _sql_from_strings(node))
    assert flagged == [2, 3, 4]


def test_the_spelt_out_import_statements_name_the_staging_columns():
    """INSERT_READ and COPY_READ are written out whole (not built from STAGE_COLUMNS): they must still agree with it."""
    from sixbao_cli.services.import_rows import COPY_READ, INSERT_READ, STAGE_COLUMNS, read_table

    columns = ", ".join(STAGE_COLUMNS)
    assert [c.name for c in read_table().columns] == list(STAGE_COLUMNS)
    assert INSERT_READ == f"INSERT INTO import_read ({columns}) VALUES ({', '.join('?' * len(STAGE_COLUMNS))})"
    assert COPY_READ == f"COPY import_read ({columns}) FROM STDIN"
